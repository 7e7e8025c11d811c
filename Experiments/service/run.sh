#!/usr/bin/env bash
# Load on gpnav serve over loopback: ask latency and tells/s at 50, 200 and 1000 complete trials with
# 1, 8 and 32 clients, heartbeats/s (wrk), ask latency against idle workers, /healthz while asks
# run. Output: Experiments/out/service-load.md (the numbers kept are in RESULTS.md beside this file).
#     bash Experiments/service/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } \
    || sudo apt-get install -y -qq wrk
swift build -c release --product gpnav
mkdir -p Experiments/out
python3 Experiments/service/load.py --gpnav .build/release/gpnav "$@" | tee Experiments/out/service-load.md
