"""Behavioural responses: each rule moves the way its mechanism says (paired seeds)."""

from __future__ import annotations

import numpy as np

from model.agents.household import move_to_town
from model.model import ReformModel
from model.scenario import Scenario


def model(seed: int, scale: int = 400) -> ReformModel:
    return ReformModel(Scenario().with_run(seed=seed, scale=scale, end_year=2012),
                       check_invariants=False)


def test_a_wider_town_wage_gap_draws_more_villagers_to_town() -> None:
    moved = []
    for factor in (1.0, 1.5):
        total = 0.0
        for seed in range(3):
            m = model(seed)
            m.skill_wage = m.skill_wage * factor
            total += move_to_town(m)
        moved.append(total)
    assert moved[1] > moved[0] * 1.2


def test_more_pollution_in_the_basin_worsens_the_lake() -> None:
    m = model(1)
    m.environment()  # sets the 2010 load as the reference
    basin = np.asarray(m.params.zones.lake_basin_share)[m.fm.zone[: m.fm.n]] > 0.5
    m.fm.supply[: m.fm.n][basin] *= 5
    for _ in range(8):
        m.environment()
    assert m.lake_quality > 3.1
    clean = model(1)
    clean.environment()
    for _ in range(8):
        clean.environment()
    assert abs(clean.lake_quality - 3.0) < 1e-9


def test_shorter_approvals_bring_more_firm_entry() -> None:
    entrants = []
    for days_factor in (1.0, 0.3):
        total = 0.0
        for seed in range(4):
            m = model(seed)
            for zone in m.zones:
                zone.approval_days *= days_factor
            for _ in range(8):
                m.step()
            total += sum(r["entrants"] for r in m.records)
        entrants.append(total)
    assert entrants[1] > entrants[0]


def test_an_easier_farmland_market_pays_more_rent_to_villagers() -> None:
    rent = []
    for rate in (0.005, 0.05):
        total = 0.0
        for seed in range(2):
            m = model(seed)
            m.rules.farmland_transfer_rate = rate
            for _ in range(8):
                m.step()
            total += sum(r["farmland_rent_yuan"] for r in m.records)
        rent.append(total)
    assert rent[1] > 1.5 * rent[0]


def test_wuhan_wages_pull_commuters_and_migrants() -> None:
    def run(growth: float) -> tuple[float, float]:
        sc = Scenario().with_run(seed=4, scale=400, end_year=2014)
        sc = sc.model_copy(update={"conditions": sc.conditions.model_copy(
            update={"wuhan_wage_growth_pct": growth})})
        m = ReformModel(sc, check_invariants=False).run()
        return m.records[-1]["commuters"], sum(r["out_persons"] for r in m.records)

    low, high = run(5.0), run(25.0)
    assert high[0] > low[0] and high[1] > low[1]
