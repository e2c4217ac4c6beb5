"""Where results go: the output place is checked before anything is simulated (a file, a
folder that cannot be written, a folder holding other files), an earlier result is replaced
whole and only once the new one is complete, and OS errors are one line naming the path."""

from __future__ import annotations

import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from cli_messages import one_error_line

from experiments.cli import main
from experiments.commands import batch as batch_command
from experiments.commands import scenarios as scenario_commands
from experiments.commands import sensitivity as sensitivity_command

ROOT = Path(__file__).resolve().parent.parent
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
QUICK = ["--scale", "1000", "--end-year", "2011", "--quiet"]
RUN_FILES = {
    "annual.csv",
    "quarterly.parquet",
    "zones.csv",
    "distribution.parquet",
    "scenario.toml",
    "run.json",
}


@contextmanager
def read_only_folder(path: Path):
    """A folder nothing can be written into: by its mode for a normal user, and made
    immutable for root, who ignores modes (skipped where neither is possible)."""
    path.mkdir(parents=True)
    path.chmod(0o555)
    immutable = False
    try:
        if os.access(path, os.W_OK):
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
            immutable = done.returncode == 0
            if not immutable:
                pytest.skip("cannot make a read-only folder on this machine")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o755)


@pytest.fixture
def no_simulation(monkeypatch):
    """Fails the test if a command starts simulating (or running a batch or a study)."""
    calls: list[str] = []

    def refuse(name):
        def started(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} started before the output place was checked")

        return started

    monkeypatch.setattr(scenario_commands, "run_replications", refuse("run"))
    monkeypatch.setattr("experiments.compare.run_replications", refuse("compare"))
    monkeypatch.setattr(batch_command, "execute", refuse("batch"))
    monkeypatch.setattr(sensitivity_command, "run_study", refuse("sensitivity"))
    return calls


def batch_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "small.toml"
    spec.write_text(
        f'base = "{Path(BASELINE).as_posix()}"\nend_year = 2011\nscale = 1000\n'
        '[factors."levers.talent.enabled"]\nvalues = [false, true]\n',
        encoding="utf-8",
    )
    return spec


def study_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "study.toml"
    spec.write_text(
        'name = "study"\nmodel = "ishigami"\n[method]\nname = "morris"\ntrajectories = 2\n'
        + "".join(f'[[parameters]]\npath = "x{i}"\nbounds = [-3, 3]\n' for i in (1, 2, 3))
        + '[[outputs]]\nindicator = "y"\n',
        encoding="utf-8",
    )
    return spec


# ---------------------------------------------------------------- checked before simulating


def test_run_out_onto_a_file_fails_before_simulating(tmp_path, capsys, no_simulation) -> None:
    target = tmp_path / "results.txt"
    target.write_text("mine\n")
    assert main(["run", BASELINE, *QUICK, "--out", str(target)]) == 2
    one_error_line(capsys, str(target), "is a file")
    assert target.read_text() == "mine\n" and not no_simulation


def test_run_and_batch_out_in_a_read_only_folder_fail_before_running(
    tmp_path, capsys, no_simulation
) -> None:
    with read_only_folder(tmp_path / "locked") as locked:
        for out in (locked, locked / "new" / "res"):
            assert main(["run", BASELINE, *QUICK, "--out", str(out)]) == 2
            one_error_line(capsys, str(locked), "cannot write")
            args = ["batch", str(batch_spec(tmp_path)), "--out", str(out), "--quiet"]
            assert main(args) == 2
            one_error_line(capsys, str(locked), "cannot write")
            args = ["sensitivity", str(study_spec(tmp_path)), "--out", str(out), "--quiet"]
            assert main(args) == 2
            one_error_line(capsys, str(locked), "cannot write")
        assert list(locked.iterdir()) == []
    assert not no_simulation


