"""A sensitivity study's results folder read for people who are not specialists: which
folders there are, and how strongly each factor moves each output, ranked and expressed as a
share of the strongest factor for that output.

Reads what ``ezhou sensitivity`` writes (``indices.csv`` and ``sensitivity.json``); an older
or hand-made folder with only ``indices.csv`` is read too, its main index guessed from its
columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.views.summaries import GOALS

# the main index of each method, in the order a folder without sensitivity.json is guessed by
MAIN_INDEX_COLUMNS = ("mu_star", "ST", "S1", "delta", "median")
SEARCH_PATTERNS = ("indices.csv", "*indices*.csv", "report.html")
STRONG_SHARE = 0.5  # a second factor at least half as strong as the first is named too
WEAK_SHARE = 0.1  # under a tenth of the strongest: "matters little"


def result_folders(root: Path) -> list[Path]:
    """Folders under ``root``, itself included and at most two levels down, that hold
    sensitivity indices or a report. A folder that leads outside ``root`` (through a symbolic
    link) is left out: the app shows only what lies in its results folder."""
    if not root.is_dir():
        return []
    top = root.resolve()
    found = set()
    for depth in ("", "*/", "*/*/"):
        for pattern in SEARCH_PATTERNS:
            for path in root.glob(depth + pattern):
                folder = path.parent
                if folder.resolve().is_relative_to(top) and path.resolve().is_relative_to(top):
                    found.add(folder)
    return sorted(found)


@dataclass
class Influence:
    """How strongly each factor moves each output of a study."""

    name: str
    description: str
    method: str
    main_index: str
    # one row per output and factor: output, indicator, year, parameter, value, lo, hi,
    # share (of the output's strongest factor, 0 to 1) and rank (1 = strongest)
    table: pd.DataFrame
    outputs: list[str] = field(default_factory=list)  # in the study's order

    def goal_outputs(self) -> list[str]:
        """The outputs that are goal scores, goal 1 first; all outputs if there are none."""
        goals = [o for o in self.outputs if o.partition(".")[0] in GOALS]
        goals.sort(key=lambda o: (GOALS.index(o.partition(".")[0]), o))
        return goals or list(self.outputs)

    def drivers(self, output: str) -> dict:
        """What matters for one output: the strongest factor, the second if it is at least
        half as strong, how many factors matter little, and whether the first two cannot be
        told apart (their intervals overlap)."""
        rows = self.table[self.table.output == output].sort_values("rank")
        rows = rows[np.isfinite(rows["value"])]
        if rows.empty:
            return {"top": None, "second": None, "weak": 0, "n": 0, "unclear": False}
        top = rows.iloc[0]
        second = rows.iloc[1] if len(rows) > 1 else None
        unclear = (
            second is not None
            and np.isfinite(top.lo)
            and np.isfinite(second.hi)
            and top.lo <= second.hi
        )
        return {
            "top": top.parameter,
            "second": (
                second.parameter if second is not None and second.share >= STRONG_SHARE else None
            ),
            "weak": int((rows.share < WEAK_SHARE).sum()),
            "n": len(rows),
            "unclear": bool(unclear),
        }

    def overall_order(self, outputs: list[str]) -> list[str]:
        """Factors from the strongest to the weakest, by their mean share over ``outputs``."""
        part = self.table[self.table.output.isin(outputs)]
        mean = part.groupby("parameter", sort=False)["share"].mean()
        return list(mean.sort_values(ascending=False, kind="stable").index)


def read_influence(folder: Path) -> Influence | None:
    """The study in ``folder``, or None when it has no readable ``indices.csv`` with an
    output, a parameter and an index column."""
    try:
        indices = pd.read_csv(folder / "indices.csv")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None
    try:
        meta = json.loads((folder / "sensitivity.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    main = meta.get("main_index")
    if main not in indices.columns:
        main = next((c for c in MAIN_INDEX_COLUMNS if c in indices.columns), None)
    if main is None or not {"output", "parameter"} <= set(indices.columns):
        return None
    value = pd.to_numeric(indices[main], errors="coerce").clip(lower=0)
    conf = pd.to_numeric(indices.get(f"{main}_conf", np.nan), errors="coerce")
    table = pd.DataFrame(
        {
            "output": indices.output.astype(str),
            "parameter": indices.parameter.astype(str),
            "value": value,
            "lo": (value - conf).clip(lower=0),
            "hi": value + conf,
        }
    )
    split = table.output.str.partition(".")
    table["indicator"] = split[0]
    table["year"] = pd.to_numeric(split[2], errors="coerce")
    strongest = table.groupby("output")["value"].transform("max")
    table["share"] = (table["value"] / strongest.where(strongest > 0)).fillna(0.0)
    table["rank"] = (
        table.groupby("output")["value"].rank(ascending=False, method="first").astype(int)
    )
    listed = [o["name"] for o in meta.get("outputs", []) if isinstance(o, dict) and "name" in o]
    outputs = [o for o in listed if o in set(table.output)] or list(dict.fromkeys(table.output))
    return Influence(
        name=str(meta.get("name", folder.name)),
        description=str(meta.get("description", "")),
        method=str(meta.get("method", {}).get("name", "")),
        main_index=main,
        table=table,
        outputs=outputs,
    )
