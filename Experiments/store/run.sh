#!/usr/bin/env bash
# Store benchmark on both backends: insert 100,000 trials through the store API into SQLite and
# into PostgreSQL, time whole gpnav processes (release build) reading them (goal: each under
# 0.5 s), then measure claim-and-finish throughput with 1, 4 and 16 writers on each backend
# (`store-claims`, Experiments/store/main.swift, in the same build as gpnav).
# Usage: bash Experiments/store/run.sh   (starts a throwaway PostgreSQL cluster via .ci/with-postgres)
# Writes the SQLite files under Experiments/out/store/ (ignored by git); prints a summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${GPNAV_TEST_POSTGRES_URL:-}" ]; then exec bash .ci/with-postgres bash "$0" "$@"; fi
TRIALS="${GPNAV_BENCH_TRIALS:-100000}"
OUT=Experiments/out/store
mkdir -p "$OUT"
rm -f "$OUT"/bench.sqlite* "$OUT"/claims.sqlite*

# GPNAV_BENCH_BUILD=debug times the debug build instead (no release build of the dependencies).
BUILD="${GPNAV_BENCH_BUILD:-release}"
echo "== building gpnav ($BUILD) and the test bundle (debug)"
swift build -c "$BUILD" --product gpnav >/dev/null
swift build -c "$BUILD" --product store-claims >/dev/null
swift build --build-tests >/dev/null
GPNAV="$(swift build -c "$BUILD" --show-bin-path)/gpnav"

# backend name -> store; the PostgreSQL URL (with its password) is never printed.
declare -A STORE=([sqlite]="$OUT/bench.sqlite" [postgres]="$GPNAV_TEST_POSTGRES_URL?schema=bench")
declare -A CLAIMS=([sqlite]="$OUT/claims.sqlite" [postgres]="$GPNAV_TEST_POSTGRES_URL?schema=claims")

time_command() { # label, then the gpnav arguments
    local label=$1; shift
    "$GPNAV" "$@" >/dev/null   # warm-up
    local start end
    start=$(date +%s%N)
    for _ in $(seq 20); do "$GPNAV" "$@" >/dev/null; done
    end=$(date +%s%N)
    echo "| $label | $(( (end - start) / 20 / 1000000 )) ms |"
}

for backend in sqlite postgres; do
    db=${STORE[$backend]}
    echo "== $backend: inserting $TRIALS trials (transactions of 1,000, debug build)"
    GPNAV_BENCH_DB="$db" GPNAV_BENCH_TRIALS="$TRIALS" \
        swift test --skip-build --filter BenchmarkSeeding 2>&1 | grep -E "inserted|✘" || true
    echo "== $backend: timing (whole process, mean of 20 runs, $BUILD build); load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
    echo "| command ($backend) | wall mean |"
    echo "|---|---:|"
    time_command "gpnav trials --limit 20 --sort accuracy --desc" trials --db "$db" --limit 20 --sort accuracy --desc
    time_command "gpnav --version (process start only)" --version
    time_command "gpnav pareto" pareto --db "$db"
    time_command "gpnav pareto --study bench" pareto --db "$db" --study bench
    time_command "gpnav pareto --objectives accuracy:max,macs:min,params:min" pareto --db "$db" --objectives accuracy:max,macs:min,params:min
    time_command "gpnav trials --study bench --state complete --max-macs 300M --sort accuracy --desc --limit 20" \
        trials --db "$db" --study bench --state complete --max-macs 300M --sort accuracy --desc --limit 20
    time_command "gpnav studies" studies --db "$db"
    "$GPNAV" pareto --db "$db" | wc -l | sed "s/^/pareto rows ($backend): /"
done

for backend in sqlite postgres; do
    echo "== $backend: claim-and-finish throughput (each writer its own store; $BUILD build); load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$(swift build -c "$BUILD" --show-bin-path)/store-claims" --db "${CLAIMS[$backend]}"
done
