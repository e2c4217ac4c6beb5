"""Zone governments as deciders (model/zone_policy.py): where the city's new public works
go, and which sectors' entrants each zone courts, weighing the green coefficient once the
heavy-industry reform sets it."""

from __future__ import annotations

import numpy as np
import pytest

from model import infrastructure, turnover, zone_policy
from model.calibration import load_parameters
from model.model import ReformModel
from model.rules import Rules
from model.scenario import Scenario, validate_scenario

LAKE = "liangzi_lake"


def build(seed: int = 5, params=None, levers: dict | None = None) -> ReformModel:
    scenario = validate_scenario({"levers": levers}) if levers else Scenario()
    return ReformModel(scenario.with_run(end_year=2012, seed=seed), params=params)


@pytest.fixture
def economy():
    return build().economy


def test_new_works_follow_the_case_the_zones_make(economy) -> None:
    """At the 2010 stock, half of the new works follow the points the zones' firms earn
    their officials and half the residents (residents' weight 1)."""
    firms = economy.firms
    live = firms.live()
    points = zone_policy.sector_value(economy)[firms.zone[live], firms.sector[live]]
    value = np.bincount(firms.zone[live], weights=firms.weight[live] * firms.va_yuan[live] * points)
    households = economy.households
    live_households = households.rows()
    people = np.bincount(
        households.zone[live_households],
        weights=households.weight[live_households] * households.size[live_households],
    )
    expected = 0.5 * value / value.sum() + 0.5 * people / people.sum()
    np.testing.assert_allclose(zone_policy.place_works(economy), expected, rtol=1e-9)
    # what the city builds is all placed, as the zones decided
    economy.budget.capital = 4e9
    before = economy.public_capital.stock.copy()
    works = infrastructure.build(economy)
    assert works.placed.sum() == pytest.approx(works.built)
    shares = np.array([zone.works_share for zone in economy.zones])
    np.testing.assert_allclose(works.placed, works.built * shares)
    worn = before * (1 - economy.params.infrastructure.depreciation / 4)
    np.testing.assert_allclose(economy.public_capital.stock, worn + works.placed)


def test_a_zone_whose_firms_yield_more_per_unit_of_public_capital_gets_more_works(economy) -> None:
    gehua = economy.zone_names.index("gehua_science")
    before = zone_policy.place_works(economy)[gehua]
    gain_before = economy.zones[gehua].works_gain_per_yuan
    firms = economy.firms
    in_zone = firms.live()[firms.zone[firms.live()] == gehua]
    firms.va_yuan[in_zone] *= 1.5  # its firms yield half as much again on the same stock
    more = zone_policy.place_works(economy)[gehua]
    assert economy.zones[gehua].works_gain_per_yuan == pytest.approx(1.5 * gain_before, rel=0.01)
    assert more > before + 0.01
    # the same firms on a smaller stock (worn, say) yield more per yuan of it, too
    firms.va_yuan[in_zone] /= 1.5
    economy.public_capital.stock[gehua] *= 0.7
    assert zone_policy.place_works(economy)[gehua] > before + 0.01


def test_the_green_coefficient_moves_works_away_from_heavy_industry(economy) -> None:
    transformation = economy.zone_names.index("echeng_transformation")
    before = zone_policy.place_works(economy)[transformation]
    economy.rules.green_coefficient = 0.5
    assert zone_policy.place_works(economy)[transformation] < before - 0.01


def courted_steel(economy) -> np.ndarray:
    """By zone, the factor on where steel entrants settle this quarter."""
    turnover.entry_plan(economy)
    steel = economy.sectors.index("steel")
    return np.array([zone.courting[steel] for zone in economy.zones])


