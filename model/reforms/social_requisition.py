"""Reform 4 — social management and land requisition (社会管理创新, 征转分离).

The programme: separate requisition from conversion so that farmers keep a larger share of
the value when land changes use, and build grid-based community management that settles
conflicts before they grow. In the model:
- compensation per mu requisitioned rises, and more of it goes to the household that held
  the land rather than to the village; households paid more contest less of it
  (``model/social.py``), and the city requisitions less where its margin on a mu narrows
  (``markets/land.py``);
- the city staffs more social-management posts (grid and community workers), paid from the
  budget like other public staff; they settle requisition disputes faster, so contested land
  waits less before firms can have it.
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
    social_staff_factor: float = lever(
        2.0,
        1.0,
        4.0,
        "multiple of the 2010 posts",
        "Grid and community workers who settle disputes, relative to the 2010 posts.",
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
        rules.social_staff_factor *= 1 + (levers.social_staff_factor - 1) * strength
