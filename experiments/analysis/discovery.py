"""Scenario discovery with PRIM: which ranges of the levers and conditions make a condition on
the outcomes come true.

PRIM (Friedman and Fisher 1999, as used for scenario discovery by Bryant and Lempert 2010)
comes from the ``prim`` package, the standalone port of EMA Workbench's implementation (the
same peeling, pasting, objective and quasi-p-values). It peels a box around the cases of
interest one small slice at a time; the trajectory trades coverage (the share of all cases of
interest inside the box) against density (the share of the box's runs that are cases). The box
kept balances the two (:func:`choose_box`); then each restriction whose quasi-p-value (the
chance of so dense a box were that restriction dropped: a one-sided binomial test) is 0.05 or
more is dropped, the weakest first, so that the box says only what the runs support.

Inputs go to PRIM as numbers (:func:`~experiments.analysis.discovery_data.encoded_inputs`):
switches and choices become 0/1 columns, so every box limit is an interval.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis.discovery_data import (
    encoded_inputs,
    finite_runs,
    outcome_values,
    read_folder,
)
from experiments.errors import UserError
from experiments.formats.discovery import Settings
from experiments.formats.outcome_expression import Expression
from experiments.provenance import git_commit, package_versions
from experiments.runner import check_result_folder, replaced

SIGNIFICANT = 0.05  # a restriction whose quasi-p-value is below this counts
DISCOVERY_FILES = ("discovery.json", "trajectory.csv", "box.csv", "cases.csv")
MARKER = "discovery.json"


@dataclass
class Discovery:
    expression: str
    folder: Path
    kind: str
    n_runs: int
    n_cases: int
    n_dropped: int  # runs without the outcomes the expression reads
    trajectory: pd.DataFrame  # box, coverage, density, mass, restricted, chosen
    box: pd.DataFrame  # input, value, low, high, qp_value, significant, reads
    cases: pd.DataFrame  # per run: key, inputs, of_interest, in_box
    chosen: int
    summary: str
    settings: Settings = field(default_factory=Settings)

    @property
    def chosen_stats(self) -> pd.Series:
        return self.trajectory.iloc[self.chosen]


def discover(folder: Path, expression: Expression, settings: Settings | None = None) -> Discovery:
    """PRIM on the folder's runs for the cases where ``expression`` holds."""
    import prim

    settings = settings or Settings()
    runs = read_folder(folder)
    values = outcome_values(runs, expression)
    keep = finite_runs(values)
    inputs = runs.inputs
    if settings.inputs is not None:
        missing = [name for name in settings.inputs if name not in inputs.columns]
        if missing:
            allowed = ", ".join(inputs.columns) or "none vary"
            raise UserError(f"inputs: {missing[0]!r} does not vary in {folder}; allowed: {allowed}")
        inputs = inputs[settings.inputs]
    if inputs.shape[1] == 0:
        raise UserError(
            f"{folder}: no lever or condition varies across its runs: nothing to explain"
        )
    of_interest = expression.evaluate({ref: series.to_numpy() for ref, series in values.items()})
    encoded, meaning = encoded_inputs(inputs[keep])
    cases = of_interest[keep]
    n_cases = int(cases.sum())
    if n_cases == 0 or n_cases == len(cases):
        which = "no run" if n_cases == 0 else "every run"
        raise UserError(
            f"{expression.head}: {which} of the {len(cases)} in {folder} meets it, so "
            "no box can tell them apart; allowed: a condition some runs meet and some do not"
        )
    finder = prim.Prim(
        encoded.reset_index(drop=True),
        cases.astype(int),
        threshold=0.5,
        threshold_type=">",
        peel_alpha=settings.peel_alpha,
        paste_alpha=settings.paste_alpha,
        mass_min=settings.mass_min,
    )
    box = finder.find_box()
    peeled = len(box.peeling_trajectory)
    chosen = choose_box(_trajectory(box), settings.min_coverage)
    box.select(chosen)
    while len(weak := box.limits.query(f"`qp values` >= {SIGNIFICANT}")):
        # a restriction that could be chance is dropped (the weakest first), as the box is
        # then simpler and its statistics honest; each drop is a step of the trajectory
        box.drop_restriction(weak["qp values"].idxmax())
    if len(box.peeling_trajectory) > peeled:  # the last drop is the box kept
        chosen = len(box.peeling_trajectory) - 1
    trajectory = _trajectory(box)
    trajectory.insert(0, "box", range(len(trajectory)))
    trajectory["step"] = np.where(trajectory.box < peeled, "peel or paste", "restriction dropped")
    trajectory["chosen"] = trajectory.box == chosen
    limits = _limits(box.limits, encoded, meaning)
    inside = np.zeros(len(of_interest), dtype=bool)
    inside[np.flatnonzero(keep)[box.yi]] = True
    table = runs.inputs.reset_index()
    for ref, series in values.items():
        table[ref.text] = series.to_numpy()
    table["of_interest"] = of_interest & keep
    table["in_box"] = inside
    stats = trajectory.iloc[chosen]
    result = Discovery(
        expression.text,
        Path(folder),
        runs.kind,
        len(cases),
        n_cases,
        int((~keep).sum()),
        trajectory,
        limits,
        table,
        chosen,
        "",
        settings,
    )
    result.summary = summary_line(result, stats)
    return result


