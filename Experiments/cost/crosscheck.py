"""Cross-check `gpnav macs --format json` against reference_count.py on random architectures.

Usage: python3 Experiments/cost/crosscheck.py PATH/TO/gpnav [COUNT]
Exits non-zero on the first mismatch.
"""

import json
import random
import subprocess
import sys

from reference_count import count


def main():
    gpnav = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(2024)
    for i in range(total):
        r = 2 * rng.randint(16, 512)
        w = round(rng.uniform(0.125, 4.0), rng.choice([1, 2, 3]))
        w = min(max(w, 0.125), 4.0)
        mv2 = [rng.randint(1, 6), rng.randint(1, 6)]
        vit = [rng.randint(1, 10), rng.randint(1, 10), rng.randint(1, 10)]
        classes = rng.choice([1, 10, 100, 1000, 21843])
        args = [gpnav, "macs", "--resolution", str(r), "--width", repr(w),
                "--mv2-depths", ",".join(map(str, mv2)), "--vit-depths", ",".join(map(str, vit)),
                "--classes", str(classes), "--format", "json"]
        out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
        macs, params = count(r, w, mv2, vit, classes)
        if (out["macs"], out["params"]) != (macs, params):
            print(f"MISMATCH {args[2:]}: gpnav {out['macs']} {out['params']} reference {macs} {params}")
            sys.exit(1)
    print(f"crosscheck: {total} random architectures, gpnav macs == reference_count.py (MACs and params)")


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main()
