"""Runs that start from a copy of a kept 2010 build (``model/builds.py``) are the runs that
build their own, to the last bit; and a kept build is handed only to runs whose build would
be the same."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

from model import setup
from model.agents.registry import TableAgent, copy_agents
from model.api import Simulation
from model.builds import BuildCache, build_key
from model.calibration import Params, load_parameters
from model.conditions import OutsideWorld
from model.markets import wages
from model.model import ReformModel
from model.scenario import Scenario, load_scenario

TABLES = ("annual", "quarterly", "zones", "distribution")


@pytest.fixture(scope="module")
def programme() -> Scenario:
    """The full programme over three years at the default scale: the reforms start in 2011."""
    return load_scenario("scenarios/full_programme.toml").with_run(end_year=2012, seed=3)


def key(scenario: Scenario, params: Params) -> str:
    """The build key of a scenario's run with ``params``."""
    run = scenario.run
    world = OutsideWorld.from_conditions(scenario.conditions, run.start_year, run.end_year)
    return build_key(run, setup.seen_world(world), params)


def run_to_end(model: ReformModel) -> ReformModel:
    while model.t < model.n_quarters:
        model.step()
    return model


def generator_state(model: mesa.Model) -> tuple:
    return model.rng.bit_generator.state["state"], model.random.getstate()


def assert_same_run(cold: ReformModel, warm: ReformModel) -> None:
    """Every table of the two runs equal to the last bit, and the state they end in."""
    for frame in ("quarterly_frame", "zone_frame", "distribution_frame"):
        left, right = getattr(cold, frame)(), getattr(warm, frame)()
        pd.testing.assert_frame_equal(left, right, check_exact=True)
    assert generator_state(cold) == generator_state(warm)
    for name in ("households", "firms", "villages"):
        cold_table, warm_table = getattr(cold.economy, name), getattr(warm.economy, name)
        assert cold_table.n == warm_table.n
        for column in cold_table.COLUMNS:
            np.testing.assert_array_equal(cold_table.col(column), warm_table.col(column))
    assert [a.unique_id for a in cold.agents] == [a.unique_id for a in warm.agents]
    assert cold.agent_id_counter == warm.agent_id_counter


def test_a_run_from_a_kept_build_equals_a_cold_run(programme) -> None:
    builds = BuildCache()
    cold = ReformModel(programme, check_invariants=True)
    first = ReformModel(programme, check_invariants=True, builds=builds)  # builds and keeps
    warm = ReformModel(programme, check_invariants=True, builds=builds)  # copies
    assert (builds.misses, builds.hits) == (1, 1)
    # the copy starts where a fresh build leaves the random streams
    assert generator_state(warm) == generator_state(cold) == generator_state(first)
    assert generator_state(warm) != generator_state(ReformModel(programme.with_run(seed=4)))
    assert_same_run(run_to_end(cold), run_to_end(warm))
    assert_same_run(cold, run_to_end(first))
    # the kept build was not touched by the runs made from it: a third copy runs the same
    again = run_to_end(ReformModel(programme, check_invariants=True, builds=builds))
    assert_same_run(cold, again)


def test_a_copy_is_the_run_s_own(programme) -> None:
    """The copy's agents are registered with the run's model and point at it; its tables,
    zones and accounts are not the kept build's."""
    builds = BuildCache()
    ReformModel(programme, builds=builds)
    warm = ReformModel(programme, builds=builds)
    (kept,) = builds._builds.values()
    economy = warm.economy
    assert all(agent.model is warm for agent in warm.agents)
    assert len(warm.agents) == len(kept.holder.agents)
    for row, agent in economy.agents.households.items():
        assert agent.row == row and agent in warm.agents
    assert economy.agents.households[0] is not kept.economy.agents.households[0]
    assert economy.rng is warm.rng
    for name in ("households", "firms", "villages"):
        assert not np.shares_memory(getattr(economy, name).alive, getattr(kept.economy, name).alive)
    assert economy.zones[0] is not kept.economy.zones[0] and economy.zones[0].model is warm
    assert economy.city is not kept.economy.city and economy.ledger is not kept.economy.ledger
    assert economy.params is kept.economy.params  # read-only, shared
    assert list(warm.agents_by_type) == list(kept.holder.agents_by_type)


