"""Land market: requisition of farmland with compensation, construction land for firms,
farmland rented out by households, and collective construction land leased to firms.

Each zone's land is counted by use and always sums to its area; the state construction land
ready for firms is the zone's ``land_available_mu``. The city buys farmland by requisition
(paying the households that lose it and their village) where firms' wants outrun that
supply, and sells construction land to developers (residential, first) and to firms. Land
whose households contest the requisition waits until the social-management staff settle the
dispute (``model/social.py``).

Industrial land is sold at ``land.land_sale_price_yuan_per_mu`` (2010) moved with the price
level: cities sold it by negotiation or listing near the national minimum standards of 2007
to court investors, and rationed it by quantity (the requisition plan), not by price.
Residential land goes to developers at its residual value, which answers the demand for
dwellings (``model/markets/housing.py``): that is where land prices answered demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import approvals, social
from model.accounts import COLLECTIVES, FIRMS, GOVERNMENT, HOUSEHOLDS, REST_OF_WORLD
from model.agents.household import OWN_FARM, UNEMPLOYED
from model.calibration.synth import MU_PER_KM2
from model.markets import housing
from model.markets.credit import cover_shortfall

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class LandResult:
    requisitioned_mu: float
    compensation: float  # paid for requisitioned land, yuan
    transferred_mu: float  # farmland households rented out this quarter
    land_sales: float  # construction land sold to firms (entrants' too) and developers, yuan
    wanted_mu: np.ndarray  # by zone, construction land firms asked for this quarter (real)
    disputes: social.DisputeResult  # requisitioned land contested, settled and waiting


def clear(economy: Economy, public_workers: float | None = None) -> LandResult:
    """Requisition where supply runs short, land for firms, farmland transfer
    (``public_workers``: real, as the labour market left them, when already at hand)."""
    params, firms, rng, zones = economy.params, economy.firms, economy.rng, economy.zones
    requisitioned, compensation = 0.0, 0.0
    # firms that have grown want more land
    live_firms = firms.live()
    sector = firms.sector[live_firms]
    want = land_wanted(economy, live_firms)
    # firms that want land file requests with their zone's offices
    approvals.file(economy, firms.zone[live_firms], land_requests(economy, live_firms, want))
    zone_want = np.bincount(
        firms.zone[live_firms], weights=firms.weight[live_firms] * want, minlength=len(zones)
    )
    # the government requisitions farmland where supply runs short, more of it the more a mu
    # sold to firms brings in over the compensation it costs (at 2010's margin, the plan)
    base = params.land.requisition_per_year_km2 * MU_PER_KM2 / 4
    margin = industrial_price(economy) - economy.rules.compensation_yuan_per_mu * economy.cpi
    margin_2010 = params.land.land_sale_price_yuan_per_mu - params.land.compensation_yuan_per_mu
    margin_factor = (
        max(margin, 0.0) / (margin_2010 * economy.price_level)
    ) ** params.land.requisition_margin_elasticity
    industry_va = np.bincount(
        firms.zone[live_firms],
        weights=firms.weight[live_firms]
        * firms.va_yuan[live_firms]
        * economy.sectors.in_group(sector, economy.sectors.industry),
        minlength=len(zones),
    )
    share = industry_va / max(industry_va.sum(), 1.0)
    # developers' residential land is requisitioned on top of the industrial plan
    residential = economy.housing.land_wanted_mu
    areas = np.zeros(len(zones))
    for z, zone in enumerate(zones):
        gap = zone_want[z] + residential[z] - zone.land_available_mu
        if gap <= 0:
            continue
        planned = base * share[z] * margin_factor + residential[z]
        areas[z] = max(
            min(
                planned,
                gap * params.land.requisition_gap_share,
                zone.land_mu["farmland"] * params.land.requisition_max_share,
            ),
            0.0,
        )
    # households contest part of it; the social-management staff settle earlier disputes
    social.assign_staff(economy, public_workers)
    areas, disputes = social.settle(economy, areas)
    if areas.any():
        paid = requisition(economy, areas)
        for z in np.flatnonzero(areas > 0):
            requisitioned += areas[z]
            compensation += paid[z]
    sell_residential_land(economy, residential)
    sell_construction_land(economy, live_firms, want)
    transferred = _rent_out_farmland(economy, rng)
    assign_leased_farmland(economy)
    return LandResult(
        requisitioned, compensation, transferred, economy.flows.land_sales, zone_want, disputes
    )


def group_by_zone(zone_of: np.ndarray, n_zones: int) -> tuple[np.ndarray, list[int]]:
    """Positions in ``zone_of`` grouped by zone, each zone's in their order, and where each
    group starts: zone z's are ``order[bounds[z] : bounds[z + 1]]``. A column taken in
    ``order`` holds each zone's values side by side, so that a zone's sum is a slice's sum:
    the same numbers, in the same order, as ``values[zone_of == z].sum()`` adds up."""
    order = zone_of.argsort(kind="stable")
    bounds = [0, *np.bincount(zone_of, minlength=n_zones).cumsum().tolist()]
    return order, bounds


def industrial_price(economy: Economy) -> float:
    """The price of a mu of industrial construction land this quarter, yuan."""
    return economy.params.land.land_sale_price_yuan_per_mu * economy.price_level


def land_requests(economy: Economy, rows: np.ndarray, wanted_mu: np.ndarray) -> np.ndarray:
    """Land applications each firm agent files: one per real firm that wants as much again
    as it holds, in proportion for less."""
    firms = economy.firms
    return firms.weight[rows] * np.minimum(wanted_mu / np.maximum(firms.land_mu[rows], 1.0), 1.0)


def land_wanted(economy: Economy, rows: np.ndarray) -> np.ndarray:
    """Construction land each real firm wants beyond what it holds (farms want none)."""
    firms = economy.firms
    sector = firms.sector[rows]
    desired = (
        np.asarray(economy.params.sectors.land_per_va_mu)[sector] * 4 * firms.supply[rows] / 1e6
    )
    return np.maximum(desired - firms.land_mu[rows], 0.0) * (sector != 0)


def _rent_out_farmland(economy: Economy, rng: np.random.Generator) -> float:
    """A household that meets a tenant (``rules.farmland_transfer_rate`` a quarter: an
    exchange platform makes it more often) rents its plot out when the rent it can count on
    (the rent times how sure it is of getting the plot back, ``rules.tenure_security``, which
    confirmed and registered rights raise) plus, for a full-time farmer, the wage job it can
    then look for, beats what it gets from farming it. Returns the real mu rented out."""
    params, households, rules = economy.params, economy.households, economy.rules
    # the land each household farms itself (worked out once for all: read twice below)
    farmed_mu = households.col("land_mu") - households.col("land_out_mu")
    free = households.where((households.col("collective") >= 0) & (farmed_mu > 0.01))
    # who meets a tenant is drawn first (one number per free plot, in row order, as ever);
    # the gains are weighed for those few only: each household's from its own row alone
    met = free[rng.random(len(free)) < rules.farmland_transfer_rate]
    rent = (
        farmed_mu[met]
        * params.land.farmland_rent_yuan_per_mu
        / 4
        * economy.cpi
        * rules.tenure_security
    )
    farmed = (
        economy.household_output.farm[met] * economy.price_level * economy.goods.sector_price[0]
    )
    farmer = (households.job[met] == OWN_FARM) & ~households.urban[met]
    prospect = np.where(
        farmer,
        params.land.exit_job_prospect
        * economy.labour.skill_wage[households.skill[met]]
        * households.workers[met]
        / 4,
        0.0,
    )
    rent_out = met[rent + prospect > farmed]
    leaving = rent_out[households.job[rent_out] == OWN_FARM]
    households.job[leaving] = UNEMPLOYED
    transferred = float(np.sum(households.weight[rent_out] * farmed_mu[rent_out]))
    households.land_out_mu[rent_out] = households.land_mu[rent_out]
    return transferred


def sell_construction_land(economy: Economy, rows: np.ndarray, wanted_mu: np.ndarray) -> np.ndarray:
    """Firms buy construction land from their zone's supply, as far as it goes."""
    firms = economy.firms
    n_zones = len(economy.zones)
    zone_of, weight = firms.zone[rows], firms.weight[rows]
    # each zone's demand summed over its own buyers, in order (as a zone's slice)
    order, bounds = group_by_zone(zone_of, n_zones)
    demand = (weight * wanted_mu)[order]
    shares = np.zeros(n_zones)
    selling = np.zeros(n_zones, dtype=bool)
    for z, zone in enumerate(economy.zones):
        if bounds[z] == bounds[z + 1]:
            continue
        total = float(demand[bounds[z] : bounds[z + 1]].sum())
        if total <= 0:
            continue
        share = min(1.0, zone.land_available_mu / total)
        shares[z], selling[z] = share, True
        zone.land_available_mu -= total * share
    # each buyer gets its zone's share of what it wants (none where the zone sold nothing)
    buying = selling[zone_of]
    if buying.all():
        got = wanted_mu * shares[zone_of]
    else:
        got = np.zeros(len(rows))
        got[buying] = wanted_mu[buying] * shares[zone_of[buying]]
    firms.land_mu[rows] += got
    price = industrial_price(economy)
    firms.cash_yuan[rows] -= got * price
    cover_shortfall(economy, rows)
    paid = float((weight * got).sum()) * price
    economy.ledger.pay(FIRMS, GOVERNMENT, paid, "land_sales")
    economy.flows.land_sales += paid
    return got


