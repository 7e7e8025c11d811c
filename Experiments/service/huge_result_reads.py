"""Time of `GET /v1/studies/NAME` when one trial of the study holds a huge result.

A server that accepts any result (`--fill-with`, e.g. a build from before the result limits)
stores 25,000 metrics and 64 KiB of output with one trial of a 10-trial study. Then each binary
given with `--gpnav` is started on a copy of that database, and on a copy of the same study
without the huge result, and the study read is timed (median and max of `--reads` reads).
Standard library only; loopback only.

    python3 Experiments/service/huge_result_reads.py --fill-with OLD --gpnav OLD --gpnav NEW
"""
import argparse, json, shutil, statistics, subprocess, tempfile, time, urllib.request

from serve_log import wait_for_port


class Server:
    def __init__(self, binary, database):
        self.log = open(database + ".log", "w+")
        self.process = subprocess.Popen([binary, "serve", "--db", database, "--port", "0"],
                                        stderr=self.log, stdout=subprocess.DEVNULL)
        self.port = wait_for_port(database + ".log")

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.load(response)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def fill(binary, directory, huge):
    database = f"{directory}/{'huge' if huge else 'plain'}.sqlite"
    server = Server(binary, database)
    server.call("POST", "/v1/studies", {"name": "s", "budget": {"macs": 300_000_000}, "trials": 10})
    for index in range(10):
        number = server.call("POST", "/v1/studies/s/suggestions", {"worker": "w"})["trials"][0]["number"]
        body = {"accuracy": 60 + index / 10, "metrics": {"loss": 1.0}}
        if huge and index == 0:
            body = {"accuracy": 60, "metrics": {f"m{k}": float(k) for k in range(25_000)}, "output": "x" * 65_536}
        server.call("POST", f"/v1/studies/s/trials/{number}/complete", body)
    server.stop()
    return database


def measure(binary, database, reads):
    copy = database.replace(".sqlite", f"-{abs(hash(binary))}.sqlite")
    shutil.copy(database, copy)
    server = Server(binary, copy)
    server.call("GET", "/v1/studies/s")
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        server.call("GET", "/v1/studies/s")
        times.append((time.perf_counter() - started) * 1000)
    server.stop()
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill-with", required=True, help="a gpnav that accepts the huge result")
    parser.add_argument("--gpnav", action="append", required=True)
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="gpnav-huge-result-")
    plain, huge = fill(args.fill_with, directory, False), fill(args.fill_with, directory, True)
    print("| binary | study read, plain (median / max ms) | with the huge result (median / max ms) | ratio of medians |")
    print("|---|---|---|---|")
    for binary in args.gpnav:
        (plain_median, plain_max), (huge_median, huge_max) = measure(binary, plain, args.reads), measure(binary, huge, args.reads)
        print(f"| `{binary}` | {plain_median:.1f} / {plain_max:.1f} | {huge_median:.1f} / {huge_max:.1f} | "
              f"{huge_median / plain_median:.1f} |", flush=True)


if __name__ == "__main__":
    main()
