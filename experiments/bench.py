"""Benchmarks of whole runs: wall time, household-agent steps per second and peak memory by
scale, beside Mesa's own Boltzmann wealth example as the reference for what a plain Mesa agent
loop costs on the same machine.

Everything runs in one process, one run after another. Peak memory is the process's resident
high-water mark, reset before each run where Linux allows it (``/proc/self/clear_refs``), so
each figure is that run's own peak; elsewhere it is the peak so far (runs in increasing size
then still give each scale's figure).

Each scale is timed twice over the same seeds, cold and warm in turn: **cold**, every run
building its 2010 economy as a lone ``ezhou run`` does, and **warm**, every run starting from a
copy of the same economy built earlier in the process, as a batch worker or the app's runner
does when it meets a seed again (``model/builds.py``; the build is made before the timing, and
a warm timing that did not start from a copy is refused).
"""

from __future__ import annotations

import gc
import math
import os
import platform
import resource
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from model.api import Simulation, build_cache, simulate
from model.scenario import Scenario

BOLTZMANN_AGENTS = 10_000
BOLTZMANN_GRID = 100


@dataclass
class ScaleResult:
    start: str  # "cold": each run builds its economy; "warm": each starts from a copy
    scale: int
    households: int  # household agents, mean over the run's quarters
    quarters: int
    seconds: list[float]  # wall time of each repeat (build and run)
    steps: int  # household-agent steps of one run
    peak_mb: float  # largest resident-memory peak among the repeats
    peak_exact: bool  # True when the peak was reset before each run

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.median_seconds


def _return_free_memory() -> None:
    """Hand memory freed by earlier runs (and the reference model) back to the system, so
    that the next run's peak is its own (glibc only; elsewhere nothing happens)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _reset_peak() -> bool:
    _return_free_memory()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status, MB (Linux; None elsewhere)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def resident_mb() -> float | None:
    """The process's resident memory now, MB."""
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    peak = _status_mb("VmHWM")
    # elsewhere, the peak since the process started (ru_maxrss is in kilobytes on Linux)
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_scale(
    scenario: Scenario, scale: int, repeat: int, progress=None, warm: bool = False
) -> ScaleResult:
    """Run ``scenario`` at ``scale`` ``repeat`` times (seeds seed, seed+1, ...): cold, or
    ``warm`` (each seed's 2010 economy built first, untimed, and each timed run started from
    a copy of it)."""
    start = "warm" if warm else "cold"
    return time_starts(scenario, scale, repeat, (start,), progress)[start]


def time_starts(
    scenario: Scenario,
    scale: int,
    repeat: int,
    starts: tuple[str, ...] = ("cold", "warm"),
    progress=None,
) -> dict[str, ScaleResult]:
    """Time ``scenario`` at ``scale`` on ``repeat`` seeds (seed, seed+1, ...), each seed run
    once for each of ``starts``: ``"cold"`` (the run builds its 2010 economy) and ``"warm"``
    (it starts from a copy of one built before, untimed). With both, the order alternates
    from seed to seed, so that a change in the machine's speed weighs on both alike."""
    sc = scenario.with_run(scale=scale)
    seconds: dict[str, list[float]] = {start: [] for start in starts}
    peak = dict.fromkeys(starts, 0.0)
    steps, exact, quarters = 0, True, 0
    # a short run first, so that imports and first-call costs do not count
    simulate(sc.with_run(end_year=sc.run.start_year), sc.run.seed, check_invariants=False)
    builds = build_cache()
    for i in range(repeat):
        seed = sc.run.seed + i
        for start in starts if i % 2 == 0 else starts[::-1]:
            warm = start == "warm"
            if warm:  # (kept only for the warm run: a cold run's peak has no build beside it)
                Simulation(sc, seed, check_invariants=False, reuse_build=True)
            copies = builds.hits
            gc.collect()
            exact = _reset_peak() and exact
            t0 = time.perf_counter()
            res = simulate(sc, seed, check_invariants=False, reuse_build=warm)
            seconds[start].append(time.perf_counter() - t0)
            peak[start] = max(peak[start], _peak_mb())
            if warm and builds.hits != copies + 1:
                raise RuntimeError(
                    f"scale {scale}, seed {seed}: the warm run built its own economy"
                )
            steps, quarters = res.household_agent_steps, len(res.quarterly)
            del res
            builds.clear()
        if progress:
            progress(scale, i + 1, repeat)
    return {
        start: ScaleResult(
            start, scale, steps // quarters, quarters, seconds[start], steps, peak[start], exact
        )
        for start in starts
    }


def boltzmann_rate(steps: int = 20, repeat: int = 3) -> tuple[float, list[float]]:
    """Agent steps per second of Mesa's bundled Boltzmann wealth model (10,000 agents on a
    100 x 100 grid): median over ``repeat`` timings of ``steps`` steps each."""
    from mesa.examples.basic.boltzmann_wealth_model.model import (
        BoltzmannScenario,
        BoltzmannWealth,
    )

    rates = []
    for i in range(repeat):
        model = BoltzmannWealth(
            scenario=BoltzmannScenario(
                n=BOLTZMANN_AGENTS, width=BOLTZMANN_GRID, height=BOLTZMANN_GRID, rng=i + 1
            )
        )
        model.step()  # warm up: the first step fills caches
        t0 = time.perf_counter()
        for _ in range(steps):
            model.step()
        rates.append(BOLTZMANN_AGENTS * steps / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def growth_exponent(results: list[ScaleResult]) -> float | None:
    """Slope of log(time) on log(household agents): 1 means time grows linearly."""
    pts = [(r.households, r.median_seconds) for r in results if r.households > 0]
    if len(pts) < 3:
        return None
    x = np.log([p[0] for p in pts])
    y = np.log([p[1] for p in pts])
    return float(np.polyfit(x, y, 1)[0])


def machine() -> dict[str, str]:
    info = {
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        load = os.getloadavg()
        info["load_before"] = f"{load[0]:.2f}"
    except OSError:
        pass
    return info


HEADER = (
    f"{'start':>5} {'scale':>6} {'households':>11} {'quarters':>9} {'median s':>9} {'min s':>7} "
    f"{'max s':>7} {'hh-agent-steps/s':>17} {'peak MB':>8}"
)
STARTS = (
    "cold: each run builds its 2010 economy (a lone `ezhou run`); warm: each starts from a "
    "copy of the same economy built before in the process (a batch worker or the app's "
    "runner meeting a seed again)"
)


def format_row(r: ScaleResult) -> str:
    return (
        f"{r.start:>5} {r.scale:>6} {r.households:>11,} {r.quarters:>9} {r.median_seconds:>9.3f} "
        f"{min(r.seconds):>7.3f} {max(r.seconds):>7.3f} {r.steps_per_second:>17,.0f} "
        f"{r.peak_mb:>8.0f}"
    )


def as_records(results: list[ScaleResult]) -> list[dict]:
    out = []
    for r in results:
        d = asdict(r)
        d["median_seconds"] = r.median_seconds
        d["steps_per_second"] = r.steps_per_second
        out.append(d)
    return out


def ratio(results: list[ScaleResult], reference: float) -> float | None:
    """Our household-agent steps per second at the largest city (smallest scale) against the
    reference model's agent steps per second."""
    if not results or not reference or math.isnan(reference):
        return None
    return min(results, key=lambda r: r.scale).steps_per_second / reference
