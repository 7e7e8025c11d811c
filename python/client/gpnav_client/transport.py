"""One request to `gpnav serve`: the bearer token only to the server's own origin, redirects
followed only within it, retries with backoff on connection errors and 5xx, typed errors."""

from __future__ import annotations

import http.client
import json
import os
import ssl
import time
import urllib.parse
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple

from .errors import BadReply, RedirectRefused, ServerUnreachable, api_error
from .retry import RetryPolicy
from .server_url import ServerURL, mask_userinfo

_REDIRECTS = {301, 302, 303, 307, 308}
_MAX_REDIRECTS = 5
DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _token_from(token: Optional[str]) -> Optional[str]:
    """The token given, else `GPNAV_TOKEN`, whitespace around it trimmed (as `gpnav serve` reads
    it); None when neither gives one. Its text never appears in an error."""
    source = "the token" if token is not None else "GPNAV_TOKEN"
    value = token if token is not None else os.environ.get("GPNAV_TOKEN", "")
    if not isinstance(value, str):
        raise TypeError(f"the token must be a string, not {type(value).__name__}")
    value = value.strip()
    # A header value carries visible ASCII only; a newline would start a header of its own.
    if any(not 0x21 <= ord(character) <= 0x7E for character in value):
        raise ValueError(f"{source} holds a space, control or non-ASCII character (its text is not shown)")
    return value or None


class Transport:
    """Sends JSON requests to one gpnav server (`server`, a base URL) with a bearer token from
    `token` or the environment variable `GPNAV_TOKEN`.

    - The token goes only to the server's origin (scheme, host, port). A redirect to another
      origin is refused with ``RedirectRefused`` and not followed; within the origin, 307 and 308
      are followed, and 301, 302, 303 for GET only (they would turn a POST into a GET).
    - Connection errors, time-outs and 5xx answers are retried as `retry` says, then raise
      ``ServerUnreachable``; 4xx answers raise the ``APIError`` subclass of their status.
    - `repr()` and every message show the URL with its userinfo masked, and never the token.
    """

    def __init__(self, server: str, token: Optional[str] = None, *, timeout_seconds: float = 60.0,
                 retry: RetryPolicy = RetryPolicy(), max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
                 sleep: Callable[[float], None] = time.sleep):
        self.server = server if isinstance(server, ServerURL) else ServerURL.parse(server)
        if not (isinstance(timeout_seconds, (int, float)) and 0 < timeout_seconds < 1e6):
            raise ValueError(f"timeout_seconds must be a number of seconds between 0 and 1e6, not {timeout_seconds!r}")
        self._token = _token_from(token)
        self.timeout_seconds = float(timeout_seconds)
        self.retry = retry
        self.max_reply_bytes = max_reply_bytes
        self._sleep = sleep

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def __repr__(self) -> str:
        return f"Transport({str(self.server)!r}, token={'***' if self._token else None})"

    def __getstate__(self) -> dict:
        # A pickled client (a Ray searcher saved with its experiment) carries no token: the copy
        # reads GPNAV_TOKEN again where it is restored.
        state = dict(self.__dict__)
        state["_token"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._token = _token_from(None)

    def call(self, method: str, segments: Sequence[str], body: Optional[Mapping[str, Any]] = None,
             query: Optional[Mapping[str, str]] = None) -> Any:
        """Sends `method` to the path of `segments` (each percent-encoded whole) with `body` as
        JSON; returns the parsed JSON answer, or None for 204."""
        path = self.server.path(*segments)
        if query:
            path += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        status, reply, shown = self._with_retries(method, path, data)
        if status == 204 or not reply:
            return None
        try:
            return json.loads(reply.decode("utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise BadReply(f"{shown}: the answer is not JSON ({error})") from None

    def _with_retries(self, method: str, path: str, data: Optional[bytes]) -> Tuple[int, bytes, str]:
        failures = 0
        while True:
            shown = f"{method} {self.server.shown(path)}"
            retry_after: Optional[float] = None
            try:
                status, headers, reply, shown = self._follow(method, path, data)
            except (OSError, http.client.HTTPException) as error:  # refused, reset, time-out, bad status line
                reason = mask_userinfo(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
            else:
                if status < 500:
                    if 200 <= status < 300:
                        return status, reply, shown
                    raise api_error(status, _error_line(reply), shown)
                reason = f"{status} {_error_line(reply)}"
                retry_after = _retry_after(headers.get("retry-after"))
            failures += 1
            if failures >= self.retry.attempts:
                raise ServerUnreachable(f"{shown}: {reason} (gave up after {failures} "
                                        f"{'try' if failures == 1 else 'tries'})")
            self._sleep(self.retry.wait_seconds(failures, retry_after))

    def _follow(self, method: str, path: str, data: Optional[bytes]):
        """One request and the same-origin redirects it leads to."""
        for _ in range(_MAX_REDIRECTS + 1):
            shown = f"{method} {self.server.shown(path)}"
            status, headers, reply = self._send_once(method, path, data)
            if status not in _REDIRECTS:
                return status, headers, reply, shown
            location = headers.get("location")
            if not location:
                raise BadReply(f"{shown}: {status} redirect without a Location")
            target = urllib.parse.urljoin(self.server.shown(path), location)
            if not self.server.same_origin(target):
                raise RedirectRefused(
                    f"{shown}: {status} redirect to {mask_userinfo(target)[:300]}, another origin: "
                    f"not followed (the token is never sent to another origin)")
            if status not in (307, 308) and method not in ("GET", "HEAD"):
                raise RedirectRefused(f"{shown}: {status} redirect would turn {method} into GET: not followed")
            parts = urllib.parse.urlsplit(target)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        raise RedirectRefused(f"{shown}: more than {_MAX_REDIRECTS} redirects in a row")

    def _send_once(self, method: str, path: str, data: Optional[bytes]):
        if self.server.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                self.server.host, self.server.port, timeout=self.timeout_seconds, context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=self.timeout_seconds)
        headers = {"Accept": "application/json", "User-Agent": "gpnav-client"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            reply = response.read(self.max_reply_bytes + 1)
            if len(reply) > self.max_reply_bytes:
                raise BadReply(f"{method} {self.server.shown(path)}: "
                               f"answer over {self.max_reply_bytes} bytes")
            return response.status, {key.lower(): value for key, value in response.getheaders()}, reply
        finally:
            connection.close()


def _error_line(reply: bytes) -> str:
    """The server's `{"error": "one line"}`, or the start of a body that is not one."""
    text = reply.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), str):
            text = parsed["error"]
    except ValueError:
        pass
    line = " ".join(text.split())
    return mask_userinfo(line[:300]) if line else "(no body)"


def _retry_after(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: the backoff decides
