"""Land prices that answer demand (model/markets/land.py) and a construction platform that
borrows against land (model/platform.py)."""

from __future__ import annotations

import numpy as np
import pytest

from model import fiscal, platform
from model.api import simulate
from model.calibration import load_parameters
from model.markets import land
from model.model import ReformModel
from model.scenario import Scenario


@pytest.fixture
def economy():
    return ReformModel(Scenario().with_run(end_year=2011, seed=5)).economy


def test_industrial_land_sells_at_the_2010_price_moved_with_prices(economy) -> None:
    firms = economy.firms
    live = firms.live()
    row = live[firms.sector[live] != 0][:1]
    economy.zones[int(firms.zone[row[0]])].land_available_mu = 1e9
    sold = economy.flows.land_sales
    got = land.sell_construction_land(economy, row, np.array([1.0]))
    assert got[0] == pytest.approx(1.0)
    paid = (economy.flows.land_sales - sold) / firms.weight[row[0]]
    base = economy.params.land.land_sale_price_yuan_per_mu
    assert paid == pytest.approx(base * economy.price_level)
    assert land.industrial_price(economy) == pytest.approx(base * economy.price_level)


def test_the_platform_borrows_against_land_and_expected_land_sales(economy) -> None:
    params = economy.params.platform
    pledged = platform.collateral(economy)
    assert pledged.expected_land_revenue > 0
    # a larger reserve, and dearer dwellings (dearer residential land), mean more collateral
    for zone in economy.zones:
        zone.land_available_mu += 1000.0
    more = platform.collateral(economy)
    assert more.reserve == pytest.approx(pledged.reserve + 5000 * land.industrial_price(economy))
    economy.housing.price_index *= 1.2
    dearer = platform.collateral(economy)
    assert dearer.reserve == pytest.approx(more.reserve)
    assert dearer.expected_land_revenue > more.expected_land_revenue
    limit, _ = platform.borrowing_limit(economy, debt_service_limit=1e15)
    assert limit == pytest.approx(params.loan_to_value * dearer.value(params.horizon_years))
    # debt service binds when it is the tighter limit
    assert platform.borrowing_limit(economy, debt_service_limit=1.0)[0] == 1.0


def test_the_platform_invests_part_of_its_room_and_nothing_beyond_the_limit(economy) -> None:
    plan = fiscal.plan(economy)
    assert plan.platform == pytest.approx(economy.params.platform.draw_rate * plan.borrowing_room)
    assert plan.borrowing_room == pytest.approx(
        max(plan.borrowing_limit - economy.city.debt_yuan + economy.city.deposits_yuan, 0.0)
    )
    economy.city.debt_yuan = 2 * plan.borrowing_limit
    assert fiscal.plan(economy).platform == 0.0


def test_2010_opens_with_the_debt_of_the_city_and_its_platform() -> None:
    model = ReformModel(Scenario().with_run(end_year=2011, seed=5))
    opening = model.economy.city.debt_yuan
    share = model.economy.params.platform.opening_debt_to_gdp
    assert opening == pytest.approx(share * 4 * model.economy.last_gdp_yuan)


def test_banks_that_lend_less_against_land_mean_less_platform_investment() -> None:
    params = load_parameters()
    strict = params.replace({"platform.loan_to_value": 0.5 * params.platform.loan_to_value})
    scenario = Scenario().with_run(end_year=2012)
    for seed in (11, 12):
        base = simulate(scenario, seed, check_invariants=False).annual.set_index("year")
        less = simulate(scenario, seed, params=strict, check_invariants=False)
        less = less.annual.set_index("year")
        assert less.platform_investment_bn_yuan.sum() < 0.5 * base.platform_investment_bn_yuan.sum()
        assert less.public_capital_real_bn_yuan[2012] < base.public_capital_real_bn_yuan[2012]
