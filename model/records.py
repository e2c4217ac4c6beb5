"""What is recorded each quarter: one row for the city and one per zone, built from the
phases' typed results and the state they left.

Every figure is in real-world units (agents weighted by the real households or firms they
stand for); money in nominal yuan of the quarter unless the name says ``real``.
``model/indicators.py`` turns the rows into the annual, quarterly and zone tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from model import growth_records
from model.accounts import GOVERNMENT
from model.agents import firm
from model.agents.household import (
    COMMUTE_WUHAN,
    FIRM_JOB,
    OWN_BUSINESS,
    OWN_FARM,
    PUBLIC_JOB,
    UNEMPLOYED,
)
from model.arrays import normal_cdf
from model.household_records import (
    REGISTERED_KEYS,
    RURAL_SOURCE_KEYS,
    HouseholdColumns,
    household_columns,
    household_sums,
)
from model.markets import housing
from model.markets.credit import ABOVE_SCALE_SALES_YUAN

if TYPE_CHECKING:
    from model.approvals import ApprovalResult
    from model.banking import BankResult
    from model.economy import Economy
    from model.environment import EnvironmentResult
    from model.fiscal import Settlement
    from model.income import IncomeResult
    from model.infrastructure import WorksResult
    from model.markets.credit import CreditResult
    from model.markets.goods import GoodsResult
    from model.markets.labour import LabourResult
    from model.markets.land import LandResult
    from model.population import PopulationResult
    from model.services import ServiceResult
    from model.turnover import TurnoverResult

# the row's workers by job: its key, the job's number
JOB_KEYS = (
    "unemployed",
    "firm_workers",
    "public_workers",
    "farm_workers",
    "commuters",
    "business_workers",
)
JOBS = (UNEMPLOYED, FIRM_JOB, PUBLIC_JOB, OWN_FARM, COMMUTE_WUHAN, OWN_BUSINESS)

# what reforms do, counted each quarter (zero when a reform is off)
REFORM_COUNTS = (
    "audits",
    "basin_closures",
    "eco_compensation_yuan",
    "standard_capacity_lost_yuan",
    "recruits",
    "talent_firms",
    "trained",
    "returnees",
    "fund_invested_yuan",
    "fund_new_firms",
    "homestead_exits",
    "collective_land_leased_mu",
    "rural_infrastructure_yuan",
    "port_investment_yuan",
)


@dataclass
class QuarterResults:
    """What the quarter's phases returned, in the order they ran."""

    population: PopulationResult
    approvals: ApprovalResult
    turnover: TurnoverResult
    reform_counts: dict[str, float]
    labour: LabourResult
    credit: CreditResult
    goods: GoodsResult
    incomes: IncomeResult
    land: LandResult
    village_dividends: float
    city: Settlement
    disposable: np.ndarray  # disposable income of one real household in each live row
    banks: BankResult
    services: ServiceResult
    works: WorksResult
    environment: EnvironmentResult


def firms_above_scale(economy: Economy, weight: np.ndarray, sales: np.ndarray) -> float:
    """Real firms with sales over the threshold so far this year.

    An agent stands for ``weight`` firms whose sales spread around the agent's with
    log-sd ``sigma * sqrt(1 - 1/weight)``: none for a single firm, so the count is the
    plain one at scale 1 and a smooth, unbiased one when agents stand for many firms.
    """
    spread = economy.params.calibration.within_agent_sales_sd * np.sqrt(
        np.maximum(1 - 1 / weight, 0.0)
    )
    z = np.log(np.maximum(sales, 1.0) / ABOVE_SCALE_SALES_YUAN)
    # the normal curve (one erf call per value) only for the agents with a spread: at scale
    # 1 there are none
    share = (z >= 0).astype(float)
    spread_out = spread > 0
    if spread_out.any():
        share[spread_out] = normal_cdf(z[spread_out] / np.maximum(spread[spread_out], 1e-12))
    return float(np.sum(weight * share))


