"""Population synthesis: the synthetic Ezhou of early 2010.

Builds household, firm and village columns from the documented parameters and a random
generator. Everything is in real-world units; weights say how many real households or
firms an agent stands for. Household agents stand for ``scale`` households; small firms for
``scale`` firms, above-scale industrial firms for ``scale / 10`` (at least one) and the two
giant works for themselves, so that firm agents and household agents keep about the same
ratio at every scale of 10 and above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from model.agents.firm import FirmTable
from model.agents.household import (
    COMMUTE_WUHAN,
    FIRM_JOB,
    NO_WORKERS,
    OWN_BUSINESS,
    OWN_FARM,
    PUBLIC_JOB,
    UNEMPLOYED,
    HouseholdTable,
    farm_capacity,
)
from model.arrays import take_until
from model.calibration import Params
from model.choices import choose_from, cumulative

MU_PER_KM2 = 1500.0
SIZE_PROBS = np.array([0.12, 0.25, 0.30, 0.18, 0.10, 0.05])  # 1..6 persons, mean 3.04
_SIZE_CDF = cumulative(SIZE_PROBS)  # (as ``choose`` draws with them, worked out once)
ABOVE_SCALE_SALES_YUAN = 20e6


@dataclass
class SyntheticCity:
    households: HouseholdTable
    firms: FirmTable
    village_zone: np.ndarray
    village_farmland_mu: np.ndarray
    village_construction_mu: np.ndarray
    village_homestead_mu: np.ndarray
    zone_land_mu: dict[str, np.ndarray]
    agri_land_mu_by_zone: np.ndarray
    farm_tfp_level: float
    business_tfp_level: float
    public_workers: float
    firm_weight_small: float
    firm_annual_va: np.ndarray = field(default_factory=lambda: np.zeros(0))


def mean_one_lognormal(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """Log-normal multipliers with mean one."""
    return rng.lognormal(-0.5 * sigma**2, sigma, n)


def largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` whole units in proportion to ``shares`` (largest remainders)."""
    exact = total * shares / shares.sum()
    out = np.floor(exact).astype(int)
    rest = total - out.sum()
    out[np.argsort(-(exact - out), kind="stable")[:rest]] += 1
    return out


def household_size_draw(rng: np.random.Generator, n: int) -> np.ndarray:
    """``choose(rng, SIZE_PROBS, n) + 1``."""
    return choose_from(rng, SIZE_PROBS, _SIZE_CDF, n) + 1


@lru_cache(maxsize=16)
def _skill_mixes(p: Params) -> tuple[np.ndarray, np.floating, np.ndarray, np.floating]:
    """The town and village skill mixes, cumulated, and their totals: what skills are drawn
    with (parameters do not change: worked out once for each set, read-only)."""
    out = []
    for mix in (np.asarray(p.skills.urban_mix), np.asarray(p.skills.rural_mix)):
        cumulated = mix.cumsum()
        cumulated.setflags(write=False)
        out += [cumulated, mix.sum()]
    return tuple(out)


def draw_households(p: Params, rng: np.random.Generator, zone: np.ndarray, urban: np.ndarray):
    """Sizes, workers, elderly, skill and registration for new households."""
    n = len(zone)
    size = household_size_draw(rng, n)
    workers = rng.binomial(size, p.households.workers_per_person)
    share_old = p.households.elderly_share / (1 - p.households.workers_per_person)
    elderly = rng.binomial(size - workers, share_old)
    urban_cdf, urban_total, rural_cdf, rural_total = _skill_mixes(p)
    u = rng.random(n)
    skill = np.where(
        urban,
        urban_cdf.searchsorted(u * urban_total),
        rural_cdf.searchsorted(u * rural_total),
    )
    rural_hukou = np.where(urban, rng.random(n) < p.migration.urban_rural_registered_2010, True)
    return size, workers, elderly, np.minimum(skill, 3), rural_hukou


