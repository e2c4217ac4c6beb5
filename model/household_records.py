"""The quarter's sums over households: incomes by zone and residence, workers by job, skill
and employer's sector, the rural survey's income sources, registered unemployment, debt and
savings.

They read only the live households' columns gathered in :class:`HouseholdColumns`. In a
large run the columns are copies and the sums are made on a second core while the next
quarters go on (``model/background.py``); otherwise they are views and the sums are made at
once. Either way the same calls make them in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.agents.household import JOB_NAMES, OWN_FARM, UNEMPLOYED
from model.arrays import weighted_total

if TYPE_CHECKING:
    from model.economy import Economy

# the columns the sums read (views of the live rows, or copies of them)
COLUMNS = (
    "weight",
    "zone",
    "urban",
    "rural_hukou",
    "workers",
    "job",
    "skill",
    "inc_wages",
    "inc_farming",
    "inc_business",
    "inc_property",
    "inc_compensation",
    "inc_transfers",
    "taxes",
    "debt_yuan",
    "savings_yuan",
)
# the row's keys filled from the sums of rural incomes and of registered unemployment
RURAL_SOURCE_KEYS = (
    "rural_wages_yuan",
    "rural_operations_yuan",
    "rural_property_yuan",
    "rural_transfers_yuan",
    "rural_taxes_yuan",
)
REGISTERED_KEYS = ("registered_unemployed", "registered_labour_force")


@dataclass(slots=True)
class HouseholdColumns:
    """The live households' columns the sums read (``COLUMNS``, by name), and two of the
    quarter's results per live row: disposable income of one real household, and the sector
    of the household's employer (``n_sectors`` without a firm job)."""

    columns: dict[str, np.ndarray]
    disposable: np.ndarray
    employer_sector: np.ndarray
    n_zones: int
    n_sectors: int
    registration_share: float  # labour.unemployed_registration_share


def household_columns(
    economy: Economy, disposable: np.ndarray, employer_bin: np.ndarray, copy: bool
) -> HouseholdColumns:
    """What the sums read now: views of the live rows, or (``copy``) copies that the next
    quarters' changes to the table do not reach. ``employer_bin``: each live row's employer
    row plus one (0: no firm job)."""
    firms = economy.firms
    columns = economy.households.live_columns(COLUMNS, copy)
    if copy:
        disposable = disposable.copy()
    n_sectors = len(economy.sectors.names)
    # sector by employer + 1; households without a firm job count under n_sectors
    sector_of = np.concatenate(([n_sectors], firms.sector[: firms.n]))
    return HouseholdColumns(
        columns,
        disposable,
        sector_of.take(employer_bin),
        len(economy.zones),
        n_sectors,
        economy.params.labour.unemployed_registration_share,
    )


@dataclass(slots=True)
class HouseholdSums:
    """The quarter's household sums, real households and yuan of the quarter."""

    households: float  # real households
    disposable_zu: np.ndarray  # disposable income by zone and residence (rural, urban)
    mixed_by_zone: np.ndarray  # household operations' income (farming and own business)
    by_job: np.ndarray  # real workers by job (``JOB_NAMES``)
    knowledge_workers: float  # real workers of the highest skill
    by_sector: np.ndarray  # real workers by employer's sector; the last: no firm job
    debt_yuan: float
    savings_yuan: float
    rural_sources: dict[str, float]  # rural residents' incomes by the survey's sources
    registered: dict[str, float]  # registered unemployment and its labour force
    farming_yuan: float  # farm income of the households that farm
    business_yuan: float  # own businesses' income


def household_sums(houses: HouseholdColumns) -> HouseholdSums:
    """The sums, from the gathered columns alone (nothing here reads the economy)."""
    c = houses.columns
    weight, zone, job = c["weight"], c["zone"], c["job"]
    n_zones = houses.n_zones
    disposable = houses.disposable * weight
    real_workers = weight * c["workers"]
    # zone and residence in one small integer (zones are few): bincount widens it itself
    zone_urban = zone * 2
    zone_urban += c["urban"]
    disposable_zu = np.bincount(zone_urban, weights=disposable, minlength=2 * n_zones).reshape(
        n_zones, 2
    )
    operations = c["inc_farming"] + c["inc_business"]
    # (the weighted incomes' array, summed above, takes the weighted operations)
    weighted_operations = np.multiply(weight, operations, out=disposable)
    mixed_by_zone = np.bincount(zone, weights=weighted_operations, minlength=n_zones)
    by_job = np.bincount(job, weights=real_workers, minlength=len(JOB_NAMES))
    knowledge = float(np.bincount(c["skill"], weights=real_workers, minlength=3)[2])
    by_sector = np.bincount(
        houses.employer_sector, weights=real_workers, minlength=houses.n_sectors + 1
    )
    return HouseholdSums(
        households=float(weight.sum()),
        disposable_zu=disposable_zu,
        mixed_by_zone=mixed_by_zone,
        by_job=by_job,
        knowledge_workers=knowledge,
        by_sector=by_sector,
        debt_yuan=weighted_total(weight, c["debt_yuan"]),
        savings_yuan=weighted_total(weight, c["savings_yuan"]),
        rural_sources=rural_income_sources(c, operations),
        registered=registered_unemployment(
            job, c["rural_hukou"], real_workers, houses.registration_share
        ),
        farming_yuan=weighted_total(weight, c["inc_farming"] * (job == OWN_FARM)),
        business_yuan=weighted_total(weight, c["inc_business"]),
    )


def rural_income_sources(columns: dict[str, np.ndarray], operations: np.ndarray) -> dict:
    """Rural residents' income of the quarter by the survey's sources, yuan: wages, household
    operations (farming and own business: ``operations`` per household), property (land
    rent, dividends, interest, and requisition compensation), transfers; and the taxes and
    contributions they paid."""
    rural = columns["weight"] * ~columns["urban"]
    return {
        "rural_wages_yuan": weighted_total(rural, columns["inc_wages"]),
        "rural_operations_yuan": weighted_total(rural, operations),
        "rural_property_yuan": weighted_total(
            rural, columns["inc_property"] + columns["inc_compensation"]
        ),
        "rural_transfers_yuan": weighted_total(rural, columns["inc_transfers"]),
        "rural_taxes_yuan": weighted_total(rural, columns["taxes"]),
    }


def registered_unemployment(
    job: np.ndarray, rural_hukou: np.ndarray, real_workers: np.ndarray, share: float
) -> dict:
    """Unemployment as the statistics office counts it: town registrants without a job who
    register (``share`` of them: ``labour.unemployed_registration_share``), and the
    town-registered labour force they are counted against (the employed and the registered
    unemployed; the jobless who do not register are outside it). Real workers; each argument
    over the same households."""
    town_registered = real_workers * ~rural_hukou
    jobless = job == UNEMPLOYED
    registered = share * weighted_total(town_registered, jobless)
    employed = weighted_total(town_registered, ~jobless)
    return {
        "registered_unemployed": registered,
        "registered_labour_force": employed + registered,
    }
