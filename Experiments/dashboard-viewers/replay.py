"""Ten dashboard viewers on a study of 1,000 trials, measured cleanly: the ask latency of a worker
and the server's CPU with and without the viewers, side by side.

1. It creates a study `big` (300 M MACs budget) with 1,000 imported complete trials (random
   architectures, a closed-form accuracy: a stand-in, not training) and starts `gpnav serve` on it
   with a token. One worker asks, tells at once and waits --pause seconds
   throughout, so the study changes as a live one does.
2. Once, one headless Chromium window signs in and shows the study for --browser-seconds: every
   request the page makes is counted from its Resource Timing entries, by path and query. That is
   the page's request rate per viewer per minute.
3. Then the browser is closed, and blocks of --block-seconds alternate, --pairs times each: no
   viewers; --viewers light HTTP clients (Python threads with a keep-alive connection each, no
   browser) that replay exactly those paths at the measured rates, each with the page's
   If-None-Match, so an unchanged answer is a 304 as it is for the page. For every block: the
   worker's ask latencies, the server process's CPU seconds (from /proc), the load average.

Usage: .venv-ci/bin/python Experiments/dashboard-viewers/replay.py --gpnav .build/release/gpnav
(a Full release build; Chromium, chromedriver and Selenium as for python/tests/test_dashboard_browser.py).
Everything listens on 127.0.0.1 and stops by itself."""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "client"))
sys.path.insert(0, HERE)

from gpnav_client import Study  # noqa: E402
from headless_chromium import start_chromium  # noqa: E402
from viewers import toy_accuracy, write_trials  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process `pid` and its threads (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def make_big_study(gpnav: str, directory: str, trials: int) -> str:
    """Creates the study `big` (300 M MACs budget) in a new SQLite file in `directory` with `trials`
    imported complete trials, and returns the file's path."""
    database = os.path.join(directory, "studies.sqlite")
    subprocess.run([gpnav, "studies", "create", "big", "--macs", "300M", "--trials", "100000", "--db", database],
                   check=True, stdout=subprocess.DEVNULL)
    write_trials(os.path.join(directory, "trials.csv"), trials)
    subprocess.run([gpnav, "import", os.path.join(directory, "trials.csv"), "--study", "big", "--db", database],
                   check=True, stdout=subprocess.DEVNULL)
    return database


class Server:
    def __init__(self, gpnav: str, directory: str, database: str):
        self.token = secrets.token_hex(16)
        self.log_path = os.path.join(directory, "serve.log")
        environment = {k: v for k, v in os.environ.items() if k not in ("GPNAV_DB", "GPNAV_TOKEN")}
        environment["GPNAV_TOKEN"] = self.token
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([gpnav, "serve", "--port", "0", "--db", database, "--log-level", "warning"],
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=environment)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for line in self.lines():
                if line.startswith("gpnav: listening on "):
                    self.url = line.split()[-1]
                    self.port = int(self.url.rsplit(":", 1)[1])
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gpnav serve did not start")

    def lines(self) -> list:
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class Worker(threading.Thread):
    """Asks, tells at once and waits `pause` seconds, recording each ask's seconds under the current block."""

    def __init__(self, study: Study, pause: float):
        super().__init__(daemon=True)
        self.study, self.pause, self.block, self.stop = study, pause, "warm-up", threading.Event()
        self.asks: dict = {}
        self.times: dict = {}

    def run(self) -> None:
        while not self.stop.is_set():
            block = self.block
            started = time.monotonic()
            trial = self.study.ask(worker="bench-worker")
            self.asks.setdefault(block, []).append(time.monotonic() - started)
            self.times.setdefault(block, []).append(started)
            config = trial.config
            trial.tell(toy_accuracy(config["resolution"], config["width"], config["mv2_depths"], config["vit_depths"]))
            self.stop.wait(self.pause)


def measure_browser(server: Server, seconds: float, trials: int) -> tuple:
    """Requests per minute of one signed-in window on the study, by URL path and query: the page's
    own fetches, as its Resource Timing entries list them (the access log keeps no queries)."""
    driver = start_chromium(width=1280, height=900)
    try:
        driver.get(server.url + "/#study=big")
        deadline = time.monotonic() + 120
        while not driver.find_element("id", "login").is_displayed():
            if time.monotonic() > deadline:
                raise RuntimeError("no login form")
            time.sleep(0.2)
        driver.find_element("id", "token").send_keys(server.token + "\n")
        while len(driver.find_elements("css selector", "#trials-table tbody tr")) < trials:
            if time.monotonic() > deadline:
                raise RuntimeError("the page did not show the trials")
            time.sleep(0.5)
        progress("the browser shows the study; counting its requests")
        since = driver.execute_script("performance.setResourceTimingBufferSize(100000); return performance.now();")
        started = time.monotonic()
        time.sleep(seconds)
        entries = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(e => e.startTime >= arguments[0])"
            ".map(e => [e.name, e.responseStatus || 0]);", since)
        minutes = (time.monotonic() - started) / 60
        visibility = driver.execute_script("return document.visibilityState")
    finally:
        driver.quit()
    counts: dict = {}
    for url, status in entries:
        if not url.startswith(server.url):
            continue
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        counts.setdefault(path, {}).setdefault(status, 0)
        counts[path][status] += 1
    return {path: sum(by.values()) / minutes for path, by in counts.items()}, counts, minutes, visibility


