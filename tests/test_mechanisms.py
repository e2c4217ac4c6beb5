"""Each mechanism on its own: markets, production, accounts, demography, land."""

from __future__ import annotations

import math

import numpy as np
import pytest
from mesa.model import ModelSignals

from model.accounts import FIRMS, HOUSEHOLDS, InvariantError, Ledger, check_stock_flow
from model.agents.firm import capacity
from model.agents.household import (
    FIRM_JOB,
    OWN_FARM,
    UNEMPLOYED,
    farm_capacity,
    unemployment_rate,
)
from model.agents.household import population as household_population
from model.arrays import normal_cdf, take_until, weighted_median
from model.conditions import growth_index
from model.markets import goods, labour, wages
from model.model import ReformModel
from model.scenario import Scenario


def test_goods_market_clears_and_prices_respond() -> None:
    supply = np.array([100.0, 100.0, 100.0])
    local = np.array([50.0, 50.0, 80.0])
    external = np.array([50.0, 80.0, 50.0])
    eps = np.array([3.0, 3.0, 1.5])
    p = goods.clear_prices(supply, local, external, 1.0, eps)
    paid = local + goods.external_spending(external, p, eps)
    np.testing.assert_allclose(p * supply, paid, rtol=1e-12)
    assert p[0] == pytest.approx(1.0)
    assert p[1] > 1.0 and p[2] > 1.0  # more demand, same supply: dearer


def test_weighted_median_in_plain_floats_is_numpys_to_the_last_bit() -> None:
    """The weighted median's running total in plain floats finds the value numpy's
    cumulative sum and search find, with ties, zero weights and any number of firms."""
    rng = np.random.default_rng(11)
    for _ in range(500):
        n = int(rng.integers(1, 60))
        values = np.sort(rng.choice(rng.lognormal(0, 1, 8), n))
        if rng.random() < 0.5:
            weights = rng.lognormal(0, 2, n) * rng.choice([0.0, 1.0], n, p=[0.2, 0.8])
            weights[-1] += 1e-3  # at least one firm
        else:  # whole firms: half the total often falls exactly on a running total
            weights = rng.choice([0.0, 1.0, 2.0], n)
            weights[-1] += 1.0
        numpy_answer = values[np.searchsorted(np.cumsum(weights), 0.5 * np.cumsum(weights)[-1])]
        assert weighted_median(values, weights, presorted=True) == numpy_answer


def test_normal_cdf_calls_erf_only_where_it_is_not_one_to_the_last_bit() -> None:
    """Far out the normal curve is 0 or 1 without a call to erf: the same doubles as erf
    of every value, the C library's erf being +-1 from 6 on."""
    rng = np.random.default_rng(4)
    x = np.concatenate(
        (
            rng.normal(0, 12, 20_000),
            np.sqrt(2) * np.array([6.0, -6.0, np.nextafter(6.0, 0), 5.9, 40.0, -1e300]),
            [0.0, -0.0, np.inf, -np.inf, np.nan],
        )
    )
    each = np.array([math.erf(value) for value in (x / math.sqrt(2)).tolist()])
    assert normal_cdf(x).tobytes() == (0.5 * (1 + each)).tobytes()
    beyond = np.abs(x / math.sqrt(2)) >= 6
    assert beyond.sum() > 5000 and np.all(np.abs(each[beyond]) == 1.0)


def test_labour_market_fills_vacancies_by_zone_and_never_overfills() -> None:
    rng = np.random.default_rng(0)
    seekers = np.arange(200)
    workers = np.full(200, 10.0)
    zone = np.repeat([0, 1], 100)
    vac = np.array([300.0, 300.0, 0.0])
    firm_zone = np.array([0, 1, 1])
    got, firm_of, left = labour.match(rng, seekers, workers, zone, vac, firm_zone, 1.0, 1.0)
    hired = np.bincount(firm_of, weights=workers[got], minlength=3)
    assert hired[2] == 0
    assert np.all(hired <= vac + 10)  # at most one household's workers beyond
    assert hired.sum() == pytest.approx(600, abs=20)
    assert np.all(zone[got] == firm_zone[firm_of])  # enough local seekers: all local
    np.testing.assert_allclose(left, np.maximum(vac - hired, 0))


