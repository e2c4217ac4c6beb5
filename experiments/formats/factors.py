"""Factor names: dotted paths into the scenario schema (``levers.<reform>.<key>`` or
``conditions.<key>``), what each may take, and its values checked by the schema itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from experiments.errors import SpecError
from model.scenario import Scenario, one_line_error


@dataclass(frozen=True)
class FactorField:
    """What a factor path may take, read from the scenario schema."""

    path: str
    kind: Literal["bool", "int", "float", "choice", "text"]
    choices: tuple = ()


def factor_field(path: str, where: str) -> FactorField:
    """The scenario field a factor name points at; SpecError (text after ``where``) if none."""
    parts = path.split(".")
    if parts[0] not in ("levers", "conditions") or len(parts) < 2:
        raise SpecError(
            f"{where}: not a factor; allowed: levers.<reform>.<key> or conditions.<key>"
        )
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
    """The value as the scenario stores it, or SpecError saying what the key allows."""
    if field.kind == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        scenario = Scenario.model_validate(_nested(field.path, value))
    except ValidationError as exc:
        detail = one_line_error(exc, "-").split(": ", 2)[-1]
        raise SpecError(f"{where}: {detail}") from None
    return get_path(scenario, field.path)
