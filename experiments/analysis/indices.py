"""SALib's sensitivity indices of every output, with bootstrap intervals (fixed analysis
seed), and the convergence check: the main index from the first half of the sample against
the whole."""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from experiments.analysis.sampling import block_rows, problem
from experiments.errors import UserError
from experiments.formats.sensitivity import Study

# the main index of each method: what rankings, heat maps and convergence checks use
MAIN_INDEX = {"morris": "mu_star", "sobol": "ST", "delta": "delta", "pawn": "median"}
# the index columns each method writes, with the interval half-width where SALib gives one
INDEX_COLUMNS = {
    "morris": ["mu", "mu_star", "mu_star_conf", "sigma"],
    "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
    "delta": ["delta", "delta_conf", "S1", "S1_conf"],
    "pawn": ["minimum", "mean", "median", "maximum", "CV"],
}


@dataclass
class Indices:
    indices: pd.DataFrame  # one row per output and parameter
    second_order: pd.DataFrame  # Sobol S2 by output and pair (empty otherwise)
    convergence: pd.DataFrame  # main index at N/2 and N


def analyse(study: Study, samples: np.ndarray, point_outputs: pd.DataFrame) -> Indices:
    """SALib's analysis of every output, on the whole sample and on its first half."""
    frames, pairs, conv = [], [], []
    blocks = len(samples) // block_rows(study)
    half = max(1, blocks // 2) * block_rows(study)
    main = MAIN_INDEX[study.method]
    for name in study.output_names:
        values = point_outputs[name].to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            bad = int((~np.isfinite(values)).sum())
            raise UserError(f"output {name}: {bad} sample points gave no finite value")
        full = _analyse_one(study, samples, values)
        table = pd.DataFrame({column: full[column] for column in INDEX_COLUMNS[study.method]})
        table.insert(0, "parameter", study.names)
        table.insert(0, "output", name)
        table["sample_size"] = blocks
        frames.append(table)
        if study.method == "sobol" and study.spec.method.second_order:
            pairs.append(_second_order(study, name, full))
        part = _analyse_one(study, samples[:half], values[:half]) if half < len(samples) else full
        conv.append(
            pd.DataFrame(
                {
                    "output": name,
                    "parameter": study.names,
                    "index": main,
                    "half": np.asarray(part[main], dtype=float),
                    "full": np.asarray(full[main], dtype=float),
                    "half_size": half // block_rows(study),
                    "full_size": blocks,
                }
            )
        )
    conv_table = pd.concat(conv, ignore_index=True)
    conv_table["change"] = conv_table["full"] - conv_table["half"]
    return Indices(
        pd.concat(frames, ignore_index=True),
        pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(),
        conv_table,
    )


def _analyse_one(study: Study, samples: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    from SALib.analyze import delta, morris, pawn, sobol

    method, analysis, salib_problem = study.spec.method, study.spec.analysis, problem(study)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        if method.name == "morris":
            return morris.analyze(
                salib_problem,
                samples,
                values,
                num_resamples=analysis.resamples,
                conf_level=analysis.conf_level,
                num_levels=method.levels or 4,
                seed=analysis.seed,
            )
        if method.name == "sobol":
            return sobol.analyze(
                salib_problem,
                values,
                calc_second_order=bool(method.second_order),
                num_resamples=analysis.resamples,
                conf_level=analysis.conf_level,
                seed=analysis.seed,
            )
        if method.name == "delta":
            with contextlib.redirect_stdout(io.StringIO()):  # notes on its binning
                res = delta.analyze(
                    salib_problem,
                    samples,
                    values,
                    num_resamples=analysis.resamples,
                    conf_level=analysis.conf_level,
                    seed=analysis.seed,
                )
            # SALib 1.6 names Borgonovo's estimate delta_raw (beside a bias-balanced variant)
            for key in ("delta", "delta_conf"):
                if key not in res:
                    res[key] = res[key.replace("delta", "delta_raw")]
            return res
        return pawn.analyze(
            salib_problem, samples, values, S=method.slices or 10, seed=analysis.seed
        )


def _second_order(study: Study, name: str, res: dict[str, Any]) -> pd.DataFrame:
    rows = []
    names = study.names
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rows.append(
                {
                    "output": name,
                    "parameter_1": names[i],
                    "parameter_2": names[j],
                    "S2": res["S2"][i, j],
                    "S2_conf": res["S2_conf"][i, j],
                }
            )
    return pd.DataFrame(rows)