def build_city(p: Params, scale: float, rng: np.random.Generator) -> SyntheticCity:
    zones = p.zones
    nz = len(zones.names)
    # room for the start's households and a tenth more, so that filling the table does not
    # copy it again and again
    expected = sum(zones.population_2010) / p.households.mean_size / scale
    hh = HouseholdTable(capacity=int(1.1 * expected) + nz)
    fm = FirmTable()

    # --- households, zone by zone ---------------------------------------------------------
    for z in range(nz):
        n_real = zones.population_2010[z] / p.households.mean_size
        n_agents = max(1, int(round(n_real / scale)))
        zone = np.full(n_agents, z)
        urban = rng.random(n_agents) < zones.urban_share_2010[z]
        size, workers, elderly, skill, rural_hukou = draw_households(p, rng, zone, urban)
        weight = zones.population_2010[z] / size.sum()  # persons exact per zone
        hh.add(
            n_agents,
            alive=True,
            weight=weight,
            zone=z,
            urban=urban,
            rural_hukou=rural_hukou,
            collective=-1,
            size=size,
            workers=workers,
            elderly=elderly,
            skill=skill,
            job=np.where(workers > 0, UNEMPLOYED, NO_WORKERS),
            employer=-1,
        )
    n = hh.n
    w = hh.col("weight")
    workers = hh.col("workers").astype(float)
    job = hh.col("job")
    skill = hh.col("skill")
    urban = hh.col("urban")
    zone = hh.col("zone")

    # --- villages and land ---------------------------------------------------------------
    area_mu = np.asarray(zones.area_km2) * MU_PER_KM2
    farmland = area_mu * zones.farmland_share
    water = area_mu * zones.water_share
    urban_c = area_mu * zones.urban_construction_share
    rural_c = area_mu * zones.rural_construction_share
    other = area_mu - farmland - water - urban_c - rural_c
    village_zone = np.repeat(np.arange(nz), np.asarray(zones.villages, dtype=int))
    coll = hh.col("collective")
    rural_reg = hh.col("rural_hukou")
    for z in range(nz):
        idx = np.flatnonzero(rural_reg & (zone == z))
        villages = np.flatnonzero(village_zone == z)
        coll[idx] = rng.choice(villages, size=len(idx))

    # --- firms ------------------------------------------------------------------------------
    sec = p.sectors
    ns = len(sec.names)
    w_small = float(max(1.0, scale))
    w_above = float(max(1.0, scale / p.firms.above_scale_weight_divisor))
    va_q0 = []  # quarterly value added of the first quarter, per real firm
    annual_va = np.asarray(sec.value_added_2010_bn) * 1e9
    for s in range(ns):
        n_firms = int(sec.firms_2010[s])
        n_giant = int(sec.giant_firms[s])
        # firms above the threshold at the start of 2010: fitted so that the year ends at 510
        n_above = int(round(sec.above_scale_2010[s] * p.calibration.above_scale_start)) - n_giant
        n_small = n_firms - n_giant - n_above
        zone_w = np.asarray(sec.zone_weights[s])
        zone_w = zone_w / zone_w.sum()
        va_s = annual_va[s]
        va_giant = va_s * sec.giant_va_share[s]
        sigma = sec.size_sigma[s]
        vts = sec.va_to_sales[s]
        groups = []  # (count_real, agents, weight, relative sizes, zone)
        if n_giant:
            groups.append(("giant", n_giant, np.ones(n_giant), None))
        for label, count, weight in (("above", n_above, w_above), ("small", n_small, w_small)):
            if count <= 0:
                continue
            # enough agents that no sector hangs on one or two of them
            n_agents = min(count, max(p.firms.min_agents_per_group, int(round(count / weight))))
            # every zone with a share gets an agent, and weights make each zone's share exact
            agents_z = largest_remainder(n_agents, zone_w)
            agents_z = np.where((zone_w > 0) & (agents_z == 0), 1, agents_z)
            zones_f = np.repeat(np.arange(nz), agents_z)
            per_agent = count * zone_w / np.maximum(agents_z, 1)
            weights_f = per_agent[zones_f]
            groups.append((label, count, weights_f, zones_f))
        # value added per real firm
        small_sales_cap = ABOVE_SCALE_SALES_YUAN * p.calibration.below_scale_sales_cap
        for label, count, weights_f, zones_f in groups:
            if label == "giant":
                z_g = int(np.argmax(zone_w))
                size = np.full(count, va_giant / count)
                zones_f = np.full(count, z_g)
            elif label == "small":
                # below-scale industrial firms stay under the sales threshold
                raw = rng.lognormal(0.0, sigma, len(weights_f))
                if sec.above_scale_2010[s] > 0:
                    raw = np.minimum(raw, np.quantile(raw, 0.98))
                size = raw
            else:
                raw = 1.0 + rng.pareto(1.6, len(weights_f))
                size = raw
            groups_va = size
            if label != "giant":
                groups_va = size / np.sum(size * weights_f)
            va_q0.append((s, label, weights_f, zones_f, groups_va))
        # scale the non-giant groups to the sector total, respecting the sales threshold
        rest = va_s - va_giant
        small = [g for g in va_q0 if g[0] == s and g[1] == "small"]
        above = [g for g in va_q0 if g[0] == s and g[1] == "above"]
        if above:
            # below-scale firms: average sales about 6 m yuan each, capped under 20 m
            _, _, wf, _, rel = small[0]
            total_small = min(n_small * 6e6 * vts, 0.3 * rest)
            rel *= total_small
            cap = small_sales_cap * vts
            rel[:] = np.minimum(rel, cap)
            _, _, wa, _, rela = above[0]
            total_above = rest - np.sum(rel * wf)
            floor = ABOVE_SCALE_SALES_YUAN * p.calibration.above_scale_sales_floor * vts
            excess_total = total_above - floor * wa.sum()
            if excess_total <= 0:
                raise ValueError(f"sector {sec.names[s]}: too little value added for its firms")
            ex = rela - rela.min() * 0.999
            ex = ex / np.sum(ex * wa) * excess_total
            rela[:] = floor + ex
        else:
            for g in small:
                g[4][:] = g[4] * rest

    for s, label, weights_f, zones_f, va_annual in va_q0:
        m = len(weights_f)
        if m == 0:
            continue
        # firm-to-firm spread of capital intensity (none for a giant, which is itself)
        spread = 0.0 if label == "giant" else 0.2
        k = sec.capital_output[s] * va_annual * mean_one_lognormal(rng, spread, m)
        land = sec.land_per_va_mu[s] * va_annual / 1e6
        fm.add(
            m,
            alive=True,
            weight=weights_f,
            giant=(label == "giant"),
            sector=s,
            zone=zones_f,
            capital_yuan=k,
            tfp=1.0,
            land_mu=land,
            debt_yuan=p.credit.debt_to_capital_2010 * k,
            cash_yuan=0.1 * va_annual,
            energy_intensity=mean_one_lognormal(rng, 0.15, m),
            emission_intensity=mean_one_lognormal(rng, 0.15, m),
            clean_tech=p.environment.clean_tech_2010,
            sales_last_year=va_annual / sec.va_to_sales[s],
            supply=va_annual,
            born_q=-40,
        )
    f_w = fm.col("weight")
    f_sec = fm.col("sector")
    f_zone = fm.col("zone")
    f_va = fm.col("supply").copy()  # annual VA per real firm (temporarily stored in supply)

    # --- jobs -----------------------------------------------------------------------------
    hw = w * workers  # real workers per agent
    order = rng.permutation(n)
    # public sector: town registrants, skilled and above
    public_target = p.labour.public_workers
    cand = order[(workers[order] > 0) & urban[order] & ~rural_reg[order] & (skill[order] >= 1)]
    take = take_until(rng, cand, hw[cand], public_target)
    job[take] = PUBLIC_JOB
    # firm jobs by skill: demand of each firm for each skill
    mix = np.asarray(sec.skill_mix)
    workers_s = np.asarray(sec.workers_2010, dtype=float)
    va_sector_real = np.bincount(f_sec, weights=f_w * f_va, minlength=ns)
    workers_per_firm = workers_s[f_sec] * f_va / va_sector_real[f_sec]  # per real firm
    employer = hh.col("employer")
    for k in range(4):
        demand = f_w * workers_per_firm * mix[f_sec, k]  # real workers of skill k per agent
        left = float(demand.sum())  # over-filled firms must not raise the total
        free = order[(job[order] == UNEMPLOYED) & (skill[order] == k)]
        # town registrants first, then rural registrants in town, then villagers, random
        # within each (firms' formal posts went to town registrants first)
        free = free[np.argsort(rural_reg[free].astype(int) + ~urban[free], kind="stable")]
        for z_pass in (True, False):
            for z in range(nz):
                fz = np.flatnonzero(f_zone == z) if z_pass else np.arange(fm.n)
                d = demand[fz]
                if d.sum() <= 0:
                    continue
                hz = free[(job[free] == UNEMPLOYED) & ((zone[free] == z) | (not z_pass))]
                cum = np.cumsum(hw[hz])
                picked = hz[cum <= min(d.sum(), left)]
                if len(picked) == 0:
                    continue
                pos = np.cumsum(hw[picked]) - 0.5 * hw[picked]
                firm_of = fz[np.minimum(np.searchsorted(np.cumsum(d), pos), len(fz) - 1)]
                job[picked] = FIRM_JOB
                employer[picked] = firm_of
                got = np.bincount(firm_of, weights=hw[picked], minlength=fm.n)
                left -= float(got.sum())
                demand = np.maximum(demand - got, 0)
            if not z_pass:
                break
    # own businesses, then commuters, then the unemployed, from the rest
    for code, target, prefer_urban in (
        (OWN_BUSINESS, p.households.own_business_workers, True),
        (COMMUTE_WUHAN, p.households.commuters_2010, True),
    ):
        cand = order[(job[order] == UNEMPLOYED) & (urban[order] == prefer_urban)]
        if code == COMMUTE_WUHAN:
            acc = np.asarray(zones.wuhan_commute_access)[zone[cand]]
            cand = cand[np.argsort(-acc * rng.random(len(cand)), kind="stable")]
        take = take_until(rng, cand, hw[cand], target)
        job[take] = code
    labour_force = hw.sum()
    cand = order[(job[order] == UNEMPLOYED)]
    # those left without a job are town registrants first (the registered unemployed), then
    # rural registrants in town, then villagers (who farm instead)
    cand = cand[np.argsort(rural_reg[cand].astype(int) + ~urban[cand], kind="stable")]
    keep_unemployed = take_until(rng, cand, hw[cand], p.households.unemployment_2010 * labour_force)
    # (take_until keeps the first candidates: the rest are the others, each once, so the
    # order they are written in does not matter; setdiff1d would sort them for nothing)
    rest = cand[len(keep_unemployed) :]
    job[rest] = np.where(urban[rest], UNEMPLOYED, OWN_FARM)

    # --- farmland: large farms (agriculture firms) and contracted plots ---------------------
    agri = f_sec == 0
    agri_land_by_zone = np.bincount(
        f_zone[agri], weights=(f_w * fm.col("land_mu"))[agri], minlength=nz
    )
    contracted = np.maximum(farmland - agri_land_by_zone, 0)
    persons_rural_reg = np.bincount(
        zone[rural_reg], weights=(w * hh.col("size"))[rural_reg], minlength=nz
    )
    per_person = contracted / np.maximum(persons_rural_reg, 1)
    land = hh.col("land_mu")
    land[rural_reg] = per_person[zone[rural_reg]] * hh.col("size")[rural_reg]
    # land of households that moved to town is rented out more often than not
    out = rural_reg & urban & (rng.random(n) < p.land.rented_out_2010)
    hh.col("land_out_mu")[out] = land[out]
    homestead_total = rural_c * (1 - zones.collective_construction_of_rural)
    hh_rural_reg_real = np.bincount(zone[rural_reg], weights=w[rural_reg], minlength=nz)
    per_hh_home = homestead_total / np.maximum(hh_rural_reg_real, 1)
    hh.col("homestead_mu")[rural_reg] = per_hh_home[zone[rural_reg]]
    n_v = len(village_zone)
    village_farmland = np.bincount(coll[rural_reg], weights=(w * land)[rural_reg], minlength=n_v)
    village_home = np.bincount(
        coll[rural_reg], weights=(w * hh.col("homestead_mu"))[rural_reg], minlength=n_v
    )
    vil_per_zone = np.bincount(village_zone, minlength=nz)
    village_constr = (rural_c * zones.collective_construction_of_rural)[village_zone] / np.maximum(
        vil_per_zone[village_zone], 1
    )

    # --- household productivity in farming and own business --------------------------------
    lam = p.households.farm_labour_elasticity
    op_land = land - hh.col("land_out_mu")
    raw = farm_capacity(op_land, workers, job, urban, lam, p.households.part_time_farming)
    farm_level = _household_farm_va(p) / max(np.sum(w * raw), 1e-9)
    hh.col("farm_tfp")[:] = farm_level * mean_one_lognormal(rng, 0.25, n)
    biz_workers = np.sum(hw[job == OWN_BUSINESS])
    biz_level = p.households.own_business_va_2010_bn * 1e9 / max(biz_workers, 1)

    # --- savings and housing ----------------------------------------------------------------
    wage = np.asarray(p.skills.wage_2010_yuan)[skill]
    income_guess = np.where(workers > 0, wage * workers, 6000.0 * hh.col("size"))
    hh.col("savings_yuan")[:] = (
        income_guess * p.households.savings_months / 12 * mean_one_lognormal(rng, 0.6, n)
    )

    used_public = float(np.sum(hw[job == PUBLIC_JOB]))
    fm.col("supply")[:] = 0.0
    city = SyntheticCity(
        households=hh,
        firms=fm,
        village_zone=village_zone,
        village_farmland_mu=village_farmland,
        village_construction_mu=village_constr,
        village_homestead_mu=village_home,
        zone_land_mu={
            "farmland": farmland.copy(),
            "water": water,
            "urban_construction": urban_c,
            "rural_construction": rural_c,
            "other": other,
        },
        agri_land_mu_by_zone=agri_land_by_zone,
        farm_tfp_level=farm_level,
        business_tfp_level=biz_level,
        public_workers=used_public,
        firm_weight_small=w_small,
    )
    city.firm_annual_va = f_va
    return city


def _household_farm_va(p: Params) -> float:
    """Annual value added of household farming: primary sector less agriculture firms."""
    from model.calibration import target

    gdp = target("gdp", 2010) * 1e9
    primary = gdp * target("gdp_structure_primary", 2012)
    return primary - p.sectors.value_added_2010_bn[0] * 1e9
