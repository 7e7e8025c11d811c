"""`GPNavSearch`: a Ray Tune searcher whose configurations are a gpnav study's proposals.

Ray schedules, runs and restarts the trials; gpnav proposes them (downsizing chain, then GP
expected improvement) and keeps their results. The searcher lives in Tune's driver: it claims one
gpnav trial per Tune trial, sends that trial's heartbeats while Ray runs it, and reports the final
result (`metric`, top-1 accuracy in percent) or the failure.

Intermediate results stay in Ray: `gpnav serve` has no route for them (no report or prune per
epoch), so ``on_trial_result`` forwards nothing; the final result of each trial reaches the study.
A server that stays away longer than the retry policy lasts ends the experiment with
``ServerUnreachable`` (Tune can resume it; the searcher's state is saved with it).
"""

from __future__ import annotations

import json
import logging
import math
import numbers
import os
import socket
import time
from typing import Any, Dict, Optional, Sequence, Union

try:
    from ray.tune.search import Searcher
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("gpnav_client.ray needs Ray Tune: pip install 'gpnav-client[ray]'") from error

from .errors import BadRequest, Conflict
from .retry import RetryPolicy
from .study import Study
from .trial import Trial

logger = logging.getLogger(__name__)

_TRIAL_KEYS = ("number", "config", "architecture", "macs", "params", "lease_seconds", "proposal", "phase")


