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


def test_a_zone_price_rises_where_firms_want_more_than_there_is(economy) -> None:
    wanted = np.array([200.0, 100.0, 0.0, 100.0, 0.0])
    supply = np.array([100.0, 100.0, 0.0, 150.0, 50.0])
    land.update_prices(economy, wanted, supply)
    index = np.array([zone.land_price_index for zone in economy.zones])
    step = economy.params.land.price_adjustment
    # short: dearer; balanced or untouched: the same; land left over: cheaper, by at most
    # the clipped ratio (none wanted where 50 mu were for sale)
    np.testing.assert_allclose(index, [2.0**step, 1.0, 1.0, (2 / 3) ** step, 0.5**step])
    prices = land.zone_prices(economy)
    base = economy.params.land.land_sale_price_yuan_per_mu * economy.price_level
    np.testing.assert_allclose(prices, base * index)


def test_dear_land_is_wanted_less_and_sold_dearer(economy) -> None:
    firms = economy.firms
    live = firms.live()
    firms.supply[live] *= 1.2  # every firm has grown: all want land
    zone = int(firms.zone[live][firms.sector[live] != 0][0])
    before = land.land_wanted(economy, live)
    economy.zones[zone].land_price_index = 2.0
    after = land.land_wanted(economy, live)
    in_zone = firms.zone[live] == zone
    assert (after[in_zone] < before[in_zone]).any()
    np.testing.assert_allclose(after[~in_zone], before[~in_zone])
    # a firm of that zone pays its price for a mu
    row = live[in_zone & (before > 0)][:1]
    economy.zones[zone].land_available_mu = 1e9
    sold = economy.flows.land_sales
    got = land.sell_construction_land(economy, row, np.array([1.0]))
    assert got[0] == pytest.approx(1.0)
    paid = (economy.flows.land_sales - sold) / firms.weight[row[0]]
    assert paid == pytest.approx(land.zone_prices(economy)[zone])
    assert paid == pytest.approx(2 * land.zone_prices(economy)[zone - 1 if zone else 1])


def test_the_platform_borrows_against_land_and_expected_land_sales(economy) -> None:
    params = economy.params.platform
    pledged = platform.collateral(economy)
    assert pledged.expected_land_revenue > 0
    # dearer land: a larger reserve and dearer expected sales, so banks lend more
    for zone in economy.zones:
        zone.land_available_mu += 1000.0
    more = platform.collateral(economy)
    assert more.reserve == pytest.approx(pledged.reserve + 5000 * land.zone_prices(economy)[0])
    for zone in economy.zones:
        zone.land_price_index *= 1.5
    dearer = platform.collateral(economy)
    assert dearer.value(params.horizon_years) == pytest.approx(
        1.5 * more.value(params.horizon_years)
    )
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
