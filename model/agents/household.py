"""Households: where people live, work, earn, spend and move.

A :class:`Household` agent stands for ``weight`` real households with the same state. Its
state is one row of the :class:`HouseholdTable` (``economy.households``); the agent object
gives it an identity a user can inspect. The rules below act on all households at once and
write only the household table (and the households' own output of the quarter); what crosses
to other tables (arrivals and departures, jobs with firms, money paid to others) is done by
the systems in ``model/population.py``, ``model/markets/`` and ``model/income.py``. What a
household receives from the city and pays to it (pensions, social security, contributions,
income tax) is in ``model/agents/household_transfers.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import row_split, sampling
from model.accounts import BANKS as BANKS_SECTOR
from model.accounts import HOUSEHOLDS as HOUSEHOLDS_SECTOR

# the job codes live in model.agents.jobs (no Mesa there); systems read them from here too
from model.agents.jobs import COMMUTE_WUHAN as COMMUTE_WUHAN
from model.agents.jobs import FIRM_JOB as FIRM_JOB
from model.agents.jobs import JOB_NAMES, NO_WORKERS, OWN_BUSINESS, OWN_FARM, PUBLIC_JOB, UNEMPLOYED
from model.agents.registry import TableAgent
from model.arrays import weighted_total
from model.tables import Table

if TYPE_CHECKING:
    from model.economy import Economy


class HouseholdTable(Table):
    COMPACT = True
    COLUMNS = {
        "alive": np.bool_,
        "weight": np.float64,  # real households this agent stands for
        "zone": np.int8,
        "urban": np.bool_,  # lives in town
        "rural_hukou": np.bool_,  # registered as rural
        "collective": np.int32,  # village collective (rural registration), else -1
        "size": np.int16,  # persons
        "workers": np.int16,
        "elderly": np.int16,
        "skill": np.int8,
        "job": np.int8,
        "employer": np.int32,  # firm row, -1 if none
        "wage_yuan": np.float64,  # annual wage per worker in the current job
        "land_mu": np.float64,  # contracted farmland
        "land_out_mu": np.float64,  # of which rented out
        "homestead_mu": np.float64,
        "savings_yuan": np.float64,
        "debt_yuan": np.float64,
        "farm_tfp": np.float64,  # household-specific farming productivity
        "recruit": np.bool_,  # came through the talent programme
        # flows of the last quarter, yuan
        "inc_wages": np.float64,
        "inc_farming": np.float64,
        "inc_business": np.float64,
        "inc_property": np.float64,  # land rent, dividends, firm profits
        "inc_compensation": np.float64,
        "inc_transfers": np.float64,
        "taxes": np.float64,
        "consumption": np.float64,
        "housing_spend": np.float64,
        # this year so far: disposable income, and the quarters the household was here
        "income_year_yuan": np.float64,
        "quarters_year": np.int8,
    }


class Household(TableAgent):
    """One household agent: a row of ``economy.households``."""

    def _get(self, name: str):
        return getattr(self.model.economy.households, name)[self.row]

    @property
    def weight(self) -> float:
        return float(self._get("weight"))

    @property
    def zone(self) -> str:
        return self.model.economy.zone_names[int(self._get("zone"))]

    @property
    def urban(self) -> bool:
        return bool(self._get("urban"))

    @property
    def size(self) -> int:
        return int(self._get("size"))

    @property
    def workers(self) -> int:
        return int(self._get("workers"))

    @property
    def skill(self) -> str:
        return self.model.economy.params.skills.names[int(self._get("skill"))]

    @property
    def job(self) -> str:
        return JOB_NAMES[int(self._get("job"))]

    @property
    def employer(self):
        row = int(self._get("employer"))
        return self.model.economy.agents.firms.get(row) if row >= 0 else None

    @property
    def savings_yuan(self) -> float:
        return float(self._get("savings_yuan"))

    def income_by_source(self) -> dict[str, float]:
        """Last quarter's income of one real household of this agent, yuan."""
        return {
            name: float(self._get(f"inc_{name}"))
            for name in ("wages", "farming", "business", "property", "compensation", "transfers")
        }

    def __repr__(self) -> str:
        return (
            f"Household(row={self.row}, zone={self.zone}, urban={self.urban}, "
            f"size={self.size}, workers={self.workers}, job={self.job})"
        )


