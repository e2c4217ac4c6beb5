"""Public capital: the roads, industrial parks, utilities and other works the city and its
construction platform build, zone by zone, and what they do for the firms there.

Capital spending that does not build service facilities (``model/services.py``) adds to a
stock of public capital in each zone (yuan at 2010 prices), which wears out at
``infrastructure.depreciation``. The new works are split among the zones by their
governments' case for them (``model/zone_policy.py:place_works``): what a yuan of works
earns their officials through the firms' output and taxes it raises, and through the
residents it serves. The stock then

- raises the productivity of the firms in its zone: their level is
  (stock / 2010 stock) ** ``infrastructure.output_elasticity``, as public capital enters a
  production function with constant returns to private inputs;
- draws entrants: a zone's weight in where new firms settle is multiplied by
  (stock / 2010 stock) ** ``infrastructure.entry_elasticity``, relative to the city's.

In 2010 the stock is ``infrastructure.stock_to_gdp_2010`` times GDP, laid out as new works
would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import zone_policy

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class WorksResult:
    built: float  # public capital built this quarter, yuan of 2010
    stock: float  # the whole stock at the quarter's end, yuan of 2010
    placed: np.ndarray  # by zone, of ``built``


def set_up(economy: Economy, gdp_yuan: float) -> None:
    """The 2010 stock, ``infrastructure.stock_to_gdp_2010`` times the year's GDP (the
    quarter's ``gdp_yuan`` times four), laid out as new works would be."""
    params = economy.params.infrastructure
    stock = params.stock_to_gdp_2010 * 4 * gdp_yuan / economy.price_level
    laid_out = stock * zone_policy.place_works(economy)
    capital = economy.public_capital
    capital.stock, capital.stock_2010 = laid_out, laid_out.copy()
    capital.level = np.ones(len(laid_out))


def build(economy: Economy, residents: np.ndarray | None = None) -> WorksResult:
    """This quarter's works: capital spending beyond service facilities, placed where the
    zones make the best case for them, less wear (``residents``: the quarter's
    :func:`model.services.residents` when already at hand)."""
    params = economy.params
    capital = economy.public_capital
    spending = economy.budget.capital * (1 - params.services.facility_share)
    built = spending / economy.price_level
    capital.stock = capital.stock * (1 - params.infrastructure.depreciation / 4)
    placed = built * zone_policy.place_works(economy, residents)
    capital.stock += placed
    return WorksResult(built=built, stock=float(capital.stock.sum()), placed=placed)


def productivity_change(economy: Economy) -> np.ndarray:
    """By zone, how much firms' productivity moves this quarter with the public capital
    around them (the new level over last quarter's); the level is kept."""
    capital = economy.public_capital
    level = capital.relative() ** economy.params.infrastructure.output_elasticity
    change = level / capital.level
    capital.level = level
    return change


def entry_pull(economy: Economy) -> np.ndarray:
    """By zone, the factor on its weight in where entrants settle: its stock against 2010,
    relative to the city's, to the power ``infrastructure.entry_elasticity``."""
    capital = economy.public_capital
    relative = capital.relative() / max(capital.stock.sum() / capital.stock_2010.sum(), 1e-9)
    return relative**economy.params.infrastructure.entry_elasticity
