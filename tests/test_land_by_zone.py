"""The land market's sums by zone, taken as slices of columns grouped by zone, give the
numbers that masking each zone's rows gave, to the bit (the references below are the
zone-by-zone code they replace)."""

from __future__ import annotations

import numpy as np
import pytest

from model.accounts import COLLECTIVES, FIRMS, GOVERNMENT, HOUSEHOLDS
from model.builds import copy_economy
from model.markets import land
from model.markets.credit import cover_shortfall
from model.model import ReformModel
from model.scenario import Scenario


def _sell_by_masks(economy, rows, wanted_mu):
    firms = economy.firms
    got = np.zeros(len(rows))
    zone_of, weight = firms.zone[rows], firms.weight[rows]
    demand_all = weight * wanted_mu
    for z in np.bincount(zone_of, minlength=len(economy.zones)).nonzero()[0].tolist():
        zone = economy.zones[z]
        in_zone = zone_of == z
        total = float(demand_all[in_zone].sum())
        if total <= 0:
            continue
        share = min(1.0, zone.land_available_mu / total)
        got[in_zone] = wanted_mu[in_zone] * share
        zone.land_available_mu -= total * share
    firms.land_mu[rows] += got
    price = land.industrial_price(economy)
    firms.cash_yuan[rows] -= got * price
    cover_shortfall(economy, rows)
    paid = float((weight * got).sum()) * price
    economy.ledger.pay(FIRMS, GOVERNMENT, paid, "land_sales")
    economy.flows.land_sales += paid
    return got


def _requisition_by_masks(economy, areas_mu):
    households, villages, rules = economy.households, economy.villages, economy.rules
    n_zones = len(economy.zones)
    fraction = np.zeros(villages.n)
    totals = np.zeros(n_zones)
    takes = {}
    price = rules.compensation_yuan_per_mu * economy.cpi
    village_zone = villages.zone[: villages.n]
    for z in np.flatnonzero(areas_mu > 0).tolist():
        zone = economy.zones[z]
        village_rows = np.flatnonzero(village_zone == z)
        farmland = villages.farmland_mu[village_rows]
        farmland_total = farmland.sum()
        if farmland_total <= 0:
            continue
        taken = np.minimum(areas_mu[z] * farmland / farmland_total, farmland)
        area_mu = float(taken.sum())
        fraction[village_rows] = np.minimum(taken / np.maximum(farmland, 1e-9), 1.0)
        villages.farmland_mu[village_rows] -= taken
        zone.convert_land(area_mu, "farmland", "urban_construction")
        totals[z] = area_mu * price
        takes[z] = (village_rows, taken, area_mu)
    losing = np.concatenate(([False], fraction > 0))
    members = np.flatnonzero(losing.take(households.collective[households.rows()] + 1))
    member_village = households.collective[members]
    land_before = households.land_mu[members]
    lost = land_before * fraction[member_village]
    member_zone = villages.zone[member_village]
    lost_real = households.weight[members] * lost
    land_after = np.maximum(land_before - lost, 0.0)
    households.land_mu[members] = land_after
    households.land_out_mu[members] = np.minimum(households.land_out_mu[members], land_after)
    lost_by_zone = np.bincount(member_zone, weights=lost_real, minlength=n_zones)
    to_households = totals * rules.compensation_household_share
    per_mu = np.where(lost_by_zone > 0, to_households / np.maximum(lost_by_zone, 1e-9), 0.0)
    per_mu_of = per_mu.take(member_zone)
    households.inc_compensation[members] += lost * per_mu_of
    paid_by_zone = np.bincount(member_zone, weights=lost_real * per_mu_of, minlength=n_zones)
    for z, (village_rows, taken, area_mu) in takes.items():
        paid_households = float(paid_by_zone[z])
        to_villages = totals[z] - paid_households
        each = to_villages * taken / area_mu
        villages.cash_yuan[village_rows] += each
        villages.income_yuan[village_rows] += each
        economy.ledger.pay(GOVERNMENT, HOUSEHOLDS, paid_households, "compensation")
        economy.ledger.pay(GOVERNMENT, COLLECTIVES, to_villages, "compensation")
    return totals


