"""Behavioural responses: each rule moves the way its mechanism says (paired seeds)."""

from __future__ import annotations

import numpy as np

from model import environment
from model.agents.household import move_to_town
from model.model import ReformModel
from model.scenario import Scenario


def model(seed: int, scale: int = 400) -> ReformModel:
    return ReformModel(
        Scenario().with_run(seed=seed, scale=scale, end_year=2012), check_invariants=False
    )


def record_total(sc: Scenario, key: str, seeds: int) -> float:
    """A quarterly record summed over 2010-2011 and over the first ``seeds`` seeds."""
    total = 0.0
    for seed in range(seeds):
        m = ReformModel(sc.with_run(seed=seed, scale=400, end_year=2011), check_invariants=False)
        total += sum(r[key] for r in m.run().records)
    return total


def test_a_wider_town_wage_gap_draws_more_villagers_to_town() -> None:
    moved = []
    for factor in (1.0, 1.5):
        total = 0.0
        for seed in range(3):
            economy = model(seed).economy
            economy.labour.skill_wage = economy.labour.skill_wage * factor
            total += move_to_town(economy)
        moved.append(total)
    assert moved[1] > moved[0] * 1.2


def test_more_pollution_in_the_basin_worsens_the_lake() -> None:
    economy = model(1).economy
    environment.update(economy)  # sets the 2010 load as the reference
    firms = economy.firms
    basin = np.asarray(economy.params.zones.lake_basin_share)[firms.zone[: firms.n]] > 0.5
    firms.supply[: firms.n][basin] *= 5
    for _ in range(8):
        environment.update(economy)
    assert economy.lake.quality > 3.1
    clean = model(1).economy
    environment.update(clean)
    for _ in range(8):
        environment.update(clean)
    assert abs(clean.lake.quality - 3.0) < 1e-9


def test_merged_layers_and_departments_shorten_approvals_and_bring_more_firm_entry() -> None:
    from model.scenario import validate_scenario

    faster = validate_scenario(
        {
            "levers": {
                "functional_zones": {
                    "enabled": True,
                    "start_year": 2010,
                    "layers_merged": 1.0,
                    "departments_merged": 0.5,
                    "one_window": 1.0,
                    "admin_staff_cut": 0.0,
                }
            }
        }
    )
    m = ReformModel(faster.with_run(scale=400, end_year=2011), check_invariants=False).run()
    slow = ReformModel(Scenario().with_run(scale=400, end_year=2011), check_invariants=False).run()
    assert m.records[-1]["approval_days"] < 0.5 * slow.records[-1]["approval_days"]
    assert record_total(faster, "entrants", 4) > record_total(Scenario(), "entrants", 4)


def test_a_rights_exchange_brings_plots_to_tenants_and_rent_to_villagers() -> None:
    """Owners who do not farm their plots meet tenants more often through an exchange: more
    farmland is rented out and villagers earn more rent (other parts of reform 9 off)."""
    from model.scenario import validate_scenario

    off = {
        "collective_land_market": 0,
        "land_mortgage_ltv": 0,
        "homestead_compensation_yuan_per_mu": 0,
        "shareholding_share": 0,
        "hukou_reform": 0,
    }
    exchange = validate_scenario(
        {
            "levers": {
                "land_capitalisation": {
                    "enabled": True,
                    "start_year": 2010,
                    "rights_confirmation": 1.0,
                    "exchange_reach": 1.0,
                    **off,
                }
            }
        }
    )
    rent = [record_total(sc, "farmland_rent_yuan", 2) for sc in (Scenario(), exchange)]
    # (over 2010-2011 only: the leased stock keeps growing after)
    assert rent[1] > 1.25 * rent[0]


def test_more_compensation_brings_more_homestead_exits() -> None:
    """Households weigh the offer against their village house: a higher offer, more exits."""
    from model.scenario import validate_scenario

    def exits(price: float) -> float:
        scenario = validate_scenario(
            {
                "levers": {
                    "land_capitalisation": {
                        "enabled": True,
                        "start_year": 2010,
                        "homestead_compensation_yuan_per_mu": price,
                    }
                }
            }
        )
        return record_total(scenario, "homestead_exits", 3)

    assert exits(120000.0) > 1.5 * exits(20000.0)


def test_higher_compensation_means_less_requisition() -> None:
    """The city requisitions by what a mu sold brings in over its compensation."""
    from model.scenario import validate_scenario

    dearer = validate_scenario(
        {
            "levers": {
                "social_requisition": {
                    "enabled": True,
                    "start_year": 2010,
                    "compensation_multiplier": 4.0,
                }
            }
        }
    )
    taken = [record_total(sc, "requisitioned_mu", 3) for sc in (Scenario(), dearer)]
    assert taken[1] < 0.9 * taken[0]


def test_wuhan_wages_pull_commuters_and_migrants() -> None:
    def run(growth: float) -> tuple[float, float]:
        commuters = leavers = 0.0
        # twelve seeds: the commuter response is weak (+6% of commuters, about one standard
        # error of the paired mean), because higher Wuhan wages also draw households away
        for seed in range(12):
            sc = Scenario().with_run(seed=seed, scale=400, end_year=2014)
            sc = sc.model_copy(
                update={
                    "conditions": sc.conditions.model_copy(update={"wuhan_wage_growth_pct": growth})
                }
            )
            m = ReformModel(sc, check_invariants=False).run()
            commuters += np.mean([r["commuters"] for r in m.records[-4:]])
            leavers += sum(r["out_persons"] for r in m.records)
        return commuters, leavers

    low, high = run(5.0), run(25.0)
    assert high[0] > low[0] and high[1] > low[1]
