"""``ezhou sensitivity``: the Ishigami function's known indices through the whole pipeline,
seed noise, sample order, and the file checks."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.analysis.outputs import point_means, seed_noise
from experiments.analysis.sampling import make_tasks, run_seeds, sample
from experiments.cli import main
from experiments.engine.store import PartStore, load_results
from experiments.errors import UserError
from experiments.formats.sensitivity import load_study, parse_study

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "experiments" / "specs"
# published values for a = 7, b = 0.1 (Ishigami and Homma 1990; Sobol' and Levitan 1999)
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami_spec(method: str, extra: str = "", replications: int = 1) -> str:
    pi = repr(math.pi)
    params = "".join(
        f'\n[[parameters]]\npath = "x{i}"\nbounds = [-{pi}, {pi}]\n' for i in (1, 2, 3)
    )
    return (
        f'name = "ishigami"\nmodel = "ishigami"\nseed = 12345\nreplications = {replications}\n'
        f"{extra}\n[method]\n{method}\n\n[analysis]\nseed = 3\nresamples = 200\n"
        f'{params}\n[[outputs]]\nindicator = "y"\n'
    )


def test_ishigami_sobol_indices_match_the_published_values(tmp_path, capsys) -> None:
    spec = tmp_path / "ishigami.toml"
    spec.write_text(ishigami_spec('name = "sobol"\nn = 1024\nsecond_order = false'))
    out = tmp_path / "out"
    args = ["sensitivity", str(spec), "--out", str(out), "--executor", "serial", "--quiet"]
    assert main(args) == 0
    assert "x1" in capsys.readouterr().out
    ind = pd.read_csv(out / "indices.csv").set_index("parameter")
    assert list(ind.index) == ["x1", "x2", "x3"]
    assert np.abs(ind.S1.to_numpy() - ISHIGAMI_S1).max() < 0.05
    assert np.abs(ind.ST.to_numpy() - ISHIGAMI_ST).max() < 0.05
    # bootstrap intervals are there and not absurd
    assert (ind.S1_conf > 0).all() and (ind.ST_conf < 0.2).all()
    # the sample written is SALib's with the spec's seed, in order, and each run of the
    # engine carries its row's values
    study = load_study(spec)
    X = sample(study)
    written = pd.read_csv(out / "sample.csv")
    assert len(written) == 1024 * 5
    np.testing.assert_allclose(written[["x1", "x2", "x3"]].to_numpy(), X, rtol=1e-11)
    design = pd.read_csv(out / "design.csv")
    assert (design.run_id == np.arange(len(X))).all()
    np.testing.assert_allclose(design[["x1", "x2", "x3"]].to_numpy(), X, rtol=1e-9)
    conv = pd.read_csv(out / "convergence.csv")
    assert set(conv.half_size) == {512} and set(conv.full_size) == {1024}
    meta = json.loads((out / "sensitivity.json").read_text())
    assert meta["method"] == {"name": "sobol", "n": 1024, "second_order": False}
    assert meta["versions"]["SALib"] != "not installed"


def test_seed_noise_share_is_measured_and_averaged_out(tmp_path) -> None:
    """Ishigami plus Gaussian noise (sd 2) drawn from each run's own seed (unpaired), three
    seeds a point: noise is 4 / (var + 4) of a single run's variance, and (4/3) / (var + 4/3)
    of the seed means' variance, where var is the noise-free output's variance over the
    sample. (With paired seeds this noise would be the same offset at every point.)"""
    spec = tmp_path / "noisy.toml"
    spec.write_text(
        ishigami_spec(
            'name = "morris"\ntrajectories = 60\nlevels = 4',
            extra="paired_seeds = false\n[ishigami]\nnoise_sd = 2.0\n",
            replications=3,
        )
    )
    out = tmp_path / "out"
    args = ["sensitivity", str(spec), "--out", str(out), "--executor", "serial", "--quiet"]
    assert main(args) == 0
    x = pd.read_csv(out / "sample.csv")
    clean = np.sin(x.x1) + 7 * np.sin(x.x2) ** 2 + 0.1 * x.x3**4 * np.sin(x.x1)
    var_y = clean.var(ddof=1)
    noise = pd.read_csv(out / "noise.csv").iloc[0]
    assert noise.noise_share_runs == pytest.approx(4 / (var_y + 4), rel=0.15)
    assert noise.noise_share_means == pytest.approx((4 / 3) / (var_y + 4 / 3), rel=0.15)
    runs = pd.read_csv(out / "run_outputs.csv")
    points = pd.read_csv(out / "outputs.csv")
    assert len(runs) == 240 * 3 and len(points) == 240
    # the analysed output of a point is the mean of its three seeds
    np.testing.assert_allclose(points.y, runs.groupby("point_id").y.mean(), rtol=1e-8)
    assert runs.seed.nunique() == len(runs)
    ind = pd.read_csv(out / "indices.csv").set_index("parameter")
    assert ind.mu_star.idxmax() in ("x1", "x2") and (ind.mu_star > 0.5).all()


def test_tasks_keep_the_sample_order() -> None:
    text = ishigami_spec('name = "morris"\ntrajectories = 4', replications=3)
    study = parse_study(text, Path("t.toml"))
    X = sample(study)
    tasks = make_tasks(study, X)
    assert len(tasks) == len(X) * 3
    for task in tasks[::7]:
        assert task.point_id == task.run_id // 3
        assert [task.factors[k] for k in ("x1", "x2", "x3")] == list(X[task.point_id])
    assert [t.seed for t in tasks[:3]] == run_seeds(study, 1)
    unpaired = parse_study(
        text.replace("replications = 3", "replications = 3\npaired_seeds = false"), Path("t.toml")
    )
    seeds = [t.seed for t in make_tasks(unpaired, X)]
    assert len(set(seeds)) == len(seeds)


def test_incomplete_results_are_refused_and_noise_needs_replications() -> None:
    study = parse_study(
        ishigami_spec('name = "morris"\ntrajectories = 2', replications=2), Path("t")
    )
    runs = pd.DataFrame(
        {"run_id": [0, 1, 2], "point_id": [0, 0, 1], "seed": [1, 2, 1], "y": [1.0, 2.0, 3.0]}
    )
    with pytest.raises(UserError, match="incomplete"):
        point_means(study, runs, np.arange(2))
    one = parse_study(ishigami_spec('name = "morris"\ntrajectories = 2'), Path("t"))
    noise = seed_noise(one, runs.assign(point_id=[0, 1, 2]))
    assert np.isnan(noise.noise_share_runs.iloc[0])


MODEL_SPEC = """
name = "tiny_morris"
base = "{base}"
seed = 7
replications = 2
scale = 1000
end_year = 2012

