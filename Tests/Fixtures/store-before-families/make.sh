#!/usr/bin/env bash
# Remakes store.sqlite, trials.json and studies.json: a store as the release before architecture
# families writes it (SQLite migrations 0001-0002), and what that release reads back from it.
# Run with that release's gpnav (main at c7d80f9) as $GPNAV; the upgrade test
# (SchemaMigrationsTests) opens a copy of store.sqlite with the current build and compares.
set -euo pipefail
cd "$(dirname "$0")"
rm -f store.sqlite trials.json studies.json
"$GPNAV" search --macs 300M --trials 8 --study macs-300M --db store.sqlite --seed 7 > /dev/null 2>&1
"$GPNAV" import import.csv --study imported --db store.sqlite
"$GPNAV" trials --db store.sqlite --format json > trials.json
"$GPNAV" studies --db store.sqlite --format json > studies.json
