"""The ``ezhou`` command as a user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main
from experiments.runner import spawn_seeds

ROOT = Path(__file__).resolve().parent.parent
BASELINE = str(ROOT / "scenarios" / "baseline.toml")


def test_run_writes_every_output_and_prints_the_goals(tmp_path, capsys) -> None:
    out = tmp_path / "res"
    code = main(
        [
            "run",
            BASELINE,
            "--seeds",
            "2",
            "--scale",
            "400",
            "--end-year",
            "2012",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "Goal 1" in text and "Goal 2" in text and "Goal 3" in text and "2012" in text
    written = ("annual.csv", "quarterly.parquet", "zones.csv", "distribution.parquet")
    for name in (*written, "scenario.toml", "run.json"):
        assert (out / name).exists(), name
    annual = pd.read_csv(out / "annual.csv")
    meta = json.loads((out / "run.json").read_text())
    assert sorted(annual.seed.unique()) == sorted(meta["seeds"])
    assert len(annual) == 2 * 3
    assert meta["seeds"] == spawn_seeds(20110101, 2)
    assert len(pd.read_parquet(out / "quarterly.parquet")) == 2 * 12
    zones = pd.read_csv(out / "zones.csv")
    assert set(zones.zone) == {
        "main_city",
        "echeng_transformation",
        "gehua_science",
        "liangzi_lake",
        "huarong_port",
    }
    # the resolved scenario reproduces the run
    assert main(["validate", str(out / "scenario.toml")]) == 0


def test_same_seed_gives_byte_identical_annual_csv(tmp_path) -> None:
    args = ["run", BASELINE, "--seed", "9", "--scale", "400", "--end-year", "2012", "--quiet"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    assert (
        main(
            [
                "run",
                BASELINE,
                "--seed",
                "10",
                "--scale",
                "400",
                "--end-year",
                "2012",
                "--quiet",
                "--out",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    a = (tmp_path / "a" / "annual.csv").read_bytes()
    assert a == (tmp_path / "b" / "annual.csv").read_bytes()
    assert a != (tmp_path / "c" / "annual.csv").read_bytes()


def test_bench_reports_speed(capsys, tmp_path) -> None:
    out_json = tmp_path / "bench.json"
    args = ["bench", BASELINE, "--scale", "800", "--scale", "400", "--scale", "200"]
    assert main([*args, "--repeat", "1", "--no-reference", "--out", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "hh-agent-steps/s" in out and "800" in out and "time grows as households^" in out
    figures = json.loads(out_json.read_text())
    assert [r["scale"] for r in figures["results"]] == [800, 400, 200]
    for r in figures["results"]:
        assert r["steps_per_second"] > 0 and r["peak_mb"] > 0 and r["quarters"] == 44
    # each scale timed cold (each run builds its economy) and warm (from a copy), labelled
    assert [r["start"] for r in figures["results"]] == ["cold"] * 3
    assert [(r["start"], r["scale"]) for r in figures["warm_results"]] == [
        ("warm", 800),
        ("warm", 400),
        ("warm", 200),
    ]
    rows = [
        line.split()[:2] for line in out.splitlines() if line.split()[:1] in (["cold"], ["warm"])
    ]
    assert rows == [[start, scale] for scale in ("800", "400", "200") for start in ("cold", "warm")]
    assert main(["bench", BASELINE, "--scale", "0"]) == 2


def test_bench_refuses_a_warm_run_that_built_its_own(monkeypatch) -> None:
    """A warm figure must come from runs started from a copy: if the build was not kept
    (here: a cache that keeps nothing), the bench says so instead of printing cold times."""
    from experiments import bench
    from model.api import build_cache
    from model.scenario import load_scenario

    monkeypatch.setattr(build_cache(), "max_mb", 0.0)
    with pytest.raises(RuntimeError, match="built its own economy"):
        bench.time_scale(load_scenario(BASELINE).with_run(end_year=2010), 800, 1, warm=True)


def test_bench_reference_model_runs() -> None:
    from experiments.bench import boltzmann_rate

    rate, rates = boltzmann_rate(steps=2, repeat=1)
    assert rate > 0 and len(rates) == 1


def test_a_command_imports_only_its_own_module(tmp_path) -> None:
    # in a fresh interpreter: `ezhou validate` loads the scenario commands, not the engine,
    # the analyses or SALib; `ezhou --help` still lists every command, in order
    import subprocess
    import sys

    from experiments.cli import COMMANDS

    script = (
        "import sys\n"
        "from experiments.cli import main\n"
        f"assert main(['validate', {BASELINE!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('experiments.commands.')))\n"
        "print('SALib' in sys.modules, 'experiments.engine.execute' in sys.modules)\n"
        "main(['--help'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[1] == "['experiments.commands.scenarios']"
    assert lines[2] == "False False"
    listed = [line.split()[0] for line in lines if line.startswith("  ") and line.split()]
    assert listed[-len(COMMANDS) :] == list(COMMANDS)


def test_a_mistyped_command_gets_a_suggestion(capsys) -> None:
    assert main(["rn", BASELINE]) == 2
    # (the command's name is the program's: pytest's here, ezhou's when run as ezhou)
    assert capsys.readouterr().err.strip().endswith(": No such command 'rn'. Did you mean 'run'?")
