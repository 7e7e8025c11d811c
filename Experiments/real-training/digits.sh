#!/usr/bin/env bash
# Real training on real data, on a CPU: gpnav search on scikit-learn's handwritten digits (converted
# to a 64 px ImageFolder by digits.py) with python -m gpnav_torch.train and its default recipe for
# MobileViTv2, EPOCHS epochs per trial, at most TRIALS trials and EPOCH_BUDGET epochs in all; PRUNE=1
# adds --prune, RESUMES=1 --evaluator-resumes (paused, not ended). MACS (budget, default 9M), SPACE (default digits-space.json), SEED (default 1), BATCH
# (default 64), TRAIN_ARGS (more gpnav_torch.train arguments, e.g. a lighter recipe) and DATA (the
# ImageFolder, default $OUT/digits, written when missing) change the set-up; digits-prune.sh runs
# both with a recipe that learns digits in a few epochs. Results go to $OUT (default
# Experiments/out/digits, kept out of git); RESULTS.md says what the runs gave.
#   GPNAV_BIN=.build/debug/gpnav bash Experiments/real-training/digits.sh
#   PRUNE=1 OUT=Experiments/out/digits-prune GPNAV_BIN=.build/debug/gpnav bash Experiments/real-training/digits.sh
# Needs scikit-learn (pip install 'python/[reference]') besides gpnav_torch's own dependencies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(cd "$root" && mkdir -p "${OUT:-Experiments/out/digits}" && cd "${OUT:-Experiments/out/digits}" && pwd)"
epochs="${EPOCHS:-2}"
trials="${TRIALS:-4}"
budget="${EPOCH_BUDGET:-$((epochs * trials))}"
python="${PYTHON:-python3}"
if [ -z "${GPNAV_BIN:-}" ]; then
  (cd "$root" && swift build -c release --product gpnav)
  GPNAV_BIN="$root/.build/release/gpnav"
fi
export PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONWARNINGS=ignore

# 1,347 training and 450 validation images (a quarter of each digit), 64 px.
data="${DATA:-$out/digits}"
[ -d "$data/train" ] || "$python" "$here/digits.py" "$data" --size 64

db="$out/digits.sqlite"
rm -f "$db" "$db-wal" "$db-shm"; rm -rf "$out/digits-configs"
prune=()
[ "${PRUNE:-0}" = 1 ] && prune=(--prune)
# RESUMES=1: the trainer resumes from its checkpoint, so --prune pauses trainings and may continue them.
[ "${RESUMES:-0}" = 1 ] && prune+=(--evaluator-resumes)
start=$(date +%s)
# Batch 64, one CPU thread per training (much faster than more on busy cores), no loader workers.
"$GPNAV_BIN" search --db "$db" --study digits --macs "${MACS:-9M}" --trials "$trials" --epochs "$epochs" \
  --epoch-budget "$budget" --seed "${SEED:-1}" --space "${SPACE:-$here/digits-space.json}" "${prune[@]}" \
  --evaluator-timeout 1800 \
  --evaluator-command "$python -m gpnav_torch.train --config {config} --data '$data' --batch-size ${BATCH:-64} --workers 0 --threads 1 ${TRAIN_ARGS:-}" \
  > "$out/search.txt" 2> "$out/search-progress.txt"
echo "wall seconds: $(( $(date +%s) - start ))" > "$out/wall.txt"
"$GPNAV_BIN" trials --db "$db" --study digits > "$out/trials.txt"
"$GPNAV_BIN" trials --db "$db" --study digits --format csv > "$out/trials.csv"
"$GPNAV_BIN" trials --db "$db" --study digits --curves > "$out/curves.txt" 2>&1 || true
"$GPNAV_BIN" studies --db "$db" > "$out/studies.txt"
"$GPNAV_BIN" studies --db "$db" --format json > "$out/studies.json"
echo "results in $out"
