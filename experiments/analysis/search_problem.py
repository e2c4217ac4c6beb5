"""A search as pymoo sees it: the decisions as genes, the algorithm, the ensemble's statistic,
the hypervolume, and the DTLZ2 test problem's work function.

Every decision is a real gene between its bounds; whole-number levers and choices (a switch,
a named option) are rounded by a repair after sampling, crossover and mutation, so that a
gene is the lever's value itself (or its choice's index) and two candidates with the same
levers are the same candidate (pymoo's duplicate elimination then sees them as one).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from experiments.engine.model_task import ALWAYS_KEPT, ModelJob, run_model_task
from experiments.engine.tasks import Task
from experiments.formats.search import Search

# a candidate some of whose runs failed is infeasible by this much: never in the front
FAILED_VIOLATION = 1e6
HYPERVOLUME_REFERENCE = 1.1  # reference point in the objectives scaled by the first generation


def gene_bounds(search: Search) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower and upper bounds of each gene, and which genes are rounded."""
    low = np.array([decision.low for decision in search.decisions], dtype=float)
    high = np.array([decision.high for decision in search.decisions], dtype=float)
    whole = np.array([decision.kind != "real" for decision in search.decisions], dtype=bool)
    return low, high, whole


def make_algorithm(search: Search):
    """The seeded pymoo algorithm set up on the search's problem, for ask and tell."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.algorithms.moo.nsga3 import NSGA3
    from pymoo.core.problem import Problem
    from pymoo.core.repair import Repair
    from pymoo.util.ref_dirs import get_reference_directions

    low, high, whole = gene_bounds(search)

    class RoundWhole(Repair):
        """Whole-number levers and choices' indices are whole."""

        def _do(self, problem, X, **kwargs):  # noqa: N803 - pymoo's argument name
            X[:, whole] = np.clip(np.round(X[:, whole]), low[whole], high[whole])
            return X

    problem = Problem(
        n_var=len(search.decisions),
        n_obj=len(search.spec.objectives),
        n_ieq_constr=len(search.spec.constraints) + 1,  # the last: all runs finished
        xl=low,
        xu=high,
    )
    population = search.spec.algorithm.population
    if search.algorithm == "nsga3":
        n_objectives = len(search.spec.objectives)
        partitions = search.spec.algorithm.partitions or _partitions(n_objectives, population)
        directions = get_reference_directions("das-dennis", n_objectives, n_partitions=partitions)
        algorithm = NSGA3(
            ref_dirs=directions, pop_size=population, repair=RoundWhole(), eliminate_duplicates=True
        )
    else:
        algorithm = NSGA2(pop_size=population, repair=RoundWhole(), eliminate_duplicates=True)
    algorithm.setup(problem, seed=search.spec.seed, termination=("n_gen", 10**9))
    return algorithm, problem


def _partitions(n_objectives: int, population: int) -> int:
    """The most partitions whose reference directions the population still holds."""
    partitions = 1
    while math.comb(n_objectives + partitions, partitions + 1) <= population:
        partitions += 1
    return partitions


def candidate_levers(search: Search, genes: np.ndarray) -> list[dict[str, Any]]:
    """Each candidate's lever values, by path, from its genes."""
    return [
        {
            decision.path: decision.value(gene)
            for decision, gene in zip(search.decisions, row, strict=True)
        }
        for row in genes
    ]


def payload(search: Search) -> Any:
    """What each run's work function needs besides its seed and factors."""
    if search.spec.model == "dtlz2":
        return {
            "objectives": len(search.spec.objectives),
            "noise_sd": (search.spec.dtlz2.noise_sd if search.spec.dtlz2 else 0.0),
        }
    # the annual table holds every objective; the rest of a run is not kept
    return ModelJob(search.base, ALWAYS_KEPT[:1])


def work_function(search: Search):
    return dtlz2_task if search.spec.model == "dtlz2" else run_model_task


def generation_tasks(search: Search, levers: list[dict[str, Any]]) -> list[Task]:
    """Every run of a generation: candidate by candidate, future by future, seed by seed
    (run_id = (candidate x futures + future) x seeds + seed index)."""
    job = payload(search)
    tasks = []
    for candidate, values in enumerate(levers):
        for future in search.futures:
            conditions = {path: value for path, value in future.items() if path != "point_name"}
            for seed in search.seeds:
                tasks.append(
                    Task(
                        run_id=len(tasks),
                        point_id=candidate,
                        seed=seed,
                        factors={**values, **conditions},
                        payload=job,
                    )
                )
    return tasks


