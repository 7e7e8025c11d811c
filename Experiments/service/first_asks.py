#!/usr/bin/env python3
"""The first asks after `gpnav serve` starts: a study of N complete trials (default 200) is filled once
through the API, then for each round a fresh server opens a copy of it and one client asks and
tells 5 times. Prints each round's five ask+tell times (ms); the first is the turn that builds the
study's planner. Standard library only; uses load.py's helpers.

    python3 Experiments/service/first_asks.py --gpnav .build/release/gpnav [--trials 200] [--rounds 4]
"""
import argparse, os, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpnav", default=".build/release/gpnav")
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="gpnav-first-asks-")
    filled = os.path.join(directory, "filled.sqlite")
    load.fill(args.gpnav, filled, args.trials)
    print(f"first asks at {args.trials} trials, ms per ask+tell (fresh server each round):")
    for round_index in range(args.rounds):
        process, port = load.start_server(args.gpnav, load.copy_db(filled, directory, f"round{round_index}.sqlite"))
        try:
            client = load.Client(port)
            times = [load.ask_and_tell(client, "w") * 1000 for _ in range(5)]
        finally:
            load.stop_server(process)
        print(" ".join(f"{t:.1f}" for t in times))


if __name__ == "__main__":
    main()
