"""Reference runs that pin the model's results while its code is made faster.

``python -m tests.reference_runs`` writes ``tests/data/reference_annual.csv.gz``: the annual
table of a fixed set of runs (scenario, scale, seed), recorded with the commit that produced
it. ``tests/test_equivalence.py`` reruns the same set and compares. Regenerate the file only
when a change is meant to alter results, and say so in the commit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from model.api import simulate
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "data" / "reference_annual.csv.gz"

# (scenario file, scale, seeds): default scale for many seeds, a larger city for two
RUNS = [
    ("scenarios/baseline.toml", 100, range(1, 21)),
    ("scenarios/full_programme.toml", 100, range(1, 21)),
    ("scenarios/full_programme.toml", 10, range(1, 3)),
]


def run_all(runs=RUNS) -> pd.DataFrame:
    frames = []
    for path, scale, seeds in runs:
        sc = load_scenario(ROOT / path).with_run(scale=scale)
        for seed in seeds:
            a = simulate(sc, seed, check_invariants=False).annual
            a.insert(0, "scale", scale)
            a.insert(0, "scenario", Path(path).stem)
            frames.append(a)
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    df = run_all()
    df.insert(0, "commit", commit)
    REFERENCE.parent.mkdir(exist_ok=True)
    df.to_csv(REFERENCE, index=False, float_format="%.17g")
    print(f"wrote {REFERENCE} ({len(df)} rows, commit {commit})", file=sys.stderr)


if __name__ == "__main__":
    main()
