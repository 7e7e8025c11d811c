#!/usr/bin/env bash
# Benchmarks gpnav's Gaussian process against scipy and scikit-learn on this machine.
# Usage (from anywhere): bash Experiments/gp/run.sh [extra benchmark.py flags, e.g. --sizes 250]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product gpnav >&2
mkdir -p .build/gp-bench
# The Cholesky timer is compiled together with the GaussianProcess sources, so it calls dpotrf
# through the module's own wrapper.
swiftc -O -module-name GPBench -I Sources/CLAPACK Sources/GaussianProcess/*.swift \
    Experiments/gp/cholesky/main.swift -o .build/gp-bench/cholesky
python3 -W ignore Experiments/gp/benchmark.py --gpnav .build/release/gpnav --cholesky .build/gp-bench/cholesky "$@"
