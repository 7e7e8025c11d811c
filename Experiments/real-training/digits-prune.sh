#!/usr/bin/env bash
# #21's real run: the same gpnav search on scikit-learn's digits with and without --prune, side by
# side (one training each at a time, so the two share the machine alike), every training a real
# python -m gpnav_torch.train on the CPU. Each study runs digits.sh under `nice -n 10` and GNU time
# (wall, user and system seconds of gpnav and every training it waited for); the load average is
# sampled every 30 s while they run. prune_summary.py then prints the comparison: trials complete /
# pruned, epochs spent, best found and at which epoch total, wall and CPU time, load.
#   GPNAV_BIN=.build/debug/gpnav PYTHON=/work/main/.venv-ci/bin/python bash Experiments/real-training/digits-prune.sh
# Set-up (each overridable as in digits.sh): 16 M MACs over digits-prune-space.json (64 px, widths
# 0.25 to 0.5: 15 of its 36 architectures within budget), 10 trials of 9 epochs (--prune's rungs at
# epochs 1 and 3), seed 1, batch 32, and a recipe that learns digits in a few epochs (peak learning
# rate 0.003; no RandAugment, mixup, cutmix, random erasing, flips or EMA; crops of 60 % or more),
# the set-up of Experiments/latency/int8.py --data digits. Results: $OUT (default
# Experiments/out/digits-prune-compare), a folder per study and summary.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(cd "$root" && mkdir -p "${OUT:-Experiments/out/digits-prune-compare}" && cd "${OUT:-Experiments/out/digits-prune-compare}" && pwd)"
python="${PYTHON:-python3}"
: "${GPNAV_BIN:?set GPNAV_BIN to a built gpnav}"
export GPNAV_BIN PYTHON="$python"
export EPOCHS="${EPOCHS:-9}" TRIALS="${TRIALS:-10}" MACS="${MACS:-16M}" SEED="${SEED:-1}" BATCH="${BATCH:-32}"
export SPACE="${SPACE:-$here/digits-prune-space.json}"
export TRAIN_ARGS="${TRAIN_ARGS:---lr 0.003 --rand-augment none --mixup 0 --cutmix 0 --random-erase 0 --no-flip --crop-scale 0.6 --ema-decay 0}"
export DATA="$out/digits"
[ -d "$DATA/train" ] || PYTHONPATH="$root/python" "$python" "$here/digits.py" "$DATA" --size 64

(while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done) > "$out/load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT
date -u +"started %Y-%m-%dT%H:%M:%SZ" > "$out/when.txt"
pids=()
for prune in 0 1; do
  name=$([ "$prune" = 1 ] && echo prune || echo no-prune)
  mkdir -p "$out/$name"
  PRUNE=$prune OUT="$out/$name" /usr/bin/time -f "%e %U %S" -o "$out/$name/time.txt" \
    nice -n 10 bash "$here/digits.sh" > "$out/$name/run.log" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
date -u +"ended %Y-%m-%dT%H:%M:%SZ" >> "$out/when.txt"
"$python" "$here/prune_summary.py" "$out" | tee "$out/summary.md"
exit $status
