"""The search section of a report: the Pareto set in parallel coordinates and in pairs of
objectives, the levers of its packages, which reforms it holds, the hypervolume by generation
and the futures, from the files ``ezhou search`` writes (search.json, pareto.csv,
candidates.csv, convergence.csv, futures.csv, spec.toml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.i18n import short, t
from experiments.reports.policies import (
    best_first,
    group_cell,
    group_header,
    input_label,
    is_on,
    lever_groups,
    lever_positions,
    lever_text,
    policy_id,
    read_search_head,
    read_table,
    scaled,
    switch_of,
)
from experiments.reports.search_figures import (
    hypervolume_figure,
    lever_map_figure,
    parallel_figure,
    tradeoff_figure,
)
from experiments.reports.text import format_number, output_label

MAX_POLICIES = 60  # rows of the Pareto set's tables and lever map
ALGORITHM_NAMES = {"nsga2": "NSGA-II", "nsga3": "NSGA-III"}


def objective_label(objective: dict, lang: str) -> str:
    """An objective's label with the way it counts: ↑ to maximise, ↓ to minimise."""
    return f"{output_label(objective, lang)} {'↑' if objective['sense'] == 'max' else '↓'}"


def lever_label(path: str, lang: str) -> str:
    """A lever's label in a figure: a reform's switch by the reform's name, other levers by
    their own."""
    return input_label(path, lang) if path.endswith(".enabled") else short(path, lang)


def statistic_text(robustness: dict, lang: str) -> str:
    if robustness.get("statistic") == "percentile":
        return t("report.statistic_percentile", lang, percentile=robustness["percentile"])
    return t("report.statistic_mean", lang)


def search_context(folder: Path, lang: str) -> dict[str, Any]:
    """What the search template shows, from the folder's files."""
    head = read_search_head(folder)
    candidates = read_table(folder / "candidates.csv")
    pareto = read_table(folder / "pareto.csv")
    convergence = read_table(folder / "convergence.csv")
    objectives, decisions = head["objectives"], head["decisions"]
    names = [objective["name"] for objective in objectives]
    labels = [objective_label(objective, lang) for objective in objectives]
    tried = candidates[candidates.feasible.astype(bool)].dropna(subset=names)
    if tried.empty:
        tried = candidates.dropna(subset=names)
    front = best_first(pareto, objectives)
    shown = front.head(MAX_POLICIES)

    ends = []
    for objective, name in zip(objectives, names, strict=True):
        low, high = tried[name].min(), tried[name].max()
        worst, best = (low, high) if objective["sense"] == "max" else (high, low)
        ends.append((format_number(worst), format_number(best)))
    figures = {
        "parallel": parallel_figure(
            scaled(tried, tried, objectives), scaled(front, tried, objectives), labels, ends, lang
        ),
        "tradeoffs": tradeoff_figure(tried, front, names, labels, lang),
        "hypervolume": hypervolume_figure(convergence, lang),
    }
    if len(shown):
        figures["lever_map"] = lever_map_figure(
            lever_positions(shown, decisions),
            [policy_id(row) for _, row in shown.iterrows()],
            [lever_label(decision["path"], lang) for decision in decisions],
            lang,
        )
    groups = lever_groups(decisions)
    headers = [group_header(key, group, lang) for key, group in groups]
    policy_rows = [
        [policy_id(row)]
        + [format_number(float(row[name])) for name in names]
        + [group_cell(row, group, lang) for _, group in groups]
        for _, row in shown.iterrows()
    ]
    robustness = head.get("robustness", {})
    n_futures = robustness.get("futures", 1)
    seeds = robustness.get("seeds", [])
    last = convergence.iloc[-1] if len(convergence) else None
    summary = t(
        "report.search_summary",
        lang,
        algorithm=ALGORITHM_NAMES.get(head.get("algorithm"), str(head.get("algorithm"))),
        candidates=format_number(len(candidates)),
        generations=head.get("generations"),
        futures=n_futures,
        seeds=len(seeds),
        runs=format_number(int(head.get("runs", 0))),
        pareto=len(pareto),
    )
    return {
        "kind": "search",
        "title": f"{t('report.search_title', lang)}: {head.get('name', folder.name)}",
        "description": head.get("description", ""),
        "summary": summary,
        "objectives_note": t(
            "report.objectives_note", lang, statistic=statistic_text(robustness, lang)
        ),  # fmt: skip
        "figures": figures,
        "objective_labels": labels,
        "group_headers": headers,
        "policy_rows": policy_rows,
        "truncated": (
            t("report.truncated_packages", lang, shown=MAX_POLICIES, n=len(front))
            if len(front) > MAX_POLICIES
            else ""
        ),
        "reform_rows": reform_rows(front, groups, lang),
        "convergence_rows": [
            [
                int(row.generation) + 1,
                format_number(int(row.runs)),
                int(row.front_size),
                f"{row.hypervolume:.4f}",
            ]
            for row in convergence.itertuples()
        ],  # fmt: skip
        **futures_table(folder, lang),
        "method_rows": method_rows(head, last, lang),
        "failures": [],
        "n_failures": 0,
        "seeds": seeds,
        "spec_text": _spec_text(folder),
        "versions": head.get("versions", {}),
        "git_commit": head.get("git_commit"),
    }