def test_batch_and_compare_out_onto_a_file_fail_before_running(
    tmp_path, capsys, no_simulation
) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["batch", str(batch_spec(tmp_path)), "--out", str(target), "--quiet"]) == 2
    one_error_line(capsys, str(target), "is a file")
    args = ["compare", BASELINE, BASELINE, "--seeds", "2", *QUICK, "--years", "2011"]
    args += ["--out", str(target)]
    assert main(args) == 2
    one_error_line(capsys, str(target), "is a file")
    assert not no_simulation


def test_run_refuses_a_folder_holding_other_files(tmp_path, capsys, no_simulation) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n")
    assert main(["run", BASELINE, *QUICK, "--out", str(out)]) == 2
    one_error_line(capsys, str(out), "notes.txt", "allowed: a new or empty folder")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    args = ["compare", BASELINE, BASELINE, "--seeds", "2", *QUICK, "--years", "2011"]
    args += ["--out", str(out)]
    assert main(args) == 2
    one_error_line(capsys, str(out), "notes.txt")
    assert not no_simulation


# ---------------------------------------------------------------- an earlier result


def test_an_earlier_run_is_replaced_whole(tmp_path, capsys) -> None:
    out = tmp_path / "res"
    assert main(["run", BASELINE, *QUICK, "--seed", "1", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == RUN_FILES
    assert main(["run", BASELINE, *QUICK, "--seed", "2", "--out", str(out)]) == 0
    assert json.loads((out / "run.json").read_text())["seeds"] == [2]
    assert set(pd.read_csv(out / "annual.csv").seed) == {2}
    assert {p.name for p in out.iterdir()} == RUN_FILES
    assert [p.name for p in tmp_path.iterdir()] == ["res"]  # no staging folder left
    # an earlier run with a file of the user's mixed in is not an earlier run any more
    (out / "notes.txt").write_text("mine")
    assert main(["run", BASELINE, *QUICK, "--seed", "3", "--out", str(out)]) == 2
    assert json.loads((out / "run.json").read_text())["seeds"] == [2]
    capsys.readouterr()


def test_a_run_that_fails_to_write_leaves_the_earlier_run_intact(
    tmp_path, capsys, monkeypatch
) -> None:
    out = tmp_path / "res"
    assert main(["run", BASELINE, *QUICK, "--seed", "1", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def disk_full(self, path, *args, **kwargs):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    assert main(["run", BASELINE, *QUICK, "--seed", "2", "--out", str(out)]) == 2
    one_error_line(capsys, "quarterly.parquet", "No space left on device")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["res"]


def test_compare_replaces_an_earlier_comparison(tmp_path, capsys) -> None:
    out = tmp_path / "cmp"
    args = ["compare", BASELINE, BASELINE, "--seeds", "2", *QUICK, "--years", "2011"]
    assert main([*args, "--out", str(out)]) == 0
    assert main([*args, "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"annual.csv", "compare.csv", "distribution.parquet"}
    capsys.readouterr()


def test_an_empty_folder_is_used(tmp_path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert main(["run", BASELINE, *QUICK, "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == RUN_FILES


def test_unreadable_scenario_is_one_line(tmp_path, capsys) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    link = folder / "loop.toml"
    link.symlink_to(link)  # a link to itself: reading it is an OS error, not a missing file
    assert main(["validate", str(link)]) == 2
    one_error_line(capsys, str(link))


def test_an_os_error_during_a_batch_is_one_line_naming_the_path(
    tmp_path, capsys, monkeypatch
) -> None:
    part = tmp_path / "out" / "runs" / "annual" / "part-0.parquet"

    def disk_fails(*args, **kwargs):
        raise OSError(5, "Input/output error", str(part))

    monkeypatch.setattr(batch_command, "execute", disk_fails)
    args = ["batch", str(batch_spec(tmp_path)), "--out", str(tmp_path / "out"), "--quiet"]
    assert main(args) == 1
    one_error_line(capsys, str(part), "Input/output error")
