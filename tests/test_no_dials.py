"""No scored indicator is set by a lever: each formerly-dial indicator comes out of agents'
decisions, so it varies across seeds and answers changes that are not levers."""

from __future__ import annotations

import numpy as np
import pytest

from model import approvals
from model.agents import household
from model.api import simulate
from model.calibration import load_parameters
from model.markets.labour import public_staff_targets
from model.model import ReformModel
from model.scenario import Scenario

SEEDS = range(1, 6)


def annual(year: int, **params) -> list:
    parameters = load_parameters().replace(params) if params else None
    return [
        simulate(
            Scenario().with_run(seed=seed, end_year=year), params=parameters, check_invariants=False
        )
        .annual.set_index("year")
        .loc[year]
        for seed in SEEDS
    ]


def budget_shock(seed: int, year: int) -> dict:
    """The baseline's quarterly records of ``year``, without (False) and with (True) three
    times the transfers from above from 2011 on: a shock to the budget, not a lever."""
    records = {}
    for shocked in (False, True):
        model = ReformModel(Scenario().with_run(seed=seed, end_year=year), check_invariants=True)
        model.run(until_year=2010)
        if shocked:
            economy = model.economy
            economy.params = economy.params.replace({"fiscal.transfer_from_above_ratio": 3.2})
        model.run()
        quarterly = model.quarterly_frame()
        records[shocked] = quarterly[quarterly["year"] == year]
    return records


@pytest.fixture(scope="module")
def baseline_2012() -> list:
    return annual(2012)


def test_approval_days_and_admin_cost_vary_across_seeds(baseline_2012) -> None:
    for column in ("approval_days", "admin_cost_share"):
        values = np.array([row[column] for row in baseline_2012])
        assert values.std() > 1e-4 * values.mean(), column


def test_a_surge_of_applications_lengthens_approvals() -> None:
    """A zone's offices flooded with applications (filed by firms, not set by a lever):
    its approval time rises, and falls back as the backlog is worked off."""
    model = ReformModel(Scenario().with_run(seed=2, end_year=2012), check_invariants=False)
    model.step()
    economy = model.economy
    zone = economy.zones[1]
    normal = zone.approval_days
    approvals.file(economy, np.array([1]), np.array([3 * zone.applications + 500.0]))
    model.step()
    surged = zone.approval_days
    for _ in range(6):
        model.step()
    assert surged > 2 * normal
    assert zone.approval_days < 0.6 * surged


def test_the_staffing_norm_follows_the_files_the_offices_serve() -> None:
    """The administrative posts the city keeps follow the sign-offs the files before its
    offices need. Counted when the labour market meets, after the offices have served their
    files and before the quarter's new ones are all filed, the workload once looked a tenth
    of 2010's, and the baseline cut three in four administrative posts in two years with no
    reform and no fall in applications."""
    model = ReformModel(Scenario().with_run(seed=4, end_year=2012), check_invariants=False)
    economy = model.economy
    admin_2010 = public_staff_targets(economy)[0]
    staff_2010 = household.public_workers(economy)
    for _ in range(8):
        model.step()
        assert 0.85 < public_staff_targets(economy)[0] / admin_2010 < 1.3
    assert household.public_workers(economy) > 0.95 * staff_2010


def test_admin_cost_share_answers_a_budget_shock() -> None:
    """Larger transfers from above from 2011 (a shock, not a lever) raise current spending;
    administration costs what its staff and offices cost, so its share falls."""
    shares = {
        shocked: year["admin_spending_yuan"].sum() / year["gov_current_spending_yuan"].sum()
        for shocked, year in budget_shock(seed=3, year=2012).items()
    }
    assert shares[True] < 0.9 * shares[False]


def test_service_gap_and_rural_services_vary_across_seeds(baseline_2012) -> None:
    for column in ("public_service_gap_ratio", "public_service_provision_per_capita_real_yuan"):
        values = np.array([row[column] for row in baseline_2012])
        assert values.std() > 1e-4 * values.mean(), column


def test_villagers_moving_to_town_narrow_the_service_gap() -> None:
    """Facilities stay where they were built: when more villagers move to town (a change of
    behaviour, not a lever) the villages' services per resident rise against the towns'."""
    gaps = {}
    for faster in (False, True):
        params = {"migration.rural_urban_base": 0.03} if faster else {}
        rows = annual(2014, **params)
        gaps[faster] = np.mean([row["public_service_gap_ratio"] for row in rows])
    assert gaps[True] < gaps[False] - 0.02


def test_services_delivered_answer_a_budget_shock() -> None:
    """More money from above from 2011 builds and runs more: services per resident rise."""
    delivered = {
        shocked: year["public_service_provision_real_yuan"].sum()
        for shocked, year in budget_shock(seed=4, year=2013).items()
    }
    assert delivered[True] > 1.05 * delivered[False]