def reform_rows(front: pd.DataFrame, groups: list[tuple[str, list[dict]]], lang: str) -> list:
    """Per reform: how many packages of the Pareto set switch it on, and the range of each
    of its levers among those."""
    rows = []
    for key, group in groups:
        title, _ = group_header(key, group, lang)
        on = front[[is_on(row, group) for _, row in front.iterrows()]] if len(front) else front
        ranges = []
        for decision in group:
            if decision is switch_of(group) or on.empty:
                continue
            values = on[decision["path"]]
            if decision["kind"] == "choice":
                taken = sorted({lever_text(value, decision, lang) for value in values})
                text = ", ".join(taken)
            else:
                low, high = (lever_text(v, decision, lang) for v in (values.min(), values.max()))
                text = low if low == high else f"{low} – {high}"
            ranges.append(f"{short(decision['path'], lang)}: {text}")
        rows.append([title, f"{len(on)} / {len(front)}", "; ".join(ranges) or "–"])
    return rows


def futures_table(folder: Path, lang: str) -> dict[str, list]:
    """The ensemble's futures: one row each, a column per condition (none when the search
    ran in the base scenario's own conditions)."""
    none: dict[str, list] = {"futures_head": [], "futures_rows": []}
    try:
        futures = pd.read_csv(folder / "futures.csv")
    except (OSError, ValueError, pd.errors.EmptyDataError):
        return none
    columns = [c for c in futures.columns if c not in ("future", "point_name")]
    if not columns:
        return none
    head = [t("report.future", lang)] + [t(c, lang) for c in columns]
    rows = []
    for _, row in futures.iterrows():
        name = row.get("point_name")
        label = name if isinstance(name, str) else str(int(row["future"]))
        rows.append([label] + [format_number(float(row[c])) for c in columns])
    return {"futures_head": head, "futures_rows": rows}


def method_rows(head: dict, last: pd.Series | None, lang: str) -> list[list[str]]:
    robustness = head.get("robustness", {})
    rows = [
        ("algorithm", str(head.get("algorithm"))),
        ("population", str(head.get("population"))),
        ("generations", str(head.get("generations"))),
        ("decisions", str(len(head.get("decisions", [])))),
        ("futures", str(robustness.get("futures"))),
        ("seeds_per_future", str(len(robustness.get("seeds", [])))),
        ("statistic", statistic_text(robustness, lang)),
        ("runs", format_number(int(head.get("runs", 0)))),
        ("candidates", format_number(int(head.get("candidates", 0)))),
        ("pareto_size", str(head.get("pareto_size"))),
        ("failed_runs", str(head.get("failed_runs", 0))),
        ("hypervolume", "–" if last is None else f"{last.hypervolume:.4f}"),
        ("search_seed", str(head.get("seed"))),
    ]
    if head.get("base_scenario"):
        rows += [
            ("base_scenario", str(head["base_scenario"])),
            ("scale", str(head.get("scale"))),
            ("end_year", str(head.get("end_year"))),
        ]
    rows += [
        ("executor", str(head.get("executor"))),
        ("wall_time_session", f"{float(head.get('wall_seconds', np.nan)):.1f} s"),
    ]
    return [[t(f"report.row.{key}", lang), value] for key, value in rows]


def _spec_text(folder: Path) -> str:
    try:
        return (folder / "spec.toml").read_text(encoding="utf-8")
    except OSError:
        return ""
