"""gpnav-client: a typed Python client of `gpnav serve`'s HTTP API (standard library only), and
`gpnav_client.ray.GPNavSearch`, a Ray Tune searcher backed by a gpnav study.

    from gpnav_client import Study

    study = Study.get("http://127.0.0.1:8470", "macs-300M")   # token from GPNAV_TOKEN
    while (trial := study.ask()) is not None:                  # None once the study is done
        with trial:                                            # heartbeats; an exception fails it
            trial.tell(train(trial.config))
"""

from .errors import (APIError, BadReply, BadRequest, Conflict, GPNavError, MethodNotAllowed, NotFound,
                     PayloadTooLarge, RedirectRefused, ServerUnreachable, Unauthorized, Unprocessable)
from .retry import RetryPolicy
from .server_url import ServerURL, mask_userinfo
from .study import Study, Suggestion, default_worker
from .transport import Transport
from .trial import Trial

__all__ = [
    "APIError", "BadReply", "BadRequest", "Conflict", "GPNavError", "MethodNotAllowed", "NotFound",
    "PayloadTooLarge", "RedirectRefused", "RetryPolicy", "ServerURL", "ServerUnreachable", "Study",
    "Suggestion", "Transport", "Trial", "Unauthorized", "Unprocessable", "default_worker", "mask_userinfo",
]
