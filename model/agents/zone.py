"""Government zones: the five functional zones, each a government agent.

A zone approves investment projects (taking ``approval_days``, which the administrative
reform shortens) and holds the zone's land by use, including state construction land ready
to supply to firms. Budget decisions are the city's (``model/agents/city.py``); the zone
table reports value added, incomes and public services per zone, the latter shared out by
population.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from model.model import ReformModel


class GovernmentZone(mesa.Agent):
    def __init__(
        self,
        model: ReformModel,
        index: int,
        name: str,
        approval_days: float,
        land_mu: dict[str, float],
    ):
        super().__init__(model)
        self.index = index
        self.name = name
        self.approval_days_2010 = float(approval_days)
        self.approval_days = float(approval_days)
        self.land_mu = dict(land_mu)  # by use; sums to the zone's area
        self.land_available_mu = 0.0  # state construction land ready to supply, within urban

    def approval_factor(self) -> float:
        """How approval time scales firm entry here, relative to 2010."""
        p = self.model.params
        base = float(p.zones.approval_days_2010[self.index])
        return (self.approval_days / base) ** (-p.firms.approval_days_elasticity)

    def __repr__(self) -> str:
        return f"GovernmentZone({self.name}, approval_days={self.approval_days:.0f})"
