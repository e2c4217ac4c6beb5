"""ReformModel: Ezhou from the start of 2010, one quarter per step.

Each quarter runs these phases in order (see docs/ODD.md, "Process overview"):

0. the quarter's rules: the pre-reform baseline, adjusted by each reform in force;
1. demography, migration in and out, moves from village to town;
2. firm exits and entries, what reforms do to agents (audits, recruitment, the fund, ...),
   productivity drift, wages;
3. labour market (layoffs, search, matching, commuting to Wuhan, public hiring);
4. plans: household consumption and housing, the government budget, firm investment and
   its finance;
5. production and the goods market (one price per sector);
6. incomes, taxes, profits, interest, transfers;
7. land market (requisition with compensation, farmland transfer, land for firms), then
   the city's and households' accounts settle;
8. environment (energy, emissions, Liangzi Lake);
9. accounts, records and invariant checks.
"""

from __future__ import annotations

import math
import time
from typing import Any

import mesa
import numpy as np
import pandas as pd

from model import accounts
from model.accounts import (
    BANKS,
    COLLECTIVES,
    FIRMS,
    GOVERNMENT,
    HOUSEHOLDS,
    REST_OF_WORLD,
    InvariantError,
    Ledger,
)
from model.agents import firm as firm_rules
from model.agents import household as hh_rules
from model.agents import registry
from model.agents.city import CityGovernment
from model.agents.collective import RuralCollective, VillageTable, pay_dividends
from model.agents.firm import Firm, capacity
from model.agents.household import Household, farm_capacity
from model.agents.zone import GovernmentZone
from model.arrays import weighted_total
from model.calibration import Params, load_parameters
from model.calibration.synth import ABOVE_SCALE_SALES_YUAN, MU_PER_KM2, build_city, draw_households
from model.conditions import OutsideWorld
from model.markets import goods, labour
from model.reforms import build_reforms
from model.rules import Rules
from model.scenario import Scenario
from model.state import (
    COMMUTE_WUHAN,
    FIRM_JOB,
    JOB_NAMES,
    NO_WORKERS,
    OWN_BUSINESS,
    OWN_FARM,
    PUBLIC_JOB,
    UNEMPLOYED,
    take_until,
)

BUYERS = ("households", "government", "investment")
MAX_LOCAL_SHARE = 0.9  # most of a buyer's spending that can go to the city's own producers
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
)
_ERF = np.frompyfunc(math.erf, 1, 1)


def weighted_median(values: np.ndarray, weights: np.ndarray, presorted: bool = False) -> float:
    """The median of real firms when each agent stands for ``weights`` of them (``presorted``:
    the values are already in increasing order)."""
    if not presorted:
        order = np.argsort(values)
        values, weights = values[order], weights[order]
    cum = np.cumsum(weights)
    return float(values[np.searchsorted(cum, 0.5 * cum[-1])])


def normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + _ERF(np.asarray(x, dtype=float) / math.sqrt(2)).astype(float))


