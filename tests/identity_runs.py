"""Runs that pin the model's results exactly while its code is reorganised.

``python -m tests.identity_runs`` writes ``tests/data/identity_{annual,zones,quarterly}.parquet``:
the three tables ``ezhou run`` writes (annual, zones, quarterly) for a fixed set of runs, each
row tagged with its scenario, scale and seed. ``tests/test_identity.py`` reruns the set and
requires every value to be the same to the last bit. Regenerate the files only when a change
is meant to alter results, and say so in the commit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

try:
    import numerics
except ImportError:  # run as `python -m tests.identity_runs`
    from tests import numerics

numerics.pin()  # the files are written on the numeric paths the tests read them on

import pandas as pd  # noqa: E402

from model.api import simulate  # noqa: E402
from model.scenario import load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TABLES = ("annual", "zones", "quarterly")
KEYS = ["scenario", "scale", "seed"]

# (scenario file, scale, seeds): the default scale for three scenarios, one larger city
RUNS = [
    ("scenarios/baseline.toml", 100, (1, 2, 3)),
    ("scenarios/full_programme.toml", 100, (1, 2, 3)),
    ("scenarios/historical_2011_2020.toml", 100, (1, 2, 3)),
    ("scenarios/full_programme.toml", 10, (1,)),
]


def reference_path(table: str) -> Path:
    return DATA / f"identity_{table}.parquet"


def run_all(runs=RUNS) -> dict[str, pd.DataFrame]:
    """The three tables of every run, concatenated, with the run's keys in front."""
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    for path, scale, seeds in runs:
        scenario = load_scenario(ROOT / path).with_run(scale=scale)
        for seed in seeds:
            result = simulate(scenario, seed, check_invariants=False)
            for table in TABLES:
                frame = getattr(result, table).copy()
                frame.insert(0, "scale", scale)
                frame.insert(0, "scenario", Path(path).stem)
                parts[table].append(frame)
    return {t: pd.concat(frames, ignore_index=True) for t, frames in parts.items()}


def main() -> None:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    DATA.mkdir(exist_ok=True)
    for table, frame in run_all().items():
        frame.to_parquet(reference_path(table), index=False, compression="zstd")
        path = reference_path(table)
        print(f"wrote {path} ({len(frame)} rows, commit {commit})", file=sys.stderr)


if __name__ == "__main__":
    main()
