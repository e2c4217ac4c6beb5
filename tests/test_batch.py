"""Batch experiments: experiment files, designs, the engine's results, failures and resume.

Runs are small (scale 1000, 2010-2012: about 0.1 s each) so the whole file stays quick.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.commands import batch as batch_module
from experiments.engine.execute import execute
from experiments.engine.model_task import LABEL, run_model_task
from experiments.engine.progress import Progress
from experiments.engine.store import PartStore, load_results
from experiments.engine.tasks import Task
from experiments.errors import UserError
from experiments.executors import SerialExecutor
from experiments.formats.designs import latin_hypercube
from experiments.formats.experiment import load_experiment, parse_experiment
from experiments.runner import spawn_seeds
from model.api import simulate
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "experiments" / "specs"
BASELINE = ROOT / "scenarios" / "baseline.toml"

SMALL = f"""
name = "small"
base = "{BASELINE}"
seed = 11
replications = 2
end_year = 2012
scale = 1000
outputs = ["annual", "quarterly", "zones"]
[design]
kind = "grid"
[factors."levers.talent.enabled"]
values = [false, true]
[factors."conditions.steel_price_index"]
range = [80, 120]
levels = 2
"""


def write_spec(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def exp_of(text: str, tmp_path: Path):
    return parse_experiment(text, tmp_path / "x.toml")


# ---------------------------------------------------------------------------- experiment files


def test_example_specs_are_valid_and_sized_as_documented() -> None:
    sweep = load_experiment(SPECS / "reform_sweep.toml")
    assert sweep.spec.replications == 20 and len(sweep.points) == 12
    assert [p[LABEL] for p in sweep.points][:2] == ["baseline", "functional_zones"]
    full = sweep.points[-1]
    assert full[LABEL] == "full_programme"
    assert all(v is True for k, v in full.items() if k != LABEL)
    # a reform alone: its switch on, the nine others at the base's value (off)
    talent = next(p for p in sweep.points if p[LABEL] == "talent")
    assert sum(v is True for k, v in talent.items() if k != LABEL) == 1
    grid = load_experiment(SPECS / "fund_talent_grid.toml")
    assert len(grid.points) == 16 and grid.base.levers.talent.enabled
    lhs = load_experiment(SPECS / "uncertainty_lhs.toml")
    assert len(lhs.points) == 60 and len(lhs.factors) == 6
    assert lhs.base.levers.investment_financing.enabled  # the full programme held fixed


MALFORMED = {
    "unknown_key": ("replicates = 3\n", "replicates: unknown key; allowed here: name,"),
    "unknown_factor_key": (
        '[factors."levers.talent.enabled"]\nvaluez = [true]\n',
        "factors.levers.talent.enabled.valuez: unknown key; allowed here: values, range",
    ),
    "bad_factor_name": (
        '[factors."levers.talent.recruits"]\nvalues = [1.0]\n',
        "no 'recruits' in levers.talent; allowed here: enabled, start_year",
    ),
    "bad_reform": (
        '[factors."levers.tallent.enabled"]\nvalues = [true]\n',
        "no 'tallent' in levers; allowed here: functional_zones",
    ),
    "not_lever_or_condition": (
        '[factors."run.scale"]\nvalues = [10]\n',
        "allowed: levers.<reform>.<key>, conditions.<key> or parameters.<group>.<name>",
    ),
    "group_not_key": ('[factors."levers.talent"]\nvalues = [1]\n', "levers.talent is a group"),
    "reversed_range": (
        '[factors."conditions.steel_price_index"]\nrange = [120, 80]\nlevels = 3\n',
        "the low end must be below the high",
    ),
    "range_beyond_field": (
        '[factors."levers.investment_financing.fund_size_bn"]\nrange = [0, 20]\nlevels = 3\n',
        "20.0 is out of range; allowed: from 0 to 10 (bn yuan)",
    ),
    "value_beyond_condition": (
        '[factors."conditions.cpi_inflation_pct"]\nvalues = [2, 80]\n',
        "80 is out of range; allowed: a number from -5 to 20",
    ),
    "wrong_value_type": (
        '[factors."levers.talent.recruits_per_year"]\nvalues = ["many"]\n',
        "'many' has the wrong type",
    ),
    "bad_choice": (
        '[factors."levers.investment_financing.selection"]\nvalues = ["biggest"]\n',
        "'biggest' is not allowed",
    ),
    "range_on_switch": (
        '[factors."levers.talent.enabled"]\nrange = [0, 1]\nlevels = 2\n',
        "levers.talent.enabled is not a number; give values",
    ),
    "grid_range_without_levels": (
        '[factors."conditions.steel_price_index"]\nrange = [80, 120]\n',
        "a range in a grid needs levels = n or step = s",
    ),
    "whole_numbers_needed": (
        '[factors."levers.talent.start_year"]\nrange = [2011, 2014]\nlevels = 3\n',
        "not whole numbers",
    ),
    "empty_values": ('[factors."levers.talent.enabled"]\nvalues = []\n', "values"),
    "empty_points": ('[design]\nkind = "points"\n', "the design has no points"),
    "lhs_without_samples": (
        '[design]\nkind = "lhs"\n[factors."conditions.steel_price_index"]\nrange = [80, 120]\n',
        "design.samples: a Latin hypercube needs",
    ),
    "lhs_with_levels": (
        '[design]\nkind = "lhs"\nsamples = 4\n'
        '[factors."conditions.steel_price_index"]\nrange = [80, 120]\nlevels = 3\n',
        "levels and step apply to grid designs",
    ),
    "lhs_bad_choice": (
        '[design]\nkind = "lhs"\nsamples = 4\n'
        '[factors."levers.investment_financing.selection"]\nvalues = ["young", "old"]\n',
        "factors.levers.investment_financing.selection.values: 'old' is not allowed",
    ),
    "zero_samples": ('[design]\nkind = "lhs"\nsamples = 0\n', "design.samples: 0 is out of range"),
    "bad_point_value": (
        '[design]\nkind = "points"\n[[points]]\n"levers.talent.retention_rate" = 1.5\n',
        "points[0].levers.talent.retention_rate: 1.5 is out of range; allowed: from 0 to 1",
    ),
    "bad_output": ('outputs = ["annual", "firms"]\n', "outputs.1: 'firms' is not allowed"),
    "too_many_runs": (
        "replications = 100000\n"
        '[factors."conditions.steel_price_index"]\nrange = [50, 250]\nstep = 1\n',
        "allowed at most 10,000,000",
    ),
    "missing_base": ('base = "nowhere.toml"\n', "base: nowhere.toml: no such scenario file"),
    "bad_toml": ("[design\n", "not valid TOML"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_experiment_files_exit_2_with_one_line(case, tmp_path, capsys) -> None:
    text, expect = MALFORMED[case]
    spec = write_spec(tmp_path, text, f"{case}.toml")
    out = tmp_path / "out"
    code = main(["batch", str(spec), "--out", str(out), "--executor", "serial", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"error: {spec}: "), err
    assert expect in err, err
    assert not out.exists()  # nothing written


def test_bad_executor_options_exit_2(tmp_path, capsys) -> None:
    spec = write_spec(tmp_path, SMALL)
    out = tmp_path / "out"
    cases = [
        ["--executor", "threads"],
        ["--scheduler", "tcp://127.0.0.1:1"],  # without --executor dask
        ["--executor", "processes", "--workers", "0"],
        ["--executor", "dask", "--scheduler-file", str(tmp_path / "none.json")],
        ["--part-seconds", "-1"],
    ]
    for extra in cases:
        assert main(["batch", str(spec), "--out", str(out), "--quiet", *extra]) == 2, extra
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == len(cases) and all(line.startswith("error: ") for line in err)
    assert not out.exists()


# ---------------------------------------------------------------------------- designs


def test_grid_is_every_combination_in_file_order(tmp_path) -> None:
    exp = exp_of(SMALL.replace("levels = 2", "step = 20"), tmp_path)
    got = [(p["levers.talent.enabled"], p["conditions.steel_price_index"]) for p in exp.points]
    assert got == [(a, b) for a in (False, True) for b in (80.0, 100.0, 120.0)]
    assert all(isinstance(p["conditions.steel_price_index"], float) for p in exp.points)
    assert exp.n_runs == 12


def test_seeds_come_from_the_spec_seed_and_pair_replications(tmp_path) -> None:
    exp = exp_of(SMALL, tmp_path)
    tasks = exp.tasks()
    assert [t.run_id for t in tasks] == list(range(8))
    assert [t.point_id for t in tasks] == [0, 0, 1, 1, 2, 2, 3, 3]
    # replication r has the same seed at every point (paired, as ezhou compare)
    assert [t.seed for t in tasks] == spawn_seeds(11, 2) * 4
    text = SMALL.replace("replications = 2", "replications = 2\npaired_seeds = false")
    unpaired = exp_of(text, tmp_path)
    assert [t.seed for t in unpaired.tasks()] == spawn_seeds(11, 8)


def test_latin_hypercube_hits_every_stratum_once_and_is_seeded(tmp_path) -> None:
    u = latin_hypercube(50, 3, np.random.default_rng(1))
    for j in range(3):
        assert sorted((u[:, j] * 50).astype(int)) == list(range(50))
    text = f"""
