"""A multi-objective search from end to end: pymoo's NSGA-II or NSGA-III proposes candidates
(lever values), every candidate runs on the same ensemble of futures and seeds through the
batch engine, and the ensemble's statistic of each objective is told back to the algorithm.

The algorithm is driven in ask-and-tell mode, one generation at a time. Each generation's
runs are a batch of their own in ``DIR/generations/gen-NNNN/`` (executors, Parquet parts,
manifest and ``--resume`` of :mod:`experiments.engine`); when they are all in, their outcomes
are written whole to that folder's ``outcomes.parquet``, and only what that file holds is told
to the algorithm. So a stopped search (Ctrl-C, ``kill -9``) resumes exactly: the algorithm is
built again from the spec's seed and replays the finished generations from their stored
outcomes (pymoo draws only from its own seeded generator, so it asks for the same candidates
again, which is checked), then continues the generation that was under way from its parts.
No algorithm state is pickled.

A run's result depends only on its seed and factors, so the search's results are the same
whatever the executor and the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.analysis.outputs import per_run
from experiments.analysis.search_problem import (
    candidate_levers,
    generation_tasks,
    hypervolume,
    make_algorithm,
    non_dominated,
    objectives_and_constraints,
    work_function,
)
from experiments.analysis.search_results import (
    check_search_folder,
    write_head,
    write_results,
)
from experiments.engine.atomic import replace_bytes
from experiments.engine.execute import execute
from experiments.engine.lock import locked_folder
from experiments.engine.store import load_results
from experiments.errors import UserError
from experiments.formats.search import Search

GENERATIONS = "generations"
OUTCOMES = "outcomes.parquet"  # written whole once a generation's runs are all in


@dataclass
class SearchOutcome:
    out: Path
    candidates: pd.DataFrame  # every candidate of every generation
    front: pd.DataFrame  # the final Pareto set (feasible, non-dominated, distinct levers)
    convergence: pd.DataFrame  # per generation: candidates so far, front size, hypervolume
    n_runs: int
    n_failed_runs: int
    ran_now: int
    wall_seconds: float
    executor: str


def generation_folder(out: Path, generation: int) -> Path:
    return Path(out) / GENERATIONS / f"gen-{generation:04d}"


def run_search(
    search: Search,
    out: Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: Path | None = None,
    host: str = "127.0.0.1",
    resume: bool = False,
    quiet: bool = False,
    watch: Callable[[int, int], None] | None = None,
) -> SearchOutcome:
    """Run (or continue, with ``resume``) the search into ``out`` and write its results.

    ``watch``, if given, is called often (at least once a second while runs are under way)
    with the runs of the search finished so far and its runs in all, in place of the
    progress bar; it may raise ``KeyboardInterrupt`` (or a subclass) to stop the search as
    Ctrl-C does: what finished is kept, and ``resume`` continues it."""
    from pymoo.core.evaluator import Evaluator
    from pymoo.problems.static import StaticProblem

    out = Path(out)
    t0 = time.perf_counter()
    fingerprint = search.fingerprint()
    check_search_folder(out, fingerprint, resume)  # a refused folder is not touched
    options = {
        "executor": executor,
        "workers": workers,
        "scheduler": scheduler,
        "scheduler_file": scheduler_file,
        "host": host,
        "quiet": quiet,
        "watch": watch,
    }
    with locked_folder(out):
        check_search_folder(out, fingerprint, resume)
        write_head(out, search, fingerprint)
        algorithm, problem = make_algorithm(search)
        candidates, evaluations, convergence = [], [], []
        scale: tuple[np.ndarray, np.ndarray] | None = None
        ran, where = 0, executor
        generations = search.spec.algorithm.generations
        for generation in range(generations):
            started = time.perf_counter()
            population = algorithm.ask()
            levers = candidate_levers(search, population.get("X"))
            try:
                runs, ran_here, where = _generation_runs(
                    search, out, generation, levers, fingerprint, options
                )
            except KeyboardInterrupt:
                print(
                    f"search stopped in generation {generation + 1} of {generations}; what "
                    f"finished is kept in {out}: continue with --resume",
                    file=sys.stderr,
                )
                raise
            ran += ran_here
            values = objectives_and_constraints(search, runs)
            Evaluator().eval(StaticProblem(problem, F=values["F"], G=values["G"]), population)
            algorithm.tell(infills=population)

            table = _candidate_table(search, generation, levers, values)
            candidates.append(table)
            evaluations.append(runs.assign(generation=generation))
            archive = pd.concat(candidates, ignore_index=True)
            if scale is None:  # the hypervolume's yardstick, fixed by the first generation
                scale = _ideal_and_nadir(search, table)
            front = _front(search, archive)
            volume = hypervolume(_minimised(search, front), *scale)
            convergence.append(
                {
                    "generation": generation,
                    "candidates": len(archive),
                    "runs": len(archive) * search.runs_per_candidate,
                    "front_size": len(front),
                    "hypervolume": volume,
                }
            )
            print(
                f"generation {generation + 1}/{generations}: {len(levers)} candidates, "
                f"{ran_here} runs now ({time.perf_counter() - started:.1f} s); front "
                f"{len(front)}, hypervolume {volume:.4f}",
                file=sys.stderr,
                flush=True,
            )
        archive = pd.concat(candidates, ignore_index=True)
        front = _front(search, archive)
        history = pd.DataFrame(convergence)
        every_run = pd.concat(evaluations, ignore_index=True)
        wall = time.perf_counter() - t0
        n_failed = int(every_run["error"].notna().sum())
        write_results(
            out,
            search,
            fingerprint,
            every_run,
            archive,
            front,
            history,
            {
                "ideal": scale[0].tolist(),
                "nadir": scale[1].tolist(),
                "failed_runs": n_failed,
                "executor": where,
                "wall_seconds": round(wall, 3),
                "runs_this_session": ran,
            },
        )
    return SearchOutcome(out, archive, front, history, len(every_run), n_failed, ran, wall, where)


def _generation_runs(
    search: Search,
    out: Path,
    generation: int,
    levers: list[dict[str, Any]],
    fingerprint: str,
    options: dict[str, Any],
) -> tuple[pd.DataFrame, int, str]:
    """The outcomes of a generation's runs, in run order: read back when the generation
    finished in an earlier session, else run (what is missing) through the batch engine."""
    folder = generation_folder(out, generation)
    stored = folder / OUTCOMES
    tasks = generation_tasks(search, levers)
    watch = options["watch"]
    # runs of the generations before this one (each holds a population, but for duplicates
    # pymoo could not replace: a count for progress, not for results)
    before = generation * search.spec.algorithm.population * search.runs_per_candidate
    if stored.is_file():
        runs = pd.read_parquet(stored)
        _check_replay(search, runs, tasks, stored)
        if watch is not None:
            watch(before + len(tasks), search.n_runs)
        return runs, 0, options["executor"]
    content = json.dumps([fingerprint, generation, levers], sort_keys=True, default=str)
    meta = {"kind": "search-generation", "name": search.name, "generation": generation}

    def told(done: int, failed: int, final: bool) -> None:
        if watch is not None:
            watch(before + done + failed, search.n_runs)

    # the engine's progress bar, unless told to be quiet or someone watches
    progress = told if watch is not None or options["quiet"] else None
    run_options = {key: value for key, value in options.items() if key not in ("quiet", "watch")}
    ran, where = 0, options["executor"]
    for attempt in range(2):  # runs that failed (a worker that died...) are tried once more
        outcome = execute(
            tasks,
            work_function(search),
            folder,
            fingerprint=hashlib.sha256(content.encode()).hexdigest(),
            meta=meta,
            tables=("annual",),
            resume=attempt > 0 or folder.exists(),
            quiet=options["quiet"],
            summary=False,
            progress=progress,
            **run_options,
        )
        ran, where = ran + outcome.n_ran, outcome.executor
        if not outcome.n_failed:
            break
    runs = _run_outcomes(search, folder, tasks, outcome.failures)
    data = runs.to_parquet(index=False)
    replace_bytes(stored, data)
    return pd.read_parquet(stored), ran, where  # what is told is what was stored


def _run_outcomes(search: Search, folder: Path, tasks, failures) -> pd.DataFrame:
    """One row per run: ids, levers, conditions, each objective's and constraint's value
    (NaN for a failed run) and the error of a failed one."""
    n_futures, n_seeds = len(search.futures), len(search.seeds)
    rows = pd.DataFrame(
        {
            "run_id": [task.run_id for task in tasks],
            "candidate": [task.point_id for task in tasks],
            "future": [(task.run_id // n_seeds) % n_futures for task in tasks],
            "seed": [task.seed for task in tasks],
        }
    )
    factors = pd.DataFrame([task.factors for task in tasks])
    rows = pd.concat([rows, factors], axis=1)
    errors = {run_id: error for run_id, _, error in failures}
    done = len(tasks) - len(errors)
    annual = load_results(folder, "annual") if done else None
    outcomes = [*search.spec.objectives, *search.spec.constraints]
    names = [*search.objective_names, *search.constraint_names]
    for outcome, name in zip(outcomes, names, strict=True):
        if annual is None:
            rows[name] = np.nan
        else:
            rows[name] = per_run(annual, outcome).reindex(rows.run_id).to_numpy(dtype=float)
    rows["error"] = pd.Series([errors.get(run_id) for run_id in rows.run_id], dtype=object)
    return rows


def _check_replay(search: Search, runs: pd.DataFrame, tasks, stored: Path) -> None:
    """The algorithm asked for the same candidates as when the generation was run."""
    paths = [decision.path for decision in search.decisions]
    expected = pd.DataFrame([{path: task.factors[path] for path in paths} for task in tasks])
    same = len(runs) == len(tasks) and all(
        list(runs[path]) == list(expected[path]) for path in paths if path in runs
    )
    if not same or any(path not in runs for path in paths):
        raise UserError(
            f"{stored}: holds other candidates than the search asks for now (a different "
            "version of the code or of pymoo?); continue with the version that started it, "
            "or choose another --out"
        )


def _candidate_table(
    search: Search, generation: int, levers: list[dict[str, Any]], values: dict[str, np.ndarray]
) -> pd.DataFrame:
    table = pd.DataFrame(levers)
    table.insert(0, "candidate", range(len(levers)))
    table.insert(0, "generation", generation)
    for name in [*search.objective_names, *search.constraint_names]:
        table[name] = values[name]
    table["failed_runs"] = values["failed_runs"]
    table["feasible"] = (values["G"] <= 0).all(axis=1)
    return table


def _minimised(search: Search, table: pd.DataFrame) -> np.ndarray:
    """The objectives of a candidate table as minimised (a maximised one negated)."""
    columns = [
        -table[name] if objective.sense == "max" else table[name]
        for objective, name in zip(search.spec.objectives, search.objective_names, strict=True)
    ]
    return np.column_stack(columns).astype(float) if len(table) else np.empty((0, len(columns)))


def _ideal_and_nadir(search: Search, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The best and worst value of each objective (as minimised) in a generation's feasible
    candidates (all of them if none is feasible)."""
    rows = table[table.feasible] if table.feasible.any() else table
    minimised = _minimised(search, rows)
    return minimised.min(axis=0), minimised.max(axis=0)


def _front(search: Search, archive: pd.DataFrame) -> pd.DataFrame:
    """The Pareto set of every candidate so far: feasible, non-dominated, each package once
    (the first time it was evaluated). Two candidates are one package when their levers
    differ only in those of reforms both switch off, which do nothing."""
    feasible = archive[archive.feasible]
    package = _effective_levers(search, feasible)
    feasible = feasible[~package.duplicated(keep="first")]
    keep = non_dominated(_minimised(search, feasible))
    return feasible.iloc[keep].reset_index(drop=True)


def _effective_levers(search: Search, table: pd.DataFrame) -> pd.DataFrame:
    """The candidates' levers, blank where a decision switches their reform off."""
    paths = [decision.path for decision in search.decisions]
    levers = table[paths].astype(object)
    for path in paths:
        switch = ".".join(path.split(".")[:2]) + ".enabled"
        if path != switch and switch in levers:
            levers.loc[levers[switch] == False, path] = None  # noqa: E712 - a column of bools
    return levers
