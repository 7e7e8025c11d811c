#!/usr/bin/env bash
# Re-renders the README's pictures from the quick start's study: `gpnav search --macs 300M`
# (30 trials, training simulator, seed 0), then each plot as SVG, and the families section's
# MobileViT v1 study (`--family mobilevit --macs 300M --trials 12`) drawn over its categorical
# MV2 expansion; each as PNG beside this script, with rsvg-convert
# (Debian: librsvg2-bin, installed by .ci/setup).
# Usage: bash docs/pictures/render.sh            (GPNAV_BIN=path/to/gpnav to use a built binary)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
gpnav="${GPNAV_BIN:-}"
if [ -z "$gpnav" ]; then
  swift build --product gpnav
  gpnav="$(swift build --show-bin-path)/gpnav"
fi
command -v rsvg-convert >/dev/null || { echo "render.sh: rsvg-convert not found: apt-get install librsvg2-bin" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/gpnav.sqlite"
"$gpnav" search --macs 300M --db "$db" >/dev/null 2>&1
"$gpnav" plot pareto --db "$db" --out "$work/pareto.svg"
"$gpnav" plot history --db "$db" --out "$work/history.svg"
"$gpnav" plot cube --db "$db" --x resolution --y width --out "$work/cube.svg"
"$gpnav" plot cube --db "$db" --x resolution --y width --grid --out "$work/cube-grid.svg"
"$gpnav" search --family mobilevit --macs 300M --trials 12 --db "$db" >/dev/null 2>&1
"$gpnav" plot cube --db "$db" --study mobilevit-macs-300M --x width --y mv2-expansion --out "$work/cube-v1-expansion.svg"
for name in pareto history cube cube-grid cube-v1-expansion; do
  rsvg-convert --format png --output "$here/$name.png" "$work/$name.svg"
done
ls -l "$here"/*.png
