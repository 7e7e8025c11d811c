"""Two gpnav builds asked alike, interleaved so that both run under the same machine load.

    python3 Experiments/service/compare.py --before OLD/gpnav --after .build/release/gpnav

Fills one study with `--size` complete trials (through the API, with the `--after` build), then for
each round runs 1 client (40 asks) and 8 clients (8 asks each) against each build, each on a fresh
copy of the filled database: every client loops ask then tell as in load.py. Prints ask p50 and p99
and the server's CPU time (user + system, /proc) per ask and tell, which depends much less on the
load of a shared machine than the latencies do; the CPU time includes the hyperparameter searches the
asks start in the background.
"""
import argparse, os, shutil, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402  (the server start, fill and ask-and-tell of the load experiment)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(gpnav, db, clients, asks):
    process, port = load.start_server(gpnav, db)
    try:
        load.ask_and_tell(load.Client(port), "warm-up")  # the planner is made on the first ask
        started_cpu = cpu_seconds(process.pid)
        latencies, lock = [], threading.Lock()

        def client(index):
            connection, mine = load.Client(port), []
            for _ in range(asks):
                mine.append(load.ask_and_tell(connection, f"client-{index}"))
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        used = cpu_seconds(process.pid) - started_cpu
        return load.percentile(latencies, 0.5), load.percentile(latencies, 0.99), used / len(latencies), len(latencies)
    finally:
        load.stop_server(process)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default=".build/release/gpnav")
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    work = tempfile.mkdtemp(prefix="gpnav-service-compare-")
    try:
        filled = os.path.join(work, "filled.sqlite")
        load.fill(arguments.after, filled, arguments.size)
        print(f"| build | clients | asks | ask p50 ms | ask p99 ms | server CPU ms per ask+tell | load average |")
        print("|---|---|---|---|---|---|---|")
        for round_ in range(arguments.rounds):
            for clients, asks in ((1, 40), (8, 8)):
                for name, gpnav in (("before", arguments.before), ("after", arguments.after)):
                    db = load.copy_db(filled, work, f"{name}-{clients}-{round_}.sqlite")
                    p50, p99, cpu, count = run(gpnav, db, clients, asks)
                    print(f"| {name} | {clients} | {count} | {p50 * 1e3:.1f} | {p99 * 1e3:.1f} | {cpu * 1e3:.1f} "
                          f"| {os.getloadavg()[0]:.1f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
