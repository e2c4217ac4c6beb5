"""Housing: the town's dwellings as a stock that developers build and households buy and rent.

The stock is the floor space of town dwellings (m²). Each quarter, in the plans phase:

1. **Wanted floor space**: town residents × ``housing.floor_per_person_2010`` × (real
   disposable income per town resident against 2010)^``housing.income_elasticity`` ×
   (price index)^−``housing.price_elasticity``.
2. **Price**: the real price index moves by (wanted / stock)^``housing.price_adjustment``,
   the ratio kept within [1/2, 2]; the price of a m² is ``housing.price_2010_yuan_per_m2``
   × the index × the price level.
3. **Completions and wear**: what was started ``housing.build_quarters`` ago joins the
   stock; the stock wears out at ``housing.depreciation`` a year.
4. **Starts**: developers start the 2010 rate of building (set from
   ``housing.investment_2010_bn``) in proportion to the stock, times
   (price index)^``housing.supply_elasticity``: they build more when dwellings sell dear
   against what they cost to build (``housing.cost_2010_yuan_per_m2``, at the price level).
5. **Investment**: every m² under construction costs its building cost, spent evenly over
   the build quarters, and developers build shops and offices along with the dwellings
   (dwellings are ``housing.dwelling_share`` of the total); this is real-estate investment.
6. **Who pays**: town households put ``housing.income_share`` of their disposable income
   into housing (down payments), as far as the quarter's building needs it; buyers and
   finance from outside the city pay the rest.
7. **Residential land**: each m² started needs 1/``housing.plot_ratio`` m² of land, which
   the city requisitions and sells to developers in the zones where town residents live
   (``model/markets/land.py``), at what is left of the price after building cost and the
   developer's margin (``housing.developer_margin``): the residual value of the land.

Rents follow prices: a rural-registered household moving to town pays
``security.town_rent_share`` of the basic town wage times the price index
(``model/agents/household.py``, ``move_to_town``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import services
from model.agents.household import disposable_income
from model.arrays import weighted_total
from model.calibration.synth import MU_PER_KM2
from model.economy import HousingMarket

if TYPE_CHECKING:
    from model.economy import Economy

M2_PER_MU = 1e6 / MU_PER_KM2


def town_persons_by_zone(economy: Economy, residents: np.ndarray | None = None) -> np.ndarray:
    """Town residents (real persons) by zone; ``residents``: :func:`model.services.residents`
    when already at hand."""
    residents = services.residents(economy) if residents is None else residents
    return residents[:, services.URBAN]


def income_per_town_person(economy: Economy, disposable: np.ndarray | None = None) -> float:
    """Real disposable income per town resident last quarter (yuan of 2010); ``disposable``:
    every live row's :func:`disposable_income` when already at hand."""
    households = economy.households
    town = households.where(households.col("urban"))
    weight = households.weight[town]
    if disposable is None:
        disposable = disposable_income(economy, households.rows())
    # (the income of every row and then the town's: one gather instead of seven)
    income = weighted_total(weight, disposable.take(town))
    persons = weighted_total(weight, households.size[town])
    return income / max(persons, 1e-9) / economy.cpi


def price_yuan_per_m2(economy: Economy) -> float:
    """The price of a m² of town dwelling this quarter, yuan."""
    housing = economy.params.housing
    return housing.price_2010_yuan_per_m2 * economy.housing.price_index * economy.price_level


def land_price_yuan_per_mu(economy: Economy) -> float:
    """What developers pay for a mu of residential land: the price of the floor space it
    carries less building cost and their margin, never below nothing."""
    housing = economy.params.housing
    per_m2 = (
        housing.price_2010_yuan_per_m2
        * economy.housing.price_index
        * (1 - housing.developer_margin)
        - housing.cost_2010_yuan_per_m2
    ) * economy.price_level
    return max(per_m2, 0.0) * housing.plot_ratio * M2_PER_MU


def land_for(economy: Economy, starts_m2: float, persons: np.ndarray) -> np.ndarray:
    """By zone, the residential land (mu) ``starts_m2`` of floor space need: where town
    residents (``persons``, by zone) live."""
    land_mu = starts_m2 / economy.params.housing.plot_ratio / M2_PER_MU
    return land_mu * persons / max(persons.sum(), 1e-9)


def finance(economy: Economy) -> None:
    """Town households' down payments pay the quarter's building as far as it needs them
    (each household's is scaled down if together they would pay more); buyers and finance
    from outside the city pay the rest."""
    households, market = economy.households, economy.housing
    live = households.rows()
    wanted = weighted_total(households.weight[live], households.housing_spend[live])
    paid = min(wanted, market.investment_yuan)
    if wanted > 0:
        households.housing_spend[live] *= paid / wanted
    market.paid_by_households = paid
    market.paid_from_outside = market.investment_yuan - paid


def set_up(economy: Economy) -> HousingMarket:
    """The 2010 stock (town residents at the 2010 floor space each) and the building under
    way, as if the 2010 rate had gone on for the build quarters."""
    housing = economy.params.housing
    persons = town_persons_by_zone(economy)
    stock = float(persons.sum()) * housing.floor_per_person_2010
    quarters = int(housing.build_quarters)
    # the building of shops and offices goes along with the dwellings' but adds no dwelling
    starts = housing.dwelling_share * housing.investment_2010_bn * 1e9 / 4
    starts /= housing.cost_2010_yuan_per_m2
    economy.housing = HousingMarket(
        stock_m2=stock,
        pipeline_m2=np.full(quarters, starts),
        starts_2010_share=starts / stock,
        income_2010=income_per_town_person(economy),
        wanted_m2=stock,
    )
    cost = housing.cost_2010_yuan_per_m2 * economy.price_level
    economy.housing.investment_yuan = starts * cost / housing.dwelling_share
    economy.housing.land_wanted_mu = land_for(economy, starts, persons)
    finance(economy)
    return economy.housing


def plan(
    economy: Economy, disposable: np.ndarray | None = None, residents: np.ndarray | None = None
) -> HousingMarket:
    """The quarter's housing: price, completions, starts, investment and who pays it.
    ``disposable``: last quarter's disposable income of every live row, and ``residents``:
    :func:`model.services.residents`, when the schedule already has them."""
    params, market = economy.params.housing, economy.housing
    persons = town_persons_by_zone(economy, residents)
    income = income_per_town_person(economy, disposable) / market.income_2010
    market.wanted_m2 = (
        persons.sum()
        * params.floor_per_person_2010
        * max(income, 1e-9) ** params.income_elasticity
        * market.price_index**-params.price_elasticity
    )
    ratio = np.clip(market.wanted_m2 / max(market.stock_m2, 1e-9), 0.5, 2.0)
    market.price_index *= float(ratio**params.price_adjustment)
    # what was started a build period ago is finished; the stock wears out
    market.stock_m2 = market.stock_m2 * (1 - params.depreciation / 4) + market.pipeline_m2[0]
    starts = (
        market.starts_2010_share * market.stock_m2 * market.price_index**params.supply_elasticity
    )
    market.pipeline_m2 = np.append(market.pipeline_m2[1:], starts)
    cost = params.cost_2010_yuan_per_m2 * economy.price_level
    market.investment_yuan = (
        float(market.pipeline_m2.sum()) * cost / len(market.pipeline_m2) / params.dwelling_share
    )
    finance(economy)
    market.land_wanted_mu = land_for(economy, starts, persons)
    market.land_sales_yuan = market.land_sold_mu = 0.0
    return market
