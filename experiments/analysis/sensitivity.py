"""A sensitivity study from end to end: which levers and conditions drive each goal.

:func:`run_study` samples with SALib (fixed seed), runs every sample row ``replications``
times through the batch engine (run_id = row × replications + replication, so it streams,
resumes and scales like ``ezhou batch``), averages the seeds of each row, and analyses with
SALib (bootstrap intervals, fixed analysis seed). The same pipeline runs the Ishigami
function (``model = "ishigami"``), whose Sobol indices are known, as a check of the whole
machinery.

By default replication r has the same seed at every sample row (common random numbers,
``paired_seeds = true``): the difference between two rows is then the parameters' effect,
not a different draw of chance. What seed noise is left is measured and reported
(:func:`~experiments.analysis.outputs.seed_noise`).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis.indices import MAIN_INDEX, Indices, analyse
from experiments.analysis.outputs import analysed_points, point_means, run_outputs, seed_noise
from experiments.analysis.sampling import (
    block_rows,
    kept_tables,
    make_tasks,
    run_seeds,
    sample,
    work_function,
)
from experiments.engine.atomic import write_error
from experiments.engine.execute import execute
from experiments.engine.folder import check_folder
from experiments.engine.lock import locked_folder
from experiments.engine.model_task import COUNTERFACTUAL_TABLE
from experiments.engine.store import load_results
from experiments.errors import UserError
from experiments.formats.sensitivity import Study, output_name
from experiments.provenance import git_commit, package_versions
from experiments.runner import staged


def fingerprint(study: Study, samples: np.ndarray) -> str:
    """What the runs depend on: the checked spec, the base scenario's content, the sample."""
    digest = hashlib.sha256()
    spec = study.spec.model_dump(mode="json")
    for output in spec["outputs"]:  # a study without effects hashes as before they existed
        if output["of"] == "scenario":
            del output["of"]
    digest.update(json.dumps(spec, sort_keys=True).encode())
    if study.base is not None:
        digest.update(study.base.to_toml().encode())
    digest.update(np.ascontiguousarray(samples, dtype="<f8").tobytes())
    return digest.hexdigest()


@dataclass
class StudyOutcome:
    out: Path
    n_runs: int
    n_failed: int
    failures: list
    indices: Indices | None
    noise: pd.DataFrame | None
    wall_seconds: float