# --- what the household table says about the city -----------------------------------------


def population(economy: Economy) -> float:
    households = economy.households
    live = households.rows()
    return weighted_total(households.weight[live], households.size[live])


def real_workers(economy: Economy) -> np.ndarray:
    """Real workers of each live household row."""
    households = economy.households
    workers = np.empty(households.n)

    def part(rows: slice) -> None:  # (row by row: model/row_split.py)
        np.multiply(households.weight[rows], households.workers[rows], out=workers[rows])

    row_split.over_rows(households.n, part)
    return workers


def knowledge_share(economy: Economy) -> float:
    """Share of the labour force with knowledge skills (masters, PhDs, engineers)."""
    households = economy.households
    live = households.rows()
    workers = real_workers(economy)
    return weighted_total(workers, households.skill[live] == 2) / max(float(workers.sum()), 1.0)


def public_workers(economy: Economy) -> float:
    households = economy.households
    return weighted_total(real_workers(economy), households.job[households.rows()] == PUBLIC_JOB)


def unemployment_rate(economy: Economy) -> float:
    households = economy.households
    workers = real_workers(economy)
    unemployed = weighted_total(workers, households.job[households.rows()] == UNEMPLOYED)
    return unemployed / max(float(workers.sum()), 1e-9)


def wage_income(economy: Economy, rows) -> np.ndarray:
    """Quarterly wage income of one real household in each row."""
    households = economy.households
    return households.workers[rows] * households.wage_yuan[rows] / 4


def disposable_income(economy: Economy, rows, out: np.ndarray | None = None) -> np.ndarray:
    """Last quarter's income of one real household in each row, less its taxes (into
    ``out`` if given)."""
    households = economy.households
    # added up in place in the order the sources are listed (the same sums as writing
    # them out, without a temporary array for each)
    total = np.add(households.inc_wages[rows], households.inc_farming[rows], out=out)
    total += households.inc_business[rows]
    total += households.inc_property[rows]
    total += households.inc_compensation[rows]
    total += households.inc_transfers[rows]
    total -= households.taxes[rows]
    return total


def urban_rural_wage_gap(economy: Economy) -> float:
    """Log gap between the basic town wage and farm income per worker."""
    households = economy.households
    farm = households.where(households.col("job") == OWN_FARM)
    if len(farm) == 0:
        return 1.0
    farm_income = (households.weight[farm] * households.inc_farming[farm]).sum() * 4
    farm_workers = (households.weight[farm] * households.workers[farm]).sum()
    per_worker = farm_income / max(farm_workers, 1e-9) / economy.cpi
    town = economy.labour.skill_wage[0] / economy.cpi
    return float(np.log(max(town, 1.0) / max(per_worker, 1.0)))


# --- rules applied to all households at once ----------------------------------------------


def farm_capacity(
    land_operated_mu: np.ndarray,
    workers: np.ndarray,
    job: np.ndarray,
    urban: np.ndarray,
    labour_elasticity: float,
    part_time: float,
) -> np.ndarray:
    """Farm output before productivity.

    Full-time farmers work their plots with all their workers; villagers with another job
    farm their plots part-time at ``part_time`` of the output; households living in town
    leave plots they have not rented out idle.
    """
    land = np.maximum(land_operated_mu, 0.0)
    farming = land > 0
    full = farming & (job == OWN_FARM)
    out = np.zeros(len(land))
    rows = np.flatnonzero(full)
    farm_workers = np.maximum(workers[rows], 1)
    if np.issubdtype(farm_workers.dtype, np.integer):
        # head counts are a few whole numbers: their powers are looked up (the same
        # values), not raised again for every farm
        powers = np.arange(int(farm_workers.max(initial=1)) + 1) ** labour_elasticity
        workers_power = powers.take(farm_workers)
    else:
        workers_power = farm_workers**labour_elasticity
    out[rows] = land[rows] ** (1 - labour_elasticity) * workers_power
    rows = np.flatnonzero(farming & ~full & ~urban)
    out[rows] = part_time * land[rows] ** (1 - labour_elasticity)
    return out


