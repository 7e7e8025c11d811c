#!/bin/sh
# Reproduces Experiments/paper-spirit/RESULTS.md's numbers and pictures (simulated accuracies).
set -eu
cd "$(dirname "$0")/../.."
swift build --product paper-spirit
.build/debug/paper-spirit --out Experiments/paper-spirit | tee Experiments/paper-spirit/output.md
if command -v rsvg-convert >/dev/null; then
    for name in cube-grid families; do
        rsvg-convert -o "Experiments/paper-spirit/$name.png" "Experiments/paper-spirit/$name.svg"
    done
fi
