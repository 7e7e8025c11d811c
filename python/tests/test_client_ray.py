"""GPNavSearch runs a 12-trial gpnav study on a local Ray instance (2 CPUs) against a real
`gpnav serve`. The objective is a closed-form function of the architecture, computed in Python:
it stands in for training and trains nothing."""

from __future__ import annotations

import pytest

ray = pytest.importorskip("ray", reason="Ray Tune is not installed (pip install 'gpnav-client[ray]')")
tune = pytest.importorskip("ray.tune", reason="Ray Tune is not installed (pip install 'gpnav-client[ray]')")

from gpnav_client import Study  # noqa: E402
from gpnav_client.ray import GPNavSearch  # noqa: E402
from gpnav_serve import start_server  # noqa: E402


def toy_accuracy(config: dict) -> float:
    """Not training: bigger networks score higher, in percent."""
    return 50 + 20 * config["width"] + config["resolution"] / 32 + sum(config["mv2_depths"]) / 4


def train_fn(config: dict) -> None:
    tune.report({"accuracy": toy_accuracy(config), "loss": 2.0 - config["width"]})


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_the_searcher_completes_a_12_trial_study_on_local_ray(local_ray, tmp_path):
    (tmp_path / "serve").mkdir()
    server = start_server(str(tmp_path / "serve"))
    try:
        study = Study.create(server.url, "ray-12", budget={"macs": 300_000_000}, trials=12, seed=3, token=server.token)
        searcher = GPNavSearch(server.url, "ray-12", token=server.token, metrics=("loss",))
        tuner = tune.Tuner(train_fn, tune_config=tune.TuneConfig(search_alg=searcher, num_samples=12),
                           run_config=tune.RunConfig(storage_path=str(tmp_path / "ray"), verbose=0))
        results = tuner.fit()

        assert results.num_errors == 0 and len(results) == 12
        info = study.refresh()
        assert (info["complete"], info["running"], info["failed"]) == (12, 0, 0)
        stored = {trial["number"]: trial for trial in study.trials(state="complete")}
        for result in results:
            trial = stored[result.config["trial"]]
            assert trial["accuracy"] == pytest.approx(toy_accuracy(result.config))
            assert trial["metrics"] == {"loss": pytest.approx(2.0 - result.config["width"])}
        assert len({(t["resolution"], t["width"], tuple(t["mv2_depths"]), tuple(t["vit_depths"]))
                    for t in stored.values()}) == 12
    finally:
        assert server.stop() == 0, server.log()[-2000:]
