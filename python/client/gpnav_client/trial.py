"""A trial claimed from a study: what to train, and the calls that finish it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional

from .errors import BadReply, GPNavError
from .heartbeat import Heartbeat, heartbeat_interval

if TYPE_CHECKING:
    from .study import Study

MAX_REASON_CHARACTERS = 200


class Trial:
    """One running trial of a study, as ``Study.ask()`` hands it out.

    `config` is exactly the JSON a training command receives as `{config}`; `architecture`,
    `macs`, `params`, `proposal` and `phase` describe the proposal; `lease_seconds` is how long the
    server waits for a heartbeat before it fails the trial as abandoned. `resumed_after_epoch` is
    None for a training from scratch; for a paused trial handed back to a worker that asked with
    `resumes=True`, the epochs it trained before: go on from its checkpoint and report only the
    epochs after it.

    Used as a context manager, the trial sends heartbeats on a thread while the block runs, and
    an exception that leaves the block fails the trial (with the exception's type and message as
    the reason) and is raised on. Tell the result inside the block or right after it: a trial
    left neither complete nor failed is given up by the server once its lease runs out.
    """

    def __init__(self, study: "Study", reply: Mapping[str, Any], *, resumable: bool = False):
        try:
            self.number = int(reply["number"])
            self.config: Dict[str, Any] = dict(reply["config"])
            self.architecture: Dict[str, Any] = dict(reply["architecture"])
            self.macs = int(reply["macs"])
            self.params = int(reply["params"])
            self.lease_seconds = float(reply["lease_seconds"])
        except (KeyError, TypeError, ValueError) as error:
            raise BadReply(f"study {study.name!r}: a suggested trial without a valid {error}") from None
        if not (math.isfinite(self.lease_seconds) and self.lease_seconds > 0):
            raise BadReply(f"study {study.name!r}: trial {self.number} has lease_seconds {self.lease_seconds}")
        resumed = reply.get("resumed_after_epoch")
        if resumed is not None and (isinstance(resumed, bool) or not isinstance(resumed, int) or resumed < 0
                                    or not resumable):
            raise BadReply(f"study {study.name!r}: trial {self.number} has resumed_after_epoch {resumed!r}"
                           + ("" if resumable else " although this worker did not ask with resumes"))
        self.resumed_after_epoch: Optional[int] = resumed
        self.resumable = resumable
        self.study = study
        self.proposal: Optional[str] = reply.get("proposal")
        self.phase: Optional[str] = reply.get("phase")
        self.state = "running"
        self._heartbeat: Optional[Heartbeat] = None

    def __repr__(self) -> str:
        return (f"Trial(study={self.study.name!r}, number={self.number}, state={self.state!r}, "
                f"macs={self.macs}, params={self.params})")

    # Finishing

    def tell(self, accuracy: float, metrics: Optional[Mapping[str, float]] = None,
             output: Optional[str] = None) -> Dict[str, Any]:
        """Completes the trial with its top-1 `accuracy` in percent and other numeric `metrics`;
        returns the complete trial as the server stored it."""
        stored = self.study.tell(self.number, accuracy, metrics=metrics, output=output)
        self.state = "complete"
        return stored

    def fail(self, reason: str = "", output: Optional[str] = None) -> Dict[str, Any]:
        """Reports the trial failed; returns the failed trial as the server stored it."""
        stored = self.study.fail(self.number, reason, output=output)
        self.state = "failed"
        return stored

    def report(self, epoch: int, accuracy: float) -> bool:
        """Sends the accuracy after `epoch` epochs; True when the study pruned the trial: stop
        training and tell no result (the trial is then ``pruned``; asked with `resumes=True`,
        maybe only paused, to be handed out again)."""
        pruned = self.study.report(self.number, epoch, accuracy, resumable=self.resumable)
        if pruned:
            self.state = "pruned"
        return pruned

    def heartbeat(self) -> None:
        """Tells the server the trial is still being trained (the context manager does it)."""
        self.study.heartbeat(self.number)

    # Heartbeats while a block runs

    @property
    def heartbeat_error(self) -> Optional[GPNavError]:
        """The last heartbeat that failed, if any; ``heartbeat_lost`` if the server refused one."""
        return self._heartbeat.error if self._heartbeat else None

    @property
    def heartbeating(self) -> bool:
        """Whether heartbeats are being sent (inside a with block)."""
        return bool(self._heartbeat and self._heartbeat.running)

    @property
    def heartbeat_lost(self) -> bool:
        """Whether the server refused a heartbeat (the trial is no longer running there)."""
        return bool(self._heartbeat and self._heartbeat.lost)

    def start_heartbeats(self) -> None:
        """Sends heartbeats every third of the lease on a thread of its own, until
        ``stop_heartbeats()``."""
        if self.heartbeating:
            raise RuntimeError(f"trial {self.number} is already sending heartbeats")
        self._heartbeat = Heartbeat(self.heartbeat, heartbeat_interval(self.lease_seconds),
                                    name=f"gpnav-heartbeat-{self.number}").start()

    def stop_heartbeats(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop()

    def __enter__(self) -> "Trial":
        self.start_heartbeats()
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        self.stop_heartbeats()
        if error is not None and self.state == "running":
            reason = f"{kind.__name__}: {error}" if str(error) else kind.__name__
            try:
                self.fail(reason[:MAX_REASON_CHARACTERS])
            except GPNavError as failure:
                # The block's exception is the one to raise; the failed report goes with it.
                if hasattr(error, "add_note"):
                    error.add_note(f"gpnav: could not report trial {self.number} failed: {failure}")
        return False
