"""Scenario files: levers (reforms), conditions (the outside world) and run settings.

A scenario is a TOML file with up to five top-level keys::

    name = "baseline"
    description = "..."
    [levers]        # one group per reform, off unless enabled = true (docs/reforms.md)
    [conditions]    # each condition a number (held constant) or a table {year = value}
    [run]           # seed, start_year, end_year, scale

Every mistake in a file (an unknown key, a wrong type, a value out of range, broken TOML, a
missing file, a year given twice in a table, a file that sets nothing, tables nested past
:data:`MAX_NESTING`) raises :class:`ScenarioError` whose message is one line naming the file,
the key path and what is allowed. A UTF-8 byte-order mark at the start is ignored.
"""

from __future__ import annotations

import reprlib
import tomllib
from pathlib import Path
from typing import Any, get_args, get_origin

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator

from model.schema import Strict, lever

START_YEAR = 2010
MAX_END_YEAR = 2035
FIRST_PATH_YEAR = 2000
# deepest nesting of tables and arrays a user's file may have: a scenario needs 4
# (levers.<reform>.<key> = {year = value}), an experiment file 5; refusing deeper files up
# front keeps the recursive reader, the validation and the messages far from Python's limit
MAX_NESTING = 16
BYTE_ORDER_MARK = "\ufeff"


class ScenarioError(ValueError):
    """A user's scenario file or settings are wrong; the message is one line."""


def condition(default: float, lo: float, hi: float, unit: str, doc: str) -> Any:
    """A condition path field: a number held constant, or a table of year = number."""
    return Field(
        default=default,
        description=doc,
        json_schema_extra={"unit": unit, "lo": lo, "hi": hi},
    )


class Conditions(Strict):
    """Exogenous paths the city does not control. Defaults are 2010 values carried forward.

    A table gives values for some years: years between two given ones are interpolated
    linearly, years before the first take the first value, years after the last keep it.
    """

    national_real_growth_pct: float | dict[int, float] = condition(
        10.6,
        -10,
        20,
        "percent per year",
        "China's real GDP growth: moves outside demand for traded goods and productivity.",
    )
    gdp_deflator_pct: float | dict[int, float] = condition(
        6.9,
        -10,
        20,
        "percent per year",
        "Producer price inflation (GDP deflator); 2010: nominal 18.2% over real 10.6%.",
    )
    cpi_inflation_pct: float | dict[int, float] = condition(
        3.3, -5, 20, "percent per year", "Consumer price inflation: indexes wages and transfers."
    )
    lending_rate_pct: float | dict[int, float] = condition(
        5.81, 0.5, 15, "percent per year", "Benchmark one-year lending rate (year end)."
    )
    wuhan_demand_growth_pct: float | dict[int, float] = condition(
        14.0,
        -15,
        25,
        "percent per year",
        "Real growth of Wuhan's demand for Ezhou's services, logistics and tourism "
        "(Hubei's growth by default).",
    )
    wuhan_wage_growth_pct: float | dict[int, float] = condition(
        12.0, -10, 30, "percent per year", "Nominal wage growth in Wuhan: the commuting option."
    )
    steel_demand_growth_pct: float | dict[int, float] = condition(
        9.0,
        -30,
        30,
        "percent per year",
        "Growth of national steel demand (crude steel output 2010 to 2011: 9.0%).",
    )
    steel_price_index: float | dict[int, float] = condition(
        100.0, 30, 250, "index, 2010 = 100", "Steel price relative to the general price level."
    )
    steel_capacity_cut_share: float | dict[int, float] = condition(
        0.0,
        0,
        0.5,
        "share of capacity per year",
        "Steel and cement capacity ordered closed in the year (national de-capacity).",
    )
    relocating_firms_per_year: float | dict[int, float] = condition(
        20.0, 0, 500, "firms per year", "Firms relocating from the coast that consider Ezhou."
    )

    @field_validator("*", mode="before")
    @classmethod
    def _path(cls, value: Any, info: Any) -> Any:
        field = cls.model_fields[info.field_name]
        extra = field.json_schema_extra or {}
        lo, hi, unit = extra["lo"], extra["hi"], extra["unit"]
        allowed = (
            f"allowed: a number from {lo:g} to {hi:g} ({unit}), "
            f"or a table of year = number with years {FIRST_PATH_YEAR}-{MAX_END_YEAR}"
        )

        def check(v: Any, where: str) -> float:
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise ValueError(f"{where}{short_repr(v)} is not a number; {allowed}")
            if not lo <= v <= hi or v != v:
                raise ValueError(f"{where}{v!r} is out of range; {allowed}")
            return float(v)

        if isinstance(value, dict):
            if not value:
                raise ValueError(f"empty table; {allowed}")
            out = {}
            for k, v in value.items():
                try:
                    year = int(k)
                except (TypeError, ValueError):
                    raise ValueError(f"key {short_repr(k)} is not a year; {allowed}") from None
                if not FIRST_PATH_YEAR <= year <= MAX_END_YEAR:
                    raise ValueError(f"year {year} is outside {FIRST_PATH_YEAR}-{MAX_END_YEAR}")
                if year in out:
                    # "2011" and "02011" are different TOML keys but the same year
                    raise ValueError(f"year {year} is given twice; allowed: each year once")
                out[year] = check(v, f"year {year}: ")
            return dict(sorted(out.items()))
        return check(value, "")

    def path(self, name: str, years: np.ndarray) -> np.ndarray:
        """The condition's value in each of ``years`` (interpolated, held at the ends)."""
        value = getattr(self, name)
        if isinstance(value, dict):
            xs = np.array(list(value), dtype=float)
            ys = np.array(list(value.values()), dtype=float)
            return np.interp(years, xs, ys)
        return np.full(len(years), float(value))


