"""A real `gpnav serve` for the client's tests: loopback, a free port, a temporary SQLite file
and a token; or a `gpnav dashboard` on a database; stopped with SIGTERM (then SIGKILL) when the
test is done."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass

from conftest import gpnav_binary

_LISTENING = re.compile(r"gpnav: listening on (http://\S+)")


@dataclass
class RunningServer:
    url: str
    token: str
    process: subprocess.Popen
    log_path: str

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def start_server(directory: str, stale_after: float = 120, startup_seconds: float = 60) -> RunningServer:
    """Starts `gpnav serve` on 127.0.0.1, port 0, with a database in `directory` and a fresh token
    (passed in GPNAV_TOKEN, never on the command line); returns once it listens."""
    token = secrets.token_hex(16)
    return _start(["serve", "--host", "127.0.0.1", "--port", "0", "--stale-after", repr(stale_after),
                   "--db", os.path.join(directory, "studies.sqlite")],
                  directory, token, startup_seconds)


def start_dashboard(directory: str, database: str, startup_seconds: float = 60) -> RunningServer:
    """Starts `gpnav dashboard --db DATABASE` on 127.0.0.1, port 0, without a token (loopback);
    its log goes to `directory`; returns once it listens."""
    return _start(["dashboard", "--port", "0", "--db", database], directory, "", startup_seconds)


def _start(arguments: list, directory: str, token: str, startup_seconds: float) -> RunningServer:
    binary = gpnav_binary()
    if not os.access(binary, os.X_OK):
        raise RuntimeError(f"no gpnav binary at {binary}: run 'swift build' first or set GPNAV_BIN")
    log_path = os.path.join(directory, f"{arguments[0]}.log")
    environment = {key: value for key, value in os.environ.items() if key not in ("GPNAV_DB", "GPNAV_TOKEN")}
    if token:
        environment["GPNAV_TOKEN"] = token
    # The log goes to a file: a pipe nobody reads would stop the server once it is full.
    with open(log_path, "wb") as log:
        process = subprocess.Popen([binary] + arguments, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   env=environment)
    server = RunningServer(url="", token=token, process=process, log_path=log_path)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        found = _LISTENING.search(server.log())
        if found:
            server.url = found.group(1)
            return server
        if process.poll() is not None:
            raise RuntimeError(f"gpnav {arguments[0]} exited with {process.returncode}: {server.log()[-2000:]}")
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"gpnav {arguments[0]} did not listen within {startup_seconds} s: {server.log()[-2000:]}")
