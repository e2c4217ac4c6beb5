"""One scenario over several seeds, the tables that come out of it, and the folders they go to.

A command checks its output place before it simulates (:func:`check_writable`,
:func:`check_result_folder`): a file, a folder it cannot write, or a folder holding files that
are not an earlier result of the same command is refused in one line. Results are written into
a new folder beside the target that then takes its place whole (:func:`replaced`): an earlier
result is replaced at once, never mixed with the new one, and kept as it was if writing fails.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.errors import UserError
from experiments.provenance import git_commit, package_versions
from model.api import RunResult, simulate
from model.scenario import Scenario

# what `ezhou run` writes; run.json marks a folder as an earlier run
DISTRIBUTION_FILE = "distribution.parquet"
RUN_FILES = (
    "annual.csv",
    "quarterly.parquet",
    "zones.csv",
    DISTRIBUTION_FILE,
    "scenario.toml",
    "run.json",
)
RUN_MARKER = "run.json"
# `ezhou report` writes its HTML into a run's or comparison's folder: a report there does not
# make the folder someone else's (it is replaced with the rest)
REPORT_SUFFIX = ".html"


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

    @property
    def distribution(self) -> pd.DataFrame:
        """Every seed's distribution table (income, wealth and land by decile), seed by seed."""
        return pd.concat([r.distribution for r in self.runs], ignore_index=True)


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


def _nearest_existing(path: Path) -> Path:
    """``path`` or the closest folder above it that exists (the one a new folder goes into)."""
    path = Path(os.path.abspath(path))
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def _probe(folder: Path, out: Path) -> None:
    """UserError unless a new entry can be made in ``folder`` (made and removed at once)."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".ezhou-probe-", dir=folder))
    except OSError as exc:
        where = "there" if folder == Path(os.path.abspath(out)) else f"in {folder}"
        raise UserError(
            f"{out}: cannot write the results {where} ({exc.strerror or exc}); allowed: a "
            "folder you can write to"
        ) from None


def check_writable(out: Path, replace: bool = False) -> None:
    """Before anything runs: ``out`` is not a file and results can be written there (into
    ``out`` itself, or the closest folder above it that exists). With ``replace``, also
    beside ``out``, where :func:`replaced` builds the new folder."""
    out = Path(out)
    if os.path.lexists(out) and not out.is_dir():
        raise UserError(
            f"{out}: is a file; allowed: a folder for the results (new, empty, or an earlier "
            "result)"
        )
    existing = _nearest_existing(out)
    if not existing.is_dir():
        raise UserError(f"{out}: {existing} is a file, so no folder can be made below it")
    _probe(existing, out)
    if replace and existing == Path(os.path.abspath(out)):
        _probe(_nearest_existing(existing.parent), out)


def check_result_folder(out: Path, files: tuple[str, ...], marker: str, command: str) -> None:
    """Before anything runs, for a command whose results replace its folder whole: ``out``
    is writable and is new, empty, or an earlier result of ``command`` (only ``files``, with
    ``marker`` among them). Anything else may be someone's work and is refused."""
    out = Path(out)
    check_writable(out, replace=True)
    if not out.is_dir():
        return
    try:
        entries = sorted(entry.name for entry in out.iterdir())
    except OSError as exc:
        raise UserError(f"{out}: cannot be read ({exc.strerror or exc})") from None
    if not entries:
        return
    foreign = [name for name in entries if name not in files and not name.endswith(REPORT_SUFFIX)]
    if foreign or marker not in entries:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        what = f"holds {shown}" if foreign else f"holds {', '.join(entries)} but no {marker}"
        raise UserError(
            f"{out}: {what}, so it is not an earlier `{command}` result; allowed: a new or "
            f"empty folder, or an earlier `{command}` result's folder (replaced whole)"
        )


@contextmanager
def replaced(out_dir: Path):
    """A new folder beside ``out_dir`` that takes its place whole if the block ends without
    error. An earlier ``out_dir`` is swapped out at once and deleted, or kept untouched if
    anything fails; an OS error is a one-line UserError naming ``out_dir``."""
    out_dir = Path(out_dir)
    tag = f".ezhou-{out_dir.name}-{uuid.uuid4().hex[:8]}"
    new, old = out_dir.parent / f"{tag}-new", out_dir.parent / f"{tag}-old"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        new.mkdir()  # not mkdtemp: the results folder gets the usual permissions
        yield new
        if out_dir.exists():
            os.rename(out_dir, old)
            try:
                os.rename(new, out_dir)
            except OSError:
                os.rename(old, out_dir)
                raise
        else:
            os.rename(new, out_dir)
    except OSError as exc:
        name = Path(exc.filename).name if exc.filename else ""
        what = f"cannot write {name}" if name and not name.startswith(".ezhou-") else "cannot write"
        raise UserError(
            f"{out_dir}: {what} ({exc.strerror or exc}); nothing there was changed"
        ) from None
    finally:
        shutil.rmtree(new, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


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


def write_run(reps: Replications, out_dir: Path) -> None:
    """Write the run's files (:data:`RUN_FILES`) as the whole of ``out_dir``, all at once:
    nothing half-written on failure, and an earlier run replaced whole."""
    with replaced(out_dir) as tmp:
        annual = reps.annual.sort_values(["seed", "year"], kind="stable")
        annual.to_csv(tmp / "annual.csv", index=False, float_format="%.10g")
        reps.quarterly.to_parquet(tmp / "quarterly.parquet", index=False)
        reps.zones.to_csv(tmp / "zones.csv", index=False, float_format="%.10g")
        reps.distribution.to_parquet(tmp / DISTRIBUTION_FILE, index=False)
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
