"""Entrants' land in plain floats gives the numbers numpy's arrays gave, to the bit."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from model.markets import land


@pytest.mark.parametrize("seed", range(20))
def test_add_up_is_np_sum(seed):
    rng = np.random.default_rng(seed)
    for n in range(0, 40):
        values = (rng.lognormal(0, 4, n) * rng.choice([-1.0, 1.0], n)).tolist()
        expected = float(np.array(values, dtype=float).sum())
        assert land.add_up(values) == expected
        # the same value again and again, as a zone's entrants ask for land
        same = [values[0] if values else 0.1] * n
        assert land.add_up(same) == float(np.full(n, same[0] if n else 0.0).sum())


def _economy(available):
    ledger = SimpleNamespace(paid=[], pay=lambda *a: ledger.paid.append(a[2]))
    return SimpleNamespace(
        zones=[SimpleNamespace(land_available_mu=a) for a in available],
        ledger=ledger,
        flows=SimpleNamespace(land_sales=0.0),
        params=SimpleNamespace(land=SimpleNamespace(land_sale_price_yuan_per_mu=123456.7)),
        price_level=1.37,
    )


def _by_arrays(economy, zones, weight, wanted_mu):
    """The sale as numpy arrays work it out: the reference."""
    demand_each = weight * wanted_mu
    got_by_zone = [0.0] * len(economy.zones)
    for z, count in enumerate(np.bincount(zones, minlength=len(economy.zones)).tolist()):
        if count == 0:
            continue
        total = float(np.full(count, demand_each).sum())
        if total <= 0:
            continue
        zone = economy.zones[z]
        share = min(1.0, zone.land_available_mu / total)
        got_by_zone[z] = wanted_mu * share
        zone.land_available_mu -= total * share
    got = np.array(got_by_zone)[zones]
    paid = float((weight * got).sum()) * land.industrial_price(economy)
    economy.ledger.pay(None, None, paid, "land_sales")
    economy.flows.land_sales += paid
    return got


@pytest.mark.parametrize("seed", range(30))
def test_sell_to_entrants_sells_what_arrays_sold(seed):
    rng = np.random.default_rng(seed)
    available = (rng.random(5) * rng.choice([0.0, 50.0, 5000.0], 5)).tolist()
    ours, theirs = _economy(available), _economy(available)
    for _ in range(6):  # groups in turn: the zones' land goes to the first first
        zones = rng.integers(0, 5, int(rng.integers(1, 25)))
        weight = float(rng.choice([1.0, 3.47, 0.62]))
        wanted = float(rng.lognormal(2, 1)) * float(rng.random() < 0.9)
        got = land.sell_to_entrants(ours, zones, weight, wanted)
        expected = _by_arrays(theirs, zones, weight, wanted)
        assert np.array_equal(np.array(got), expected)
    assert [z.land_available_mu for z in ours.zones] == [z.land_available_mu for z in theirs.zones]
    assert ours.ledger.paid == theirs.ledger.paid
    assert ours.flows.land_sales == theirs.flows.land_sales