def _lease_by_masks(economy):
    """The leases alone (the rent that follows is the same code in both)."""
    firms, villages = economy.firms, economy.villages
    share = economy.rules.collective_leasable_share
    live_firms = firms.live()
    want = land.land_wanted(economy, live_firms)
    leased_total = 0.0
    firm_zone, village_zone = firms.zone[live_firms], villages.zone[: villages.n]
    free_all = np.maximum(
        share * villages.construction_mu[: villages.n] - villages.leased_mu[: villages.n], 0.0
    )
    need_all = firms.weight[live_firms] * want
    for z in range(len(economy.zones)):
        village_rows = np.flatnonzero(village_zone == z)
        free = free_all[village_rows]
        in_zone = firm_zone == z
        need = need_all[in_zone]
        free_total, need_total = free.sum(), need.sum()
        if free_total <= 0 or need_total <= 0:
            continue
        rows = live_firms[in_zone]
        take = min(free_total, need_total)
        got = need / need_total * take / firms.weight[rows]
        firms.land_mu[rows] += got
        firms.collective_land_mu[rows] += got
        villages.leased_mu[village_rows] += free / free_total * take
        leased_total += take
    return leased_total


@pytest.fixture(scope="module")
def built():
    return ReformModel(Scenario().with_run(end_year=2011, seed=5))


def _pair(built, seed):
    """Two copies of a 2010 economy, shaken alike: zones without villages or firms, land
    short or plenty, firms that want none."""
    pair = []
    for _ in range(2):
        target = ReformModel(Scenario().with_run(end_year=2011, seed=5))
        economy = copy_economy(built, built.economy, target)
        rng = np.random.default_rng(seed)
        firms, villages = economy.firms, economy.villages
        n_zones = len(economy.zones)
        live = firms.live()
        missing = int(rng.integers(0, n_zones))  # a zone left without villages or firms
        others = [z for z in range(n_zones) if z != missing or rng.random() < 0.3]
        villages.zone[: villages.n] = rng.choice(others, villages.n)
        firms.zone[live] = rng.choice(others, len(live))
        firms.supply[live] *= rng.lognormal(0.5, 1, len(live)) * (rng.random(len(live)) < 0.8)
        firms.weight[live] *= rng.lognormal(0, 0.5, len(live))
        villages.construction_mu[: villages.n] *= rng.lognormal(0, 1, villages.n)
        villages.leased_mu[: villages.n] = villages.construction_mu[: villages.n] * (
            rng.random(villages.n) * 0.3
        )
        for zone in economy.zones:
            zone.land_available_mu = float(rng.choice([0.0, 50.0, 1e7]) * rng.random())
        economy.rules.collective_leasable_share = 0.5
        pair.append(economy)
    return pair


def _same(ours, theirs):
    for table in ("firms", "villages", "households"):
        a, b = getattr(ours, table), getattr(theirs, table)
        for name in a.COLUMNS:
            x, y = getattr(a, name)[: a.n], getattr(b, name)[: b.n]
            assert x.tobytes() == y.tobytes(), (table, name)
    assert [z.land_available_mu for z in ours.zones] == [z.land_available_mu for z in theirs.zones]
    assert [z.land_mu for z in ours.zones] == [z.land_mu for z in theirs.zones]
    assert ours.ledger._net == theirs.ledger._net
    assert dict(ours.ledger.flows) == dict(theirs.ledger.flows)


@pytest.mark.parametrize("seed", range(8))
def test_sales_requisition_and_leases_by_zone_are_the_masks_numbers(built, seed):
    ours, theirs = _pair(built, seed)
    rng = np.random.default_rng(seed + 100)
    live = ours.firms.live()
    rows = np.sort(rng.choice(live, int(rng.integers(1, len(live))), replace=False))
    wanted = land.land_wanted(ours, rows)
    got = land.sell_construction_land(ours, rows, wanted)
    assert got.tobytes() == _sell_by_masks(theirs, rows, wanted).tobytes()
    _same(ours, theirs)
    areas = rng.random(len(ours.zones)) * 200 * (rng.random(len(ours.zones)) < 0.7)
    paid = land.requisition(ours, areas)
    assert paid.tobytes() == _requisition_by_masks(theirs, areas).tobytes()
    _same(ours, theirs)
    # the leases (and on ours the rent after them, which touches none of what is compared)
    leased = land.lease_collective_land(ours)
    expected = _lease_by_masks(theirs)
    assert leased == expected
    for name in ("land_mu", "collective_land_mu"):
        assert getattr(ours.firms, name).tobytes() == getattr(theirs.firms, name).tobytes()
    assert ours.villages.leased_mu.tobytes() == theirs.villages.leased_mu.tobytes()