@dataclass(slots=True)
class PendingRows:
    """A quarter's rows with every figure but those made from the household sums (their keys
    hold ``None`` in their places), and what :func:`finish` needs to fill them in."""

    row: dict[str, Any]
    zone_rows: list[dict[str, Any]]
    households: HouseholdColumns
    income_less_mixed: float  # GDP by income less the households' mixed income
    firm_labour: float  # the firms' hired labour's part of value added (growth_records)
    farm_labour_elasticity: float  # households.farm_labour_elasticity
    public_wages: float
    gdp: float
    industry: np.ndarray  # the industrial sectors' numbers
    zone_firm_va: np.ndarray | None  # the zones' firms' value added (with zone rows)
    zone_government_va: np.ndarray | None  # the government's value added by zone


def start(economy: Economy, results: QuarterResults, zones: bool, copy: bool) -> PendingRows:
    """The city's row of the quarter and the zones' rows (none unless ``zones``) but for the
    sums over households, and the households' columns those are made from: views, or
    (``copy``) copies, which the next quarters may run beside. :func:`finish` completes
    them."""
    params, firms = economy.params, economy.firms
    flows, incomes, land, nature = economy.flows, results.incomes, results.land, results.environment
    budget, sectors = economy.budget, economy.sectors
    t = economy.clock.t
    price_level = economy.price_level
    live_firms = firms.live()
    revenue = results.goods.revenue
    government_va = incomes.public_wages
    gdp = float(revenue.sum()) + government_va
    kind = sectors.kind
    employer_bin = results.labour.employer_bin
    houses = household_columns(economy, results.disposable, employer_bin, copy)
    # persons by zone and residence (rural, urban): the services' residents (town, village)
    # of the quarter
    persons_zu = results.services.residents[:, ::-1]
    population_by_zone = persons_zu.sum(axis=1)
    urban_persons = float(persons_zu[:, 1].sum())
    rural_persons = float(persons_zu[:, 0].sum())
    # GDP by income: compensation + taxes on production + operating surplus + mixed income
    # (the households' mixed income is added by ``finish``)
    income_less_mixed = (
        incomes.firm_wages
        + incomes.public_wages
        + incomes.va_tax
        + incomes.other_tax
        + incomes.firm_gross_surplus
    )
    sales_so_far = firms.sales_year[live_firms]
    industry_firm = sectors.in_group(firms.sector[live_firms], sectors.industry)
    above = firms_above_scale(
        economy, firms.weight[live_firms][industry_firm], sales_so_far[industry_firm]
    )
    approval = float(
        np.sum(population_by_zone * [zone.approval_days for zone in economy.zones])
        / population_by_zone.sum()
    )
    spending_total = (
        incomes.public_wages
        + incomes.pensions
        + incomes.security
        + budget.purchases
        + budget.capital
        + flows.reform_investment[GOVERNMENT]
        + flows.reform_spending
        + flows.startup_grants
        + land.compensation
    )
    # what administration costs: its staff's wages and the offices' running costs
    admin_staff = sum(zone.admin_staff for zone in economy.zones)
    admin_wages = admin_staff * economy.city.public_wage_yuan / 4
    offices = admin_staff * economy.city.office_cost_per_staff_yuan * economy.cpi
    admin = admin_wages + offices
    service_wages = max(incomes.public_wages - admin_wages, 0.0)
    service = (
        service_wages
        + incomes.pensions
        + incomes.security
        + params.fiscal.public_service_share * budget.purchases
    )
    # services delivered (2010 yuan) by the facilities, staff, inputs and contracts where
    # people live (model/services.py)
    delivered = results.services.delivered
    provision = float(delivered.sum())
    damage = (
        nature.emissions * params.environment.damage_yuan_per_emission
        + params.environment.lake_damage_bn_per_class * 1e9 / 4 * max(nature.lake_quality - 1, 0)
    ) * price_level
    row = {
        "t": t,
        "year": int(economy.world.years[t]),
        "quarter": t % 4 + 1,
        "population": float(population_by_zone.sum()),
        "households": None,
        "urban_population": urban_persons,
        "gdp_yuan": gdp,
        "gdp_income_yuan": None,
        "gdp_real_yuan": gdp / price_level,
        "sales_paid_yuan": results.goods.sales_paid + government_va,
        "primary_yuan": float(revenue[kind == "primary"].sum()),
        "secondary_yuan": float(revenue[(kind == "industry") | (kind == "construction")].sum()),
        "industry_yuan": float(revenue[kind == "industry"].sum()),
        "tertiary_yuan": float(revenue[kind == "tertiary"].sum()) + government_va,
        "hightech_yuan": float(revenue[sectors.hightech]),
        "local_revenue_yuan": incomes.local_revenue,
        "local_profit_tax_yuan": incomes.local_profit_tax,
        "total_tax_yuan": incomes.total_tax,
        "va_tax_yuan": incomes.va_tax,
        "local_va_tax_yuan": incomes.local_va_tax,
        "profit_tax_yuan": incomes.profit_tax,
        "public_service_yuan": service,
        "public_service_provision_real_yuan": provision,
        "urban_service_delivered_real_yuan": float(delivered[:, 0].sum()),
        "rural_service_delivered_real_yuan": float(delivered[:, 1].sum()),
        "rural_public_service_yuan": float(delivered[:, 1].sum()) * price_level,
        "service_facilities_real_yuan": float(results.services.facilities.sum()),
        "public_capital_real_yuan": results.works.stock,
        "public_works_real_yuan": results.works.built,
        "service_contracts_real_yuan": results.services.contracts,
        "gov_spending_yuan": spending_total,
        "gov_current_spending_yuan": (
            incomes.public_wages + incomes.pensions + incomes.security + budget.purchases
        ),
        "pensions_yuan": incomes.pensions,
        "social_security_yuan": incomes.security,
        "admin_spending_yuan": admin,
        "fai_yuan": results.goods.investment,
        "firm_investment_yuan": results.credit.firm_investment_yuan,
        "urban_disposable_yuan": None,
        "rural_disposable_yuan": None,
        "urban_persons": urban_persons,
        "rural_persons": rural_persons,
        "labour_force": None,
        **dict.fromkeys(JOB_KEYS),
        "knowledge_workers": None,
        "firms": firm.real_firms(economy),
        "entrants": results.turnover.entrants + flows.extra_entrants,
        "exits": results.turnover.exits + flows.extra_exits,
        "above_scale_firms": above,
        "approval_days": approval,
        "applications": float(results.approvals.applications.sum()),
        "approval_backlog": float(results.approvals.backlog.sum()),
        "admin_staff": admin_staff,
        "energy_tce": nature.energy_tce,
        "emissions": nature.emissions,
        "lake_load_t": nature.lake_load_t,
        "lake_quality": nature.lake_quality,
        "green_gdp_yuan": gdp - damage,
        "price_level": price_level,
        # China's real output since 2010 (the scenario's national growth; 2010 mean = 1):
        # the moving reference of the per-capita goals
        "national_real_index": float(economy.world.national_demand[t]),
        "cpi": economy.cpi,
        "births": results.population.births,
        "deaths": results.population.deaths,
        "in_persons": flows.persons_in,
        "out_persons": flows.persons_out,
        "moved_to_town": results.population.moved_to_town,
        "requisitioned_mu": land.requisitioned_mu,
        "compensation_yuan": land.compensation,
        "transferred_mu": land.transferred_mu,
        "farmland_rent_yuan": incomes.farmland_rent,
        "village_dividends_yuan": results.village_dividends,
        "land_sales_yuan": land.land_sales,
        "gov_debt_yuan": economy.city.debt_yuan,
        "gov_deposits_yuan": economy.city.deposits_yuan,
        "city_receipts_yuan": results.city.receipts,
        "city_interest_yuan": results.city.interest,
        "city_deposit_interest_yuan": results.city.deposit_interest,
        "platform_investment_yuan": budget.platform,
        "city_borrowing_room_yuan": budget.borrowing_room,
        "city_borrowing_limit_yuan": budget.borrowing_limit,
        "platform_collateral_yuan": budget.collateral,
        "residential_land_price_yuan_per_mu": housing.land_price_yuan_per_mu(economy),
        "residential_land_sales_yuan": economy.housing.land_sales_yuan,
        "residential_land_sold_mu": economy.housing.land_sold_mu,
        "housing_stock_m2": economy.housing.stock_m2,
        "housing_wanted_m2": economy.housing.wanted_m2,
        "housing_starts_m2": float(economy.housing.pipeline_m2[-1]),
        "housing_investment_yuan": economy.housing.investment_yuan,
        "housing_price_yuan_per_m2": housing.price_yuan_per_m2(economy),
        "firm_interest_yuan": incomes.interest,
        "firm_deposit_interest_yuan": incomes.firm_deposit_interest,
        "household_interest_yuan": incomes.household_interest,
        "firm_defaults": results.turnover.defaults,
        "firm_loans_written_off_yuan": results.turnover.written_off,
        "household_loans_written_off_yuan": flows.household_write_offs,
        "household_debt_yuan": None,
        "household_new_loans_yuan": flows.household_borrowing,
        "household_business_loans_yuan": flows.business_loans,
        "business_start_investment_yuan": flows.business_starts,
        "startup_grants_yuan": flows.startup_grants,
        "disputes_contested_mu": land.disputes.contested_mu,
        "disputes_settled_mu": land.disputes.settled_mu,
        "disputes_waiting_mu": land.disputes.waiting_mu,
        "dispute_days": land.disputes.dispute_days,
        "social_staff": land.disputes.staff,
        "port_capacity_mt": results.goods.port.capacity_mt,
        "port_cargo_mt": results.goods.port.cargo_mt,
        "port_handled_share": results.goods.port.handled_share,
        "freight_cost_index": results.goods.port.freight_index,
        "bank_outside_claims_yuan": economy.bank.outside_claims_yuan,
        "bank_profit_paid_out_yuan": results.banks.profit_paid_out,
        "rest_of_world_net_worth_yuan": economy.rest_of_world.net_worth_yuan,
        "firm_debt_yuan": float(np.sum(firms.weight[live_firms] * firms.debt_yuan[live_firms])),
        "household_savings_yuan": None,
    }
    for key in REFORM_COUNTS:
        row[key] = float(results.reform_counts.get(key, 0.0))
    row.update(dict.fromkeys((*RURAL_SOURCE_KEYS, *REGISTERED_KEYS)))
    heavy = live_firms[sectors.in_group(firms.sector[live_firms], sectors.heavy)]
    heavy_capital = firms.weight[heavy] * firms.capital_yuan[heavy]
    row["heavy_abatement_share"] = float(
        np.sum(heavy_capital * firms.clean_tech[heavy]) / max(heavy_capital.sum(), 1)
    )
    row["industry_workers"] = None
    # (``tolist`` makes the Python floats of a whole array at once, as ``float`` one by one)
    sector_prices = np.asarray(economy.goods.sector_price).tolist()
    for name, value_added, price in zip(
        sectors.names, np.asarray(revenue).tolist(), sector_prices, strict=True
    ):
        row[f"va_{name}_yuan"] = value_added
        row[f"price_{name}"] = price
    row.update(growth_records.expenditure(economy, government_va))
    growth, firm_labour = growth_records.growth_inputs(economy, results.goods, government_va)
    row.update(growth)
    pending = PendingRows(
        row,
        [],
        houses,
        income_less_mixed,
        firm_labour,
        params.households.farm_labour_elasticity,
        government_va,
        gdp,
        sectors.industry,
        None,
        None,
    )
    if zones:
        _start_zone_rows(economy, pending, row, persons_zu)
        # (the columns' names of each sector made once for all zones)
        keys = [(f"value_{name}", f"courting_{name}") for name in sectors.names]
        places = zip(pending.zone_rows, economy.zones, results.works.placed, strict=True)
        for zone_row, zone, placed in places:
            zone_row.update(_zone_decisions(zone, placed, keys))
    return pending


