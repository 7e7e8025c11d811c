#!/usr/bin/env bash
# Measures the latency of random architectures of gpnav's default space twice with ONNX Runtime on
# one thread (measure.py), with this checkout's gpnav_torch. Needs onnx, onnxruntime and scipy in
# PYTHON's environment (default .venv-ci, made by .ci/setup-python) and a gpnav binary (GPNAV_BIN,
# default .build/debug/gpnav).
#   Experiments/latency/run.sh --count 100 --seed 1
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv-ci/bin/python}"
export GPNAV_BIN="${GPNAV_BIN:-$PWD/.build/debug/gpnav}"
PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}" exec "$PYTHON" Experiments/latency/measure.py "$@"
