"""The calibrated economy of early 2010: tables, agents, technology, and the plans of the
first quarter.

``build`` lays out the synthetic city (``model/calibration/synth.py``), makes every table
row a Mesa agent, solves each firm's productivity so that it produces its 2010 value added
at its inputs, and sets last quarter's flows as the first quarter's plans will read them:
incomes, the city's revenue, and the share of each buyer's spending that goes to each
sector's local producers.
"""

from __future__ import annotations

import mesa
import numpy as np

from model import (
    approvals,
    banking,
    fiscal,
    infrastructure,
    invariants,
    platform,
    port,
    services,
    social,
    taxes,
    turnover,
)
from model.accounts import Ledger
from model.agents import firm, household, household_transfers
from model.agents.bank import BankingSector
from model.agents.city import CityGovernment
from model.agents.collective import RuralCollective, VillageTable
from model.agents.firm import Firm
from model.agents.household import Household
from model.agents.registry import AgentRegistry
from model.agents.zone import GovernmentZone
from model.arrays import weighted_total
from model.calibration import Params
from model.calibration.synth import SyntheticCity, build_city
from model.conditions import OutsideWorld
from model.economy import (
    Clock,
    Economy,
    Expectations,
    GoodsMarketState,
    HouseholdOutput,
    LabourState,
    Lake,
    Port,
    Productivity,
    PublicCapital,
    Sectors,
    ServiceNetwork,
    SocialManagement,
)
from model.markets import goods, housing, land, wages
from model.reforms import ReformSetting
from model.rules import Rules
from model.scenario import Conditions, RunSettings

MAX_LOCAL_SHARE = 0.9  # most of a buyer's spending that can go to the city's own producers
# the outside world's paths the build reads, each at the first quarter alone: the build is
# given the world cut to them (``seen_world``), so that any other read fails
WORLD_READ = ("price_level", "cpi", "lending_rate", "wuhan_wage", "capacity_cut")


def build(model: mesa.Model, run: RunSettings, conditions: Conditions, params: Params) -> Economy:
    """The economy at the start of 2010, its agents registered with ``model``, and the whole
    outside world of the run attached to it."""
    world = OutsideWorld.from_conditions(conditions, run.start_year, run.end_year)
    economy = build_seeing(model, run, seen_world(world), params)
    economy.world = world
    return economy


def seen_world(world: OutsideWorld) -> OutsideWorld:
    """The outside world as the build sees it: the first quarter of the paths it reads."""
    return world.first_quarter(WORLD_READ)