def test_runs_differing_only_in_levers_share_a_build(programme) -> None:
    """The levers act once the run starts: a scenario without reforms shares the
    programme's build (and, as the programme's reforms start in 2011, its first year), and
    each run from it equals its own cold run."""
    builds = BuildCache()
    baseline = Scenario().with_run(end_year=2012, seed=3)
    assert key(baseline, load_parameters()) == key(programme, load_parameters())
    ReformModel(programme, builds=builds)  # builds and keeps
    warm = run_to_end(ReformModel(baseline, builds=builds))
    assert (builds.misses, builds.hits) == (1, 1)
    assert_same_run(run_to_end(ReformModel(baseline)), warm)


def test_a_build_relevant_change_gets_its_own_build(programme) -> None:
    """A parameter the build reads, a condition, the seed or the scale changes the key;
    the run then gets a build of its own, the same as a cold one."""
    builds = BuildCache()
    params = load_parameters()
    first = ReformModel(programme, builds=builds)
    normal_at_4 = first.economy.labour.unemployment_normal
    run_to_end(first)
    changed = params.replace({"households.unemployment_2010": 0.06})
    assert key(programme, changed) != key(programme, params)
    warm = ReformModel(programme, params=changed, builds=builds)
    assert (builds.misses, builds.hits) == (2, 0)
    cold = ReformModel(programme, params=changed)
    # (the synthesis leaves 6% of the labour force jobless, not 4%: wages start from its rate)
    assert warm.economy.labour.unemployment_normal > normal_at_4
    assert generator_state(warm) == generator_state(cold)
    assert_same_run(run_to_end(cold), run_to_end(warm))
    # an equal value of another type is another key (strict: a miss, never a wrong hit)
    as_int = params.replace({"households.unemployment_2010": 0})
    as_float = params.replace({"households.unemployment_2010": 0.0})
    assert as_int.fingerprint() != as_float.fingerprint()
    others = [
        programme.with_run(seed=4),
        programme.with_run(scale=200),
        programme.with_run(end_year=2013),
        programme.model_copy(
            update={"conditions": programme.conditions.model_copy(update={"lending_rate_pct": 6.0})}
        ),
    ]
    keys = {key(s, params) for s in [programme, *others]}
    assert len(keys) == 1 + len(others)
    dearer = others[-1]
    warm_rate = ReformModel(dearer, builds=builds).economy.expectations.rate_2010
    assert builds.misses == 3
    assert (
        warm_rate
        == ReformModel(dearer).economy.expectations.rate_2010
        != (ReformModel(programme).economy.expectations.rate_2010)
    )


def with_conditions(scenario: Scenario, **changes) -> Scenario:
    conditions = type(scenario.conditions).model_validate(
        {**scenario.conditions.model_dump(), **changes}
    )
    return scenario.model_copy(update={"conditions": conditions})


def test_runs_differing_only_where_the_build_does_not_look_share_a_build(programme) -> None:
    """The build reads a few of the outside world's paths, at the first quarter alone: the
    national growth and the steel price (the Sobol example's conditions) and any condition's
    later years leave its key alone. Runs differing so share one build, and each equals a
    run that built its own, under its own outside world."""
    builds = BuildCache()
    params = load_parameters()
    rate = programme.conditions.lending_rate_pct
    others = [
        with_conditions(programme, national_real_growth_pct=7.0, steel_price_index=120.0),
        with_conditions(programme, lending_rate_pct={2010: rate, 2011: rate + 1.5}),
    ]
    assert {key(scenario, params) for scenario in others} == {key(programme, params)}
    # (the second would share the first year too: tests/test_first_year.py)
    builds.first_years = False
    first = run_to_end(ReformModel(programme, builds=builds))
    for hits, other in enumerate(others, start=1):
        warm = run_to_end(ReformModel(other, builds=builds))
        assert (builds.misses, builds.hits) == (1, hits)
        assert_same_run(run_to_end(ReformModel(other)), warm)
        # (its own world ran it, not the one of the run that made the build)
        assert not warm.quarterly_frame().equals(first.quarterly_frame())
    # a first-quarter value the build reads is another key
    dearer_commute = with_conditions(programme, wuhan_wage_growth_pct=9.0)
    assert key(dearer_commute, params) != key(programme, params)


