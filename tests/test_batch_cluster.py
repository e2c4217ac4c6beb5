"""Batches on a Dask cluster: an existing scheduler by address or file, and SLURM job scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main
from experiments.engine.store import load_results
from experiments.executors import slurm_cluster, slurm_main

ROOT = Path(__file__).resolve().parent.parent

SPEC = f"""
base = "{ROOT / "scenarios" / "baseline.toml"}"
seed = 21
replications = 2
end_year = 2011
scale = 1000
[factors."levers.talent.enabled"]
values = [false, true]
"""


def test_slurm_job_script_runs_one_single_threaded_worker_per_core(capsys) -> None:
    code = slurm_main(
        [
            "--cores",
            "16",
            "--memory",
            "64GB",
            "--walltime",
            "12:00:00",
            "--queue",
            "compute",
            "--account",
            "reform-lab",
            "--prologue",
            "source $HOME/ezhou/.venv/bin/activate",
            "--host",
            "127.0.0.1",
            "--scheduler-file",
            "/nowhere/scheduler.json",
            "--dry-run",
        ]
    )
    assert code == 0
    script = capsys.readouterr().out
    lines = script.splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    for expected in (
        "#SBATCH -J ezhou-worker",
        "#SBATCH -p compute",
        "#SBATCH -A reform-lab",
        "#SBATCH -n 1",
        "#SBATCH --cpus-per-task=16",
        "#SBATCH -t 12:00:00",
        "source $HOME/ezhou/.venv/bin/activate",
    ):
        assert expected in lines, expected
    assert any(line.startswith("#SBATCH --mem=") for line in lines)
    worker = next(line for line in lines if "dask_worker" in line)
    assert " tcp://127.0.0.1:" in worker  # the scheduler the jobs call back
    assert "--nworkers 16" in worker and "--nthreads 1" in worker
    # the prologue runs before the worker starts
    assert lines.index("source $HOME/ezhou/.venv/bin/activate") < lines.index(worker)
    assert not Path("/nowhere/scheduler.json").exists()


def test_slurm_cluster_writes_its_scheduler_file(tmp_path) -> None:
    path = tmp_path / "scheduler.json"
    cluster = slurm_cluster(
        cores=2, memory="4GB", walltime="00:30:00", host="127.0.0.1", scheduler_file=path
    )
    try:
        info = json.loads(path.read_text())
        assert info["address"] == cluster.scheduler_address
        assert info["address"].startswith("tcp://127.0.0.1:")
    finally:
        cluster.close()


@pytest.mark.parametrize("how", ["address", "file"])
def test_batch_on_a_running_scheduler_equals_serial(how, tmp_path) -> None:
    from distributed import LocalCluster

    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    serial = ["batch", str(spec), "--out", str(tmp_path / "serial"), "--executor", "serial"]
    assert main(serial) == 0
    sched_file = tmp_path / "scheduler.json"
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,  # workers are threads here: quick to start
        host="127.0.0.1",
        protocol="tcp://",
        dashboard_address=None,
        scheduler_kwargs={"scheduler_file": str(sched_file)},
    ) as cluster:
        where = (
            ["--scheduler", cluster.scheduler_address]
            if how == "address"
            else ["--scheduler-file", str(sched_file)]
        )
        args = ["batch", str(spec), "--out", str(tmp_path / "dask"), "--executor", "dask"]
        assert main([*args, "--quiet", *where]) == 0
    pd.testing.assert_frame_equal(
        load_results(tmp_path / "dask"), load_results(tmp_path / "serial"), check_exact=True
    )
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["sessions"][0]["executor"].startswith("dask at tcp://127.0.0.1:")


def test_unreachable_scheduler_is_a_one_line_error(tmp_path, capsys) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    bad = tmp_path / "scheduler.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(spec), "--out", str(out), "--executor", "dask", "--quiet"]
    assert main([*args, "--scheduler-file", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: dask: cannot reach a scheduler")
    assert not out.exists()
