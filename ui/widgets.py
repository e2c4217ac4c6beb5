"""Widgets generated from the scenario schema: every lever, condition and run setting with
its meaning, unit and allowed range. A slider's bounds are the schema's, so no widget can
leave them; the edited scenario is validated by the schema once more before any run."""

from __future__ import annotations

import typing
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel

from model.reforms import REFORMS
from model.scenario import Conditions, RunSettings, Scenario, ScenarioError, validate_scenario
from ui import labels
from ui.i18n import lang, t

MAX_BROWSER_INT = 2**53 - 1
SCALES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]


def _decimals(x: float) -> int:
    text = f"{x:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _step(values: list[float]) -> float:
    return 10.0 ** -max(_decimals(abs(v)) for v in values)


def _extra(info) -> dict[str, Any]:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def field_widget(key: str, name: str, info, value: Any, prefix: str) -> Any:
    """One widget for one schema field, keyed ``prefix|name``."""
    lg = lang()
    wkey = f"{prefix}|{name}"
    extra = _extra(info)
    lo, hi, unit = extra.get("lo"), extra.get("hi"), extra.get("unit")
    label = labels.lever(name, lg)
    help_ = labels.lever_help(name, info.description, unit, lo, hi, lg)
    ann = info.annotation
    if ann is bool:
        return st.toggle(label, value=bool(value), key=wkey, help=help_)
    if typing.get_origin(ann) is typing.Literal:
        options = list(typing.get_args(ann))
        # the file's value through the session, not as a default: a language switch sends
        # text choices back through the session, and a widget may not have both
        if st.session_state.get(wkey) not in options:
            st.session_state[wkey] = value
        return st.selectbox(
            label,
            options,
            key=wkey,
            help=help_,
            format_func=lambda o: (
                labels._pick(labels.FUND_SELECTION[o], lg) if o in labels.FUND_SELECTION else o
            ),
        )
    if lo is None:
        return value
    if ann is int:
        return st.slider(label, int(lo), int(hi), int(value), 1, key=wkey, help=help_)
    step = _step([lo, hi, float(value)])
    return st.slider(
        label,
        float(lo),
        float(hi),
        float(value),
        step,
        key=wkey,
        help=help_,
        format=f"%.{_decimals(step)}f",
    )


def reform_editor(levers: BaseModel, prefix: str) -> dict[str, dict[str, Any]]:
    """One expander per reform: switch, timing and its levers. Returns the lever dicts."""
    lg = lang()
    out: dict[str, dict[str, Any]] = {}
    for i, cls in enumerate(REFORMS, start=1):
        group = getattr(levers, cls.key)
        gkey = f"{prefix}|{cls.key}"
        on = st.session_state.get(f"{gkey}|enabled", group.enabled)
        title = cls.title_zh if lg == "zh" else cls.title_en
        mark = "●" if on else "○"
        with st.expander(f"{mark} {i}. {title}", expanded=False):
            st.caption(t(f"reform_about_{cls.key}"))
            values = {}
            for name, info in type(group).model_fields.items():
                values[name] = field_widget(cls.key, name, info, getattr(group, name), gkey)
            out[cls.key] = values
    return out


def condition_editor(conditions: Conditions, prefix: str) -> tuple[dict[str, Any], list[str]]:
    """Conditions: a number held constant gets a slider; a table of years is edited as a
    table (rows added or removed) or replaced by a constant. Returns the values and the
    mistakes found in the tables (one line each); the schema checks the rest."""
    lg = lang()
    out, errors = {}, []
    for name, info in Conditions.model_fields.items():
        value = getattr(conditions, name)
        if isinstance(value, dict):
            extra = _extra(info)
            unit = labels.unit(extra["unit"], lg)
            st.markdown(f"**{labels.lever(name, lg)}** ({unit})")
            if st.toggle(t("hold_constant"), key=f"{prefix}|{name}|const"):
                out[name] = field_widget(name, name, info, list(value.values())[-1], prefix)
                continue
            st.caption(t("condition_table", lo=f"{extra['lo']:g}", hi=f"{extra['hi']:g}"))
            edited = st.data_editor(
                pd.DataFrame({"year": list(value), "value": list(value.values())}),
                key=f"{prefix}|{name}|table",
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "year": st.column_config.NumberColumn(t("year"), step=1, format="%d"),
                    "value": st.column_config.NumberColumn(unit, format="%g"),
                },
            )
            out[name], mistake = year_table(edited, f"conditions.{name}")
            if mistake:
                errors.append(mistake)
        else:
            out[name] = field_widget(name, name, info, value, prefix)
    return out, errors


def year_table(rows: pd.DataFrame, where: str) -> tuple[dict, str | None]:
    """An edited table of years as a scenario file holds it, ``{year: value}``, blank rows
    left out; and the one mistake the schema cannot see once it is a table: a year given
    twice. A year or value left empty is passed on for the schema to name."""
    out: dict = {}
    for year, value in zip(rows["year"], rows["value"], strict=True):
        if pd.isna(year) and pd.isna(value):
            continue
        key = "" if pd.isna(year) else int(year)
        if key in out:
            return out, f"{where}: year {key} is given twice; allowed: each year once"
        out[key] = None if pd.isna(value) else float(value)
    return out, None


def run_settings(run: RunSettings, prefix: str) -> tuple[dict[str, Any], int]:
    """Seeds, scale, base seed and end year; returns the run dict and the number of seeds."""
    lg = lang()
    fields = RunSettings.model_fields
    c1, c2 = st.columns(2)
    with c1:
        n_seeds = st.number_input(
            t("seeds"),
            1,
            500,
            st.session_state.get("default_seeds", 5),
            key=f"{prefix}|nseeds",
            help=t("seeds_help"),
        )
        lo, hi = _extra(fields["scale"])["lo"], _extra(fields["scale"])["hi"]
        scales = [s for s in SCALES if lo <= s <= hi]
        if run.scale not in scales:
            scales = sorted(set(scales) | {run.scale})
        scale = st.select_slider(
            labels.lever("scale", lg),
            options=scales,
            value=run.scale,
            key=f"{prefix}|scale",
            help=labels.lever_help(
                "scale", fields["scale"].description, "households per agent", lo, hi, lg
            ),
        )
    with c2:
        # the browser's numbers are exact only up to 2**53
        top = min(_extra(fields["seed"])["hi"], MAX_BROWSER_INT)
        seed = st.number_input(
            labels.lever("seed", lg),
            0,
            top,
            min(run.seed, top),
            key=f"{prefix}|seed",
            help=labels.lever_help("seed", fields["seed"].description, "integer", 0, top, lg),
        )
        end_year = field_widget("run", "end_year", fields["end_year"], run.end_year, prefix)
    data = run.model_dump()
    data.update(seed=int(seed), scale=int(scale), end_year=int(end_year))
    return data, int(n_seeds)


def edited_scenario(
    base: Scenario, levers: dict, conditions: dict, run: dict, source: str
) -> tuple[Scenario | None, str | None]:
    data = base.model_dump()
    for key, values in levers.items():
        data["levers"][key].update(values)
    data["conditions"].update(conditions)
    data["run"].update(run)
    try:
        return validate_scenario(data, source=source), None
    except ScenarioError as exc:
        return None, str(exc)


def reset_widgets(prefix: str) -> None:
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix + "|")]:
        del st.session_state[k]