def test_a_heavy_sector_is_courted_less_the_more_the_green_coefficient_and_most_by_the_lake(
    economy,
) -> None:
    # at coefficient 0 (no reform) every zone courts steel as in 2010
    np.testing.assert_allclose(courted_steel(economy), 1.0)
    economy.rules.green_coefficient = 0.5
    half = courted_steel(economy)
    economy.rules.green_coefficient = 1.0
    full = courted_steel(economy)
    assert np.all(half < 0.9) and np.all(full < half)
    lake = economy.zone_names.index(LAKE)
    assert np.all(np.delete(half, lake) > half[lake] + 0.1)
    # the lake zone weighs energy and pollution the more, for its role
    green = np.array([zone.green_weight for zone in economy.zones])
    assert green[lake] == pytest.approx(2.0) and green.argmax() == lake
    # the heavy-industry district courts clean sectors instead
    services = economy.sectors.index("services")
    transformation = economy.zones[economy.zone_names.index("echeng_transformation")]
    assert transformation.courting[services] > 1.2


def test_courting_keeps_each_zones_entrants_and_moves_their_sectors(economy) -> None:
    expected, weights = turnover.entry_plan(economy)
    per_zone = (expected[:, None] * weights / weights.sum(axis=1)[:, None]).sum(axis=0)
    economy.rules.green_coefficient = 1.0
    green_expected, green_weights = turnover.entry_plan(economy)
    green_per_zone = (
        green_expected[:, None] * green_weights / green_weights.sum(axis=1)[:, None]
    ).sum(axis=0)
    np.testing.assert_allclose(green_per_zone, per_zone, rtol=1e-9)
    steel, services = economy.sectors.index("steel"), economy.sectors.index("services")
    assert green_expected[steel] < 0.8 * expected[steel]
    assert green_expected[services] > expected[services]


def plan_under(economy, reform) -> tuple[np.ndarray, np.ndarray]:
    """The entry plan under the pre-reform rules as ``reform`` (None: no reform) sets
    them at full strength, and the points steel earns each zone's officials."""
    rules = Rules.baseline(economy.params)
    if reform is not None:
        reform.apply_rules(rules, 1.0)
    economy.rules = rules
    expected, _ = turnover.entry_plan(economy)
    steel = economy.sectors.index("steel")
    return expected, np.array([zone.sector_value[steel] for zone in economy.zones])


@pytest.mark.parametrize("blind", [False, True])
def test_the_heavy_industry_reform_moves_entry_only_through_the_zones_choices(blind) -> None:
    """Turn the green coefficient: the reform sets no city-wide tilt; the zones' scores
    change and entry with them. Zones blind to energy and pollution leave entry as it was."""
    params = load_parameters()
    if blind:
        params = params.replace(
            {"assessment.energy_weight": 0.0, "assessment.pollution_weight": 0.0}
        )
    levers = {"heavy_industry": {"enabled": True, "green_coefficient": 0.8}}
    model = build(seed=3, params=params, levers=levers)
    model.run(until_year=2010)
    economy, (reform,) = model.economy, model.reforms
    rules = Rules.baseline(economy.params)
    reform.apply_rules(rules, 1.0)
    np.testing.assert_array_equal(rules.entry_multiplier, 1.0)
    assert rules.green_coefficient == pytest.approx(0.8)
    before, steel_points_before = plan_under(economy, None)
    after, steel_points_after = plan_under(economy, reform)
    if blind:
        np.testing.assert_array_equal(after, before)
        np.testing.assert_array_equal(steel_points_after, steel_points_before)
    else:
        assert np.all(steel_points_after < steel_points_before)
        steel = economy.sectors.index("steel")
        assert after[steel] < 0.8 * before[steel]


def test_zone_records_show_the_decisions() -> None:
    model = build(seed=2)
    model.step()
    zones = model.zone_frame()
    assert zones.works_share.sum() == pytest.approx(1.0)
    assert zones.works_real_yuan.sum() == pytest.approx(model.records[0]["public_works_real_yuan"])
    for name in model.economy.sectors.names:
        assert {f"value_{name}", f"courting_{name}"} <= set(zones.columns)
    assert (zones.works_gain_per_yuan > 0).all() and (zones.green_weight == 0).all()
