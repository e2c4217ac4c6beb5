"""The report of a run or comparison folder (``ezhou run``, ``ezhou compare``): each goal's
trajectory by scenario with the band of 90% of seeds, and who gains
(:mod:`experiments.reports.distribution`), from the files those commands write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import UserError
from experiments.i18n import t
from experiments.reports.batch import GOALS
from experiments.reports.distribution import distribution_section
from experiments.reports.figures import trajectory_figure
from experiments.runner import DISTRIBUTION_FILE

SCENARIO = "scenario"  # the column naming a comparison's scenario in its tables


def _read(path: Path, reader) -> Any:
    """A table of the folder; a damaged one is one line naming it."""
    try:
        return reader(path)
    except (OSError, ValueError) as exc:
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise UserError(f"{path}: cannot be read ({why}); run the command again") from None


def _goal_summary(annual: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Each goal's mean and 5% and 95% quantiles across seeds, per scenario (its place in
    ``names`` as the point_id) and year: the shape of a batch's summary.csv."""
    frames = []
    for point_id, name in enumerate(names):
        rows = annual[annual[SCENARIO] == name].groupby("year")[list(GOALS)]
        stats = {"mean": rows.mean(), "q05": rows.quantile(0.05), "q95": rows.quantile(0.95)}
        long = pd.concat(
            {stat: frame.stack() for stat, frame in stats.items()}, axis=1
        ).reset_index(names=["year", "indicator"])
        frames.append(long.assign(point_id=point_id))
    return pd.concat(frames, ignore_index=True)


def _split(table: pd.DataFrame | None, names: list[str]) -> dict[str, pd.DataFrame] | None:
    if table is None:
        return None
    return {name: table[table[SCENARIO] == name].drop(columns=SCENARIO) for name in names}


def scenario_context(folder: Path, kind: str, lang: str) -> dict[str, Any]:
    """What the scenario template shows for a run (``kind`` "run") or comparison folder."""
    annual = _read(folder / "annual.csv", pd.read_csv)
    if not set(GOALS) <= set(annual.columns):
        raise UserError(f"{folder}/annual.csv: not the annual table of ezhou {kind}")
    annual = annual[[c for c in (SCENARIO, "seed", "year", *GOALS) if c in annual.columns]]
    path = folder / DISTRIBUTION_FILE
    distribution = _read(path, pd.read_parquet) if path.exists() else None
    if kind == "run":
        meta = _read(folder / "run.json", lambda p: json.loads(p.read_text(encoding="utf-8")))
        name = str(meta.get("scenario", folder.name))
        annual = annual.assign(**{SCENARIO: name})
        if distribution is not None:
            distribution = distribution.assign(**{SCENARIO: name})
        spec_path = folder / "scenario.toml"
        spec_text = spec_path.read_text(encoding="utf-8") if spec_path.exists() else ""
    else:
        meta, spec_text = {}, ""
    if SCENARIO not in annual.columns:
        raise UserError(f"{folder}/annual.csv: not the annual table of ezhou {kind}")
    names = list(dict.fromkeys(annual[SCENARIO]))
    seeds = sorted(int(seed) for seed in annual.seed.unique())
    years = f"{int(annual.year.min())}–{int(annual.year.max())}"
    summary = _goal_summary(annual, names)
    labels = dict(enumerate(names))
    title = t(f"report.{kind}_title", lang)
    rows = [
        ("scenario" if kind == "run" else "scenarios", ", ".join(names)),
        ("years", years),
        ("seeds", str(len(seeds))),
    ]
    if "scale" in meta:
        rows.append(("scale", str(meta["scale"])))
    if "wall_seconds" in meta:
        rows.append(("wall_time", f"{meta['wall_seconds']:.1f} s"))
    return {
        "kind": kind,
        "title": f"{title}: {names[0] if kind == 'run' else folder.name}",
        "description": "",
        "goals_note": t("report.goals_note", lang),
        "trajectories": [trajectory_figure(goal, summary, labels, lang) for goal in GOALS],
        **distribution_section(_split(distribution, names), lang),
        "method_rows": [[t(f"report.row.{key}", lang), value] for key, value in rows],
        "failures": [],
        "n_failures": 0,
        "seeds": seeds,
        "spec_text": spec_text,
        "versions": meta.get("versions", {}),
        "git_commit": meta.get("git_commit"),
    }