def test_the_build_sees_only_the_first_quarter_of_what_it_reads(programme) -> None:
    """The build is given the first quarter of the paths it reads and nothing else: an
    economy built so fails at the first read of a later quarter; ``setup.build`` and the
    cache attach the run's whole world afterwards."""
    run, params = programme.run, load_parameters()
    world = OutsideWorld.from_conditions(programme.conditions, run.start_year, run.end_year)
    seen = setup.seen_world(world)
    np.testing.assert_array_equal(seen.years, world.years)
    for name in setup.WORLD_READ:
        assert getattr(seen, name).tolist() == [getattr(world, name)[0]]
    with pytest.raises(IndexError):
        seen.national_real_growth[0]  # a path it does not read
    with pytest.raises(IndexError):
        seen.demand_index("national", 0)
    with pytest.raises(ValueError, match="no path"):
        world.first_quarter(["gdp"])
    economy = setup.build_seeing(mesa.Model(rng=run.seed), run, seen, params)
    assert economy.world is seen
    economy.clock.t = 1
    with pytest.raises(IndexError):
        wages.assign(economy)  # reads Wuhan's wage of the quarter
    built = setup.build(mesa.Model(rng=run.seed), run, programme.conditions, params).world
    cached = BuildCache().economy_for(mesa.Model(rng=run.seed), run, programme.conditions, params)
    for whole in (built, cached.world):
        for name, values in world.values().items():
            assert getattr(whole, name).tolist() == values


def test_the_cache_is_bounded() -> None:
    """At most ``max_builds`` builds, the least recently used out first, and none larger
    than the memory budget."""
    short = Scenario().with_run(end_year=2010, scale=400)
    builds = BuildCache(max_builds=2)
    for seed in (1, 2, 1, 3):
        ReformModel(short.with_run(seed=seed), builds=builds)
    assert len(builds) == 2 and (builds.misses, builds.hits) == (3, 1)
    seeds = [json_seed(key) for key in builds._builds]
    assert seeds == [1, 3]  # seed 2 went first: seed 1 had been used again since
    assert 0 < builds.megabytes() < 10
    tight = BuildCache(max_mb=0.001)
    ReformModel(short, builds=tight)
    assert len(tight) == 0


def json_seed(key: str) -> int:
    import json

    return json.loads(key)["run"]["seed"]


def test_simulation_reuses_the_process_build() -> None:
    """``reuse_build`` goes through the process's cache and gives the cold run's tables."""
    from model import builds

    scenario = Scenario().with_run(end_year=2010, scale=300, seed=12345)
    before = builds.shared().hits
    cold_then_reused(scenario)
    assert builds.shared().hits == before + 1


def cold_then_reused(scenario: Scenario) -> None:
    """Run ``scenario`` cold, then twice through the process's cache: the same tables and
    household-agent steps each time."""
    results = []
    for reuse in (False, True, True):
        run = Simulation(scenario, check_invariants=False, reuse_build=reuse)
        while not run.done:
            run.step()
        results.append(run.result())
    for result in results[1:]:
        assert result.household_agent_steps == results[0].household_agent_steps
        for table in TABLES:
            pd.testing.assert_frame_equal(
                getattr(results[0], table), getattr(result, table), check_exact=True
            )


class Plot(TableAgent):
    pass


def test_copy_agents_keeps_ids_order_and_extra_state() -> None:
    """Agents keep their ids and order in the copy; an agent holding more than its row is
    deep-copied whole (so extra state is the copy's own)."""
    source = mesa.Model(rng=1)
    plots = [Plot(source, row) for row in range(5)]
    plots[3].remove()
    plots[2].notes = ["kept"]
    target = mesa.Model(rng=1)
    copies = copy_agents(source, target, {id(source): target})
    assert [a.unique_id for a in target.agents] == [a.unique_id for a in source.agents]
    assert [a.row for a in target.agents] == [0, 1, 2, 4]
    assert target.agent_id_counter == source.agent_id_counter == 6
    twin = copies[plots[2]]
    assert twin.notes == ["kept"] and twin.notes is not plots[2].notes
    assert all(a.model is target for a in target.agents)
    assert list(target.agents_by_type[Plot]) == [copies[p] for p in source.agents_by_type[Plot]]
