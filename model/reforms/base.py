"""What every reform shares: its lever group's common keys and its timing.

A reform is switched on with ``enabled = true``; it starts at the beginning of
``start_year`` and reaches full strength after ``phase_in_years`` (linearly; 0 = at once).
Each quarter the model starts from the pre-reform rules and asks every reform in force to
adjust them (:meth:`Reform.apply_rules`); a reform that acts on agents directly (audits,
closures, investments, recruitment) does so in :meth:`Reform.act`, through the actions of
``model/reforms/actions.py``, and returns what it did as counts. A reform never sets an
indicator and never sees the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import Field

from model.schema import Strict, lever

if TYPE_CHECKING:
    from model.calibration import Params
    from model.economy import Sectors
    from model.reforms.actions import Actions
    from model.rules import Rules


def per_quarter(share_per_year: float | np.ndarray) -> float | np.ndarray:
    """The quarterly chance that makes ``share_per_year`` of a group act within a year."""
    if isinstance(share_per_year, float | int):
        # (what ``np.clip`` gives, without its cost on one number: the same double powers)
        return 1 - (1 - min(max(share_per_year, 0.0), 1.0)) ** 0.25
    return 1 - (1 - np.clip(share_per_year, 0.0, 1.0)) ** 0.25


class ReformLevers(Strict):
    enabled: bool = Field(False, description="Switch the reform on.")
    start_year: int = lever(2011, 2010, 2035, "year", "Year the reform starts.")
    phase_in_years: float = lever(
        0.0, 0.0, 10.0, "years", "Years to reach full strength (0 = at once)."
    )


def strength_at(levers: ReformLevers, first_year: int, t: int) -> float:
    """A reform's strength in quarter ``t`` of a run that starts in ``first_year``: 0 before
    its start, rising to 1 over the phase-in."""
    year = first_year + t / 4
    elapsed = year - levers.start_year
    if elapsed < 0:
        return 0.0
    if levers.phase_in_years <= 0:
        return 1.0
    return min(1.0, (elapsed + 0.25) / levers.phase_in_years)


@dataclass(frozen=True)
class ReformSetting:
    """What a reform knows of the city when it is set up."""

    seed: int  # the run's seed (each reform draws from a stream of its own)
    start_year: int  # the run's first year
    params: Params
    sectors: Sectors
    zone_names: list[str]
    village_count: int


class Reform:
    """Base class: subclasses set ``key``, ``Levers``, titles, and override the hooks."""

    key: ClassVar[str]
    title_en: ClassVar[str]
    title_zh: ClassVar[str]
    Levers: ClassVar[type[ReformLevers]]

    def __init__(self, setting: ReformSetting, levers: ReformLevers, index: int = 0):
        self.setting = setting
        self.levers = levers
        # a stream of its own for the reform's own draws, so that they do not shift the
        # model's: a run with the reform and one without stay paired as long as agents act
        # alike (agents the reform creates, such as recruits, still draw from the model's)
        self.rng = np.random.default_rng([setting.seed, 7919, index])

    def strength(self, t: int) -> float:
        """0 before the start, rising to 1 over the phase-in, for quarter ``t``."""
        return strength_at(self.levers, self.setting.start_year, t)

    def apply_rules(self, rules: Rules, strength: float) -> None:
        """Adjust this quarter's rules at ``strength`` (0 < strength <= 1)."""

    def act(self, actions: Actions, strength: float) -> dict[str, float]:
        """Act on agents this quarter at ``strength`` (0 < strength <= 1); returns what the
        reform did, as the counts named in ``model.records.REFORM_COUNTS``."""
        return {}
