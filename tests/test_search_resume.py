"""A search killed (kill -9) in the middle of a generation and resumed with ``--resume`` ends
with the same Pareto set, candidates, runs and hypervolumes as one never stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from experiments.cli import main
from experiments.engine.store import PartStore

ROOT = Path(__file__).resolve().parent.parent
GENERATIONS, POPULATION = 5, 12
SPEC = (
    'name = "resumed"\nmodel = "dtlz2"\nseed = 11\n[dtlz2]\nnoise_sd = 0.01\n'
    f"[algorithm]\npopulation = {POPULATION}\ngenerations = {GENERATIONS}\n"
    + "".join(f"[decisions.x{i}]\nrange = [0, 1]\n" for i in range(1, 6))
    + "".join(f'[[objectives]]\nindicator = "f{i}"\nsense = "min"\n' for i in (1, 2, 3))
)
# the search run by the command line, each run slowed down so that a generation is written
# in several parts and can be stopped half-way
SLOW_SEARCH = """
import sys, time
from experiments.analysis import search as engine
from experiments.analysis.search_problem import dtlz2_task

def slow(task):
    time.sleep(0.25)
    return dtlz2_task(task)

engine.work_function = lambda search: slow
from experiments.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_search_killed_mid_generation_resumes_to_the_same_front(tmp_path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", SLOW_SEARCH, "search", str(spec), "--out", str(out)]
    cmd += ["--executor", "serial", "--quiet"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    third = out / "generations" / "gen-0002"
    try:
        deadline = time.monotonic() + 180
        # the third generation has a part on disk but is not finished
        while not PartStore(third).files("annual"):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no part of the third generation written"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
    assert not (third / "outcomes.parquet").exists(), "the generation ended before the kill"
    assert not (out / "pareto.csv").exists()
    done_before = 2 * POPULATION + len(pd.read_parquet(PartStore(third).files("annual")[0]))
    assert json.loads((out / "search.json").read_text())["state"] == "running"

    args = ["--executor", "serial", "--quiet"]
    assert main(["search", str(spec), "--out", str(out), "--resume", *args]) == 0
    reference = tmp_path / "reference"
    assert main(["search", str(spec), "--out", str(reference), *args]) == 0
    for name in ("pareto.csv", "candidates.csv", "evaluations.csv", "convergence.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(out / name), pd.read_csv(reference / name), check_exact=True
        )
    head = json.loads((out / "search.json").read_text())
    assert head["state"] == "finished"
    # the two finished generations were replayed from their outcomes and the third's part
    # was kept: only the rest ran again
    assert head["runs_this_session"] <= GENERATIONS * POPULATION - done_before
    manifest = json.loads((third / "manifest.json").read_text())
    assert len(manifest["sessions"]) == 2 and manifest["n_done"] == POPULATION
