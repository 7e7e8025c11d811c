"""gpnav-client against a real `gpnav serve` (GPNAV_BIN): a study run through ask, heartbeat and
tell, a trial failed by an exception, and the typed errors of the API's refusals."""

from __future__ import annotations

import math
import time

import pytest

from gpnav_client import BadRequest, Conflict, NotFound, RetryPolicy, Study, Unauthorized, Unprocessable
from gpnav_serve import start_server

BUDGET = {"macs": 300_000_000}
FAST = RetryPolicy(attempts=2, initial_seconds=0.05, max_seconds=0.1)


def toy_accuracy(config: dict) -> float:
    """A closed-form stand-in for training (not training): bigger networks score higher."""
    return 50 + 20 * config["width"] + config["resolution"] / 32 + sum(config["mv2_depths"]) / 4


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(str(tmp_path_factory.mktemp("serve")))
    yield running
    assert running.stop() == 0, running.log()[-2000:]


def test_a_study_runs_to_its_target_through_ask_and_tell(server):
    study = Study.create(server.url, "client-run", budget=BUDGET, trials=3, seed=7, token=server.token)
    told = {}
    while (trial := study.ask()) is not None:
        with trial:
            assert trial.config["trial"] == trial.number and trial.config["macs"] == trial.macs
            told[trial.number] = toy_accuracy(trial.config)
            stored = trial.tell(told[trial.number], metrics={"loss": 1.5})
        assert stored["state"] == "complete" and stored["accuracy"] == told[trial.number]
    info = study.refresh()
    assert (info["complete"], info["running"], info["failed"]) == (3, 0, 0)
    within = [trial["accuracy"] for trial in study.trials() if trial["macs"] <= BUDGET["macs"]]
    assert info["best"]["accuracy"] == max(within)  # the best within the budget (the chain starts above it)
    complete = study.trials(state="complete", sort="accuracy", desc=True)
    assert [trial["accuracy"] for trial in complete] == sorted(told.values(), reverse=True)
    assert all(trial["metrics"] == {"loss": 1.5} for trial in complete)


def test_creating_a_study_again_opens_it_and_other_settings_are_a_conflict(server):
    first = Study.create(server.url, "client-again", budget=BUDGET, trials=4, token=server.token)
    again = Study.create(server.url, "client-again", budget=BUDGET, trials=4, token=server.token)
    assert again.info["created_at"] == first.info["created_at"]
    with pytest.raises(Conflict) as conflict:
        Study.create(server.url, "client-again", budget=BUDGET, trials=9, token=server.token)
    assert conflict.value.status == 409 and "client-again" in str(conflict.value)


def test_an_exception_in_the_block_fails_the_trial_and_is_raised(server):
    study = Study.create(server.url, "client-fail", budget=BUDGET, trials=2, token=server.token)
    trial = study.ask()
    with pytest.raises(RuntimeError, match="CUDA out of memory"):
        with trial:
            raise RuntimeError("CUDA out of memory")
    assert trial.state == "failed"
    [failed] = study.trials(state="failed")
    assert failed["number"] == trial.number and failed["error"] == "RuntimeError: CUDA out of memory"
    assert study.refresh()["running"] == 0


def test_a_trial_told_inside_the_block_is_not_failed_by_a_later_exception(server):
    study = Study.create(server.url, "client-told", budget=BUDGET, trials=2, token=server.token)
    trial = study.ask()
    with pytest.raises(KeyError):
        with trial:
            trial.tell(61.0)
            raise KeyError("after the result")
    assert [t["state"] for t in study.trials()] == ["complete"]


def test_a_result_the_server_refuses_raises_its_typed_error(server):
    study = Study.create(server.url, "client-refused", budget=BUDGET, trials=2, token=server.token)
    trial = study.ask()
    with pytest.raises(BadRequest) as refused:
        trial.tell(150.0)
    assert refused.value.status == 400 and "accuracy" in refused.value.reason
    trial.tell(60.0)
    trial.tell(60.0)  # the same result again is accepted
    with pytest.raises(Conflict):
        trial.tell(61.0)
    with pytest.raises(ValueError, match="finite"):
        study.tell(trial.number, float("nan"))


