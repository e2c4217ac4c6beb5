"""Goods market: one price per sector clears local spending and outside demand.

Producers are firms and households (farms in agriculture, own businesses in services); each
sector's supply is what they produced this quarter. Local buyers (households, government,
investment) spend fixed shares of their budgets on each sector (households' shares move with
their real spending per person, by each sector's income elasticity); outside buyers demand
``external`` real units at relative price 1 with price elasticity ``eps``. The sector's price ``p``
solves ``P * p * S = L + E * p**(1 - eps)`` where ``S`` is real supply, ``L`` local nominal
spending and ``E = P * external``. Revenue ``P * p * S`` equals what buyers pay, to rounding
error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import port
from model.accounts import FIRMS, GOVERNMENT, HOUSEHOLDS, REST_OF_WORLD
from model.agents import household
from model.arrays import weighted_total
from model.markets import wages
from model.markets.price_search import clear_prices

if TYPE_CHECKING:
    from model.economy import Economy

# the sectors household producers sell in: their farms' and their own businesses' output
FARM_SECTOR, BUSINESS_SECTOR = 0, 7
# the sectors Wuhan's visitors buy from
VISITOR_SECTORS = ("services", "tourism")


def external_spending(
    external_nominal: np.ndarray, price: np.ndarray, eps: np.ndarray
) -> np.ndarray:
    return external_nominal * price ** (1 - eps)


def household_shares(economy: Economy, consumption: float) -> np.ndarray:
    """What share of households' spending goes to each sector this quarter: the 2010 shares,
    each moved by (real spending per person / 2010's) ** (its income elasticity - 1) and
    renormalised together with what they buy from outside the city (elasticity 1)."""
    market = economy.goods
    base = market.buy_shares["households"]
    persons = household.population(economy)
    real = consumption / economy.price_level / max(persons, 1.0)
    rise = real / max(market.real_spending_2010, 1e-9)
    elasticity = np.asarray(economy.params.sectors.income_elasticity)
    moved = base * rise ** (elasticity - 1)
    outside = 1.0 - base.sum()
    return moved / (moved.sum() + outside)


@dataclass
class GoodsResult:
    revenue: np.ndarray  # value added by sector, yuan (sales at this quarter's prices)
    sales_paid: float  # what all buyers paid, yuan
    investment: float  # fixed-asset investment, yuan
    housing: float  # housing bought by households and outside developers, yuan
    supply: np.ndarray  # real output by sector
    port: port.PortResult  # the ports' capacity, cargo and freight cost this quarter


def firm_supply(economy: Economy) -> np.ndarray:
    """Real output by sector this quarter: firms'."""
    firms = economy.firms
    live_firms = firms.live()
    return np.bincount(
        firms.sector[live_firms],
        weights=firms.weight[live_firms] * firms.supply[live_firms],
        minlength=len(economy.sectors.names),
    )


def sector_supply(economy: Economy, by_firms: np.ndarray | None = None) -> np.ndarray:
    """Real output by sector this quarter: firms' (``by_firms`` when at hand) and household
    producers'."""
    households, output = economy.households, economy.household_output
    supply = firm_supply(economy) if by_firms is None else by_firms.copy()
    live = households.rows()
    supply[FARM_SECTOR] += weighted_total(households.weight[live], output.farm[live])
    supply[BUSINESS_SECTOR] += weighted_total(households.weight[live], output.business[live])
    return supply


def clear(economy: Economy, firm_investment: float) -> GoodsResult:
    """One price per sector clears local and outside demand; buyers pay, producers earn."""
    params, households, firms, world = (
        economy.params,
        economy.households,
        economy.firms,
        economy.world,
    )
    market, ledger, budget = economy.goods, economy.ledger, economy.budget
    t, price_level = economy.clock.t, economy.price_level
    live_firms = firms.live()
    sector = firms.sector[live_firms]
    by_firms = firm_supply(economy)
    supply = sector_supply(economy, by_firms)
    live = households.rows()
    consumption = weighted_total(households.weight[live], households.consumption[live])
    housing_households = weighted_total(households.weight[live], households.housing_spend[live])
    # the building of dwellings households' down payments leave unpaid (model/markets/housing.py)
    outside_housing = economy.housing.paid_from_outside
    extra = economy.flows.reform_investment  # clean technology, rural infrastructure, ...
    firm_investment += extra[FIRMS]
    # households invest in housing, in new own businesses and in what reforms have them build
    housing_households += extra[HOUSEHOLDS] + economy.flows.business_starts
    government_capital = budget.capital + extra[GOVERNMENT]
    investment = firm_investment + government_capital + housing_households + outside_housing
    buyers = {
        "households": (HOUSEHOLDS, consumption),
        "government": (GOVERNMENT, budget.purchases),
    }
    # households spend more of a larger budget on services and less on food (Engel)
    shares = dict(market.buy_shares, households=household_shares(economy, consumption))
    local = np.zeros(len(supply))
    for name, (_, amount) in buyers.items():
        local += shares[name] * amount
    local += shares["investment"] * investment
    drivers = list(params.sectors.external_driver)
    gain = (1 + params.sectors.market_share_gain) ** (t / 4)
    outside_index = np.array([world.demand_index(driver, t) for driver in drivers]) * gain
    # the ports: logistics sells the transit cargo they win; industry pays their freight
    ports = port.handle(economy, supply)
    outside_index *= port.outside_demand_factors(economy, ports)
    # Wuhan's visitors come more often when the trip costs less
    visiting = [economy.sectors.index(name) for name in VISITOR_SECTORS]
    trip = wages.trip_cost_index(economy) ** -params.labour.wuhan_visitor_cost_elasticity
    outside_index[visiting] *= trip
    relative_price = np.ones(len(supply))
    relative_price[economy.sectors.index("steel")] = world.steel_price[t]
    external = market.external_base * outside_index * relative_price * price_level
    elasticity = economy.sectors.demand_elasticity
    price = clear_prices(supply, local, external, price_level, elasticity)
    market.sector_price = price
    revenue = price_level * price * supply
    exports = external_spending(external, price, elasticity)
    # who receives: firms or household producers, in proportion to their supply
    firm_part = np.where(supply > 0, by_firms / np.maximum(supply, 1e-12), 0.0)
    paid = {}
    for name, (payer, amount) in buyers.items():
        spent = shares[name] * amount
        ledger.pay(payer, FIRMS, float((spent * firm_part).sum()), f"sales_{name}")
        ledger.pay(payer, HOUSEHOLDS, float((spent * (1 - firm_part)).sum()), f"sales_{name}")
        ledger.pay(payer, REST_OF_WORLD, amount - float(spent.sum()), f"imports_{name}")
        paid[name] = spent
    investment_spent = market.buy_shares["investment"] * investment
    investment_imports = investment - float(investment_spent.sum())
    # investment buyers: firms, government, households, outside developers, in proportion
    investors = {
        FIRMS: firm_investment,
        GOVERNMENT: government_capital,
        HOUSEHOLDS: housing_households,
        REST_OF_WORLD: outside_housing,
    }
    # (what investment buys from firms and from household producers, taken once)
    investment_to_firms = float((investment_spent * firm_part).sum())
    investment_to_households = float((investment_spent * (1 - firm_part)).sum())
    for payer, amount in investors.items():
        part = amount / max(investment, 1e-12)
        to_firms = investment_to_firms * part
        to_households = investment_to_households * part
        ledger.pay(payer, FIRMS, to_firms, "sales_investment")
        ledger.pay(payer, HOUSEHOLDS, to_households, "sales_investment")
        ledger.pay(payer, REST_OF_WORLD, investment_imports * part, "imports_investment")
    ledger.pay(REST_OF_WORLD, FIRMS, float((exports * firm_part).sum()), "exports")
    ledger.pay(REST_OF_WORLD, HOUSEHOLDS, float((exports * (1 - firm_part)).sum()), "exports")
    sales_paid = (
        sum(float(spent.sum()) for spent in paid.values())
        + float(investment_spent.sum())
        + float(exports.sum())
    )
    # value added of each producer
    value_added = price_level * price[sector] * firms.supply[live_firms]
    firms.va_yuan[live_firms] = value_added
    firms.sales_year[live_firms] += value_added / np.asarray(params.sectors.va_to_sales)[sector]
    output = economy.household_output
    households.inc_farming[live] = price_level * price[FARM_SECTOR] * output.farm[live]
    households.inc_business[live] = price_level * price[BUSINESS_SECTOR] * output.business[live]
    return GoodsResult(
        revenue=revenue,
        sales_paid=sales_paid,
        investment=investment,
        housing=housing_households + outside_housing,
        supply=supply,
        port=ports,
    )
