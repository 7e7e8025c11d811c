"""Where the server's time for dashboard viewers goes: ten light clients (replay.py's Viewer) replay
one group of the page's routes at a time, at the rates one browser window was measured to use,
for --seconds each, between blocks with the worker alone; the server's CPU per block.

Usage: .venv-ci/bin/python Experiments/dashboard-viewers/by_route.py --gpnav .build/release/gpnav
Everything listens on 127.0.0.1 and stops by itself."""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from replay import Server, Viewer, Worker, cpu_seconds, make_big_study, progress
from gpnav_client import Study

# Requests per minute of one window on a 1,000-trial study changing every 0.6 s (RESULTS.md, run 3).
RATES = {
    "/dashboard/live": 29.0,
    "/dashboard/studies/big/history.svg": 29.0,
    "/dashboard/studies/big/pareto.svg": 29.0,
    "/v1/studies/big/trials?sort=number&desc=true&limit=12": 29.0,
    "/dashboard/studies/big/cube.svg?x=resolution&y=width": 1.0,
    "/dashboard/studies/big/relevance.json": 1.0,
    "/dashboard/studies/big/curves.svg": 5.0,
}
GROUPS = [
    ["/dashboard/live"],
    ["/dashboard/studies/big/history.svg", "/dashboard/studies/big/pareto.svg"],
    ["/v1/studies/big/trials?sort=number&desc=true&limit=12"],
    ["/dashboard/studies/big/cube.svg?x=resolution&y=width", "/dashboard/studies/big/relevance.json",
     "/dashboard/studies/big/curves.svg"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpnav", default=".build/release/gpnav")
    parser.add_argument("--viewers", type=int, default=10)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    options = parser.parse_args()
    gpnav = os.path.abspath(options.gpnav)
    with tempfile.TemporaryDirectory() as directory:
        server = Server(gpnav, directory, make_big_study(gpnav, directory, options.trials))
        worker = Worker(Study.get(server.url, "big", token=server.token), 0.5)
        try:
            worker.start()
            time.sleep(5)
            print("| routes replayed | requests | server CPU (% of a core) |")
            print("|---|---|---|")
            for index, group in enumerate([None] + [g for pair in zip(GROUPS, [None] * len(GROUPS)) for g in pair]):
                clients = [Viewer(server, {path: RATES[path] for path in group}, seed=index * 100 + k)
                           for k in range(options.viewers)] if group else []
                before, started = cpu_seconds(server.process.pid), time.monotonic()
                for client in clients:
                    client.start()
                time.sleep(options.seconds)
                for client in clients:
                    client.stop.set()
                cpu, elapsed = cpu_seconds(server.process.pid) - before, time.monotonic() - started
                for client in clients:
                    client.join(60)
                label = ", ".join(group) if group else "none (the worker alone)"
                print(f"| {label} | {sum(c.sent for c in clients)} | {100 * cpu / elapsed:.1f} |", flush=True)
                progress(f"block {index} done")
        finally:
            worker.stop.set()
            server.stop()


if __name__ == "__main__":
    main()
