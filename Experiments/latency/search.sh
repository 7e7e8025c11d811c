#!/usr/bin/env bash
# gpnav search --latency at a few budgets (training simulator; CPU time of a one-thread ONNX Runtime
# run, cpu_time_latency.py), every trained trial re-measured, against MACs-budget searches whose best
# model measures the same latency (search_bench.py says how). Needs onnx and onnxruntime in PYTHON's
# environment (default .venv-ci, made by .ci/setup-python) and a gpnav binary (GPNAV_BIN, default
# .build/debug/gpnav). Run it at normal priority: it measures latency. Results: Experiments/out/latency-search.
#   Experiments/latency/search.sh --budgets 5,15,45 --trials 8 --seed 1
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv-ci/bin/python}"
export GPNAV_BIN="${GPNAV_BIN:-$PWD/.build/debug/gpnav}"
PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}" exec "$PYTHON" Experiments/latency/search_bench.py \
  --python "$PYTHON" "$@"
