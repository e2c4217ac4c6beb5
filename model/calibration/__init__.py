"""Ezhou data and the model's assumptions, read from files in this folder.

`parameters.toml` holds every number the model starts from or behaves by, each with its
unit and source; `fitted.toml` (if present) overrides the few entries the calibration fit
produces; `data/` holds the Ezhou figures with their sources.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
DATA = HERE / "data"
PARAMETERS_FILE = HERE / "parameters.toml"
FITTED_FILE = HERE / "fitted.toml"


@dataclass(frozen=True)
class Entry:
    """One documented number: its value, unit and source."""

    value: Any
    unit: str
    source: str


class Params:
    """Read-only access to parameters: ``p.firms.depreciation`` gives the value.

    ``p.entry("firms.depreciation")`` gives the whole documented entry.
    """

    def __init__(self, entries: dict[str, Entry]):
        self._entries = MappingProxyType(dict(entries))
        groups: dict[str, dict[str, Any]] = {}
        for key, entry in entries.items():
            group, name = key.split(".", 1)
            value = entry.value
            if isinstance(value, list) and value and not isinstance(value[0], str):
                value = np.asarray(value, dtype=float)
                value.setflags(write=False)
            groups.setdefault(group, {})[name] = value
        self._groups = {g: _Group(g, v) for g, v in groups.items()}
        _as_attributes(self, self._groups)

    def __getattr__(self, group: str) -> _Group:
        try:
            return self._groups[group]
        except KeyError:
            raise AttributeError(f"no parameter group {group!r}") from None

    def entry(self, key: str) -> Entry:
        return self._entries[key]

    def keys(self) -> list[str]:
        return list(self._entries)

    def fingerprint(self) -> str:
        """A digest of every value, which two parameter sets share only if every value is
        the same, of the same type (``1`` and ``1.0`` differ; so do a list and an array)."""
        digest = self.__dict__.get("_fingerprint")
        if digest is None:
            hasher = hashlib.sha256()
            for key in sorted(self._entries):
                hasher.update(f"{key}={_exact_repr(self._entries[key].value)};".encode())
            digest = self.__dict__["_fingerprint"] = hasher.hexdigest()
        return digest

    def replace(self, overrides: dict[str, Any]) -> Params:
        """A copy with some values replaced (keys as ``group.name``)."""
        entries = dict(self._entries)
        for key, value in overrides.items():
            if key not in entries:
                raise KeyError(f"unknown parameter {key!r}")
            old = entries[key]
            entries[key] = Entry(value, old.unit, old.source)
        return Params(entries)


class _Group:
    def __init__(self, name: str, values: dict[str, Any]):
        self._name = name
        self._values = values
        _as_attributes(self, values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no parameter {self._name}.{name}") from None


def _exact_repr(value: Any) -> str:
    """``value`` written out in full with its type: a float as its shortest exact form, an
    array by its type, shape and bytes (numpy's own repr elides long arrays)."""
    if isinstance(value, np.ndarray):
        return f"ndarray({value.dtype.str},{value.shape},{value.tobytes().hex()})"
    if isinstance(value, list | tuple):
        inner = ",".join(_exact_repr(item) for item in value)
        return f"{type(value).__name__}[{inner}]"
    if isinstance(value, dict):
        inner = ",".join(f"{_exact_repr(k)}:{_exact_repr(v)}" for k, v in value.items())
        return f"dict{{{inner}}}"
    return f"{type(value).__name__}:{value!r}"


def _as_attributes(holder: Any, values: dict[str, Any]) -> None:
    """Set ``values`` as plain attributes, so that reading one (thousands of times a run)
    does not go through ``__getattr__``; a name the class itself defines is left to it."""
    for name, value in values.items():
        if not hasattr(type(holder), name):
            setattr(holder, name, value)


def _read_entries(path: Path) -> dict[str, Entry]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    entries = {}
    for group, items in raw.items():
        for name, item in items.items():
            entries[f"{group}.{name}"] = Entry(item["value"], item["unit"], item["source"])
    return entries


@lru_cache(maxsize=1)
def load_parameters() -> Params:
    """The assumptions, with the fitted values (if any) laid over them."""
    entries = _read_entries(PARAMETERS_FILE)
    if FITTED_FILE.exists():
        for key, entry in _read_entries(FITTED_FILE).items():
            if key not in entries:
                raise KeyError(f"{FITTED_FILE.name}: {key} is not a parameter")
            entries[key] = entry
    return Params(entries)


@lru_cache(maxsize=1)
def calibration_targets() -> pd.DataFrame:
    """Ezhou's figures up to 2012 with their sources (data/ezhou_calibration.csv)."""
    return pd.read_csv(DATA / "ezhou_calibration.csv")


def target(indicator: str, year: int) -> float:
    df = calibration_targets()
    row = df[(df.indicator == indicator) & (df.year == year)]
    if len(row) != 1:
        raise KeyError(f"no calibration figure for {indicator} in {year}")
    return float(row.value.iloc[0])


@lru_cache(maxsize=1)
def macro_conditions() -> pd.DataFrame:
    """National and provincial series 2010-2020 with sources."""
    return pd.read_csv(DATA / "macro_conditions_2010_2020.csv")
