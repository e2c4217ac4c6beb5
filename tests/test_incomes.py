"""Incomes and the hukou gap: the derived 2010 targets, wages and job access by registration,
and unemployment as the statistics office counts it."""

from __future__ import annotations

import numpy as np
import pytest

from model import household_records
from model.agents import household, household_transfers
from model.agents.household import FIRM_JOB, OWN_FARM, PUBLIC_JOB, UNEMPLOYED
from model.api import simulate
from model.calibration import load_parameters
from model.calibration.incomes import income_targets_2010
from model.markets import labour, wages
from model.model import ReformModel
from model.scenario import Scenario


@pytest.fixture(scope="module")
def town_model() -> ReformModel:
    """A city after its first quarter (wages assigned by the labour market)."""
    model = ReformModel(Scenario().with_run(seed=3, scale=100, end_year=2010))
    model.step()
    return model


def test_income_targets_follow_from_hubei_figures_by_the_stated_steps() -> None:
    targets = income_targets_2010(load_parameters())
    # the urban survey's first three quarters over its year carry the rural figures to the year
    assert targets.q1_q3_share == pytest.approx(12274 / 16058)
    assert sum(targets.hubei_rural_by_source.values()) == pytest.approx(4455.0 / (12274 / 16058))
    assert targets.hubei_rural_by_source["wages"] == pytest.approx(1773.5 * 16058 / 12274)
    # Ezhou placed by its GDP per head against Hubei's: 37,694 / 27,906
    assert targets.gdp_per_capita_ratio == pytest.approx(39.529e9 / 1048668 / 27906)
    assert targets.urban_disposable == pytest.approx(16058 * targets.gdp_per_capita_ratio**0.3)
    # transfers follow provincial rules; market incomes follow local output
    assert targets.rural_by_source["transfers"] == targets.hubei_rural_by_source["transfers"]
    assert targets.rural_by_source["operations"] == pytest.approx(
        targets.hubei_rural_by_source["operations"] * targets.gdp_per_capita_ratio
    )
    assert targets.rural_net == pytest.approx(sum(targets.rural_by_source.values()))
    assert 2.0 < targets.ratio < 2.6


def _town_firm_workers(model: ReformModel) -> np.ndarray:
    households = model.economy.households
    return households.where(households.col("urban") & (households.col("job") == FIRM_JOB))


def _pay_per_skill_wage(model: ReformModel, rows: np.ndarray) -> np.ndarray:
    """Each row's wage over the skill wage times its employer's sector premium."""
    economy = model.economy
    households, firms = economy.households, economy.firms
    premium = economy.sectors.wage_premium[firms.sector[households.employer[rows]]]
    return households.wage_yuan[rows] / (
        economy.labour.skill_wage[households.skill[rows]] * premium
    )


def test_rural_registrants_in_town_earn_less_for_the_same_skill_until_converted(
    town_model,
) -> None:
    economy = town_model.economy
    households = economy.households
    rows = _town_firm_workers(town_model)
    rural = households.rural_hukou[rows]
    # the same skill in the same sector: one cell of skill x sector
    cell = households.skill[rows] * 100 + economy.firms.sector[households.employer[rows]]
    compared = 0
    for each in np.unique(cell[rural]):
        town_cell = ~rural & (cell == each)
        if town_cell.any():
            mean_rural = households.wage_yuan[rows[rural & (cell == each)]].mean()
            assert mean_rural < 0.9 * households.wage_yuan[rows[town_cell]].mean(), each
            compared += 1
    assert compared >= 5
    pay = _pay_per_skill_wage(town_model, rows)
    ratio = economy.params.labour.rural_hukou_wage_ratio
    np.testing.assert_allclose(pay[~rural], 1.0)
    np.testing.assert_allclose(pay[rural], ratio)
    # informal: rural registrants' firm wages pay contributions only on the formal share
    quarterly = household.wage_income(economy, rows)
    paid = household_transfers.contributions(economy, rows, quarterly)
    rate = economy.params.households.social_contribution_rate
    formal = economy.params.labour.rural_hukou_formal_share
    np.testing.assert_allclose(paid[~rural], rate * quarterly[~rural])
    np.testing.assert_allclose(paid[rural], rate * formal * quarterly[rural])
    # a hukou conversion (what land capitalisation does to a household giving up its
    # homestead) brings the converted the town registrant's pay for the same job
    converted = rows[rural][:20]
    before = households.wage_yuan[converted].copy()
    saved = households.rural_hukou.copy()
    try:
        households.rural_hukou[converted] = False
        wages.assign(economy)
        after = households.wage_yuan[converted]
        np.testing.assert_allclose(after, before / ratio)
        np.testing.assert_allclose(_pay_per_skill_wage(town_model, converted), 1.0)
    finally:
        households.rural_hukou[:] = saved
        wages.assign(economy)


