"""Widgets generated from the scenario schema: every lever, condition and run setting with
its meaning, unit and allowed range. A slider's bounds are the schema's, so no widget can
leave them; the edited scenario is validated by the schema once more before any run.

A page draws only the settings a user looks at (one section, one reform), since every widget
is work for the browser. Streamlit forgets the state of a widget a page run did not draw, so
each setting's value is also kept under a session key that is no widget's (``kept()``): the
scenario is made from every setting, drawn or not (``reform_values``, ``condition_values``,
``run_values``), and a widget drawn again starts from its kept value.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

import streamlit as st
from pydantic import BaseModel

from model.reforms import REFORMS
from model.scenario import Conditions, RunSettings, Scenario, ScenarioError, validate_scenario
from ui import labels
from ui.common import DEFAULT_SEEDS
from ui.i18n import lang, t

if TYPE_CHECKING:
    import pandas as pd

MAX_BROWSER_INT = 2**53 - 1
SCALES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
KEPT = "kept_settings"


def _decimals(x: float) -> int:
    text = f"{x:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _step(values: list[float]) -> float:
    return 10.0 ** -max(_decimals(abs(v)) for v in values)


def _extra(info) -> dict[str, Any]:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


# ---------------------------------------------------------------------- kept values
def kept() -> dict[str, Any]:
    """Every setting a user has changed or seen, by its widget's key."""
    return st.session_state.setdefault(KEPT, {})


def setting(wkey: str, file_value: Any) -> Any:
    """A setting's value now, kept: its widget's (where a change comes first, even when it
    comes with a click on another tab and the widget is not drawn again), else the value
    kept for it, else the scenario file's."""
    store = kept()
    if wkey in st.session_state:
        store[wkey] = st.session_state[wkey]
    return store.get(wkey, file_value)


def _start_value(wkey: str, file_value: Any) -> Any:
    """The value a widget is drawn with (its default): the kept one, which it takes only if
    Streamlit has forgotten its state. A default, not a value written to the session: a
    widget drawn anew shows its default at once, and a value written to it a moment later."""
    return setting(wkey, file_value)


def reset_widgets(prefix: str) -> None:
    """Every setting under ``prefix`` back to the scenario file's value."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix + "|")]:
        del st.session_state[k]
    store = kept()
    for k in [k for k in store if k.startswith(prefix + "|")]:
        del store[k]


# ---------------------------------------------------------------------- one field
def field_widget(key: str, name: str, info, value: Any, prefix: str) -> Any:
    """One widget for one schema field, keyed ``prefix|name``; ``value`` is the file's."""
    lg = lang()
    wkey = f"{prefix}|{name}"
    extra = _extra(info)
    lo, hi, unit = extra.get("lo"), extra.get("hi"), extra.get("unit")
    label = labels.lever(name, lg)
    help_ = labels.lever_help(name, info.description, unit, lo, hi, lg)
    ann = info.annotation
    if ann is bool:
        return st.toggle(label, bool(_start_value(wkey, value)), key=wkey, help=help_)
    if typing.get_origin(ann) is typing.Literal:
        options = list(typing.get_args(ann))
        # a text choice comes back through the session after a language switch, so it takes
        # its value from the session, never also as a default (Streamlit warns of both)
        chosen = setting(wkey, value)
        if wkey not in st.session_state or chosen not in options:
            st.session_state[wkey] = chosen if chosen in options else value
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
        start = int(_start_value(wkey, value))
        return st.slider(label, int(lo), int(hi), start, 1, key=wkey, help=help_)
    step = _step([lo, hi, float(value)])
    return st.slider(
        label,
        float(lo),
        float(hi),
        float(_start_value(wkey, value)),
        step,
        key=wkey,
        help=help_,
        format=f"%.{_decimals(step)}f",
    )


# ---------------------------------------------------------------------- reforms
def reform_values(levers: BaseModel, prefix: str) -> dict[str, dict[str, Any]]:
    """Every reform's levers as set, drawn or not."""
    out = {}
    for cls in REFORMS:
        group = getattr(levers, cls.key)
        out[cls.key] = {
            name: setting(f"{prefix}|{cls.key}|{name}", getattr(group, name))
            for name in type(group).model_fields
        }
    return out