def finish(pending: PendingRows) -> dict[str, Any]:
    """Fill the household sums into the pending rows (from their columns alone: this may
    run beside the next quarters); returns the city's row. ``pending`` is not changed
    otherwise, so a second call gives the same rows."""
    sums = household_sums(pending.households)
    row = pending.row
    disposable_zu, by_job = sums.disposable_zu, sums.by_job
    row["households"] = sums.households
    row["gdp_income_yuan"] = pending.income_less_mixed + float(sums.mixed_by_zone.sum())
    row["urban_disposable_yuan"] = float(disposable_zu[:, 1].sum())
    row["rural_disposable_yuan"] = float(disposable_zu[:, 0].sum())
    row["labour_force"] = float(by_job.sum())
    for key, job in zip(JOB_KEYS, JOBS, strict=True):
        row[key] = float(by_job[job])
    row["knowledge_workers"] = sums.knowledge_workers
    row["household_debt_yuan"] = sums.debt_yuan
    row["household_savings_yuan"] = sums.savings_yuan
    row.update(sums.rural_sources)
    row.update(sums.registered)
    row["industry_workers"] = float(sums.by_sector[pending.industry].sum())
    row["labour_output_elasticity"] = growth_records.labour_output_elasticity(
        pending.firm_labour,
        pending.farm_labour_elasticity,
        sums.farming_yuan,
        sums.business_yuan,
        pending.public_wages,
        pending.gdp,
    )
    if pending.zone_rows:
        zone_va = pending.zone_firm_va + sums.mixed_by_zone
        zone_va += pending.zone_government_va
        disposable = disposable_zu.sum(axis=1).tolist()
        for zone_row, value_added, income in zip(
            pending.zone_rows, zone_va.tolist(), disposable, strict=True
        ):
            zone_row["gdp_yuan"] = value_added
            zone_row["disposable_yuan"] = income
    return row


