"""Runs that start from a kept first year (``model/builds.py``: the end of 2010, which runs
share when no reform of theirs is in force in it) are the runs that simulate it, to the last
bit; and a kept first year is handed only to runs whose first year would be the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.builds import FIRST_YEAR_QUARTERS, BuildCache
from model.conditions import OutsideWorld
from model.markets import credit
from model.model import ReformModel
from model.reforms import none_in_force
from model.scenario import Scenario, load_scenario
from tests.test_builds import (
    assert_same_run,
    cold_then_reused,
    generator_state,
    run_to_end,
    with_conditions,
)


@pytest.fixture(scope="module")
def programme() -> Scenario:
    """The full programme over three years at the default scale: the reforms start in 2011."""
    return load_scenario("scenarios/full_programme.toml").with_run(end_year=2012, seed=3)


def with_lever(scenario: Scenario, group: str, **changes) -> Scenario:
    data = scenario.model_dump()
    data["levers"][group].update(changes)
    return type(scenario).model_validate(data)


def test_a_run_from_a_kept_first_year_equals_a_cold_run(programme) -> None:
    builds = BuildCache()
    cold = run_to_end(ReformModel(programme, check_invariants=True))
    first = ReformModel(programme, check_invariants=True, builds=builds)
    assert builds.first_years_kept() == 0  # (kept when the run reaches the end of 2010)
    run_to_end(first)
    assert builds.first_years_kept() == 1
    warm = ReformModel(programme, check_invariants=True, builds=builds)
    assert builds.year_hits == 1 and warm.t == FIRST_YEAR_QUARTERS
    # Mesa's clock stands where a model that simulated the year would have it
    assert (warm.steps, warm.time) == (FIRST_YEAR_QUARTERS, FIRST_YEAR_QUARTERS)
    assert len(warm.records) == FIRST_YEAR_QUARTERS
    assert_same_run(cold, run_to_end(warm))
    assert_same_run(cold, first)
    assert warm.household_agent_steps == cold.household_agent_steps == first.household_agent_steps
    assert (warm.steps, warm.time) == (cold.steps, cold.time)
    # the kept year was not touched by the runs made from it: another copy runs the same
    assert_same_run(cold, run_to_end(ReformModel(programme, check_invariants=True, builds=builds)))
    assert builds.year_hits == 2


def test_runs_differing_in_levers_or_later_years_share_the_first_year(programme) -> None:
    """Other lever values, other reforms, or other conditions from 2011 on: one first year,
    and every run from it equals its own cold run, under its own levers and world."""
    builds = BuildCache()
    first = run_to_end(ReformModel(programme, builds=builds))
    rate = programme.conditions.lending_rate_pct
    others = [
        with_lever(programme, "talent", recruits_per_year=4000),
        Scenario().with_run(end_year=2012, seed=3),  # no reform at all
        with_conditions(programme, lending_rate_pct={2010: rate, 2011: rate + 1.5}),
    ]
    for hits, other in enumerate(others, start=1):
        warm = run_to_end(ReformModel(other, builds=builds))
        assert (builds.misses, builds.year_hits) == (1, hits)
        assert_same_run(run_to_end(ReformModel(other)), warm)
        assert not warm.quarterly_frame().equals(first.quarterly_frame())


def test_a_first_year_that_would_differ_is_not_shared(programme) -> None:
    """A reform in force in 2010, another world in 2010, another seed, or other rows
    recorded: the run does not start from the kept year, and equals its cold run."""
    builds = BuildCache()
    run_to_end(ReformModel(programme, builds=builds))
    early = with_lever(programme, "talent", start_year=2010)
    assert not none_in_force(early.levers, 2010, FIRST_YEAR_QUARTERS)
    assert none_in_force(programme.levers, 2010, FIRST_YEAR_QUARTERS)
    # (a phase-in does not bring a later start forward)
    assert none_in_force(with_lever(programme, "talent", phase_in_years=3.0).levers, 2010, 4)
    others = [
        early,
        with_conditions(programme, national_real_growth_pct=7.0),  # 2010 itself changes
        programme.with_run(seed=4),
    ]
    for other in others:
        warm = run_to_end(ReformModel(other, builds=builds))
        assert builds.year_hits == 0
        assert_same_run(run_to_end(ReformModel(other)), warm)
    # a run keeping fewer rows records the same city rows but is not given the others'
    lean = run_to_end(ReformModel(programme, builds=builds, zone_rows=False))
    assert builds.year_hits == 0 and lean.zone_records == []
    pd.testing.assert_frame_equal(
        lean.quarterly_frame(), run_to_end(ReformModel(programme)).quarterly_frame()
    )
    # a run that ends with its first year has nothing to share
    short = programme.with_run(end_year=2010)
    run_to_end(ReformModel(short, builds=builds))
    run_to_end(ReformModel(short, builds=builds))
    assert builds.year_hits == 0


def test_the_first_year_sees_that_year_alone(programme) -> None:
    """Until its first year is kept, a run sees the outside world of that year and nothing
    later (a read beyond fails); then its whole world."""
    builds = BuildCache()
    model = ReformModel(programme, builds=builds)
    run = programme.run
    world = OutsideWorld.from_conditions(programme.conditions, run.start_year, run.end_year)
    seen = model.economy.world
    for name, values in world.first_quarters(FIRST_YEAR_QUARTERS).values().items():
        assert getattr(seen, name).tolist() == values == getattr(world, name)[:4].tolist()
    np.testing.assert_array_equal(seen.years, world.years)
    model.economy.clock.t = FIRST_YEAR_QUARTERS
    with pytest.raises(IndexError):
        credit.clear(model.economy)  # reads the lending rate of the quarter
    model.economy.clock.t = 0
    run_to_end(model)
    for name, values in world.values().items():
        assert getattr(model.economy.world, name).tolist() == values


def test_first_years_are_bounded_and_can_be_switched_off(programme) -> None:
    builds = BuildCache(max_builds=1)
    for seed in (1, 2):
        run_to_end(ReformModel(programme.with_run(seed=seed, scale=400), builds=builds))
    assert builds.first_years_kept() == 1 and len(builds) == 1
    assert 0 < builds.megabytes() < 5
    builds.clear()
    assert builds.first_years_kept() == 0 == len(builds)
    off = BuildCache(first_years=False)
    for _ in range(2):
        run_to_end(ReformModel(programme.with_run(scale=400), builds=off))
    assert (off.year_hits, off.hits, off.first_years_kept()) == (0, 1, 0)


def test_simulation_from_a_kept_first_year() -> None:
    """``reuse_build`` through the process's cache: the cold run's tables and counts."""
    from model import builds

    scenario = load_scenario("scenarios/full_programme.toml").with_run(
        end_year=2011, scale=300, seed=54321
    )
    before = builds.shared().year_hits
    cold_then_reused(scenario)
    assert builds.shared().year_hits == before + 1


def test_a_kept_first_year_keeps_the_generators_where_the_year_left_them(programme) -> None:
    builds = BuildCache()
    first = ReformModel(programme, builds=builds)
    for _ in range(FIRST_YEAR_QUARTERS):
        first.step()
    warm = ReformModel(programme, builds=builds)
    assert generator_state(warm) == generator_state(first)
    assert warm.agent_id_counter == first.agent_id_counter
