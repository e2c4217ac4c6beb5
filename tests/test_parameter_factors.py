"""The model's behavioural parameters as factors (``parameters.<group>.<name>``) in batch and
sensitivity files, and a reform's effect (a paired run with every reform off) as an output.

Runs are small (scale 1000, 2010-2012: about 0.1 s each).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.analysis.sampling import make_tasks, sample
from experiments.cli import main
from experiments.engine.model_task import (
    COUNTERFACTUAL_TABLE,
    run_model_task,
    task_params,
    without_reforms,
)
from experiments.engine.store import load_results
from experiments.formats.experiment import parse_experiment
from experiments.formats.sensitivity import load_study
from model.api import simulate
from model.calibration import load_parameters
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
FULL = ROOT / "scenarios" / "full_programme.toml"
SPECS = ROOT / "experiments" / "specs"

BATCH = f"""
name = "parameter_grid"
base = "{BASELINE.as_posix()}"
seed = 7
replications = 2
end_year = 2012
scale = 1000
[factors."parameters.firms.tfp_growth_share"]
values = [0.1, 0.7]
[factors."conditions.steel_price_index"]
values = [90, 110]
"""

SENSITIVITY = f"""
name = "parameter_effects"
base = "{FULL.as_posix()}"
seed = 5
end_year = 2012
scale = 1000
[method]
name = "morris"
trajectories = 2
levels = 4
[[parameters]]
path = "parameters.labour.separation_rate"
bounds = [0.0075, 0.0225]
[[parameters]]
path = "parameters.households.consumption_mpc"
bounds = [0.5, 0.9]
[[outputs]]
indicator = "goal1_levels_score"
year = 2012
[[outputs]]
indicator = "goal1_levels_score"
year = 2012
of = "no_reforms"
[[outputs]]
indicator = "goal1_levels_score"
year = 2012
of = "effect"
"""


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def batch(spec: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(spec), "--out", str(out), "--quiet", *extra])


# ---------------------------------------------------------------------------- batch files


@pytest.fixture(scope="module")
def serial_batch(tmp_path_factory) -> tuple[Path, Path]:
    """BATCH run serially once: (spec file, results folder)."""
    folder = tmp_path_factory.mktemp("parameter_batch")
    spec = write(folder, BATCH)
    assert batch(spec, folder / "out", "--executor", "serial") == 0
    return spec, folder / "out"


def test_a_larger_productivity_pass_through_raises_income_per_head(serial_batch) -> None:
    _, out = serial_batch
    annual = load_results(out)
    share = "parameters.firms.tfp_growth_share"
    late = annual[annual.year == 2012]
    by_share = late.groupby([share, "conditions.steel_price_index", "seed"]).gdp_per_capita_yuan
    gdp_per_head = by_share.first().unstack(share)
    # at every steel price and seed, passing on seven times the national productivity growth
    # raises GDP per head by two years of it (about 5%), well above the seeds' spread
    assert (gdp_per_head[0.7] > 1.05 * gdp_per_head[0.1]).all(), gdp_per_head


def test_parameter_values_are_stored_like_other_factors(serial_batch) -> None:
    spec, out = serial_batch
    design = pd.read_csv(out / "design.csv")
    assert design.columns.tolist() == [
        "run_id",
        "point_id",
        "seed",
        "parameters.firms.tfp_growth_share",
        "conditions.steel_price_index",
    ]
    assert design["parameters.firms.tfp_growth_share"].tolist() == [0.1] * 4 + [0.7] * 4
    for table in ("annual",):
        frame = load_results(out, table)
        assert frame.columns[3] == "parameters.firms.tfp_growth_share"
    summary = pd.read_csv(out / "summary.csv")
    assert "parameters.firms.tfp_growth_share" in summary.columns
    experiment = parse_experiment(spec.read_text(), spec)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["fingerprint"] == experiment.fingerprint()


def test_a_batch_task_runs_the_model_with_its_parameters(tmp_path) -> None:
    experiment = parse_experiment(BATCH, tmp_path / "x.toml")
    task = experiment.tasks()[7]  # pass-through 0.7, steel price 110, second seed
    assert task.factors["parameters.firms.tfp_growth_share"] == 0.7
    params = load_parameters().replace({"firms.tfp_growth_share": 0.7})
    scenario = load_scenario(BASELINE).with_run(end_year=2012, scale=1000)
    scenario.conditions.steel_price_index = 110.0
    expected = simulate(scenario, task.seed, params=params, check_invariants=False)
    got = run_model_task(task)["annual"]
    pd.testing.assert_frame_equal(got, expected.annual, check_exact=True)
    default = simulate(scenario, task.seed, check_invariants=False)
    assert not got.equals(default.annual)  # the parameter reached the model


def test_a_task_without_parameter_factors_keeps_the_models_own_parameters(tmp_path) -> None:
    experiment = parse_experiment(
        BATCH.replace("parameters.firms.tfp_growth_share", "levers.talent.enabled").replace(
            "[0.1, 0.7]", "[false, true]"
        ),
        tmp_path / "x.toml",
    )
    assert all(task_params(task) is None for task in experiment.tasks())


def test_same_parameter_batch_on_serial_and_a_process_pool(serial_batch, tmp_path) -> None:
    spec, serial = serial_batch
    assert batch(spec, tmp_path / "pool", "--executor", "processes", "--workers", "2") == 0
    for table in ("annual",):
        reference = load_results(serial, table)
        assert len(reference) == 8 * 3
        pooled = load_results(tmp_path / "pool", table)
        pd.testing.assert_frame_equal(reference, pooled, check_exact=True)
    assert (serial / "summary.csv").read_text() == (tmp_path / "pool" / "summary.csv").read_text()


def test_latin_hypercube_and_points_take_parameters(tmp_path) -> None:
    lhs = parse_experiment(
        BATCH.replace("values = [0.1, 0.7]", "range = [0.1, 0.7]")
        + "[design]\nkind = 'lhs'\nsamples = 5\n",
        tmp_path / "x.toml",
    )
    shares = sorted(point["parameters.firms.tfp_growth_share"] for point in lhs.points)
    # one value in each fifth of the range
    assert [int((share - 0.1) / 0.12) for share in shares] == [0, 1, 2, 3, 4]
    grid = parse_experiment(
        BATCH.replace("values = [0.1, 0.7]", "range = [0.1, 0.7]\nlevels = 3"),
        tmp_path / "x.toml",
    )
    assert sorted({p["parameters.firms.tfp_growth_share"] for p in grid.points}) == [
        0.1,
        0.4,
        0.7,
    ]
    points = parse_experiment(
        f'base = "{BASELINE.as_posix()}"\n[design]\nkind = "points"\n'
        '[[points]]\n"parameters.labour.wage_adjust" = 0.1\n'
        '[[points]]\n"conditions.steel_price_index" = 90\n',
        tmp_path / "x.toml",
    )
    # a point that does not set a parameter keeps the parameters file's value
    assert points.points[1]["parameters.labour.wage_adjust"] == (
        load_parameters().labour.wage_adjust
    )
    assert points.points[0]["parameters.labour.wage_adjust"] == 0.1


def test_resume_refuses_a_changed_parameter_value(serial_batch, tmp_path, capsys) -> None:
    spec, _ = serial_batch
    out = tmp_path / "out"
    assert batch(spec, out, "--executor", "serial") == 0
    capsys.readouterr()
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*")}
    changed = write(tmp_path, BATCH.replace("0.7]", "0.8]"), "changed.toml")
    assert batch(changed, out, "--executor", "serial", "--resume") == 2
    assert "holds a batch of a different spec" in capsys.readouterr().err
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*")} == before


BAD_BATCH = {
    "unknown name": (
        ("tfp_growth_share", "tfp_grwth_share"),
        "factors.parameters.firms.tfp_grwth_share: no parameter 'firms.tfp_grwth_share' "
        "in parameters.toml (did you mean parameters.firms.tfp_growth_share",
    ),
    "unknown group": (
        ("parameters.firms.", "parameters.firm."),
        "allowed: parameters.<group>.<name> with a group among administration,",
    ),
    "a group, not a name": (
        ("parameters.firms.tfp_growth_share", "parameters.firms"),
        "'parameters.firms' is not a parameter path; allowed: parameters.<group>.<name>",
    ),
    "a list": (
        ("firms.tfp_growth_share", "sectors.demand_elasticity"),
        "sectors.demand_elasticity is a list of 9 values; allowed: parameters that hold one number",
    ),
    "not finite": (
        ("[0.1, 0.7]", "[0.1, nan]"),
        "factors.parameters.firms.tfp_growth_share.values: nan is not a finite number; "
        "allowed: a number; firms.tfp_growth_share is now 0.35, share of national",
    ),
    "not a number": (("[0.1, 0.7]", '[0.1, "high"]'), "'high' is not a finite number"),
    "infinite range": (
        ("values = [0.1, 0.7]", "range = [0.1, inf]\nlevels = 3"),
        "factors.parameters.firms.tfp_growth_share.range: inf is not a finite number",
    ),
    "whole-number parameter": (
        (
            'firms.tfp_growth_share"]\nvalues = [0.1, 0.7]',
            'firms.exit_loss_quarters"]\nvalues = [2, 4.5]',
        ),
        "4.5 is not a whole number; allowed: whole numbers; firms.exit_loss_quarters is now 4",
    ),
}


# ---------------------------------------------------------------------------- sensitivity files


BAD_SENSITIVITY = {
    "unknown name": (
        ("households.consumption_mpc", "households.consumption_mcp"),
        "parameters.1.path: no parameter 'households.consumption_mcp' in parameters.toml "
        "(did you mean parameters.households.consumption_mpc",
    ),
    "a list": (
        ("households.consumption_mpc", "skills.wage_2010_yuan"),
        "parameters.1.path: skills.wage_2010_yuan is a list of 4 values",
    ),
    "NaN bound": (("[0.5, 0.9]", "[nan, 0.9]"), "parameters.1.bounds: nan is not a finite number"),
    "whole-number parameter": (
        (
            'households.consumption_mpc"\nbounds = [0.5, 0.9]',
            'firms.exit_loss_quarters"\nbounds = [2, 6]',
        ),
        "parameters.1.path: parameters.firms.exit_loss_quarters is a whole number; allowed: "
        "levers, conditions and parameters with a continuous range",
    ),
    "effect of a base without reforms": (
        (FULL.as_posix(), BASELINE.as_posix()),
        "outputs.1.of: 'no_reforms': the base scenario enables no reform",
    ),
    "unknown output kind": (
        ('of = "effect"', 'of = "gain"'),
        "outputs.2.of: 'gain' is not allowed; input should be 'scenario', 'no_reforms' or 'effect'",
    ),
}


BAD_FILES = [("batch", case) for case in BAD_BATCH] + [
    ("sensitivity", case) for case in BAD_SENSITIVITY
]


@pytest.mark.parametrize(("command", "case"), BAD_FILES)
def test_bad_parameter_factors_and_outputs_exit_2_in_one_line(
    command, case, tmp_path, capsys
) -> None:
    text, cases = (BATCH, BAD_BATCH) if command == "batch" else (SENSITIVITY, BAD_SENSITIVITY)
    (old, new), expected = cases[case]
    assert old in text
    spec = write(tmp_path, text.replace(old, new))
    out = tmp_path / "out"
    assert main([command, str(spec), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {spec}: "), err
    assert expected in err, err
    assert not out.exists()


def test_effects_are_paired_differences_with_the_no_reform_run(tmp_path, capsys) -> None:
    spec = write(tmp_path, SENSITIVITY)
    out = tmp_path / "out"
    assert main(["sensitivity", str(spec), "--out", str(out), "--executor", "serial",
                 "--quiet"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["sensitivity", str(spec), "--out", str(out), "--dry-run"]) == 0
    assert "= 6 runs, each also run with no reforms (12 model runs)" in capsys.readouterr().out
    runs = pd.read_csv(out / "run_outputs.csv")
    level, alone, effect = (
        runs[f"goal1_levels_score.2012{suffix}"] for suffix in ("", ".no_reforms", ".effect")
    )
    np.testing.assert_allclose(effect, level - alone, rtol=0, atol=1e-9)
    assert effect.abs().min() > 0  # the programme moves the score at every point
    # one run checked against the model itself: same seed and parameters, reforms off
    study = load_study(spec)
    task = make_tasks(study, sample(study))[3]
    params = load_parameters().replace(
        {
            "labour.separation_rate": task.factors["parameters.labour.separation_rate"],
            "households.consumption_mpc": task.factors["parameters.households.consumption_mpc"],
        }
    )
    base = load_scenario(FULL).with_run(end_year=2012, scale=1000)
    reference = simulate(without_reforms(base), task.seed, params=params, check_invariants=False)
    expected = reference.annual.set_index("year").goal1_levels_score[2012]
    assert runs.loc[3, "goal1_levels_score.2012.no_reforms"] == pytest.approx(expected, abs=1e-9)
    counterfactual = load_results(out, COUNTERFACTUAL_TABLE)
    assert counterfactual.run_id.nunique() == len(runs) == 6
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices.output) == {
        "goal1_levels_score.2012",
        "goal1_levels_score.2012.no_reforms",
        "goal1_levels_score.2012.effect",
    }
    meta = json.loads((out / "sensitivity.json").read_text())
    assert [output.get("of") for output in meta["outputs"]] == ["scenario", "no_reforms", "effect"]
    # the report names an effect as the reforms' gain, counts the model runs the pairs make,
    # and says that one seed per point leaves the seed noise unmeasured (not "1 seeds")
    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "gain from the reforms" in html
    assert re.search(r"model runs \(each with its no-reform twin\)</t[hd]>\s*<td>12<", html)
    assert "run with one seed: seed noise cannot be told apart" in html
    assert "1 seeds" not in html


def test_behaviour_spec_is_valid_and_sized_for_two_cores(capsys) -> None:
    path = SPECS / "morris_behaviour.toml"
    assert main(["sensitivity", str(path), "--out", "unused", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    study = load_study(path)
    assert 15 <= len(study.names) <= 32
    assert all(name.startswith("parameters.") for name in study.names)
    assert study.against == "no_reforms"
    points = (len(study.names) + 1) * study.spec.method.trajectories
    assert f"= {points * study.spec.replications} runs" in printed
    assert 2 * points * study.spec.replications <= 1000  # about 15 minutes on 2 cores
    params = load_parameters()
    for parameter in study.spec.parameters:
        low, high = parameter.bounds
        value = params.entry(parameter.path.removeprefix("parameters.")).value
        assert low < value < high, parameter.path  # bounds around the model's own value