class Viewer(threading.Thread):
    """Sends each path at its rate (per minute), with a random phase, over one keep-alive connection,
    with the last entity tag of each path as If-None-Match."""

    def __init__(self, server: Server, rates: dict, seed: int):
        super().__init__(daemon=True)
        self.server, self.rates, self.stop = server, rates, threading.Event()
        self.random = random.Random(seed)
        self.sent = 0
        self.statuses: dict = {}

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        tags: dict = {}
        now = time.monotonic()
        due = {path: now + self.random.uniform(0, 60 / rate) for path, rate in self.rates.items() if rate > 0}
        while not self.stop.is_set() and due:
            path, when = min(due.items(), key=lambda item: item[1])
            if self.stop.wait(max(0.0, when - time.monotonic())):
                break
            headers = {"Authorization": f"Bearer {self.server.token}"}
            if path in tags:
                headers["If-None-Match"] = tags[path]
            try:
                connection.request("GET", path, headers=headers)
                answer = connection.getresponse()
                answer.read()
                if answer.getheader("ETag"):
                    tags[path] = answer.getheader("ETag")
                self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
                self.statuses["error"] = self.statuses.get("error", 0) + 1
            self.sent += 1
            due[path] = when + 60 / self.rates[path]
        connection.close()


def summary(values: list) -> tuple:
    ordered = sorted(values)
    if not ordered:
        return (0, float("nan"), float("nan"))
    return (len(ordered), statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpnav", default=".build/release/gpnav")
    parser.add_argument("--viewers", type=int, default=10)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--browser-seconds", type=float, default=60)
    parser.add_argument("--block-seconds", type=float, default=30)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.5)
    options = parser.parse_args()
    gpnav = os.path.abspath(options.gpnav)
    with tempfile.TemporaryDirectory() as directory:
        database = make_big_study(gpnav, directory, options.trials)
        server = Server(gpnav, directory, database)
        progress(f"serving {options.trials} trials at {server.url}")
        worker = Worker(Study.get(server.url, "big", token=server.token), options.pause)
        blocks = []
        try:
            worker.start()
            time.sleep(5)
            rates, counts, minutes, visibility = measure_browser(server, options.browser_seconds, options.trials)
            per_viewer = sum(rates.values())
            progress(f"one browser: {per_viewer:.1f} requests a minute over {minutes:.2f} min ({visibility})")
            # A last block without viewers, so that every block with them lies between two without.
            order = [(pair, viewers) for pair in range(options.pairs) for viewers in (0, options.viewers)]
            for pair, viewers in order + [(options.pairs, 0)]:
                name = f"{pair + 1}-{'with' if viewers else 'without'}"
                clients = [Viewer(server, rates, seed=pair * 100 + k) for k in range(viewers)]
                load_before = os.getloadavg()[0]
                cpu_before = cpu_seconds(server.process.pid)
                worker.block = name
                started = time.monotonic()
                for client in clients:
                    client.start()
                time.sleep(options.block_seconds)
                for client in clients:
                    client.stop.set()
                elapsed = time.monotonic() - started
                cpu = cpu_seconds(server.process.pid) - cpu_before
                worker.block = "between"
                for client in clients:
                    client.join(60)
                statuses: dict = {}
                for client in clients:
                    for status, count in client.statuses.items():
                        statuses[status] = statuses.get(status, 0) + count
                blocks.append({"name": name, "viewers": viewers, "seconds": elapsed, "cpu": cpu,
                               "sent": sum(c.sent for c in clients), "statuses": statuses,
                               "load": (load_before + os.getloadavg()[0]) / 2})
                progress(f"block {name}: {summary(worker.asks.get(name, []))[0]} asks, CPU {cpu:.2f} s, "
                         f"{blocks[-1]['sent']} viewer requests {statuses}")
                time.sleep(2)
            worker.stop.set()
            worker.join(60)
        finally:
            worker.stop.set()
            server.stop()
    print(f"study of {options.trials} imported trials plus the worker's (ask, tell, {options.pause} s pause); "
          f"server {options.gpnav}")
    print(f"one browser window ({visibility}) over {minutes:.2f} min: {per_viewer:.1f} requests per minute")
    for path in sorted(counts):
        statuses = ", ".join(f"{status}: {count / minutes:.1f}" for status, count in sorted(counts[path].items()))
        print(f"  {path}  {statuses}")
    print(f"\n{options.pairs} pairs of {options.block_seconds:.0f} s blocks, without and with {options.viewers} replayed viewers, and a last block without:")
    print("| block | viewers | asks | ask median (ms) | ask p95 (ms) | server CPU (% of a core) | viewer requests/min | load |")
    print("|---|---|---|---|---|---|---|---|")
    for block in blocks:
        count, median, p95 = summary(worker.asks.get(block["name"], []))
        print(f"| {block['name']} | {block['viewers']} | {count} | {median:.0f} | {p95:.0f} | "
              f"{100 * block['cpu'] / block['seconds']:.1f} | {60 * block['sent'] / block['seconds']:.0f} | {block['load']:.1f} |")
    for viewers, label in ((0, "without"), (options.viewers, "with")):
        chosen = [b for b in blocks if b["viewers"] == viewers]
        asks = [a for b in chosen for a in worker.asks.get(b["name"], [])]
        count, median, p95 = summary(asks)
        cpu = sum(b["cpu"] for b in chosen) / sum(b["seconds"] for b in chosen)
        print(f"all blocks {label} viewers: {count} asks, median {median:.0f} ms, p95 {p95:.0f} ms, server CPU {100 * cpu:.1f} % of a core")
    without = [b for b in blocks if b["viewers"] == 0]
    with_viewers = [b for b in blocks if b["viewers"] > 0]
    extra = (sum(b["cpu"] for b in with_viewers) / sum(b["seconds"] for b in with_viewers)
             - sum(b["cpu"] for b in without) / sum(b["seconds"] for b in without))
    print(f"server CPU per viewer: {100 * extra / options.viewers:.2f} % of a core")
    # An ask costs more as the study grows (a GP over more trials), and blocks with viewers come
    # later than those before them: the trend is fitted to the asks without viewers (least squares
    # on the time of the ask) and taken out of every ask before the comparison.
    times = [t for b in without for t in worker.times.get(b["name"], [])]
    values = [a for b in without for a in worker.asks.get(b["name"], [])]
    slope, intercept = statistics.linear_regression(times, values) if len(times) > 1 else (0.0, 0.0)
    def detrended(chosen: list) -> list:
        return [a - (slope * t + intercept) + statistics.median(values)
                for b in chosen for a, t in zip(worker.asks.get(b["name"], []), worker.times.get(b["name"], []))]
    print(f"ask latency trend without viewers: {slope * 60_000:+.1f} ms per minute (taken out below)")
    print(measurable(
        detrended(without), detrended(with_viewers),
        [(summary(worker.asks.get(before["name"], []))[1], summary(worker.asks.get(block["name"], []))[1],
          summary(worker.asks.get(after["name"], []))[1])
         for before, block, after in zip(without, with_viewers, without[1:])]))


