"""Table agents whose objects are made when first read (model/agents/registry.py): a reader
finds the same agents, ids, rows and order whenever it looks, and the run's results do not
depend on whether or when anyone looked."""

from __future__ import annotations

import pandas as pd
import pytest
from mesa.model import ModelSignals

from model.builds import BuildCache
from model.model import ReformModel
from model.scenario import load_scenario

QUARTERS = 8


@pytest.fixture(scope="module")
def programme():
    return load_scenario("scenarios/full_programme.toml").with_run(scale=400, seed=6, end_year=2012)


def registry_state(model: ReformModel) -> tuple:
    """Everything a reader of the model's agents can see of them."""

    def seen(agents) -> list:
        return [(type(a).__name__, a.unique_id, getattr(a, "row", None)) for a in agents]

    by_type = {cls.__name__: seen(members) for cls, members in model.agents_by_type.items()}
    by_row = {
        kind: sorted((row, a.unique_id) for row, a in model.economy.agents.by_row(kind).items())
        for kind in ("households", "firms", "collectives")
    }
    assert all(a.model is model for a in model.agents)
    return seen(model.agents), by_type, by_row, model.agent_id_counter


def steps(model: ReformModel, n: int, look_after: int | None = None) -> ReformModel:
    for quarter in range(n):
        if quarter == look_after:
            model.agents  # noqa: B018 - a reader looks: the objects are made here
        model.step()
    return model


def assert_same_results(left: ReformModel, right: ReformModel) -> None:
    for frame in ("quarterly_frame", "zone_frame", "distribution_frame"):
        pd.testing.assert_frame_equal(
            getattr(left, frame)(), getattr(right, frame)(), check_exact=True
        )


def test_a_run_nobody_looks_at_makes_no_agent_objects(programme) -> None:
    model = steps(ReformModel(programme, check_invariants=False), QUARTERS)
    registry = model.economy.agents
    assert registry.deferred
    assert len(model._all_agents) == len(model.economy.zones) + 2  # the zones, city, banks
    # the counts follow the tables all the same
    assert model.n_household_agents == model.economy.households.n
    assert registry.count("firms") == int(model.economy.firms.col("alive").sum())


@pytest.mark.parametrize("look_after", [0, 3])
def test_looking_early_late_or_never_shows_the_same_agents(programme, look_after) -> None:
    never = steps(ReformModel(programme, check_invariants=False), QUARTERS)
    looked = steps(ReformModel(programme, check_invariants=True), QUARTERS, look_after)
    assert never.economy.agents.deferred and not looked.economy.agents.deferred
    assert_same_results(never, looked)
    assert registry_state(never) == registry_state(looked)
    # every household and firm agent reads its own row
    households = looked.economy.households
    assert looked.n_household_agents == households.n == len(looked.household_agents)
    assert sorted(looked.household_agents) == list(range(households.n))
    firms = looked.economy.firms
    assert sorted(looked.economy.agents.firms) == firms.live().tolist()


def test_a_copied_build_makes_the_same_agents(programme) -> None:
    builds = BuildCache()
    cold = steps(ReformModel(programme, check_invariants=False), QUARTERS)
    ReformModel(programme, check_invariants=False, builds=builds)  # builds and keeps
    warm = steps(ReformModel(programme, check_invariants=False, builds=builds), QUARTERS)
    assert builds.hits == 1 and warm.economy.agents.deferred
    assert_same_results(cold, warm)
    assert registry_state(cold) == registry_state(warm)
    (kept,) = builds._builds.values()
    assert kept.economy.agents.deferred  # reading the run's agents made none of the build's


class Listener:
    def __init__(self) -> None:
        self.heard: list = []

    def hear(self, signal) -> None:
        self.heard.append(signal)


def test_a_listener_hears_every_agent_as_it_comes(programme) -> None:
    added, removed = Listener(), Listener()
    model = ReformModel(programme, check_invariants=False)
    # (the agents so far are made when the first arrives after the listener came)
    model.observe("agents", ModelSignals.AGENT_ADDED, added.hear)
    model.observe("agents", ModelSignals.AGENT_REMOVED, removed.hear)
    first = model.agent_id_counter
    steps(model, 2)
    assert not model.economy.agents.deferred
    assert len(added.heard) == model.agent_id_counter - first > 0
    assert len(removed.heard) > 0
    never = steps(ReformModel(programme, check_invariants=False), 2)
    assert registry_state(never) == registry_state(model)
