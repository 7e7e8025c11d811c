"""A trial's heartbeat, sent on a thread of its own while the trial trains."""

from __future__ import annotations

import threading
from typing import Callable, Optional

from .errors import APIError, GPNavError

MIN_INTERVAL_SECONDS = 0.05
MAX_INTERVAL_SECONDS = 3600.0


def heartbeat_interval(lease_seconds: float) -> float:
    """A third of the lease, so that two heartbeats may be lost before the server gives the trial
    up; bounded, whatever the server answered."""
    return min(MAX_INTERVAL_SECONDS, max(MIN_INTERVAL_SECONDS, lease_seconds / 3.0))


class Heartbeat:
    """Calls `send` every `interval_seconds` until ``stop()``.

    A failure to reach the server is kept in ``error`` and the next beat tries again (each beat
    already retries with backoff). A refusal (``APIError``: the trial is no longer running, was
    reaped, or the token was changed) ends the beats: there is nothing left to keep alive, and
    ``lost`` says so.
    """

    def __init__(self, send: Callable[[], None], interval_seconds: float, name: str = "gpnav-heartbeat"):
        self._send = send
        self.interval_seconds = interval_seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.error: Optional[GPNavError] = None
        self.lost = False
        self.beats = 0

    def start(self) -> "Heartbeat":
        self._thread.start()
        return self

    def stop(self, wait_seconds: float = 5.0) -> None:
        """Stops the beats; waits up to `wait_seconds` for a beat in flight to end."""
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait_seconds)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval_seconds):
            try:
                self._send()
                self.beats += 1
            except APIError as error:
                self.error, self.lost = error, True
                return
            except GPNavError as error:
                self.error = error
