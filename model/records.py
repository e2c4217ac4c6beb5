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
    JOB_NAMES,
    OWN_BUSINESS,
    OWN_FARM,
    PUBLIC_JOB,
    UNEMPLOYED,
)
from model.arrays import normal_cdf, weighted_total
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


def rural_income_sources(
    economy: Economy, live: np.ndarray, weight: np.ndarray, operations: np.ndarray
) -> dict:
    """Rural residents' income of the quarter by the survey's sources, yuan: wages, household
    operations (farming and own business: ``operations`` per household), property (land
    rent, dividends, interest, and requisition compensation), transfers; and the taxes and
    contributions they paid."""
    households = economy.households
    rural = weight * ~households.urban[live]
    return {
        "rural_wages_yuan": weighted_total(rural, households.inc_wages[live]),
        "rural_operations_yuan": weighted_total(rural, operations),
        "rural_property_yuan": weighted_total(
            rural, households.inc_property[live] + households.inc_compensation[live]
        ),
        "rural_transfers_yuan": weighted_total(rural, households.inc_transfers[live]),
        "rural_taxes_yuan": weighted_total(rural, households.taxes[live]),
    }


def registered_unemployment(economy: Economy, live: np.ndarray, real_workers: np.ndarray) -> dict:
    """Unemployment as the statistics office counts it: town registrants without a job who
    register (``labour.unemployed_registration_share`` of them), and the town-registered
    labour force they are counted against (the employed and the registered unemployed; the
    jobless who do not register are outside it). Real workers."""
    households = economy.households
    town_registered = real_workers * ~households.rural_hukou[live]
    jobless = households.job[live] == UNEMPLOYED
    registered = economy.params.labour.unemployed_registration_share * weighted_total(
        town_registered, jobless
    )
    employed = weighted_total(town_registered, ~jobless)
    return {
        "registered_unemployed": registered,
        "registered_labour_force": employed + registered,
    }