class ReformModel(mesa.Model):
    """The Ezhou reform simulator. ``ReformModel(scenario)``; ``run()`` to the end year."""

    HOUSEHOLDS, FIRMS, GOVERNMENT, BANKS, COLLECTIVES, REST_OF_WORLD = (
        HOUSEHOLDS,
        FIRMS,
        GOVERNMENT,
        BANKS,
        COLLECTIVES,
        REST_OF_WORLD,
    )

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        params: Params | None = None,
        check_invariants: bool = True,
    ):
        scenario = scenario or Scenario()
        super().__init__(rng=scenario.run.seed)
        self.reform_scenario = scenario
        self.seed = scenario.run.seed
        self.params = p = params or load_parameters()
        self.scale = float(scenario.run.scale)
        self.check_invariants = check_invariants
        self.start_year = scenario.run.start_year
        self.end_year = scenario.run.end_year
        self.world = OutsideWorld.from_conditions(
            scenario.conditions, self.start_year, self.end_year
        )
        self.n_quarters = len(self.world.years)
        self.t = 0
        self.zone_names = list(p.zones.names)
        self.sector_names = list(p.sectors.names)
        self.sector_class = np.array(list(p.sectors.kind))
        self.industry = np.flatnonzero(self.sector_class == "industry")
        self.heavy_sectors = np.array(
            [self.sector_names.index("steel"), self.sector_names.index("building_materials")]
        )
        self.hightech = self.sector_names.index("high_tech")
        self.ledger = Ledger()
        self.records: list[dict[str, float]] = []
        self.zone_records: list[dict[str, Any]] = []
        self.wall_seconds = 0.0
        self.fund_dividends = 0.0
        self._templates: dict[int, dict[str, float]] | None = None
        self._reset_quarter_flows()
        self._build()

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        p = self.params
        city = build_city(p, self.scale, self.rng)
        self.hh, self.fm = city.households, city.firms
        self.rules = Rules(self)
        ns = len(self.sector_names)
        # agents
        rows = range(self.hh.n)
        self.household_agents = dict(zip(rows, registry.create(self, Household, rows), strict=True))
        rows = range(self.fm.n)
        self.firm_agents = dict(zip(rows, registry.create(self, Firm, rows), strict=True))
        self.villages = VillageTable(len(city.village_zone))
        nv = len(city.village_zone)
        self.villages.add(
            nv,
            alive=True,
            zone=city.village_zone,
            farmland_mu=city.village_farmland_mu,
            construction_mu=city.village_construction_mu,
            homestead_mu=city.village_homestead_mu,
        )
        self.collective_agents = registry.create(self, RuralCollective, range(nv))
        self.zones = [
            GovernmentZone(
                self,
                z,
                name,
                p.zones.approval_days_2010[z],
                {k: float(v[z]) for k, v in city.zone_land_mu.items()},
            )
            for z, name in enumerate(self.zone_names)
        ]
        self.city = CityGovernment(self)
        self.reforms = build_reforms(self, self.reform_scenario.levers)
        self.farm_level = city.farm_tfp_level
        self.business_level = city.business_tfp_level
        self.productivity_index = 1.0  # household producers' productivity drift
        self.farm_index = 1.0  # household farming's own, which rural investment can raise
        # elasticities; labour's from each sector's 2010 wage bill share
        self.alpha = np.asarray(p.sectors.capital_elasticity)
        self.gamma = np.asarray(p.sectors.land_elasticity)
        mix = np.asarray(p.sectors.skill_mix)
        self.skill_wage = np.asarray(p.skills.wage_2010_yuan, dtype=float).copy()
        self.skill_eff = np.asarray(p.skills.efficiency)
        premium = np.asarray(p.sectors.wage_premium)
        wage_per_worker = premium * (mix @ self.skill_wage)
        self.sector_eff = mix @ self.skill_eff
        va = np.asarray(p.sectors.value_added_2010_bn) * 1e9
        self.beta = np.clip(np.asarray(p.sectors.workers_2010) * wage_per_worker / va, 0.03, 0.7)
        self.eps = np.asarray(p.sectors.demand_elasticity)
        self.premium = premium
        self.r0 = float(self.world.lending_rate[0] + p.credit.spread)
        self.expected_growth = np.full(ns, p.firms.expected_growth_2010)
        self._supply_history: list[np.ndarray] = []
        self.market_index = np.ones(ns)  # outside market share won by reforms
        self.city.target_public_per_capita = city.public_workers / self.population()
        # land: farmland rented out is farmed by agriculture firms of the village's zone
        self._assign_leased_farmland()
        self._calibrate_firms(city.firm_annual_va)
        self._initial_plans()
        # lake: the 2010 pollution load sets the half-saturation load
        self.lake_quality = float(p.environment.lake_quality_2010)
        self.gap_2010 = self.urban_rural_wage_gap()
        self.u_smooth = p.households.unemployment_2010
        self.knowledge_share_2010 = self.knowledge_share_now = self.knowledge_share()
        self.spillover_level = 1.0
        self.pull_2010 = 1.0
        self.pull_2010 = self.wuhan_pull()
        self._base: dict[str, float] = {}

    def _calibrate_firms(self, annual_va: np.ndarray) -> None:
        """Set each firm's productivity so that it produces its 2010 share at its inputs."""
        p, fm = self.params, self.fm
        self.update_wages(grow=False)
        self.update_firm_labour()
        g = p.calibration.within_year_growth
        growth_path = (1 + g) ** (np.arange(4) / 4)
        q0 = annual_va / growth_path.sum()
        live = fm.live()
        sec = fm.sector[live]
        level = np.asarray(p.calibration.sector_level)[sec]
        # each firm's labour elasticity is its own 2010 wage-bill share, near its sector's
        wb = self.firm_wage_bills(live)
        own = wb / np.maximum(q0[live] * self.world.price_level[0], 1.0)
        fm.beta[live] = np.clip(own, 0.5 * self.beta[sec], 2.0 * self.beta[sec])
        base = capacity(
            1.0,
            fm.capital_yuan[live],
            fm.labour_eff[live],
            self.firm_land(live),
            self.alpha[sec],
            fm.beta[live],
            self.gamma[sec],
        )
        fm.tfp[live] = q0[live] * level / base
        fm.supply[live] = q0[live] * level
        # price of Q1 relative to the 2010 mean
        fm.va_yuan[live] = fm.supply[live] * self.world.price_level[0]
        fm.sales_year[live] = 0.0
        # household producers follow the same start path as firms
        self.farm_scale = p.calibration.sector_level[0] * 4 / growth_path.sum()
        self.business_scale = p.calibration.sector_level[7] * 4 / growth_path.sum()

    def _initial_plans(self) -> None:
        """Last quarter's flows for the first quarter's plans, from the start state."""
        p, hh, fm = self.params, self.hh, self.fm
        live = hh.rows()
        P0 = self.world.price_level[0]
        self.price_level_now = P0
        self.cpi_now = self.world.cpi[0]
        self.update_wages(grow=False)
        self._household_supply()  # sets hh farm / business supply
        hh.inc_wages[live] = self.wage_income(live)
        hh.inc_farming[live] = self.hh_farm_supply[live] * P0
        hh.inc_business[live] = self.hh_business_supply[live] * P0
        hh.inc_transfers[live] = self.pensions(live)
        hh.taxes[live] = self.household_taxes(live)
        flive = fm.live()
        fm.wage_bill[flive] = self.firm_wage_bills(flive)
        # government: taxes at p = 1
        firm_va = float(np.sum(fm.weight[flive] * fm.va_yuan[flive]))
        # pre-tax profit of each firm, as distribute_income will compute it
        va = fm.va_yuan[flive]
        rate = self.world.lending_rate[0] + p.credit.spread
        pre = (
            va * (1 - p.firms.va_tax_rate - p.fiscal.other_local_tax_rate)
            - fm.wage_bill[flive]
            - fm.debt_yuan[flive] * rate / 4
            - fm.capital_yuan[flive] * p.firms.depreciation / 4 * P0
        )
        profits = float(np.sum(fm.weight[flive] * np.maximum(pre, 0.0)))
        gdp_q = firm_va + float(
            np.sum(hh.weight[live] * (hh.inc_farming[live] + hh.inc_business[live]))
        )
        gdp_q += self.public_workers_real() * self.city.public_wage_yuan / 4
        sh_va = np.asarray(p.fiscal.local_va_tax_share)[fm.sector[flive]]
        local_firm = (
            p.firms.va_tax_rate * float(np.sum(fm.weight[flive] * va * sh_va))
            + p.fiscal.local_profit_tax_share * p.firms.profit_tax_rate * profits
            + p.fiscal.other_local_tax_rate * firm_va
        )
        local = (
            p.fiscal.local_tax_retention * local_firm
            + p.fiscal.local_income_tax_share
            * p.households.income_tax_rate
            * weighted_total(hh.weight[live], hh.inc_wages[live])
        )
        self.city.last_local_revenue = local
        self.last_gdp_q = gdp_q
        self.city.last_contributions = weighted_total(hh.weight[live], self.contributions(live))
        # plans for quarter 0
        hh_rules.plan_consumption(self)
        self.government_plan()
        flive = fm.live()
        k = fm.capital_yuan[flive]
        # profitability reference: each sector's 2010 gross return on capital
        gross_f = (fm.va_yuan[flive] - fm.wage_bill[flive]) * (1 - p.firms.va_tax_rate)
        rk = 4 * gross_f / np.maximum(P0 * k, 1.0)
        ns = len(self.sector_names)
        wts = fm.weight[flive] * k
        self.rk_ref = np.bincount(fm.sector[flive], weights=wts * rk, minlength=ns) / np.maximum(
            np.bincount(fm.sector[flive], weights=wts, minlength=ns), 1e-9
        )
        self.rk_ref = np.maximum(self.rk_ref, 0.02)
        inv = firm_rules.plan_investment(self, flive)
        firm_inv = float(np.sum(fm.weight[flive] * inv)) * P0
        # buyers' totals of the first quarter, and what each buys locally by sector
        hh_cons = weighted_total(hh.weight[live], hh.consumption[live])
        housing_hh = weighted_total(hh.weight[live], hh.housing_spend[live])
        self.outside_housing_0 = max(
            p.fiscal.housing_investment_2010_bn * 1e9 / 4 * P0 - housing_hh, 0.0
        )
        investment = firm_inv + self.gov_capital_plan + housing_hh + self.outside_housing_0
        totals = {
            "households": hh_cons,
            "government": self.gov_purchases_plan,
            "investment": investment,
        }
        supply = self.sector_supply()
        local_share = np.asarray(p.sectors.local_demand_share)
        buyers = np.asarray(p.sectors.local_buyers)
        local_nominal = local_share * supply * P0
        self.buy_shares = {}
        # government and investment buy their part of local output as far as their spending
        # goes (at most MAX_LOCAL_SHARE of it); households buy the rest
        uncovered = np.zeros(len(supply))
        for b, name in ((1, "government"), (2, "investment")):
            want = local_nominal * buyers[:, b]
            share = want / max(totals[name], 1e-9)
            if share.sum() > MAX_LOCAL_SHARE:
                share *= MAX_LOCAL_SHARE / share.sum()
            uncovered += want - share * totals[name]
            self.buy_shares[name] = share
        share = (local_nominal * buyers[:, 0] + uncovered) / max(totals["households"], 1e-9)
        if share.sum() > 1:
            raise ValueError(
                f"calibration: households cannot buy the local demand assumed "
                f"({share.sum():.2f} of their spending)"
            )
        self.buy_shares["households"] = share
        self.external_base = np.maximum(supply * (1 - local_share), 0.0)

    # ------------------------------------------------------------------ helpers
    def population(self) -> float:
        live = self.hh.rows()
        return weighted_total(self.hh.weight[live], self.hh.size[live])

    def real_firms(self) -> float:
        live = self.fm.live()
        return float(self.fm.weight[live].sum())

    def firm_land(self, rows: np.ndarray) -> np.ndarray:
        return self.fm.land_mu[rows] + self.fm.leased_farmland_mu[rows]

    def knowledge_share(self) -> float:
        """Share of the labour force with knowledge skills (masters, PhDs, engineers)."""
        hh = self.hh
        live = hh.rows()
        real = hh.weight[live] * hh.workers[live]
        return weighted_total(real, hh.skill[live] == 2) / max(float(real.sum()), 1.0)

    def public_workers_real(self) -> float:
        live = self.hh.rows()
        real = self.hh.weight[live] * self.hh.workers[live]
        return weighted_total(real, self.hh.job[live] == PUBLIC_JOB)

    def update_firm_labour(self) -> None:
        """Each firm's workers and effective labour, from the households it employs."""
        hh, fm = self.hh, self.fm
        live = hh.rows()
        # summed by employer + 1: households without a firm job (employer -1) fall in bin 0
        by_firm = hh.employer[live] + 1
        real = hh.weight[live] * hh.workers[live]
        eff = real * self.skill_eff.take(hh.skill[live])
        w = np.maximum(fm.weight[: fm.n], 1e-12)
        fm.workers[: fm.n] = np.bincount(by_firm, weights=real, minlength=fm.n + 1)[1:] / w
        fm.labour_eff[: fm.n] = (
            np.bincount(by_firm, weights=eff, minlength=fm.n + 1)[1:] / w
            + self.params.firms.owner_labour
        )

    def wage_income(self, rows: np.ndarray) -> np.ndarray:
        """Quarterly wage income of one real household in each row."""
        hh = self.hh
        return hh.workers[rows] * hh.wage_yuan[rows] / 4

    def firm_wage_bills(self, frows: np.ndarray) -> np.ndarray:
        hh, fm = self.hh, self.fm
        live = hh.rows()
        paid = hh.weight[live] * self.wage_income(live)
        bill = np.bincount(hh.employer[live] + 1, weights=paid, minlength=fm.n + 1)[1:]
        return bill[frows] / fm.weight[frows]

    def grow_wages(self) -> None:
        """Skill wages follow prices, productivity and labour-market tightness."""
        p, t = self.params, self.t
        cpi_g = self.world.cpi[t] / self.world.cpi[t - 1] if t > 0 else 1.0
        g_prod = (
            p.firms.tfp_growth_share * self.world.national_real_growth[t] + p.firms.catch_up_growth
        ) / (1 - float(np.mean(self.alpha)))
        a = p.labour.wage_smoothing
        self.u_smooth = (1 - a) * self.u_smooth + a * self.unemployment_rate()
        u0 = p.households.unemployment_2010
        cap = p.labour.wage_adjust_cap
        tight = np.clip(p.labour.wage_adjust * (u0 - self.u_smooth) / u0, -cap, cap)
        factor = cpi_g**p.labour.wage_indexation * (1 + g_prod) ** 0.25 * (1 + tight)
        self.skill_wage = self.skill_wage * factor
        self.city.public_wage_yuan *= float(np.mean(factor))

    def update_wages(self, grow: bool = True) -> None:
        """Each worker's annual wage in the current job (none for the others), after this
        quarter's skill wages when ``grow``: public posts and Wuhan jobs pay by skill; a firm
        pays the skill wage times its sector's premium."""
        if grow:
            self.grow_wages()
        p, hh, t = self.params, self.hh, self.t
        wuhan = (
            p.labour.wuhan_wage_ratio_2010
            * np.asarray(p.skills.wage_2010_yuan)
            * self.world.wuhan_wage[t]
            * (1 - self.rules.commute_cost_share)
        )
        n_skills = len(self.skill_wage)
        by_job = np.zeros((len(JOB_NAMES), n_skills))
        by_job[PUBLIC_JOB] = self.city.public_wage_yuan
        by_job[COMMUTE_WUHAN] = wuhan
        fm, live = self.fm, hh.rows()
        # premium by employer + 1 (0 for households without a firm job)
        premium = np.concatenate(([0.0], self.premium.take(fm.sector[: fm.n])))
        skill = hh.skill[live].astype(np.intp)
        hh.wage_yuan[live] = by_job.ravel().take(hh.job[live] * n_skills + skill) + (
            self.skill_wage.take(skill) * premium.take(hh.employer[live] + 1)
        )

    def unemployment_rate(self) -> float:
        hh = self.hh
        live = hh.rows()
        real = hh.weight[live] * hh.workers[live]
        return weighted_total(real, hh.job[live] == UNEMPLOYED) / max(float(real.sum()), 1e-9)

    def urban_rural_wage_gap(self) -> float:
        """Log gap between the basic town wage and farm income per worker."""
        hh = self.hh
        farm = hh.where(hh.col("job") == OWN_FARM)
        if len(farm) == 0:
            return 1.0
        farm_income = np.sum(hh.weight[farm] * hh.inc_farming[farm]) * 4
        farm_workers = np.sum(hh.weight[farm] * hh.workers[farm])
        per_worker = farm_income / max(farm_workers, 1e-9) / self.cpi_now
        town = self.skill_wage[0] / self.cpi_now
        return float(np.log(max(town, 1.0) / max(per_worker, 1.0)))

    def wuhan_pull(self) -> float:
        """Wuhan's wage against Ezhou's, relative to 2010 (1 = as in 2010)."""
        p = self.params
        wuhan = (
            p.labour.wuhan_wage_ratio_2010
            * self.world.wuhan_wage[self.t]
            * np.asarray(p.skills.wage_2010_yuan)[1]
        )
        return float(wuhan / self.skill_wage[1] / p.labour.wuhan_wage_ratio_2010) / self.pull_2010

    def pensions(self, rows: np.ndarray) -> np.ndarray:
        p, hh = self.params, self.hh
        # monthly pension by registration: urban (index 0) or rural (index 1)
        monthly = np.array([p.households.pension_yuan, self.rules.rural_pension_yuan])
        quarterly = monthly * (3 * self.cpi_now)
        return hh.elderly[rows] * quarterly.take(hh.rural_hukou[rows].view(np.int8))

    def contributions(self, rows: np.ndarray, wages: np.ndarray | None = None) -> np.ndarray:
        """Social contributions of one real household in each row (formal jobs only);
        ``wages`` is its quarterly wage income when already at hand."""
        rate = np.zeros(len(JOB_NAMES))
        rate[[FIRM_JOB, PUBLIC_JOB]] = self.params.households.social_contribution_rate
        wages = self.wage_income(rows) if wages is None else wages
        return wages * rate.take(self.hh.job[rows])

    def household_taxes(self, rows: np.ndarray) -> np.ndarray:
        """Income tax and social contributions of one real household in each row."""
        wages = self.wage_income(rows)
        return self.params.households.income_tax_rate * wages + self.contributions(rows, wages)

    def disposable_income(self, rows: np.ndarray) -> np.ndarray:
        hh = self.hh
        return (
            hh.inc_wages[rows]
            + hh.inc_farming[rows]
            + hh.inc_business[rows]
            + hh.inc_property[rows]
            + hh.inc_compensation[rows]
            + hh.inc_transfers[rows]
            - hh.taxes[rows]
        )

    def _household_supply(self) -> None:
        """Real output of household farms and own businesses this quarter."""
        hh, p = self.hh, self.params
        n = hh.n
        self.hh_farm_supply = np.zeros(n)
        self.hh_business_supply = np.zeros(n)
        live = hh.rows()
        land_op = hh.land_mu[live] - hh.land_out_mu[live]
        raw = farm_capacity(
            land_op,
            hh.workers[live],
            hh.job[live],
            hh.urban[live],
            p.households.farm_labour_elasticity,
            p.households.part_time_farming,
        )
        # (scalar factors grouped first: each array operation is a pass over the city)
        self.hh_farm_supply[live] = (
            raw * hh.farm_tfp[live] * (self.farm_scale * self.farm_index / 4)
        )
        per_worker = self.business_level * self.business_scale * self.productivity_index / 4
        self.hh_business_supply[live] = (
            hh.workers[live] * (hh.job[live] == OWN_BUSINESS) * per_worker
        )

    def sector_supply(self) -> np.ndarray:
        fm, hh = self.fm, self.hh
        ns = len(self.sector_names)
        flive = fm.live()
        s = np.bincount(fm.sector[flive], weights=fm.weight[flive] * fm.supply[flive], minlength=ns)
        live = hh.rows()
        s[0] += weighted_total(hh.weight[live], self.hh_farm_supply[live])
        s[7] += weighted_total(hh.weight[live], self.hh_business_supply[live])
        return s

    def _assign_leased_farmland(self) -> None:
        """Farmland rented out by households goes to the agriculture firms of its zone."""
        hh, fm = self.hh, self.fm
        nz = len(self.zone_names)
        rented = hh.where((hh.col("collective") >= 0) & (hh.col("land_out_mu") > 0))
        land_zone = self.villages.zone[hh.collective[rented]]
        pool = np.bincount(
            land_zone, weights=hh.weight[rented] * hh.land_out_mu[rented], minlength=nz
        )
        flive = fm.live()
        agri = flive[fm.sector[flive] == 0]
        fm.leased_farmland_mu[: fm.n] = 0.0
        if len(agri) == 0:
            return
        base = fm.weight[agri] * np.maximum(fm.land_mu[agri], 1e-9)
        zone_base = np.bincount(fm.zone[agri], weights=base, minlength=nz)
        # zones with no agriculture firm hand their rented land to the city's largest ones
        orphan = pool * (zone_base <= 0)
        pool = pool - orphan
        share = base / np.maximum(zone_base[fm.zone[agri]], 1e-12)
        total = pool[fm.zone[agri]] * share + orphan.sum() * base / base.sum()
        fm.leased_farmland_mu[agri] = total / fm.weight[agri]

    # ------------------------------------------------------------------ households in and out
    def dissolve_households(self, rows: np.ndarray, reason: str) -> float:
        """Remove household agents; returns savings taken out of the city (out-migration)."""
        hh = self.hh
        if len(rows) == 0:
            return 0.0
        net = hh.weight[rows] * (hh.savings_yuan[rows] - hh.debt_yuan[rows])
        taken = 0.0
        if reason == "out":
            self.flow_out_persons += float(np.sum(hh.weight[rows] * hh.size[rows]))
            taken = float(net.sum())
            self.ledger.pay(HOUSEHOLDS, REST_OF_WORLD, taken, "out_migrant_savings")
        else:
            # the estate passes to a random remaining household (a transfer within households)
            stays = np.ones(hh.n, dtype=bool)
            stays[rows] = False
            heir = self.rng.choice(np.flatnonzero(stays), size=len(rows))
            np.add.at(hh.savings_yuan, heir, np.maximum(net, 0) / hh.weight[heir])
            np.add.at(hh.debt_yuan, heir, np.maximum(-net, 0) / hh.weight[heir])
        # their contracted plots stay with their villages and lie idle
        agents = self.household_agents
        registry.remove(self, [agents.pop(r) for r in rows.tolist()])
        # the table fills the holes with its last rows: their agents move with them
        moved_from, moved_to = hh.kill(rows)
        moved = [agents.pop(src) for src in moved_from.tolist()]
        dst = moved_to.tolist()
        for agent, row in zip(moved, dst, strict=True):
            agent.row = row
        agents.update(zip(dst, moved, strict=True))
        return taken

    def add_migrant_households(
        self, n_new: int, skill: int | None = None, urban: bool | None = None
    ) -> dict[str, Any]:
        """New household agents arriving from outside, with the savings they bring.

        ``skill`` and ``urban``, when given, fix those attributes (recruited graduates,
        returning entrepreneurs); otherwise they are drawn like the city's own.
        """
        if n_new <= 0:
            return {"rows": np.empty(0, dtype=np.int64), "in_persons": 0.0, "in_savings": 0.0}
        p, hh, rng = self.params, self.hh, self.rng
        zone_pop = np.asarray(p.zones.population_2010, dtype=float)
        zone = rng.choice(len(zone_pop), size=n_new, p=zone_pop / zone_pop.sum())
        if urban is None:
            is_urban = rng.random(n_new) < p.migration.in_migrant_urban_share
        else:
            is_urban = np.full(n_new, urban)
        size, workers, elderly, drawn, rural_hukou = draw_households(p, rng, zone, is_urban)
        if skill is None:
            skill = np.minimum(drawn + (rng.random(n_new) < p.migration.in_migrant_skill_up), 3)
        else:
            skill = np.full(n_new, skill)
            workers = np.maximum(workers, 1)
            elderly = np.minimum(elderly, size - workers)
        urban = is_urban
        savings = (
            self.skill_wage[skill] * np.maximum(workers, 1) * 0.5 * rng.lognormal(0, 0.5, n_new)
        )
        rows = hh.add(
            n_new,
            alive=True,
            weight=self.scale,
            zone=zone,
            urban=urban,
            rural_hukou=rural_hukou,
            collective=-1,
            size=size,
            workers=workers,
            elderly=elderly,
            skill=skill,
            job=np.where(workers > 0, UNEMPLOYED, NO_WORKERS),
            employer=-1,
            savings_yuan=savings,
            farm_tfp=self.farm_level,
        )
        self.household_agents.update(
            zip(rows.tolist(), registry.create(self, Household, rows), strict=True)
        )
        brought = float(np.sum(self.scale * savings))
        self.ledger.pay(REST_OF_WORLD, HOUSEHOLDS, brought, "in_migrant_savings")
        persons = float(self.scale * size.sum())
        self.flow_in_persons += persons
        return {"rows": rows, "in_persons": persons, "in_savings": brought}

    def reassign_jobs_after_move(self, rows: np.ndarray) -> None:
        """Households that moved zone keep firm jobs (they commute within the city) but give
        up an own business, which served their old neighbourhood."""
        hh = self.hh
        hh.job[rows[hh.job[rows] == OWN_BUSINESS]] = UNEMPLOYED

    # ------------------------------------------------------------------ phases
    def firm_turnover(self) -> dict[str, float]:
        """Firms that cannot go on leave; new firms enter where profit and approvals allow."""
        p, fm, rng = self.params, self.fm, self.rng
        live = fm.live()
        giant = fm.giant[live]
        distress = (fm.loss_q[live] >= p.firms.exit_loss_quarters) & (
            fm.cash_yuan[live] <= p.firms.cash_buffer_share * np.abs(fm.va_yuan[live])
        )
        prob = p.firms.exit_base_rate * (1 + 2 * (fm.loss_q[live] > 0))
        young = (self.t - fm.born_q[live]) < 12
        prob = prob * np.where(young, self.rules.young_firm_exit_multiplier, 1.0)
        # an agent standing for one firm leaves at random; one standing for many loses that
        # share of its firms each quarter, so exits do not come in lumps of many firms
        single = fm.weight[live] <= 1.0 + 1e-9
        exit_now = (distress | (single & (rng.random(len(live)) < prob))) & ~giant
        leaving = live[exit_now]
        shrinking = live[~exit_now & ~single & ~giant]
        exits_real = float(fm.weight[leaving].sum())
        exits_real += self._shrink_firms(shrinking, prob[~exit_now & ~single & ~giant])
        self._remove_firms(leaving)
        # entry: the typical entrant of each sector is looked up once (entrants hold no capital
        # yet, so those created below do not change it)
        self._templates = {}
        try:
            return self._entry(exits_real)
        finally:
            self._templates = None

    def _entry(self, exits_real: float) -> dict[str, float]:
        p, fm, rng = self.params, self.fm, self.rng
        ns, nz = len(self.sector_names), len(self.zone_names)
        live = fm.live()
        firms_s = np.bincount(fm.sector[live], weights=fm.weight[live], minlength=ns)
        gross = np.bincount(
            fm.sector[live],
            weights=fm.weight[live] * (fm.va_yuan[live] - fm.wage_bill[live]),
            minlength=ns,
        )
        cap = (
            np.bincount(
                fm.sector[live], weights=fm.weight[live] * fm.capital_yuan[live], minlength=ns
            )
            * self.price_level_now
        )
        rk = 4 * gross * (1 - p.firms.va_tax_rate) / np.maximum(cap, 1.0)
        profit_factor = np.clip(rk / self.rk_ref, 0.2, 3.0) ** p.firms.entry_profit_elasticity
        approval = np.array([z.approval_factor() for z in self.zones])
        zone_w = np.asarray(p.sectors.zone_weights) * approval[None, :]
        # real firms per quarter
        expected = p.firms.entry_rate * firms_s * profit_factor * self.rules.entry_multiplier
        expected *= zone_w.sum(axis=1) / np.asarray(p.sectors.zone_weights).sum(axis=1)
        entrants_real = 0.0
        new_rows = []
        w_new = max(1.0, self.scale / p.firms.above_scale_weight_divisor)
        for s in range(ns):
            k = rng.poisson(expected[s] / w_new)
            if k == 0:
                continue
            zp = zone_w[s] / zone_w[s].sum()
            zones = rng.choice(nz, size=k, p=zp)
            new_rows.append(self._new_firms(s, zones, w_new, size_factor=p.firms.entrant_size))
        # firms relocating from the coast: industry, larger, where approvals are quick
        reloc = self.world.relocating_firms[self.t] / 4 * self.rules.relocating_success
        w_big = max(1.0, self.scale / p.firms.above_scale_weight_divisor)
        k = rng.poisson(reloc / w_big)
        if k:
            shares = np.asarray(p.firms.relocating_sector_shares)
            secs = rng.choice(ns, size=k, p=shares / shares.sum())
            for s in np.unique(secs):
                m = int(np.sum(secs == s))
                zp = zone_w[s] / zone_w[s].sum()
                zones = rng.choice(nz, size=m, p=zp)
                new_rows.append(
                    self._new_firms(s, zones, w_big, size_factor=p.firms.relocating_size)
                )
        if new_rows:
            rows = np.concatenate(new_rows)
            entrants_real = float(fm.weight[rows].sum())
        return {"exits": exits_real, "entrants": entrants_real}

    def entrant_template(self, s: int) -> dict[str, float]:
        """What a typical new firm of sector ``s`` looks like: medians of its real firms."""
        if self._templates is None:
            return self._entrant_templates(only=s)[s]
        if not self._templates:
            self._templates.update(self._entrant_templates())
        return self._templates[s]

    TEMPLATE_FIELDS = {"capital": "capital_yuan", "tfp": "tfp", "land": "land_mu", "beta": "beta"}

    def _entrant_templates(self, only: int | None = None) -> dict[int, dict[str, float]]:
        """The typical entrant of every sector at once (see :meth:`entrant_template`), or of
        sector ``only`` (its own firms, or the city's if it has none yet)."""
        fm = self.fm
        ns = len(self.sector_names)
        live = fm.live()
        # firms that have bought their capital: this quarter's entrants (capital still zero)
        # would drag the median down and, when they are many, to zero
        going = live[~fm.giant[live] & (fm.capital_yuan[live] > 0)]
        if only is not None:
            same = going[fm.sector[going] == only]
            going = same if len(same) else going
        sector = fm.sector[going]
        w = fm.weight[going]
        count = np.bincount(sector, minlength=ns)
        start = np.concatenate(([0], np.cumsum(count)))
        out: dict[int, dict[str, float]] = {}
        found = [s for s in range(ns) if count[s] > 0]
        clean = fm.clean_tech[going][np.argsort(sector, kind="stable")]
        for s in found:
            out[s] = {"clean": float(np.mean(clean[start[s] : start[s + 1]]))}
        # a sector with no such firm yet gets the city's typical firm
        city = {"clean": float(np.mean(fm.clean_tech[going])) if len(going) else 0.0}
        for key, col in self.TEMPLATE_FIELDS.items():
            values = getattr(fm, col)[going]
            # by value, then (stably) by sector: each sector's firms in value order. Equal
            # values may come in any order; the median value does not depend on it
            by_value = np.argsort(values)
            order = by_value[np.argsort(sector[by_value], kind="stable")]
            v_sorted, w_sorted = values[order], w[order]
            for s in found:
                part = slice(start[s], start[s + 1])
                out[s][key] = weighted_median(v_sorted[part], w_sorted[part], presorted=True)
            if len(found) < ns and (only is None or only not in found):
                city[key] = weighted_median(values[by_value], w[by_value], presorted=True)
        if only is not None:
            return {only: out.get(only, city)}
        for s in range(ns):
            out.setdefault(s, dict(city))
        return out

    def found_firms(self, s: int, n: int, weight: float, size_factor: float) -> np.ndarray:
        """New firms of sector ``s`` whose founders put in the money (no bank loan, no cash
        until they do): zones drawn by the sector's zone weights and approval times."""
        if n <= 0:
            return np.empty(0, dtype=np.int64)
        approval = np.array([z.approval_factor() for z in self.zones])
        zp = np.asarray(self.params.sectors.zone_weights)[s] * approval
        zones = self.rng.choice(len(self.zones), size=n, p=zp / zp.sum())
        self._extra_entrants += n * weight
        return self._new_firms(s, zones, weight, size_factor, outside_finance=False)

    def _new_firms(
        self,
        s: int,
        zones: np.ndarray,
        weight: float,
        size_factor: float,
        outside_finance: bool = True,
    ):
        """Create entrant firm agents; capital is bought this quarter with equity and loans."""
        p, fm, rng = self.params, self.fm, self.rng
        tpl = self.entrant_template(s)
        m = len(zones)
        k = tpl["capital"] * size_factor * rng.lognormal(0, 0.3, m)
        land = tpl["land"] * size_factor
        price = self.price_level_now
        loan = p.firms.entrant_loan_share * k * price if outside_finance else np.zeros_like(k)
        rows = fm.add(
            m,
            alive=True,
            weight=weight,
            sector=s,
            zone=zones,
            capital_yuan=0.0,
            beta=tpl["beta"],
            entrant_capital=k,
            tfp=tpl["tfp"] * rng.lognormal(0, 0.2, m),
            land_mu=0.0,
            debt_yuan=loan,
            cash_yuan=0.0,
            energy_intensity=1.0,
            emission_intensity=1.0,
            clean_tech=tpl["clean"],
            born_q=self.t,
            labour_eff=p.firms.owner_labour,
        )
        # equity from the founders (outside the city) pays what the loan does not; the capital
        # bought is part of this quarter's investment demand
        if outside_finance:
            equity = k * price - loan + p.firms.entrant_cash_share * k * price
            fm.cash_yuan[rows] = equity + loan  # spent on capital in plan_finance
            self.ledger.pay(REST_OF_WORLD, FIRMS, float(np.sum(weight * equity)), "entrant_equity")
        self.firm_agents.update(zip(rows.tolist(), registry.create(self, Firm, rows), strict=True))
        self.request_land(rows, np.full(m, land))
        return rows

    def lay_off(self, rows: np.ndarray) -> None:
        """Everyone employed by these firms loses the job (a firm moving away, say)."""
        hh = self.hh
        closing = np.zeros(self.fm.n, dtype=bool)
        closing[rows] = True
        # (employer is -1 for those without a firm job, which the job test masks out)
        emp = hh.where((hh.col("job") == FIRM_JOB) & closing[hh.col("employer")])
        hh.job[emp] = UNEMPLOYED
        hh.employer[emp] = -1

    def close_firms(self, rows: np.ndarray) -> None:
        """Close firms outside the normal exit (ordered closures); counted as exits."""
        self._extra_exits += float(self.fm.weight[rows].sum())
        self._remove_firms(rows)

    def shrink_firms(self, rows: np.ndarray, share: np.ndarray) -> float:
        """Close a share of the firms agents stand for (ordered closures); counted as exits."""
        closed = self._shrink_firms(rows, share)
        self._extra_exits += closed
        return closed

    def _shrink_firms(self, rows: np.ndarray, share: np.ndarray) -> float:
        """The given share of the firms an agent stands for close; returns real firms closed.

        The closing firms settle like a whole closure: cash repays debt, the rest is paid
        out, unpaid debt is written off, land returns to the zone. Their workers stay with the
        agent, which then finds itself overstaffed and lays off through the labour market.
        """
        fm = self.fm
        if len(rows) == 0:
            return 0.0
        gone = fm.weight[rows] * share
        repay = np.minimum(fm.cash_yuan[rows], fm.debt_yuan[rows])
        cash_left = fm.cash_yuan[rows] - repay
        debt_left = fm.debt_yuan[rows] - repay
        self.ledger.pay(FIRMS, REST_OF_WORLD, float(np.sum(gone * cash_left)), "exit_payout")
        written_off = float(np.sum(gone * debt_left))
        self.ledger.revalue(FIRMS, written_off, "loans_written_off")
        self.ledger.revalue(BANKS, -written_off, "loans_written_off")
        for z in range(len(self.zones)):
            m = fm.zone[rows] == z
            self.zones[z].land_available_mu += float(np.sum(gone[m] * fm.land_mu[rows][m]))
        fm.weight[rows] -= gone
        return float(gone.sum())

    def _remove_firms(self, rows: np.ndarray) -> None:
        """Close firms: workers laid off, debt repaid from cash or written off, land returned."""
        fm = self.fm
        if len(rows) == 0:
            return
        w = fm.weight[rows]
        repay = np.minimum(fm.cash_yuan[rows], fm.debt_yuan[rows])
        fm.cash_yuan[rows] -= repay
        fm.debt_yuan[rows] -= repay
        leftover = float(np.sum(w * fm.cash_yuan[rows]))
        self.ledger.pay(FIRMS, REST_OF_WORLD, leftover, "exit_payout")
        written_off = float(np.sum(w * fm.debt_yuan[rows]))
        self.ledger.revalue(FIRMS, written_off, "loans_written_off")
        self.ledger.revalue(BANKS, -written_off, "loans_written_off")
        for z in range(len(self.zones)):
            m = fm.zone[rows] == z
            self.zones[z].land_available_mu += float(np.sum(w[m] * fm.land_mu[rows][m]))
        fm.cash_yuan[rows] = 0.0
        fm.debt_yuan[rows] = 0.0
        fm.kill(rows)
        self.lay_off(rows)
        gone = (self.firm_agents.pop(r, None) for r in rows.tolist())
        registry.remove(self, [a for a in gone if a is not None])

    def labour_market(self) -> dict[str, float]:
        p, hh, fm, rng = self.params, self.hh, self.fm, self.rng
        self.update_firm_labour()
        flive = fm.live()
        d_eff = firm_rules.desired_labour_change(self, flive)
        d_workers = np.zeros(fm.n)
        d_workers[flive] = d_eff / self.sector_eff[fm.sector[flive]] * fm.weight[flive]
        agent_workers = fm.workers[: fm.n] * fm.weight[: fm.n]
        job = hh.col("job").copy()  # the jobs at the start of the market
        # layoffs where firms want fewer workers, and ordinary separations
        emp = np.flatnonzero(job == FIRM_JOB)
        cut = np.clip(-d_workers / np.maximum(agent_workers, 1e-9), 0, 1)
        prob = cut[hh.employer[emp]] + p.labour.separation_rate
        fired = emp[rng.random(len(emp)) < prob]
        # the real workers each firm loses (the firms' labour is updated from the moves: the
        # rest of the market does not touch firm jobs)
        moves = [(fired, hh.employer[fired], -1.0)]
        lost = np.bincount(
            hh.employer[fired], weights=hh.weight[fired] * hh.workers[fired], minlength=fm.n
        )
        hh.job[fired] = UNEMPLOYED
        hh.employer[fired] = -1
        # commuters and own businesses also end
        com = np.flatnonzero(job == COMMUTE_WUHAN)
        back = com[rng.random(len(com)) < p.labour.separation_rate]
        hh.job[back] = UNEMPLOYED
        biz = np.flatnonzero(job == OWN_BUSINESS)
        shut = biz[rng.random(len(biz)) < p.labour.business_exit_rate]
        hh.job[shut] = UNEMPLOYED
        target = agent_workers + d_workers
        vac = np.maximum(target - (agent_workers - lost), 0.0)
        vac[~fm.alive[: fm.n]] = 0.0
        # the unemployed look first; vacancies they leave are offered city-wide to farmers
        # looking for a wage job (pooled, so that how coarse agents are does not matter)
        job = hh.col("job")
        unemployed = np.flatnonzero(job == UNEMPLOYED)
        farmers = np.flatnonzero(job == OWN_FARM)
        farmers = farmers[rng.random(len(farmers)) < p.labour.farmer_search_share]
        real = hh.col("weight") * hh.col("workers")
        hired_total = 0.0
        mix = np.asarray(p.sectors.skill_mix)
        for k in range(4):
            v_k = vac * mix[fm.sector[: fm.n], k]
            for pool, same_zone in ((unemployed, p.labour.same_zone_preference), (farmers, 0.0)):
                sk = pool[hh.skill[pool] == k]
                got, firm_of, v_k = labour.match(
                    rng,
                    sk,
                    real[sk],
                    hh.zone[sk],
                    v_k,
                    fm.zone[: fm.n],
                    same_zone,
                    p.labour.match_efficiency,
                )
                rows = sk[got]
                hh.job[rows] = FIRM_JOB
                hh.employer[rows] = firm_of
                hired_total += float(real[rows].sum())
                moves.append((rows, firm_of, 1.0))
        # Wuhan: seekers still without a job may find one across the border
        idle = hh.where(hh.col("job") == UNEMPLOYED)
        access = np.asarray(p.zones.wuhan_commute_access)[hh.zone[idle]]
        rate = (
            p.labour.wuhan_job_rate
            * self.rules.wuhan_job_multiplier
            * access
            * self.wuhan_pull() ** 2
        )
        go = idle[rng.random(len(idle)) < rate]
        hh.job[go] = COMMUTE_WUHAN
        # own businesses: started with enough savings
        idle = hh.where(hh.col("job") == UNEMPLOYED)
        cost = p.labour.business_start_cost_yuan * self.cpi_now
        # what a household can put up: savings, and loans where reforms make them possible
        means = hh.savings_yuan[idle].copy()
        if self.rules.land_mortgage_ltv > 0:
            land_value = hh.land_mu[idle] * p.land.farmland_value_yuan_per_mu * self.cpi_now
            means += self.rules.land_mortgage_ltv * land_value
        if self.rules.business_credit_share > 0:
            means += np.where(rng.random(len(idle)) < self.rules.business_credit_share, cost, 0.0)
        can = idle[means >= cost]
        start = can[
            rng.random(len(can))
            < p.labour.business_start_rate * self.rules.business_start_multiplier
        ]
        hh.job[start] = OWN_BUSINESS
        # public sector keeps its staff per resident
        self._public_hiring()
        self._move_firm_labour(moves)
        return {"hired": hired_total}

    def _move_firm_labour(self, moves: list[tuple[np.ndarray, np.ndarray, float]]) -> None:
        """Firms' workers and effective labour after households (rows) left (sign -1) or
        joined (+1) the firms given: what update_firm_labour would count afresh."""
        hh, fm = self.hh, self.fm
        rows = np.concatenate([r for r, _, _ in moves])
        firms = np.concatenate([f for _, f, _ in moves])
        sign = np.concatenate([np.full(len(r), s) for r, _, s in moves])
        real = sign * hh.weight[rows] * hh.workers[rows]
        eff = real * self.skill_eff.take(hh.skill[rows])
        w = np.maximum(fm.weight[: fm.n], 1e-12)
        fm.workers[: fm.n] += np.bincount(firms, weights=real, minlength=fm.n) / w
        fm.labour_eff[: fm.n] += np.bincount(firms, weights=eff, minlength=fm.n) / w

    def _public_hiring(self) -> None:
        hh, rng = self.hh, self.rng
        # staff per resident, fewer where services are bought from firms instead
        target = (
            self.city.target_public_per_capita * self.population() * (1 - self.rules.purchase_share)
        )
        have = self.public_workers_real()
        if have < target:
            cand = hh.where((hh.col("job") == UNEMPLOYED) & (hh.col("skill") >= 1))
            cand = cand[rng.permutation(len(cand))]
            take = take_until(rng, cand, hh.weight[cand] * hh.workers[cand], target - have)
            hh.job[take] = PUBLIC_JOB
        elif have > target * (1 + self.params.labour.public_staff_tolerance):
            pub = hh.where(hh.col("job") == PUBLIC_JOB)
            pub = pub[rng.permutation(len(pub))]
            # posts are cut gradually, as people retire or move, not all at once
            excess = min(have - target, self.params.labour.public_staff_tolerance * have)
            drop = take_until(rng, pub, hh.weight[pub] * hh.workers[pub], excess)
            hh.job[drop] = UNEMPLOYED

    def government_plan(self) -> None:
        """The city's budget for the quarter: wages and pensions first, then the rest."""
        p, hh = self.params, self.hh
        live = hh.rows()
        budget = self.city.budget()
        self.gov_wages_plan = self.public_workers_real() * self.city.public_wage_yuan / 4
        self.gov_pensions_plan = weighted_total(hh.weight[live], self.pensions(live))
        rest = max(budget - self.gov_wages_plan - self.gov_pensions_plan, 0.0)
        self.gov_capital_plan = p.fiscal.capital_spending_share * budget + (
            p.fiscal.land_revenue_to_capital * self.city.last_land_revenue
        )
        # the construction platform invests on borrowed money, beside the budget
        self.platform_plan = p.fiscal.platform_investment_share * self.last_gdp_q
        self.gov_capital_plan = (
            min(
                self.gov_capital_plan,
                rest + p.fiscal.land_revenue_to_capital * self.city.last_land_revenue,
            )
            + self.platform_plan
        )
        self.gov_purchases_plan = (
            max(rest - p.fiscal.capital_spending_share * budget, 0.0) + self.reform_purchases
        )

    def plan_finance(self, flive: np.ndarray) -> np.ndarray:
        """Firms' investment this quarter, limited by cash and what banks will lend."""
        fm = self.fm
        price = self.price_level_now
        want = firm_rules.plan_investment(self, flive)
        entrant = fm.entrant_capital[flive]
        want = want + entrant
        cost = want * price
        buffer = self.params.firms.cash_buffer_share * np.abs(fm.va_yuan[flive])
        own = np.maximum(fm.cash_yuan[flive] - buffer, 0.0)
        need = np.maximum(cost - own, 0.0)
        room = np.maximum(firm_rules.credit_limit(self, flive) - fm.debt_yuan[flive], 0.0)
        room = np.where(entrant > 0, np.inf, room)
        borrow = np.minimum(need, room)
        spend = np.minimum(cost, own + borrow)
        fm.debt_yuan[flive] += borrow
        fm.cash_yuan[flive] += borrow - spend
        real = spend / price
        fm.capital_yuan[flive] += real
        fm.investment_yuan[flive] = spend
        fm.entrant_capital[flive] = 0.0
        return spend

    def produce_and_sell(self, firm_investment: float) -> dict[str, Any]:
        """Capacity, then one price per sector clears local and outside demand."""
        p, hh, fm = self.params, self.hh, self.fm
        t, P = self.t, self.price_level_now
        flive = fm.live()
        sec = fm.sector[flive]
        fm.supply[flive] = capacity(
            fm.tfp[flive],
            fm.capital_yuan[flive],
            fm.labour_eff[flive],
            self.firm_land(flive),
            self.alpha[sec],
            fm.beta[flive],
            self.gamma[sec],
        ) * (1 - fm.downtime_share[flive])
        fm.downtime_share[flive] = 0.0  # a stoppage lasts the quarter it is ordered for
        self._household_supply()
        supply = self.sector_supply()
        live = hh.rows()
        cons = weighted_total(hh.weight[live], hh.consumption[live])
        housing_hh = weighted_total(hh.weight[live], hh.housing_spend[live])
        outside_housing = (
            self.outside_housing_0 * self.world.wuhan_demand[t] * P / (self.world.price_level[0])
        )
        extra = self.reform_investment  # clean technology, rural infrastructure, ...
        firm_investment += extra[FIRMS]
        housing_hh += extra[HOUSEHOLDS]
        gov_capital = self.gov_capital_plan + extra[GOVERNMENT]
        investment = firm_investment + gov_capital + housing_hh + outside_housing
        buyers = {
            "households": (HOUSEHOLDS, cons),
            "government": (GOVERNMENT, self.gov_purchases_plan),
        }
        local = np.zeros(len(supply))
        for name, (_, amount) in buyers.items():
            local += self.buy_shares[name] * amount
        local += self.buy_shares["investment"] * investment
        drivers = list(p.sectors.external_driver)
        gain = (1 + p.sectors.market_share_gain) ** (t / 4) * self.market_index
        ext_index = np.array([self.world.demand_index(d, t) for d in drivers]) * gain
        rel_price = np.ones(len(supply))
        rel_price[self.sector_names.index("steel")] = self.world.steel_price[t]
        external = self.external_base * ext_index * rel_price * P
        price = goods.clear_prices(supply, local, external, P, self.eps)
        self.sector_price = price
        revenue = P * price * supply
        ext_paid = goods.external_spending(external, price, self.eps)
        # who receives: firms or household producers, in proportion to their supply
        firm_supply = np.bincount(
            sec, weights=fm.weight[flive] * fm.supply[flive], minlength=len(supply)
        )
        firm_part = np.where(supply > 0, firm_supply / np.maximum(supply, 1e-12), 0.0)
        paid = {}
        for name, (payer, amount) in buyers.items():
            spent = self.buy_shares[name] * amount
            self.ledger.pay(payer, FIRMS, float(np.sum(spent * firm_part)), f"sales_{name}")
            self.ledger.pay(
                payer, HOUSEHOLDS, float(np.sum(spent * (1 - firm_part))), f"sales_{name}"
            )
            self.ledger.pay(payer, REST_OF_WORLD, amount - float(spent.sum()), f"imports_{name}")
            paid[name] = spent
        inv_spent = self.buy_shares["investment"] * investment
        imports_inv = investment - float(inv_spent.sum())
        # investment buyers: firms, government, households, outside developers, in proportion
        parts = {
            FIRMS: firm_investment,
            GOVERNMENT: gov_capital,
            HOUSEHOLDS: housing_hh,
            REST_OF_WORLD: outside_housing,
        }
        for payer, amount in parts.items():
            frac = amount / max(investment, 1e-12)
            self.ledger.pay(
                payer, FIRMS, float(np.sum(inv_spent * firm_part)) * frac, "sales_investment"
            )
            self.ledger.pay(
                payer,
                HOUSEHOLDS,
                float(np.sum(inv_spent * (1 - firm_part))) * frac,
                "sales_investment",
            )
            self.ledger.pay(payer, REST_OF_WORLD, imports_inv * frac, "imports_investment")
        self.ledger.pay(REST_OF_WORLD, FIRMS, float(np.sum(ext_paid * firm_part)), "exports")
        self.ledger.pay(
            REST_OF_WORLD, HOUSEHOLDS, float(np.sum(ext_paid * (1 - firm_part))), "exports"
        )
        sales_paid = (
            sum(float(v.sum()) for v in paid.values())
            + float(inv_spent.sum())
            + float(ext_paid.sum())
        )
        # value added of each producer
        fm.va_yuan[flive] = P * price[sec] * fm.supply[flive]
        fm.sales_year[flive] += fm.va_yuan[flive] / np.asarray(p.sectors.va_to_sales)[sec]
        hh.inc_farming[live] = P * price[0] * self.hh_farm_supply[live]
        hh.inc_business[live] = P * price[7] * self.hh_business_supply[live]
        return {
            "revenue": revenue,
            "sales_paid": sales_paid,
            "investment": investment,
            "housing": housing_hh + outside_housing,
            "supply": supply,
        }

    def distribute_income(self) -> dict[str, float]:
        """Wages, taxes, interest, profits and transfers; savings absorb the rest."""
        p, hh, fm = self.params, self.hh, self.fm
        t, P = self.t, self.price_level_now
        live = hh.rows()
        flive = fm.live()
        fw = fm.weight[flive]
        hw = hh.weight[live]
        out: dict[str, float] = {}
        # wages
        wages = self.wage_income(live)
        hh.inc_wages[live] = wages
        job = hh.job[live]
        paid = hw * wages
        bill = np.bincount(hh.employer[live] + 1, weights=paid, minlength=fm.n + 1)[1:]
        fm.wage_bill[flive] = bill[flive] / fw
        firm_wages = float(np.sum(fw * fm.wage_bill[flive]))
        by_job = np.bincount(job, weights=paid, minlength=len(JOB_NAMES))
        public_wages = float(by_job[PUBLIC_JOB])
        wuhan_wages = float(by_job[COMMUTE_WUHAN])
        self.ledger.pay(FIRMS, HOUSEHOLDS, firm_wages, "wages_firms")
        self.ledger.pay(GOVERNMENT, HOUSEHOLDS, public_wages, "wages_public")
        self.ledger.pay(REST_OF_WORLD, HOUSEHOLDS, wuhan_wages, "wages_wuhan")
        out.update(firm_wages=firm_wages, public_wages=public_wages, wuhan_wages=wuhan_wages)
        # firm accounts, per real firm
        va = fm.va_yuan[flive]
        va_tax = p.firms.va_tax_rate * va
        other_tax = p.fiscal.other_local_tax_rate * va
        rate = self.world.lending_rate[t] + p.credit.spread
        interest = fm.debt_yuan[flive] * rate / 4
        depreciation = fm.capital_yuan[flive] * p.firms.depreciation / 4 * P
        rent_per_mu = (
            p.land.farmland_rent_yuan_per_mu
            * self.rules.farmland_rent_multiplier
            / 4
            * self.cpi_now
        )
        rent = fm.leased_farmland_mu[flive] * rent_per_mu
        pre = va - fm.wage_bill[flive] - va_tax - other_tax - interest - depreciation - rent
        profit_tax = p.firms.profit_tax_rate * np.maximum(pre, 0.0)
        profit = pre - profit_tax
        payout = p.firms.payout_rate * np.maximum(profit, 0.0)
        fm.profit_yuan[flive] = profit
        fm.loss_q[flive] = np.where(profit < 0, fm.loss_q[flive] + 1, 0)
        fm.cash_yuan[flive] += (
            va - fm.wage_bill[flive] - va_tax - other_tax - interest - profit_tax - payout - rent
        )
        # loans are repaid from cash where there is some; a shortfall is covered by a new loan
        repay = np.minimum(
            p.firms.loan_amortisation * fm.debt_yuan[flive], np.maximum(fm.cash_yuan[flive], 0.0)
        )
        fm.cash_yuan[flive] -= repay
        fm.debt_yuan[flive] -= repay
        short = np.maximum(-fm.cash_yuan[flive], 0.0)
        fm.cash_yuan[flive] += short
        fm.debt_yuan[flive] += short
        tot = lambda x: float(np.sum(fw * x))  # noqa: E731
        va_tax_t, other_t, profit_t = tot(va_tax), tot(other_tax), tot(profit_tax)
        # VAT is shared with the centre; business tax (construction, services) stays local.
        # Of what is local, the city keeps `local_tax_retention` and hands the rest back to the
        # firms that paid it (the rebates zones used to attract investment).
        sh_va = np.asarray(p.fiscal.local_va_tax_share)[fm.sector[flive]]
        local_firm = va_tax * sh_va + p.fiscal.local_profit_tax_share * profit_tax + other_tax
        rebate = (1 - p.fiscal.local_tax_retention) * local_firm
        fm.cash_yuan[flive] += rebate
        upper = tot(va_tax * (1 - sh_va)) + (1 - p.fiscal.local_profit_tax_share) * profit_t
        kept = tot(local_firm - rebate)
        local_va = tot(va_tax * sh_va) * p.fiscal.local_tax_retention
        local_profit = p.fiscal.local_profit_tax_share * profit_t * p.fiscal.local_tax_retention
        self.ledger.pay(FIRMS, GOVERNMENT, kept, "taxes_firms_local")
        self.ledger.pay(FIRMS, REST_OF_WORLD, upper, "taxes_firms_upper")
        self.ledger.pay(FIRMS, BANKS, tot(interest), "interest_firms")
        # rents for leased farmland go to the households that rented it out
        rent_total = tot(rent)
        self.ledger.pay(FIRMS, HOUSEHOLDS, rent_total, "farmland_rent")
        land_rent = hh.land_out_mu[live] * rent_per_mu
        land_rent_total = weighted_total(hw, land_rent)
        land_rent *= rent_total / max(land_rent_total, 1e-9) if land_rent_total > 0 else 0.0
        # profits paid out: part to households in the city (by savings), the rest outside
        payout_total = tot(payout)
        # the guidance fund's share of dividends goes back to the city's fund
        self.fund_dividends = 0.0
        if np.any(fm.fund_equity_yuan[flive] > 0):
            stake = fm.fund_equity_yuan[flive] / np.maximum(fm.capital_yuan[flive] * P, 1.0)
            self.fund_dividends = tot(payout * np.clip(stake, 0.0, 0.9))
            payout_total -= self.fund_dividends
            self.ledger.pay(FIRMS, GOVERNMENT, self.fund_dividends, "fund_dividends")
            self.city.settle(-self.fund_dividends)
        local_payout = p.firms.local_profit_share * payout_total
        self.ledger.pay(FIRMS, HOUSEHOLDS, local_payout, "profits_local")
        self.ledger.pay(FIRMS, REST_OF_WORLD, payout_total - local_payout, "profits_outside")
        wealth = np.maximum(hh.savings_yuan[live], 0.0)
        wsum = weighted_total(hw, wealth)
        profit_share = wealth / max(wsum, 1e-9) * local_payout
        deposit_interest = hh.savings_yuan[live] * (p.households.deposit_rate / 4)
        self.ledger.pay(
            BANKS, HOUSEHOLDS, weighted_total(hw, deposit_interest), "interest_deposits"
        )
        hh_interest = hh.debt_yuan[live] * (rate / 4)
        hh_interest_total = weighted_total(hw, hh_interest)
        self.ledger.pay(HOUSEHOLDS, BANKS, hh_interest_total, "interest_households")
        hh.inc_property[live] = land_rent + profit_share + deposit_interest
        # transfers and taxes
        hh.inc_transfers[live] = self.pensions(live)
        pensions = weighted_total(hw, hh.inc_transfers[live])
        self.ledger.pay(GOVERNMENT, HOUSEHOLDS, pensions, "pensions")
        wages = hh.inc_wages[live]
        each_tax = p.households.income_tax_rate * wages
        each_contrib = self.contributions(live, wages)
        hh.taxes[live] = each_tax + each_contrib
        income_tax = weighted_total(hw, each_tax)
        contrib = weighted_total(hw, each_contrib)
        # tax on wages earned in Wuhan is withheld there: none of it is Ezhou's
        in_city = weighted_total(hw, each_tax * (job != COMMUTE_WUHAN))
        local_income_tax = p.fiscal.local_income_tax_share * in_city
        self.ledger.pay(
            HOUSEHOLDS, GOVERNMENT, local_income_tax + contrib, "taxes_households_local"
        )
        self.ledger.pay(
            HOUSEHOLDS, REST_OF_WORLD, income_tax - local_income_tax, "taxes_households_upper"
        )
        out.update(
            va_tax=va_tax_t,
            other_tax=other_t,
            profit_tax=profit_t,
            interest=tot(interest),
            depreciation=tot(depreciation),
            payouts=payout_total,
            pensions=pensions,
            contributions=contrib,
            farmland_rent=rent_total,
            local_revenue=kept + local_income_tax,
            total_tax=va_tax_t + profit_t + other_t + in_city,
            local_profit_tax=local_profit,
            local_va_tax=local_va,
            firm_gross_surplus=tot(va - fm.wage_bill[flive] - va_tax - other_tax),
            hh_interest=hh_interest_total,
        )
        self._deposit_interest = deposit_interest
        self._hh_interest = hh_interest
        return out

    def settle_households(self) -> None:
        """Savings absorb income less taxes, consumption and housing; debts are repaid first."""
        hh = self.hh
        live = hh.rows()
        income = (
            hh.inc_wages[live]
            + hh.inc_farming[live]
            + hh.inc_business[live]
            + hh.inc_property[live]
            + hh.inc_compensation[live]
            + hh.inc_transfers[live]
        )
        # kept for the quarter's records (incomes do not change after this)
        self._disposable = income - hh.taxes[live]
        flow = (
            self._disposable - hh.consumption[live] - hh.housing_spend[live] - (self._hh_interest)
        )
        s = hh.savings_yuan[live] + flow
        d = hh.debt_yuan[live]
        borrow = np.maximum(-s, 0.0)
        s = s + borrow
        d = d + borrow
        repay = np.minimum(d, self.params.households.debt_repayment_share * s)
        hh.savings_yuan[live] = s - repay
        hh.debt_yuan[live] = d - repay

    def settle_government(self, flows: dict[str, float], land: dict[str, float]) -> None:
        """The city's receipts and payments of the quarter settle its deposits and debt."""
        p = self.params
        transfer_in = self.city.last_local_revenue * p.fiscal.transfer_from_above_ratio
        self.ledger.pay(REST_OF_WORLD, GOVERNMENT, transfer_in, "transfers_from_above")
        receipts = (
            flows["local_revenue"] + flows["contributions"] + transfer_in + land["land_sales"]
        )
        payments = (
            flows["public_wages"]
            + flows["pensions"]
            + self.gov_purchases_plan
            + self.gov_capital_plan
            + self.reform_investment[GOVERNMENT]
            + land["compensation"]
        )
        self.city.settle(payments - receipts)
        self.city.last_local_revenue = flows["local_revenue"]
        self.city.last_contributions = flows["contributions"]
        self.city.last_land_revenue = land["land_sales"]
        self.transfer_in = transfer_in

    def gov_pay(self, receiver: int, amount: float, kind: str) -> None:
        """The city pays a reform outlay now (a subsidy, a transfer), borrowing if need be."""
        self.ledger.pay(GOVERNMENT, receiver, amount, kind)
        self.city.settle(amount)
        self.reform_spending += amount

    def request_land(self, rows: np.ndarray, wanted_mu: np.ndarray) -> np.ndarray:
        """Firms buy construction land from their zone's supply, as far as it goes."""
        p, fm = self.params, self.fm
        got = np.zeros(len(rows))
        for z, zone in enumerate(self.zones):
            m = fm.zone[rows] == z
            if not m.any():
                continue
            demand = fm.weight[rows][m] * wanted_mu[m]
            total = float(demand.sum())
            if total <= 0:
                continue
            share = min(1.0, zone.land_available_mu / total)
            got[m] = wanted_mu[m] * share
            zone.land_available_mu -= total * share
        fm.land_mu[rows] += got
        price = p.land.land_sale_price_yuan_per_mu * self.price_level_now
        fm.cash_yuan[rows] -= got * price
        short = np.maximum(-fm.cash_yuan[rows], 0.0)
        fm.cash_yuan[rows] += short
        fm.debt_yuan[rows] += short
        paid = float(np.sum(fm.weight[rows] * got)) * price
        self.ledger.pay(FIRMS, GOVERNMENT, paid, "land_sales")
        self._land_sales += paid
        return got

    def land_market(self) -> dict[str, float]:
        """Requisition of farmland with compensation, farmland transfer, land for firms."""
        p, hh, fm, rng = self.params, self.hh, self.fm, self.rng
        v = self.villages
        out = {"requisitioned_mu": 0.0, "compensation": 0.0, "transferred_mu": 0.0}
        # firms that have grown want more land
        flive = fm.live()
        sec = fm.sector[flive]
        desired = np.asarray(p.sectors.land_per_va_mu)[sec] * 4 * fm.supply[flive] / 1e6
        want = np.maximum(desired - fm.land_mu[flive], 0.0) * (sec != 0)
        zone_want = np.bincount(
            fm.zone[flive], weights=fm.weight[flive] * want, minlength=len(self.zones)
        )
        # the government requisitions farmland where supply runs short
        base = p.land.requisition_per_year_km2 * MU_PER_KM2 / 4
        industry_va = np.bincount(
            fm.zone[flive],
            weights=fm.weight[flive] * fm.va_yuan[flive] * np.isin(sec, self.industry),
            minlength=len(self.zones),
        )
        share = industry_va / max(industry_va.sum(), 1.0)
        areas = np.zeros(len(self.zones))
        for z, zone in enumerate(self.zones):
            gap = zone_want[z] - zone.land_available_mu
            if gap <= 0:
                continue
            planned = base * share[z]
            areas[z] = max(
                min(
                    planned,
                    gap * p.land.requisition_gap_share,
                    zone.land_mu["farmland"] * p.land.requisition_max_share,
                ),
                0.0,
            )
        if areas.any():
            comp = self._requisition(areas)
            for z in np.flatnonzero(areas > 0):
                out["requisitioned_mu"] += areas[z]
                out["compensation"] += comp[z]
        self.request_land(flive, want)
        # farmland transfer: a household rents its plot out when the rent (plus, for a full-time
        # farmer, the wage job it can then look for) beats what it gets from farming it; how
        # often the chance comes depends on how secure transfers are
        free = hh.where(
            (hh.col("collective") >= 0) & (hh.col("land_mu") - hh.col("land_out_mu") > 0.01)
        )
        rent = (
            (hh.land_mu[free] - hh.land_out_mu[free])
            * p.land.farmland_rent_yuan_per_mu
            * self.rules.farmland_rent_multiplier
            / 4
            * self.cpi_now
        )
        farmed = self.hh_farm_supply[free] * self.price_level_now * self.sector_price[0]
        farmer = (hh.job[free] == OWN_FARM) & ~hh.urban[free]
        prospect = np.where(
            farmer,
            p.land.exit_job_prospect * self.skill_wage[hh.skill[free]] * hh.workers[free] / 4,
            0.0,
        )
        gains = rent + prospect > farmed
        rent_out = free[gains & (rng.random(len(free)) < self.rules.farmland_transfer_rate)]
        leaving = rent_out[hh.job[rent_out] == OWN_FARM]
        hh.job[leaving] = UNEMPLOYED
        out["transferred_mu"] = float(
            np.sum(hh.weight[rent_out] * (hh.land_mu[rent_out] - hh.land_out_mu[rent_out]))
        )
        hh.land_out_mu[rent_out] = hh.land_mu[rent_out]
        self._assign_leased_farmland()
        pay_dividends(self)
        out["village_dividends"] = float(v.dividends_yuan[: v.n].sum())
        return out

    def _requisition(self, areas_mu: np.ndarray) -> np.ndarray:
        """Convert ``areas_mu[z]`` of each zone's farmland to state construction land and pay
        compensation; returns the compensation paid in each zone.

        Each village of the zone gives up land in proportion to its farmland, and each member
        household the same share of its plot; households are paid in proportion to what they
        lose, the village keeps the rest.
        """
        hh, v = self.hh, self.villages
        nz = len(self.zones)
        frac = np.zeros(v.n)
        totals = np.zeros(nz)
        takes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        price = self.rules.compensation_yuan_per_mu * self.cpi_now
        for z in np.flatnonzero(areas_mu > 0):
            zone = self.zones[z]
            vil = np.flatnonzero(v.zone[: v.n] == z)
            farmland = v.farmland_mu[vil]
            if farmland.sum() <= 0:
                continue
            take_v = np.minimum(areas_mu[z] * farmland / farmland.sum(), farmland)
            area_mu = float(take_v.sum())
            frac[vil] = np.minimum(take_v / np.maximum(farmland, 1e-9), 1.0)
            v.farmland_mu[vil] -= take_v
            zone.land_mu["farmland"] -= area_mu
            zone.land_mu["urban_construction"] += area_mu
            zone.land_available_mu += area_mu
            totals[z] = area_mu * price
            takes[int(z)] = (vil, take_v)
        # only the members of villages that lose land are touched (looked up by collective + 1,
        # where 0 stands for households outside any village)
        frac_of = np.concatenate(([0.0], frac)).take(hh.collective[hh.rows()] + 1)
        mem = np.flatnonzero(frac_of > 0)
        lost = hh.land_mu[mem] * frac_of[mem]
        mem_zone = v.zone[hh.collective[mem]]
        lost_w = hh.weight[mem] * lost
        hh.land_mu[mem] = np.maximum(hh.land_mu[mem] - lost, 0.0)
        hh.land_out_mu[mem] = np.minimum(hh.land_out_mu[mem], hh.land_mu[mem])
        # households' part of each zone's compensation, shared by what they lost (all zones
        # at once: per real mu lost in the zone)
        lost_z = np.bincount(mem_zone, weights=lost_w, minlength=nz)
        to_households = totals * self.rules.compensation_household_share
        per_mu = np.where(lost_z > 0, to_households / np.maximum(lost_z, 1e-9), 0.0)
        per_mu_of = per_mu.take(mem_zone)
        hh.inc_compensation[mem] += lost * per_mu_of
        paid_z = np.bincount(mem_zone, weights=lost_w * per_mu_of, minlength=nz)
        for z, (vil, take_v) in takes.items():
            paid_h = float(paid_z[z])
            to_villages = totals[z] - paid_h
            v.cash_yuan[vil] += to_villages * take_v / take_v.sum()
            v.income_yuan[vil] += to_villages * take_v / take_v.sum()
            self.ledger.pay(GOVERNMENT, HOUSEHOLDS, paid_h, "compensation")
            self.ledger.pay(GOVERNMENT, COLLECTIVES, to_villages, "compensation")
        return totals

    def environment(self) -> dict[str, float]:
        """Energy use, emissions and the Liangzi Lake's water quality this quarter."""
        p, fm, hh = self.params, self.fm, self.hh
        flive = fm.live()
        sec = fm.sector[flive]
        years = self.t / 4
        trend = (1 - p.firms.energy_saving_trend) ** years
        real_va_10k = fm.weight[flive] * fm.supply[flive] / 1e4
        energy_i = (
            real_va_10k
            * np.asarray(p.sectors.energy_tce_per_10k_yuan)[sec]
            * (fm.energy_intensity[flive])
            * trend
        )
        emis = (
            energy_i
            * np.asarray(p.sectors.emission_per_tce)[sec]
            * (fm.emission_intensity[flive])
            * (1 - fm.clean_tech[flive])
        )
        live = hh.rows()
        hh_real_farm = weighted_total(hh.weight[live], self.hh_farm_supply[live]) / 1e4
        energy_hh = hh_real_farm * p.sectors.energy_tce_per_10k_yuan[0]
        energy = float(energy_i.sum()) + energy_hh
        emissions = float(emis.sum()) + energy_hh * p.sectors.emission_per_tce[0]
        basin = np.asarray(p.zones.lake_basin_share)
        # farms' crop runoff is counted per mu below; a large farm's own discharge (fish and
        # pearl ponds) is counted on the part of its output from its own land
        own = np.where(
            sec == 0,
            fm.land_mu[flive] / np.maximum(fm.land_mu[flive] + fm.leased_farmland_mu[flive], 1e-9),
            1.0,
        )
        cod_f = (
            own
            * fm.weight[flive]
            * fm.supply[flive]
            / 1e6
            * np.asarray(p.sectors.cod_per_m_yuan)[sec]
            * basin[fm.zone[flive]]
            * (1 - fm.clean_tech[flive])
        )
        v = self.villages
        farm_cod = (
            float(np.sum(v.farmland_mu[: v.n] * basin[v.zone[: v.n]]))
            * (p.environment.farm_cod_per_mu)
            / 4
        )
        rural = hh.where(~hh.col("urban"))
        hh_cod = (
            float(np.sum(hh.weight[rural] * hh.size[rural] * basin[hh.zone[rural]]))
            * (p.environment.household_cod_per_person)
            / 4
            * (1 - self.rules.sewage_treatment)
        )
        load = float(cod_f.sum()) + farm_cod + hh_cod
        if "lake_load" not in self._base:
            self._base["lake_load"] = load
        q0 = p.environment.lake_quality_2010
        half = self._base["lake_load"] * (4 / (q0 - 1) - 1)
        q_eq = 1 + 4 * load / (load + half)
        self.lake_quality += p.environment.lake_response * (q_eq - self.lake_quality)
        return {
            "energy_tce": energy,
            "emissions": emissions,
            "lake_load_t": load,
            "lake_quality": self.lake_quality,
        }

    # ------------------------------------------------------------------ step
    def net_worth(self) -> np.ndarray:
        hh, fm, v = self.hh, self.fm, self.villages
        live, flive = hh.rows(), fm.live()
        nw = np.zeros(6)
        nw[HOUSEHOLDS] = float(
            np.sum(hh.weight[live] * (hh.savings_yuan[live] - hh.debt_yuan[live]))
        )
        nw[FIRMS] = float(np.sum(fm.weight[flive] * (fm.cash_yuan[flive] - fm.debt_yuan[flive])))
        nw[GOVERNMENT] = self.city.net_worth_yuan
        nw[COLLECTIVES] = float(v.cash_yuan[: v.n].sum())
        return nw

    def step(self) -> None:
        if self.t >= self.n_quarters:
            raise RuntimeError("the model has reached its end year")
        t0 = time.perf_counter()
        p, hh, fm = self.params, self.hh, self.fm
        t = self.t
        self.ledger.reset()
        self._land_sales = 0.0
        nw_before = self.net_worth()
        pop_before = self.population()
        self.price_level_now = float(self.world.price_level[t])
        self.cpi_now = float(self.world.cpi[t])
        hh.inc_compensation[: hh.n] = 0.0
        self.villages.income_yuan[: self.villages.n] = 0.0
        self._reset_quarter_flows()
        # this quarter's rules: the baseline, adjusted by each reform in force
        self.rules.reset()
        active = [(r, r.strength(t)) for r in self.reforms]
        active = [(r, s) for r, s in active if s > 0]
        for reform, s in active:
            reform.apply_rules(self.rules, s)
        for zone in self.zones:
            zone.approval_days = zone.approval_days_2010 * self.rules.approval_days_factor
        self.market_index *= (1 + self.rules.extra_market_gain) ** 0.25
        g = p.firms.tfp_growth_share * self.world.national_real_growth[t] + p.firms.catch_up_growth
        # household producers' productivity drifts with firms', from the first quarter on
        self.productivity_index *= (1 + g) ** 0.25
        self.farm_index *= (1 + g + self.rules.rural_productivity_boost) ** 0.25
        # 1 people
        demo = hh_rules.demography(self)
        mig = hh_rules.migrate(self)
        moved = hh_rules.move_to_town(self)
        # 2 firms in and out, productivity, wages
        turnover = self.firm_turnover()
        for reform, s in active:
            reform.act(s)
        self.knowledge_share_now = self.knowledge_share()
        firm_rules.update_productivity(self)
        self._capacity_cut()
        self.grow_wages()
        # 3 labour market; then each worker's wage in the job the market left it in
        lab = self.labour_market()
        self.update_wages(grow=False)
        # 4 plans
        hh_rules.plan_consumption(self)
        self.government_plan()
        flive = fm.live()
        spend = self.plan_finance(flive)
        firm_investment = float(np.sum(fm.weight[flive] * spend))
        # 5 production and the goods market
        market = self.produce_and_sell(firm_investment)
        # 6 incomes
        flows = self.distribute_income()
        # 7 land
        land = self.land_market()
        land["land_sales"] = self._land_sales
        land.setdefault("compensation", 0.0)
        self.settle_government(flows, land)
        self.settle_households()
        # 8 environment
        env = self.environment()
        # depreciation of real capital
        fm.capital_yuan[flive] *= 1 - p.firms.depreciation / 4
        # 9 accounts
        rec = self._record(
            market, flows, land, env, demo, mig, moved, turnover, lab, firm_investment
        )
        if self.check_invariants:
            self._check(nw_before, pop_before, demo, mig, rec)
        self.last_gdp_q = rec["gdp_yuan"]
        self._update_expectations(market["supply"])
        if (t + 1) % 4 == 0:
            self._close_year()
        self.t += 1
        self.wall_seconds += time.perf_counter() - t0

    def _reset_quarter_flows(self) -> None:
        self.reform_investment = {FIRMS: 0.0, GOVERNMENT: 0.0, HOUSEHOLDS: 0.0}
        self.reform_spending = 0.0  # the city's outlays on reforms other than investment
        self.reform_purchases = 0.0  # services the city buys for reforms (training, ...)
        self.flow_in_persons = self.flow_out_persons = 0.0
        self._extra_exits = 0.0
        self._extra_entrants = 0.0
        self.reform_counts: dict[str, float] = {}

    def _capacity_cut(self) -> None:
        cut = self.world.capacity_cut[self.t]
        if cut <= 0:
            return
        fm = self.fm
        live = fm.live()
        heavy = live[np.isin(fm.sector[live], self.heavy_sectors)]
        fm.capital_yuan[heavy] *= (1 - cut) ** 0.25  # the year's cut, spread over its quarters

    def _update_expectations(self, supply: np.ndarray) -> None:
        """Firms expect their sector to keep growing as it did over the past year."""
        self._supply_history.append(supply)
        if len(self._supply_history) > 4:
            year_ago = self._supply_history.pop(0)
            g = supply / np.maximum(year_ago, 1e-9) - 1
            a = self.params.firms.expectation_weight
            self.expected_growth = (1 - a) * self.expected_growth + a * np.clip(g, -0.3, 0.5)

    def _close_year(self) -> None:
        fm = self.fm
        live = fm.live()
        fm.sales_last_year[live] = fm.sales_year[live]
        fm.sales_year[: fm.n] = 0.0

    def _record(
        self, market, flows, land, env, demo, mig, moved, turnover, lab, firm_investment
    ) -> dict[str, float]:
        p, hh, fm = self.params, self.hh, self.fm
        t = self.t
        P = self.price_level_now
        live, flive = hh.rows(), fm.live()
        hw = hh.weight[live]
        ns = len(self.sector_names)
        revenue = market["revenue"]
        gov_va = flows["public_wages"]
        gdp = float(revenue.sum()) + gov_va
        cls = self.sector_class
        # household sums by zone and residence, by job and by skill, each in one pass
        nz = len(self.zones)
        zone = hh.zone[live]
        urban = hh.urban[live]
        persons = hh.size[live] * hw
        disp = self._disposable * hw
        real_workers = hw * hh.workers[live]
        job = hh.job[live]
        zu = zone.astype(np.int64) * 2 + urban
        persons_zu = np.bincount(zu, weights=persons, minlength=2 * nz).reshape(nz, 2)
        disp_zu = np.bincount(zu, weights=disp, minlength=2 * nz).reshape(nz, 2)
        mixed_z = np.bincount(
            zone, weights=hw * (hh.inc_farming[live] + hh.inc_business[live]), minlength=nz
        )
        by_job = np.bincount(job, weights=real_workers, minlength=len(JOB_NAMES))
        pop_z = persons_zu.sum(axis=1)
        urban_persons = float(persons_zu[:, 1].sum())
        rural_persons = float(persons_zu[:, 0].sum())
        # GDP by income: compensation + taxes on production + operating surplus + mixed income
        mixed = float(mixed_z.sum())
        gdp_income = (
            flows["firm_wages"]
            + flows["public_wages"]
            + flows["va_tax"]
            + flows["other_tax"]
            + flows["firm_gross_surplus"]
            + mixed
        )
        knowledge = float(np.bincount(hh.skill[live], weights=real_workers, minlength=3)[2])
        sales_last = fm.sales_year[flive]
        industry_firm = np.isin(fm.sector[flive], self.industry)
        above = self.firms_above_scale(fm.weight[flive][industry_firm], sales_last[industry_firm])
        approval = float(np.sum(pop_z * [z.approval_days for z in self.zones]) / pop_z.sum())
        spending_total = (
            flows["public_wages"]
            + flows["pensions"]
            + self.gov_purchases_plan
            + self.gov_capital_plan
            + self.reform_investment[GOVERNMENT]
            + self.reform_spending
            + land["compensation"]
        )
        admin_share = self.rules.admin_share
        admin = admin_share * (flows["public_wages"] + self.gov_purchases_plan)
        service = (
            (1 - admin_share) * flows["public_wages"]
            + flows["pensions"]
            + p.fiscal.public_service_share * self.gov_purchases_plan
        )
        # services delivered (2010 yuan): staff at work, and purchases at their efficiency
        provision = (
            (1 - admin_share) * flows["public_wages"]
            + p.fiscal.public_service_share
            * self.gov_purchases_plan
            * self.rules.service_efficiency
        ) / P
        # a rural resident gets `rural_service_weight` of an urban resident's services, plus
        # what equalisation sends to villages
        weighted = p.fiscal.rural_service_weight * rural_persons
        rural_service_share = min(
            1.0, weighted / max(weighted + urban_persons, 1.0) + self.rules.rural_service_share
        )
        damage = (
            env["emissions"] * p.environment.damage_yuan_per_emission
            + p.environment.lake_damage_bn_per_class * 1e9 / 4 * max(env["lake_quality"] - 1, 0)
        ) * P
        rec = {
            "t": t,
            "year": int(self.world.years[t]),
            "quarter": t % 4 + 1,
            "population": float(pop_z.sum()),
            "households": float(hw.sum()),
            "urban_population": urban_persons,
            "gdp_yuan": gdp,
            "gdp_income_yuan": gdp_income,
            "gdp_real_yuan": gdp / P,
            "sales_paid_yuan": market["sales_paid"] + gov_va,
            "primary_yuan": float(revenue[cls == "primary"].sum()),
            "secondary_yuan": float(revenue[(cls == "industry") | (cls == "construction")].sum()),
            "industry_yuan": float(revenue[cls == "industry"].sum()),
            "tertiary_yuan": float(revenue[cls == "tertiary"].sum()) + gov_va,
            "hightech_yuan": float(revenue[self.hightech]),
            "local_revenue_yuan": flows["local_revenue"],
            "local_profit_tax_yuan": flows["local_profit_tax"],
            "total_tax_yuan": flows["total_tax"],
            "va_tax_yuan": flows["va_tax"],
            "local_va_tax_yuan": flows["local_va_tax"],
            "profit_tax_yuan": flows["profit_tax"],
            "public_service_yuan": service,
            "public_service_provision_real_yuan": provision,
            "rural_public_service_yuan": service * rural_service_share,
            "gov_spending_yuan": spending_total,
            "gov_current_spending_yuan": flows["public_wages"]
            + flows["pensions"]
            + self.gov_purchases_plan,
            "admin_spending_yuan": admin,
            "fai_yuan": market["investment"],
            "firm_investment_yuan": firm_investment,
            "urban_disposable_yuan": float(disp_zu[:, 1].sum()),
            "rural_disposable_yuan": float(disp_zu[:, 0].sum()),
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
            "firms": self.real_firms(),
            "entrants": turnover["entrants"] + self._extra_entrants,
            "exits": turnover["exits"] + self._extra_exits,
            "above_scale_firms": above,
            "approval_days": approval,
            "energy_tce": env["energy_tce"],
            "emissions": env["emissions"],
            "lake_load_t": env["lake_load_t"],
            "lake_quality": env["lake_quality"],
            "green_gdp_yuan": gdp - damage,
            "price_level": P,
            "cpi": self.cpi_now,
            "births": demo["births"],
            "deaths": demo["deaths"],
            "in_persons": self.flow_in_persons,
            "out_persons": self.flow_out_persons,
            "moved_to_town": moved,
            "requisitioned_mu": land["requisitioned_mu"],
            "compensation_yuan": land["compensation"],
            "transferred_mu": land["transferred_mu"],
            "farmland_rent_yuan": flows["farmland_rent"],
            "village_dividends_yuan": land["village_dividends"],
            "land_sales_yuan": land["land_sales"],
            "gov_debt_yuan": self.city.debt_yuan,
            "firm_debt_yuan": float(np.sum(fm.weight[flive] * fm.debt_yuan[flive])),
            "household_savings_yuan": weighted_total(hw, hh.savings_yuan[live]),
        }
        for key in REFORM_COUNTS:
            rec[key] = float(self.reform_counts.get(key, 0.0))
        heavy = flive[np.isin(fm.sector[flive], self.heavy_sectors)]
        kw = fm.weight[heavy] * fm.capital_yuan[heavy]
        rec["heavy_abatement_share"] = float(np.sum(kw * fm.clean_tech[heavy]) / max(kw.sum(), 1))
        # sector by employer + 1; households without a firm job count under sector ns
        sector_of = np.concatenate(([ns], fm.sector[: fm.n]))
        by_sector = np.bincount(
            sector_of.take(hh.employer[live] + 1), weights=real_workers, minlength=ns + 1
        )
        rec["industry_workers"] = float(by_sector[self.industry].sum())
        for s in range(ns):
            rec[f"va_{self.sector_names[s]}_yuan"] = float(revenue[s])
            rec[f"price_{self.sector_names[s]}"] = float(self.sector_price[s])
        self.records.append(rec)
        # per zone
        zone_va = np.bincount(
            fm.zone[flive], weights=fm.weight[flive] * fm.va_yuan[flive], minlength=len(self.zones)
        )
        zone_va += mixed_z
        zone_va += gov_va * pop_z / pop_z.sum()
        zone_firms = np.bincount(
            fm.zone[flive], weights=fm.weight[flive], minlength=len(self.zones)
        )
        zone_urban = persons_zu[:, 1]
        zone_disp = disp_zu.sum(axis=1)
        for z, zone in enumerate(self.zones):
            self.zone_records.append(
                {
                    "t": t,
                    "year": rec["year"],
                    "zone": zone.name,
                    "population": float(pop_z[z]),
                    "urban_population": float(zone_urban[z]),
                    "gdp_yuan": float(zone_va[z]),
                    "firms": float(zone_firms[z]),
                    "disposable_yuan": float(zone_disp[z]),
                    "public_service_yuan": service * pop_z[z] / pop_z.sum(),
                    "approval_days": zone.approval_days,
                    "farmland_mu": zone.land_mu["farmland"],
                    "urban_construction_mu": zone.land_mu["urban_construction"],
                }
            )
        return rec

    def firms_above_scale(self, weight: np.ndarray, sales: np.ndarray) -> float:
        """Real firms with sales over the threshold so far this year.

        An agent stands for ``weight`` firms whose sales spread around the agent's with
        log-sd ``sigma * sqrt(1 - 1/weight)``: none for a single firm, so the count is the
        plain one at scale 1 and a smooth, unbiased one when agents stand for many firms.
        """
        spread = self.params.calibration.within_agent_sales_sd * np.sqrt(
            np.maximum(1 - 1 / weight, 0.0)
        )
        z = np.log(np.maximum(sales, 1.0) / ABOVE_SCALE_SALES_YUAN)
        share = np.where(spread > 0, normal_cdf(z / np.maximum(spread, 1e-12)), z >= 0)
        return float(np.sum(weight * share))

    def _check(self, nw_before, pop_before, demo, mig, rec) -> None:
        """Conservation of people, land and money; no NaN; no negative stock."""
        pop_after = self.population()
        expected = (
            pop_before
            + demo["births"]
            - demo["deaths"]
            + self.flow_in_persons
            - self.flow_out_persons
        )
        if abs(pop_after - expected) > 1e-6 * max(pop_after, 1.0):
            raise InvariantError(f"people not conserved: {pop_after} vs {expected}")
        for zone in self.zones:
            total = sum(zone.land_mu.values())
            area = self.params.zones.area_km2[zone.index] * MU_PER_KM2
            if abs(total - area) > 1e-6 * area:
                raise InvariantError(f"land of {zone.name} sums to {total}, not {area}")
            if min(zone.land_mu.values()) < 0 or zone.land_available_mu < -1e-6:
                raise InvariantError(f"negative land in {zone.name}")
        accounts.check_stock_flow(
            nw_before, self.net_worth(), self.ledger, (HOUSEHOLDS, FIRMS, GOVERNMENT, COLLECTIVES)
        )
        if abs(rec["gdp_yuan"] - rec["gdp_income_yuan"]) > 1e-6 * rec["gdp_yuan"]:
            raise InvariantError(
                f"GDP by production {rec['gdp_yuan']} != by income {rec['gdp_income_yuan']}"
            )
        if abs(rec["gdp_yuan"] - rec["sales_paid_yuan"]) > 1e-6 * rec["gdp_yuan"]:
            raise InvariantError("goods market: sales do not equal what buyers paid")
        hh, fm = self.hh, self.fm
        live, flive = hh.rows(), fm.live()
        for name in ("savings_yuan", "debt_yuan", "land_mu", "land_out_mu", "size", "workers"):
            accounts.check_finite_nonnegative(f"households.{name}", getattr(hh, name)[live])
        for name in ("capital_yuan", "cash_yuan", "debt_yuan", "land_mu", "supply", "tfp"):
            accounts.check_finite_nonnegative(f"firms.{name}", getattr(fm, name)[flive])
        # a household has a job code other than "none" exactly when it has workers (demography
        # only revisits the households it touches)
        if np.any((hh.workers[live] == 0) != (hh.job[live] == NO_WORKERS)):
            raise InvariantError("households: workers and the no-workers job code disagree")
        # a household has an employer exactly when it works for a firm, and that firm exists
        employed = hh.job[live] == FIRM_JOB
        employer = hh.employer[live]
        if np.any(employed != (employer >= 0)):
            raise InvariantError("households: employer set without a firm job, or the reverse")
        if np.any(~fm.alive[employer[employed]]):
            raise InvariantError("households: employed by a firm that has closed")
        for key, value in rec.items():
            if isinstance(value, float) and not np.isfinite(value):
                raise InvariantError(f"record {key} is not finite")

    # ------------------------------------------------------------------ running
    def run(self, until_year: int | None = None) -> ReformModel:
        end = until_year or self.end_year
        while self.t < self.n_quarters and self.world.years[self.t] <= end:
            self.step()
        return self

    def quarterly_frame(self) -> pd.DataFrame:
        df = pd.DataFrame.from_records(self.records)
        df.insert(0, "seed", self.seed)
        return df

    def zone_frame(self) -> pd.DataFrame:
        df = pd.DataFrame.from_records(self.zone_records)
        df.insert(0, "seed", self.seed)
        return df
