#!/usr/bin/env bash
# Real training on the demo data, end to end on a CPU: gpnav search with gpnav_torch.train as the
# evaluator, then the trials table, the Pareto plot and the GP's factor analysis. About 30 minutes
# on 2 busy cores. Results go to Experiments/out/real-training (kept out of git); RESULTS.md says
# what one run gave.
#   bash Experiments/real-training/run.sh            # GPNAV_BIN=... to use a built gpnav
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/Experiments/out/real-training"
mkdir -p "$out"
if [ -z "${GPNAV_BIN:-}" ]; then
  (cd "$root" && swift build -c release --product gpnav)
  GPNAV_BIN="$root/.build/release/gpnav"
fi
export PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}"   # or: pip install -e python/
export PYTHONWARNINGS=ignore

# 6 classes x (100 train + 20 val) images of 96 px, procedurally generated (seed 0).
[ -d "$out/demo/train" ] || python3 -m gpnav_torch.demo_data "$out/demo" --classes 6 --per-class 100 --size 96

db="$out/real.sqlite"
rm -f "$db" "$db-wal" "$db-shm"; rm -rf "$out/real-configs"
# 4 epochs of 600 images, batch 32, one CPU thread (much faster than two on busy cores).
"$GPNAV_BIN" search --db "$db" --study real-demo --macs 60M --trials 10 --seed 1 --space "$here/space.json" \
  --evaluator-timeout 1800 \
  --evaluator-command "python3 -m gpnav_torch.train --config {config} --data '$out/demo' --epochs 4 --batch-size 32 --workers 1 --threads 1" \
  > "$out/search.txt" 2> "$out/search-progress.txt"
"$GPNAV_BIN" trials --db "$db" --study real-demo > "$out/trials.txt"
"$GPNAV_BIN" trials --db "$db" --study real-demo --format csv > "$out/trials.csv"
"$GPNAV_BIN" plot pareto --db "$db" --study real-demo --out "$out/pareto.svg"
"$GPNAV_BIN" analyze --db "$db" --study real-demo > "$out/analyze.txt" 2>&1 || true

# The simulator on the same space, budget and trial count, for the factor relevance comparison.
"$GPNAV_BIN" search --db "$db" --study simulated --macs 60M --trials 10 --seed 1 --space "$here/space.json" \
  > "$out/simulated-search.txt" 2>/dev/null
"$GPNAV_BIN" analyze --db "$db" --study simulated > "$out/simulated-analyze.txt" 2>&1 || true
echo "results in $out"