[method]
name = "morris"
trajectories = 4
levels = 4

[[parameters]]
path = "levers.talent.recruits_per_year"
bounds = [0, 5000]

[[parameters]]
path = "levers.talent.incubator_strength"
bounds = [0, 0.8]

[[parameters]]
path = "conditions.national_real_growth_pct"
bounds = [4, 12]
distribution = "triangular"
mode = 8

[[outputs]]
indicator = "goal3_quality_score"
year = 2012

[[outputs]]
indicator = "gdp_per_capita_yuan"
years = [2011, 2012]
"""


def model_spec(tmp_path: Path, **changes: str) -> Path:
    text = MODEL_SPEC.format(base=(ROOT / "scenarios" / "reform_talent.toml").as_posix())
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


MALFORMED = {
    "bounds reversed": (
        {"bounds = [0, 5000]": "bounds = [5000, 0]"},
        "parameters.0.bounds: [5000, 0] is reversed",
    ),
    "unknown parameter": (
        {"levers.talent.recruits_per_year": "levers.talent.recruits_a_year"},
        "parameters.0.path: no 'recruits_a_year' in levers.talent",
    ),
    "N not a power of two": (
        {'name = "morris"\ntrajectories = 4\nlevels = 4': 'name = "sobol"\nn = 1000'},
        "method.n: 1000 is not a power of two; allowed: a power of two such as 512 or 1024",
    ),
    "bounds beyond the field": (
        {"bounds = [0, 0.8]": "bounds = [0, 0.95]"},
        "parameters.1.bounds: 0.95 is out of range; allowed: from 0 to 0.8",
    ),
    "lever of a reform that is off": (
        {"levers.talent.incubator_strength": "levers.investment_financing.fund_size_bn"},
        "the reform 'investment_financing' is off in the base scenario",
    ),
    "unknown key": ({"replications = 2": "replicates = 2"}, "replicates: unknown key"),
    "unknown indicator": (
        {'"goal3_quality_score"': '"goal3_score"'},
        "outputs.0.indicator: 'goal3_score' is not an indicator (did you mean",
    ),
    "year beyond the run": ({"\nyear = 2012": "\nyear = 2015"}, "outputs.0.year: 2015 is outside"),
    "whole-number lever": (
        {"levers.talent.incubator_strength": "levers.talent.start_year"},
        "is a whole number",
    ),
    "morris without trajectories": ({"trajectories = 4\n": ""}, "method.trajectories: missing"),
    "odd levels": ({"levels = 4": "levels = 5"}, "method.levels: 5 is odd"),
    "triangular without a mode": ({"mode = 8\n": ""}, "parameters.2.mode: missing"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_files_exit_2_with_one_line(case, tmp_path, capsys) -> None:
    changes, expected = MALFORMED[case]
    spec = model_spec(tmp_path, **changes)
    out = tmp_path / "out"
    assert main(["sensitivity", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {spec}: "), err
    assert expected in err, err
    assert not out.exists()


def test_example_specs_are_valid(capsys) -> None:
    for name, runs in (("morris_ten_reforms", 900), ("sobol_core_reforms", 4096)):
        path = SPECS / f"{name}.toml"
        assert main(["sensitivity", str(path), "--out", "unused", "--dry-run"]) == 0
        assert f"= {runs} runs" in capsys.readouterr().out


def test_killed_sensitivity_run_resumes_to_the_same_indices(tmp_path) -> None:
    """kill -9 part-way (serial), resume; the indices equal an uninterrupted run's on two
    worker processes: nothing lost, nothing run twice, whatever the executor."""
    spec = model_spec(tmp_path)
    whole = tmp_path / "whole"
    assert main(["sensitivity", str(spec), "--out", str(whole), "--workers", "2", "--quiet"]) == 0

    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "experiments.cli", "sensitivity", str(spec), "--out", str(out)]
    proc = subprocess.Popen(
        # (each finished call written at once: on a quick machine the 32 runs can end
        # within the default wait of 2 s, before any part is written)
        [*cmd, "--executor", "serial", "--part-seconds", "0", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not PartStore(out).files("annual"):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no part written"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.communicate()
    assert not (out / "indices.csv").exists()
    done = load_results(out).run_id
    assert 0 < done.nunique() < 32

    assert main(["sensitivity", str(spec), "--out", str(out), "--quiet"]) == 2  # no --resume
    assert main(["sensitivity", str(spec), "--out", str(out), "--resume", "--quiet"]) == 0
    rows = load_results(out).groupby("run_id").size()  # one row a year, 2010-2012
    assert list(rows.index) == list(range(32)) and (rows == 3).all()
    # every run keeps who gains too: ten deciles of the city, urban, rural and five zones
    rows = load_results(out, "distribution").groupby("run_id").size()
    assert list(rows.index) == list(range(32)) and (rows == 3 * 80).all()
    for name in ("indices.csv", "convergence.csv", "noise.csv", "outputs.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(out / name), pd.read_csv(whole / name))
    ind = pd.read_csv(out / "indices.csv")
    assert ind.mu_star.notna().all() and (ind.mu_star > 0).any()

    # a changed file does not resume into the old folder
    changed = model_spec(tmp_path, **{"seed = 7": "seed = 8"})
    assert main(["sensitivity", str(changed), "--out", str(out), "--resume", "--quiet"]) == 2


def test_failed_runs_stop_the_analysis_unless_their_blocks_are_dropped(
    tmp_path, monkeypatch, capsys
) -> None:
    import experiments.analysis.sampling as sens

    real = sens.ishigami_task

    def flaky(task):
        if task.point_id == 5:  # in the second trajectory (4 points each)
            raise FloatingPointError("boom")
        return real(task)

    monkeypatch.setattr(sens, "ishigami_task", flaky)
    spec = tmp_path / "flaky.toml"
    spec.write_text(ishigami_spec('name = "morris"\ntrajectories = 10', replications=2))
    out = tmp_path / "out"
    args = ["sensitivity", str(spec), "--out", str(out), "--executor", "serial", "--quiet"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "2 of 80 runs failed" in err and "FloatingPointError: boom" in err
    assert not (out / "indices.csv").exists()

    assert main([*args, "--resume", "--drop-failed"]) == 0
    assert "warning: 2 of 80 runs failed" in capsys.readouterr().err
    meta = json.loads((out / "sensitivity.json").read_text())
    assert meta["dropped"] == {
        "failed_runs": 2,
        "points_dropped": 4,
        "blocks_dropped": 1,
        "blocks": 10,
    }
    analysed = pd.read_csv(out / "sample.csv").analysed
    assert list(analysed[analysed == False].index) == [4, 5, 6, 7]  # noqa: E712
    assert set(pd.read_csv(out / "indices.csv").sample_size) == {9}
    assert list(pd.read_csv(out / "outputs.csv").point_id) == [*range(4), *range(8, 40)]
