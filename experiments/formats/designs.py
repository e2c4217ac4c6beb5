"""The designs of an experiment file: how factor values combine into design points.

- ``grid``: every combination of each factor's values (a list, or a range in levels or steps);
- ``lhs``: a Latin hypercube over the factors' ranges (or lists), from the design's own stream;
- ``points``: explicit design points, each a table of factor values with an optional name.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import Field

from experiments.engine.model_task import LABEL
from experiments.errors import SpecError
from experiments.formats.factors import FactorField, check_value, default_value, factor_field
from model.scenario import Scenario
from model.schema import Strict, lever

MAX_RUNS = 10_000_000

Value = bool | int | float | str


class FactorSpec(Strict):
    """One factor: a list of values, or a range (grid: with levels or step; lhs: sampled)."""

    values: list[Value] | None = Field(None, min_length=1, max_length=100_000)
    range: list[float] | None = Field(None, min_length=2, max_length=2)
    levels: int | None = lever(None, 2, 100_000, "levels", "Evenly spaced values in a range.")
    step: float | None = Field(None, gt=0, description="Spacing of values in a range.")


class DesignSpec(Strict):
    kind: Literal["grid", "lhs", "points"] = "grid"
    samples: int | None = lever(
        None, 1, MAX_RUNS, "design points", "Points a Latin hypercube samples."
    )


def check_factor(field: FactorField, spec: FactorSpec, kind: str, where: str) -> None:
    """A factor gives what its design reads: values or a range, levels or a step for a grid."""
    if (spec.values is None) == (spec.range is None):
        raise SpecError(f"{where}: give values = [...] or range = [low, high] (one of them)")
    if spec.range is not None:
        if field.kind not in ("int", "float"):
            raise SpecError(
                f"{where}.range: {field.path} is not a number; give values = [...] instead"
            )
        lo, hi = spec.range
        if not lo < hi:
            raise SpecError(f"{where}.range: [{lo:g}, {hi:g}]: the low end must be below the high")
        for end in (lo, hi):
            check_value(field, end, f"{where}.range")
    if kind == "grid":
        if spec.range is not None and (spec.levels is None) == (spec.step is None):
            raise SpecError(f"{where}: a range in a grid needs levels = n or step = s (one)")
        if spec.values is not None and (spec.levels or spec.step):
            raise SpecError(f"{where}: levels and step go with a range, not with values")
    elif spec.levels is not None or spec.step is not None:
        raise SpecError(f"{where}: levels and step apply to grid designs; a {kind} samples ranges")


def grid_values(field: FactorField, spec: FactorSpec, where: str) -> list:
    """A factor's values on a grid axis: its list, or its range in levels or steps."""
    if spec.values is not None:
        return [check_value(field, value, f"{where}.values") for value in spec.values]
    lo, hi = spec.range  # type: ignore[misc]
    if spec.levels is not None:
        raw = np.linspace(lo, hi, spec.levels)
    else:
        count = math.floor((hi - lo) / spec.step + 1e-9) + 1  # type: ignore[operator]
        if count > 100_000:
            raise SpecError(
                f"{where}.step: {spec.step:g} gives {count} values; allowed at most 100000"
            )
        raw = lo + spec.step * np.arange(count)
    values = [round(float(value), 12) for value in raw]
    if field.kind == "int" and any(not value.is_integer() for value in values):
        raise SpecError(
            f"{where}: range {spec.range} in these steps gives values that are not whole "
            "numbers; allowed: whole numbers (choose levels or step to match)"
        )
    return [check_value(field, value, f"{where}.range") for value in values]


def latin_hypercube(n_points: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """``n_points`` points in [0, 1)^dims, each dimension's n_points strata hit exactly once."""
    unit = np.empty((n_points, dims))
    for j in range(dims):
        unit[:, j] = (rng.permutation(n_points) + rng.random(n_points)) / n_points
    return unit


def lhs_points(
    fields: list[FactorField], specs: list[FactorSpec], n_points: int, seed: int, src: str
) -> list[dict[str, Any]]:
    """``n_points`` design points of a Latin hypercube over the factors' ranges or lists."""
    # the design's own stream, apart from the runs' seeds
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31,)))
    unit = latin_hypercube(n_points, len(fields), rng)
    columns = []
    for j, (field, spec) in enumerate(zip(fields, specs, strict=True)):
        if spec.values is not None:
            where = f"{src}: factors.{field.path}.values"
            values = [check_value(field, value, where) for value in spec.values]
            idx = np.minimum((unit[:, j] * len(values)).astype(int), len(values) - 1)
            columns.append([values[i] for i in idx])
        elif field.kind == "int":
            lo, hi = (int(math.ceil(spec.range[0])), int(math.floor(spec.range[1])))
            columns.append(
                [int(min(hi, lo + math.floor(share * (hi - lo + 1)))) for share in unit[:, j]]
            )
        else:
            lo, hi = spec.range
            columns.append([float(lo + share * (hi - lo)) for share in unit[:, j]])
    return [
        {field.path: column[i] for field, column in zip(fields, columns, strict=True)}
        for i in range(n_points)
    ]


def _flatten(point: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in point.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def table_points(
    raw_points: list[dict[str, Any]], base: Scenario, src: str
) -> list[dict[str, Any]]:
    """The explicit design points (``[[points]]``), each checked and completed with the base
    scenario's values of the factors it does not give."""
    if not raw_points:
        raise SpecError(f"{src}: points: the design has no points; add [[points]] tables")
    points, names = [], {}
    for i, raw in enumerate(raw_points):
        flat = _flatten(raw)
        point: dict[str, Any] = {}
        if "name" in flat:
            name = flat.pop("name")
            if not isinstance(name, str) or not name.strip():
                raise SpecError(f"{src}: points[{i}].name: {name!r}; allowed: a non-empty text")
            if name in names:
                raise SpecError(f"{src}: points[{i}].name: {name!r} repeats points[{names[name]}]")
            names[name] = i
            point[LABEL] = name
        for path, value in flat.items():
            where = f"{src}: points[{i}].{path}"
            point[path] = check_value(factor_field(path, where), value, where)
        points.append(point)
    if names and len(names) < len(points):
        missing = next(i for i, point in enumerate(points) if LABEL not in point)
        raise SpecError(f"{src}: points[{missing}]: no name; name every point or none")
    paths = list(dict.fromkeys(key for point in points for key in point if key != LABEL))
    for path in paths:  # a point that does not give a factor keeps the base's value
        default = default_value(base, path)
        if isinstance(default, dict):
            raise SpecError(
                f"{src}: points: {path} is a table of years in the base scenario; "
                "give it in every point"
            )
        for point in points:
            point.setdefault(path, default)
    order = ([LABEL] if names else []) + paths
    return [{key: point[key] for key in order} for point in points]
