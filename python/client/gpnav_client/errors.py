"""The errors of the client: one class per kind of refusal, each with a message that names the
request (credentials masked) and the server's own one-line reason."""

from __future__ import annotations

from typing import Dict, Optional, Type


class GPNavError(Exception):
    """Base class of every error the client raises about the server or the connection."""


class ServerUnreachable(GPNavError):
    """No answer (connection refused or lost, time-out) or a 5xx answer, after every retry."""


class RedirectRefused(GPNavError):
    """The server answered with a redirect the client does not follow: to another origin (the
    token is never sent there), a method change, or too many in a row."""


class BadReply(GPNavError):
    """The server answered something that is not the API's: not JSON, missing keys, too large."""


class APIError(GPNavError):
    """The server refused the request with a 4xx status and `{"error": "one line"}`.

    `status` is the HTTP status, `reason` the server's line (or the start of its body).
    """

    status: int = 0

    def __init__(self, message: str, status: int, reason: str):
        super().__init__(message)
        self.status = status
        self.reason = reason


class BadRequest(APIError):
    """400: malformed JSON, wrong types, an accuracy that is NaN or outside 0 to 100."""


class Unauthorized(APIError):
    """401: the token is missing or wrong."""


class NotFound(APIError):
    """404: an unknown study, trial or route."""


class MethodNotAllowed(APIError):
    """405: a known path asked with another method."""


class Conflict(APIError):
    """409: a trial no longer running, a different result for a finished trial, a study that
    exists with other settings or has no budget to propose within."""


class PayloadTooLarge(APIError):
    """413: a request body over the server's limit."""


class Unprocessable(APIError):
    """422: an impossible budget or space, a target below 1 trial, a bad study name."""


_BY_STATUS: Dict[int, Type[APIError]] = {
    400: BadRequest, 401: Unauthorized, 404: NotFound, 405: MethodNotAllowed, 409: Conflict,
    413: PayloadTooLarge, 422: Unprocessable,
}


def api_error(status: int, reason: str, request: str) -> APIError:
    """The typed error of a refused `request` ("POST http://host/v1/..."): `status` and the
    server's `reason`."""
    kind: Optional[Type[APIError]] = _BY_STATUS.get(status)
    return (kind or APIError)(f"{request}: {status} {reason}", status, reason)
