"""A batch stopped part-way (Ctrl-C, then kill -9) and resumed equals an uninterrupted one."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from experiments.cli import main
from experiments.engine.store import PartStore, load_results

ROOT = Path(__file__).resolve().parent.parent

SPEC = f"""
name = "interrupted"
base = "{ROOT / "scenarios" / "baseline.toml"}"
seed = 4
# (enough runs, long enough, that the batch is still going when the signal lands: with 16
# runs to 2012 they got quick enough to all finish in between, once, in CI)
replications = 24
end_year = 2015
scale = 1000
outputs = ["annual", "quarterly"]
[factors."levers.five_securities.enabled"]
values = [false, true]
"""
N_RUNS = 48


def done_runs(out: Path) -> list[int]:
    runs: list[int] = []
    for f in PartStore(out).files("annual"):
        try:
            runs += pd.read_parquet(f, columns=["run_id"]).run_id.unique().tolist()
        except Exception:  # noqa: BLE001 - a part being renamed right now
            pass
    return runs


def start_and_stop(spec: Path, out: Path, sig: int, parts: int, *extra: str) -> int:
    """Start ``ezhou batch`` on two worker processes; send ``sig`` once it wrote ``parts``."""
    parts += len(PartStore(out).files("annual"))
    cmd = [sys.executable, "-m", "experiments.cli", "batch", str(spec), "--out", str(out)]
    cmd += ["--workers", "2", "--part-seconds", "0", "--quiet", *extra]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while len(PartStore(out).files("annual")) < parts:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no parts written"
            time.sleep(0.02)
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        return proc.returncode
    finally:
        try:  # workers the stopped batch may have left behind (they are ours)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()


def stop_part_way(spec: Path, out: Path, sig: int, parts: int, *extra: str, start=None) -> int:
    """:func:`start_and_stop`, again if the batch ended before the signal landed (exit 0: on a
    loaded machine its last runs can all finish between the part seen and the signal), from
    ``start`` (a copy of an earlier output folder) or from nothing. Five tries."""
    for _ in range(5):
        code = start_and_stop(spec, out, sig, parts, *extra)
        if code != 0:
            return code
        shutil.rmtree(out)
        if start is not None:
            shutil.copytree(start, out)
    return code


def test_interrupted_and_killed_batch_resumes_to_the_same_results(tmp_path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"

    # Ctrl-C: what finished is written, the manifest says so, exit 130
    assert stop_part_way(spec, out, signal.SIGINT, 1) == 130
    first = done_runs(out)
    assert 0 < len(first) < N_RUNS
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][0]["interrupted"] is True
    assert manifest["n_done"] == len(first)
    interrupted = shutil.copytree(out, tmp_path / "interrupted")

    # kill -9 of a resumed batch: no chance to clean up
    killed = stop_part_way(spec, out, signal.SIGKILL, 2, "--resume", start=interrupted)
    assert killed == -signal.SIGKILL
    second = done_runs(out)
    assert len(second) < N_RUNS, "the batch ended before it could be killed"
    assert len(second) == len(set(second)) and set(first) <= set(second)

    assert main(["batch", str(spec), "--out", str(out), "--resume", "--executor", "serial"]) == 0
    assert main(["batch", str(spec), "--out", str(tmp_path / "ref"), "--executor", "serial"]) == 0
    for table in ("annual", "quarterly"):
        got, ref = load_results(out, table), load_results(tmp_path / "ref", table)
        assert got.groupby("run_id").size().to_dict() == ref.groupby("run_id").size().to_dict()
        assert sorted(got.run_id.unique()) == list(range(N_RUNS))  # none lost, none twice
        pd.testing.assert_frame_equal(got, ref, check_exact=True)
    a = pd.read_csv(out / "summary.csv")
    pd.testing.assert_frame_equal(a, pd.read_csv(tmp_path / "ref" / "summary.csv"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["n_done"] == N_RUNS and len(manifest["sessions"]) == 3
    assert "finished" not in manifest["sessions"][1]  # the killed one
    assert manifest["sessions"][2]["runs_before"] == len(second)


QUICK_SPEC = f"""
name = "who_gains"
base = "{ROOT / "scenarios" / "baseline.toml"}"
seed = 5
replications = 4
end_year = 2011
scale = 1000
"""
DISTRIBUTION_ROWS = 2 * 80  # two years of ten deciles for the city, urban, rural, five zones


def test_resume_notices_a_missing_distribution_part(tmp_path, capsys) -> None:
    """Every run keeps its distribution table; a part whose distribution file was lost, or
    that was written before runs kept one (its index does not list it), is not done: its runs
    run again with their seeds, and the table covers every run once."""
    spec = tmp_path / "spec.toml"
    spec.write_text(QUICK_SPEC, encoding="utf-8")
    args = ["batch", str(spec), "--executor", "serial", "--part-seconds", "0", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "ref")]) == 0
    reference = load_results(tmp_path / "ref", "distribution")
    rows = reference.groupby("run_id").size().to_dict()
    assert rows == dict.fromkeys(range(4), DISTRIBUTION_ROWS)

    out = tmp_path / "out"
    assert main([*args, "--out", str(out)]) == 0
    parts = PartStore(out).files("distribution")
    assert len(parts) >= 2  # part_seconds 0: each finished call is written at once
    indexes = [out / "parts" / path.with_suffix(".json").name for path in parts]
    lost = [json.loads(indexes[i].read_text())["runs"] for i in (0, -1)]
    parts[0].unlink()
    # an older part: no distribution file, and an index that does not list one
    parts[-1].unlink()
    index = json.loads(indexes[-1].read_text())
    del index["files"]["distribution"]
    indexes[-1].write_text(json.dumps(index))
    capsys.readouterr()

    assert main([*args, "--out", str(out), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "2 damaged part(s) deleted" in err and "distribution file is missing" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["runs_this_session"] == len(lost[0]) + len(lost[1])
    got = load_results(out, "distribution")
    pd.testing.assert_frame_equal(got, reference, check_exact=True)
    for table in ("annual", "distribution"):
        assert sorted(load_results(out, table).run_id.unique()) == [0, 1, 2, 3]
