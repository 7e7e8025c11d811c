"""Connection exhaustion: `gpnav serve` under `ulimit -n 256` with 300 idle sockets open.

Starts the server (defaults for every limit) in a shell with `ulimit -n 256`, opens `--sockets`
TCP connections that send nothing, then times `GET /healthz` (20 s at most). A server that
never closes idle connections runs out of descriptors and places, and `/healthz` waits; one
that caps its connections and closes the longest idle one at the cap answers at once.
Standard library only; loopback only; closes everything it opened.

    python3 Experiments/service/connection_exhaustion.py --gpnav .build/debug/gpnav
"""
import argparse, socket, subprocess, tempfile, time, urllib.request

from serve_log import wait_for_port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpnav", required=True)
    parser.add_argument("--sockets", type=int, default=300)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="gpnav-exhaustion-")
    log = open(f"{directory}/serve.log", "w+")
    server = subprocess.Popen(["bash", "-c", f'ulimit -n 256; exec "$0" serve --db "$1" --port 0',
                               args.gpnav, f"{directory}/s.sqlite"], stderr=log, stdout=subprocess.DEVNULL)
    sockets = []
    try:
        port = wait_for_port(f"{directory}/serve.log")
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(args.sockets)]
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=20) as response:
                print(f"/healthz {response.status} after {time.monotonic() - started:.2f} s "
                      f"with {args.sockets} idle sockets open")
        except OSError as error:
            print(f"/healthz no answer after {time.monotonic() - started:.2f} s ({error})")
    finally:
        for connection in sockets:
            connection.close()
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
