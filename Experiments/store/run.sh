#!/usr/bin/env bash
# Store benchmark: insert 100,000 trials through the store API, then time whole gpnav processes
# (release build) reading them. Goal: each command under 0.5 s. Usage: bash Experiments/store/run.sh
# Writes its database under Experiments/out/store/ (ignored by git); prints a summary at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIALS="${GPNAV_BENCH_TRIALS:-100000}"
OUT=Experiments/out/store
DB="$OUT/bench.sqlite"
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"

echo "== building gpnav (release) and the test bundle (debug)"
swift build -c release --product gpnav >/dev/null
swift build --build-tests >/dev/null
GPNAV="$(swift build -c release --show-bin-path)/gpnav"

echo "== inserting $TRIALS trials (one IMMEDIATE transaction each, debug build)"
GPNAV_BENCH_DB="$PWD/$DB" GPNAV_BENCH_TRIALS="$TRIALS" \
    swift test --skip-build --filter BenchmarkSeeding 2>&1 | grep -E "inserted|passed|failed" || true
ls -l "$DB"
"$GPNAV" studies --db "$DB"

echo "== timing (whole process, release build); machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 20 --export-markdown "$OUT/timings.md" \
        "$GPNAV trials --db $DB --limit 20 --sort accuracy --desc" \
        "$GPNAV pareto --db $DB" \
        "$GPNAV pareto --db $DB --objectives accuracy:max,macs:min,params:min" \
        "$GPNAV trials --db $DB --study bench --state complete --max-macs 300M --sort accuracy --desc --limit 20"
    cat "$OUT/timings.md"
else
    for command in "trials --limit 20 --sort accuracy --desc" "pareto"; do
        start=$(date +%s%N)
        for _ in $(seq 20); do "$GPNAV" $command --db "$DB" >/dev/null; done
        end=$(date +%s%N)
        echo "gpnav $command: mean $(( (end - start) / 20 / 1000000 )) ms over 20 runs"
    done
fi
echo "== outputs"
"$GPNAV" trials --db "$DB" --limit 20 --sort accuracy --desc | head -5
"$GPNAV" pareto --db "$DB" | wc -l
