"""Building blocks of the scenario schema shared by scenario.py and the reform modules."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """A schema part that rejects unknown keys and validates assignments."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True)


def lever(default: float, lo: float, hi: float, unit: str, doc: str) -> Any:
    """A lever field: a number within [lo, hi] in the given unit."""
    return Field(
        default=default,
        ge=lo,
        le=hi,
        description=doc,
        json_schema_extra={"unit": unit, "lo": lo, "hi": hi},
    )
