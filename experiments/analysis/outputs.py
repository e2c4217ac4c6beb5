"""From the runs' annual tables to what the analysis explains: each run's outputs, their mean
over each sample point's replications, the points analysed, and how much is seed noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.analysis.sampling import block_rows
from experiments.errors import UserError
from experiments.formats.sensitivity import Output, Study, output_name


def run_outputs(
    study: Study, annual: pd.DataFrame, counterfactual: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per run: run_id, point_id, seed and each output's value: the run's, its
    counterfactual run's (same run_id: same seed, parameters and conditions, every reform
    off), or the first minus the second, the reforms' effect."""
    ids = annual.groupby("run_id", sort=True)[["point_id", "seed"]].first()
    out = ids.copy()
    for output in study.spec.outputs:
        value = per_run(annual, output)
        if output.of != "scenario":
            if counterfactual is None:
                raise UserError(f"no {study.against} runs for the output {output_name(output)}")
            paired = per_run(counterfactual, output).reindex(value.index)
            if paired.isna().any():
                raise UserError(
                    f"results incomplete: {int(paired.isna().sum())} runs have no "
                    f"{study.against} counterpart; continue with --resume"
                )
            value = paired if output.of == "no_reforms" else value - paired
        out[output_name(output)] = value
    return out.reset_index()


def per_run(annual: pd.DataFrame, output: Output) -> pd.Series:
    """An output's value per run: the indicator in a year, its mean over years or over all."""
    if output.year is None and output.years is None:
        return annual.groupby("run_id", sort=True)[output.indicator].mean()
    first, last = (output.year, output.year) if output.year is not None else output.years
    rows = annual[(annual.year >= first) & (annual.year <= last)]
    return rows.groupby("run_id", sort=True)[output.indicator].mean()


def point_means(study: Study, runs: pd.DataFrame, points: np.ndarray) -> pd.DataFrame:
    """The outputs of each of ``points`` averaged over its replications, in that order;
    refuses a result set with a point or a replication missing."""
    counts = runs.groupby("point_id").size().reindex(points, fill_value=0)
    reps = study.spec.replications
    missing = int((counts == 0).sum())
    short = int(((counts > 0) & (counts != reps)).sum())
    if missing or short:
        raise UserError(
            f"results incomplete: {missing} sample points missing and {short} with fewer "
            f"than {reps} runs; continue with --resume"
        )
    means = runs.groupby("point_id", sort=True)[study.output_names].mean()
    return means.reindex(points)


def analysed_points(study: Study, n_points: int, failed_points: set[int]) -> np.ndarray:
    """The sample points the analysis uses: all of them, or (dropping failures) every whole
    block (Morris trajectory, Saltelli block, single LHS row) without a failed run."""
    rows = block_rows(study)
    bad_blocks = {point // rows for point in failed_points}
    return np.array(
        [point for point in range(n_points) if point // rows not in bad_blocks], dtype=np.int64
    )


def seed_noise(study: Study, runs: pd.DataFrame) -> pd.DataFrame:
    """Per output, the share of variance that is seed noise: in single runs (mean variance
    across seeds within a point over the variance of all runs), and in the seed means the
    indices are computed from (that within-point variance over the replications, over the
    variance of the point means). NaN with one replication: noise cannot be told apart."""
    reps = study.spec.replications
    rows = []
    for name in study.output_names:
        by_point = runs.groupby("point_id")[name]
        within = by_point.var(ddof=1).mean() if reps > 1 else np.nan
        total = runs[name].var(ddof=1)
        between = by_point.mean().var(ddof=1)
        rows.append(
            {
                "output": name,
                "replications": reps,
                "within_point_var": within,
                "run_var": total,
                "point_mean_var": between,
                "noise_share_runs": _ratio(within, total),
                "noise_share_means": _ratio(within / reps, between),
            }
        )
    return pd.DataFrame(rows)


def _ratio(numerator: float, denominator: float) -> float:
    if not np.isfinite(numerator) or not np.isfinite(denominator):
        return np.nan
    if denominator <= 0:
        return 0.0 if numerator <= 0 else np.nan
    return float(min(1.0, numerator / denominator))