def test_an_unknown_study_raises_not_found(server):
    with pytest.raises(NotFound) as missing:
        Study.get(server.url, "no such study", token=server.token)
    assert missing.value.status == 404 and "no such study" in str(missing.value)
    study = Study.create(server.url, "client-known", budget=BUDGET, trials=2, token=server.token)
    with pytest.raises(NotFound):
        study.heartbeat(999)


def test_a_wrong_or_missing_token_raises_unauthorized_without_showing_it(server, monkeypatch):
    monkeypatch.delenv("GPNAV_TOKEN", raising=False)
    for token in ("wrong-" + server.token, None):
        with pytest.raises(Unauthorized) as refused:
            Study.get(server.url, "client-run", token=token, retry=FAST)
        assert refused.value.status == 401 and server.token not in str(refused.value)


def test_an_impossible_budget_raises_unprocessable(server):
    with pytest.raises(Unprocessable):
        Study.create(server.url, "client-tiny", budget={"macs": 1000}, trials=2, token=server.token)


def test_heartbeats_keep_a_trial_alive_past_its_lease_while_a_silent_one_is_given_up(tmp_path):
    short = start_server(str(tmp_path), stale_after=1.5)
    try:
        study = Study.create(short.url, "client-lease", budget=BUDGET, trials=3, token=short.token)
        kept, silent = study.ask(worker="kept"), study.ask(worker="silent")
        with kept:
            time.sleep(4.5)  # three leases
            states = {trial["number"]: trial["state"] for trial in study.trials()}
        assert states == {kept.number: "running", silent.number: "abandoned"}
        assert kept.heartbeat_error is None and not kept.heartbeat_lost
        assert kept.tell(70.0)["state"] == "complete"
    finally:
        assert short.stop() == 0, short.log()[-2000:]


SMALL_SPACE = {"resolutions": [64], "widths": [0.25], "mv2_depth_multipliers": [1.0],
               "vit_depth_multipliers": [0.5, 1.0, 1.5], "classes": 10}


def curve(final: float, epoch: int) -> float:
    """A stand-in learning curve (not training) that ends at `final` after 9 epochs."""
    return final * (1 - 0.5 * math.exp(-epoch / 2))


def test_a_paused_training_is_handed_back_only_to_a_worker_that_resumes(server):
    # Three architectures: once two are trained and the third is paused, continuing it is all that is left.
    study = Study.create(server.url, "client-resume", budget=BUDGET, trials=8, epochs=9, prune=True,
                         space=SMALL_SPACE, token=server.token)
    first = study.suggest(3, worker="setup").trials
    assert len(first) == 3 and all(trial.resumed_after_epoch is None for trial in first)
    for trial, final in zip(first[:2], [70.0, 71.0]):
        for epoch in range(1, 10):
            assert not trial.report(epoch, curve(final, epoch))
        trial.tell(final)
    third = first[2].number
    paused_after = next(epoch for epoch in range(1, 10) if study.report(third, epoch, curve(72, epoch), resumable=True))
    assert study.refresh()["pruned"] == 1
    assert study.suggest(1, worker="old").trials == []
    again = study.ask(worker="resuming", resumes=True)
    assert again is not None and again.number == third and again.resumed_after_epoch == paused_after
    # The trial reports as resumable, as it was asked: promising, it is paused again at the next rung (3 of 9).
    assert paused_after == 1
    assert [again.report(epoch, curve(72, epoch)) for epoch in (2, 3)] == [False, True]
    assert study.ask(worker="resuming", resumes=True).resumed_after_epoch == 3
    with pytest.raises(ValueError):
        study.suggest(1, resumes="yes")
