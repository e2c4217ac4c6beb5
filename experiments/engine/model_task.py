"""The work function of a model batch: a task's factor values set in the base scenario, the
model run with the task's seed, the tables the experiment keeps.

It is a module-level function so that process pools and Dask can send it by name, and the fork
server preloads this module (and through it the model) once for every worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from experiments.engine.tasks import Task
from model.api import simulate
from model.scenario import Scenario, validate_scenario

LABEL = "point_name"  # column holding a named design point's label; not a scenario path


@dataclass(frozen=True)
class ModelJob:
    """What a model run needs besides its seed and factors: sent along with each task."""

    base: Scenario  # end year and scale already applied
    tables: tuple[str, ...]


def set_path(data: dict, path: str, value: Any) -> None:
    """Set a dotted path in a scenario's data (as from ``model_dump``)."""
    *head, last = path.split(".")
    for part in head:
        data = data[part]
    data[last] = value


def task_scenario(task: Task) -> Scenario:
    """The base scenario with the task's factor values and seed."""
    job: ModelJob = task.payload
    data = job.base.model_dump()
    for path, value in task.factors.items():
        if path != LABEL:
            set_path(data, path, value)
    data["run"]["seed"] = task.seed
    return validate_scenario(data, source=f"design point {task.point_id}")


def run_model_task(task: Task) -> dict[str, pd.DataFrame]:
    """The work function of a model batch: the base scenario with the task's factor values,
    run with the task's seed; the tables the experiment keeps."""
    result = simulate(task_scenario(task), check_invariants=False)
    tables = {"annual": result.annual, "quarterly": result.quarterly, "zones": result.zones}
    return {name: tables[name] for name in task.payload.tables}