def _start_zone_rows(
    economy: Economy, pending: PendingRows, row: dict[str, Any], persons_zu: np.ndarray
) -> None:
    """One row per zone (value added, people, firms, incomes, services, land) into
    ``pending``: its value added and incomes are left to :func:`finish`."""
    firms = economy.firms
    live_firms = firms.live()
    n_zones = len(economy.zones)
    population_by_zone = persons_zu.sum(axis=1)
    # the zone's value added: its firms', its households' mixed income (added by ``finish``)
    # and the government's by population
    pending.zone_firm_va = np.bincount(
        firms.zone[live_firms],
        weights=firms.weight[live_firms] * firms.va_yuan[live_firms],
        minlength=n_zones,
    )
    pending.zone_government_va = (
        pending.public_wages * population_by_zone / population_by_zone.sum()
    )
    zone_firms = np.bincount(
        firms.zone[live_firms], weights=firms.weight[live_firms], minlength=n_zones
    )
    # (``tolist`` makes the Python floats of a whole array at once, as ``float`` one by one;
    # a zone's services are the sum of its two columns, as ``delivered[z].sum()`` adds them)
    columns = zip(
        economy.zones,
        population_by_zone.tolist(),
        persons_zu[:, 1].tolist(),
        zone_firms.tolist(),
        economy.services.delivered.sum(axis=1).tolist(),
        strict=True,
    )
    t, year, price_level = row["t"], row["year"], economy.price_level
    pending.zone_rows = [
        {
            "t": t,
            "year": year,
            "zone": zone.name,
            "population": population,
            "urban_population": urban,
            "gdp_yuan": None,
            "firms": zone_firm_count,
            "disposable_yuan": None,
            "public_service_yuan": served * price_level,
            "approval_days": zone.approval_days,
            "farmland_mu": zone.land_mu["farmland"],
            "urban_construction_mu": zone.land_mu["urban_construction"],
        }
        for zone, population, urban, zone_firm_count, served in columns
    ]


def _zone_decisions(zone, placed: float, keys: list[tuple[str, str]]) -> dict[str, float]:
    """What a zone government decided this quarter and why (``model/zone_policy.py``): the
    new works it got and its case for them, its officials' green weight, the points a yuan
    of each sector's value added earned them and the factor on each sector's entrants
    (``keys``: each sector's names of these two columns)."""
    row = {
        "works_real_yuan": float(placed),
        "works_share": zone.works_share,
        "works_gain_per_yuan": zone.works_gain_per_yuan,
        "works_needs_per_yuan": zone.works_needs_per_yuan,
        "green_weight": zone.green_weight,
    }
    values = np.asarray(zone.sector_value, dtype=float).tolist()
    courting = np.asarray(zone.courting, dtype=float).tolist()
    for (value_key, courting_key), value, factor in zip(keys, values, courting, strict=True):
        row[value_key] = value
        row[courting_key] = factor
    return row