def ensemble_value(
    values: np.ndarray, sense: str, statistic: str, percentile: float | None
) -> np.ndarray:
    """A candidate's value of one outcome across its ensemble. ``values`` is shaped
    (candidates, futures, seeds): seeds are averaged, then futures are summarised by their
    mean or by the percentile counted from the bad side (``sense`` "max": the low side)."""
    by_future = values.mean(axis=2)
    if statistic == "mean":
        return by_future.mean(axis=1)
    level = percentile if sense == "max" else 100.0 - percentile
    return np.percentile(by_future, level, axis=1)


def objectives_and_constraints(search: Search, runs: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per candidate of a generation, from its runs' outcomes (in run order): each objective
    and constraint across the ensemble, ``F`` and ``G`` as pymoo minimises them (the last
    column of G: whether every run finished), and the number of failed runs."""
    n_futures, n_seeds = len(search.futures), len(search.seeds)
    n_candidates = len(runs) // (n_futures * n_seeds)
    robust = search.spec.robustness
    failed = runs["error"].notna().to_numpy().reshape(n_candidates, -1).sum(axis=1)
    result: dict[str, np.ndarray] = {"failed_runs": failed}
    columns = []
    for objective, name in zip(search.spec.objectives, search.objective_names, strict=True):
        shaped = runs[name].to_numpy(dtype=float).reshape(n_candidates, n_futures, n_seeds)
        result[name] = ensemble_value(shaped, objective.sense, robust.statistic, robust.percentile)
        columns.append(-result[name] if objective.sense == "max" else result[name])
    objectives = np.column_stack(columns)
    bad = failed > 0
    if bad.any():  # finite stand-ins: the violation below keeps them out of the front
        worst = np.nanmax(objectives[~bad], axis=0) if (~bad).any() else np.zeros(len(columns))
        objectives[bad] = worst
    violations = []
    for constraint, name in zip(search.spec.constraints, search.constraint_names, strict=True):
        sense = "min" if constraint.max is not None else "max"  # the side that may break it
        shaped = runs[name].to_numpy(dtype=float).reshape(n_candidates, n_futures, n_seeds)
        result[name] = ensemble_value(shaped, sense, robust.statistic, robust.percentile)
        over = (
            result[name] - constraint.max
            if constraint.max is not None
            else constraint.min - result[name]
        )
        violations.append(np.where(bad, 0.0, over))
    violations.append(np.where(bad, FAILED_VIOLATION, 0.0))
    result["F"] = objectives
    result["G"] = np.column_stack(violations)
    return result


def non_dominated(objectives: np.ndarray) -> np.ndarray:
    """Indices of the rows no other row dominates (all objectives minimised)."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(objectives) == 0:
        return np.array([], dtype=int)
    return np.sort(NonDominatedSorting().do(objectives, only_non_dominated_front=True))


def hypervolume(front: np.ndarray, ideal: np.ndarray, nadir: np.ndarray) -> float:
    """The hypervolume of a front in objectives scaled by the first generation's ideal and
    nadir points, up to the reference point 1.1 in every objective."""
    from pymoo.indicators.hv import HV

    if len(front) == 0:
        return 0.0
    span = np.where(nadir > ideal, nadir - ideal, 1.0)
    scaled = (front - ideal) / span
    reference = np.full(front.shape[1], HYPERVOLUME_REFERENCE)
    return float(HV(ref_point=reference)(scaled))


# ---------------------------------------------------------------------------- DTLZ2


def dtlz2(genes: np.ndarray, n_objectives: int) -> np.ndarray:
    """DTLZ2 (Deb, Thiele, Laumanns and Zitzler 2002): its Pareto front is the part of the
    unit sphere in the positive orthant, reached where every gene from the M-th on is 0.5."""
    genes = np.atleast_2d(genes)
    distance = ((genes[:, n_objectives - 1 :] - 0.5) ** 2).sum(axis=1)
    angles = genes[:, : n_objectives - 1] * np.pi / 2
    values = np.repeat((1.0 + distance)[:, None], n_objectives, axis=1)
    for i in range(n_objectives):
        values[:, i] *= np.prod(np.cos(angles[:, : n_objectives - 1 - i]), axis=1)
        if i > 0:
            values[:, i] *= np.sin(angles[:, n_objectives - 1 - i])
    return values


def dtlz2_task(task: Task) -> dict[str, pd.DataFrame]:
    """The DTLZ2 test problem at the task's genes, as a one-row annual table f1 .. fM (plus
    Gaussian noise drawn from the task's seed when ``noise_sd`` > 0)."""
    n_objectives, noise = task.payload["objectives"], task.payload["noise_sd"]
    genes = np.array([task.factors[f"x{i}"] for i in range(1, len(task.factors) + 1)])
    values = dtlz2(genes, n_objectives)[0]
    if noise > 0:
        values = values + noise * np.random.default_rng(task.seed).standard_normal(n_objectives)
    return {"annual": pd.DataFrame({f"f{i + 1}": [value] for i, value in enumerate(values)})}
