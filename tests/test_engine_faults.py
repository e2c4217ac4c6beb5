"""The batch engine under faults: two processes on one folder, parts deleted or damaged on
disk, a lost manifest, a folder that refuses writes, and a batch killed with its workers busy.

Each test starts from a real results folder (a small model batch) and ends, where the folder
can be mended, by resuming it to the very tables and summary of an undisturbed batch.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from experiments.cli import main
from experiments.commands import batch as batch_module
from experiments.engine import execute
from experiments.engine.lock import locked_folder
from experiments.engine.parts import PartStore
from experiments.engine.store import load_results, point_table, write_summary
from experiments.errors import UserError
from experiments.formats.experiment import load_experiment

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("annual", "quarterly", "zones", "distribution")  # distribution: every run keeps it
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


@pytest.fixture(scope="module", autouse=True)
def one_run_per_call():
    """One run per call, so that the serial batches below write one part per run whatever
    the machine's speed (quick runs are otherwise handed out several to a call)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(execute, "MAX_RUNS_PER_CALL", 1)
        yield


@pytest.fixture(scope="module")
def reference(tmp_path_factory, one_run_per_call) -> tuple[Path, Path]:
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


# ---------------------------------------------------------------------------- one writer


def test_a_locked_folder_is_refused_naming_its_holder(reference, tmp_path) -> None:
    spec, ref = reference
    out = copy_of(ref, tmp_path / "out")
    drop_parts(out, keep=4)
    before = {path: path.stat().st_mtime_ns for path in (out / "runs").rglob("*")}
    with locked_folder(out):
        owner = json.loads((out / ".lock-owner.json").read_text())
        assert owner["pid"] == os.getpid() and owner["host"] == socket.gethostname()
        code, err = finish(start_batch(spec, out, "--resume", "--executor", "serial"))
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    holder = f"pid {os.getpid()} on {socket.gethostname()}, started {owner['started']}"
    assert f"is being written by another process ({holder}" in err
    assert {path: path.stat().st_mtime_ns for path in (out / "runs").rglob("*")} == before
    assert not (out / ".lock-owner.json").exists()  # released: the folder resumes
    assert ezhou_batch(spec, out, "--resume", "--executor", "serial") == 0
    assert_same_results(out, ref)


def test_a_sensitivity_study_holds_its_folder_for_runs_and_analysis(tmp_path, monkeypatch) -> None:
    from experiments.analysis import sensitivity
    from experiments.formats.sensitivity import parse_study

    spec = tmp_path / "study.toml"
    spec.write_text(ISHIGAMI_MORRIS, encoding="utf-8")
    out = tmp_path / "study"
    with locked_folder(out):
        cmd = [sys.executable, "-m", "experiments.cli", "sensitivity", str(spec), "--out", str(out)]
        refused = subprocess.run(
            [*cmd, "--executor", "serial", "--quiet"], cwd=ROOT, capture_output=True, text=True
        )
    assert refused.returncode == 2
    assert f"being written by another process (pid {os.getpid()} on" in refused.stderr
    assert not (out / "runs").exists()
    holders = []
    real = sensitivity.write_study

    def write_study(*args, **kwargs):  # who holds the folder while the analysis is written
        holders.append(json.loads((out / ".lock-owner.json").read_text())["pid"])
        return real(*args, **kwargs)

    monkeypatch.setattr(sensitivity, "write_study", write_study)
    study = parse_study(spec.read_text(), spec)
    result = sensitivity.run_study(study, out, executor="serial", quiet=True)
    assert result.indices is not None and (out / "indices.csv").is_file()
    assert holders == [os.getpid()] and not (out / ".lock-owner.json").exists()


def holds_folder(proc: subprocess.Popen, out: Path) -> bool:
    """Whether ``proc`` holds the folder's lock (its owner file names it)."""
    try:
        return json.loads((out / ".lock-owner.json").read_text())["pid"] == proc.pid
    except (OSError, ValueError, KeyError):
        return False


def test_two_resumes_of_one_folder_never_run_a_run_twice(reference, tmp_path) -> None:
    """A resume started while another writes the folder is refused, and the first runs each
    run once. The first is paused while the second tries (from when it holds the folder, or
    once it has written parts), so that the two overlap however fast the runs are."""
    spec, ref = reference
    out = copy_of(ref, tmp_path / "out")
    for staggered in (False, True):
        drop_parts(out, keep=2)
        first = start_batch(spec, out, "--resume", "--executor", "serial")
        deadline = time.monotonic() + 60
        while not holds_folder(first, out) or (
            staggered and len(PartStore(out).files("annual")) < 3
        ):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGSTOP)
        try:
            code2, err2 = finish(start_batch(spec, out, "--resume", "--executor", "serial"))
        finally:
            os.kill(first.pid, signal.SIGCONT)
        code1, err1 = finish(first)
        assert (code1, code2) == (0, 2), (err1, err2)
        assert f"being written by another process (pid {first.pid} on" in err2
        assert err2.count("\n") == 1 and "Traceback" not in err2, err2
        assert_same_results(out, ref)


# ---------------------------------------------------------------------------- damaged parts


def test_a_deleted_table_part_is_noticed_and_its_runs_run_again(reference, tmp_path) -> None:
    spec, ref = reference
    out = copy_of(ref, tmp_path / "out")
    lost = runs_in_part(out, 3)
    (out / "runs" / "zones" / "part-000003.parquet").unlink()
    assert ezhou_batch(spec, out, "--resume", "--executor", "serial") == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["runs_this_session"] == len(lost) > 0
    assert_same_results(out, ref)