def build_seeing(
    model: mesa.Model, run: RunSettings, world: OutsideWorld, params: Params
) -> Economy:
    """The economy at the start of 2010 for ``world`` as the build sees it
    (:func:`seen_world`), which it keeps; the caller attaches the whole world. It depends
    on the run settings, that view and the parameters alone (and draws from ``model.rng``):
    the levers act only once the run starts (``model/builds.py`` relies on this to reuse a
    build)."""
    scale = float(run.scale)
    sectors = _sectors(params)
    synthetic = build_city(params, scale, model.rng)
    households, firms = synthetic.households, synthetic.firms
    agents = AgentRegistry(
        model, {"households": Household, "firms": Firm, "collectives": RuralCollective}
    )
    agents.add("households", range(households.n))
    agents.add("firms", range(firms.n))
    villages = _villages(synthetic)
    agents.add("collectives", range(villages.n))
    zones = [
        GovernmentZone(
            model,
            z,
            name,
            params.zones.approval_days_2010[z],
            {use: float(area[z]) for use, area in synthetic.zone_land_mu.items()},
            params.firms.approval_days_elasticity,
            params.administration.layers_2010,
            params.administration.departments_2010,
            params.administration.one_window_overhead,
        )
        for z, name in enumerate(params.zones.names)
    ]
    city = CityGovernment(model, params.labour.public_wage_yuan)
    banks = BankingSector(model)
    n_sectors = len(sectors.names)
    economy = Economy(
        params=params,
        scale=scale,
        seed=run.seed,
        rng=model.rng,
        world=world,
        clock=Clock(run.start_year, run.end_year, world.years),
        sectors=sectors,
        zone_names=list(params.zones.names),
        zones=zones,
        city=city,
        bank=banks,
        households=households,
        firms=firms,
        villages=villages,
        agents=agents,
        ledger=Ledger(),
        rules=Rules.baseline(params),
        labour=LabourState(
            skill_wage=np.asarray(params.skills.wage_2010_yuan, dtype=float).copy(),
            skill_efficiency=np.asarray(params.skills.efficiency),
            unemployment_smoothed=params.households.unemployment_2010,
        ),
        productivity=Productivity(
            farm_level=synthetic.farm_tfp_level, business_level=synthetic.business_tfp_level
        ),
        household_output=HouseholdOutput(np.zeros(0), np.zeros(0)),
        goods=GoodsMarketState(
            buy_shares={},
            external_base=np.zeros(n_sectors),
            sector_price=np.ones(n_sectors),
        ),
        expectations=Expectations(
            expected_growth=np.full(n_sectors, params.firms.expected_growth_2010),
            profit_reference=np.zeros(n_sectors),
            rate_2010=float(world.lending_rate[0] + params.credit.spread),
        ),
        lake=Lake(quality=float(params.environment.lake_quality_2010)),
        services=ServiceNetwork(np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((5, 2))),
        public_capital=PublicCapital(
            np.zeros(len(zones)), np.zeros(len(zones)), np.ones(len(zones))
        ),
        social=SocialManagement(waiting_mu=np.zeros(len(zones))),
        port=Port(capacity_mt=float(params.port.capacity_2010_mt)),
    )
    city.target_public_per_capita = synthetic.public_workers / household.population(economy)
    # land: farmland rented out is farmed by agriculture firms of the village's zone
    land.assign_leased_farmland(economy)
    _calibrate_firms(economy, synthetic.firm_annual_va)
    _first_plans(economy)
    economy.labour.wage_gap_2010 = household.urban_rural_wage_gap(economy)
    # wages were set for the labour market of 2010 (its quarters refine this start)
    economy.labour.unemployment_normal = household.unemployment_rate(economy)
    economy.labour.unemployment_smoothed = economy.labour.unemployment_normal
    economy.productivity.knowledge_share_2010 = household.knowledge_share(economy)
    economy.productivity.knowledge_share = economy.productivity.knowledge_share_2010
    economy.labour.wuhan_pull_2010 = wages.wuhan_pull(economy)
    infrastructure.set_up(economy, economy.last_gdp_yuan)
    _open_offices(economy)
    public_wages = household.public_workers(economy) * city.public_wage_yuan / 4
    social.set_up(economy)
    services.set_up(economy, public_wages)
    port.set_up(economy, goods.sector_supply(economy))
    # the banks' 2010 balance sheet, and the rest of the world's claims that close the books
    banking.open_books(economy, params.credit.bank_equity_share)
    economy.rest_of_world.net_worth_yuan = -float(invariants.net_worth(economy).sum())
    return economy


def reform_setting(economy: Economy, village_count: int | None = None) -> ReformSetting:
    """What the reforms are told of the city when they are set up: ``village_count``, the
    villages of the 2010 build (the economy's own when it is that build)."""
    return ReformSetting(
        seed=economy.seed,
        start_year=economy.clock.start_year,
        params=economy.params,
        sectors=economy.sectors,
        zone_names=economy.zone_names,
        village_count=economy.villages.n if village_count is None else village_count,
    )


def _sectors(params: Params) -> Sectors:
    """The sectors' technology; labour's elasticity from each sector's 2010 wage bill."""
    table = params.sectors
    names = list(table.names)
    kind = np.array(list(table.kind))
    mix = np.asarray(table.skill_mix)
    premium = np.asarray(table.wage_premium)
    wage_per_worker = premium * (mix @ np.asarray(params.skills.wage_2010_yuan, dtype=float))
    value_added = np.asarray(table.value_added_2010_bn) * 1e9
    return Sectors(
        names=names,
        kind=kind,
        industry=np.flatnonzero(kind == "industry"),
        heavy=np.array([names.index("steel"), names.index("building_materials")]),
        hightech=names.index("high_tech"),
        capital_elasticity=np.asarray(table.capital_elasticity),
        land_elasticity=np.asarray(table.land_elasticity),
        labour_elasticity=np.clip(
            np.asarray(table.workers_2010) * wage_per_worker / value_added, 0.03, 0.7
        ),
        demand_elasticity=np.asarray(table.demand_elasticity),
        wage_premium=premium,
        labour_efficiency=mix @ np.asarray(params.skills.efficiency),
    )


