"""Config loading and build_model by family: gpnav's MobileViT v1 `{config}` builds the v1 network
with the config's exact counts, a config without `family` is MobileViTv2, an unknown family is refused."""

from __future__ import annotations

import json

import pytest

from conftest import gpnav_config, gpnav_trial_config
from gpnav_torch import ConfigError, build_model, load_config
from gpnav_torch.counting import count_macs, count_params

V1_ARCHITECTURE = ("--family", "mobilevit", "--resolution", "96", "--width", "0.5", "--mv2-depths", "1,1",
                   "--vit-depths", "1,2,1", "--classes", "3")


@pytest.fixture(scope="module")
def v1_config(tmp_path_factory):
    return gpnav_trial_config(str(tmp_path_factory.mktemp("v1")), *V1_ARCHITECTURE)


def test_gpnav_writes_a_v1_config_with_its_family(v1_config):
    assert v1_config["family"] == "mobilevit"
    assert "heads" in v1_config["channel_plan"]["stages"][2]["mobilevit"]


def test_v1_config_loads_as_family_mobilevit_with_its_choices(v1_config):
    trial = load_config(v1_config)
    assert trial.family == "mobilevit"
    assert (trial.depths, trial.classes) == ((("mv2_depths", (1, 1)), ("vit_depths", (1, 2, 1))), 3)
    assert dict(trial.choices) == {"base_plan": v1_config["base_plan"], "expansion": v1_config["expansion"]}
    assert trial.name.startswith("mobilevit r96 w0.5 mv2(1,1) vit(1,2,1) base_plan=")


def test_v1_config_builds_the_v1_network_with_the_configs_params_and_macs(v1_config):
    model = build_model(v1_config)
    assert count_params(model) == v1_config["params"]
    assert count_macs(model, v1_config["resolution"]) == v1_config["macs"]
    assert type(model.stages[2][1]).__name__ == "MobileVitBlock"  # v1's block, not MobileViTv2's


def test_config_without_family_is_mobilevitv2():
    config = gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 3)
    assert "family" not in config
    trial = load_config(config)
    assert (trial.family, trial.choices) == ("mobilevitv2", ())
    assert type(build_model(trial).stages[2][1]).__name__ == "MobileVitV2Block"


@pytest.mark.parametrize("family", ["efficientnet", 7, None], ids=["unknown-name", "number", "null"])
def test_unknown_family_is_refused_with_a_config_error(v1_config, family):
    with pytest.raises(ConfigError, match="config key 'family' is .*builds the families 'mobilevitv2', 'mobilevit' and"):
        load_config(dict(v1_config, family=family))


def test_v1_plan_under_the_v2_family_is_refused(v1_config):
    config = {key: value for key, value in v1_config.items() if key != "family"}
    with pytest.raises(ConfigError, match="channel_plan"):
        load_config(config)


def test_v1_config_without_base_plan_is_refused(v1_config):
    config = {key: value for key, value in v1_config.items() if key != "base_plan"}
    with pytest.raises(ConfigError, match="base_plan"):
        load_config(json.loads(json.dumps(config)))


def test_every_family_folder_is_registered_once_and_builds_under_its_name():
    import pathlib

    from gpnav_torch import families
    folders = sorted(path.name for path in pathlib.Path(families.__file__).parent.iterdir()
                     if (path / "__init__.py").is_file())
    assert sorted(families._REGISTERED) == folders
    assert list(families.FAMILIES) == ["mobilevitv2", "mobilevit", "mobilenetv2"]
    assert all(callable(family.build) and callable(family.read_plan) for family in families.FAMILIES.values())
