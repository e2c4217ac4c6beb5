"""The checks run after every quarter when a model is built with ``check_invariants``:
people, land and money are conserved, GDP by production equals GDP by income, no stock is
negative or NaN, and the household and firm tables agree with each other.

A failed check raises :class:`model.accounts.InvariantError`: a bug in the model, never a
user's mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import accounts, banking
from model.accounts import (
    BANKS,
    COLLECTIVES,
    FIRMS,
    GOVERNMENT,
    HOUSEHOLDS,
    REST_OF_WORLD,
    SECTOR_NAMES,
    InvariantError,
)
from model.agents import household
from model.agents.household import FIRM_JOB, NO_WORKERS
from model.calibration.synth import MU_PER_KM2

if TYPE_CHECKING:
    from model.economy import Economy
    from model.population import PopulationResult

CHECKED_SECTORS = (HOUSEHOLDS, FIRMS, GOVERNMENT, COLLECTIVES, BANKS, REST_OF_WORLD)


@dataclass
class Opening:
    """The stocks at the start of a quarter that the checks compare with its end."""

    net_worth: np.ndarray  # by institutional sector
    population: float


def net_worth(economy: Economy) -> np.ndarray:
    """Financial net worth of each institutional sector, from its own stocks: money held
    less debts owed; the banks' loans and claims on the rest of the world less deposits;
    the rest of the world's claims on the city."""
    households, firms, villages = economy.households, economy.firms, economy.villages
    live, live_firms = households.rows(), firms.live()
    worth = np.zeros(6)
    worth[HOUSEHOLDS] = float(
        np.sum(
            households.weight[live] * (households.savings_yuan[live] - households.debt_yuan[live])
        )
    )
    worth[FIRMS] = float(
        np.sum(
            firms.weight[live_firms] * (firms.cash_yuan[live_firms] - firms.debt_yuan[live_firms])
        )
    )
    worth[GOVERNMENT] = economy.city.net_worth_yuan
    worth[COLLECTIVES] = float(villages.cash_yuan[: villages.n].sum())
    worth[BANKS] = banking.balance_sheet(economy).equity
    worth[REST_OF_WORLD] = economy.rest_of_world.net_worth_yuan
    return worth


def opening(economy: Economy) -> Opening:
    return Opening(net_worth(economy), household.population(economy))


def check(
    economy: Economy, start: Opening, people: PopulationResult, row: dict[str, float]
) -> None:
    """Conservation of people, land and money; no NaN; no negative stock."""
    flows = economy.flows
    population = household.population(economy)
    expected = start.population + people.births - people.deaths + flows.persons_in
    expected -= flows.persons_out
    if abs(population - expected) > 1e-6 * max(population, 1.0):
        raise InvariantError(f"people not conserved: {population} vs {expected}")
    for zone in economy.zones:
        total = sum(zone.land_mu.values())
        area = economy.params.zones.area_km2[zone.index] * MU_PER_KM2
        if abs(total - area) > 1e-6 * area:
            raise InvariantError(f"land of {zone.name} sums to {total}, not {area}")
        if min(zone.land_mu.values()) < 0 or zone.land_available_mu < -1e-6:
            raise InvariantError(f"negative land in {zone.name}")
    worth = net_worth(economy)
    accounts.check_stock_flow(start.net_worth, worth, economy.ledger, CHECKED_SECTORS)
    # every claim has a counterpart: the sectors' net worths sum to zero
    if abs(worth.sum()) > 1e-7 * np.abs(worth).sum():
        parts = ", ".join(
            f"{name} {value:.6g}" for name, value in zip(SECTOR_NAMES, worth, strict=True)
        )
        raise InvariantError(f"the sectors' net worths do not sum to zero: {parts}")
    if abs(worth[BANKS] - economy.bank.equity_yuan) > 1e-7 * max(economy.bank.equity_yuan, 1.0):
        raise InvariantError("banks: equity moved although they pay out what they earn")
    if abs(row["gdp_yuan"] - row["gdp_income_yuan"]) > 1e-6 * row["gdp_yuan"]:
        raise InvariantError(
            f"GDP by production {row['gdp_yuan']} != by income {row['gdp_income_yuan']}"
        )
    if abs(row["gdp_yuan"] - row["sales_paid_yuan"]) > 1e-6 * row["gdp_yuan"]:
        raise InvariantError("goods market: sales do not equal what buyers paid")
    households, firms = economy.households, economy.firms
    live, live_firms = households.rows(), firms.live()
    for name in ("savings_yuan", "debt_yuan", "land_mu", "land_out_mu", "size", "workers"):
        accounts.check_finite_nonnegative(f"households.{name}", getattr(households, name)[live])
    for name in ("capital_yuan", "cash_yuan", "debt_yuan", "land_mu", "supply", "tfp"):
        accounts.check_finite_nonnegative(f"firms.{name}", getattr(firms, name)[live_firms])
    # a household has a job code other than "none" exactly when it has workers (demography
    # only revisits the households it touches)
    if np.any((households.workers[live] == 0) != (households.job[live] == NO_WORKERS)):
        raise InvariantError("households: workers and the no-workers job code disagree")
    # a household has an employer exactly when it works for a firm, and that firm exists
    employed = households.job[live] == FIRM_JOB
    employer = households.employer[live]
    if np.any(employed != (employer >= 0)):
        raise InvariantError("households: employer set without a firm job, or the reverse")
    if np.any(~firms.alive[employer[employed]]):
        raise InvariantError("households: employed by a firm that has closed")
    for key, value in row.items():
        if isinstance(value, float) and not np.isfinite(value):
            raise InvariantError(f"record {key} is not finite")
