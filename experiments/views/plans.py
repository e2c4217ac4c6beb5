"""What a job will run and what it will cost, known before any run: the seeds, the
scenario without reform it is set against, the pool's size and a rough wall time.

Kept apart from ``runs`` so that a page can show its settings and its Run button without
importing the model (that is the workers' business, and the results').
"""

from __future__ import annotations

import os

from model.scenario import Scenario, validate_scenario

# seconds per household-agent step at default scale, before the first measured run
DEFAULT_SECONDS_PER_AGENT_STEP = 7e-6
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """Workers of a pool when none are asked for: one a core, at most four."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def seconds_estimate(
    scenario: Scenario, n_seeds: int, workers: int, per_agent_step: float | None = None
) -> float:
    """Rough wall time of ``n_seeds`` runs: households per agent x quarters x a measured
    cost per household-agent step (the app passes the last run's figure)."""
    per = per_agent_step or DEFAULT_SECONDS_PER_AGENT_STEP
    households = 350_000 / scenario.run.scale
    quarters = (scenario.run.end_year - scenario.run.start_year + 1) * 4
    runs = n_seeds
    return per * households * quarters * runs / max(1, min(workers, runs))


def seed_list(scenario: Scenario, n: int) -> list[int]:
    """The seeds ``ezhou run`` uses: the scenario's own for one, spawned ones for more."""
    from experiments.runner import spawn_seeds

    return [scenario.run.seed] if n == 1 else spawn_seeds(scenario.run.seed, n)


def reforms_off(scenario: Scenario) -> Scenario:
    """The same scenario with every reform switched off: the counterfactual the app
    measures a scenario's effect against (same outside world, same run settings)."""
    data = scenario.model_dump()
    for group in data["levers"].values():
        group["enabled"] = False
    data["name"] = f"{scenario.name} (no reform)"
    return validate_scenario(data, source="baseline")


def has_reforms(scenario: Scenario) -> bool:
    return any(g.enabled for g in dict(scenario.levers).values())
