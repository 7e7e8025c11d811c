"""A study on a gpnav server: create or open it, ask for trials, report their results."""

from __future__ import annotations

import math
import numbers
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

from .errors import BadReply
from .retry import RetryPolicy
from .transport import Transport
from .trial import Trial

MAX_WORKER_CHARACTERS = 200


def default_worker() -> str:
    """`host-pid`, and the thread's id in any thread but the main one: the server hands a worker
    that asks again its own running trials first, so threads that train trials side by side need
    names of their own."""
    host = "".join(character for character in socket.gethostname() if character.isprintable()) or "python"
    name = f"{host}-{os.getpid()}"
    if threading.current_thread() is not threading.main_thread():
        name += f"-t{threading.get_native_id()}"
    return name[:MAX_WORKER_CHARACTERS]


@dataclass
class Suggestion:
    """One answer to an ask: the trials claimed (maybe none while the others' results are
    awaited), and whether the study is `done` (its target reached, or, `exhausted`, no candidate
    left in its space)."""

    trials: List[Trial]
    done: bool
    exhausted: bool


class Study:
    """A study of a gpnav server (`gpnav serve`), opened with ``Study.create`` or ``Study.get``.

    `server` is the server's base URL (`http://127.0.0.1:8470`); the bearer token comes from
    `token`, else from the environment variable `GPNAV_TOKEN`, and is sent to that origin only.
    Requests that meet connection errors or 5xx answers are retried as `retry` says.
    """

    def __init__(self, transport: Transport, info: Mapping[str, Any]):
        if not isinstance(info, Mapping) or not isinstance(info.get("name"), str):
            raise BadReply("the study's answer has no name")
        self.transport = transport
        self.name: str = info["name"]
        self.info: Dict[str, Any] = dict(info)

    def __repr__(self) -> str:
        return f"Study({self.name!r}, server={str(self.transport.server)!r})"

    @classmethod
    def create(cls, server: str, name: str, *, budget: Mapping[str, int], trials: int,
               seed: Optional[int] = None, family: Optional[str] = None, space: Optional[Mapping[str, Any]] = None,
               step_factor: Optional[float] = None, joint_factors: Optional[bool] = None,
               start: Optional[Mapping[str, Any]] = None, evaluator: Optional[str] = None,
               epochs: Optional[int] = None, epoch_budget: Optional[int] = None, prune: Optional[bool] = None,
               token: Optional[str] = None, timeout_seconds: float = 60.0,
               retry: RetryPolicy = RetryPolicy()) -> "Study":
        """Creates the study `name` to reach `trials` complete trials within `budget`
        (`{"macs": 300_000_000}`, and/or `params`, `memory_bytes`, `bits`), or opens it when it
        exists with the same settings (``Conflict`` when its settings differ). The other settings
        take the defaults of `gpnav search`."""
        transport = Transport(server, token, timeout_seconds=timeout_seconds, retry=retry)
        body: Dict[str, Any] = {"name": name, "budget": dict(budget), "trials": trials}
        optional = {"seed": seed, "family": family, "space": space, "step_factor": step_factor,
                    "joint_factors": joint_factors, "start": start, "evaluator": evaluator, "epochs": epochs,
                    "epoch_budget": epoch_budget, "prune": prune}
        body.update({key: value for key, value in optional.items() if value is not None})
        return cls(transport, transport.call("POST", ("v1", "studies"), body))

    @classmethod
    def get(cls, server: str, name: str, *, token: Optional[str] = None, timeout_seconds: float = 60.0,
            retry: RetryPolicy = RetryPolicy()) -> "Study":
        """Opens the existing study `name` (``NotFound`` when there is none)."""
        transport = Transport(server, token, timeout_seconds=timeout_seconds, retry=retry)
        return cls(transport, transport.call("GET", ("v1", "studies", name)))

    def refresh(self) -> Dict[str, Any]:
        """The study now: settings, trials by state, target and best trial (also kept in ``info``)."""
        self.info = dict(self.transport.call("GET", ("v1", "studies", self.name)))
        return self.info

    # Asking

    def suggest(self, count: int = 1, worker: Optional[str] = None, *, resumes: bool = False) -> Suggestion:
        """Claims up to `count` trials for `worker` (default ``default_worker()``) in one request.
        A worker that asks again gets its own running trials first. With `resumes` (this worker's
        training goes on from its own checkpoint when run again for a trial), a study that prunes
        pauses its trainings rather than ending them, and may hand a paused trial back: its
        ``Trial.resumed_after_epoch`` says after which epoch to go on."""
        if not isinstance(resumes, bool):
            raise ValueError(f"resumes is True or False, not {resumes!r}")
        body: Dict[str, Any] = {"worker": worker or default_worker(), "count": count}
        if resumes:
            body["resumes"] = True
        reply = self.transport.call("POST", ("v1", "studies", self.name, "suggestions"), body)
        if not isinstance(reply, Mapping) or not isinstance(reply.get("trials"), list):
            raise BadReply(f"study {self.name!r}: a suggestion without trials")
        return Suggestion(trials=[Trial(self, trial, resumable=resumes) for trial in reply["trials"]],
                          done=bool(reply.get("done")), exhausted=bool(reply.get("exhausted")))

    def ask(self, worker: Optional[str] = None, *, poll_seconds: float = 5.0, resumes: bool = False) -> Optional[Trial]:
        """The next trial to train, or None once the study is done. While every proposal waits for
        results of trials that others train, asks again every `poll_seconds`. `resumes` as in
        ``suggest``."""
        if not (math.isfinite(poll_seconds) and poll_seconds > 0):
            raise ValueError(f"poll_seconds must be a positive number, not {poll_seconds!r}")
        while True:
            suggestion = self.suggest(1, worker, resumes=resumes)
            if suggestion.trials:
                return suggestion.trials[0]
            if suggestion.done:
                return None
            time.sleep(poll_seconds)

    # Telling

    def tell(self, number: int, accuracy: float, metrics: Optional[Mapping[str, float]] = None,
             output: Optional[str] = None) -> Dict[str, Any]:
        """Completes trial `number` with its top-1 `accuracy` in percent; the same result again is
        accepted, a different one refused (``Conflict``)."""
        body: Dict[str, Any] = {"accuracy": _finite("accuracy", accuracy)}
        if metrics:
            body["metrics"] = {str(key): _finite(f"metric {key!r}", value) for key, value in metrics.items()}
        if output is not None:
            body["output"] = output
        return self.transport.call("POST", self._trial_path(number, "complete"), body)

    def fail(self, number: int, reason: str = "", output: Optional[str] = None) -> Dict[str, Any]:
        """Reports trial `number` failed, with a one-line `reason`."""
        body: Dict[str, Any] = {"reason": " ".join(str(reason).split())}
        if output is not None:
            body["output"] = output
        return self.transport.call("POST", self._trial_path(number, "fail"), body)

    def report(self, number: int, epoch: int, accuracy: float, *, resumable: bool = False) -> bool:
        """Sends one point of trial `number`'s learning curve (top-1 `accuracy` in percent after
        `epoch` epochs, counted from 1); returns whether the study pruned the trial, in which case
        training should stop (the trial is stored as pruned: tell no result). With `resumable`
        (the training can be continued later from its checkpoint), the stop may be a pause, and a
        later ``suggest(resumes=True)`` may hand the trial back."""
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
            raise ValueError(f"an epoch is a positive integer, not {epoch!r}")
        if not isinstance(resumable, bool):
            raise ValueError(f"resumable is True or False, not {resumable!r}")
        body: Dict[str, Any] = {"epoch": epoch, "accuracy": _finite("accuracy", accuracy)}
        if resumable:
            body["resumable"] = True
        reply = self.transport.call("POST", self._trial_path(number, "reports"), body)
        if not isinstance(reply, Mapping) or not isinstance(reply.get("prune"), bool):
            raise BadReply(f"study {self.name!r}: the answer to a report has no boolean prune")
        return reply["prune"]

    def heartbeat(self, number: int) -> None:
        """Tells the server that trial `number` is still being trained."""
        self.transport.call("POST", self._trial_path(number, "heartbeat"))

    # Reading

    def trials(self, state: Optional[str] = None, sort: Optional[str] = None, desc: bool = False,
               limit: Optional[int] = None) -> List[Dict[str, Any]]:
        """The study's trials as `gpnav trials --format json` writes them, filtered by `state`
        (`running`, `complete`, `failed`, `pruned`, `abandoned`) and sorted by `sort` (`accuracy`, `macs`,
        `params`, `number`)."""
        query = {"state": state, "sort": sort, "desc": "true" if desc else None,
                 "limit": None if limit is None else str(limit)}
        reply = self.transport.call("GET", ("v1", "studies", self.name, "trials"),
                                    query={key: value for key, value in query.items() if value is not None})
        if not isinstance(reply, Mapping) or not isinstance(reply.get("trials"), list):
            raise BadReply(f"study {self.name!r}: a trial list without trials")
        return reply["trials"]

    def _trial_path(self, number: int, action: str):
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(f"a trial number is a non-negative integer, not {number!r}")
        return ("v1", "studies", self.name, "trials", str(number), action)


def _finite(name: str, value: float) -> float:
    """`value` as a float; NaN and infinities are no JSON number, so they are refused here."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return float(value)
