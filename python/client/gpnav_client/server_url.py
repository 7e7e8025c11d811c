"""The server's base URL, parsed and checked once: its origin, its path prefix, and a text that
never shows credentials."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Tuple

# Userinfo (`user:password@`) in any absolute URL of a text; replaced wherever a URL is shown.
# Everything up to the URL's last "@" goes, so that a password with "@" or "/" in it (not
# percent-encoded, as people write them) is hidden whole; at worst a path's "@" hides the host.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^\s'\"<>]*@")
_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048


def mask_userinfo(text: str) -> str:
    """`text` with the userinfo of every URL in it replaced by `***`."""
    return _USERINFO.sub(r"\g<scheme>***@", text)


@dataclass(frozen=True)
class ServerURL:
    """An `http` or `https` base URL such as `http://127.0.0.1:8470` or `https://host/gpnav`.

    Userinfo in it is never sent (the client authenticates with its bearer token only) and never
    shown: `str()` and `repr()` mask it.
    """

    scheme: str
    host: str
    port: int
    prefix: str
    has_userinfo: bool

    @classmethod
    def parse(cls, text: str) -> "ServerURL":
        if not isinstance(text, str):
            raise TypeError(f"the server URL must be a string, not {type(text).__name__}")
        shown = mask_userinfo(text)[:200]
        if len(text) > MAX_URL_LENGTH:
            raise ValueError(f"server URL over {MAX_URL_LENGTH} characters: {shown}...")
        if any(ord(character) < 0x21 or ord(character) == 0x7F for character in text):
            raise ValueError(f"server URL with a space or control character: {shown!r}")
        parts = urllib.parse.urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise ValueError(f"server URL must start with http:// or https://: {shown}")
        if not parts.hostname:
            raise ValueError(f"server URL without a host: {shown}")
        if parts.query or parts.fragment:
            raise ValueError(f"server URL with a query or fragment: {shown}")
        try:
            port = parts.port
        except ValueError:  # out of range or not a number
            raise ValueError(f"server URL with an invalid port: {shown}") from None
        if port == 0:
            raise ValueError(f"server URL with port 0: {shown}")
        return cls(scheme=scheme, host=parts.hostname.lower(), port=port or _DEFAULT_PORTS[scheme],
                   prefix=parts.path.rstrip("/"), has_userinfo="@" in parts.netloc)

    @property
    def origin(self) -> Tuple[str, str, int]:
        """(scheme, host, port), the origin (RFC 6454) a token may be sent to."""
        return (self.scheme, self.host, self.port)

    def same_origin(self, url: str) -> bool:
        """Whether an absolute or relative `url` (a redirect's `Location`) is of this origin."""
        parts = urllib.parse.urlsplit(url)
        if not parts.scheme and not parts.netloc:
            return True  # relative: resolved against this origin
        scheme = parts.scheme.lower() or self.scheme
        try:
            port = parts.port
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        return (scheme, host, port or _DEFAULT_PORTS.get(scheme, -1)) == self.origin

    def path(self, *segments: str) -> str:
        """The request path of `segments` under the prefix, each percent-encoded whole ("/"
        included), so that a study name stays one segment."""
        return self.prefix + "".join("/" + urllib.parse.quote(segment, safe="") for segment in segments)

    def shown(self, path: str) -> str:
        """The URL of a request path (from ``path``) as messages show it: userinfo masked."""
        userinfo = "***@" if self.has_userinfo else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = _DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{userinfo}{host}{'' if default else f':{self.port}'}{path}"

    def __str__(self) -> str:
        return self.shown(self.prefix)

    def __repr__(self) -> str:
        return f"ServerURL({str(self)!r})"
