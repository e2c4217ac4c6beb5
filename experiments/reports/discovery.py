"""The discovery section of a report: PRIM's peeling trajectory, the kept box's limits with
their quasi-p-values, and the runs inside and outside the box, from the files ``ezhou
discover`` writes (discovery.json, trajectory.csv, box.csv, cases.csv).

A discovery folder gets a report of its own; a batch, sensitivity or search report shows the
discovery in its ``discovery/`` folder (where ``ezhou discover`` writes by default) too.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.formats.outcome_expression import parse_expression
from experiments.i18n import t
from experiments.reports.discovery_figures import box_figure, cases_figure, peeling_figure
from experiments.reports.policies import input_label, read_description, read_table
from experiments.reports.text import format_number, yes_no

MARKER = "discovery.json"
FOLDER = "discovery"  # where ezhou discover writes inside the folder it reads


def read_discovery_head(folder: Path) -> dict:
    return read_description(Path(folder) / MARKER, "discovery", "run ezhou discover again")


def _is_number_input(value: Any) -> bool:
    """A restriction of a number (PRIM's value column is blank for those)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def restriction_text(row: pd.Series, lang: str) -> str:
    """One restriction in words of the report's language, with the input's label."""
    name = input_label(row.input, lang)
    if _is_number_input(row.value):
        low, high = format_number(float(row.low)), format_number(float(row.high))
        if row.low <= row.data_low:
            return t("report.restrict.at_most", lang, name=name, high=high)
        if row.high >= row.data_high:
            return t("report.restrict.at_least", lang, name=name, low=low)
        return t("report.restrict.between", lang, name=name, low=low, high=high)
    kept = row.low >= 1  # a restricted 0/1 column keeps only its 1s or only its 0s
    if str(row.value).lower() == "true":
        return t("report.restrict.on" if kept else "report.restrict.off", lang, name=name)
    key = "report.restrict.is" if kept else "report.restrict.is_not"
    return t(key, lang, name=name, value=row.value)


def summary_text(head: dict, box: pd.DataFrame, lang: str) -> str:
    """The discovery in one sentence of the report's language."""
    runs, cases = int(head["runs"]), int(head["cases"])
    numbers = {
        "cases": format_number(cases),
        "runs": format_number(runs),
        "share": f"{cases / max(runs, 1):.0%}",
        "where": head["where"],
    }
    if box.empty:
        return t("report.discovery_no_box", lang, **numbers)
    where = t("report.and", lang).join(restriction_text(row, lang) for _, row in box.iterrows())
    return t(
        "report.discovery_summary",
        lang,
        **numbers,
        box=where,
        density=f"{head['density']:.0%}",
        coverage=f"{head['coverage']:.0%}",
    )


def limit_rows(box: pd.DataFrame, lang: str) -> list[list[str]]:
    """The box's restrictions as a table: in words, the range the runs took, the
    quasi-p-value and whether it counts."""
    rows = []
    for _, row in box.iterrows():
        taken = (
            f"{format_number(float(row.data_low))} – {format_number(float(row.data_high))}"
            if _is_number_input(row.value)
            else "–"
        )
        rows.append(
            [
                restriction_text(row, lang),
                taken,
                f"{row.qp_value:.2g}",
                yes_no(bool(row.significant), lang),
            ]
        )
    return rows


def case_counts(cases: pd.DataFrame, lang: str) -> list[list]:
    """Runs in the box and outside it: cases of interest, other runs, all, and the share of
    cases."""
    interest = cases.of_interest.astype(bool).to_numpy()
    inside = cases.in_box.astype(bool).to_numpy()
    counts = []
    sides = ((t("report.in_box", lang), inside), (t("report.outside_box", lang), ~inside))
    for label, where in sides:
        n_cases, n_all = int((interest & where).sum()), int(where.sum())
        share = f"{n_cases / n_all:.0%}" if n_all else "–"
        counts.append([label, n_cases, n_all - n_cases, n_all, share])
    return counts


def discovery_section(folder: Path, lang: str) -> dict[str, Any]:
    """The discovery's figures and tables, as the ``_discovery.html`` part of a template
    shows them."""
    head = read_discovery_head(folder)
    trajectory = read_table(folder / "trajectory.csv")
    box = read_table(folder / "box.csv")
    cases = read_table(folder / "cases.csv")
    limits = []
    for _, row in box.iterrows():
        number = _is_number_input(row.value)
        low_text = format_number(float(row.low)) if number else _kept_value(row, lang)
        high_text = format_number(float(row.high)) if number else low_text
        limits.append(
            {
                "label": input_label(row.input, lang),
                "low": _place(row.low, row.data_low, row.data_high),
                "high": _place(row.high, row.data_low, row.data_high),
                "low_text": low_text,
                "high_text": high_text,
            }
        )
    interest = cases.of_interest.astype(bool).to_numpy()
    return {
        "where": head["where"],
        "summary": summary_text(head, box, lang),
        "peeling": peeling_figure(trajectory, lang),
        "box": box_figure(limits, lang) if limits else None,
        "limit_rows": limit_rows(box, lang),
        "counts": case_counts(cases, lang),
        "cases_img": _cases_image(head, box, cases, interest, lang),
        "cases_note": t("report.cases_note", lang, where=head["where"]),
        "source": Path(str(head.get("folder", ""))).name,
    }


def _kept_value(row: pd.Series, lang: str) -> str:
    """What the box keeps of a switch or a choice, in a word or two."""
    kept = row.low >= 1
    if str(row.value).lower() == "true":
        return t("report.on" if kept else "report.off", lang)
    return str(row.value) if kept else f"≠ {row.value}"


def _place(value: float, low: float, high: float) -> float:
    """Where ``value`` lies between ``low`` (0) and ``high`` (1)."""
    return (value - low) / (high - low) if high > low else 0.5


def _cases_image(
    head: dict, box: pd.DataFrame, cases: pd.DataFrame, interest: np.ndarray, lang: str
) -> str | None:
    """The runs in the box's two strongest number inputs; with one, that input against the
    first outcome the condition reads; none when the box restricts no number."""
    numbers = box[[_is_number_input(v) for v in box.value]] if len(box) else box
    numbers = numbers[numbers.input.isin(cases.columns)].sort_values("qp_value", kind="stable")
    if numbers.empty:
        return None
    first = numbers.iloc[0]
    x_limits = (float(first.low), float(first.high))
    if len(numbers) >= 2:
        second = numbers.iloc[1]
        y_name, y_limits = second.input, (float(second.low), float(second.high))
        y_label = input_label(y_name, lang)
    else:
        outcome = parse_expression(head["where"]).refs[0]
        y_name, y_limits = outcome.text, None
        y_label = f"{t(outcome.indicator, lang)} ({outcome.text.partition('@')[2] or '–'})"
        if y_name not in cases.columns:
            return None
    return cases_figure(
        cases[first.input].astype(float),
        cases[y_name].astype(float),
        interest,
        (x_limits, y_limits),
        (input_label(first.input, lang), y_label),
        lang,
    )


def discovery_context(folder: Path, lang: str) -> dict[str, Any]:
    """What the discovery template shows for a discovery folder of its own."""
    head = read_discovery_head(folder)
    section = discovery_section(folder, lang)
    settings = head.get("settings", {})
    rows = [
        ("where", head["where"]),
        ("source", f"{head.get('folder')} ({head.get('folder_kind')})"),
        ("runs", format_number(int(head["runs"]))),
        ("cases", format_number(int(head["cases"]))),
        ("runs_without_outcomes", format_number(int(head.get("runs_without_outcomes", 0)))),
        ("chosen_box", str(head.get("chosen_box"))),
        ("peel_alpha", str(settings.get("peel_alpha"))),
        ("paste_alpha", str(settings.get("paste_alpha"))),
        ("mass_min", str(settings.get("mass_min"))),
        ("min_coverage", format_number(settings.get("min_coverage"))),
    ]
    return {
        "kind": "discovery",
        "title": f"{t('report.discovery_title', lang)}: {head['where']}",
        "description": t("report.discovery_of", lang, folder=section["source"]),
        "discovery": section,
        "method_rows": [[t(f"report.row.{key}", lang), value] for key, value in rows],
        "failures": [],
        "n_failures": 0,
        "spec_text": "",
        "versions": head.get("versions", {}),
        "git_commit": head.get("git_commit"),
    }


def nested_discovery(folder: Path, lang: str) -> dict[str, Any] | None:
    """The discovery ``ezhou discover`` wrote into a results folder, for that folder's report;
    None when there is none."""
    inner = Path(folder) / FOLDER
    return discovery_section(inner, lang) if (inner / MARKER).is_file() else None