def _open_offices(economy: Economy) -> None:
    """The approval offices of 2010: the applications filed in a quarter then (founders,
    expansion projects, land requests, by zone) set each zone's staff productivity and
    sign-off time; administration's running costs per staff member, from the administrative
    part of the first quarter's purchases."""
    firms, params = economy.firms, economy.params
    n_zones = len(economy.zones)
    live = firms.live()
    expected, zone_weights = turnover.entry_plan(economy)
    founders = (expected[:, None] * zone_weights / zone_weights.sum(axis=1)[:, None]).sum(axis=0)
    projects = firm.expansion_projects(economy, live)
    requests = land.land_requests(economy, live, land.land_wanted(economy, live))
    applications = founders + np.bincount(
        firms.zone[live], weights=projects + requests, minlength=n_zones
    )
    for zone, filed in zip(economy.zones, applications, strict=True):
        zone.applications = float(filed)
        zone.note_workload()
    work = sum(zone.workload for zone in economy.zones)
    economy.city.workload_per_resident_2010 = work / household.population(economy)
    staff = approvals.assign_staff(economy)
    approvals.set_up(economy, applications)
    admin_purchases = params.labour.admin_share_of_public * economy.budget.purchases
    economy.city.office_cost_per_staff_yuan = admin_purchases / max(staff, 1.0) / economy.cpi


def _villages(synthetic: SyntheticCity) -> VillageTable:
    count = len(synthetic.village_zone)
    villages = VillageTable(count)
    villages.add(
        count,
        alive=True,
        zone=synthetic.village_zone,
        farmland_mu=synthetic.village_farmland_mu,
        construction_mu=synthetic.village_construction_mu,
        homestead_mu=synthetic.village_homestead_mu,
    )
    return villages


def _calibrate_firms(economy: Economy, annual_va: np.ndarray) -> None:
    """Set each firm's productivity so that it produces its 2010 share at its inputs."""
    params, firms, sectors = economy.params, economy.firms, economy.sectors
    price_2010 = economy.world.price_level[0]
    wages.assign(economy)
    firm.count_labour(economy)
    growth = params.calibration.within_year_growth
    growth_path = (1 + growth) ** (np.arange(4) / 4)
    first_quarter = annual_va / growth_path.sum()
    live = firms.live()
    sector = firms.sector[live]
    level = np.asarray(params.calibration.sector_level)[sector]
    # each firm's labour elasticity is its own 2010 wage-bill share, near its sector's
    bills = firm.wage_bills(economy, live)
    own = bills / np.maximum(first_quarter[live] * price_2010, 1.0)
    sector_beta = sectors.labour_elasticity[sector]
    firms.beta[live] = np.clip(own, 0.5 * sector_beta, 2.0 * sector_beta)
    base = firm.capacity(
        1.0,
        firms.capital_yuan[live],
        firms.labour_eff[live],
        firm.land(economy, live),
        sectors.capital_elasticity[sector],
        firms.beta[live],
        sectors.land_elasticity[sector],
    )
    firms.tfp[live] = first_quarter[live] * level / base
    firms.supply[live] = first_quarter[live] * level
    # price of Q1 relative to the 2010 mean
    firms.va_yuan[live] = firms.supply[live] * price_2010
    firms.sales_year[live] = 0.0
    # household producers follow the same start path as firms
    productivity = economy.productivity
    productivity.farm_scale = params.calibration.sector_level[0] * 4 / growth_path.sum()
    productivity.business_scale = params.calibration.sector_level[7] * 4 / growth_path.sum()


