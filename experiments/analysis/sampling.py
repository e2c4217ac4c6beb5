"""The sample of a sensitivity study and the runs it asks for: SALib's sample from the spec's
seed, each run's seed and task, and the work function that computes a run's outputs."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from experiments.engine.model_task import ALWAYS_KEPT, ModelJob, run_model_task
from experiments.engine.tasks import Task
from experiments.formats.sensitivity import (
    ISHIGAMI_OUTPUT,
    ISHIGAMI_PARAMETERS,
    IshigamiOptions,
    Study,
)
from experiments.runner import spawn_seeds


def problem(study: Study) -> dict[str, Any]:
    """SALib's problem dictionary: names, bounds and distributions."""
    bounds, dists = [], []
    for parameter in study.spec.parameters:
        lower, upper = parameter.bounds
        if parameter.distribution == "triangular":
            bounds.append([lower, upper, (parameter.mode - lower) / (upper - lower)])
            dists.append("triang")
        elif parameter.distribution == "truncnorm":
            bounds.append([lower, upper, parameter.mean, parameter.sd])
            dists.append("truncnorm")
        else:
            bounds.append([lower, upper])
            dists.append("unif")
    return {
        "num_vars": len(bounds),
        "names": study.names,
        "bounds": bounds,
        "dists": dists,
    }


def sample(study: Study) -> np.ndarray:
    """The SALib sample, one row per sample point, from the spec's seed."""
    from SALib.sample import latin, morris, sobol

    method, salib_problem, seed = study.spec.method, problem(study), study.spec.seed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SALib's notes on sample sizes
        if method.name == "morris":
            return morris.sample(
                salib_problem, method.trajectories, num_levels=method.levels or 4, seed=seed
            )
        if method.name == "sobol":
            return sobol.sample(
                salib_problem, method.n, calc_second_order=bool(method.second_order), seed=seed
            )
        return latin.sample(salib_problem, method.n, seed=seed)


def block_rows(study: Study) -> int:
    """Rows that belong together in the sample: a Morris trajectory or a Saltelli block
    (the first k blocks are themselves a complete, smaller sample); 1 for Latin hypercube."""
    n_parameters, method = len(study.spec.parameters), study.spec.method
    if method.name == "morris":
        return n_parameters + 1
    if method.name == "sobol":
        return 2 * n_parameters + 2 if method.second_order else n_parameters + 2
    return 1


def run_seeds(study: Study, n_points: int) -> list[int]:
    """Every run's seed, in run order: with paired seeds (the default) replication r has the
    same seed at every sample point; otherwise each run has its own."""
    reps = study.spec.replications
    if study.spec.paired_seeds:
        return spawn_seeds(study.spec.seed, reps) * n_points
    return spawn_seeds(study.spec.seed, reps * n_points)


def make_tasks(study: Study, samples: np.ndarray) -> list:
    """One task per run, in sample order: run_id = row × replications + replication."""
    seeds = run_seeds(study, len(samples))
    payload = _payload(study)
    names, reps = study.names, study.spec.replications
    return [
        Task(
            run_id=run_id,
            point_id=run_id // reps,
            seed=seed,
            factors={
                name: float(value)
                for name, value in zip(names, samples[run_id // reps], strict=True)
            },
            payload=payload,
        )
        for run_id, seed in enumerate(seeds)
    ]


def _payload(study: Study) -> dict[str, Any]:
    if study.spec.model == "ishigami":
        return (study.spec.ishigami or IshigamiOptions()).model_dump()
    return ModelJob(study.base, ALWAYS_KEPT, against=study.against)


def kept_tables(study: Study) -> tuple[str, ...]:
    """Every table a run of the study writes (the engine checks each part holds them all)."""
    payload = _payload(study)
    return payload.kept if isinstance(payload, ModelJob) else ("annual",)


# ---------------------------------------------------------------------------- work functions


def ishigami_task(task) -> dict[str, pd.DataFrame]:
    """The Ishigami function at the task's inputs (plus Gaussian noise drawn from the task's
    seed when ``noise_sd`` > 0): the analytic check of the whole pipeline.

    y = sin x1 + a sin² x2 + b x3⁴ sin x1, each x uniform on [-π, π]; with a = 7, b = 0.1
    S1 = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424, 0.2437)."""
    # a, b, x1..x3 and y keep the names of the published formula above
    opts = task.payload or {}
    a, b, noise = opts.get("a", 7.0), opts.get("b", 0.1), opts.get("noise_sd", 0.0)
    x1, x2, x3 = (task.factors[key] for key in ISHIGAMI_PARAMETERS)
    y = math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)
    if noise > 0:
        y += noise * np.random.default_rng(task.seed).standard_normal()
    return {"annual": pd.DataFrame({ISHIGAMI_OUTPUT: [y]})}


def work_function(study: Study):
    """Ishigami's, or the model batch's own work function."""
    return ishigami_task if study.spec.model == "ishigami" else run_model_task
