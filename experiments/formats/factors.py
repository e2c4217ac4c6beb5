"""Factor names: dotted paths into the scenario schema (``levers.<reform>.<key>`` or
``conditions.<key>``) or into the model's behavioural parameters (``parameters.<group>.<name>``,
entries of ``model/calibration/parameters.toml``), what each may take, and its values checked
by the scenario schema or, for parameters, as finite numbers."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from experiments.engine.model_task import PARAMETERS, is_parameter, parameter_key
from experiments.errors import SpecError
from model.calibration import PARAMETERS_FILE, load_parameters
from model.scenario import Scenario, one_line_error

FACTOR_KINDS = (
    "levers.<reform>.<key>, conditions.<key> or parameters.<group>.<name> "
    "(a number in model/calibration/parameters.toml)"
)


@dataclass(frozen=True)
class FactorField:
    """What a factor path may take, read from the scenario schema or the parameters file."""

    path: str
    kind: Literal["bool", "int", "float", "choice", "text"]
    choices: tuple = ()


def factor_field(path: str, where: str) -> FactorField:
    """The scenario field or parameter a factor name points at; SpecError (text after
    ``where``) if none."""
    parts = path.split(".")
    if parts[0] == PARAMETERS:
        return _parameter_field(path, where)
    if parts[0] not in ("levers", "conditions") or len(parts) < 2:
        raise SpecError(f"{where}: not a factor; allowed: {FACTOR_KINDS}")
    model: Any = Scenario
    for i, part in enumerate(parts):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            head = ".".join(parts[:i])
            raise SpecError(f"{where}: {head} is a single value; nothing below it")
        if part not in model.model_fields:
            head = ".".join(parts[:i]) or "(top level)"
            allowed = ", ".join(model.model_fields)
            raise SpecError(f"{where}: no {part!r} in {head}; allowed here: {allowed}")
        model = model.model_fields[part].annotation
    if isinstance(model, type) and issubclass(model, BaseModel):
        allowed = ", ".join(model.model_fields)
        raise SpecError(f"{where}: {path} is a group; name one of its keys: {allowed}")
    if parts[0] == "conditions":
        return FactorField(path, "float")
    if model is bool:
        return FactorField(path, "bool")
    if model is int:
        return FactorField(path, "int")
    if model is float:
        return FactorField(path, "float")
    if get_origin(model) is Literal:
        return FactorField(path, "choice", get_args(model))
    return FactorField(path, "text")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_parameters() -> list[str]:
    """Every parameter that holds one number, as ``group.name``: what a factor may vary. Read
    from the parameters file as the model reads it, so that new entries count at once."""
    params = load_parameters()
    return [key for key in params.keys() if _is_number(params.entry(key).value)]


def _parameter_field(path: str, where: str) -> FactorField:
    """A parameter factor: an entry of the parameters file that holds one number."""
    params = load_parameters()
    key = path.split(".", 1)[1] if "." in path else ""
    if key.count(".") != 1:
        raise SpecError(
            f"{where}: {path!r} is not a parameter path; allowed: parameters.<group>.<name>, "
            f"such as parameters.labour.wage_adjust"
        )
    if key not in params.keys():
        close = difflib.get_close_matches(key, numeric_parameters(), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(f'parameters.{name}' for name in close)}?)"
        group = key.split(".")[0]
        groups = sorted({name.split(".")[0] for name in numeric_parameters()})
        allowed = (
            f"the numbers of group {group!r}"
            if group in groups
            else f"parameters.<group>.<name> with a group among {', '.join(groups)}"
        )
        raise SpecError(
            f"{where}: no parameter {key!r} in {PARAMETERS_FILE.name}{hint if close else ''}; "
            f"allowed: {allowed}"
        )
    value = params.entry(key).value
    if not _is_number(value):
        what = f"a list of {len(value)} values" if isinstance(value, list) else "not a number"
        raise SpecError(f"{where}: {key} is {what}; allowed: parameters that hold one number")
    return FactorField(path, "int" if isinstance(value, int) else "float")


def default_value(base: Scenario, path: str) -> Any:
    """A factor's value when a design point does not set it: the base scenario's, or the
    parameter's in the parameters file."""
    if is_parameter(path):
        return load_parameters().entry(parameter_key(path)).value
    return get_path(base, path)


def _nested(path: str, value: Any) -> dict:
    data: Any = value
    for part in reversed(path.split(".")):
        data = {part: data}
    return data


def get_path(obj: Any, path: str) -> Any:
    """The value at a dotted path of a scenario, or of its data as from ``model_dump``."""
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


def check_value(field: FactorField, value: Any, where: str) -> Any:
    """The value as the scenario (or the model's parameters) stores it, or SpecError saying
    what the key allows."""
    if field.kind == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if is_parameter(field.path):
        return _check_parameter_value(field, value, where)
    try:
        scenario = Scenario.model_validate(_nested(field.path, value))
    except ValidationError as exc:
        detail = one_line_error(exc, "-").split(": ", 2)[-1]
        raise SpecError(f"{where}: {detail}") from None
    return get_path(scenario, field.path)


def _check_parameter_value(field: FactorField, value: Any, where: str) -> int | float:
    """A parameter's value: a finite number, a whole one where the parameter is whole. The
    parameters file gives no ranges, so the spec's author answers for the domain."""
    entry = load_parameters().entry(parameter_key(field.path))
    now = f"{parameter_key(field.path)} is now {entry.value!r}, {entry.unit}"
    if not _is_number(value) or not math.isfinite(value):
        raise SpecError(f"{where}: {value!r} is not a finite number; allowed: a number; {now}")
    if field.kind == "int":
        if not float(value).is_integer():
            raise SpecError(
                f"{where}: {value!r} is not a whole number; allowed: whole numbers; {now}"
            )
        return int(value)
    return float(value)
