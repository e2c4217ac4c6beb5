"""Reform 6 — inland opening (内陆开放).

The programme: Sanjiang port as the window, bonded logistics, Wuhan-Ezhou integration in
transport, markets and planning, and industry relocating from the coast. In the model: the
port wins outside market share for logistics; integration cuts the cost of commuting to
Wuhan, widens access to its jobs and wins Ezhou's services a larger share of Wuhan's demand;
relocating firms that consider Ezhou settle more often.
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    port_growth: float = lever(
        0.05, 0.0, 0.2, "per year", "Extra growth of outside demand for the port's logistics."
    )
    wuhan_integration: float = lever(
        0.5, 0.0, 1.0, "0 = none, 1 = one city", "Same-city transport and markets with Wuhan."
    )
    relocation_attraction: float = lever(
        2.0,
        1.0,
        5.0,
        "multiple of the 2010 settling rate",
        "How much more often relocating firms settle in Ezhou.",
    )


class InlandOpening(Reform):
    key = "inland_opening"
    title_en = "Inland opening"
    title_zh = "内陆开放"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        names = self.setting.sectors.names
        rules.extra_market_gain[names.index("logistics")] += levers.port_growth * strength
        for sector in ("services", "tourism"):
            rules.extra_market_gain[names.index(sector)] += (
                0.02 * levers.wuhan_integration * strength
            )
        rules.commute_cost_share *= 1 - 0.5 * levers.wuhan_integration * strength
        rules.wuhan_job_multiplier *= 1 + levers.wuhan_integration * strength
        rules.relocating_success *= 1 + (levers.relocation_attraction - 1) * strength