def test_labour_market_without_vacancies_hires_nobody() -> None:
    rng = np.random.default_rng(0)
    got, firm_of, _ = labour.match(
        rng, np.arange(5), np.ones(5), np.zeros(5, int), np.zeros(2), np.zeros(2, int), 0.5, 1.0
    )
    assert len(got) == 0 and len(firm_of) == 0


def test_take_until_is_unbiased() -> None:
    rng = np.random.default_rng(1)
    sizes = np.full(10, 3.0)
    totals = [take_until(rng, np.arange(10), sizes, 10.0).size * 3.0 for _ in range(4000)]
    assert np.mean(totals) == pytest.approx(10.0, rel=0.02)


def test_production_has_decreasing_returns_and_uses_every_input() -> None:
    base = capacity(1.0, 100.0, 10.0, 5.0, 0.4, 0.3, 0.05)
    assert capacity(1.0, 200.0, 10.0, 5.0, 0.4, 0.3, 0.05) > base
    assert capacity(1.0, 100.0, 20.0, 5.0, 0.4, 0.3, 0.05) > base
    assert capacity(1.0, 100.0, 10.0, 10.0, 0.4, 0.3, 0.05) > base
    assert capacity(1.0, 200.0, 20.0, 10.0, 0.4, 0.3, 0.05) < 2 * base


def test_farm_output_full_time_beats_part_time() -> None:
    out = farm_capacity(
        np.array([5.0, 5.0, 0.0, 5.0]),
        np.array([2, 2, 2, 2]),
        np.array([OWN_FARM, FIRM_JOB, OWN_FARM, FIRM_JOB]),
        np.array([False, False, False, True]),
        0.45,
        0.15,
    )
    # full time beats part time; no land, no crop; a plot left behind in the village is idle
    assert out[0] > out[1] > 0 and out[2] == 0 and out[3] == 0


def test_growth_index_compounds_quarterly_and_centres_on_first_year() -> None:
    idx = growth_index(np.full(8, 10.0))
    assert idx[:4].mean() == pytest.approx(1.0)
    assert idx[4] / idx[0] == pytest.approx(1.10)


def test_ledger_records_both_sides_and_stock_check_catches_leaks() -> None:
    led = Ledger()
    led.pay(FIRMS, HOUSEHOLDS, 100.0, "wages")
    assert led.net[FIRMS] == -100 and led.net[HOUSEHOLDS] == 100 and led.net.sum() == 0
    before = np.array([0.0, 500.0, 0, 0, 0, 0])
    good = np.array([100.0, 400.0, 0, 0, 0, 0])
    check_stock_flow(before, good, led, (HOUSEHOLDS, FIRMS))
    with pytest.raises(InvariantError, match="households"):
        check_stock_flow(before, np.array([150.0, 400.0, 0, 0, 0, 0]), led, (HOUSEHOLDS,))


@pytest.fixture(scope="module")
def small_model() -> ReformModel:
    return ReformModel(Scenario().with_run(scale=400, seed=7))


def test_requisition_converts_farmland_and_pays_compensation(small_model) -> None:
    from model.markets.land import requisition

    economy = small_model.economy
    zone = economy.zones[1]
    before = dict(zone.land_mu)
    economy.ledger.reset()
    areas = np.zeros(len(economy.zones))
    areas[1] = 1000.0
    paid_by_zone = requisition(economy, areas)
    assert paid_by_zone[[0, 2, 3, 4]].sum() == 0.0
    paid = paid_by_zone[1]
    assert zone.land_mu["farmland"] == pytest.approx(before["farmland"] - 1000.0)
    assert zone.land_mu["urban_construction"] == pytest.approx(
        before["urban_construction"] + 1000.0
    )
    assert paid == pytest.approx(1000.0 * economy.rules.compensation_yuan_per_mu * economy.cpi)
    assert economy.ledger.flows["compensation"] == pytest.approx(paid)
    assert sum(zone.land_mu.values()) == pytest.approx(sum(before.values()))