def sell_to_entrants(
    economy: Economy, zones: np.ndarray, weight: float, wanted_mu: float, price: float | None = None
) -> list[float]:
    """New firms, one in each of ``zones``, each standing for ``weight`` real firms that
    want ``wanted_mu`` of construction land, buy it from their zones' supply as
    :func:`sell_construction_land` sells it, and pay for it. Returns the land each gets;
    their own columns (land, cash) are the caller's to write. ``price``: this quarter's
    :func:`industrial_price`, if the caller has it.

    The same numbers as there, worked out by zone rather than firm by firm: every firm of a
    zone wants as much, so each gets the zone's share of what it asks. (A few firms at a
    time: in plain floats, summed as numpy sums them.)"""
    demand_each = weight * wanted_mu
    zone_of = zones.tolist()
    got_by_zone = dict.fromkeys(zone_of, 0.0)
    for z in got_by_zone:  # (each zone sells from its own supply: the order is free)
        total = add_up([demand_each] * zone_of.count(z))
        if total <= 0:
            continue
        zone = economy.zones[z]
        share = min(1.0, zone.land_available_mu / total)
        got_by_zone[z] = wanted_mu * share
        zone.land_available_mu -= total * share
    got = [got_by_zone[z] for z in zone_of]
    if price is None:
        price = industrial_price(economy)
    paid = add_up([weight * each for each in got]) * price
    economy.ledger.pay(FIRMS, GOVERNMENT, paid, "land_sales")
    economy.flows.land_sales += paid
    return got