@dataclass
class Demography:
    """The quarter's births and deaths (real persons), and the households left with nobody."""

    births: float
    deaths: float
    ended: np.ndarray  # rows of households whose last member died


def demography(economy: Economy) -> Demography:
    """Births, deaths, young people starting work and workers retiring, for one quarter."""
    households, params = economy.households, economy.params
    live = households.rows()
    events = sampling.household_events(
        economy.rng,
        households.size[live],
        households.workers[live],
        households.elderly[live],
        birth_rate=params.migration.birth_rate / 4,
        death_rate=params.migration.death_rate / 4,
        retire_rate=params.labour.retire_rate,
        entry_rate=1 / (4 * params.households.working_age_entry_years),
    )
    rows = events.rows  # the households something happened to (row numbers: live is 0..n-1)
    new_size = households.size[rows] + events.births - events.deaths
    new_workers = households.workers[rows] - events.d_work - events.retire + events.enter
    households.size[rows] = new_size
    households.workers[rows] = new_workers
    households.elderly[rows] = households.elderly[rows] - events.d_old + events.retire
    # households left without workers give up their jobs; those with new workers look for one
    job = households.job[rows]
    none_left = new_workers == 0
    idle = rows[none_left & (job != NO_WORKERS)]
    seek = rows[~none_left & (job == NO_WORKERS)]
    households.job[idle] = NO_WORKERS
    households.employer[idle] = -1
    households.job[seek] = UNEMPLOYED
    weight = households.weight[rows]
    return Demography(
        births=weighted_total(weight, events.births),
        deaths=weighted_total(weight, events.deaths),
        ended=rows[new_size <= 0],
    )


# rural registration and workers of the four kinds of rural residents (``move_to_town``)
_MOVER_KINDS = ((0, 0), (0, 1), (1, 0), (1, 1))


def move_to_town(economy: Economy) -> float:
    """Rural-resident households decide to move to town; returns real households moved."""
    households, rng, migration = economy.households, economy.rng, economy.params.migration
    rural = households.where(~households.col("urban"))
    if len(rural) == 0:
        return 0.0
    gap = urban_rural_wage_gap(economy)
    # the chance to move depends on a household's registration and on whether it has
    # workers: formed as for every row, for the four kinds (town or rural registration,
    # without or with workers), and looked up for each row (four numbers: worked out one by
    # one, each as it would be in an array)
    pull = np.exp(migration.rural_urban_gap_elasticity * (gap - economy.labour.wage_gap_2010))
    # a rural registrant pays rent in town, which follows house prices (dearer dwellings
    # keep movers away); housing security pays part of it, which adds to the town wage what
    # a mover keeps (the same elasticity as the wage gap)
    support = economy.rules.housing_support
    rent = economy.params.security.town_rent_share
    index = economy.housing.price_index
    pulls = (pull, pull)  # (town registrants, rural registrants)
    if support > 0 or index != 1.0:
        paid = min(rent * index * (1 - support), 0.9)
        kept = np.log((1 - paid) / (1 - rent))
        pulls = (pull, pull * np.exp(migration.rural_urban_gap_elasticity * kept))
    # the base rate holds at the 2010 barrier; a lower barrier raises it
    barriers = (0.0, economy.rules.hukou_barrier)
    # young working households move more readily than the elderly
    factors = (migration.elderly_move_factor, migration.worker_move_factor)
    prob = np.array(
        [
            migration.rural_urban_base
            * pulls[rural_hukou]
            * (1 - barriers[rural_hukou])
            / (1 - migration.hukou_barrier)
            * factors[has_workers]
            for rural_hukou, has_workers in _MOVER_KINDS
        ]
    )
    # (``np.clip`` to the sign of a zero, which the draw below does not see)
    prob = np.minimum(np.maximum(prob, 0), migration.max_move_rate)
    kind = households.rural_hukou[rural].view(np.int8) * 2
    kind += households.workers[rural] > 0
    movers = np.compress(rng.random(len(rural)) < prob.take(kind), rural)
    households.urban[movers] = True
    # farmers who move stop farming full time and look for a job
    farmer = movers[households.job[movers] == OWN_FARM]
    households.job[farmer] = UNEMPLOYED
    # some move to the main city
    relocate = movers[rng.random(len(movers)) < migration.main_city_share]
    households.zone[relocate] = 0
    if len(movers):
        give_up_business_after_move(economy, relocate)
    return float(households.weight[movers].sum())


