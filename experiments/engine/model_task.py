"""The work function of a model batch: a task's factor values set in the base scenario (levers
and conditions) or in the model's parameters (``parameters.<group>.<name>``), the model run
with the task's seed, the tables the experiment keeps.

With ``against = "no_reforms"`` a task also runs its counterfactual: the same scenario and
parameters with every reform switched off, on the same seed, kept as the table
``annual_no_reforms``; a reform's effect is then a paired difference of two runs that share
everything but the reforms.

It is a module-level function so that process pools and Dask can send it by name, and the fork
server preloads this module (and through it the model) once for every worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from experiments.engine.tasks import Task
from model.api import simulate
from model.calibration import Params, load_parameters
from model.scenario import Scenario, validate_scenario

LABEL = "point_name"  # column holding a named design point's label; not a scenario path
PARAMETERS = "parameters"  # a factor path's first part when it names a model parameter
COUNTERFACTUALS = ("no_reforms",)  # what an effect may be measured against
COUNTERFACTUAL_TABLE = "annual_no_reforms"  # the counterfactual runs' annual table
# what every model run keeps, whatever else an experiment asks for: the annual indicators and
# who gains (income, wealth and land by decile; model/distribution.py)
ALWAYS_KEPT = ("annual", "distribution")


@dataclass(frozen=True)
class ModelJob:
    """What a model run needs besides its seed and factors: sent along with each task."""

    base: Scenario  # end year and scale already applied
    tables: tuple[str, ...]
    # also run each task with every reform off (same seed and parameters); None: do not
    against: Literal["no_reforms"] | None = None

    @property
    def kept(self) -> tuple[str, ...]:
        """Every table a run of this job writes: a part lacking one is not done."""
        return self.tables + ((COUNTERFACTUAL_TABLE,) if self.against is not None else ())


def set_path(data: dict, path: str, value: Any) -> None:
    """Set a dotted path in a scenario's data (as from ``model_dump``)."""
    *head, last = path.split(".")
    for part in head:
        data = data[part]
    data[last] = value


def is_parameter(path: str) -> bool:
    """Whether a factor path names one of the model's parameters rather than a scenario key."""
    return path.split(".", 1)[0] == PARAMETERS


def parameter_key(path: str) -> str:
    """``parameters.labour.wage_adjust`` -> ``labour.wage_adjust``, the key ``Params`` takes."""
    return path.split(".", 1)[1]


def task_scenario(task: Task) -> Scenario:
    """The base scenario with the task's lever and condition values and seed."""
    job: ModelJob = task.payload
    data = job.base.model_dump()
    for path, value in task.factors.items():
        if path != LABEL and not is_parameter(path):
            set_path(data, path, value)
    data["run"]["seed"] = task.seed
    return validate_scenario(data, source=f"design point {task.point_id}")


def task_params(task: Task) -> Params | None:
    """The model's parameters with the task's ``parameters.*`` values laid over them; None
    (the model's own) when the task sets none, so other designs run exactly as before."""
    overrides = {
        parameter_key(path): value for path, value in task.factors.items() if is_parameter(path)
    }
    return load_parameters().replace(overrides) if overrides else None


def without_reforms(scenario: Scenario) -> Scenario:
    """The scenario with every reform switched off, all else (conditions, run) kept."""
    data = scenario.model_dump()
    for group in data["levers"].values():
        group["enabled"] = False
    return validate_scenario(data, source=f"{scenario.name} without reforms")


def run_model_task(task: Task) -> dict[str, pd.DataFrame]:
    """The work function of a model batch: the base scenario with the task's factor values,
    run with the task's seed; the tables the experiment keeps (and the counterfactual's
    annual table when the job asks for one)."""
    job: ModelJob = task.payload
    scenario, params = task_scenario(task), task_params(task)
    # a worker meets the same seeds again and again (design points, the counterfactual):
    # each run starts from a copy of the 2010 economy it built for them (the same results)
    # (only the tables kept are built)
    result = simulate(
        scenario, params=params, check_invariants=False, reuse_build=True, tables=job.tables
    )
    kept = {name: getattr(result, name) for name in job.tables}
    if job.against == "no_reforms":
        counterfactual = simulate(
            without_reforms(scenario),
            params=params,
            check_invariants=False,
            reuse_build=True,
            tables=("annual",),
        )
        kept[COUNTERFACTUAL_TABLE] = counterfactual.annual
    return kept
