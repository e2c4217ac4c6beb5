"""Runs for the app: runs that advance quarter by quarter, background jobs on a pool of
workers that report progress and can be cancelled, a cache of finished runs, and what a run
will cost.

Nothing here knows about Streamlit; the same results come out as from ``ezhou run`` for the
same scenario and seeds.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from experiments.runner import Replications
from experiments.views.plans import default_workers
from model.api import RunResult, Simulation
from model.scenario import Scenario


class RunCancelled(Exception):
    """A background run was stopped at the user's request."""


# ---------------------------------------------------------------------- step-by-step runs
class StepRun:
    """One run of a scenario with one seed that advances a quarter at a time.

    ``result()`` at the end gives the same tables as :func:`model.api.simulate`. The app's
    processes live on and run the same few seeds again and again: each run starts from a copy
    of the 2010 economy built for its seed the first time (``reuse_build``; the same results).
    """

    def __init__(self, scenario: Scenario, seed: int | None = None):
        self.run = Simulation(scenario, seed, check_invariants=False, reuse_build=True)
        self.scenario = self.run.scenario

    @property
    def t(self) -> int:
        """Quarters done so far."""
        return self.run.t

    @property
    def n_quarters(self) -> int:
        return self.run.n_quarters

    @property
    def done(self) -> bool:
        return self.run.done

    @property
    def household_agent_steps(self) -> int:
        return self.run.household_agent_steps

    def label(self) -> str:
        """The quarter just simulated, e.g. ``2011Q2`` (the start year before any step)."""
        if self.t == 0:
            return f"{self.scenario.run.start_year}"
        year = self.scenario.run.start_year + (self.t - 1) // 4
        return f"{year}Q{(self.t - 1) % 4 + 1}"

    def step(self, quarters: int = 1) -> None:
        for _ in range(quarters):
            if self.done:
                return
            self.run.step()

    def quarterly(self) -> pd.DataFrame:
        """The quarters simulated so far (the model's raw records)."""
        if self.t == 0:
            return pd.DataFrame()
        return self.run.quarterly()

    def result(self) -> RunResult:
        return self.run.result()


def run_task(scenario: Scenario, seed: int, folder: str | None = None, task: int = 0):
    """One seed, run in a worker: writes its quarter to ``folder/<task>.progress`` and stops
    with :class:`RunCancelled` as soon as ``folder/cancel`` exists."""
    run = StepRun(scenario, seed)
    stop = os.path.join(folder, "cancel") if folder else None
    mark = os.path.join(folder, f"{task}.progress") if folder else None
    while not run.done:
        if stop and os.path.exists(stop):
            raise RunCancelled(f"seed {seed} stopped at quarter {run.t}")
        run.step()
        if mark:
            with open(mark, "w") as f:
                f.write(str(run.t))
    return run.result()


def _warm() -> int:
    """Import the model in a fresh worker (and hold it a moment, so that every worker gets
    one of these) so the first real run starts at once."""
    time.sleep(0.1)
    return os.getpid()


