"""The port a `gpnav serve` started with `--port 0` listens on, read from its log file."""
import re, sys, time

_LISTENING = re.compile(r"listening on http://[^:]+:(\d+)")


def wait_for_port(log_path, seconds=60):
    """The port named in the server's `gpnav: listening on http://HOST:PORT` line; exits with the
    log's tail when the line has not appeared within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(log_path) as log:
            match = _LISTENING.search(log.read())
        if match:
            return int(match.group(1))
        time.sleep(0.1)
    with open(log_path) as log:
        sys.exit("gpnav serve did not start: " + log.read()[-500:])