def run_study(
    study: Study,
    out: Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: Path | None = None,
    host: str = "127.0.0.1",
    resume: bool = False,
    quiet: bool = False,
    drop_failed: bool = False,
    part_seconds: float = 2.0,
) -> StudyOutcome:
    """Sample, run through the batch engine, analyse and write the results into ``out``.

    If runs failed, no indices are computed (``indices`` is None) unless ``drop_failed``:
    then every block of the sample holding a failed run (a Morris trajectory, a Saltelli
    block, a Latin-hypercube row) is left out of the analysis, and the results say so."""
    out = Path(out)
    t0 = time.perf_counter()
    samples = sample(study)
    tasks = make_tasks(study, samples)
    meta = {
        "kind": "sensitivity",
        "spec": str(study.source),
        "name": study.spec.name,
        "method": study.method,
        "model": study.spec.model,
    }
    study_fingerprint = fingerprint(study, samples)
    # the runs and the analysis files are written under one hold of the folder's lock, so
    # that a second process can neither run nor analyse beside this one; a folder that is
    # refused (another study in it, no --resume) is checked before it is touched
    check_folder(out, study_fingerprint, resume)
    with locked_folder(out):
        outcome = execute(
            tasks,
            work_function(study),
            out,
            tables=kept_tables(study),
            fingerprint=study_fingerprint,
            meta=meta,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            scheduler_file=scheduler_file,
            host=host,
            resume=resume,
            quiet=quiet,
            summary=False,
            part_seconds=part_seconds,
        )
        reps = study.spec.replications
        failed_points = {run_id // reps for run_id, _, _ in outcome.failures}
        if failed_points and not drop_failed:
            return StudyOutcome(
                out, len(tasks), outcome.n_failed, outcome.failures, None, None,
                time.perf_counter() - t0,
            )  # fmt: skip
        points = analysed_points(study, len(samples), failed_points)
        if len(points) < 2 * block_rows(study):
            raise UserError(
                f"{outcome.n_failed} runs failed and too little of the sample is left to analyse"
            )
        annual = load_results(out, "annual")
        _check_sample_order(study, samples, out, annual)
        counterfactual = (
            load_results(out, COUNTERFACTUAL_TABLE) if study.against is not None else None
        )
        runs = run_outputs(study, annual, counterfactual)
        runs = runs[runs.point_id.isin(points)].reset_index(drop=True)
        point_outputs = point_means(study, runs, points)
        result = analyse(study, samples[points], point_outputs)
        noise = seed_noise(study, runs)
        wall = time.perf_counter() - t0
        dropped = {
            "failed_runs": outcome.n_failed,
            "points_dropped": len(samples) - len(points),
            "blocks_dropped": (len(samples) - len(points)) // block_rows(study),
            "blocks": len(samples) // block_rows(study),
        }
        try:
            write_study(
                study, out, samples, points, runs, point_outputs, result, noise, outcome, wall,
                dropped,
            )  # fmt: skip
        except OSError as exc:  # the folder's permissions or space, not the analysis
            raise write_error(exc, out) from None
        return StudyOutcome(
            out, len(tasks), outcome.n_failed, outcome.failures, result, noise, wall
        )


def _check_sample_order(study: Study, samples: np.ndarray, out: Path, annual: pd.DataFrame) -> None:
    """The factor values stored with each run are those of the sample row it claims to be:
    the analysis relies on the sample's order (Sobol's blocks, Morris's trajectories)."""
    reps = study.spec.replications
    if not (annual.point_id == annual.run_id // reps).all():
        raise UserError(f"{out}: runs are not in sample order")
    stored = annual[study.names].to_numpy(dtype=float)
    expected = samples[annual.point_id.to_numpy()]
    if not np.allclose(stored, expected, rtol=1e-12, atol=0):
        raise UserError(f"{out}: the stored runs do not match this spec's sample")


def write_study(
    study,
    out,
    samples,
    points,
    runs,
    point_outputs,
    result: Indices,
    noise,
    outcome,
    wall,
    dropped,
) -> None:
    """The analysis files, all at once (nothing half-written on failure)."""
    sample_table = pd.DataFrame(samples, columns=study.names)
    sample_table.insert(0, "point_id", range(len(samples)))
    sample_table["analysed"] = np.isin(np.arange(len(samples)), points)
    means = point_outputs.rename_axis("point_id").reset_index()
    meta = {
        "kind": "sensitivity",
        "name": study.spec.name,
        "description": study.spec.description,
        "spec_file": str(study.source),
        "model": study.spec.model,
        "method": study.spec.method.model_dump(exclude_none=True),
        "main_index": MAIN_INDEX[study.method],
        "analysis": study.spec.analysis.model_dump(),
        "sample_seed": study.spec.seed,
        "replications": study.spec.replications,
        "paired_seeds": study.spec.paired_seeds,
        "run_seeds": run_seeds(study, 1) if study.spec.paired_seeds else "see design.csv",
        "sample_points": len(samples),
        "runs": len(samples) * study.spec.replications,
        "dropped": dropped,
        "failures": [list(failure) for failure in outcome.failures[:50]],
        "parameters": [
            parameter.model_dump(exclude_none=True) for parameter in study.spec.parameters
        ],
        "outputs": [
            {"name": output_name(output), **output.model_dump(exclude_none=True)}
            for output in study.spec.outputs
        ],
        "base_scenario": study.base.name if study.base is not None else None,
        "scale": study.base.run.scale if study.base is not None else None,
        "end_year": study.base.run.end_year if study.base is not None else None,
        "executor": outcome.executor,
        "wall_seconds": round(wall, 3),
        "versions": package_versions("SALib", "scipy", "matplotlib"),
        "git_commit": git_commit(),
    }
    with staged(out) as tmp:
        (tmp / "spec.toml").write_text(study.text, encoding="utf-8")
        if study.base is not None:
            (tmp / "base_scenario.toml").write_text(study.base.to_toml(), encoding="utf-8")
        sample_table.to_csv(tmp / "sample.csv", index=False, float_format="%.12g")
        runs.to_csv(tmp / "run_outputs.csv", index=False, float_format="%.12g")
        means.to_csv(tmp / "outputs.csv", index=False, float_format="%.12g")
        result.indices.to_csv(tmp / "indices.csv", index=False, float_format="%.8g")
        result.convergence.to_csv(tmp / "convergence.csv", index=False, float_format="%.8g")
        if len(result.second_order):
            result.second_order.to_csv(tmp / "second_order.csv", index=False, float_format="%.8g")
        noise.to_csv(tmp / "noise.csv", index=False, float_format="%.8g")
        (tmp / "sensitivity.json").write_text(
            json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
        )