base = "{BASELINE}"
seed = 5
[design]
kind = "lhs"
samples = 40
[factors."conditions.national_real_growth_pct"]
range = [5, 11]
[factors."levers.talent.start_year"]
range = [2011, 2015]
[factors."levers.investment_financing.selection"]
values = ["high_tech", "profitable", "young", "high_tech"]
"""
    a, b = exp_of(text, tmp_path), exp_of(text, tmp_path)
    assert a.points == b.points
    growth = np.array([p["conditions.national_real_growth_pct"] for p in a.points])
    assert sorted(((growth - 5) / 6 * 40).astype(int)) == list(range(40))
    years = [p["levers.talent.start_year"] for p in a.points]
    assert set(years) == {2011, 2012, 2013, 2014, 2015}
    assert all(isinstance(y, int) for y in years)
    picks = pd.Series([p["levers.investment_financing.selection"] for p in a.points])
    assert picks.value_counts().to_dict() == {"high_tech": 20, "profitable": 10, "young": 10}
    other = exp_of(text.replace("seed = 5", "seed = 6"), tmp_path)
    assert other.points != a.points


def test_points_fill_unset_factors_from_the_base(tmp_path) -> None:
    text = f"""
base = "{ROOT / "scenarios" / "full_programme.toml"}"
[design]
kind = "points"
[[points]]
name = "as_is"
[[points]]
name = "small_fund"
"levers.investment_financing.fund_size_bn" = 0.5
[[points]]
name = "no_talent"
[points.levers.talent]
enabled = false
"""
    exp = exp_of(text, tmp_path)
    assert exp.factors == [
        LABEL,
        "levers.investment_financing.fund_size_bn",
        "levers.talent.enabled",
    ]
    assert [tuple(p.values()) for p in exp.points] == [
        ("as_is", 2.0, True),
        ("small_fund", 0.5, True),
        ("no_talent", 2.0, False),
    ]


def test_fingerprint_follows_what_decides_the_results(tmp_path) -> None:
    base = exp_of(SMALL, tmp_path).fingerprint()
    assert (
        exp_of("# a comment\n" + SMALL.replace('"small"', '"renamed"'), tmp_path).fingerprint()
        == base
    )
    assert exp_of(SMALL.replace("seed = 11", "seed = 12"), tmp_path).fingerprint() != base
    assert (
        exp_of(SMALL.replace("range = [80, 120]", "range = [80, 121]"), tmp_path).fingerprint()
        != base
    )
    assert exp_of(SMALL.replace("scale = 1000", "scale = 900"), tmp_path).fingerprint() != base


# ---------------------------------------------------------------------------- the engine


def test_a_batch_run_equals_the_model_run_with_that_seed_and_factors(tmp_path) -> None:
    exp = exp_of(SMALL, tmp_path)
    task = exp.tasks()[5]  # point 2: talent on, steel price 80
    tables = run_model_task(task)
    assert set(tables) == {"annual", "quarterly", "zones", "distribution"}
    sc = load_scenario(BASELINE).with_run(end_year=2012, scale=1000)
    sc.levers.talent.enabled = True
    sc.conditions.steel_price_index = 80.0
    ref = simulate(sc, task.seed, check_invariants=False)
    pd.testing.assert_frame_equal(tables["annual"], ref.annual, check_exact=True)
    pd.testing.assert_frame_equal(tables["distribution"], ref.distribution, check_exact=True)


def _run_cli(spec: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(spec), "--out", str(out), "--quiet", *extra])


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """SMALL run serially once: (spec file, results folder)."""
    folder = tmp_path_factory.mktemp("reference")
    spec = write_spec(folder, SMALL)
    assert _run_cli(spec, folder / "out", "--executor", "serial") == 0
    return spec, folder / "out"


def test_same_spec_same_tables_on_every_executor(reference, tmp_path, capsys) -> None:
    spec, serial = reference
    runs = {
        "processes1": ["--executor", "processes", "--workers", "1"],
        "processes2": ["--executor", "processes", "--workers", "2"],
        "dask": ["--executor", "dask", "--workers", "2"],
    }
    for name, extra in runs.items():
        assert _run_cli(spec, tmp_path / name, *extra) == 0, name
    assert "local cluster x2 at tcp://127.0.0.1:" in capsys.readouterr().out
    tables = (("annual", 3), ("quarterly", 12), ("zones", 15), ("distribution", 3 * 80))
    for table, rows_per_run in tables:
        ref = load_results(serial, table)
        assert len(ref) == 8 * rows_per_run
        assert ref.run_id.tolist() == sorted(ref.run_id) and set(ref.run_id) == set(range(8))
        assert ref.columns[:5].tolist() == [
            "run_id",
            "point_id",
            "seed",
            "levers.talent.enabled",
            "conditions.steel_price_index",
        ]
        for name in ("processes1", "processes2", "dask"):
            other = load_results(tmp_path / name, table)
            pd.testing.assert_frame_equal(ref, other, check_exact=True, obj=f"{name} {table}")
    a = (serial / "summary.csv").read_text()
    assert a == (tmp_path / "dask" / "summary.csv").read_text()
    manifest = json.loads((tmp_path / "processes2" / "manifest.json").read_text())
    assert manifest["n_done"] == 8 and manifest["n_failed"] == 0
    assert manifest["fingerprint"] == exp_of(SMALL, tmp_path).fingerprint()
    assert {r["state"] for r in manifest["runs"]} == {"done"}
    assert [r["seed"] for r in manifest["runs"]] == spawn_seeds(11, 2) * 4
    assert "pyarrow" in manifest["versions"] and "git_commit" in manifest
    assert manifest["sessions"][0]["executor"] == "processes x2"


def test_summary_gives_mean_sd_and_quantiles_per_point_and_year(reference) -> None:
    _, out = reference
    annual = load_results(out)
    summary = pd.read_csv(out / "summary.csv")
    assert summary.columns.tolist() == [
        "point_id",
        "levers.talent.enabled",
        "conditions.steel_price_index",
        "year",
        "indicator",
        "runs",
        "mean",
        "sd",
        "q05",
        "q95",
    ]
    assert len(summary) == 4 * 3 * (annual.shape[1] - 6)  # points x years x indicators
    for ind in ("gdp_per_capita_yuan", "goal3_quality_score"):
        want = annual.groupby(["point_id", "year"])[ind].agg(
            ["count", "mean", "std", lambda s: s.quantile(0.05), lambda s: s.quantile(0.95)]
        )
        got = summary[summary.indicator == ind].set_index(["point_id", "year"])
        assert (got.runs == 2).all()
        np.testing.assert_allclose(got[["mean", "sd", "q05", "q95"]], want.iloc[:, 1:], rtol=1e-9)
    first = summary[(summary.point_id == 1)].iloc[0]
    assert not first["levers.talent.enabled"] and first["conditions.steel_price_index"] == 120


def failing_work(task: Task) -> dict[str, pd.DataFrame]:
    """A work function whose run 2 raises; the others return a one-row table."""
    if task.run_id == 2:
        raise ValueError(f"no convergence\nfor seed {task.seed}")
    return {"annual": pd.DataFrame({"y": [task.factors["x"] * 2.0], "year": [2010]})}


def _tasks(n: int) -> list[Task]:
    seeds = spawn_seeds(3, n)
    return [Task(i, i // 2, seeds[i], {"x": float(i)}) for i in range(n)]


def test_a_failing_run_is_recorded_and_the_batch_goes_on(tmp_path) -> None:
    tasks = _tasks(6)
    res = execute(
        tasks, failing_work, tmp_path / "o", fingerprint="f", meta={}, executor="serial", quiet=True
    )
    assert (res.n_done, res.n_failed) == (5, 1)
    (run_id, seed, error) = res.failures[0]
    assert run_id == 2 and seed == tasks[2].seed
    assert error.startswith("ValueError: no convergence for seed") and "\n" not in error
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["runs"][2] == {
        "run_id": 2,
        "point_id": 1,
        "seed": tasks[2].seed,
        "state": "failed",
        "error": error,
    }
    assert load_results(tmp_path / "o").run_id.tolist() == [0, 1, 3, 4, 5]
    summary = pd.read_csv(tmp_path / "o" / "summary.csv")
    assert summary.set_index("point_id").runs.to_dict() == {0: 2, 1: 1, 2: 2}


def test_failed_runs_exit_1_and_resume_runs_them_again(
    reference, tmp_path, capsys, monkeypatch
) -> None:
    spec, ref = reference
    real = batch_module.run_model_task

    def flaky(task):
        if task.run_id in (1, 6):
            raise RuntimeError("out of memory")
        return real(task)

    monkeypatch.setattr(batch_module, "run_model_task", flaky)
    assert _run_cli(spec, tmp_path / "out", "--executor", "serial") == 1
    err = capsys.readouterr().err
    assert "2 run(s) failed" in err and "first: run 1, seed" in err and "out of memory" in err
    monkeypatch.setattr(batch_module, "run_model_task", real)
    assert _run_cli(spec, tmp_path / "out", "--executor", "serial", "--resume") == 0
    assert "2 ran now" in capsys.readouterr().out
    for table in ("annual", "zones"):
        pd.testing.assert_frame_equal(
            load_results(tmp_path / "out", table), load_results(ref, table), check_exact=True
        )


def test_a_folder_is_never_mixed_with_another_batch(tmp_path, capsys) -> None:
    spec = write_spec(tmp_path, SMALL.replace("replications = 2", "replications = 1"))
    out = tmp_path / "out"
    assert _run_cli(spec, out, "--executor", "serial") == 0
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert _run_cli(spec, out, "--executor", "serial") == 2  # no --resume
    changed = write_spec(tmp_path, SMALL.replace("replications = 2", "replications = 3"))
    assert _run_cli(changed, out, "--executor", "serial", "--resume") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "already holds a batch: continue it with --resume" in err[0]
    assert "holds a batch of a different spec" in err[1]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_resume_redoes_half_written_and_damaged_parts(tmp_path) -> None:
    tasks = [Task(i, i, 100 + i, {"x": float(i)}) for i in range(8)]

    def run(out, resume=False):
        return execute(
            tasks,
            two_tables_work,
            out,
            fingerprint="g",
            meta={},
            executor="serial",
            resume=resume,
            quiet=True,
            part_seconds=0,
        )

    run(tmp_path / "ref")
    out = tmp_path / "out"
    run(out)
    annual = PartStore(out).files("annual")
    assert len(annual) >= 2  # part_seconds=0: each finished call is written at once
    lost = [pd.read_parquet(annual[i]).run_id.tolist() for i in (0, -1)]
    # a kill between the renames of a part: its zones file is there, its marker not
    annual[0].unlink()
    # a part cut short (a disk that lost its tail), and a temporary file never renamed
    data = annual[-1].read_bytes()
    annual[-1].write_bytes(data[: len(data) // 2])
    (out / "runs" / "annual" / ".part-000009.parquet.tmp").write_bytes(data[:10])
    res = run(out, resume=True)
    assert res.n_ran == len(lost[0]) + len(lost[1]) and res.n_done == 8
    assert not list(out.glob("runs/*/.*.tmp"))
    for table in ("annual", "zones"):
        got = load_results(out, table)
        assert got.run_id.value_counts().to_dict() == dict.fromkeys(range(8), len(got) // 8)
        pd.testing.assert_frame_equal(got, load_results(tmp_path / "ref", table), check_exact=True)


def two_tables_work(task: Task) -> dict[str, pd.DataFrame]:
    """Two tables per run; zones has two rows per run."""
    x = task.factors["x"]
    return {
        "annual": pd.DataFrame({"year": [2010], "y": [x + task.seed]}),
        "zones": pd.DataFrame({"zone": ["a", "b"], "y": [x, -x]}),
    }


def test_serial_executor_keeps_exceptions_in_the_future() -> None:
    ex = SerialExecutor()
    assert ex.submit(pow, 2, 5).result() == 32
    fut = ex.submit(int, "x")
    assert isinstance(fut.exception(), ValueError)
    ex.shutdown()
    with pytest.raises(RuntimeError):
        ex.submit(pow, 2, 2)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_runs_failures_and_eta() -> None:
    bar = _Tty()
    p = Progress(10, 0, quiet=False, stream=bar)
    p.every = 0
    p(1, 0)
    p(3, 1)
    p(9, 1, final=True)
    text = bar.getvalue()
    assert "\r  [" in text and "4/10 runs, 1 failed" in text and "ETA 0:0" in text
    assert text.endswith("\n")
    log = _Tty()
    q = Progress(10, 2, quiet=True, stream=log)
    q.every = 0
    q(4, 0)
    q(10, 0, final=True)
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in log.getvalue()
    assert "batch: 10/10 runs" in lines[-1] and "ETA 0:00" in lines[-1]


def test_engine_refuses_bad_tasks_and_missing_results(tmp_path) -> None:
    with pytest.raises(UserError, match="no runs"):
        execute([], failing_work, tmp_path / "a", fingerprint="f", meta={})
    with pytest.raises(ValueError, match="numbered"):
        execute([Task(1, 0, 1, {})], failing_work, tmp_path / "a", fingerprint="f", meta={})
    with pytest.raises(UserError, match="no 'quarterly' results"):
        load_results(tmp_path, "quarterly")


def test_dry_run_prints_the_design_and_writes_nothing(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["batch", str(SPECS / "fund_talent_grid.toml"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "valid (fund_talent_grid: 16 point(s) x 10 replication(s) = 160 runs" in out
    assert "point 15: fund_size_bn=8, recruits_per_year=3000" in out
    assert not list(tmp_path.iterdir())
