"""The batch section of a report: each goal's trajectory by design point and a table comparing
the points in the last year, from the files ``ezhou batch`` writes (manifest.json,
summary.csv, design.csv)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import UserError
from experiments.i18n import short, t
from experiments.reports.figures import MAX_LINES, trajectory_figure
from experiments.reports.text import format_number, yes_no

GOALS = ("goal1_levels_score", "goal2_per_capita_score", "goal3_quality_score")
MAX_ROWS = 60  # design points in the comparison table


def _point_labels(summary: pd.DataFrame, factors: list[str], lang: str) -> dict[int, str]:
    """A label per design point: its name, or its factor values with short labels."""
    points = summary.drop_duplicates("point_id").set_index("point_id")
    labels = {}
    for point_id, row in points.iterrows():
        if "point_name" in points.columns and isinstance(row.get("point_name"), str):
            labels[point_id] = row["point_name"]
        elif factors:
            labels[point_id] = ", ".join(
                f"{short(factor, lang)} = {format_number(row[factor])}"
                for factor in factors
                if factor in points.columns
            )
        else:
            labels[point_id] = f"#{point_id}"
    return labels


def batch_context(folder: Path, lang: str) -> dict[str, Any]:
    """What the batch template shows, from the folder's files."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    summary_path = folder / "summary.csv"
    if not summary_path.exists():
        raise UserError(
            f"{folder}: no summary.csv yet (the batch has not finished); continue it with "
            "ezhou batch SPEC --out DIR --resume"
        )
    summary = pd.read_csv(summary_path)
    summary = summary[summary.indicator.isin(GOALS)]
    factors = [factor for factor in manifest.get("factors", []) if factor != "point_name"]
    labels = _point_labels(summary, factors, lang)
    n_points = summary.point_id.nunique()
    figures = [trajectory_figure(goal, summary, labels, lang) for goal in GOALS]
    last = int(summary.year.max())
    end = summary[summary.year == last]
    rows = []
    for point_id in sorted(labels)[:MAX_ROWS]:
        cells = [f"{point_id}", labels[point_id]]
        for goal in GOALS:
            row = end[(end.point_id == point_id) & (end.indicator == goal)]
            cells.append(
                "–" if row.empty else
                f"{row['mean'].iat[0]:.1f} [{row.q05.iat[0]:.1f}, {row.q95.iat[0]:.1f}]"
            )  # fmt: skip
        rows.append(cells)
    design = pd.read_csv(folder / "design.csv", usecols=["point_id", "seed"])
    seeds = design[design.point_id == design.point_id.min()].seed.tolist()
    failures = [
        [run["run_id"], run["seed"], run.get("error", "")]
        for run in manifest.get("runs", [])
        if run.get("state") == "failed"
    ]
    sessions = manifest.get("sessions", [])
    return {
        "kind": "batch",
        "title": f"{t('report.batch_title', lang)}: {manifest.get('name', folder.name)}",
        "description": "",
        "trajectory_note": (
            t("report.trajectories_note", lang)
            if n_points <= MAX_LINES
            else t("report.trajectories_many", lang, n=n_points)
        ),
        "trajectories": figures,
        "comparison_note": t("report.comparison_note", lang, year=last),
        "comparison_head": [
            "#",
            t("report.design_point", lang),
            *[t(goal, lang) for goal in GOALS],
        ],
        "comparison_rows": rows,
        "truncated": (
            t("report.truncated", lang, shown=MAX_ROWS, n=n_points) if n_points > MAX_ROWS else ""
        ),
        "method_rows": [
            [t(f"report.row.{key}", lang), value]
            for key, value in [
                ("design_points", format_number(n_points)),
                ("replications", str(manifest.get("replications"))),
                ("paired_seeds", yes_no(manifest.get("paired_seeds"), lang)),
                ("runs", f"{manifest.get('n_done')} / {manifest.get('n_runs')}"),
                (
                    "executor",
                    ", ".join(str(session.get("executor")) for session in sessions) or "–",
                ),
                (
                    "wall_time",
                    f"{sum(session.get('wall_seconds', 0) for session in sessions):.1f} s",
                ),
            ]
        ],
        "failures": failures[:20],
        "n_failures": len(failures),
        "seeds": seeds,
        "spec_text": manifest.get("spec_text", ""),
        "versions": manifest.get("versions", {}),
        "git_commit": manifest.get("git_commit"),
    }
