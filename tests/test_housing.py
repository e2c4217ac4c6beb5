"""Housing as a stock (model/markets/housing.py): built by developers, bought with
households' down payments and outside finance, priced by what town residents want, and
sold land by the city at its residual value."""

from __future__ import annotations

import numpy as np
import pytest

from model.agents import household
from model.markets import housing, land
from model.model import ReformModel
from model.scenario import Scenario


@pytest.fixture
def economy():
    return ReformModel(Scenario().with_run(end_year=2011, seed=5)).economy


def test_2010_stock_and_building_under_way(economy) -> None:
    params = economy.params.housing
    market = economy.housing
    persons = housing.town_persons_by_zone(economy).sum()
    assert market.stock_m2 == pytest.approx(persons * params.floor_per_person_2010)
    assert len(market.pipeline_m2) == params.build_quarters
    # a quarter of 2010's real-estate investment, at the first quarter's prices
    assert market.investment_yuan == pytest.approx(
        params.investment_2010_bn * 1e9 / 4 * economy.price_level
    )
    assert market.paid_by_households + market.paid_from_outside == pytest.approx(
        market.investment_yuan
    )


def test_the_price_rises_when_more_floor_space_is_wanted_than_there_is(economy) -> None:
    market = economy.housing
    params = economy.params.housing
    households = economy.households
    # every town household agent stands for twice as many: twice the floor space wanted
    # at the same income per head
    town = households.where(households.col("urban"))
    households.weight[town] *= 2
    before_stock, first = market.stock_m2, market.pipeline_m2[0]
    housing.plan(economy)
    assert market.price_index == pytest.approx(2.0**params.price_adjustment, rel=0.05)
    # the oldest starts are finished and the stock wore out a little
    assert market.stock_m2 == pytest.approx(before_stock * (1 - params.depreciation / 4) + first)
    # developers start more at the higher price
    starts = market.pipeline_m2[-1]
    share = market.starts_2010_share * market.stock_m2
    assert starts == pytest.approx(share * market.price_index**params.supply_elasticity)


def test_households_pay_only_what_the_building_needs(economy) -> None:
    households = economy.households
    market = economy.housing
    live = households.rows()
    households.housing_spend[live] = households.urban[live] * 1e9  # far beyond the building
    housing.finance(economy)
    paid = float(np.sum(households.weight[live] * households.housing_spend[live]))
    assert paid == pytest.approx(market.investment_yuan)
    assert market.paid_from_outside == pytest.approx(0.0, abs=1e-3)


def test_residential_land_sells_at_its_residual_value_and_only_when_dwellings_pay(economy):
    params = economy.params.housing
    price = housing.land_price_yuan_per_mu(economy)
    residual = params.price_2010_yuan_per_m2 * (1 - params.developer_margin)
    residual -= params.cost_2010_yuan_per_m2
    assert price == pytest.approx(
        residual * economy.price_level * params.plot_ratio * housing.M2_PER_MU
    )
    for zone in economy.zones:
        zone.land_available_mu = 100.0
    sales = economy.flows.land_sales
    wanted = np.array([10.0, 20.0, 0.0, 500.0, 0.0])
    paid = land.sell_residential_land(economy, wanted)
    assert economy.housing.land_sold_mu == pytest.approx(130.0)  # 10 + 20 + all 100 of zone 3
    assert paid == pytest.approx(130.0 * price)
    assert economy.flows.land_sales - sales == pytest.approx(paid)
    # dwellings that sell below their building cost leave the land worth nothing
    economy.housing.price_index = 0.5
    assert housing.land_price_yuan_per_mu(economy) == 0.0


def test_dear_town_rents_keep_rural_registrants_in_the_village(economy) -> None:
    def moves(index: float, seed: int) -> float:
        economy.housing.price_index = index
        economy.rng = np.random.default_rng(seed)
        households = economy.households
        saved = {name: getattr(households, name).copy() for name in ("urban", "zone", "job")}
        moved = household.move_to_town(economy)
        for name, values in saved.items():
            getattr(households, name)[:] = values
        return moved

    cheap = sum(moves(0.8, seed) for seed in range(5))
    dear = sum(moves(1.5, seed) for seed in range(5))
    assert dear < cheap
