"""How long to keep trying a server that does not answer."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class RetryPolicy:
    """Up to `attempts` tries of a request that met a connection error or a 5xx answer, waiting
    `initial_seconds`, then twice as long each time up to `max_seconds`, each wait drawn between
    half and all of that ("equal jitter", so that workers restarted together do not knock together).

    The defaults ride out a server restart of about a minute and a half. Every route of the API may
    be retried safely: asking again returns the worker's own running trials first, the same result
    again is accepted, and a heartbeat or a created study is the same when repeated.
    """

    attempts: int = 8
    initial_seconds: float = 0.5
    max_seconds: float = 30.0

    def __post_init__(self) -> None:
        if not isinstance(self.attempts, int) or isinstance(self.attempts, bool) or self.attempts < 1:
            raise ValueError(f"attempts must be an integer of at least 1, not {self.attempts!r}")
        for name in ("initial_seconds", "max_seconds"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number of seconds >= 0, not {value!r}")

    def wait_seconds(self, failures: int, retry_after: Optional[float] = None,
                     draw: "random.Random | None" = None) -> float:
        """Seconds to wait after the `failures`-th failure (1 for the first); a server's
        `Retry-After` is honoured up to `max_seconds`."""
        if retry_after is not None and math.isfinite(retry_after) and retry_after >= 0:
            return min(retry_after, self.max_seconds)
        ceiling = min(self.max_seconds, self.initial_seconds * 2.0 ** min(failures - 1, 60))
        return ceiling * (0.5 + 0.5 * (draw or random).random())
