#!/usr/bin/env bash
# The fidelity benchmark of issue #21 on gpnav's training SIMULATOR (not real training):
# gpnav today, gpnav --prune, Optuna TPE and GPSampler each with MedianPruner and HyperbandPruner,
# and DEHB, at 100M/300M/600M MACs, 10 seeds, 27 epochs per full training, 810 epochs per study.
#
#     bash Experiments/fidelity/run.sh            # the whole benchmark (see RESULTS.md for its time)
#     bash Experiments/fidelity/run.sh --quick    # a check: 100M, 2 seeds, 270 epochs, no GPSampler
#     bash Experiments/fidelity/run.sh --methods gpnav-today,tpe-hyperband --seeds 3   # any bench.py flag
#
# Needs optuna and dehb (`pip install -e 'python[bench]'`) and the debug build of gpnav and
# fidelity-simulator: `swift build --product gpnav && swift build --product fidelity-simulator`
# (one product per command: SwiftPM builds only the last of several `--product` options).
# Writes Experiments/out/fidelity-results.jsonl (one line per study) and prints the table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
bin="${GPNAV_BUILD:-$root/.build/debug}"
for product in gpnav fidelity-simulator; do
    [[ -x "$bin/$product" ]] || { echo "error: $bin/$product is missing: swift build --product $product" >&2; exit 2; }
done
args=()
if [[ "${1:-}" == "--quick" ]]; then
    shift
    args=(--budgets 100M --seeds 2 --epoch-budget 270
          --methods gpnav-today,gpnav-prune,tpe-median,tpe-hyperband,dehb)
fi
mkdir -p "$root/Experiments/out"
out="${FIDELITY_OUT:-$root/Experiments/out/fidelity-results.jsonl}"
started=$(date +%s)
(cd "$here" && "$python" bench.py --gpnav "$bin/gpnav" --simulator "$bin/fidelity-simulator" "${args[@]}" "$@" --out "$out")
echo "$(( $(date +%s) - started )) s on $(nproc) cores, load average before the table: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" "$here/table.py" "$out"