def test_rural_registrants_meet_fewer_vacancies() -> None:
    params = load_parameters().labour
    rng = np.random.default_rng(7)
    n = 4000
    registration = np.arange(n) % 2  # half town (0), half rural (1) registrants
    access = np.array([1.0, params.rural_hukou_match_factor]) * params.match_efficiency
    hired_rural = []
    for _ in range(20):
        got, _, _ = labour.match(
            rng,
            np.arange(n),
            np.ones(n),
            np.zeros(n, dtype=int),
            np.array([500.0, 500.0]),
            np.zeros(2, dtype=int),
            0.75,
            access.take(registration),
        )
        hired_rural.append(registration[got].mean())
    # each active seeker is equally likely to be hired, so hires split as the chances do
    expected = access[1] / access.sum()
    assert np.mean(hired_rural) == pytest.approx(expected, abs=0.02)
    assert np.mean(hired_rural) < 0.45


def test_public_posts_go_to_town_registrants(town_model) -> None:
    households = town_model.economy.households
    public = households.where(households.col("job") == PUBLIC_JOB)
    assert len(public) and not households.rural_hukou[public].any()


def registered(households, live, workers: np.ndarray, share: float) -> dict:
    """Registered unemployment from the table's live rows now."""
    job, rural_hukou = households.job[live], households.rural_hukou[live]
    return household_records.registered_unemployment(job, rural_hukou, workers, share)


def test_registered_unemployment_counts_registered_jobless_town_registrants(town_model) -> None:
    economy = town_model.economy
    households = economy.households
    live = households.rows()
    row_numbers = np.arange(households.n)[live]
    saved_job = households.job.copy()
    share = economy.params.labour.unemployed_registration_share
    try:
        workers = households.weight[live] * households.workers[live]
        has_workers = households.workers[live] > 0
        town = ~households.rural_hukou[live] & has_workers
        # every town registrant employed, a known set without a job
        households.job[row_numbers[town]] = FIRM_JOB
        jobless = row_numbers[town][::10]
        households.job[jobless] = UNEMPLOYED
        jobless_workers = float(np.sum(households.weight[jobless] * households.workers[jobless]))
        employed = float(np.sum(workers[town])) - jobless_workers
        counted = registered(households, live, workers, share)
        assert counted["registered_unemployed"] == pytest.approx(share * jobless_workers)
        assert counted["registered_labour_force"] == pytest.approx(
            employed + share * jobless_workers
        )
        # jobless rural registrants (in town or farming) are not in the registered count
        rural = row_numbers[households.rural_hukou[live] & has_workers]
        households.job[rural] = UNEMPLOYED
        again = registered(households, live, workers, share)
        assert again == pytest.approx(counted)
        households.job[rural] = OWN_FARM
        assert registered(households, live, workers, share) == pytest.approx(counted)
    finally:
        households.job[:] = saved_job


def test_the_annual_unemployment_rate_is_the_registered_urban_rate() -> None:
    result = simulate(Scenario().with_run(seed=4, scale=200, end_year=2011))
    quarterly, annual = result.quarterly, result.annual
    for year, row in annual.set_index("year").iterrows():
        q = quarterly[quarterly.year == year]
        registered = q.registered_unemployed.mean() / q.registered_labour_force.mean()
        broad = q.unemployed.mean() / q.labour_force.mean()
        assert row.unemployment_rate == pytest.approx(registered)
        assert row.unemployment_rate_all_workers == pytest.approx(broad)
        assert 0 < row.unemployment_rate < 0.1