def corrupt_a_data_page(path: Path) -> None:
    """Overwrite bytes of a column's data page (the year's), leaving the footer as it was."""
    column = pq.read_metadata(path).row_group(0).column(4)
    start = column.data_page_offset + 16
    with open(path, "r+b") as handle:
        handle.seek(start)
        handle.write(b"\x5a" * 64)
    pq.read_metadata(path)  # the footer still reads: only the data says something is wrong


def test_a_corrupt_data_page_is_found_on_resume_and_never_leaves_a_temporary_file(
    reference, tmp_path, capsys
) -> None:
    spec, ref = reference
    out = copy_of(ref, tmp_path / "out")
    lost = runs_in_part(out, 5)
    part = out / "runs" / "annual" / "part-000005.parquet"
    corrupt_a_data_page(part)
    (out / "summary.csv").unlink()
    # reading it back names the file in one line, and leaves no temporary summary behind
    exp = load_experiment(spec)
    with pytest.raises(UserError, match=rf"{part.name}: cannot be read .* --resume"):
        write_summary(out, point_table(exp.tasks()))
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]
    capsys.readouterr()
    assert ezhou_batch(spec, out, "--resume", "--executor", "serial") == 0
    err = capsys.readouterr().err
    assert "1 damaged part(s) deleted" in err and "part 5: its annual file differs" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["runs_this_session"] == len(lost)
    assert_same_results(out, ref)


def test_a_folder_of_parts_without_indexes_is_checked_and_indexed(reference, tmp_path) -> None:
    """Folders written before parts had indexes: a part is whole when it has a file for every
    table of the folder and each reads whole; it is then indexed."""
    spec, ref = reference
    out = copy_of(ref, tmp_path / "out")
    shutil.rmtree(out / "parts")
    lost = runs_in_part(out, 3)
    (out / "runs" / "zones" / "part-000003.parquet").unlink()
    (out / ".summary.csv.123-abcd.tmp").write_text("")  # a summary cut off by kill -9
    assert ezhou_batch(spec, out, "--resume", "--executor", "serial") == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["runs_this_session"] == len(lost)
    indexes = sorted(out.glob("parts/part-*.json"))
    assert len(indexes) == len(PartStore(out).files("annual"))
    first = json.loads(indexes[0].read_text())
    assert first["fingerprint"] == load_experiment(spec).fingerprint()
    assert set(first["files"]) == set(TABLES)
    assert_same_results(out, ref)


# ---------------------------------------------------------------------------- the manifest


def test_a_corrupt_manifest_is_rebuilt_from_the_parts(reference, tmp_path, capsys) -> None:
    spec, ref = reference
    out = copy_of(ref, tmp_path / "out")
    drop_parts(out, keep=10)
    done = {run for number in range(10) for run in runs_in_part(out, number)}
    (out / "manifest.json").write_text('{"kind": "batch", "runs": [{"run_id": 0, "st')
    capsys.readouterr()
    assert ezhou_batch(spec, out, "--executor", "serial") == 2  # without --resume: refused
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "manifest.json cannot be read (not valid JSON" in err
    assert "--resume (the manifest is rebuilt from the parts)" in err
    # another spec's batch is not rebuilt into this folder
    other = tmp_path / "other.toml"
    other.write_text(SPEC.replace("seed = 8", "seed = 9"), encoding="utf-8")
    assert ezhou_batch(other, out, "--resume", "--executor", "serial") == 2
    assert "holds parts of a batch of a different spec" in capsys.readouterr().err
    assert ezhou_batch(spec, out, "--resume", "--executor", "serial") == 0
    err = capsys.readouterr().err
    assert "manifest.json could not be used (not valid JSON" in err
    assert f"rebuilt from the parts: {len(done)} of {N_RUNS} runs done" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["n_done"] == N_RUNS and "rebuilt" in manifest
    assert manifest["sessions"][-1]["runs_before"] == len(done)
    assert manifest["spec_text"] == load_experiment(spec).text  # the report has what it needs
    assert_same_results(out, ref)


# ---------------------------------------------------------------------------- refused writes


def test_a_folder_that_refuses_writes_is_one_line_exit_2_and_resumes(
    reference, tmp_path, capsys, monkeypatch
) -> None:
    spec, ref = reference
    out = tmp_path / "out"
    annual = out / "runs" / "annual"
    real = batch_module.run_model_task

    def refuse_writes_after_run_5(task):
        if task.run_id == 5:
            if os.geteuid() != 0:  # the folder made read-only, as a user would
                annual.chmod(0o555)
            else:  # root writes through permissions: a file where the folder was
                annual.rename(annual.with_name("annual-aside"))
                annual.write_text("not a folder")
        return real(task)

    monkeypatch.setattr(batch_module, "run_model_task", refuse_writes_after_run_5)
    assert ezhou_batch(spec, out, "--executor", "serial") == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]
    assert f"error: {annual}" in line and "cannot write (" in line and "--resume" in line
    assert not (out / ".lock-owner.json").exists()
    monkeypatch.setattr(batch_module, "run_model_task", real)
    if annual.is_file():
        annual.unlink()
        annual.with_name("annual-aside").rename(annual)
    annual.chmod(0o755)
    assert 0 < len(PartStore(out).files("annual")) < N_RUNS
    assert ezhou_batch(spec, out, "--resume", "--executor", "serial") == 0
    assert_same_results(out, ref)


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