def homestead_exit_gain(
    economy: Economy, rows: np.ndarray, compensation_yuan_per_mu: float, spread: np.ndarray
) -> np.ndarray:
    """What giving up its homestead (and with it its rural registration) is worth to one
    real household of each row, yuan: the compensation offered, and over the years ahead what
    a town registration brings its members (schooling, insurance and housing in town); against
    what its village house is worth to it, times its own valuation (``spread``, around 1).

    Only households living in town weigh it (those moving to town this quarter included):
    whether to leave the village is their own choice of where to live and work
    (:func:`move_to_town`), which compares town jobs and housing with farming."""
    households, choice = economy.households, economy.params.households
    cpi = economy.cpi
    homestead = households.homestead_mu[rows]
    compensation = homestead * compensation_yuan_per_mu * cpi
    house = homestead * choice.rural_house_value_yuan_per_mu * cpi * choice.absent_house_value_share
    registration = choice.town_registration_benefit_yuan * households.size[rows] * cpi
    return compensation + choice.decision_years * registration - house * spread


def give_up_business_after_move(economy: Economy, rows: np.ndarray) -> None:
    """Households that moved zone keep firm jobs (they commute within the city) but give
    up an own business, which served their old neighbourhood."""
    households = economy.households
    households.job[rows[households.job[rows] == OWN_BUSINESS]] = UNEMPLOYED


def plan_consumption(economy: Economy) -> np.ndarray:
    """Each household sets this quarter's consumption from last quarter's income and savings.
    Returns that disposable income of each live row (the housing market reads it too)."""
    households, params = economy.households, economy.params
    # rural registrants save against illness; insurance that covers more of it frees part
    # of that saving
    security = params.security
    cover_gain = (economy.rules.medical_reimbursement - security.medical_reimbursement_2010) / (
        1 - security.medical_reimbursement_2010
    )
    # the propensity by registration (town, rural): two values, looked up for every row
    mpc_by_registration = params.households.consumption_mpc + (
        security.precautionary_mpc * cover_gain * np.array([0.0, 1.0])
    )
    all_disposable = np.empty(households.n)

    def part(rows: slice) -> None:  # (row by row: model/row_split.py)
        savings = households.savings_yuan[rows]
        disposable = disposable_income(economy, rows, out=all_disposable[rows])
        spendable = np.maximum(disposable, 0)
        # (in place from here: each array operation is a pass over the rows; ``scratch``
        # holds one term after another)
        want = mpc_by_registration.take(households.rural_hukou[rows].view(np.int8))
        want *= spendable
        scratch = np.multiply(params.households.consumption_wealth, savings)
        want += scratch
        floor = np.multiply(params.households.subsistence_yuan, households.size[rows], out=scratch)
        floor *= economy.cpi
        np.maximum(want, floor, out=want)
        np.minimum(want, np.add(savings, spendable, out=scratch), out=want)
        consumption = np.maximum(want, 0.0, out=want)
        households.consumption[rows] = consumption
        # urban households put part of their income into housing (down payments)
        housing = np.multiply(spendable, households.urban[rows], out=spendable)
        housing *= params.housing.income_share
        left = savings + disposable
        left -= consumption
        np.minimum(housing, np.maximum(left, 0, out=left), out=households.housing_spend[rows])

    row_split.over_rows(households.n, part)
    return all_disposable