def reform_editor(levers: BaseModel, prefix: str, open_key: str) -> None:
    """One expander per reform, its title saying whether the reform is on and whether it is
    set otherwise than in the file. Only an open expander's switch and levers are drawn:
    opening one runs the page again. The reforms open are kept under ``open_key``."""
    lg = lang()
    values = reform_values(levers, prefix)
    opened: set[str] = st.session_state.setdefault(open_key, set())
    for i, cls in enumerate(REFORMS, start=1):
        group = getattr(levers, cls.key)
        title = cls.title_zh if lg == "zh" else cls.title_en
        label = f"{'●' if values[cls.key]['enabled'] else '○'} {i}. {title}"
        if values[cls.key] != group.model_dump():
            label += t("reform_changed")
        # the title is part of an expander's identity to Streamlit: when it changes (the
        # reform switched on), a new expander takes the place of the old one, open if that was
        box = st.expander(label, expanded=cls.key in opened, on_change="rerun")
        if not box.open:
            opened.discard(cls.key)
            continue
        opened.add(cls.key)
        with box:
            st.caption(t(f"reform_about_{cls.key}"))
            for name, info in type(group).model_fields.items():
                field_widget(cls.key, name, info, getattr(group, name), f"{prefix}|{cls.key}")


# ---------------------------------------------------------------------- conditions
def condition_values(conditions: Conditions, prefix: str) -> tuple[dict[str, Any], list[str]]:
    """Every condition as set, drawn or not, and the mistakes found in the tables of years
    (one line each); the schema checks the rest."""
    out, errors = {}, []
    for name in Conditions.model_fields:
        value = getattr(conditions, name)
        if not isinstance(value, dict):
            out[name] = setting(f"{prefix}|{name}", value)
        elif setting(f"{prefix}|{name}|const", False):
            out[name] = setting(f"{prefix}|{name}", list(value.values())[-1])
        elif (rows := _table_rows(f"{prefix}|{name}|table")) is not None:
            out[name], mistake = year_table(rows, f"conditions.{name}")
            if mistake:
                errors.append(mistake)
        else:
            out[name] = value
    return out, errors


def condition_editor(conditions: Conditions, prefix: str) -> None:
    """Conditions: a number held constant gets a slider; a table of years is edited as a
    table (rows added or removed) or replaced by a constant."""
    lg = lang()
    for name, info in Conditions.model_fields.items():
        value = getattr(conditions, name)
        if not isinstance(value, dict):
            field_widget(name, name, info, value, prefix)
            continue
        extra = _extra(info)
        unit = labels.unit(extra["unit"], lg)
        st.markdown(f"**{labels.lever(name, lg)}** ({unit})")
        const = f"{prefix}|{name}|const"
        if st.toggle(t("hold_constant"), bool(_start_value(const, False)), key=const):
            field_widget(name, name, info, list(value.values())[-1], prefix)
            continue
        st.caption(t("condition_table", lo=f"{extra['lo']:g}", hi=f"{extra['hi']:g}"))
        _year_table_editor(value, f"{prefix}|{name}|table", unit)


# A table editor's state in the session is its edits to the rows it was given. Those rows
# are kept under "<table key>|base" with a generation number (the editor's key ends with
# it), the rows as edited under the table key itself.
def _table_rows(tkey: str) -> pd.DataFrame | None:
    """A table of years as edited (and kept), or None if its editor was never drawn: the
    rows it was given with the edits it holds, which may have come with a click on another
    tab (the table is then not drawn again)."""
    store = kept()
    if f"{tkey}|base" not in store:
        return None
    generation, rows = store[f"{tkey}|base"]
    edits = st.session_state.get(f"{tkey}|{generation}")
    if edits is not None:
        store[tkey] = edited_rows(rows, edits)
    return store.get(tkey, rows)


def _year_table_editor(value: dict, tkey: str, unit: str) -> None:
    """The editor of a table of years. Once Streamlit has forgotten its edits (the tab was
    not drawn), it is drawn anew, under a new key, from the rows as last edited."""
    import pandas as pd  # only a drawn table needs it

    store = kept()
    if f"{tkey}|base" not in store:
        rows = pd.DataFrame({"year": list(value), "value": list(value.values())})
        store[f"{tkey}|base"] = (0, rows)
    generation, rows = store[f"{tkey}|base"]
    edited = store.get(tkey)
    if f"{tkey}|{generation}" not in st.session_state and edited is not None:
        if not edited.equals(rows):
            generation, rows = generation + 1, edited
            store[f"{tkey}|base"] = (generation, rows)
    st.data_editor(
        rows,
        key=f"{tkey}|{generation}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "year": st.column_config.NumberColumn(t("year"), step=1, format="%d"),
            "value": st.column_config.NumberColumn(unit, format="%g"),
        },
    )


