"""Reform 1 — functional-zone administration (功能区管理体制改革).

The programme: one government with three levels of management, a big-department system and
approval reform. In the model: zone governments approve investment projects faster (entry of
firms responds to approval days, `firms.approval_days_elasticity`), and merged departments
need fewer administrative staff. The model does not move individual workers: a smaller
share of public staff and purchases counts as administration and more as service.
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    approval_days_cut: float = lever(
        0.5,
        0.0,
        0.9,
        "share of 2010 approval days",
        "How much shorter project approval becomes at full strength.",
    )
    admin_staff_cut: float = lever(
        0.25,
        0.0,
        0.6,
        "share of administrative posts",
        "Share of administrative posts counted as service posts after merging departments.",
    )


class FunctionalZones(Reform):
    key = "functional_zones"
    title_en = "Functional-zone administration"
    title_zh = "功能区管理体制改革"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        rules.approval_days_factor *= 1 - self.levers.approval_days_cut * strength
        rules.admin_share *= 1 - self.levers.admin_staff_cut * strength