class GPNavSearch(Searcher):
    """A Ray Tune searcher backed by the gpnav study `study` (a name on `server`, or a ``Study``).

        tuner = tune.Tuner(train_fn, tune_config=tune.TuneConfig(
            search_alg=GPNavSearch("http://gpnav-host:8470", "macs-300M"), num_samples=30))

    Each Tune trial's config is the gpnav trial's `config` (exactly what a training command gets as
    `{config}`). `train_fn` reports `metric` (default `accuracy`, top-1 in percent, 0 to 100);
    gpnav maximises it, so `mode` is `max`. Result keys named in `metrics` are stored with the
    trial as well. A Tune trial that errors, or ends without a finite `metric`, fails its gpnav
    trial. Once the study has its complete trials the searcher answers ``Searcher.FINISHED``.

    The token comes from `token` or `GPNAV_TOKEN`; a searcher pickled with the experiment carries
    no token and reads `GPNAV_TOKEN` again where it is restored.
    """

    def __init__(self, server: Optional[str], study: Union[str, Study], *, metric: str = "accuracy",
                 mode: str = "max", metrics: Sequence[str] = (), token: Optional[str] = None,
                 worker_prefix: Optional[str] = None, poll_seconds: float = 1.0,
                 timeout_seconds: float = 60.0, retry: RetryPolicy = RetryPolicy()):
        _check_mode(mode)
        super().__init__(metric=metric, mode=mode)
        if isinstance(study, Study):
            self.study = study
        else:
            if server is None:
                raise ValueError("GPNavSearch needs the server's URL with a study name")
            self.study = Study.get(server, study, token=token, timeout_seconds=timeout_seconds, retry=retry)
        self.metrics = tuple(metrics)
        host = "".join(character for character in socket.gethostname() if character.isprintable())
        # The server hands a worker that asks again its own running trials first: one name per
        # Tune trial, so that each gets a trial of its own.
        self.worker_prefix = worker_prefix or f"ray-{host}-{os.getpid()}"
        self.poll_seconds = poll_seconds
        self._running: Dict[str, Trial] = {}
        self._finished = False
        self._last_empty_ask = -math.inf

    # Tune's calls

    def set_search_properties(self, metric: Optional[str], mode: Optional[str], config: Dict, **spec) -> bool:
        if mode is not None:
            _check_mode(mode)
        if metric is not None:
            self._metric = metric
        return True

    def suggest(self, trial_id: str) -> Optional[Union[Dict[str, Any], str]]:
        if self._finished:
            return Searcher.FINISHED
        for running in list(self._running):
            self._resume_heartbeat(running)
        # While every proposal waits for running trials' results, Tune asks on each of its steps:
        # ask the server at most once per poll_seconds.
        if time.monotonic() - self._last_empty_ask < self.poll_seconds:
            return None
        suggestion = self.study.suggest(1, worker=f"{self.worker_prefix}-{trial_id}"[:200])
        if suggestion.trials:
            trial = suggestion.trials[0]
            trial.start_heartbeats()  # until on_trial_complete
            self._running[trial_id] = trial
            return dict(trial.config)
        if suggestion.done:
            self._finished = True
            return Searcher.FINISHED
        self._last_empty_ask = time.monotonic()
        return None

    def on_trial_result(self, trial_id: str, result: Dict) -> None:
        # No route for intermediate results in gpnav serve: nothing to forward (the module's
        # docstring says so). The trial's heartbeat runs on its own thread.
        self._resume_heartbeat(trial_id)

    def on_trial_complete(self, trial_id: str, result: Optional[Dict] = None, error: bool = False) -> None:
        trial = self._running.pop(trial_id, None)
        if trial is None:
            return
        trial.stop_heartbeats()
        value = (result or {}).get(self.metric)
        if error:
            self._report_failed(trial, "the Ray Tune trial raised an error (its traceback is in Ray's trial log)")
        elif not _finite(value):
            self._report_failed(trial, f"the Ray Tune trial ended without a finite {self.metric!r} in its last result")
        else:
            metrics = {key: float(result[key]) for key in self.metrics if _finite(result.get(key))}
            try:
                trial.tell(float(value), metrics)
            except BadRequest as refusal:  # e.g. an accuracy outside 0 to 100
                self._report_failed(trial, f"result refused: {refusal.reason}")
            except Conflict as refusal:  # the study ended while the trial ran, or another result is stored
                logger.warning("gpnav trial %d of %r: result not stored: %s", trial.number, self.study.name, refusal.reason)

    # Checkpoints: JSON, no pickle, no token

    def get_state(self) -> Dict[str, Any]:
        return {"metric": self._metric, "mode": self._mode, "finished": self._finished,
                "running": {trial_id: {key: getattr(trial, key) for key in _TRIAL_KEYS}
                            for trial_id, trial in self._running.items()}}

    def set_state(self, state: Dict[str, Any]) -> None:
        for trial in self._running.values():
            trial.stop_heartbeats()
        self._metric, self._mode = state.get("metric", self._metric), state.get("mode", self._mode)
        self._finished = bool(state.get("finished", False))
        # Heartbeats resume when Tune next calls about the trial (or asks for another).
        self._running = {trial_id: Trial(self.study, reply) for trial_id, reply in state.get("running", {}).items()}

    def save(self, checkpoint_path: str) -> None:
        with open(checkpoint_path, "w", encoding="utf-8") as handle:
            json.dump(self.get_state(), handle)

    def restore(self, checkpoint_path: str) -> None:
        with open(checkpoint_path, encoding="utf-8") as handle:
            self.set_state(json.load(handle))

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_running"] = self.get_state()["running"]  # trials without their heartbeat threads
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        running = state.pop("_running", {})
        self.__dict__.update(state)
        self._running = {trial_id: Trial(self.study, reply) for trial_id, reply in running.items()}

    # Helpers

    def _resume_heartbeat(self, trial_id: str) -> None:
        trial = self._running.get(trial_id)
        if trial is not None and not trial.heartbeating:
            trial.start_heartbeats()

    def _report_failed(self, trial: Trial, reason: str) -> None:
        try:
            trial.fail(reason)
        except Conflict as refusal:  # reaped meanwhile, or finished elsewhere
            logger.warning("gpnav trial %d of %r: failure not stored: %s", trial.number, self.study.name, refusal.reason)


def _check_mode(mode: str) -> None:
    if mode != "max":
        raise ValueError(f"gpnav maximises top-1 accuracy: mode must be 'max', not {mode!r}")


def _finite(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