def _trajectory(box) -> pd.DataFrame:
    """The box's trajectory: coverage, density, mass and inputs restricted at each step."""
    trajectory = box.peeling_trajectory.rename(columns={"res dim": "restricted"})
    return trajectory[["coverage", "density", "mass", "restricted"]].astype(float)


def choose_box(trajectory: pd.DataFrame, min_coverage: float | None) -> int:
    """The box kept from the trajectory. By default the one that balances coverage and
    density best (the highest harmonic mean of the two, as a classifier's F1 score): peeling
    further sheds more cases of interest than it sheds other runs. With ``min_coverage``, the
    densest box that still covers that share of the cases (ties: more coverage). The first
    box (all runs) if none qualifies; among equals, the earliest."""
    if min_coverage is None:
        coverage, density = trajectory.coverage, trajectory.density
        balance = 2 * coverage * density / (coverage + density)
        return int(np.argmax(balance.to_numpy()))
    eligible = trajectory[trajectory.coverage >= min_coverage - 1e-12]
    if eligible.empty:
        return 0
    order = eligible.sort_values(["density", "coverage"], ascending=[False, False], kind="stable")
    return int(order.index[0])


def _limits(limits: pd.DataFrame, encoded: pd.DataFrame, meaning: dict) -> pd.DataFrame:
    """The chosen box's restrictions: for each restricted input, its limits (snapped to the
    values the runs took, for whole numbers and switches) and quasi-p-value."""
    rows = []
    for column, (low, high, qp) in limits[["min", "max", "qp values"]].iterrows():
        name, value = meaning[column]
        taken = encoded[column]
        whole = bool(np.all(np.mod(taken, 1) == 0))
        if whole:  # a switch, a choice or a whole number: the values the box lets through
            inside = taken[(taken >= low) & (taken <= high)]
            low, high = float(inside.min()), float(inside.max())
        rows.append(
            {
                "input": name,
                "value": value,
                "low": low,
                "high": high,
                "data_low": float(taken.min()),
                "data_high": float(taken.max()),
                "qp_value": float(qp),
                "significant": bool(qp < SIGNIFICANT),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "input",
            "value",
            "low",
            "high",
            "data_low",
            "data_high",
            "qp_value",
            "significant",
        ],
    )
    table["reads"] = [describe_restriction(row) for _, row in table.iterrows()]
    return table


def describe_restriction(row: pd.Series) -> str:
    """One restriction in words: "national_real_growth_pct at most 7.2", "talent.enabled on",
    "investment_financing.selection is not young"."""
    name = row.input.removeprefix("levers.").removeprefix("conditions.")
    if row.value is None or (isinstance(row.value, float) and math.isnan(row.value)):
        if row.low <= row.data_low:
            return f"{name} at most {row.high:.4g}"
        if row.high >= row.data_high:
            return f"{name} at least {row.low:.4g}"
        return f"{name} from {row.low:.4g} to {row.high:.4g}"
    kept = row.low >= 1  # a restricted 0/1 column keeps only its 1s or only its 0s
    if row.value is True:
        return f"{name} {'on' if kept else 'off'}"
    return f"{name} {'is' if kept else 'is not'} {row.value}"


def summary_line(result: Discovery, stats: pd.Series) -> str:
    """The discovery in one plain sentence."""
    share = result.n_cases / result.n_runs
    restrictions = [row.reads for _, row in result.box.iterrows()]
    if not restrictions:
        return (
            f"{result.n_cases} of {result.n_runs} runs ({share:.0%}) have {result.expression}; "
            "no box of levers and conditions holds them better than all runs do."
        )
    where = (
        ", ".join(restrictions[:-1]) + (" and " if len(restrictions) > 1 else "") + restrictions[-1]
    )
    return (
        f"{result.n_cases} of {result.n_runs} runs ({share:.0%}) have {result.expression}; "
        f"{stats.density:.0%} of the runs with {where} do, and they hold {stats.coverage:.0%} "
        "of all such runs."
    )


def write_discovery(result: Discovery, out: Path) -> None:
    """The discovery's files as the whole of ``out`` (an earlier discovery there replaced)."""
    check_result_folder(out, DISCOVERY_FILES, MARKER, "ezhou discover")
    stats = result.chosen_stats
    meta = {
        "kind": "discovery",
        "where": result.expression,
        "folder": str(result.folder),
        "folder_kind": result.kind,
        "runs": result.n_runs,
        "cases": result.n_cases,
        "runs_without_outcomes": result.n_dropped,
        "chosen_box": result.chosen,
        "coverage": float(stats.coverage),
        "density": float(stats.density),
        "mass": float(stats.mass),
        "restricted": int(stats.restricted),
        "summary": result.summary,
        "settings": vars(result.settings),
        "versions": package_versions("PRIM"),
        "git_commit": git_commit(),
    }
    with replaced(out) as tmp:
        result.trajectory.to_csv(tmp / "trajectory.csv", index=False)
        result.box.to_csv(tmp / "box.csv", index=False)
        result.cases.to_csv(tmp / "cases.csv", index=False)
        (tmp / MARKER).write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
