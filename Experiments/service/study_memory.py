"""Resident memory of `gpnav serve` as it serves more and more studies (standard library only).

Starts `gpnav serve` on a free loopback port over a fresh database; then, study after study,
creates it (300 M MACs budget), asks for a trial and tells its result, `--trials` times. After
every `--every` studies it reads the server's resident memory (VmRSS of /proc/PID/status) and its
peak (VmHWM). Prints a Markdown table. Each study's session (candidate pool, planner, model) is
what a server keeps between asks; a server that bounds its open studies (`--max-open-studies`,
`--study-cache-memory`) stays flat, one that keeps every study grows with their number.

    python3 Experiments/service/study_memory.py --gpnav .build/debug/gpnav --studies 1000 --trials 2
    python3 Experiments/service/study_memory.py --gpnav OLD --studies 1000 --trials 2
"""
import argparse, json, subprocess, sys, tempfile, time, urllib.request

from serve_log import wait_for_port


def rss(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpnav", required=True)
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=2, help="trials asked for and told per study")
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("serve_args", nargs="*", help="more `gpnav serve` options, after --")
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="gpnav-study-memory-")
    # The server's log (one line per request on a new build) goes to a file, never to a full pipe.
    log = open(f"{directory}/serve.log", "w+")
    server = subprocess.Popen([args.gpnav, "serve", "--db", f"{directory}/s.sqlite", "--port", "0", *args.serve_args],
                              stderr=log, stdout=subprocess.DEVNULL)
    try:
        port = wait_for_port(f"{directory}/serve.log")

        def call(path, body):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(request, timeout=600) as response:
                return json.load(response)

        print(f"`{' '.join(sys.argv[1:])}`\n")
        print("| studies | RSS MiB | peak RSS MiB | s per study (last block) |")
        print("|---|---|---|---|")
        current, peak = rss(server.pid)
        print(f"| 0 | {current / 2**20:.0f} | {peak / 2**20:.0f} | |", flush=True)
        started = time.monotonic()
        for index in range(1, args.studies + 1):
            name = f"study-{index:04d}"
            call("/v1/studies", {"name": name, "budget": {"macs": 300_000_000}, "trials": args.trials + 8})
            for _ in range(args.trials):
                trial = call(f"/v1/studies/{name}/suggestions", {"worker": "bench"})["trials"][0]
                call(f"/v1/studies/{name}/trials/{trial['number']}/complete", {"accuracy": 60 + trial["number"]})
            if index % args.every == 0:
                current, peak = rss(server.pid)
                seconds = (time.monotonic() - started) / args.every
                started = time.monotonic()
                print(f"| {index} | {current / 2**20:.0f} | {peak / 2**20:.0f} | {seconds:.2f} |", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
