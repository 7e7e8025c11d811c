#!/usr/bin/env bash
# Real training on the demo data, end to end on a CPU: gpnav search with gpnav_torch.train as the
# evaluator, then the trials table, the Pareto plot and the GP's factor analysis, and the simulator
# on the same space for comparison. Results go to $OUT (default Experiments/out/real-training,
# kept out of git); RESULTS.md says what the runs gave.
#   bash Experiments/real-training/run.sh                          # run 1: 4 epochs, 20 val images per class (~25 min)
#   EPOCHS=8 VAL_PER_CLASS=60 OUT=Experiments/out/real-training-2 bash Experiments/real-training/run.sh   # run 2
# GPNAV_BIN=path uses a built gpnav instead of building a release one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(cd "$root" && mkdir -p "${OUT:-Experiments/out/real-training}" && cd "${OUT:-Experiments/out/real-training}" && pwd)"
epochs="${EPOCHS:-4}"
val_per_class="${VAL_PER_CLASS:-20}"
if [ -z "${GPNAV_BIN:-}" ]; then
  (cd "$root" && swift build -c release --product gpnav)
  GPNAV_BIN="$root/.build/release/gpnav"
fi
export PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}"   # or: pip install -e python/
export PYTHONWARNINGS=ignore

# 6 classes x (100 train + VAL_PER_CLASS val) images of 96 px, procedurally generated (seed 0).
[ -d "$out/demo/train" ] || python3 -m gpnav_torch.demo_data "$out/demo" --classes 6 --per-class 100 \
  --val-per-class "$val_per_class" --size 96

db="$out/real.sqlite"
rm -f "$db" "$db-wal" "$db-shm"; rm -rf "$out/real-configs"
# EPOCHS epochs of 600 images, batch 32, one CPU thread (much faster than two on busy cores).
"$GPNAV_BIN" search --db "$db" --study real-demo --macs 60M --trials 10 --seed 1 --space "$here/space.json" \
  --evaluator-timeout 1800 \
  --evaluator-command "python3 -m gpnav_torch.train --config {config} --data '$out/demo' --epochs $epochs --batch-size 32 --workers 1 --threads 1" \
  > "$out/search.txt" 2> "$out/search-progress.txt"
"$GPNAV_BIN" trials --db "$db" --study real-demo > "$out/trials.txt"
"$GPNAV_BIN" trials --db "$db" --study real-demo --format csv > "$out/trials.csv"
"$GPNAV_BIN" plot pareto --db "$db" --study real-demo --out "$out/pareto.svg"
"$GPNAV_BIN" analyze --db "$db" --study real-demo > "$out/analyze.txt" 2>&1 || true

# Seed-to-seed spread: the best and the worst trial within budget, retrained with seeds 1 and 2.
python3 - "$out/trials.csv" > "$out/picked.txt" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["state"] == "complete" and int(r["macs"]) <= 60_000_000]
rows.sort(key=lambda r: float(r["accuracy"]))
print(rows[-1]["number"], rows[0]["number"])
PY
: > "$out/seeds.txt"
for trial in $(cat "$out/picked.txt"); do
  for seed in 1 2; do
    config=$(ls "$out"/real-configs/*-trial-"$trial".json)
    printf 'trial %s seed %s %s\n' "$trial" "$seed" "$(python3 -m gpnav_torch.train --config "$config" --data "$out/demo" \
      --epochs "$epochs" --batch-size 32 --workers 1 --threads 1 --seed "$seed" --checkpoint none --weights none \
      --log-file none 2>/dev/null | tail -1)" >> "$out/seeds.txt"
  done
done

# The simulator on the same space, budget and trial count, for the factor relevance comparison.
"$GPNAV_BIN" search --db "$db" --study simulated --macs 60M --trials 10 --seed 1 --space "$here/space.json" \
  > "$out/simulated-search.txt" 2>/dev/null
"$GPNAV_BIN" trials --db "$db" --study simulated > "$out/simulated-trials.txt"
"$GPNAV_BIN" analyze --db "$db" --study simulated > "$out/simulated-analyze.txt" 2>&1 || true
echo "results in $out"
