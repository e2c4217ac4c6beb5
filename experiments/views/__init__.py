"""What the app needs from the outer loop, in three rooms: ``runs`` (step-by-step runs,
background jobs, the cache of finished runs), ``summaries`` (what the pages show of finished
runs) and ``sensitivity`` (a sensitivity study's results in plain words).

Nothing here knows about Streamlit; the app (``ui/``) calls these functions, and the same
results come out as from ``ezhou run`` for the same scenario and seeds. The names most pages
use are gathered here.
"""

from experiments.views.runs import (
    Job,
    RunCache,
    RunCancelled,
    StepRun,
    has_reforms,
    make_pool,
    reforms_off,
    run_task,
    seconds_estimate,
    seconds_per_agent_step,
    seed_list,
)
from experiments.views.summaries import (
    GOALS,
    LEVEL,
    QUARTERLY_SERIES,
    annual_csv,
    bands,
    distribution_csv,
    goal_cards,
    paired_effect,
    quarterly_series,
    sector_value_added,
    zone_view,
    zones_csv,
)

__all__ = [
    "GOALS",
    "LEVEL",
    "QUARTERLY_SERIES",
    "Job",
    "RunCache",
    "RunCancelled",
    "StepRun",
    "annual_csv",
    "bands",
    "distribution_csv",
    "goal_cards",
    "has_reforms",
    "make_pool",
    "paired_effect",
    "quarterly_series",
    "reforms_off",
    "run_task",
    "seconds_estimate",
    "seconds_per_agent_step",
    "sector_value_added",
    "seed_list",
    "zone_view",
    "zones_csv",
]
