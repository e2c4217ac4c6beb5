"""A search's packages as people read them: a name for each, the Pareto set best-first, the
objectives turned so that more is better, and each reform's levers in a few words. Shared by
the report (:mod:`experiments.reports.search`) and the app's Policy design page
(:mod:`experiments.views.search`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.errors import UserError
from experiments.i18n import short, t
from experiments.reports.text import format_number

HEAD = "search.json"


def read_description(path: Path, kind: str, again: str) -> dict:
    """The JSON file describing a search or a discovery (``kind``); one line naming it when
    it cannot be read or describes something else (``again``: what to do then)."""
    try:
        head = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot be read ({exc}); {again}") from None
    if not isinstance(head, dict) or head.get("kind") != kind:
        raise UserError(f"{path}: not a {kind}'s description; {again}")
    return head


def read_search_head(folder: Path) -> dict:
    """The ``search.json`` of a finished search; a one-line error for an unfinished one."""
    head = read_description(Path(folder) / HEAD, "search", "run ezhou search again")
    if head.get("state") != "finished":
        raise UserError(
            f"{folder}: the search has not finished (no Pareto set yet); continue it with "
            "ezhou search SPEC --out DIR --resume"
        )
    return head


def read_table(path: Path, reader: Callable[[Path], Any] = pd.read_csv) -> Any:
    """A table of a results folder; a missing or damaged one is one line naming it."""
    try:
        return reader(path)
    except (OSError, ValueError) as exc:
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise UserError(f"{path}: cannot be read ({why}); run the command again") from None


def input_label(path: str, lang: str) -> str:
    """A lever's or condition's label; a reform's switch is named by the reform."""
    parts = path.split(".")
    if parts[0] == "levers" and parts[-1] == "enabled" and len(parts) == 3:
        return t(f"reform.{parts[1]}", lang)
    return t(path, lang)


def policy_id(row: pd.Series) -> str:
    """A package's name: its generation and its place in it, as in candidates.csv."""
    return f"{int(row['generation'])}-{int(row['candidate'])}"


def oriented(table: pd.DataFrame, objectives: list[dict]) -> np.ndarray:
    """The objectives of each row with more always better (one to minimise negated)."""
    columns = [
        table[o["name"]].to_numpy(dtype=float) * (1.0 if o["sense"] == "max" else -1.0)
        for o in objectives
    ]
    return np.column_stack(columns) if columns else np.empty((len(table), 0))


def best_first(front: pd.DataFrame, objectives: list[dict]) -> pd.DataFrame:
    """The Pareto set from the best package on the first objective to the worst (ties: the
    next objectives)."""
    if front.empty:
        return front
    better = oriented(front, objectives)
    order = np.lexsort([-better[:, k] for k in reversed(range(better.shape[1]))])
    return front.iloc[order].reset_index(drop=True)


def scaled(table: pd.DataFrame, tried: pd.DataFrame, objectives: list[dict]) -> np.ndarray:
    """Each objective of ``table`` from the worst value in ``tried`` (0) to the best (1)."""
    values, reach = oriented(table, objectives), oriented(tried, objectives)
    low, high = np.nanmin(reach, axis=0), np.nanmax(reach, axis=0)
    span = np.where(high > low, high - low, 1.0)
    return (values - low) / span


def reform_of(path: str) -> str | None:
    """``levers.talent.recruits_per_year`` -> ``talent``; None for a decision of no reform."""
    parts = path.split(".")
    return parts[1] if parts[0] == "levers" and len(parts) == 3 else None


def lever_groups(decisions: list[dict]) -> list[tuple[str, list[dict]]]:
    """The decisions by reform (in the order they first appear); a decision of no reform (the
    test problem's x1, x2...) is a group of its own."""
    groups: dict[str, list[dict]] = {}
    for decision in decisions:
        groups.setdefault(reform_of(decision["path"]) or decision["path"], []).append(decision)
    return list(groups.items())


def switch_of(group: list[dict]) -> dict | None:
    return next((d for d in group if d["path"].endswith(".enabled")), None)


def is_on(row: pd.Series, group: list[dict]) -> bool:
    """Whether the package switches the group's reform on (a reform with no switch among the
    decisions stays as the base scenario has it: on, since the search checks that)."""
    switch = switch_of(group)
    return switch is None or _truth(row[switch["path"]])


def _truth(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def lever_text(value: Any, decision: dict, lang: str) -> str:
    """A lever's value as a cell shows it."""
    if decision["kind"] == "choice" and set(map(str, decision["choices"])) == {"False", "True"}:
        return t("report.on" if _truth(value) else "report.off", lang)
    if decision["kind"] == "integer":
        return str(int(round(float(value))))
    if isinstance(value, str):
        return value
    return format_number(float(value))


def group_header(key: str, group: list[dict], lang: str) -> tuple[str, str]:
    """A group's two header lines: the reform's title, and the levers its cells list."""
    title = t(f"reform.{key}", lang) if reform_of(group[0]["path"]) else key
    levers = [short(d["path"], lang) for d in group if d is not switch_of(group)]
    return title, " · ".join(levers) or t("report.on", lang)


def group_cell(row: pd.Series, group: list[dict], lang: str) -> str:
    """What a package does with one reform: "off", or its levers' values."""
    if not is_on(row, group):
        return t("report.off", lang)
    values = [lever_text(row[d["path"]], d, lang) for d in group if d is not switch_of(group)]
    return " · ".join(values) or t("report.on", lang)


def position(row: pd.Series, decision: dict) -> float:
    """Where a lever's value lies in its range: 0 at the low end, 1 at the high end (a
    choice's place in its list)."""
    value = row[decision["path"]]
    if decision["kind"] == "choice":
        choices = [str(choice) for choice in decision["choices"]]
        text = str(value)
        if text not in choices and text.lower() in ("true", "false"):
            text = text.capitalize()
        index = choices.index(text) if text in choices else np.nan
        return index / max(len(choices) - 1, 1)
    low, high = float(decision["low"]), float(decision["high"])
    return (float(value) - low) / (high - low) if high > low else 0.5


def lever_positions(front: pd.DataFrame, decisions: list[dict]) -> np.ndarray:
    """Packages by decisions, each value's place in its range; NaN where the package
    switches the decision's reform off (the lever then does nothing)."""
    groups = dict(lever_groups(decisions))
    values = np.full((len(front), len(decisions)), np.nan)
    for i, (_, row) in enumerate(front.iterrows()):
        for j, decision in enumerate(decisions):
            group = groups[reform_of(decision["path"]) or decision["path"]]
            if decision is switch_of(group) or is_on(row, group):
                values[i, j] = position(row, decision)
    return values
