"""The batch engine under faults: a batch killed with its workers busy.

Each test starts from a real results folder (a small model batch) and ends, where the folder
can be mended, by resuming it to the very tables and summary of an undisturbed batch.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from experiments.cli import main
from experiments.engine.store import PartStore, load_results

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("annual", "quarterly", "zones")
N_RUNS = 24
SPEC = f"""
name = "faults"
base = "{ROOT / "scenarios" / "baseline.toml"}"
seed = 8
replications = 12
end_year = 2012
scale = 1000
outputs = ["annual", "quarterly", "zones"]
[factors."levers.talent.enabled"]
values = [false, true]
"""

ISHIGAMI_MORRIS = """
name = "ishigami"
model = "ishigami"
seed = 5
replications = 1
[method]
name = "morris"
trajectories = 4
[analysis]
seed = 3
resamples = 50
[[parameters]]
path = "x1"
bounds = [-3.14, 3.14]
[[parameters]]
path = "x2"
bounds = [-3.14, 3.14]
[[parameters]]
path = "x3"
bounds = [-3.14, 3.14]
[[outputs]]
indicator = "y"
"""


def ezhou_batch(spec: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(spec), "--out", str(out), "--quiet", "--part-seconds", "0", *extra])


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """(spec file, a folder holding the whole batch, run serially without a fault)."""
    folder = tmp_path_factory.mktemp("faults")
    spec = folder / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    assert ezhou_batch(spec, folder / "ref", "--executor", "serial") == 0
    return spec, folder / "ref"


def copy_of(reference: Path, to: Path) -> Path:
    shutil.copytree(reference, to)
    return to


def runs_in_part(out: Path, number: int) -> list[int]:
    path = out / "runs" / "annual" / f"part-{number:06d}.parquet"
    return sorted(set(pd.read_parquet(path, columns=["run_id"]).run_id))


def drop_parts(out: Path, keep: int) -> None:
    """Delete every part after the first ``keep``: a batch stopped part-way."""
    for path in sorted(out.glob("runs/*/part-*.parquet")) + sorted(out.glob("parts/*.json")):
        if int(path.name.split(".")[0].split("-")[1]) >= keep:
            path.unlink()


def assert_same_results(out: Path, reference: Path) -> None:
    for table in TABLES:
        got, ref = load_results(out, table), load_results(reference, table)
        assert sorted(got.run_id.unique()) == list(range(N_RUNS)), table
        assert got.run_id.value_counts().nunique() == 1, f"{table}: a run has rows twice"
        pd.testing.assert_frame_equal(got, ref, check_exact=True, obj=table)
    assert (out / "summary.csv").read_text() == (reference / "summary.csv").read_text()
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]


def start_batch(spec: Path, out: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "experiments.cli", "batch", str(spec), "--out", str(out)]
    cmd += ["--quiet", "--part-seconds", "0", *extra]
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[int, str]:
    """Wait for the batch; its exit code and stderr. Its output is a few lines, so waiting
    before reading cannot fill the pipes."""
    try:
        proc.wait(timeout=timeout)
    finally:
        try:  # anything the batch left behind is ours to stop (and would hold the pipes open)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, err = proc.communicate()
    return proc.returncode, err


# ---------------------------------------------------------------------------- kill -9


def running(process: psutil.Process) -> bool:
    """Alive and not merely a zombie waiting for a parent that is gone to collect it."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_workers_end_when_the_batch_is_killed(reference, tmp_path) -> None:
    spec, _ = reference
    out = tmp_path / "out"
    proc = start_batch(spec, out, "--executor", "processes", "--workers", "2")
    try:
        batch = psutil.Process(proc.pid)
        deadline = time.monotonic() + 60
        while not PartStore(out).files("annual"):  # the workers are running runs
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        children = batch.children(recursive=True)
        assert len(children) >= 3  # the fork server, the resource tracker, the workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not [child.pid for child in alive if running(child)]
    finally:
        finish(proc)
