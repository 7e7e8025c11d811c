#!/usr/bin/env bash
# The training simulator's learning curves, measured: how often two trials of a search swap order
# between an early epoch and the full length (27 epochs), at 100M, 300M and 600M MACs.
#
#   GPNAV_BIN=.build/debug/gpnav bash Experiments/simulator/curves.sh
#
# Writes nothing but a temporary database (removed at the end) and prints the table of RESULTS.md.
set -euo pipefail
gpnav=${GPNAV_BIN:-.build/debug/gpnav}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for macs in 100M 300M 600M; do
  "$gpnav" search --macs "$macs" --trials 30 --epochs 27 --seed 1 --db "$dir/curves.sqlite" > /dev/null 2>&1
done
"$gpnav" trials --curves --format csv --db "$dir/curves.sqlite" > "$dir/curves.csv"
"$gpnav" trials --format csv --db "$dir/curves.sqlite" > "$dir/trials.csv"
python3 "$here/curve_ranks.py" "$dir/curves.csv" "$dir/trials.csv"