def test_credit_limit_grows_with_collateral(small_model) -> None:
    from model.markets.credit import credit_limit

    economy = small_model.economy
    firms = economy.firms
    rows = firms.live()[:5]
    saved = firms.capital_yuan[rows].copy(), firms.va_yuan[rows].copy()
    firms.va_yuan[rows] *= 100  # ample profits: collateral is what binds
    base = credit_limit(economy, rows)
    firms.capital_yuan[rows] *= 2
    more = credit_limit(economy, rows)
    firms.capital_yuan[rows], firms.va_yuan[rows] = saved
    assert np.all(more > base)
    firms.va_yuan[rows] = 0.0  # no profit: no loan, whatever the collateral
    assert np.all(credit_limit(economy, rows) == 0)
    firms.va_yuan[rows] = saved[1]


def test_demography_keeps_households_consistent() -> None:
    from model import population
    from model.agents.household import demography

    economy = ReformModel(Scenario().with_run(scale=400, seed=3)).economy
    households = economy.households
    before = household_population(economy)
    out = demography(economy)
    population.remove(economy, out.ended, reason="ended")
    live = households.live()
    assert np.all(households.workers[live] + households.elderly[live] <= households.size[live])
    assert np.all(households.size[live] > 0)
    assert household_population(economy) == pytest.approx(before + out.births - out.deaths)
    no_workers = live[households.workers[live] == 0]
    assert not np.any(np.isin(households.job[no_workers], (FIRM_JOB, UNEMPLOYED)))


def _events_one_by_one(rng, size, workers, elderly, b, d, r, e):
    """The demography rules drawn literally: every count for every household, in order."""
    others = size - elderly - workers
    births = rng.poisson(b * size)
    deaths = np.minimum(rng.poisson(d * size), size + births)
    d_old = np.minimum(deaths, elderly)
    d_young = np.minimum(deaths - d_old, others + births)
    d_work = deaths - d_old - d_young
    retire = rng.binomial(workers - d_work, r)
    enter = rng.binomial(np.maximum(others + births - d_young, 0), e)
    return np.stack([births, deaths, retire, enter, d_old, d_work], axis=1)


@pytest.mark.parametrize("rates", [(0.004, 0.002, 0.01, 0.02), (0.2, 0.3, 0.25, 0.15)])
def test_rare_event_sampler_matches_drawing_every_count(rates) -> None:
    """household_events draws only where something happens; the joint distribution of the
    six counts must be that of drawing everything for everyone (chi-square homogeneity test
    per household composition, fixed seeds)."""
    from scipy.stats import chi2_contingency

    from model.sampling import household_events

    # compositions (size, workers, elderly), 60,000 households each
    kinds = np.array([(1, 0, 1), (1, 1, 0), (3, 2, 0), (4, 2, 1), (6, 2, 2), (2, 0, 0)])
    reps = 60_000
    size, workers, elderly = (np.repeat(kinds[:, i], reps).astype(np.int16) for i in range(3))
    ev = household_events(np.random.default_rng(11), size, workers, elderly, *rates)
    fast = np.zeros((len(size), 6), dtype=np.int64)
    cols = (ev.births, ev.deaths, ev.retire, ev.enter, ev.d_old, ev.d_work)
    fast[ev.rows] = np.stack(cols, axis=1)
    ref = _events_one_by_one(
        np.random.default_rng(12),
        size.astype(np.int64),
        workers.astype(np.int64),
        elderly.astype(np.int64),
        *rates,
    )
    for k in range(len(kinds)):
        part = slice(k * reps, (k + 1) * reps)
        outcomes = [{tuple(row) for row in x[part]} for x in (fast, ref)]
        table = []
        for outcome in sorted(outcomes[0] | outcomes[1]):
            counts = [int(np.all(x[part] == outcome, axis=1).sum()) for x in (fast, ref)]
            table.append(counts)
        table = np.array(table)
        # outcomes too rare for the test are pooled
        rare = table.sum(axis=1) < 20
        table = np.vstack([table[~rare], table[rare].sum(axis=0, keepdims=True)])
        table = table[table.sum(axis=1) > 0]
        if len(table) > 1:
            p_value = chi2_contingency(table)[1]
            assert p_value > 1e-3, (kinds[k], table)
        # and the chance of nothing happening, to within 4 standard errors
        calm = [np.mean(np.all(x[part] == 0, axis=1)) for x in (fast, ref)]
        se = np.sqrt(calm[1] * (1 - calm[1]) * 2 / reps) + 1e-9
        assert abs(calm[0] - calm[1]) < 4 * se, (kinds[k], calm)
    # deaths never exceed the people there are; workers and elderly never go negative
    assert np.all(fast[:, 1] <= size + fast[:, 0])
    assert np.all(workers - fast[:, 5] - fast[:, 2] >= 0)
    assert np.all(elderly - fast[:, 4] >= 0)


