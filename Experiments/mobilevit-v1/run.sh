#!/usr/bin/env bash
# MobileViT v1: reference counts from timm (writes the Swift test fixture), the Swift tests that
# compare against it, the PyTorch builder's tests, and the counting throughput on one core.
# Usage: bash Experiments/mobilevit-v1/run.sh [python]   (from the repository root; python with
# torch, timm, fvcore and pytest, default .venv-ci/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${1:-.venv-ci/bin/python}"
"$python" Experiments/mobilevit-v1/reference_counts.py
swift build --build-tests >/dev/null
swift test --skip-build --filter 'MobileViTv1'
(cd python && "../$python" -m pytest -q tests/test_build_mobilevit_v1.py)
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
swiftc -O -wmo -parse-as-library -module-name MobileViTv1Benchmark \
    $(find Sources/MobileViT -name '*.swift') Experiments/mobilevit-v1/Benchmark.swift -o "$build_dir/benchmark"
if command -v taskset >/dev/null; then pin=(taskset -c 0); else pin=(); fi
"${pin[@]}" "$build_dir/benchmark" "${2:-5000000}"
