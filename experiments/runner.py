"""One scenario over several seeds, and the tables that come out of it."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.provenance import git_commit, package_versions
from model.api import RunResult, simulate
from model.scenario import Scenario


def spawn_seeds(base_seed: int, n: int) -> list[int]:
    """``n`` independent seeds derived from one, via numpy's SeedSequence."""
    children = np.random.SeedSequence(base_seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


@dataclass
class Replications:
    scenario: Scenario
    seeds: list[int]
    runs: list[RunResult] = field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def annual(self) -> pd.DataFrame:
        return pd.concat([r.annual for r in self.runs], ignore_index=True)

    @property
    def quarterly(self) -> pd.DataFrame:
        return pd.concat([r.quarterly for r in self.runs], ignore_index=True)

    @property
    def zones(self) -> pd.DataFrame:
        return pd.concat([r.zones for r in self.runs], ignore_index=True)


def run_replications(
    scenario: Scenario, seeds: list[int], check_invariants: bool = False, progress=None
) -> Replications:
    """Run the scenario once per seed (in seed order)."""
    out = Replications(scenario, list(seeds))
    t0 = time.perf_counter()
    for i, seed in enumerate(seeds):
        out.runs.append(simulate(scenario, seed, check_invariants=check_invariants))
        if progress:
            progress(i + 1, len(seeds))
    out.wall_seconds = time.perf_counter() - t0
    return out


@contextmanager
def staged(out_dir: Path):
    """A temporary folder beside ``out_dir`` whose files move into it only if the block ends
    without error: a failed run leaves nothing half-written."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".ezhou-", dir=out_dir.parent))
    try:
        yield tmp
        out_dir.mkdir(parents=True, exist_ok=True)
        for f in sorted(tmp.iterdir()):
            os.replace(f, out_dir / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_frame(frames: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write CSV tables into ``out_dir`` all at once."""
    with staged(out_dir) as tmp:
        for name, df in frames.items():
            df.to_csv(tmp / name, index=False, float_format="%.10g")


def write_run(reps: Replications, out_dir: Path) -> None:
    """Write the run's files into ``out_dir`` all at once: nothing half-written on failure."""
    with staged(out_dir) as tmp:
        annual = reps.annual.sort_values(["seed", "year"], kind="stable")
        annual.to_csv(tmp / "annual.csv", index=False, float_format="%.10g")
        reps.quarterly.to_parquet(tmp / "quarterly.parquet", index=False)
        reps.zones.to_csv(tmp / "zones.csv", index=False, float_format="%.10g")
        (tmp / "scenario.toml").write_text(reps.scenario.to_toml(), encoding="utf-8")
        meta = {
            "scenario": reps.scenario.name,
            "seeds": reps.seeds,
            "scale": reps.scenario.run.scale,
            "start_year": reps.scenario.run.start_year,
            "end_year": reps.scenario.run.end_year,
            "wall_seconds": round(reps.wall_seconds, 3),
            "model_seconds": round(sum(r.wall_seconds for r in reps.runs), 3),
            "household_agent_steps": sum(r.household_agent_steps for r in reps.runs),
            "versions": package_versions(),
            "git_commit": git_commit(),
        }
        (tmp / "run.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
