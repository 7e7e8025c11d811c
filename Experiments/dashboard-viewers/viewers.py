"""Ten dashboard viewers on a study of 1,000 trials: the page's requests per viewer per minute, and
the ask latency of a worker without viewers, with them, and without them again.

It creates a study `big` (300 M MACs budget) and imports 1,000 complete trials into it (random
architectures of the default space, a closed-form accuracy: a stand-in, not training), starts
`gpnav serve` on it with a token, and runs one worker that asks, tells and waits a second, in
three phases of --seconds each: no viewers; --viewers windows of one headless Chromium, each
signed in and showing the study (the real page, polling as it does); no viewers again. Requests
are counted from the server's own /metrics (gpnav_requests_total by route and status) over the
viewers' phase, less the worker's routes.

Usage: .venv-ci/bin/python Experiments/dashboard-viewers/viewers.py --gpnav .build/debug/gpnav
(a Full build; Chromium, chromedriver and Selenium as for python/tests/test_dashboard_browser.py)."""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "client"))

from gpnav_client import Study  # noqa: E402
from gpnav_serve import start_server  # noqa: E402
from headless_chromium import start_chromium  # noqa: E402

METRIC = re.compile(r'^gpnav_requests_total\{method="(\w+)",route="([^"]+)",status="(\d+)"\} (\d+)', re.M)
WORKER_ROUTES = ("/v1/studies/{name}/suggestions", "/v1/studies/{name}/trials/{number}/complete", "/metrics")


def toy_accuracy(resolution: int, width: float, mv2: list, vit: list) -> float:
    """A closed-form stand-in for training (not training)."""
    return round(50 + 20 * width + resolution / 32 + sum(mv2) / 4 + sum(vit) / 8, 3)


def write_trials(path: str, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["resolution", "width", "mv2_depths", "vit_depths", "accuracy"])
        for _ in range(count):
            resolution = rng.choice([128, 160, 192, 224, 256, 288])
            width = rng.choice([0.5, 0.625, 0.75, 0.875, 1.0])
            mv2 = [rng.randint(1, 2), rng.randint(1, 3)]
            vit = [rng.randint(1, 2), rng.randint(1, 4), rng.randint(1, 3)]
            writer.writerow([resolution, width, ",".join(map(str, mv2)), ",".join(map(str, vit)),
                             toy_accuracy(resolution, width, mv2, vit)])


def request_counts(server) -> dict:
    request = urllib.request.Request(server.url + "/metrics", headers={"Authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read().decode()
    return {(route, status): int(count) for _, route, status, count in METRIC.findall(text)}


class Worker(threading.Thread):
    """Asks, tells and waits a second, recording each ask's seconds under the current phase."""

    def __init__(self, study: Study):
        super().__init__(daemon=True)
        self.study, self.phase, self.stop = study, "none", threading.Event()
        self.asks: dict = {}

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            trial = self.study.ask(worker="bench-worker")
            seconds = time.monotonic() - started
            self.asks.setdefault(self.phase, []).append(seconds)
            progress(f"ask {seconds:.2f} s ({self.phase})")
            config = trial.config
            trial.tell(toy_accuracy(config["resolution"], config["width"], config["mv2_depths"], config["vit_depths"]))
            self.stop.wait(1.0)


def open_viewers(server, count: int, trials: int):
    driver = start_chromium(width=1280, height=900)
    for index in range(count):
        if index:
            driver.switch_to.new_window("window")
        driver.get(server.url + "/#study=big")
        deadline = time.monotonic() + 300
        while not driver.find_element("id", "login").is_displayed():
            if time.monotonic() > deadline:
                raise RuntimeError("no login form")
            time.sleep(0.2)
        driver.find_element("id", "token").send_keys(server.token + "\n")
        progress(f"viewer {index + 1} signed in")
    for handle in driver.window_handles:
        driver.switch_to.window(handle)
        deadline = time.monotonic() + 600
        while len(driver.find_elements("css selector", "#trials-table tbody tr")) < trials:
            if time.monotonic() > deadline:
                raise RuntimeError("a viewer did not show the trials")
            time.sleep(0.5)
        progress(f"viewer {handle} shows the trials")
    states = [driver.execute_script("return document.visibilityState") for _ in [0]]
    return driver, states


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def summary(values: list) -> str:
    if not values:
        return "no asks"
    ordered = sorted(values)
    return (f"{len(values)} asks, median {statistics.median(ordered) * 1000:.0f} ms, "
            f"p90 {ordered[int(0.9 * (len(ordered) - 1))] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpnav", default=".build/debug/gpnav")
    parser.add_argument("--viewers", type=int, default=10)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    os.environ["GPNAV_BIN"] = os.path.abspath(options.gpnav)
    with tempfile.TemporaryDirectory() as directory:
        database = os.path.join(directory, "studies.sqlite")
        subprocess.run([options.gpnav, "studies", "create", "big", "--macs", "300M", "--trials", "100000",
                        "--db", database], check=True, stdout=subprocess.DEVNULL)
        write_trials(os.path.join(directory, "trials.csv"), options.trials)
        subprocess.run([options.gpnav, "import", os.path.join(directory, "trials.csv"), "--study", "big",
                        "--db", database], check=True, stdout=subprocess.DEVNULL)
        progress("study imported")
        server = start_server(directory)
        driver = None
        try:
            worker = Worker(Study.get(server.url, "big", token=server.token))
            worker.phase = "warm-up"
            worker.start()
            time.sleep(5)
            worker.phase = "no viewers"
            time.sleep(options.seconds)
            worker.phase = "opening viewers"
            driver, visibility = open_viewers(server, options.viewers, options.trials)
            before = request_counts(server)
            worker.phase = f"{options.viewers} viewers"
            started = time.monotonic()
            time.sleep(options.seconds)
            after = request_counts(server)
            minutes = (time.monotonic() - started) / 60
            worker.phase = "closing viewers"
            driver.quit()
            driver = None
            worker.phase = "no viewers again"
            time.sleep(options.seconds)
            worker.stop.set()
            worker.join(60)
        finally:
            if driver:
                driver.quit()
            server.stop()
    print(f"study of {options.trials} imported trials plus the worker's; {options.viewers} viewers "
          f"(visibility: {visibility[0]}); phases of {options.seconds:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f}")
    for phase in ("no viewers", f"{options.viewers} viewers", "no viewers again"):
        print(f"ask latency, {phase}: {summary(worker.asks.get(phase, []))}")
    total = 0
    print("viewer requests per viewer per minute, by route and status:")
    for key in sorted(set(after) | set(before)):
        route, status = key
        count = after.get(key, 0) - before.get(key, 0)
        if count and route not in WORKER_ROUTES:
            total += count
            print(f"  {route} {status}: {count / options.viewers / minutes:.1f}")
    print(f"  all: {total / options.viewers / minutes:.1f}")


if __name__ == "__main__":
    main()
