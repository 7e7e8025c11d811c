"""The check behind RESULTS.md's "per-route table was noise" and its perf breakdown: on the
1,000-trial study with the worker running, 20 s blocks alternate without and with ten clients
replaying PATH (or ALL: the whole page's mix, by_route.RATES) at RATE per minute; the server's CPU
per block. With PERF=1, `perf record -g` samples the server throughout (into perf.data here).

Usage: PYTHONPATH=python/client .venv-ci/bin/python Experiments/dashboard-viewers/profile_routes.py \\
           [--gpnav .build/release/gpnav] PATH|ALL [RATE]
Then: perf report -i perf.data --children --sort symbol -g none
Everything listens on 127.0.0.1 and stops by itself."""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time

from by_route import RATES
from gpnav_client import Study
from replay import Server, Viewer, Worker, cpu_seconds, make_big_study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpnav", default=".build/release/gpnav")
    parser.add_argument("path")
    parser.add_argument("rate", type=float, nargs="?", default=29.0)
    options = parser.parse_args()
    gpnav = os.path.abspath(options.gpnav)
    with tempfile.TemporaryDirectory() as directory:
        server = Server(gpnav, directory, make_big_study(gpnav, directory, 1000))
        worker = Worker(Study.get(server.url, "big", token=server.token), 0.5)
        worker.start()
        time.sleep(5)
        perf = subprocess.Popen(["perf", "record", "-g", "-o", "perf.data", "-p", str(server.process.pid)],
                                stderr=subprocess.DEVNULL) if os.environ.get("PERF") else None
        try:
            for with_viewers in (False, True, False, True):
                rates = RATES if options.path == "ALL" else {options.path: options.rate}
                clients = [Viewer(server, rates, seed=k) for k in range(10)] if with_viewers else []
                before, started = cpu_seconds(server.process.pid), time.monotonic()
                for client in clients:
                    client.start()
                time.sleep(20)
                for client in clients:
                    client.stop.set()
                cpu, elapsed = cpu_seconds(server.process.pid) - before, time.monotonic() - started
                for client in clients:
                    client.join(60)
                print(f"{'with' if with_viewers else 'without'} viewers: {sum(c.sent for c in clients)} requests, "
                      f"server CPU {100 * cpu / elapsed:.1f} % of a core", flush=True)
        finally:
            if perf:
                perf.send_signal(2)
                perf.wait()
            worker.stop.set()
            server.stop()


if __name__ == "__main__":
    main()
