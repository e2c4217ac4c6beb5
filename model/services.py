"""Public services as stocks: schools, clinics and other facilities, run by staff, by the
city's running purchases and by services bought from providers, delivered where they stand.

For each zone and each residence (town or village) the city holds a stock of facilities
(yuan at 2010 prices, built from a share of its capital spending, wearing out), staffs it
with service workers and buys running inputs for it; providers under contract deliver
more. What a place receives is

    delivered = scale x facilities^theta x (staff wages + running inputs)^(1 - theta)
                + (1 + contract gain) x contracts            (yuan of 2010 a quarter)

New facilities, staff and running inputs go where people are, a village resident counting
``fiscal.rural_service_weight`` of a town resident (the 2010 pattern); equalisation places a
further share in villages. Facilities stay where they were built, so when people move to
town the villages they leave keep theirs. The urban/rural gap is the delivered services per
town resident over those per village resident. Each place's scale is set so that in 2010 it
delivers what its staff and running inputs cost (contracts were not used before the reform).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import row_split
from model.agents import household

if TYPE_CHECKING:
    from model.economy import Economy

URBAN, RURAL = 0, 1


@dataclass
class ServiceResult:
    delivered: np.ndarray  # by zone and residence (town, village), yuan of 2010 a quarter
    residents: np.ndarray  # by zone and residence
    facilities: np.ndarray  # by zone and residence, yuan of 2010
    staff: float  # service workers (real)
    contracts: float  # services bought from providers, yuan of 2010 a quarter

    @property
    def per_resident(self) -> np.ndarray:
        return self.delivered / np.maximum(self.residents, 1.0)

    @property
    def gap(self) -> float:
        """Delivered services per town resident over those per village resident."""
        town = self.delivered[:, URBAN].sum() / max(self.residents[:, URBAN].sum(), 1.0)
        village = self.delivered[:, RURAL].sum() / max(self.residents[:, RURAL].sum(), 1.0)
        return town / max(village, 1e-9)


def residents(economy: Economy) -> np.ndarray:
    """Residents by zone and residence (town, village). Households move, arrive and leave
    only before the labour market (population, the reforms' actions), so the services'
    figure holds for the rest of the quarter: public works and the records read it there."""
    households = economy.households
    # zone and residence in one small integer (zones are few): bincount widens it itself
    cell = np.empty(households.n, dtype=households.zone.dtype)
    persons = np.empty(households.n)

    def part(rows: slice) -> None:  # (row by row: model/row_split.py)
        np.multiply(households.zone[rows], 2, out=cell[rows])
        cell[rows] += ~households.urban[rows]
        np.multiply(households.weight[rows], households.size[rows], out=persons[rows])

    row_split.over_rows(households.n, part)
    return np.bincount(cell, weights=persons, minlength=2 * len(economy.zones)).reshape(-1, 2)


def allocation(economy: Economy, people: np.ndarray) -> np.ndarray:
    """Where new facilities, staff and running inputs go: by residents, a village resident
    counting ``fiscal.rural_service_weight``, plus the extra village share equalisation
    sets (taken from the towns in proportion)."""
    weighted = people * np.array([1.0, economy.params.fiscal.rural_service_weight])
    share = weighted / max(weighted.sum(), 1e-9)
    extra = economy.rules.rural_service_share
    town, village = share[:, URBAN].sum(), share[:, RURAL].sum()
    if extra > 0 and village > 0:
        moved = min(extra, town)
        share[:, URBAN] *= (town - moved) / max(town, 1e-12)
        share[:, RURAL] *= (village + moved) / village
    return share


def service_wages(economy: Economy, public_wages: float) -> float:
    """The quarter's wages of public staff who are neither administrators nor in social
    management."""
    admin_staff = sum(zone.admin_staff for zone in economy.zones)
    other_staff = admin_staff + economy.social.staff
    return max(public_wages - other_staff * economy.city.public_wage_yuan / 4, 0.0)


def staff_cost_norm(economy: Economy) -> float:
    """What the city's service posts would cost a quarter at its staffing norm per resident
    (before any are replaced by services bought from providers)."""
    admin_share = economy.params.labour.admin_share_of_public
    social_share = economy.params.social.staff_share_of_public
    posts = economy.city.target_public_per_capita * household.population(economy)
    return posts * (1 - admin_share - social_share) * economy.city.public_wage_yuan / 4


def update(
    economy: Economy, public_wages: float, people: np.ndarray | None = None
) -> ServiceResult:
    """This quarter's facilities, their staff and running inputs, and what they deliver;
    ``people``: :func:`residents`, when the schedule already has them."""
    network = economy.services
    params = economy.params
    price = economy.price_level
    wages = service_wages(economy, public_wages)
    people = residents(economy) if people is None else people
    share = allocation(economy, people)
    spending = economy.budget
    # facilities: what the city builds this quarter, less wear
    built = params.services.facility_share * spending.capital / price
    network.facilities = network.facilities * (1 - params.services.facility_depreciation / 4)
    network.facilities += built * share
    # bought from providers: what the posts no longer staffed would cost
    public_purchases = params.fiscal.public_service_share * spending.purchases
    contracts = min(economy.rules.purchase_share * staff_cost_norm(economy), public_purchases)
    running = (public_purchases - contracts) / price
    inputs = (wages / price + running) * share
    theta = params.services.facility_elasticity
    in_house = network.scale * network.facilities**theta * inputs ** (1 - theta)
    gain = economy.rules.service_efficiency
    delivered = in_house + gain * contracts / price * share
    network.delivered = delivered
    return ServiceResult(
        delivered=delivered,
        residents=people,
        facilities=network.facilities.copy(),
        staff=float(wages / max(economy.city.public_wage_yuan / 4, 1.0)),
        contracts=contracts / price,
    )


def set_up(economy: Economy, public_wages: float) -> None:
    """The 2010 network: facilities worth ``services.facilities_years_2010`` years of the
    city's public-service running costs, laid out as new ones would be; each place's scale
    set so that it delivers what its staff and running inputs cost."""
    params = economy.params
    network = economy.services
    price = economy.price_level
    people = residents(economy)
    share = allocation(economy, people)
    running = params.fiscal.public_service_share * economy.budget.purchases / price
    inputs = (service_wages(economy, public_wages) / price + running) * share
    yearly = 4 * inputs.sum()
    network.facilities = params.services.facilities_years_2010 * yearly * share
    theta = params.services.facility_elasticity
    network.scale = inputs**theta / np.maximum(network.facilities, 1e-9) ** theta
    network.delivered = inputs.copy()