def test_agents_are_mesa_agents_with_readable_state() -> None:
    import mesa

    from model.agents.city import CityGovernment
    from model.agents.collective import RuralCollective
    from model.agents.firm import Firm
    from model.agents.household import Household
    from model.agents.zone import GovernmentZone

    m = ReformModel(Scenario().with_run(scale=400, seed=5))
    for cls in (Household, Firm, RuralCollective, GovernmentZone, CityGovernment):
        assert issubclass(cls, mesa.Agent)
        assert len(m.agents_by_type[cls]) > 0
    assert len(m.agents_by_type[GovernmentZone]) == 5
    h = next(iter(m.agents_by_type[Household]))
    assert h.zone in m.economy.zone_names and h.size >= 1 and "wages" in h.income_by_source()
    f = next(iter(m.agents_by_type[Firm]))
    assert f.sector in m.economy.sectors.names and f.capital_yuan > 0


def _registry_state(model) -> tuple:
    def rows(agents):
        assert all(a.model is model for a in agents)
        return [
            (type(a).__name__, a.unique_id, {k: v for k, v in vars(a).items() if k != "model"})
            for a in agents
        ]

    by_type = {k.__name__: rows(v) for k, v in model.agents_by_type.items()}
    return rows(model.agents), by_type, model.agent_id_counter


def test_bulk_agent_registration_leaves_mesa_in_the_same_state() -> None:
    """registry.create / remove do Mesa's bookkeeping for many agents at once: the same
    unique ids, agent sets, order and attributes as one Agent(...) / agent.remove() each."""
    import mesa

    from model.agents import registry
    from model.agents.firm import Firm
    from model.agents.household import Household

    def build(bulk: bool):
        model = mesa.Model(rng=1)
        if bulk:
            hh = registry.create(model, Household, range(50))
            fm = registry.create(model, Firm, range(7))
            hh += registry.create(model, Household, range(50, 60))
            registry.remove(model, hh[3:40:3] + fm[:2])
        else:
            hh = [Household(model, r) for r in range(50)]
            fm = [Firm(model, r) for r in range(7)]
            hh += [Household(model, r) for r in range(50, 60)]
            for agent in hh[3:40:3] + fm[:2]:
                agent.remove()
        return model

    assert _registry_state(build(True)) == _registry_state(build(False))

    # with a listener on the model's agent signals, every agent is announced as Mesa would
    class Listener:
        def __init__(self) -> None:
            self.heard: list = []

        def hear(self, signal) -> None:
            self.heard.append(signal)

    model, listener = mesa.Model(rng=1), Listener()
    model.observe("agents", ModelSignals.AGENT_ADDED, listener.hear)
    model.observe("agents", ModelSignals.AGENT_REMOVED, listener.hear)
    agents = registry.create(model, Household, range(2_000))
    registry.remove(model, agents[:500])
    assert len(listener.heard) == 2_500
    assert len(model.agents) == 1_500


