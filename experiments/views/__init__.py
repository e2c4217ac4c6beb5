"""What the app needs from the outer loop, in rooms: ``plans`` (what a job will run and
cost), ``runs`` (step-by-step runs, background jobs, the cache of finished runs),
``summaries`` (what the pages show of finished runs), ``sensitivity`` (a sensitivity study's
results in plain words) and ``search`` (a search's Pareto set and packages).

Nothing here knows about Streamlit; the app (``ui/``) calls these functions, and the same
results come out as from ``ezhou run`` for the same scenario and seeds. The names most pages
use are gathered here, each imported from its room when first asked for: a page that shows
only settings imports ``plans`` and not the model, which ``runs`` brings with it.
"""

from __future__ import annotations

import importlib
from typing import Any

ROOMS = {
    "plans": ["default_workers", "has_reforms", "reforms_off", "seconds_estimate", "seed_list"],
    "runs": [
        "Job",
        "RunCache",
        "RunCancelled",
        "StepRun",
        "make_pool",
        "run_task",
        "seconds_per_agent_step",
    ],
    "summaries": [
        "GOALS",
        "LEVEL",
        "QUARTERLY_SERIES",
        "annual_csv",
        "bands",
        "distribution_csv",
        "goal_cards",
        "paired_effect",
        "quarterly_series",
        "sector_value_added",
        "zone_view",
        "zones_csv",
    ],
}
ROOM_OF = {name: room for room, names in ROOMS.items() for name in names}
__all__ = sorted(ROOM_OF)


def __getattr__(name: str) -> Any:
    room = ROOM_OF.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{room}"), name)