def record(
    economy: Economy, results: QuarterResults, zones: bool = True
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The city's row and the zones' rows of the quarter (none unless ``zones``)."""
    params, households, firms = economy.params, economy.households, economy.firms
    flows, incomes, land, nature = economy.flows, results.incomes, results.land, results.environment
    budget, sectors = economy.budget, economy.sectors
    t = economy.clock.t
    price_level = economy.price_level
    live, live_firms = households.rows(), firms.live()
    weight = households.weight[live]
    n_sectors = len(sectors.names)
    revenue = results.goods.revenue
    government_va = incomes.public_wages
    gdp = float(revenue.sum()) + government_va
    kind = sectors.kind
    # household sums by zone and residence, by job and by skill, each in one pass
    n_zones = len(economy.zones)
    zone = households.zone[live]
    urban = households.urban[live]
    disposable = results.disposable * weight
    real_workers = weight * households.workers[live]
    job = households.job[live]
    # zone and residence in one small integer (zones are few): bincount widens it itself
    zone_urban = zone * 2
    zone_urban += urban
    # persons by zone and residence (rural, urban): the services' residents (town, village)
    # of the quarter, the same sums
    persons_zu = results.services.residents[:, ::-1]
    disposable_zu = np.bincount(zone_urban, weights=disposable, minlength=2 * n_zones).reshape(
        n_zones, 2
    )
    operations = households.inc_farming[live] + households.inc_business[live]
    # (the weighted incomes' array, summed above, takes the weighted operations)
    weighted_operations = np.multiply(weight, operations, out=disposable)
    mixed_by_zone = np.bincount(zone, weights=weighted_operations, minlength=n_zones)
    by_job = np.bincount(job, weights=real_workers, minlength=len(JOB_NAMES))
    population_by_zone = persons_zu.sum(axis=1)
    urban_persons = float(persons_zu[:, 1].sum())
    rural_persons = float(persons_zu[:, 0].sum())
    # GDP by income: compensation + taxes on production + operating surplus + mixed income
    mixed = float(mixed_by_zone.sum())
    gdp_income = (
        incomes.firm_wages
        + incomes.public_wages
        + incomes.va_tax
        + incomes.other_tax
        + incomes.firm_gross_surplus
        + mixed
    )
    knowledge = float(np.bincount(households.skill[live], weights=real_workers, minlength=3)[2])
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
        "households": float(weight.sum()),
        "urban_population": urban_persons,
        "gdp_yuan": gdp,
        "gdp_income_yuan": gdp_income,
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
        "urban_disposable_yuan": float(disposable_zu[:, 1].sum()),
        "rural_disposable_yuan": float(disposable_zu[:, 0].sum()),
        "urban_persons": urban_persons,
        "rural_persons": rural_persons,
        "labour_force": float(by_job.sum()),
        "unemployed": float(by_job[UNEMPLOYED]),
        "firm_workers": float(by_job[FIRM_JOB]),
        "public_workers": float(by_job[PUBLIC_JOB]),
        "farm_workers": float(by_job[OWN_FARM]),
        "commuters": float(by_job[COMMUTE_WUHAN]),
        "business_workers": float(by_job[OWN_BUSINESS]),
        "knowledge_workers": knowledge,
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
        "household_debt_yuan": weighted_total(weight, households.debt_yuan[live]),
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
        "household_savings_yuan": weighted_total(weight, households.savings_yuan[live]),
    }
    for key in REFORM_COUNTS:
        row[key] = float(results.reform_counts.get(key, 0.0))
    row.update(rural_income_sources(economy, live, weight, operations))
    row.update(registered_unemployment(economy, live, real_workers))
    heavy = live_firms[sectors.in_group(firms.sector[live_firms], sectors.heavy)]
    heavy_capital = firms.weight[heavy] * firms.capital_yuan[heavy]
    row["heavy_abatement_share"] = float(
        np.sum(heavy_capital * firms.clean_tech[heavy]) / max(heavy_capital.sum(), 1)
    )
    # sector by employer + 1; households without a firm job count under n_sectors
    sector_of = np.concatenate(([n_sectors], firms.sector[: firms.n]))
    by_sector = np.bincount(
        sector_of.take(results.labour.employer_bin),
        weights=real_workers,
        minlength=n_sectors + 1,
    )
    row["industry_workers"] = float(by_sector[sectors.industry].sum())
    # (``tolist`` makes the Python floats of a whole array at once, as ``float`` one by one)
    sector_prices = np.asarray(economy.goods.sector_price).tolist()
    for name, value_added, price in zip(
        sectors.names, np.asarray(revenue).tolist(), sector_prices, strict=True
    ):
        row[f"va_{name}_yuan"] = value_added
        row[f"price_{name}"] = price
    row.update(growth_records.expenditure(economy, government_va))
    row.update(growth_records.growth_inputs(economy, results.goods, government_va))
    if not zones:
        return row, []
    zone_rows = _zone_rows(
        economy, row, government_va, service, mixed_by_zone, persons_zu, disposable_zu
    )
    # (the columns' names of each sector made once for all zones)
    keys = [(f"value_{name}", f"courting_{name}") for name in sectors.names]
    for zone_row, zone, placed in zip(zone_rows, economy.zones, results.works.placed, strict=True):
        zone_row.update(_zone_decisions(zone, placed, keys))
    return row, zone_rows


def _zone_rows(
    economy: Economy,
    row: dict[str, float],
    government_va: float,
    service: float,
    mixed_by_zone: np.ndarray,
    persons_zu: np.ndarray,
    disposable_zu: np.ndarray,
) -> list[dict[str, Any]]:
    """One row per zone: value added, people, firms, incomes, services, land."""
    firms = economy.firms
    live_firms = firms.live()
    n_zones = len(economy.zones)
    population_by_zone = persons_zu.sum(axis=1)
    zone_va = np.bincount(
        firms.zone[live_firms],
        weights=firms.weight[live_firms] * firms.va_yuan[live_firms],
        minlength=n_zones,
    )
    zone_va += mixed_by_zone
    zone_va += government_va * population_by_zone / population_by_zone.sum()
    zone_firms = np.bincount(
        firms.zone[live_firms], weights=firms.weight[live_firms], minlength=n_zones
    )
    # (``tolist`` makes the Python floats of a whole array at once, as ``float`` one by one;
    # a zone's services are the sum of its two columns, as ``delivered[z].sum()`` adds them)
    columns = zip(
        economy.zones,
        population_by_zone.tolist(),
        persons_zu[:, 1].tolist(),
        zone_va.tolist(),
        zone_firms.tolist(),
        disposable_zu.sum(axis=1).tolist(),
        economy.services.delivered.sum(axis=1).tolist(),
        strict=True,
    )
    t, year, price_level = row["t"], row["year"], economy.price_level
    return [
        {
            "t": t,
            "year": year,
            "zone": zone.name,
            "population": population,
            "urban_population": urban,
            "gdp_yuan": value_added,
            "firms": zone_firm_count,
            "disposable_yuan": disposable,
            "public_service_yuan": served * price_level,
            "approval_days": zone.approval_days,
            "farmland_mu": zone.land_mu["farmland"],
            "urban_construction_mu": zone.land_mu["urban_construction"],
        }
        for zone, population, urban, value_added, zone_firm_count, disposable, served in columns
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
