"""Public capital (model/infrastructure.py): built from capital spending, placed where the
zones make the best case for it, raising its zone's productivity and drawing entrants."""

from __future__ import annotations

import numpy as np
import pytest

from model import infrastructure
from model.api import simulate
from model.calibration import load_parameters
from model.model import ReformModel
from model.scenario import Scenario


@pytest.fixture
def economy():
    return ReformModel(Scenario().with_run(end_year=2011, seed=5)).economy


def test_works_add_capital_spending_less_wear_where_the_zones_place_them(economy) -> None:
    capital = economy.public_capital
    before = capital.stock.copy()
    economy.budget.capital = 4e9
    works = infrastructure.build(economy)
    params = economy.params
    built = 4e9 * (1 - params.services.facility_share) / economy.price_level
    assert works.built == pytest.approx(built)
    worn = before * (1 - params.infrastructure.depreciation / 4)
    added = capital.stock - worn
    assert added.sum() == pytest.approx(built)
    # placed by the zones' case for them (tests/test_zone_policy.py)
    shares = np.array([zone.works_share for zone in economy.zones])
    np.testing.assert_allclose(added, built * shares)


def test_more_public_capital_raises_only_its_zone_productivity(economy) -> None:
    capital = economy.public_capital
    capital.stock[2] *= 2.0
    change = infrastructure.productivity_change(economy)
    elasticity = economy.params.infrastructure.output_elasticity
    assert change[2] == pytest.approx(2.0**elasticity)
    np.testing.assert_allclose(np.delete(change, 2), 1.0)
    # the level is kept: the same stock moves nothing next quarter
    np.testing.assert_allclose(infrastructure.productivity_change(economy), 1.0)
    pull = infrastructure.entry_pull(economy)
    assert pull[2] > 1.0 > pull[0]


def test_without_the_platform_the_city_builds_less() -> None:
    # (whether it also grows less by 2012 depends on the seed: the labour the platform's
    # works employ is then free for firms, so the output route is tested below on its own)
    params = load_parameters()
    no_platform = params.replace({"platform.draw_rate": 0.0})
    scenario = Scenario().with_run(end_year=2012)
    for seed in (11, 12):
        base = simulate(scenario, seed, check_invariants=False).annual.set_index("year")
        less = simulate(scenario, seed, params=no_platform, check_invariants=False)
        less = less.annual.set_index("year")
        assert less.public_capital_real_bn_yuan[2012] < 0.9 * base.public_capital_real_bn_yuan[2012]


def test_public_capital_adds_output_through_firms_productivity() -> None:
    flat = load_parameters().replace({"infrastructure.output_elasticity": 0.0})
    scenario = Scenario().with_run(end_year=2012)
    gaps = []
    for seed in (11, 12, 13):
        base = simulate(scenario, seed, check_invariants=False).annual.set_index("year")
        without = simulate(scenario, seed, params=flat, check_invariants=False)
        gaps.append(
            without.annual.set_index("year").gdp_real_bn_yuan_2010[2012]
            / base.gdp_real_bn_yuan_2010[2012]
            - 1
        )
    assert np.mean(gaps) < -0.01
