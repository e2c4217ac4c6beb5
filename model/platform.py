"""The city's construction and investment platform (its 城投): what banks lend it against
land, and what it builds with the money.

The platform is not a separate balance sheet: its debt is the city's (``city.debt_yuan``),
as the banks and the audits of the time treated it. Banks lend against two things:

- the **land reserve**: state construction land ready to sell (``zone.land_available_mu``),
  at the industrial price;
- **expected land revenue**: what the construction land firms and developers will want over
  the next ``platform.horizon_years`` would sell for at today's prices. Firms want land in
  step with their output, so the platform expects each sector's firms to buy land at the
  growth the firms themselves expect (``Expectations.expected_growth``, adaptive);
  developers, a year of this quarter's starts' land at its residual value
  (``model/markets/housing.py``).

They lend up to ``platform.loan_to_value`` of that collateral, and only while the interest
on the city's debt stays within ``fiscal.interest_cap_share`` of its expected receipts (debt
service). Each quarter the platform borrows and invests ``platform.draw_rate`` of the room
left under the tighter of the two limits (fitted so that it invested 11% of GDP in 2010):
more when land is dear and firms expect to grow, nothing once debt reaches the limit. The
budget's own deficits are borrowed from the same banks and use up the same room.

The opening debt of 2010 is ``platform.opening_debt_to_gdp`` of the year's GDP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.markets import housing, land

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class Collateral:
    """What the platform can pledge this quarter, yuan."""

    reserve: float  # the land reserve at current prices
    expected_land_revenue: float  # a year's expected land sales at current prices

    def value(self, horizon_years: float) -> float:
        return self.reserve + horizon_years * self.expected_land_revenue


def collateral(economy: Economy) -> Collateral:
    """The land reserve and a year's expected land sales, at this quarter's prices."""
    firms, zones = economy.firms, economy.zones
    price = land.industrial_price(economy)
    reserve = price * sum(zone.land_available_mu for zone in zones)
    live = firms.live()
    growth = np.maximum(economy.expectations.expected_growth[firms.sector[live]], 0.0)
    wanted = firms.weight[live] * firms.land_mu[live] * growth * (firms.sector[live] != 0)
    # developers' residential land, a year of this quarter's starts at its residual value
    residential = 4 * float(economy.housing.land_wanted_mu.sum())
    expected = float(wanted.sum()) * price + residential * housing.land_price_yuan_per_mu(economy)
    return Collateral(reserve, expected)


def borrowing_limit(economy: Economy, debt_service_limit: float) -> tuple[float, float]:
    """The most banks lend the city this quarter, and the value of the collateral it rests
    on (the reserve and ``platform.horizon_years`` of expected land sales), yuan."""
    params = economy.params.platform
    pledged = collateral(economy).value(params.horizon_years)
    return min(params.loan_to_value * pledged, debt_service_limit), pledged


def investment(economy: Economy, room: float) -> float:
    """What the platform borrows and builds this quarter out of the ``room`` left."""
    return economy.params.platform.draw_rate * max(room, 0.0)


def opening_debt(economy: Economy, quarter_gdp_yuan: float) -> float:
    """The city's debt at the start of 2010."""
    return economy.params.platform.opening_debt_to_gdp * 4 * quarter_gdp_yuan