def add_up(values: list[float]) -> float:
    """The sum of ``values`` as ``np.sum`` takes it: fewer than eight one after the other
    from zero, as numpy adds them too (more go to numpy, whose sum is pairwise beyond)."""
    if len(values) >= 8:
        return float(np.array(values).sum())
    total = 0.0
    for value in values:
        total += value
    return total


def sell_residential_land(economy: Economy, wanted_mu: np.ndarray) -> float:
    """Developers buy the residential land their starts need, before firms, as far as each
    zone's supply goes, at the residual value of the land (``model/markets/housing.py``);
    they pay with finance from outside the city. Returns the yuan paid."""
    price = housing.land_price_yuan_per_mu(economy)
    sold = 0.0
    for z, zone in enumerate(economy.zones):
        got = min(float(wanted_mu[z]), max(zone.land_available_mu, 0.0))
        zone.land_available_mu -= got
        sold += got
    paid = sold * price
    economy.ledger.pay(REST_OF_WORLD, GOVERNMENT, paid, "land_sales_residential")
    economy.flows.land_sales += paid
    economy.housing.land_sold_mu = sold
    economy.housing.land_sales_yuan = paid
    return paid


def requisition(economy: Economy, areas_mu: np.ndarray) -> np.ndarray:
    """Convert ``areas_mu[z]`` of each zone's farmland to state construction land and pay
    compensation; returns the compensation paid in each zone.

    Each village of the zone gives up land in proportion to its farmland, and each member
    household the same share of its plot; households are paid in proportion to what they
    lose, the village keeps the rest.
    """
    households, villages, rules = economy.households, economy.villages, economy.rules
    n_zones = len(economy.zones)
    fraction = np.zeros(villages.n)
    totals = np.zeros(n_zones)
    price = rules.compensation_yuan_per_mu * economy.cpi
    # each zone's villages side by side, in row order: a zone's sums are its slice's
    village_zone = villages.zone[: villages.n]
    order, bounds = group_by_zone(village_zone, n_zones)
    farmland_by_zone = villages.farmland_mu[order]
    farmland_totals = np.zeros(n_zones)
    giving = np.zeros(n_zones, dtype=bool)  # zones whose villages give up land
    for z in np.flatnonzero(areas_mu > 0).tolist():
        farmland_total = farmland_by_zone[bounds[z] : bounds[z + 1]].sum()
        if farmland_total <= 0:
            continue
        farmland_totals[z], giving[z] = farmland_total, True
    # each village gives up its part of its zone's area (worked out for all at once)
    losing_rows = giving[village_zone[order]]
    village_rows = order[losing_rows]
    farmland = farmland_by_zone[losing_rows]
    zone_of = village_zone[village_rows]
    taken = np.minimum(areas_mu[zone_of] * farmland / farmland_totals[zone_of], farmland)
    fraction[village_rows] = np.minimum(taken / np.maximum(farmland, 1e-9), 1.0)
    villages.farmland_mu[village_rows] -= taken
    area_by_zone = np.zeros(n_zones)
    start = 0
    for z in np.flatnonzero(giving).tolist():
        stop = start + bounds[z + 1] - bounds[z]
        area_mu = float(taken[start:stop].sum())
        economy.zones[z].convert_land(area_mu, "farmland", "urban_construction")
        totals[z] = area_mu * price
        area_by_zone[z] = area_mu
        start = stop
    # only the members of villages that lose land are touched (looked up by collective + 1,
    # where 0 stands for households outside any village)
    losing = np.concatenate(([False], fraction > 0))
    village_bin = np.add(households.collective[households.rows()], 1, dtype=np.intp)
    members = np.flatnonzero(losing.take(village_bin))
    member_village = households.collective[members]
    land_before = households.land_mu[members]
    lost = land_before * fraction[member_village]
    member_zone = villages.zone[member_village]
    lost_real = households.weight[members] * lost
    land_after = np.maximum(land_before - lost, 0.0)
    households.land_mu[members] = land_after
    households.land_out_mu[members] = np.minimum(households.land_out_mu[members], land_after)
    # households' part of each zone's compensation, shared by what they lost (all zones
    # at once: per real mu lost in the zone)
    lost_by_zone = np.bincount(member_zone, weights=lost_real, minlength=n_zones)
    to_households = totals * rules.compensation_household_share
    per_mu = np.where(lost_by_zone > 0, to_households / np.maximum(lost_by_zone, 1e-9), 0.0)
    per_mu_of = per_mu.take(member_zone)
    households.inc_compensation[members] += lost * per_mu_of
    paid_by_zone = np.bincount(member_zone, weights=lost_real * per_mu_of, minlength=n_zones)
    # the villages keep the rest, shared by the land each gave up
    to_villages = totals - paid_by_zone
    each = to_villages[zone_of] * taken / area_by_zone[zone_of]
    villages.cash_yuan[village_rows] += each
    villages.income_yuan[village_rows] += each
    for z in np.flatnonzero(giving).tolist():
        economy.ledger.pay(GOVERNMENT, HOUSEHOLDS, float(paid_by_zone[z]), "compensation")
        economy.ledger.pay(GOVERNMENT, COLLECTIVES, float(to_villages[z]), "compensation")
    return totals


