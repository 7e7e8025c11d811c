"""The timing rules with a deterministic fake machine: warm-up and run counts, median and
interquartile range (against the standard library's quantiles), and the spread refusal."""

from __future__ import annotations

import itertools
import statistics

import pytest

from gpnav_torch.timing import (TimingPolicy, TimingPolicyError, UnstableMeasurement, require_stable, summarize,
                                time_runs)


class FakeMachine:
    """A clock that only moves when `run` runs: each run takes the next of `durations` seconds of
    wall time and `cpu_share` of it in CPU time."""

    def __init__(self, durations, cpu_share=1.0):
        self.durations = itertools.cycle(durations)
        self.cpu_share = cpu_share
        self.wall = self.cpu = 0.0
        self.runs = 0

    def run(self):
        duration = next(self.durations)
        self.wall += duration
        self.cpu += duration * self.cpu_share
        self.runs += 1

    def wall_clock(self):
        return self.wall

    def cpu_clock(self):
        return self.cpu


def _time(machine, **policy):
    return time_runs(machine.run, TimingPolicy(**policy), machine.wall_clock, machine.cpu_clock)


def test_median_and_interquartile_range_match_the_standard_librarys_inclusive_quantiles():
    times = [0.001 * k for k in (7, 3, 9, 1, 12, 5, 4, 8, 10, 2, 6, 11)]
    summary = summarize(times, [t / 2 for t in times])
    p25, p50, p75 = statistics.quantiles([1000 * t for t in times], n=4, method="inclusive")
    assert summary.latency_ms == pytest.approx(p50)
    assert (summary.p25_ms, summary.p75_ms) == (pytest.approx(p25), pytest.approx(p75))
    assert summary.latency_spread_ms == pytest.approx(p75 - p25)
    assert summary.relative_spread == pytest.approx((p75 - p25) / p50)
    assert summary.min_ms == pytest.approx(1.0)
    assert summary.cpu_ms == pytest.approx(p50 / 2)
    assert summary.cpu_spread_ms == pytest.approx((p75 - p25) / 2)
    assert summary.runs == 12


def test_warm_up_lasts_its_runs_and_its_seconds_whichever_is_longer():
    slow = FakeMachine([0.2])
    assert _time(slow, warmup_runs=5, warmup_seconds=0.5, min_runs=4, min_seconds=0).warmup_runs == 5
    fast = FakeMachine([0.01])
    assert _time(fast, warmup_runs=5, warmup_seconds=0.5, min_runs=4, min_seconds=0).warmup_runs == 50


def test_timed_runs_last_min_runs_and_min_seconds_but_stop_at_max_runs():
    assert _time(FakeMachine([0.5]), warmup_runs=0, warmup_seconds=0, min_runs=20, min_seconds=2).runs == 20
    assert _time(FakeMachine([0.01]), warmup_runs=0, warmup_seconds=0, min_runs=20, min_seconds=2).runs == 200
    assert _time(FakeMachine([0.01]), warmup_runs=0, warmup_seconds=0, min_runs=20, min_seconds=2,
                 max_runs=50).runs == 50


def test_steady_runs_report_their_median_spread_and_cpu_time():
    machine = FakeMachine([0.0100, 0.0102, 0.0098, 0.0101, 0.0099], cpu_share=0.9)
    summary = _time(machine, warmup_runs=3, warmup_seconds=0, min_runs=20, min_seconds=0)
    assert summary.runs == 20 and machine.runs == 23
    assert summary.latency_ms == pytest.approx(10.0)
    assert summary.latency_spread_ms == pytest.approx(0.2)
    assert summary.cpu_ms == pytest.approx(9.0)


def test_runs_whose_interquartile_range_is_over_max_spread_of_the_median_are_refused():
    # Half the runs take 10 ms, half 20 ms (a neighbour taking the core every other run).
    machine = FakeMachine([0.010, 0.020])
    with pytest.raises(UnstableMeasurement) as refused:
        _time(machine, warmup_runs=0, warmup_seconds=0, min_runs=20, min_seconds=0, max_spread=0.10)
    summary = refused.value.summary
    assert summary.latency_ms == pytest.approx(15.0)
    assert summary.latency_spread_ms == pytest.approx(10.0)
    assert "interquartile range 10 ms is 66.7 % of the median 15 ms over 20 runs (at most 10 % accepted)" \
        in str(refused.value)


def test_the_same_runs_pass_under_a_larger_max_spread():
    summary = _time(FakeMachine([0.010, 0.020]), warmup_runs=0, warmup_seconds=0, min_runs=20, min_seconds=0,
                    max_spread=0.7)
    assert summary.relative_spread == pytest.approx(2 / 3)


def test_spread_exactly_at_max_spread_is_accepted():
    summary = summarize([0.009, 0.010, 0.010, 0.011], [0.01] * 4)
    assert summary.relative_spread == pytest.approx(0.05)
    assert require_stable(summary, summary.relative_spread) is summary


@pytest.mark.parametrize("wall", [[0.0], [-0.001], [float("nan")], []])
def test_times_that_are_not_positive_and_finite_are_rejected(wall):
    with pytest.raises(ValueError):
        summarize(wall, [0.0] * len(wall))


@pytest.mark.parametrize("policy", [dict(min_runs=3), dict(min_runs=30, max_runs=20), dict(max_spread=0),
                                    dict(max_spread=float("nan")), dict(warmup_runs=-1), dict(min_seconds=-1)])
def test_a_policy_that_cannot_make_a_measurement_is_refused(policy):
    with pytest.raises(TimingPolicyError):
        TimingPolicy(**policy)
