#!/usr/bin/env bash
# Counting-throughput benchmark of MobileViT.CostModel, one core, totals only; then the
# cross-check of `gpnav macs` against the independent Python count.
# Usage: bash Experiments/cost/run.sh [evaluations]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
swiftc -O -wmo -parse-as-library -module-name CostBenchmark \
    Sources/MobileViT/*.swift Experiments/cost/Benchmark.swift -o "$build_dir/cost-benchmark"
# One core: pin the process when taskset is available.
if command -v taskset >/dev/null; then pin=(taskset -c 0); else pin=(); fi
"${pin[@]}" "$build_dir/cost-benchmark" "${1:-5000000}"
swift build --product gpnav >/dev/null
python3 Experiments/cost/crosscheck.py .build/debug/gpnav 300
