"""Timing a callable: warm-up, timed runs, their median and spread, and the rule that refuses a
measurement too noisy to trust.

The statistics, precisely (`summarize`):

- each timed run has a wall time (`wall_clock`, `time.perf_counter` by default) and a CPU time
  (`cpu_clock`, `time.process_time`: every thread of the process, so a runtime with several
  threads can spend more CPU than wall time, and a process that waited for a core spends less);
- `latency_ms` is the median of the runs' wall times; `cpu_ms` the median of their CPU times;
  `cpu_spread_ms` the interquartile range of the CPU times (on a machine whose cores are shared,
  a single-threaded run's CPU time leaves out the time it waited for a core, and so varies far
  less than its wall time);
- `latency_spread_ms` is the interquartile range of the wall times, p75 - p25, with quantiles
  interpolated linearly between order statistics (numpy's default, Hyndman and Fan's type 7);
- `relative_spread` = `latency_spread_ms / latency_ms`.

The rule (`require_stable`): a measurement whose relative spread is over `max_spread` (10 % by
default) is refused with `UnstableMeasurement`. Half of the runs lie between p25 and p75, so a
spread over 10 % of the median says that the runs disagree by more than the +/-10 % within which
a latency model is asked to predict; the median of such runs depends on what else the machine
was doing.

How many runs (`TimingPolicy`): first at least `warmup_runs` runs and `warmup_seconds` of
untimed warm-up (allocations, caches, lazy initialisation of the runtime); then timed runs
until there are at least `min_runs` of them and they took at least `min_seconds` together, or
`max_runs` of them. With 20 runs or more, the median's distribution-free 95 % confidence
interval lies between the 6th and 15th of 20 ordered runs, inside the interquartile range, so
a measurement that passes the rule has a median known to better than +/-10 %.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Clock = Callable[[], float]


class TimingPolicyError(ValueError):
    """A timing policy whose numbers cannot make a measurement."""


@dataclass(frozen=True)
class TimingPolicy:
    """How long to warm up, how many runs to time, and how much spread to accept."""

    warmup_runs: int = 5
    warmup_seconds: float = 0.5
    min_runs: int = 20
    min_seconds: float = 2.0
    max_runs: int = 1000
    max_spread: float = 0.10

    def __post_init__(self) -> None:
        if self.warmup_runs < 0 or self.warmup_seconds < 0 or self.min_seconds < 0:
            raise TimingPolicyError("warm-up runs, warm-up seconds and minimum seconds must not be negative")
        if not 4 <= self.min_runs <= self.max_runs:
            raise TimingPolicyError(f"need 4 <= min_runs <= max_runs (quartiles need a few runs), "
                             f"got {self.min_runs} and {self.max_runs}")
        if not (math.isfinite(self.max_spread) and self.max_spread > 0):
            raise TimingPolicyError(f"max_spread must be a positive fraction, got {self.max_spread}")


@dataclass(frozen=True)
class LatencySummary:
    """The statistics of a list of timed runs, in milliseconds (see the module's doc)."""

    latency_ms: float
    latency_spread_ms: float
    p25_ms: float
    p75_ms: float
    min_ms: float
    cpu_ms: float
    cpu_spread_ms: float
    runs: int
    warmup_runs: int

    @property
    def relative_spread(self) -> float:
        """Interquartile range over median."""
        return self.latency_spread_ms / self.latency_ms


class UnstableMeasurement(Exception):
    """A measurement whose runs spread more than the policy accepts; `summary` holds it."""

    def __init__(self, summary: LatencySummary, max_spread: float):
        self.summary, self.max_spread = summary, max_spread
        super().__init__(
            f"the timed runs spread too much to trust their median: interquartile range "
            f"{summary.latency_spread_ms:.3g} ms is {100 * summary.relative_spread:.1f} % of the median "
            f"{summary.latency_ms:.3g} ms over {summary.runs} runs (at most {100 * max_spread:g} % accepted); "
            f"median CPU time {summary.cpu_ms:.3g} ms")


def summarize(wall_seconds: Sequence[float], cpu_seconds: Sequence[float], warmup_runs: int = 0) -> LatencySummary:
    """The median, quartiles, minimum and median CPU time of timed runs given in seconds.

    Raises ValueError for fewer than one run, lists of different lengths, or a time that is
    not finite or not positive (a clock that went backwards, or a run that timed nothing).
    """
    wall = np.asarray(wall_seconds, dtype=float) * 1000.0
    cpu = np.asarray(cpu_seconds, dtype=float) * 1000.0
    if wall.size == 0 or wall.shape != cpu.shape:
        raise ValueError(f"need as many CPU times as wall times, at least one; got {wall.size} and {cpu.size}")
    if not np.all(np.isfinite(wall)) or not np.all(wall > 0) or not np.all(np.isfinite(cpu)) or not np.all(cpu >= 0):
        raise ValueError("a timed run has a wall time that is not positive or a CPU time that is negative or not finite")
    p25, median, p75 = np.percentile(wall, [25, 50, 75])
    cpu_p25, cpu_median, cpu_p75 = np.percentile(cpu, [25, 50, 75])
    return LatencySummary(latency_ms=float(median), latency_spread_ms=float(p75 - p25), p25_ms=float(p25),
                          p75_ms=float(p75), min_ms=float(wall.min()), cpu_ms=float(cpu_median),
                          cpu_spread_ms=float(cpu_p75 - cpu_p25), runs=int(wall.size), warmup_runs=warmup_runs)


def require_stable(summary: LatencySummary, max_spread: float) -> LatencySummary:
    """`summary` when its relative spread is at most `max_spread`; UnstableMeasurement otherwise."""
    if not summary.relative_spread <= max_spread:
        raise UnstableMeasurement(summary, max_spread)
    return summary


def time_runs(run: Callable[[], object], policy: TimingPolicy = TimingPolicy(),
              wall_clock: Clock = time.perf_counter, cpu_clock: Clock = time.process_time) -> LatencySummary:
    """Warms up, times `run` as `policy` says, and returns the summary if it passes the spread rule.

    `wall_clock` and `cpu_clock` return seconds; tests pass deterministic fakes. Raises
    UnstableMeasurement when the runs spread more than `policy.max_spread`.
    """
    warmups, started = 0, wall_clock()
    while warmups < policy.warmup_runs or wall_clock() - started < policy.warmup_seconds:
        run()
        warmups += 1
    wall_times, cpu_times = [], []
    timed = 0.0
    while len(wall_times) < policy.max_runs and (len(wall_times) < policy.min_runs or timed < policy.min_seconds):
        wall_before, cpu_before = wall_clock(), cpu_clock()
        run()
        wall_after, cpu_after = wall_clock(), cpu_clock()
        wall_times.append(wall_after - wall_before)
        cpu_times.append(cpu_after - cpu_before)
        timed += wall_after - wall_before
    return require_stable(summarize(wall_times, cpu_times, warmups), policy.max_spread)
