"""The discovery file of ``ezhou discover``: the condition on the outcomes to explain and how
PRIM looks for its box. ``--where`` alone needs no file; a file keeps a discovery to rerun::

    where = "goal2_per_capita_score@2020 < 60"   # the cases of interest (see
                                                 # experiments/formats/outcome_expression.py)
    min_coverage = 0.5    # keep the densest box covering at least this share of the cases
                          # (default: the box balancing coverage and density best)
    peel_alpha = 0.05     # share of the runs peeled away at each step
    paste_alpha = 0.05    # share added back at each pasting step
    mass_min = 0.05       # the smallest box, as a share of the runs
    inputs = ["conditions.national_real_growth_pct"]   # default: all that vary

Every mistake is one line naming the file, the key and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from experiments.errors import SpecError, UserError
from experiments.formats.outcome_expression import Expression, parse_expression
from experiments.formats.reading import read_spec_text, validate_spec
from model.schema import Strict


@dataclass
class Settings:
    """How PRIM looks for the box (the defaults are EMA Workbench's)."""

    min_coverage: float | None = None  # None: the box balancing coverage and density
    peel_alpha: float = 0.05
    paste_alpha: float = 0.05
    mass_min: float = 0.05
    inputs: list[str] | None = None  # None: every lever and condition that varies


class DiscoverySpec(Strict):
    where: str = Field(min_length=1, max_length=2000)
    description: str = Field("", max_length=5000)
    min_coverage: float | None = Field(None, gt=0, le=1, description="Cases the box covers.")
    peel_alpha: float = Field(0.05, ge=0.01, le=0.5, description="Share peeled at each step.")
    paste_alpha: float = Field(0.05, ge=0.01, le=0.5, description="Share pasted at each step.")
    mass_min: float = Field(0.05, ge=0, lt=1, description="Smallest box, share of the runs.")
    inputs: list[str] | None = Field(None, min_length=1, max_length=1000)


def load_discovery(path: str | Path) -> tuple[Expression, Settings]:
    """A discovery file's condition and PRIM settings; one-line errors."""
    path = Path(path)
    spec = validate_spec(read_spec_text(path, "a discovery file"), path, DiscoverySpec)
    try:
        expression = parse_expression(spec.where, f"{path}: where:")
    except UserError as exc:
        raise SpecError(str(exc)) from None
    settings = Settings(
        min_coverage=spec.min_coverage,
        peel_alpha=spec.peel_alpha,
        paste_alpha=spec.paste_alpha,
        mass_min=spec.mass_min,
        inputs=spec.inputs,
    )
    return expression, settings
