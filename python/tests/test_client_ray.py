"""GPNavSearch runs a gpnav study on a local Ray instance (2 CPUs) against a real `gpnav serve`.
The objective is a closed-form function of the architecture, computed in Python: it stands in for
training and trains nothing."""

from __future__ import annotations

import json
import os
import pickle

import pytest

ray = pytest.importorskip("ray", reason="Ray Tune is not installed (pip install 'gpnav-client[ray]')")
tune = pytest.importorskip("ray.tune", reason="Ray Tune is not installed (pip install 'gpnav-client[ray]')")

from conftest import CLIENT_ROOT  # noqa: E402
from gpnav_client import Study  # noqa: E402
from gpnav_client.ray import GPNavSearch  # noqa: E402
from gpnav_serve import start_server  # noqa: E402

BUDGET = {"macs": 300_000_000}
FAILING_TRIAL = 2


def toy_accuracy(config: dict) -> float:
    """Not training: bigger networks score higher, in percent."""
    return 50 + 20 * config["width"] + config["resolution"] / 32 + sum(config["mv2_depths"]) / 4


def train_fn(config: dict) -> None:
    if config["trial"] == FAILING_TRIAL:
        raise RuntimeError("a training that crashes")
    tune.report({"accuracy": toy_accuracy(config), "loss": 2.0 - config["width"]})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(str(tmp_path_factory.mktemp("serve")))
    yield running
    assert running.stop() == 0, running.log()[-2000:]


@pytest.fixture(scope="module")
def local_ray():
    # Ray's workers import train_fn from this file, and the searcher's package, by these paths.
    paths = [os.path.dirname(os.path.abspath(__file__)), CLIENT_ROOT, os.environ.get("PYTHONPATH", "")]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(filter(None, paths))}})
    yield
    ray.shutdown()


def test_the_searcher_completes_a_12_trial_study_on_local_ray(server, local_ray, tmp_path):
    study = Study.create(server.url, "ray-12", budget=BUDGET, trials=12, seed=3, token=server.token)
    searcher = GPNavSearch(server.url, "ray-12", token=server.token, metrics=("loss",))
    # 13 Tune trials: one of them crashes, and its gpnav trial is failed; 12 complete the study.
    # Reusing actors saves starting a Python process per trial (12 trials: 16 s instead of 85 s
    # here); the time budget makes a hang fail the test instead of holding up CI.
    tune_config = tune.TuneConfig(search_alg=searcher, num_samples=13, reuse_actors=True, time_budget_s=300)
    tuner = tune.Tuner(train_fn, tune_config=tune_config,
                       run_config=tune.RunConfig(storage_path=str(tmp_path / "ray"), verbose=0))
    results = tuner.fit()

    assert len(results) == 13 and results.num_errors == 1
    info = study.refresh()
    assert (info["complete"], info["running"], info["failed"]) == (12, 0, 1)
    [failed] = study.trials(state="failed")
    assert failed["number"] == FAILING_TRIAL and "raised an error" in failed["error"]
    stored = {trial["number"]: trial for trial in study.trials(state="complete")}
    for result in results:
        if result.error is None:
            trial = stored[result.config["trial"]]
            assert trial["accuracy"] == pytest.approx(toy_accuracy(result.config))
            assert trial["metrics"] == {"loss": pytest.approx(2.0 - result.config["width"])}
    assert len({(t["resolution"], t["width"], tuple(t["mv2_depths"]), tuple(t["vit_depths"]))
                for t in stored.values()}) == 12


def test_a_saved_or_pickled_searcher_keeps_its_trials_but_not_the_token(server, tmp_path, monkeypatch):
    monkeypatch.delenv("GPNAV_TOKEN", raising=False)
    Study.create(server.url, "ray-state", budget=BUDGET, trials=3, token=server.token)
    searcher = GPNavSearch(server.url, "ray-state", token=server.token)
    config = searcher.suggest("tune-trial-a")
    try:
        assert searcher.suggest("tune-trial-b")["trial"] != config["trial"]  # one gpnav trial per Tune trial
        path = tmp_path / "searcher.json"
        searcher.save(str(path))
        pickled = pickle.dumps(searcher)
        assert server.token not in path.read_text() and server.token.encode() not in pickled
        assert set(json.loads(path.read_text())["running"]) == {"tune-trial-a", "tune-trial-b"}

        restored = pickle.loads(pickled)
        assert not restored.study.transport.has_token
        monkeypatch.setenv("GPNAV_TOKEN", server.token)  # where the experiment is restored
        restored = pickle.loads(pickled)
        restored.on_trial_complete("tune-trial-a", {"accuracy": 66.5})
        [complete] = restored.study.trials(state="complete")
        assert (complete["number"], complete["accuracy"]) == (config["trial"], 66.5)
        fresh = GPNavSearch(None, restored.study)
        fresh.restore(str(path))
        fresh.on_trial_complete("tune-trial-b", {"accuracy": float("nan")})
        [failed] = fresh.study.trials(state="failed")
        assert "without a finite 'accuracy'" in failed["error"]
    finally:
        for trial in searcher._running.values():
            trial.stop_heartbeats()


def test_the_searcher_refuses_to_minimise(server):
    Study.create(server.url, "ray-mode", budget=BUDGET, trials=3, token=server.token)
    with pytest.raises(ValueError, match="mode must be 'max'"):
        GPNavSearch(server.url, "ray-mode", token=server.token, mode="min")


def test_the_searcher_answers_finished_once_the_study_has_its_trials(server):
    Study.create(server.url, "ray-done", budget=BUDGET, trials=1, token=server.token)
    searcher = GPNavSearch(server.url, "ray-done", token=server.token)
    assert searcher.suggest("only")["trial"] == 0
    searcher.on_trial_complete("only", {"accuracy": 60.0})
    assert searcher.suggest("more") == GPNavSearch.FINISHED
    assert searcher.suggest("again") == GPNavSearch.FINISHED
