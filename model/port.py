"""The city's river ports: capacity, the cargo that wants it, and what freight costs.

Two kinds of cargo want the ports: the city's own industry's (it grows with industry's real
output) and transit cargo of the region (it grows with the logistics sector's outside driver,
Wuhan's demand). The ports handle what their capacity allows. Capacity grows by the wharves
port companies add on their own (``port.capacity_growth``) and by the berths the city builds
under the inland-opening reform, which come into use ``port.construction_quarters`` after the
money is spent (``commission``). A port with more room than its neighbours' ordinary growth
wins transit cargo from them (``port.transit_capacity_elasticity``).

What it changes in the goods market (``markets/goods.py``):
- the logistics sector's outside sales follow the transit cargo the ports win and handle;
- the city's own water-suited cargo that finds no berth goes by road, at
  ``port.road_cost_ratio`` times the cost; the freight index (2010 = 1) raises the delivered
  price of its industrial goods by ``port.freight_cost_share`` of it, and outside buyers
  answer through each sector's price elasticity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.accounts import GOVERNMENT

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class PortResult:
    capacity_mt: float  # a year, at this quarter's end of construction
    cargo_mt: float  # wanting the ports, a year's rate
    handled_share: float
    freight_index: float  # the city's industrial freight cost per tonne, 2010 = 1
    transit_attraction: float  # transit cargo won by room beyond the neighbours' growth


def set_up(economy: Economy, supply: np.ndarray) -> None:
    """The 2010 cargo, split into the city's own and transit, and industry's 2010 output."""
    params, state = economy.params.port, economy.port
    cargo = params.capacity_2010_mt * params.utilisation_2010
    state.own_cargo_2010_mt = cargo * params.own_cargo_share_2010
    state.transit_cargo_2010_mt = cargo - state.own_cargo_2010_mt
    state.industry_supply_2010 = float(supply[economy.sectors.industry].sum())
    state.ordinary_mt = state.capacity_mt


def commission(economy: Economy, yuan_2010: float) -> None:
    """The city pays for new berths this quarter (``yuan_2010`` at 2010 prices): investment
    the goods market sees, and capacity under construction."""
    economy.flows.reform_investment[GOVERNMENT] += yuan_2010 * economy.price_level
    economy.port.building_mt += yuan_2010 / (economy.params.port.cost_yuan_per_tonne * 1e6)


def handle(economy: Economy, supply: np.ndarray) -> PortResult:
    """Berths completed this quarter, then the cargo of the quarter and what it costs."""
    params, state, t = economy.params.port, economy.port, economy.clock.t
    completed = state.building_mt / params.construction_quarters
    state.building_mt -= completed
    growth = (1 + params.capacity_growth) ** 0.25
    state.capacity_mt = state.capacity_mt * growth + completed
    # the neighbours' ports grow at the ordinary pace: room beyond it attracts transit cargo
    state.ordinary_mt *= growth
    attraction = (state.capacity_mt / state.ordinary_mt) ** params.transit_capacity_elasticity
    industry = float(supply[economy.sectors.industry].sum())
    own = state.own_cargo_2010_mt * industry / max(state.industry_supply_2010, 1e-9)
    driver = economy.params.sectors.external_driver[economy.sectors.index("logistics")]
    transit = state.transit_cargo_2010_mt * economy.world.demand_index(driver, t) * attraction
    cargo = own + transit
    handled = min(1.0, state.capacity_mt / max(cargo, 1e-9))
    # the city's water-suited cargo without a berth goes by road (in 2010 all found one)
    water, road = params.water_suited_share, params.road_cost_ratio
    cost = (1 - water) * road + water * (handled + (1 - handled) * road)
    state.handled_share = handled
    state.freight_index = cost / ((1 - water) * road + water)
    return PortResult(state.capacity_mt, cargo, handled, state.freight_index, attraction)


def outside_demand_factors(economy: Economy, result: PortResult) -> np.ndarray:
    """By sector, what the ports make of outside demand: logistics sells the transit cargo
    won and handled; industry's outside buyers answer the freight in its delivered price."""
    sectors, params = economy.sectors, economy.params.port
    factors = np.ones(len(sectors.names))
    factors[sectors.index("logistics")] = result.handled_share * result.transit_attraction
    share = params.freight_cost_share
    delivered = (1 + share * result.freight_index) / (1 + share)
    industry = sectors.industry
    factors[industry] = delivered ** (-sectors.demand_elasticity[industry])
    return factors