def make_pool(workers: int | None = None, kind: str = "processes") -> Executor:
    """A pool for background runs: processes (the default; spawned, not forked, since the
    app's server has threads) or threads (tests, notebooks). The workers start at once, in
    the background, so that the first run does not wait for them to import the model."""
    workers = workers or default_workers()
    if kind == "threads":
        return ThreadPoolExecutor(max_workers=workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(workers):
        pool.submit(_warm)
    return pool


# ---------------------------------------------------------------------- background jobs
@dataclass
class Job:
    """Runs of several scenarios (``groups``) over the same seeds, submitted to a pool.

    Poll ``progress()`` and ``finished``; ``cancel()`` stops pending runs at once and
    running ones at their next quarter; ``results()`` gives one :class:`Replications` a group.
    """

    groups: dict[str, Scenario]
    seeds: list[int]
    futures: dict[tuple[str, int], Future] = field(default_factory=dict)
    folder: str = ""
    started: float = 0.0
    ended: float | None = None
    cancelled: bool = False

    reused: int = 0  # runs taken from the cache

    @classmethod
    def submit(
        cls,
        pool: Executor,
        groups: dict[str, Scenario],
        seeds: list[int],
        cache: RunCache | None = None,
    ) -> Job:
        """Submit every group's run for every seed; runs already in ``cache`` (the same
        scenario and seed) are not run again, and new ones are added to it."""
        job = cls(dict(groups), list(seeds))
        job.folder = tempfile.mkdtemp(prefix="ezhou-job-")
        job.started = time.perf_counter()
        task = 0
        # seed by seed, so that every group's first seeds finish first
        for seed in job.seeds:
            for name, sc in job.groups.items():
                hit = cache.get(sc, seed) if cache is not None else None
                if hit is not None:
                    future: Future = Future()
                    future.set_result(hit)
                    job.reused += 1
                else:
                    future = pool.submit(run_task, sc, seed, job.folder, task)
                    if cache is not None:
                        future.add_done_callback(cache.keeper(sc, seed))
                job.futures[(name, seed)] = future
                task += 1
        return job

    @property
    def total_quarters(self) -> int:
        return sum(
            (sc.run.end_year - sc.run.start_year + 1) * 4 * len(self.seeds)
            for sc in self.groups.values()
        )

    @property
    def runs_done(self) -> int:
        return sum(1 for f in self.futures.values() if f.done() and not f.cancelled())

    @property
    def total_runs(self) -> int:
        return len(self.futures)

    @property
    def finished(self) -> bool:
        done = all(f.done() for f in self.futures.values())
        if done and self.ended is None:
            self.ended = time.perf_counter()
        return done

    @property
    def seconds(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    def progress(self) -> float:
        """Share of all quarters simulated so far (0 to 1)."""
        if self.finished:
            return 1.0
        quarters = 0
        for i in range(len(self.futures)):
            try:
                quarters += int(Path(self.folder, f"{i}.progress").read_text() or 0)
            except (OSError, ValueError):
                pass
        return min(quarters / max(self.total_quarters, 1), 0.999)

    def cancel(self) -> None:
        self.cancelled = True
        for f in self.futures.values():
            f.cancel()
        try:
            Path(self.folder, "cancel").touch()
        except OSError:
            pass

    def error(self) -> str | None:
        """The first failure of a run that was not cancelled, in one line."""
        for (name, seed), f in self.futures.items():
            if f.done() and not f.cancelled():
                exc = f.exception()
                if exc is not None and not isinstance(exc, RunCancelled):
                    return f"{name}, seed {seed}: {type(exc).__name__}: {exc}"
        return None

    def seeds_done(self) -> list[int]:
        """Seeds whose runs have all ended well (every group), in the order they were asked."""
        return [
            seed
            for seed in self.seeds
            if all(_ended_well(self.futures[(name, seed)]) for name in self.groups)
        ]

    def partial(self) -> dict[str, Replications] | None:
        """While the job runs: one :class:`Replications` a group over the seeds done so far
        (the same runs the full results will hold), or None before the first seed is done."""
        seeds = self.seeds_done()
        if not seeds:
            return None
        return {
            name: Replications(
                sc, seeds, [self.futures[(name, s)].result() for s in seeds], self.seconds
            )
            for name, sc in self.groups.items()
        }

    def results(self) -> dict[str, Replications]:
        out = {}
        for name, sc in self.groups.items():
            runs = [self.futures[(name, s)].result() for s in self.seeds]
            out[name] = Replications(sc, list(self.seeds), runs, self.seconds)
        self.close()
        return out

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _ended_well(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class RunCache:
    """Finished runs by scenario and seed, the most recent ``max_runs`` kept: the same
    scenario and seed give the same run, so a run asked for again is not repeated."""

    def __init__(self, max_runs: int = 400):
        self.max_runs = max_runs
        self._runs: OrderedDict[tuple[str, int], RunResult] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(scenario: Scenario, seed: int) -> tuple[str, int]:
        return scenario.with_run(seed=seed).model_dump_json(), int(seed)

    def get(self, scenario: Scenario, seed: int) -> RunResult | None:
        k = self.key(scenario, seed)
        with self._lock:
            run = self._runs.get(k)
            if run is not None:
                self._runs.move_to_end(k)
            return run

    def put(self, scenario: Scenario, seed: int, run: RunResult) -> None:
        k = self.key(scenario, seed)
        with self._lock:
            self._runs[k] = run
            self._runs.move_to_end(k)
            while len(self._runs) > self.max_runs:
                self._runs.popitem(last=False)

    def keeper(self, scenario: Scenario, seed: int):
        """A done-callback that keeps a successful run."""

        def keep(future: Future) -> None:
            if not future.cancelled() and future.exception() is None:
                self.put(scenario, seed, future.result())

        return keep

    def __len__(self) -> int:
        return len(self._runs)


def seconds_per_agent_step(reps: Replications) -> float | None:
    steps = sum(r.household_agent_steps for r in reps.runs)
    secs = sum(r.wall_seconds for r in reps.runs)
    return secs / steps if steps else None