def _levers_model() -> type[BaseModel]:
    """The [levers] schema: one group per reform, each off unless ``enabled = true``."""
    from pydantic import create_model

    from model.reforms import REFORMS

    fields = {
        cls.key: (cls.Levers, Field(default_factory=cls.Levers, description=cls.title_en))
        for cls in REFORMS
    }
    return create_model(
        "Levers",
        __base__=Strict,
        __doc__="Reform levers: one group per reform (see docs/reforms.md).",
        **fields,
    )


Levers = _levers_model()


class RunSettings(Strict):
    seed: int = lever(1, 0, 2**63 - 1, "integer", "Seed of the model's random generator.")
    start_year: int = lever(
        START_YEAR,
        START_YEAR,
        START_YEAR,
        "year",
        "First simulated year: the calibrated state is Ezhou at the start of 2010.",
    )
    end_year: int = lever(
        2020, START_YEAR, MAX_END_YEAR, "year", "Last simulated year (inclusive)."
    )
    scale: int = lever(
        100,
        1,
        1000,
        "households per agent",
        "Real households per household agent (1 = every one).",
    )


class Scenario(Strict):
    name: str = Field("unnamed", max_length=200)
    description: str = Field("", max_length=5000)
    levers: Levers = Field(default_factory=Levers)
    conditions: Conditions = Field(default_factory=Conditions)
    run: RunSettings = Field(default_factory=RunSettings)

    def with_run(self, **changes: Any) -> Scenario:
        """A copy with run settings changed (validated like a file)."""
        data = self.model_dump()
        data["run"].update({k: v for k, v in changes.items() if v is not None})
        return validate_scenario(data, source="settings")

    def to_toml(self) -> str:
        """The whole scenario as TOML, every key with its meaning, unit and range."""
        return dumps_toml(self.model_dump(mode="python"), Scenario)


def _walk(schema: Any, loc: tuple) -> tuple[Any, Any]:
    """Follow an error's location down a schema: (the part reached, the last field's info).

    Steps through models by field name, and through ``dict[str, X]`` / ``list[X]`` by key or
    index; the part is None where the location leaves the schema."""
    info = None
    for part in loc:
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            info = schema.model_fields.get(str(part))
            if info is None:
                return None, None
            schema = info.annotation
        elif get_origin(schema) in (dict, list):
            schema = get_args(schema)[-1]
        else:
            return None, info
    return schema, info


def _allowed(loc: tuple, fallback: str, schema: Any = None) -> str:
    """'from lo to hi (unit)' for a field with a documented range, else pydantic's words."""
    _, info = _walk(schema or Scenario, loc)
    extra = info.json_schema_extra if info is not None else None
    if isinstance(extra, dict) and "lo" in extra:
        return f"from {extra['lo']:g} to {extra['hi']:g} ({extra['unit']})"
    return fallback.lower()


