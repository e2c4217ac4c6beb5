"""The ten reforms of Ezhou's comprehensive-reform programme, one module each.

Each module defines a lever group (``Levers``: the keys under ``[levers.<key>]`` in a
scenario file) and a :class:`~model.reforms.base.Reform` that changes agents' rules and
constraints. ``REFORMS`` lists them in the programme's order.
"""

from __future__ import annotations

from typing import Any

from model.reforms import (
    equalisation,
    financing,
    functional_zones,
    heavy_industry,
    inland_opening,
    land_capitalisation,
    public_institutions,
    securities,
    social_requisition,
    talent,
)
from model.reforms.base import Reform, ReformSetting, strength_at

REFORMS: list[type[Reform]] = [
    functional_zones.FunctionalZones,
    public_institutions.PublicInstitutions,
    securities.FiveSecurities,
    social_requisition.SocialRequisition,
    heavy_industry.HeavyIndustry,
    inland_opening.InlandOpening,
    talent.Talent,
    financing.Financing,
    land_capitalisation.LandCapitalisation,
    equalisation.Equalisation,
]


def build_reforms(setting: ReformSetting, levers: Any) -> list[Reform]:
    """The enabled reforms of a scenario (``levers``: its ``Scenario.levers``), ready to act.

    (``model.scenario`` builds its lever schema from ``REFORMS``, so this package does not
    import it back, not even for a type hint.)"""
    out = []
    for index, cls in enumerate(REFORMS):
        group = getattr(levers, cls.key)
        if group.enabled:
            out.append(cls(setting, group, index))
    return out


def none_in_force(levers: Any, first_year: int, quarters: int) -> bool:
    """Whether no reform of a scenario (``levers``: its ``Scenario.levers``) is in force in
    the first ``quarters`` quarters of a run that starts in ``first_year``: until then the
    run does not depend on its levers at all (``model/builds.py`` relies on this)."""
    return all(
        strength_at(group, first_year, t) == 0
        for cls in REFORMS
        if (group := getattr(levers, cls.key)).enabled
        for t in range(quarters)
    )
