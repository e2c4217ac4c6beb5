"""Real growth of a scenario split between its outside conditions and its reforms, and by
mechanism: four variants of the scenario run on the same seeds.

- ``full``: the scenario as written;
- ``conditions_only``: its conditions, every reform off;
- ``reforms_only``: its levers, under the default conditions of :class:`Conditions` (2010's
  values held: no change in the outside world);
- ``neither``: default conditions, no reform.

Each keeps the scenario's run settings. ``experiments/analysis/growth.py`` takes each run's
growth apart; this module runs the variants and writes the tables.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.analysis.growth import contributions, effects, summarise
from experiments.provenance import git_commit, package_versions
from experiments.runner import replaced, run_replications
from model.scenario import Scenario, validate_scenario

VARIANTS = ("full", "conditions_only", "reforms_only", "neither")
VARIANT_TITLES = {
    "full": "full scenario",
    "conditions_only": "conditions only",
    "reforms_only": "reforms only",
    "neither": "neither",
}
# what `ezhou decompose` writes; decompose.json marks a folder as an earlier decomposition
GROWTH_FILE, EFFECTS_FILE = "growth.csv", "effects.csv"
MECHANISMS_FILE, BY_SEED_FILE = "mechanisms.csv", "by_seed.csv"
SUMMARY_FILE, META_FILE = "decomposition.md", "decompose.json"
DECOMPOSE_FILES = (
    GROWTH_FILE,
    EFFECTS_FILE,
    MECHANISMS_FILE,
    BY_SEED_FILE,
    SUMMARY_FILE,
    META_FILE,
)
DECOMPOSE_MARKER = META_FILE


def variants(scenario: Scenario) -> dict[str, Scenario]:
    """The four variants of ``scenario`` (:data:`VARIANTS`), validated like a file."""
    data = scenario.model_dump()
    out = {}
    for name in VARIANTS:
        copy = {**data, "name": f"{scenario.name[:170]} ({VARIANT_TITLES[name]})"}
        if name in ("conditions_only", "neither"):
            copy["levers"] = {}
        if name in ("reforms_only", "neither"):
            copy["conditions"] = {}
        out[name] = validate_scenario(copy, source=f"{scenario.name}: {name}")
    return out


@dataclass
class Decomposition:
    """What a decomposition found: every seed's figures and their summaries."""

    by_seed: pd.DataFrame  # variant, seed, year, side, component, pp
    growth: pd.DataFrame  # real growth by variant and year: mean and intervals
    effects: pd.DataFrame  # effect, year, side, component: mean and intervals
    mechanisms: pd.DataFrame  # variant, year, side, component: mean and intervals


def decompose(
    scenario: Scenario, seeds: list[int], years: list[int], progress=None
) -> Decomposition:
    """Run the four variants on ``seeds`` and take real growth in ``years`` apart."""
    frames = []
    for index, (name, variant) in enumerate(variants(scenario).items()):
        reps = run_replications(
            variant,
            seeds,
            progress=(lambda done, total, i=index: progress(i, done, total)) if progress else None,
        )
        frames.append(contributions(reps.quarterly).assign(variant=name))
    by_seed = pd.concat(frames, ignore_index=True)
    by_seed = by_seed[by_seed.year.isin(years)]
    by_seed = by_seed[["variant", "seed", "year", "side", "component", "pp"]].reset_index(drop=True)
    growth = by_seed[by_seed.side == "total"]
    paired = effects(by_seed)
    return Decomposition(
        by_seed=by_seed,
        growth=summarise(growth, ["variant", "year"]),
        effects=summarise(paired, ["effect", "year", "side", "component"]),
        mechanisms=summarise(by_seed, ["variant", "year", "side", "component"]),
    )


def write_decomposition(
    result: Decomposition, summary: str, argv: list[str], seeds: list[int], out: Path
) -> None:
    """Write the decomposition's files (:data:`DECOMPOSE_FILES`) as the whole of ``out``, all
    at once (nothing half-written, an earlier decomposition replaced whole)."""
    with replaced(out) as tmp:
        for name, table in (
            (GROWTH_FILE, result.growth),
            (EFFECTS_FILE, result.effects),
            (MECHANISMS_FILE, result.mechanisms),
            (BY_SEED_FILE, result.by_seed),
        ):
            table.to_csv(tmp / name, index=False, float_format="%.10g")
        (tmp / SUMMARY_FILE).write_text(summary, encoding="utf-8")
        meta = {
            "command": shlex.join(argv),
            "seeds": seeds,
            "versions": package_versions(),
            "git_commit": git_commit(),
        }
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
