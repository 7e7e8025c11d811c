"""`python -m gpnav_torch.latency`, timed by the process's CPU time instead of the wall clock.

On this project's shared 2-core machine a one-thread run waits for a core, so its wall time
measures the load, not the network: RESULTS.md found every wall-time measurement refused by the
spread rule and only 0 to 8 % of them repeatable, against 82 to 94 % for CPU time. This runs the
latency command unchanged (same arguments, warm-up, runs, spread rule and JSON line) with
`time.process_time` as its clock, so `latency_ms`, its spread and the refusal are all of CPU
time, which is what gpnav's `--latency` budgets mean in the search benchmark (search.sh).
`cpu_ms` equals `latency_ms` here. On a quiet device, use `gpnav_torch.latency` itself.

    PYTHONPATH=python python Experiments/latency/cpu_time_latency.py --config arch.json --threads 1
"""

from __future__ import annotations

import sys
import time

from gpnav_torch import latency

if __name__ == "__main__":
    sys.exit(latency.main(sys.argv[1:], wall_clock=time.process_time))
