"""The runs of a results folder as scenario discovery reads them: each run's inputs (the
levers and conditions that vary across the folder) and its annual outcomes.

A batch or sensitivity folder keeps its runs under ``runs/annual`` with the design's factor
values beside each row (``design.csv`` names the factors); a search folder keeps each
generation's runs in ``generations/gen-NNNN`` (a run is then a generation and a run_id), with
the decisions and conditions ``search.json`` and ``futures.csv`` name.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis.search_results import read_head
from experiments.engine.manifest import read_manifest
from experiments.engine.model_task import COUNTERFACTUAL_TABLE, LABEL
from experiments.engine.store import PartStore, load_results
from experiments.engine.tasks import ID_COLUMNS
from experiments.errors import UserError
from experiments.formats.outcome_expression import Expression, OutcomeRef

OUTCOMES_FILE = "outcomes.parquet"  # a search generation whose runs are all in


@dataclass
class FolderRuns:
    """A folder's finished runs: one row of inputs per run, and their annual rows."""

    folder: Path
    kind: str  # "batch", "sensitivity" or "search"
    key: list[str]  # the columns naming a run
    inputs: pd.DataFrame  # indexed by key: every lever and condition that varies
    annual: pd.DataFrame  # key, year (if any) and the indicators
    # the same runs with every reform off, where the folder keeps them (a sensitivity study
    # of reform effects); None elsewhere
    no_reforms: pd.DataFrame | None = None


def read_folder(folder: Path) -> FolderRuns:
    """The runs of a batch, sensitivity or search folder; a one-line error for anything else."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder; allowed: a batch, sensitivity or search folder")
    head = read_head(folder)
    if head is not None:
        return _search_runs(folder, head)
    manifest = read_manifest(folder / "manifest.json")
    if not isinstance(manifest, dict) or not (folder / "design.csv").is_file():
        raise UserError(
            f"{folder}: holds no batch, sensitivity or search results (no readable "
            "manifest.json and design.csv, nor search.json); allowed: a folder written by "
            "ezhou batch, sensitivity or search"
        )
    annual = load_results(folder, "annual")
    factors = [
        name
        for name in pd.read_csv(folder / "design.csv", nrows=0).columns
        if name not in ID_COLUMNS and name != LABEL
    ]
    kind = str(manifest.get("kind", "batch"))
    runs = _runs(folder, kind, ["run_id"], annual, factors)
    if PartStore(folder).files(COUNTERFACTUAL_TABLE):
        runs.no_reforms = load_results(folder, COUNTERFACTUAL_TABLE)
    return runs


def _search_runs(folder: Path, head: dict) -> FolderRuns:
    generations = sorted((folder / "generations").glob("gen-*"))
    frames = []
    for path in generations:
        if (path / OUTCOMES_FILE).is_file():  # a generation still under way is left out
            number = int(path.name.split("-")[1])
            frames.append(load_results(path, "annual").assign(generation=number))
    if not frames:
        raise UserError(f"{folder}: the search has no finished generation yet")
    annual = pd.concat(frames, ignore_index=True)
    factors = [decision["path"] for decision in head["decisions"]]
    if (folder / "futures.csv").is_file():
        conditions = pd.read_csv(folder / "futures.csv", nrows=0).columns
        factors += [name for name in conditions if name not in ("future", LABEL)]
    else:  # a search stopped before its summary: the conditions are the other factors
        factors += [c for c in annual.columns if c.startswith(("conditions.", "parameters."))]
    return _runs(folder, "search", ["generation", "run_id"], annual, factors)


def _runs(
    folder: Path, kind: str, key: list[str], annual: pd.DataFrame, factors: list[str]
) -> FolderRuns:
    factors = [name for name in dict.fromkeys(factors) if name in annual.columns]
    inputs = annual.groupby(key, sort=True)[factors].first()
    varying = [name for name in factors if inputs[name].nunique(dropna=False) > 1]
    drop = [*ID_COLUMNS, *factors, LABEL, "point_id"]
    outcomes = annual.drop(columns=[c for c in drop if c in annual.columns and c not in key])
    return FolderRuns(folder, kind, key, inputs[varying], outcomes)


def outcome_values(runs: FolderRuns, expression: Expression) -> dict[OutcomeRef, pd.Series]:
    """Each outcome the expression reads, per run (indexed by the run's key); a one-line
    error naming an indicator or year the folder does not hold."""
    has_years = "year" in runs.annual.columns
    years = sorted(runs.annual.year.unique()) if has_years else []
    head = expression.head
    values = {}
    for ref in expression.refs:
        annual = runs.annual
        if ref.no_reforms:
            if runs.no_reforms is None:
                raise UserError(
                    f"{head}: {ref.text}: {runs.folder} keeps no runs without reforms; allowed: "
                    "no_reforms.<indicator> on a sensitivity folder of reform effects "
                    "(outputs measured against no_reforms)"
                )
            annual = runs.no_reforms
        indicators = [c for c in annual.columns if c not in (*runs.key, "year")]
        if ref.indicator not in indicators:
            close = difflib.get_close_matches(ref.indicator, indicators, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UserError(
                f"{head}: {ref.indicator!r} is not an outcome of {runs.folder}{hint}; allowed: "
                "a column of its annual table (docs/indicators.md)"
            )
        if has_years and ref.first is None:
            raise UserError(
                f"{head}: {ref.text}: which year? allowed: {ref.indicator}@year or "
                f"{ref.indicator}@first-last, years {years[0]} to {years[-1]}"
            )
        if not has_years and ref.first is not None:
            raise UserError(
                f"{head}: {ref.text}: these results have no years; write {ref.indicator}"
            )
        rows = annual
        if has_years:
            if ref.first not in years or ref.last not in years:
                raise UserError(
                    f"{head}: {ref.text}: the runs hold the years {years[0]} to {years[-1]}"
                )
            rows = annual[(annual.year >= ref.first) & (annual.year <= ref.last)]
        series = rows.groupby(runs.key, sort=True)[ref.indicator].mean()
        values[ref] = series.reindex(runs.inputs.index).astype(float)
    return values


def encoded_inputs(inputs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, object]]]:
    """The inputs as numbers for PRIM: switches as 0/1, a two-valued choice as 0/1 (for its
    second value), a choice of more values as one 0/1 column per value (``path=value``);
    and for each encoded column, the input and value it stands for (value None: a number)."""
    columns, meaning = {}, {}
    for name in inputs.columns:
        column = inputs[name]
        if pd.api.types.is_bool_dtype(column):
            columns[name] = column.astype(float)
            meaning[name] = (name, True)
        elif pd.api.types.is_numeric_dtype(column):
            columns[name] = column.astype(float)
            meaning[name] = (name, None)
        else:
            values = sorted(column.astype(str).unique())
            chosen = values[1:] if len(values) == 2 else values
            for value in chosen:
                label = name if len(values) == 2 else f"{name}={value}"
                columns[label] = (column.astype(str) == value).astype(float)
                meaning[label] = (name, value)
    return pd.DataFrame(columns, index=inputs.index), meaning


def finite_runs(values: dict[OutcomeRef, pd.Series]) -> np.ndarray:
    """Which runs have every outcome the expression reads (a failed run has none)."""
    if not values:
        return np.array([], dtype=bool)
    return np.logical_and.reduce([np.isfinite(series.to_numpy()) for series in values.values()])