def assign_leased_farmland(economy: Economy) -> None:
    """Farmland rented out by households goes to the agriculture firms of its zone."""
    households, firms, villages = economy.households, economy.firms, economy.villages
    n_zones = len(economy.zone_names)
    rented = households.where(
        (households.col("collective") >= 0) & (households.col("land_out_mu") > 0)
    )
    land_zone = villages.zone[households.collective[rented]]
    pool = np.bincount(
        land_zone,
        weights=households.weight[rented] * households.land_out_mu[rented],
        minlength=n_zones,
    )
    live_firms = firms.live()
    farms = live_firms[firms.sector[live_firms] == 0]
    firms.leased_farmland_mu[: firms.n] = 0.0
    if len(farms) == 0:
        return
    base = firms.weight[farms] * np.maximum(firms.land_mu[farms], 1e-9)
    zone_base = np.bincount(firms.zone[farms], weights=base, minlength=n_zones)
    # zones with no agriculture firm hand their rented land to the city's largest ones
    orphan = pool * (zone_base <= 0)
    pool = pool - orphan
    share = base / np.maximum(zone_base[firms.zone[farms]], 1e-12)
    total = pool[firms.zone[farms]] * share + orphan.sum() * base / base.sum()
    firms.leased_farmland_mu[farms] = total / firms.weight[farms]


