"""The latency command: its JSON line (keys and self-consistent values, no timing asserted), the
spread refusal with a deterministic fake clock, bad inputs, and the CPU's name."""

from __future__ import annotations

import itertools
import json

import pytest

from conftest import gpnav_config, run_module
from gpnav_torch import latency as latency_module
from gpnav_torch.runtimes import cpu_model_name

# Few runs and any spread: these tests pin the report, not the machine's noise.
_QUICK = ("--min-runs", "5", "--min-seconds", "0", "--warmup-runs", "1", "--max-spread", "1000")
_KEYS = {"latency_ms", "latency_spread_ms", "relative_spread", "p25_ms", "p75_ms", "min_ms", "cpu_ms", "cpu_spread_ms", "runs",
         "warmup_runs", "max_spread", "runtime", "runtime_version", "precision", "threads", "batch", "device",
         "load_average_1m", "cpu_count", "architecture", "resolution", "macs", "params"}


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    document = gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 3)
    path = tmp_path_factory.mktemp("latency") / "config.json"
    path.write_text(json.dumps(document))
    return str(path), document


def _latency(capsys, *arguments, **clocks):
    status = latency_module.main(list(arguments), **clocks)
    captured = capsys.readouterr()
    return status, captured.out, [line for line in captured.err.splitlines() if line.strip()]


def _check_report(report, document, runtime, precision, batch=1):
    assert _KEYS <= set(report)
    assert (report["runtime"], report["precision"], report["threads"], report["batch"]) == (runtime, precision, 1, batch)
    assert (report["macs"], report["params"], report["resolution"]) == (document["macs"], document["params"], 96)
    assert report["device"] == cpu_model_name() and report["device"]
    assert report["runs"] >= 5 and report["warmup_runs"] >= 1
    assert 0 < report["min_ms"] <= report["p25_ms"] <= report["latency_ms"] <= report["p75_ms"]
    assert report["latency_spread_ms"] == pytest.approx(report["p75_ms"] - report["p25_ms"], abs=2e-4)
    assert report["relative_spread"] == pytest.approx(report["latency_spread_ms"] / report["latency_ms"], abs=2e-4)
    assert report["cpu_ms"] > 0 and report["cpu_spread_ms"] >= 0


def test_command_prints_one_json_line_with_latency_spread_runtime_threads_and_device(config):
    path, document = config
    completed = run_module("latency", "--config", path, *_QUICK)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == 1
    _check_report(json.loads(lines[0]), document, "onnxruntime", "float32")


def test_torch_runtime_reports_the_same_keys_at_batch_2(config, capsys):
    path, document = config
    status, out, errors = _latency(capsys, "--config", path, "--runtime", "torch", "--device", "cpu",
                                   "--batch", "2", *_QUICK)
    assert (status, errors) == (0, [])
    _check_report(json.loads(out), document, "torch", "float32", batch=2)


def test_int8_measures_the_quantised_model_and_says_how_it_was_calibrated(config, capsys):
    path, document = config
    status, out, errors = _latency(capsys, "--config", path, "--int8", *_QUICK)
    assert (status, errors) == (0, [])
    report = json.loads(out)
    _check_report(report, document, "onnxruntime", "int8")
    assert report["int8_calibration"] == "8 random images, uniform in [0, 1)"


def _fake_clock(increments):
    """A clock that moves on by the next of `increments` seconds each time it is read."""
    steps, now = itertools.cycle(increments), [0.0]

    def read():
        now[0] += next(steps)
        return now[0]
    return read


def test_noisy_runs_are_refused_with_exit_1_and_one_line_saying_why(config, capsys):
    path, _ = config
    # Read before and after each run, an odd cycle of increments gives runs of 1 to 50 ms in turn.
    wall = _fake_clock([0.001, 0.002, 0.004, 0.010, 0.050])
    status, out, errors = _latency(capsys, "--config", path, "--min-runs", "20", "--min-seconds", "0",
                                   "--warmup-runs", "1", wall_clock=wall, cpu_clock=_fake_clock([0.001]))
    assert (status, out, len(errors)) == (1, "", 1)
    assert errors[0].startswith("gpnav_torch.latency: error: measurement refused: ")
    assert "interquartile range" in errors[0] and "(at most 10 % accepted)" in errors[0]


def test_steady_fake_runs_pass_and_report_the_fake_clocks_times(config, capsys):
    path, document = config
    status, out, errors = _latency(capsys, "--config", path, "--min-runs", "20", "--min-seconds", "0",
                                   "--warmup-runs", "1", wall_clock=_fake_clock([0.005]), cpu_clock=_fake_clock([0.002]))
    assert (status, errors) == (0, [])
    report = json.loads(out)
    assert (report["latency_ms"], report["latency_spread_ms"], report["cpu_ms"], report["runs"]) == (5.0, 0.0, 2.0, 20)


@pytest.mark.parametrize("arguments, message", [
    (("--threads", "0"), "threads and batch must be at least 1"),
    (("--int8", "--runtime", "torch"), "int8 is measured with the onnxruntime runtime only"),
    (("--device", "cuda"), "onnxruntime runs on the CPU"),
    (("--runtime", "tflite"), "invalid choice: 'tflite'"),
    (("--min-runs", "2"), "need 4 <= min_runs <= max_runs"),
    (("--max-spread", "0"), "max_spread must be a positive fraction"),
], ids=["threads-0", "int8-on-torch", "onnxruntime-on-cuda", "unknown-runtime", "too-few-runs", "zero-spread"])
def test_bad_arguments_are_one_line_and_exit_2(config, capsys, arguments, message):
    status, out, errors = _latency(capsys, "--config", config[0], *arguments)
    assert (status, out, len(errors)) == (2, "", 1)
    assert message in errors[0]


def test_bad_configs_are_one_line_and_exit_2(config, tmp_path, capsys):
    _, document = config
    cases = {
        "missing.json": None,
        "not-json.json": "{\"resolution\": ",
        "no-plan.json": json.dumps({key: value for key, value in document.items() if key != "channel_plan"}),
        "wrong-params.json": json.dumps(dict(document, params=document["params"] + 1)),
    }
    messages = {"missing.json": "does not exist", "not-json.json": "is not JSON", "no-plan.json": "no 'channel_plan'",
                "wrong-params.json": "the built network has"}
    for name, text in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text)
        status, out, errors = _latency(capsys, "--config", str(path), *_QUICK)
        assert (status, out, len(errors)) == (2, "", 1), name
        assert messages[name] in errors[0], name


def test_config_that_is_not_an_object_is_refused_in_exactly_one_line(tmp_path, capsys):
    path = tmp_path / "config.json"
    path.write_text("[]")
    status, out, errors = _latency(capsys, "--config", str(path))
    assert (status, out, errors) == (2, "", ["gpnav_torch.latency: error: config is not a JSON object"])


@pytest.mark.parametrize("text, name", [
    ("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n",
     "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"),
    ("processor\t: 0\nBogoMIPS\t: 108.00\nHardware\t: BCM2835\n", "BCM2835"),
])
def test_cpu_model_name_reads_proc_cpuinfo(tmp_path, text, name):
    path = tmp_path / "cpuinfo"
    path.write_text(text)
    assert cpu_model_name(str(path)) == name
