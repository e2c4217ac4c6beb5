"""The model's public API: build a model from a scenario, run it, get its tables.

``experiments/`` and the app use only this module (and ``model.scenario``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.calibration import Params
from model.indicators import annual_table, zone_table
from model.model import ReformModel
from model.scenario import Scenario


@dataclass
class RunResult:
    seed: int
    annual: pd.DataFrame  # one row per year
    quarterly: pd.DataFrame  # one row per quarter, the model's raw records
    zones: pd.DataFrame  # one row per year and zone
    wall_seconds: float  # time spent stepping the model
    household_agent_steps: int


def simulate(
    scenario: Scenario,
    seed: int | None = None,
    *,
    params: Params | None = None,
    check_invariants: bool = True,
) -> RunResult:
    """Run one scenario with one seed (the scenario's own seed unless given)."""
    if seed is not None:
        scenario = scenario.with_run(seed=seed)
    model = ReformModel(scenario, params=params, check_invariants=check_invariants)
    steps = 0
    while model.t < model.n_quarters:
        steps += len(model.household_agents)
        model.step()
    quarterly = model.quarterly_frame()
    return RunResult(
        seed=scenario.run.seed,
        annual=annual_table(quarterly),
        quarterly=quarterly,
        zones=zone_table(model.zone_frame()),
        wall_seconds=model.wall_seconds,
        household_agent_steps=steps,
    )