def test_household_agents_follow_their_rows_when_the_table_compacts() -> None:
    """Households that leave free their rows; the last rows move into the holes, and every
    agent still reads its own household."""
    m = ReformModel(Scenario().with_run(scale=400, seed=3, end_year=2012), check_invariants=True)
    before = {a.unique_id: (a.size, a.zone, a.skill) for a in m.household_agents.values()}
    m.step()
    hh = m.economy.households
    assert sorted(m.household_agents) == list(range(hh.n))
    assert all(a.row == r for r, a in m.household_agents.items())
    assert hh.alive[: hh.n].all() and not hh.alive[hh.n : hh.n + 16].any()
    # a household that stayed kept its zone and skill (size may change by births and deaths)
    stayed = [a for a in m.household_agents.values() if a.unique_id in before]
    assert len(stayed) > 0.9 * len(before)
    assert all(before[a.unique_id][1:] == (a.zone, a.skill) for a in stayed if not a.urban)
    # a plain table (firms) only marks rows
    firms = m.economy.firms
    rows = firms.live()[:2]
    moved_from, moved_to = firms.kill(rows)
    assert len(moved_from) == 0 and not firms.alive[rows].any()


def test_richer_households_spend_more_on_services_and_less_on_food() -> None:
    model = ReformModel(Scenario().with_run(end_year=2010, seed=2))
    economy = model.economy
    market = economy.goods
    persons = household_population(economy)
    at_2010 = market.real_spending_2010 * persons * economy.price_level
    same = goods.household_shares(economy, at_2010)
    np.testing.assert_allclose(same, market.buy_shares["households"], rtol=1e-12)
    richer = goods.household_shares(economy, 2 * at_2010)
    services, agriculture = economy.sectors.index("services"), economy.sectors.index("agriculture")
    assert richer[services] > same[services] and richer[agriculture] < same[agriculture]
    assert richer.sum() < 1  # part of the budget is still bought outside the city


def test_workers_with_a_job_take_wuhan_jobs_too() -> None:
    from model.api import simulate
    from model.calibration import load_parameters

    never = load_parameters().replace({"labour.wuhan_switch_share": 0.0})
    scenario = Scenario().with_run(end_year=2012)
    more = 0
    for seed in (3, 4):
        base = simulate(scenario, seed, check_invariants=False).annual.set_index("year")
        stay = simulate(scenario, seed, params=never, check_invariants=False)
        stay = stay.annual.set_index("year")
        more += base.commuters_to_wuhan[2012] > stay.commuters_to_wuhan[2012]
    assert more == 2


def test_wages_hold_at_2010s_own_unemployment() -> None:
    """2010 is the year the city is calibrated to: its wages answer no tightness, and from
    2011 they move with unemployment against 2010's own (the mean of its quarters, above
    the 4% the synthesis aims at), whatever number of jobless the draw of agents left."""
    model = ReformModel(Scenario().with_run(scale=200, end_year=2011))
    economy = model.economy
    labour = economy.labour
    assert unemployment_rate(economy) > economy.params.households.unemployment_2010
    economy.clock.t = 1  # (in 2010, with last quarter's prices to index against)
    before, smoothed = labour.skill_wage.copy(), labour.unemployment_smoothed
    held = wages.adjust(economy).factor
    labour.skill_wage, labour.unemployment_smoothed = before.copy(), 0.5 * smoothed
    assert wages.adjust(economy).factor == held  # a tight market moves no 2010 wage
    economy.clock.t = 0
    model.economy.labour.skill_wage = before
    rates = []
    for _ in range(4):
        rates.append(unemployment_rate(economy))  # (the rate the next wage step sees, once
        model.step()  # population and turnover have moved: measured again below)
    normal = labour.unemployment_normal
    assert min(rates) * 0.8 < normal < max(rates) * 1.2
    model.step()  # 2011: the norm stays 2010's
    assert labour.unemployment_normal == normal
    labour.unemployment_smoothed = normal
    base = labour.skill_wage.copy()
    level = wages.adjust(economy).factor
    labour.skill_wage, labour.unemployment_smoothed = base.copy(), 0.5 * normal
    assert wages.adjust(economy).factor > level  # from 2011 a tighter market raises wages
