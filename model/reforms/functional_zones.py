"""Reform 1 — functional-zone administration (功能区管理体制改革).

The programme: one government with three levels of management, a big-department system and
approval reform. In the model (``model/approvals.py``): a zone's offices serve the
applications firms file (new firms, expansion projects, land requests), each signed off by
every department at every layer. Merging a layer and merging departments leave fewer
sign-offs per file, so the offices serve more files and each is processed sooner; one-window
(concurrent) approval has departments sign off at the same time instead of one after
another; cutting administrative posts saves their cost but leaves fewer staff to serve the
queue. Approval time is what the queue makes it: it falls if the merging outweighs the staff
cut, and rises again when applications surge. One government for the zones also moves its
administrative staff to the offices where files wait, instead of each zone keeping its own.
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    layers_merged: float = lever(
        1.0,
        0.0,
        2.0,
        "layers",
        "Administrative layers merged away ('one government, three levels' merges one).",
    )
    departments_merged: float = lever(
        0.3,
        0.0,
        0.6,
        "share of signing departments",
        "Departments that sign off projects merged into others (big-department system).",
    )
    one_window: float = lever(
        0.8,
        0.0,
        1.0,
        "share of applications",
        "Applications signed off by all departments at once through one window.",
    )
    admin_staff_cut: float = lever(
        0.25,
        0.0,
        0.6,
        "share of administrative posts",
        "Administrative posts cut after departments merge (fewer staff to serve approvals).",
    )


class FunctionalZones(Reform):
    key = "functional_zones"
    title_en = "Functional-zone administration"
    title_zh = "功能区管理体制改革"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        rules.layers_merged += levers.layers_merged * strength
        rules.departments_merged = 1 - (1 - rules.departments_merged) * (
            1 - levers.departments_merged * strength
        )
        rules.one_window_share = max(rules.one_window_share, levers.one_window * strength)
        rules.admin_staff_factor *= 1 - levers.admin_staff_cut * strength
        # one government for the zones can move its staff to where the files wait
        rules.staff_by_workload = max(rules.staff_by_workload, strength)
