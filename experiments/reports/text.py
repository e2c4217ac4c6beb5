"""How numbers and labels are written in reports."""

from __future__ import annotations

from typing import Any

import numpy as np

from experiments.i18n import t


def output_label(meta_output: dict[str, Any], lang: str) -> str:
    """An output's label: its indicator with the year or the years averaged, and whether it
    is the reforms' effect on it (against a counterfactual)."""
    label = t(meta_output["indicator"], lang)
    if meta_output.get("of", "scenario") != "scenario":
        label = f"{label}{t(f'report.output_of_{meta_output["of"]}', lang)}"
    if meta_output.get("year") is not None:
        return (
            f"{label}（{meta_output['year']}年）"
            if lang == "zh"
            else f"{label}, {meta_output['year']}"
        )
    if meta_output.get("years"):
        first, last = meta_output["years"]
        return (
            f"{label}（{first}–{last}年均值）" if lang == "zh" else f"{label}, mean {first}–{last}"
        )
    return label


def yes_no(value: Any, lang: str) -> str:
    """A switch of the run's settings in words of the report's language ("yes", "是"), a dash
    when it was not recorded."""
    if value is None:
        return "–"
    return t("report.yes" if value else "report.no", lang)


def format_number(value: Any, digits: int = 3) -> str:
    """A figure for a table: text as it is, a dash for none, thousands separated."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, int | np.integer):
        return f"{value:,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def format_share(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.1%}"


def clip_text(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def distribution_text(parameter: dict[str, Any]) -> str:
    """A parameter's distribution as written in the report's table of parameters."""
    kind = parameter.get("distribution", "uniform")
    if kind == "triangular":
        return f"triangular, mode {format_number(parameter['mode'])}"
    if kind == "truncnorm":
        return (
            f"truncated normal, mean {format_number(parameter['mean'])}, "
            f"sd {format_number(parameter['sd'])}"
        )
    return "uniform"