def _first_plans(economy: Economy) -> None:
    """Last quarter's flows for the first quarter's plans, from the start state."""
    params, households, firms = economy.params, economy.households, economy.firms
    live = households.rows()
    price = economy.world.price_level[0]
    economy.price_level = price
    economy.cpi = economy.world.cpi[0]
    wages.assign(economy)
    household.produce(economy)
    output = economy.household_output
    households.inc_wages[live] = household.wage_income(economy, live)
    households.inc_farming[live] = output.farm[live] * price
    households.inc_business[live] = output.business[live] * price
    households.inc_transfers[live] = household_transfers.pensions(economy, live)
    households.taxes[live] = household_transfers.taxes_due(economy, live)
    live_firms = firms.live()
    firms.wage_bill[live_firms] = firm.wage_bills(economy, live_firms)
    weight = firms.weight[live_firms]
    _last_quarter_revenue(economy, live_firms, price)
    # the debt the city and its platform carry into 2010
    economy.city.debt_yuan = platform.opening_debt(economy, economy.last_gdp_yuan)
    # plans for quarter 0
    household.plan_consumption(economy)
    # the town's dwellings and the building under way, paid by households and from outside
    dwellings = housing.set_up(economy)
    budget = fiscal.plan(economy)
    capital = firms.capital_yuan[live_firms]
    # profitability reference: each sector's 2010 gross return on capital
    after_tax = 1 - taxes.production_tax_share(params)[firms.sector[live_firms]]
    gross = (firms.va_yuan[live_firms] - firms.wage_bill[live_firms]) * after_tax
    return_on_capital = 4 * gross / np.maximum(price * capital, 1.0)
    n_sectors = len(economy.sectors.names)
    capital_weight = weight * capital
    sector = firms.sector[live_firms]
    reference = np.bincount(
        sector, weights=capital_weight * return_on_capital, minlength=n_sectors
    ) / np.maximum(np.bincount(sector, weights=capital_weight, minlength=n_sectors), 1e-9)
    economy.expectations.profit_reference = np.maximum(reference, 0.02)
    planned = firm.plan_investment(economy, live_firms)
    firm_investment = float(np.sum(weight * planned)) * price
    # buyers' totals of the first quarter, and what each buys locally by sector
    consumption = weighted_total(households.weight[live], households.consumption[live])
    market = economy.goods
    investment = firm_investment + budget.capital + dwellings.investment_yuan
    totals = {"households": consumption, "government": budget.purchases, "investment": investment}
    supply = goods.sector_supply(economy)
    local_share = np.asarray(params.sectors.local_demand_share)
    buyers = np.asarray(params.sectors.local_buyers)
    local_nominal = local_share * supply * price
    market.buy_shares = {}
    # government and investment buy their part of local output as far as their spending
    # goes (at most MAX_LOCAL_SHARE of it); households buy the rest
    uncovered = np.zeros(len(supply))
    for column, name in ((1, "government"), (2, "investment")):
        want = local_nominal * buyers[:, column]
        share = want / max(totals[name], 1e-9)
        if share.sum() > MAX_LOCAL_SHARE:
            share *= MAX_LOCAL_SHARE / share.sum()
        uncovered += want - share * totals[name]
        market.buy_shares[name] = share
    share = (local_nominal * buyers[:, 0] + uncovered) / max(totals["households"], 1e-9)
    if share.sum() > 1:
        raise ValueError(
            f"calibration: households cannot buy the local demand assumed "
            f"({share.sum():.2f} of their spending)"
        )
    market.buy_shares["households"] = share
    persons = household.population(economy)
    market.real_spending_2010 = totals["households"] / price / max(persons, 1.0)
    market.external_base = np.maximum(supply * (1 - local_share), 0.0)


def _last_quarter_revenue(economy: Economy, live_firms: np.ndarray, price: float) -> None:
    """The city's revenue, contributions and GDP of the quarter before the first, as the
    first quarter's budget reads them (taxes at the 2010 rules)."""
    params, households, firms, city = (
        economy.params,
        economy.households,
        economy.firms,
        economy.city,
    )
    live = households.rows()
    weight = firms.weight[live_firms]
    firm_va = float(np.sum(weight * firms.va_yuan[live_firms]))
    # taxes and pre-tax profit of each firm, as income distribution will compute them
    value_added = firms.va_yuan[live_firms]
    sector = firms.sector[live_firms]
    assessed = taxes.on_production(params, sector, value_added, firms.investment_yuan[live_firms])
    rate = economy.world.lending_rate[0] + params.credit.spread
    pre_tax = (
        value_added
        - assessed.on_production
        - firms.wage_bill[live_firms]
        - firms.debt_yuan[live_firms] * rate / 4
        - firms.capital_yuan[live_firms] * params.firms.depreciation / 4 * price
    )
    profit_tax = taxes.enterprise_income_tax(params, sector, pre_tax)
    gdp = firm_va + float(
        np.sum(
            households.weight[live] * (households.inc_farming[live] + households.inc_business[live])
        )
    )
    gdp += household.public_workers(economy) * city.public_wage_yuan / 4
    fiscal_params = params.fiscal
    city_share = fiscal_params.city_share_of_local_taxes
    rates = household_transfers.contribution_rates(economy, live)
    in_city = household_transfers.income_tax(economy, live, rates) * (
        households.job[live] != household.COMMUTE_WUHAN
    )
    local = float(np.sum(weight * assessed.city)) + city_share * (
        fiscal_params.local_profit_tax_share * float(np.sum(weight * profit_tax))
        + fiscal_params.local_income_tax_share * weighted_total(households.weight[live], in_city)
    )
    city.last_local_revenue = local
    economy.last_gdp_yuan = gdp
    city.last_contributions = weighted_total(
        households.weight[live], household_transfers.contributions(economy, live)
    )