def one_line_error(exc: ValidationError, source: str, schema: type[BaseModel] | None = None) -> str:
    """A pydantic error as one line: ``source: key.path: what is wrong; what is allowed``.

    ``schema`` is the model that was validated (a scenario unless given): it supplies the
    keys allowed beside an unknown one and the documented range of a number."""
    schema = schema or Scenario
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    kind = err["type"]
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        model, _ = _walk(schema, err["loc"][:-1])
        fields = getattr(model, "model_fields", {})
        msg = f"unknown key; allowed here: {', '.join(fields) or 'none yet'}"
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        allowed = _allowed(err["loc"], err["msg"], schema)
        msg = f"{short_repr(err.get('input'))} is out of range; allowed: {allowed}"
    elif kind == "literal_error":
        msg = f"{short_repr(err.get('input'))} is not allowed; {err['msg'].lower()}"
    elif "type" in kind or kind.endswith("_parsing"):
        msg = f"{short_repr(err.get('input'))} has the wrong type; allowed: {err['msg'].lower()}"
    extra = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{source}: {loc or '(top level)'}: {msg}{extra}"


_SHORT_REPR = reprlib.Repr(maxlevel=3, maxlist=6, maxdict=6, maxstring=60, maxother=60)


def short_repr(value: Any) -> str:
    """A value as a message shows it: a long list or a deep table cut short, so that the
    message stays one readable line."""
    return _SHORT_REPR.repr(value)


def validate_scenario(data: dict[str, Any], source: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(one_line_error(exc, source)) from None


def nesting_depth(data: Any) -> int:
    """How deeply tables and arrays are nested in ``data`` (a value alone is 0), counted
    without recursion so that any depth can be measured."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def read_toml(text: str, source: str) -> dict[str, Any]:
    """A user's TOML text as data, or ScenarioError in one line: broken TOML, nesting past
    :data:`MAX_NESTING`, or a file that sets nothing."""
    too_deep = (
        f"{source}: tables or arrays nested too deeply; allowed: at most {MAX_NESTING} levels"
    )
    # Windows editors may start a UTF-8 file with a byte-order mark, which TOML does not allow
    text = text.removeprefix(BYTE_ORDER_MARK)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:  # the reader recurses once per level of nesting
        raise ScenarioError(too_deep) from None
    if nesting_depth(data) > MAX_NESTING:
        raise ScenarioError(too_deep)
    if not data:
        # an empty file would quietly run every default: most likely the wrong file
        raise ScenarioError(
            f"{source}: the file sets nothing (empty or only comments); allowed: at least "
            'one key, e.g. name = "defaults" (every other setting then takes its default)'
        )
    return data


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    return validate_scenario(read_toml(text, source), source)


def read_user_file(path: str | Path, what: str = "a scenario file") -> str:
    """A user's text file, or ScenarioError in one line saying why it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder, not {what}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:  # no permission, a device, a broken link...
        raise ScenarioError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def load_scenario(path: str | Path) -> Scenario:
    return parse_scenario(read_user_file(path), str(path))


def dumps_toml(data: dict[str, Any], schema: type[BaseModel] | None = None) -> str:
    """TOML for a scenario-shaped dict; with a schema, each key gets its meaning and unit."""
    lines: list[str] = []
    for k, v in data.items():
        if not isinstance(v, dict):
            lines.append(f"{k} = {_toml_value(v)}")
    for k, v in data.items():
        if isinstance(v, dict):
            _toml_table(lines, k, v, _sub_schema(schema, k))
    return "\n".join(lines) + "\n"


def _sub_schema(schema: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    if schema is None or key not in schema.model_fields:
        return None
    sub = schema.model_fields[key].annotation
    return sub if isinstance(sub, type) and issubclass(sub, BaseModel) else None


def _comment(schema: type[BaseModel] | None, key: str) -> str | None:
    if schema is None or key not in schema.model_fields:
        return None
    info = schema.model_fields[key]
    extra = info.json_schema_extra or {}
    text = info.description or ""
    if isinstance(extra, dict) and "unit" in extra:
        text += f" [{extra['unit']}; {extra['lo']:g} to {extra['hi']:g}]"
    return f"# {text}" if text else None


def _toml_table(
    lines: list[str], prefix: str, table: dict[str, Any], schema: type[BaseModel] | None = None
) -> None:
    lines.append("")
    lines.append(f"[{prefix}]")
    nested = {}
    for k, v in table.items():
        if isinstance(v, dict) and not (v and all(isinstance(x, int) for x in v)):
            nested[k] = v
            continue
        note = _comment(schema, k)
        if note:
            lines.append(note)
        if isinstance(v, dict):
            items = ", ".join(f'"{y}" = {_toml_value(x)}' for y, x in v.items())
            lines.append(f"{k} = {{ {items} }}")
        else:
            lines.append(f"{k} = {_toml_value(v)}")
    for k, v in nested.items():
        _toml_table(lines, f"{prefix}.{k}", v, _sub_schema(schema, k))


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")
