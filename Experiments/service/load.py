#!/usr/bin/env python3
"""Load on `gpnav serve` over loopback: ask latency (p50, p99) and tells per second with 1, 8 and
32 concurrent clients on studies of 50, 200 and 1000 complete trials; heartbeats per second (wrk);
ask latency against the number of idle workers holding running trials; /healthz latency while
asks run. Standard library only; every request loop is bounded in count and time.

    python3 Experiments/service/load.py --gpnav .build/release/gpnav
"""
import argparse, http.client, json, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time

BUDGET = {"macs": 300_000_000}
# The study's target of complete trials: the most a study may aim at (StudySettings.targetTrialsRange),
# far above any fill plus the asks after it, so that asking never ends on a reached target.
TARGET_TRIALS = 100_000


def start_server(gpnav, db, lease=600):
    process = subprocess.Popen([gpnav, "serve", "--db", db, "--port", "0", "--stale-after", str(lease)],
                               stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()  # gpnav: listening on http://127.0.0.1:PORT
    if "listening on" not in line:
        raise SystemExit(f"gpnav serve did not start: {line}")
    return process, int(line.strip().rsplit(":", 1)[1])


def stop_server(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


class Client:
    """One keep-alive connection, like one worker."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None):
        started = time.perf_counter()
        self.connection.request(method, path, body=json.dumps(body) if body is not None else None,
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - started
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
        return (json.loads(data) if data else None), seconds


def score(trial):  # a smooth stand-in for training; only the server's work is measured
    architecture = trial["architecture"]
    return 50 + 10 * architecture["width"] + architecture["resolution"] / 100


def ask_and_tell(client, worker):
    answer, seconds = client.call("POST", "/v1/studies/load/suggestions", {"worker": worker})
    trial = answer["trials"][0]
    client.call("POST", f"/v1/studies/load/trials/{trial['number']}/complete", {"accuracy": score(trial)})
    return seconds


def fill(gpnav, db, n):
    """A study `load` with n complete trials, filled through the API by one client."""
    if n >= TARGET_TRIALS:
        raise SystemExit(f"a study of {n} trials leaves no asks below the target of {TARGET_TRIALS}")
    process, port = start_server(gpnav, db)
    try:
        client = Client(port)
        client.call("POST", "/v1/studies", {"name": "load", "budget": BUDGET, "trials": TARGET_TRIALS})
        started = time.perf_counter()
        for _ in range(n):
            ask_and_tell(client, "filler")
        return time.perf_counter() - started
    finally:
        stop_server(process)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def copy_db(source, directory, name):
    target = os.path.join(directory, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(source + suffix):
            shutil.copyfile(source + suffix, target + suffix)
    return target


def measure(gpnav, db, clients, asks_per_client, idle_workers=0):
    """Each client asks and tells `asks_per_client` times; /healthz is probed every 20 ms meanwhile."""
    process, port = start_server(gpnav, db)
    try:
        for index in range(idle_workers):  # idle workers: hold a running trial each, never tell
            Client(port).call("POST", "/v1/studies/load/suggestions", {"worker": f"idle-{index}"})
        latencies, health, errors = [], [], []
        lock, done = threading.Lock(), threading.Event()

        def run(index):
            client, mine = Client(port), []
            try:
                for _ in range(asks_per_client):
                    mine.append(ask_and_tell(client, f"client-{index}"))
            except Exception as error:  # reported below; the run is then invalid
                errors.append(str(error))
            with lock:
                latencies.extend(mine)

        def probe():
            client = Client(port)
            while not done.wait(0.02):
                health.append(client.call("GET", "/healthz")[1])

        prober = threading.Thread(target=probe)
        prober.start()
        threads = [threading.Thread(target=run, args=(index,)) for index in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        done.set()
        prober.join()
        if errors:
            raise SystemExit(f"errors under load: {errors[:3]}")
        return {"p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99), "asks": len(latencies),
                "tells_per_s": len(latencies) / elapsed, "health_p99": percentile(health, 0.99) if health else 0,
                "health_max": max(health) if health else 0}
    finally:
        stop_server(process)


def heartbeats(gpnav, db, connections=32, seconds=5):
    """wrk: `connections` workers each heartbeating its own running trial as fast as it can."""
    process, port = start_server(gpnav, db)
    try:
        numbers = [Client(port).call("POST", "/v1/studies/load/suggestions", {"worker": f"hb-{index}"})[0]
                   ["trials"][0]["number"] for index in range(connections)]
        script = os.path.join(os.path.dirname(db), "heartbeat.lua")
        with open(script, "w") as lua:
            lua.write("local numbers = {" + ",".join(map(str, numbers)) + "}\n"
                      "local counter = 0\n"
                      "function setup(thread) thread:set('offset', counter); counter = counter + 1 end\n"
                      "local i = 0\n"
                      "request = function()\n"
                      "  i = i + 1\n"
                      "  local n = numbers[(i + offset * 7) % #numbers + 1]\n"
                      "  return wrk.format('POST', '/v1/studies/load/trials/' .. n .. '/heartbeat')\n"
                      "end\n"
                      "done = function(summary, latency, requests)\n"
                      "  io.write(string.format('NON2XX %d\\n', summary.errors.status))\n"
                      "end\n")
        output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                                 f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 30).stdout
        rate = float(next(line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec")))
        non2xx = int(next(line.split()[1] for line in output.splitlines() if line.startswith("NON2XX")))
        p99 = next((line.split()[1] for line in output.splitlines() if line.strip().startswith("99%")), "?")
        return rate, non2xx, p99
    finally:
        stop_server(process)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpnav", default=".build/release/gpnav")
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--clients", default="1,8,32")
    arguments = parser.parse_args()
    sizes = [int(value) for value in arguments.sizes.split(",")]
    client_counts = [int(value) for value in arguments.clients.split(",")]
    work = tempfile.mkdtemp(prefix="gpnav-service-load-")
    try:
        filled = {}
        print("| complete trials | fill time s (one client, ask+tell each) |\n|---|---|")
        for n in sizes:
            filled[n] = os.path.join(work, f"filled-{n}.sqlite")
            print(f"| {n} | {fill(arguments.gpnav, filled[n], n):.1f} |", flush=True)
        print("\n| complete trials | clients | asks | ask p50 ms | ask p99 ms | tells/s | /healthz p99 ms | /healthz max ms |")
        print("|---|---|---|---|---|---|---|---|")
        for n in sizes:
            for clients in client_counts:
                db = copy_db(filled[n], work, f"run-{n}-{clients}.sqlite")
                result = measure(arguments.gpnav, db, clients, max(4, 64 // clients) if clients > 1 else 40)
                print(f"| {n} | {clients} | {result['asks']} | {result['p50'] * 1e3:.1f} | {result['p99'] * 1e3:.1f} "
                      f"| {result['tells_per_s']:.1f} | {result['health_p99'] * 1e3:.1f} | {result['health_max'] * 1e3:.1f} |",
                      flush=True)
        middle = 200 if 200 in filled else sizes[0]
        print(f"\nIdle workers (each holds one running trial) against one client's ask latency, {middle} complete trials:\n")
        print("| idle workers | asks | ask p50 ms | ask p99 ms |\n|---|---|---|---|")
        for idle in (0, 32, 128):
            db = copy_db(filled[middle], work, f"idle-{idle}.sqlite")
            result = measure(arguments.gpnav, db, 1, 30, idle_workers=idle)
            print(f"| {idle} | {result['asks']} | {result['p50'] * 1e3:.1f} | {result['p99'] * 1e3:.1f} |", flush=True)
        db = copy_db(filled[middle], work, "heartbeats.sqlite")
        rate, non2xx, p99 = heartbeats(arguments.gpnav, db)
        print(f"\nHeartbeats (wrk, 2 threads, 32 connections, 5 s, {middle} complete trials): "
              f"{rate:.0f} per second, p99 {p99}, non-2xx {non2xx}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
