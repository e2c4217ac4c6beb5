"""The quicker ways some rules take give the same numbers, to the bit, as the numpy calls
they stand in for (a run's results must not move with them)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model import indicators, taxes, zone_policy
from model.agents.firm import TEMPLATE_FIELDS, FirmTable, _SectorMedians, _typical_firm
from model.arrays import weighted_median, weighted_medians, weighted_total
from model.calibration import load_parameters
from model.choices import choose, cumulative, cumulative_rows


def test_choose_draws_what_rng_choice_draws_and_leaves_the_same_state():
    meta = np.random.default_rng(0)
    for _ in range(3000):
        n = int(meta.integers(1, 12))
        raw = meta.random(n) ** int(meta.integers(1, 5))
        raw[meta.integers(0, n)] *= float(meta.random() < 0.8)  # a zero now and then
        raw[0] += raw.sum() == 0
        p = raw / raw.sum()
        count = int(meta.integers(0, 30))
        seed = int(meta.integers(1 << 30))
        theirs, ours = np.random.default_rng(seed), np.random.default_rng(seed)
        expected = theirs.choice(n, size=count, p=p)
        drawn = choose(ours, p, count)
        assert drawn.dtype == expected.dtype
        assert np.array_equal(drawn, expected)
        assert ours.random() == theirs.random()


@pytest.mark.parametrize(
    "p", [[0.5, np.nan, 0.5], [0.5, -0.1, 0.6], [0.5, 0.6], [np.inf, 0.5]], ids=str
)
def test_choose_refuses_what_rng_choice_refuses(p):
    with pytest.raises(ValueError) as theirs:
        np.random.default_rng(1).choice(len(p), size=3, p=np.array(p))
    with pytest.raises(ValueError) as ours:
        choose(np.random.default_rng(1), np.array(p), 3)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("seed", range(20))
def test_cumulative_rows_are_each_rows_cumulative(seed):
    """Rows that sum to one, or nearly, or not; with zeros, a negative or a nan."""
    rng = np.random.default_rng(seed)
    rows, n = int(rng.integers(1, 12)), int(rng.integers(1, 9))
    raw = rng.random((rows, n)) ** int(rng.integers(1, 4)) * (rng.random((rows, n)) < 0.8)
    raw[:, 0] += raw.sum(axis=1) == 0
    p = raw / raw.sum(axis=1)[:, None]
    p[rng.random(rows) < 0.2, -1] *= 1 + rng.choice([1e-9, 1e-7, -1e-7, 0.1])
    p[rng.random(rows) < 0.1, 0] = rng.choice([-0.01, np.nan, np.inf])
    if rng.random() < 0.5:
        p = np.asfortranarray(p)  # (columns of a transposed product, as entry weights are)
    together = cumulative_rows(p)
    assert len(together) == rows
    for row, ours in zip(p, together, strict=True):
        alone = cumulative(row)
        assert (ours is None) == (alone is None)
        if alone is not None:
            assert ours.tobytes() == alone.tobytes()


def _stretches(rng, sizes):
    """Values in increasing order within each stretch, and weights, as firms sorted by
    sector then value give them (with ties, as equal capital or land gives)."""
    values = np.concatenate([np.sort(rng.integers(0, 6, size).astype(float)) for size in sizes])
    # whole weights too, whose running total can land on half the total exactly
    weights = (
        rng.integers(1, 4, len(values)).astype(float)
        if rng.random() < 0.5
        else rng.random(len(values)) * rng.choice([1.0, 10.0, 1e6], len(values))
    )
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).tolist()
    return values, weights, starts


@pytest.mark.parametrize("seed", range(40))
def test_sector_medians_are_weighted_medians(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 120, int(rng.integers(2, 10)))
    values, weights, starts = _stretches(rng, sizes)
    parts = [(a, a + int(n)) for a, n in zip(starts, sizes, strict=True)]
    medians = _SectorMedians(weights, starts, sizes)
    assert medians.together
    assert medians(values, weights) == weighted_medians(values, weights, parts)


def test_sector_medians_with_a_bad_weight_go_stretch_by_stretch():
    rng = np.random.default_rng(3)
    sizes = np.array([5, 50, 7])
    values, weights, starts = _stretches(rng, sizes)
    weights[10] = np.nan
    parts = [(a, a + int(n)) for a, n in zip(starts, sizes, strict=True)]
    medians = _SectorMedians(weights, starts, sizes)
    assert not medians.together
    assert medians(values, weights) == weighted_medians(values, weights, parts)


@pytest.mark.parametrize("seed", range(30))
def test_typical_firm_takes_each_columns_weighted_median(seed):
    """Few firms and many, with ties (as entrants copy their sector's beta), whole weights
    whose running total lands on half exactly, and now and then a bad weight."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([1, 2, 7, 40, 41, 300]))
    firms = FirmTable(n)
    firms.add(n, alive=True)
    for column in TEMPLATE_FIELDS.values():
        ties = rng.random() < 0.5
        getattr(firms, column)[:n] = rng.integers(0, 4, n) if ties else rng.lognormal(0, 1, n)
    firms.clean_tech[:n] = rng.random(n)
    whole = rng.random() < 0.5
    firms.weight[:n] = rng.integers(1, 4, n) if whole else rng.lognormal(0, 1, n)
    if rng.random() < 0.2:
        firms.weight[int(rng.integers(0, n))] = rng.choice([np.nan, -1.0, np.inf])
    rows = np.sort(rng.choice(n, int(rng.integers(1, n + 1)), replace=False))
    weight = firms.weight[rows]
    expected = {"clean": float(firms.clean_tech[rows].sum()) / len(rows)}
    for key, column in TEMPLATE_FIELDS.items():
        values = getattr(firms, column)[rows]
        order = values.argsort()
        expected[key] = weighted_median(values[order], weight[order], presorted=True)
    typical = _typical_firm(firms, rows)
    assert list(typical) == list(expected)
    assert np.array(list(typical.values())).tobytes() == np.array(list(expected.values())).tobytes()


@pytest.mark.parametrize("seed", range(20))
def test_loads_worked_out_as_rows_are_each_loads_own(seed):
    """The zones' energy, air and water loads as three rows of one array: each row as it
    was worked out alone (sectors without output yet, and a load of zero, included)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    output = rng.lognormal(10, 3, n) * (rng.random(n) < 0.8)
    by_sector = rng.lognormal(5, 3, (3, n)) * (rng.random((3, n)) < 0.9)
    by_sector[rng.random(3) < 0.2] = 0.0
    fallback = rng.lognormal(0, 1, (3, n))
    total = max(output.sum(), 1e-9)
    together = zone_policy._relative(by_sector, output, fallback, total)
    for row, alone_by_sector, alone_fallback in zip(together, by_sector, fallback, strict=True):
        per_yuan = np.divide(alone_by_sector, output, out=alone_fallback.copy(), where=output > 0)
        alone = per_yuan / max(alone_by_sector.sum() / total, 1e-12)
        assert row.tobytes() == alone.tobytes()


@pytest.mark.parametrize("year", ["2010", "2011"])
def test_income_tax_schedule_is_the_whole_matrix_product(year):
    """Incomes inside the first band skip the matrix product: each row's tax must still be
    the product's, bit for bit, at the band edges, just past them and in between."""
    params = load_parameters().taxes
    bands = np.asarray(getattr(params, f"pit_bands_{year}"))
    rates = np.asarray(getattr(params, f"pit_rates_{year}"))
    rng = np.random.default_rng(int(year))
    income = np.concatenate(
        (rng.lognormal(7, 1.5, 50_000), bands[1:], np.nextafter(bands[1:], np.inf), [0.01])
    )
    rng.shuffle(income)
    widths = np.append(bands[1:], np.inf) - bands
    whole = taxes._band_parts(income, bands, widths) @ rates
    quick = taxes._schedule(income, bands, rates)
    assert (income <= bands[1]).any() and (income > bands[1]).any()
    assert np.array_equal(quick.view(np.int64), whole.view(np.int64))


@pytest.mark.parametrize("seed", range(4))
def test_chance_of_nothing_table_is_the_three_lookups_multiplied(seed):
    """Households' chance of no demographic event from one table of every head-count
    combination: the same products as looking the three factors up one by one."""
    from model.sampling import _chance_of_nothing

    rng = np.random.default_rng(seed)
    n = 20_000
    size = rng.integers(1, 12, n).astype(np.int16)
    workers = np.minimum(rng.integers(0, 5, n), size).astype(np.int16)
    elderly = np.minimum(rng.integers(0, 4, n), size - workers).astype(np.int16)
    young = size - elderly - workers
    top = int(size.max()) + 1
    counts = np.arange(top)
    rates = rng.random(3) * 0.2
    calm_bd, calm_r, calm_e = (
        np.exp(-rates[0] * counts),
        (1 - rates[1]) ** counts,
        (1 - rates[2]) ** counts,
    )
    expected = calm_bd.take(size) * calm_r.take(workers) * calm_e.take(young)
    looked_up = _chance_of_nothing(calm_bd, calm_r, calm_e, size, workers, young)
    assert looked_up.dtype == expected.dtype
    assert np.array_equal(looked_up, expected)
    # a count outside the tables goes the long way: the same wrap-around or the same error
    young[0] = -1
    wrapped = _chance_of_nothing(calm_bd, calm_r, calm_e, size, workers, young)
    assert wrapped[0] == calm_bd[size[0]] * calm_r[workers[0]] * calm_e[-1]
    young[0] = top
    with pytest.raises(IndexError):
        _chance_of_nothing(calm_bd, calm_r, calm_e, size, workers, young)


def _quarters(seed: int) -> pd.DataFrame:
    """A seed's quarterly records with figures whose sums depend on the order of addition:
    large and small values of either sign, an integer column and one of whole floats."""
    rng = np.random.default_rng(seed)
    years = np.repeat(np.arange(2010, 2021), 4)[: 41 + seed]  # the last year may be cut
    n = len(years)
    frame = {"seed": np.full(n, seed), "t": np.arange(n), "year": years}
    for k in range(12):
        frame[f"x{k}"] = rng.lognormal(10 * (k % 3), 3, n) * rng.choice([-1.0, 1.0], n)
    frame["firms"] = rng.integers(0, 10**6, n)
    frame["whole"] = rng.integers(0, 100, n).astype(float)
    return pd.DataFrame(frame)


@pytest.mark.parametrize("seed", range(4))
def test_yearly_aggregates_are_pandas_groupby(seed):
    """The annual table's own yearly sums, means, last and first quarters are pandas'
    groupby's, bit for bit."""
    q = _quarters(seed)
    years, *parts = indicators._yearly(q)
    g = q.groupby("year", sort=True)
    expected = [g.sum(), g.mean(), g.last(), g.first()]
    assert np.array_equal(years, expected[0].index.to_numpy())
    for part, frame in zip(parts, expected, strict=True):
        assert list(part) == list(frame.columns)
        for name in part:
            want = frame[name].to_numpy(dtype=float)
            assert np.array_equal(part[name].view(np.int64), want.view(np.int64)), name


def test_yearly_aggregates_leave_missing_values_and_disorder_to_pandas():
    """A missing value (which pandas skips) or quarters out of order (pandas then adds
    another way) go to pandas: the annual table is its groupby's either way."""
    q = _quarters(0)
    gap = q.copy()
    gap.loc[5, "x3"] = np.nan
    shuffled = q.iloc[::-1].reset_index(drop=True)
    assert indicators._yearly(q) is not None
    assert indicators._yearly(gap) is None
    assert indicators._yearly(shuffled) is None


def _zone_quarters(seeds: int) -> pd.DataFrame:
    """Zone records, quarter by quarter, with figures whose sums depend on the order of
    addition, for one seed after another."""
    rng = np.random.default_rng(seeds)
    parts = []
    for seed in range(seeds):
        quarters = 4 * 3 - seed  # the last year may be cut
        n = 5 * quarters
        part = {
            "seed": np.full(n, seed),
            "year": np.repeat(2010 + np.arange(quarters) // 4, 5),
            "zone": np.tile(["main", "east", "west", "lake", "port"], quarters),
            "firms": rng.integers(0, 10**6, n),
        }
        for name in ("gdp_yuan", "disposable_yuan", "public_service_yuan", "works_real_yuan"):
            part[name] = rng.lognormal(20, 3, n)
        for name in ("population", "approval_days", "urban_population", "farmland_mu"):
            part[name] = rng.lognormal(10, 4, n) * rng.choice([-1.0, 1.0], n)
        part["urban_construction_mu"] = rng.lognormal(5, 1, n)
        for name in ("works_gain_per_yuan", "works_needs_per_yuan", "green_weight"):
            part[name] = rng.normal(0, 1e3, n)
        part["courting_heavy"] = rng.normal(0, 1, n)
        parts.append(pd.DataFrame(part))
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("seeds", [1, 2, 3])
def test_zone_aggregates_are_pandas_groupby(seeds):
    """The zones' table's own sums, means and last values by seed, year and zone, and the
    year's works, are pandas' groupby's, bit for bit."""
    zones = _zone_quarters(seeds)
    summed = ["gdp_yuan", "disposable_yuan", "public_service_yuan", "works_real_yuan"]
    averaged = ["population", "approval_days", "works_gain_per_yuan", "courting_heavy"]
    kept = ["population", "urban_population", "firms", "farmland_mu"]
    quick = indicators._by_zone(zones, summed, averaged, kept)
    whole = indicators._by_zone_in_pandas(zones, summed, averaged, kept)
    assert quick is not None
    keys, *parts, works = quick
    want_keys, *want_parts, want_works = whole
    for name in ("seed", "year", "zone"):
        assert list(keys[name]) == list(want_keys[name])
    for part, want in zip(parts, want_parts, strict=True):
        assert list(part) == list(want)
        for name in part:
            assert np.array_equal(part[name].view(np.int64), want[name].view(np.int64)), name
    assert np.array_equal(works.view(np.int64), want_works.view(np.int64))
    table = indicators.zone_table(zones)
    assert table[["seed", "year", "zone"]].dtypes.tolist() == [
        want_keys["seed"].dtype,
        want_keys["year"].dtype,
        want_keys["zone"].dtype,
    ]


def test_zone_aggregates_leave_missing_values_and_disorder_to_pandas():
    """A missing value, or rows not quarter by quarter, go to pandas."""
    zones = _zone_quarters(2)
    args = (["gdp_yuan", "works_real_yuan"], ["population"], ["firms"])
    gap = zones.copy()
    gap.loc[7, "population"] = np.nan
    assert indicators._by_zone(zones, *args) is not None
    assert indicators._by_zone(gap, *args) is None
    assert indicators._by_zone(zones.iloc[::-1].reset_index(drop=True), *args) is None
    assert indicators._by_zone(zones.sort_values("zone", kind="stable"), *args) is None


@pytest.fixture(scope="module")
def run_records() -> tuple[list[dict], int]:
    """A short run's quarterly records and seed."""
    from model.api import Simulation
    from model.scenario import load_scenario

    scenario = load_scenario("scenarios/full_programme.toml").with_run(seed=4, end_year=2013)
    run = Simulation(scenario, check_invariants=False)
    while not run.done:
        run.step()
    return run._model.records, 4


def _same_table(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for name in want.columns:
        a, b = got[name].to_numpy(), want[name].to_numpy()
        assert a.dtype == b.dtype, name
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.int64), b.view(np.int64)), name


def test_annual_table_from_records_is_the_frames(run_records):
    """The annual table made straight from a run's records is the one made from their
    frame, bit for bit and dtype for dtype."""
    records, seed = run_records
    want = indicators.annual_table(indicators.records_frame(records, seed))
    _same_table(indicators.annual_from_records(records, seed), want)


@pytest.mark.parametrize("change", ["missing", "disorder", "extra_key", "order_of_keys"])
def test_annual_table_from_odd_records_goes_through_the_frame(run_records, change):
    """Records with a missing value, quarters out of order, a key one record lacks or keys
    in another order give the frame's annual table too."""
    records = [dict(record) for record in run_records[0]]
    seed = run_records[1]
    if change == "missing":
        records[5]["gdp_yuan"] = float("nan")
    elif change == "disorder":
        records = records[4:8] + records[:4] + records[8:]
    elif change == "extra_key":
        records[3]["spare"] = 1.0
    else:
        records[2] = dict(reversed(list(records[2].items())))
    want = indicators.annual_table(indicators.records_frame(records, seed))
    _same_table(indicators.annual_from_records(records, seed), want)


def test_distribution_kept_as_columns_is_the_frame_of_its_rows():
    """The distribution table made from a run's years of columns is the frame the same rows
    make one by one, dtype for dtype."""
    from model.api import Simulation
    from model.scenario import load_scenario

    scenario = load_scenario("scenarios/full_programme.toml").with_run(seed=6, end_year=2012)
    run = Simulation(scenario, check_invariants=False)
    while not run.done:
        run.step()
    years = run._model.distribution_records
    # the rows one by one, as plain numbers and strings
    plain = [{name: np.asarray(column).tolist() for name, column in year.items()} for year in years]
    rows = [
        dict(zip(year, values, strict=True))
        for year in plain
        for values in zip(*year.values(), strict=True)
    ]
    assert len(rows) == 3 * 8 * 10
    _same_table(indicators.columns_frame(years, 6), indicators.records_frame(rows, 6))
    assert indicators.columns_frame([], 6).equals(indicators.records_frame([], 6))


def test_band_parts_are_clipped_as_np_clip_clips():
    """Each income's part in each band is ``np.clip`` of its excess over the band's floor,
    bit for bit (missing and infinite incomes included)."""
    bands = np.asarray(load_parameters().taxes.pit_bands_2011)
    widths = np.append(bands[1:], np.inf) - bands
    rng = np.random.default_rng(3)
    income = np.concatenate((rng.lognormal(8, 2, 5_000), bands, [0.0, -5.0, np.inf, np.nan]))
    want = np.clip(np.subtract.outer(income, bands), 0.0, widths)
    got = taxes._band_parts(income, bands, widths)
    assert np.array_equal(got.view(np.int64), want.view(np.int64))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_weighted_total_is_np_einsum(seed):
    """``weighted_total`` calls einsum's C loop past its Python wrapper: the same bits as
    ``np.einsum``, whatever the dtype of the values (bools, ints and float32 made float64)."""
    rng = np.random.default_rng(seed)
    for size in (0, 1, 7, 100, 3_481, 20_000):
        weights = rng.lognormal(3, 1.5, size)
        floats = rng.normal(0, 1e4, size)
        for values in (floats, floats > 0, rng.integers(-9, 9, size), floats.astype(np.float32)):
            want = float(np.einsum("i,i->", weights, np.asarray(values, dtype=np.float64)))
            got = weighted_total(weights, values)
            assert type(got) is float and np.float64(got).view(np.int64) == np.float64(want).view(
                np.int64
            )
    # a weight column that is not float64 and a plain list go the same way too
    ints, listed = rng.integers(0, 50, 40), rng.normal(0, 1, 40).tolist()
    assert weighted_total(ints, listed) == float(np.einsum("i,i->", ints, np.asarray(listed)))