def produce(economy: Economy) -> None:
    """Real output of household farms and own businesses this quarter."""
    households, params = economy.households, economy.params
    productivity = economy.productivity
    output = economy.household_output
    live = households.rows()
    land_operated = households.land_mu[live] - households.land_out_mu[live]
    raw = farm_capacity(
        land_operated,
        households.workers[live],
        households.job[live],
        households.urban[live],
        params.households.farm_labour_elasticity,
        params.households.part_time_farming,
    )
    # (scalar factors grouped first, and products formed in place: each array operation
    # is a pass over the city; the live rows are all ``n`` rows)
    raw *= households.farm_tfp[live]
    raw *= productivity.farm_scale * productivity.farm_index / 4
    output.farm = raw
    per_worker = (
        productivity.business_level * productivity.business_scale * productivity.household_index / 4
    )
    output.business = households.workers[live] * (households.job[live] == OWN_BUSINESS) * per_worker


def settle(economy: Economy, interest_due: np.ndarray) -> np.ndarray:
    """Savings absorb income less taxes, consumption, housing and interest (``interest_due``
    per household row); debts are repaid first. A household that has spent more than it
    holds borrows the difference, as far as the bank lends it (``households.overdraft_quarters``
    of its disposable income, and its land rights where land mortgages are allowed); the rest
    is a default the bank writes off. Returns each row's disposable income."""
    households = economy.households
    live = households.rows()
    n = households.n
    disposable, savings, borrow = np.empty(n), np.empty(n), np.empty(n)

    def flows(rows: slice) -> None:  # (row by row: model/row_split.py)
        income = disposable_income(economy, rows, out=disposable[rows])
        flow = np.subtract(income, households.consumption[rows], out=savings[rows])
        flow -= households.housing_spend[rows]
        flow -= interest_due[rows]
        # (the flow's array takes the savings: a + b and b + a are the same sum)
        np.add(flow, households.savings_yuan[rows], out=flow)
        np.maximum(np.negative(flow, out=borrow[rows]), 0.0, out=borrow[rows])

    row_split.over_rows(n, flows)
    debt = households.debt_yuan[live]
    short = np.flatnonzero(borrow > 0)
    if len(short):
        params = economy.params
        limit = params.households.overdraft_quarters * np.maximum(disposable[short], 0.0)
        if economy.rules.land_mortgage_ltv > 0:
            land_value = (
                households.land_mu[short] * params.land.farmland_value_yuan_per_mu * economy.cpi
            )
            limit += economy.rules.land_mortgage_ltv * land_value
        granted = np.minimum(borrow[short], np.maximum(limit - debt[short], 0.0))
        unpaid = float(np.sum(households.weight[short] * (borrow[short] - granted)))
        economy.ledger.revalue(HOUSEHOLDS_SECTOR, unpaid, "household_loans_written_off")
        economy.ledger.revalue(BANKS_SECTOR, -unpaid, "household_loans_written_off")
        economy.flows.household_write_offs += unpaid
        economy.flows.household_borrowing += float(np.sum(households.weight[short] * granted))
        debt = debt.copy()
        debt[short] += granted
    share = economy.params.households.debt_repayment_share

    def repay_debts(rows: slice) -> None:  # (row by row)
        held = savings[rows]
        held += borrow[rows]
        repay = share * held
        np.minimum(debt[rows], repay, out=repay)
        np.subtract(held, repay, out=households.savings_yuan[rows])
        np.subtract(debt[rows], repay, out=households.debt_yuan[rows])

    row_split.over_rows(n, repay_debts)
    households.income_year_yuan[live] += disposable
    households.quarters_year[live] += 1
    return disposable