def measurable(without: list, with_viewers: list, bracketed: list) -> str:
    """Whether the viewers' effect on ask latency is measurable: a two-sided Mann-Whitney U test of
    the (detrended) asks with against without, the difference of the medians with a 95 % bootstrap
    interval (2,000 resamples, seeded), and in how many blocks with viewers the median was above
    the mean of the medians of the two blocks without around it."""
    from scipy.stats import mannwhitneyu

    if not without or not with_viewers:
        return "effect: not measured (a side had no asks)"
    p_value = mannwhitneyu(with_viewers, without, alternative="two-sided").pvalue
    generator = random.Random(20261207)
    differences = sorted(
        statistics.median(generator.choices(with_viewers, k=len(with_viewers)))
        - statistics.median(generator.choices(without, k=len(without)))
        for _ in range(2000))
    low, high = differences[49] * 1000, differences[1949] * 1000
    shift = (statistics.median(with_viewers) - statistics.median(without)) * 1000
    higher = sum(1 for before, block, after in bracketed if block > (before + after) / 2)
    verdict = "measurable" if p_value < 0.05 else "not measurable at the 5 % level"
    return (f"effect on ask latency: median {shift:+.1f} ms (95 % bootstrap interval {low:+.1f} .. {high:+.1f} ms), "
            f"Mann-Whitney U two-sided p = {p_value:.3f}: {verdict}; "
            f"median above the two blocks without around it in {higher} of {len(bracketed)} blocks with viewers")


if __name__ == "__main__":
    main()
