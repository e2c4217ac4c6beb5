"""Reform 4 — social management and land requisition (征转分离).

The programme: separate requisition from conversion so that farmers keep a larger share of
the value when land changes use. In the model: compensation per mu requisitioned rises and
more of it goes to the household that held the land rather than to the village.
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    compensation_multiplier: float = lever(
        2.0,
        1.0,
        5.0,
        "multiple of 2010 compensation per mu",
        "Compensation paid per mu requisitioned, relative to the 2010 standard.",
    )
    household_share: float = lever(
        0.8,
        0.3,
        0.95,
        "share of compensation",
        "Share of the compensation paid to the household rather than the village.",
    )


class SocialRequisition(Reform):
    key = "social_requisition"
    title_en = "Social management and requisition"
    title_zh = "社会管理创新与征地制度改革"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        rules.compensation_yuan_per_mu *= 1 + (levers.compensation_multiplier - 1) * strength
        rules.compensation_household_share += (
            levers.household_share - rules.compensation_household_share
        ) * strength