def edited_rows(rows: pd.DataFrame, edits: dict) -> pd.DataFrame:
    """``rows`` with a table editor's edits as Streamlit keeps them in the session and
    applies them: cells changed by row position, then rows deleted by position, then rows
    added at the end. In floats, so that an emptied year is a blank, not a type error."""
    import pandas as pd

    out = rows.astype("float64")
    for position, changes in edits.get("edited_rows", {}).items():
        for column, new in changes.items():
            out.loc[out.index[int(position)], column] = new
    out = out.drop(index=[out.index[int(p)] for p in edits.get("deleted_rows", [])])
    added = pd.DataFrame(edits.get("added_rows", []), columns=rows.columns)
    return pd.concat([out, added], ignore_index=True) if len(added) else out.reset_index(drop=True)


def year_table(rows: pd.DataFrame, where: str) -> tuple[dict, str | None]:
    """An edited table of years as a scenario file holds it, ``{year: value}``, blank rows
    left out; and the one mistake the schema cannot see once it is a table: a year given
    twice. A year or value left empty is passed on for the schema to name."""
    import pandas as pd

    out: dict = {}
    for year, value in zip(rows["year"], rows["value"], strict=True):
        if pd.isna(year) and pd.isna(value):
            continue
        key = "" if pd.isna(year) else int(year)
        if key in out:
            return out, f"{where}: year {key} is given twice; allowed: each year once"
        out[key] = None if pd.isna(value) else float(value)
    return out, None


# ---------------------------------------------------------------------- run settings
def _scales(run: RunSettings) -> list[int]:
    extra = _extra(RunSettings.model_fields["scale"])
    scales = [s for s in SCALES if extra["lo"] <= s <= extra["hi"]]
    return scales if run.scale in scales else sorted(set(scales) | {run.scale})


def _top_seed() -> int:
    # the browser's numbers are exact only up to 2**53
    return min(_extra(RunSettings.model_fields["seed"])["hi"], MAX_BROWSER_INT)


def run_values(run: RunSettings, prefix: str) -> tuple[dict[str, Any], int]:
    """The run settings as set, drawn or not, and the number of seeds."""
    data = run.model_dump()
    data.update(
        seed=int(setting(f"{prefix}|seed", min(run.seed, _top_seed()))),
        scale=int(setting(f"{prefix}|scale", run.scale)),
        end_year=int(setting(f"{prefix}|end_year", run.end_year)),
    )
    return data, int(setting(f"{prefix}|nseeds", DEFAULT_SEEDS))


def run_settings(run: RunSettings, prefix: str) -> None:
    """Seeds, scale, base seed and end year."""
    lg = lang()
    fields = RunSettings.model_fields
    c1, c2 = st.columns(2)
    with c1:
        wkey = f"{prefix}|nseeds"
        start = int(_start_value(wkey, DEFAULT_SEEDS))
        st.number_input(t("seeds"), 1, 500, start, key=wkey, help=t("seeds_help"))
        lo, hi = _extra(fields["scale"])["lo"], _extra(fields["scale"])["hi"]
        wkey = f"{prefix}|scale"
        help_ = labels.lever_help(
            "scale", fields["scale"].description, "households per agent", lo, hi, lg
        )
        st.select_slider(
            labels.lever("scale", lg),
            options=_scales(run),
            value=int(_start_value(wkey, run.scale)),
            key=wkey,
            help=help_,
        )
    with c2:
        top = _top_seed()
        wkey = f"{prefix}|seed"
        start = int(_start_value(wkey, min(run.seed, top)))
        help_ = labels.lever_help("seed", fields["seed"].description, "integer", 0, top, lg)
        st.number_input(labels.lever("seed", lg), 0, top, start, key=wkey, help=help_)
        field_widget("run", "end_year", fields["end_year"], run.end_year, prefix)


# ---------------------------------------------------------------------- the scenario
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
