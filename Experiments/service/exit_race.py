#!/usr/bin/env python3
"""Stops `gpnav serve` with SIGTERM right after a burst of asks and tells (or a few seconds later), and
counts the stops after which OpenBLAS printed "BLAS : Bad memory unallocation!" on the server's
stdout: the message of a model search still inside OpenBLAS while the process exits.

    python3 Experiments/service/exit_race.py --gpnav .build/release/gpnav [--rounds 8] [--wait 0]
"""
import argparse, os, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402

MESSAGE = "Bad memory unallocation"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpnav", default=".build/release/gpnav")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--asks", type=int, default=120)
    parser.add_argument("--wait", type=float, default=0.0, help="seconds between the last tell and SIGTERM")
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="gpnav-exit-race-")
    printed = 0
    for round_index in range(args.rounds):
        db = os.path.join(directory, f"round{round_index}.sqlite")
        process = subprocess.Popen([args.gpnav, "serve", "--db", db, "--port", "0"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = process.stderr.readline()
        if "listening on" not in line:
            raise SystemExit(f"gpnav serve did not start: {line}")
        port = int(line.strip().rsplit(":", 1)[1])
        client = load.Client(port)
        client.call("POST", "/v1/studies", {"name": "load", "budget": load.BUDGET, "trials": 10_000})
        for _ in range(args.asks):
            load.ask_and_tell(client, "w")
        if args.wait:
            time.sleep(args.wait)
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=30)
        printed += MESSAGE in stdout
        print(f"stop {round_index + 1}: exit {process.returncode}, {'printed' if MESSAGE in stdout else 'quiet'}", flush=True)
    print(f"{printed} of {args.rounds} stops printed the message")


if __name__ == "__main__":
    main()