def lease_collective_land(economy: Economy) -> float:
    """Firms short of land lease collective construction land in their zone (as far as the
    rules let villages lease it); every firm pays rent on what it leases. Returns the real
    mu leased this quarter."""
    params, firms, villages = economy.params, economy.firms, economy.villages
    share = economy.rules.collective_leasable_share
    live_firms = firms.live()
    want = land_wanted(economy, live_firms)
    n_zones = len(economy.zones)
    leased_total = 0.0
    firm_zone, village_zone = firms.zone[live_firms], villages.zone[: villages.n]
    # what each village could lease and each firm needs, for all at once, each zone's side by
    # side in row order (a zone's leases touch only its own villages and firms, and its sums
    # are its slice's)
    free_all = np.maximum(
        share * villages.construction_mu[: villages.n] - villages.leased_mu[: villages.n], 0.0
    )
    need_all = firms.weight[live_firms] * want
    village_order, village_bounds = group_by_zone(village_zone, n_zones)
    firm_order, firm_bounds = group_by_zone(firm_zone, n_zones)
    free_by_zone, need_by_zone = free_all[village_order], need_all[firm_order]
    free_totals, need_totals, takes = np.zeros(n_zones), np.zeros(n_zones), np.zeros(n_zones)
    leasing = np.zeros(n_zones, dtype=bool)
    for z in range(n_zones):
        free_total = free_by_zone[village_bounds[z] : village_bounds[z + 1]].sum()
        need_total = need_by_zone[firm_bounds[z] : firm_bounds[z + 1]].sum()
        if free_total <= 0 or need_total <= 0:
            continue
        take = min(free_total, need_total)
        free_totals[z], need_totals[z], takes[z], leasing[z] = free_total, need_total, take, True
        leased_total += take
    if leasing.any():
        # firms share their zone's take by what they need, villages by what they could lease
        in_leasing = leasing[firm_zone[firm_order]]
        rows = live_firms[firm_order[in_leasing]]
        zone_of = firms.zone[rows]
        need = need_by_zone[in_leasing]
        got = need / need_totals[zone_of] * takes[zone_of] / firms.weight[rows]
        firms.land_mu[rows] += got
        firms.collective_land_mu[rows] += got
        in_leasing = leasing[village_zone[village_order]]
        village_rows = village_order[in_leasing]
        zone_of = village_zone[village_rows]
        free = free_by_zone[in_leasing]
        villages.leased_mu[village_rows] += free / free_totals[zone_of] * takes[zone_of]
    # rent on all leased collective land goes to the villages that lease it
    rent = params.reforms.collective_rent_yuan_per_mu / 4 * economy.cpi
    payers = live_firms[firms.collective_land_mu[live_firms] > 0]
    if len(payers):
        due = firms.collective_land_mu[payers] * rent
        firms.cash_yuan[payers] -= due
        cover_shortfall(economy, payers)
        total = float(np.sum(firms.weight[payers] * due))
        leased = villages.leased_mu[: villages.n]
        villages.cash_yuan[: villages.n] += total * leased / leased.sum()
        villages.income_yuan[: villages.n] += total * leased / leased.sum()
        economy.ledger.pay(FIRMS, COLLECTIVES, total, "collective_land_rent")
    return leased_total
