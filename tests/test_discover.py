"""``ezhou discover``: PRIM finds a box planted in a synthetic batch, reads a search folder,
and refuses a bad condition, spec or folder in one line with exit code 2, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_messages import one_error_line

from experiments.cli import main
from experiments.engine.execute import execute
from experiments.engine.tasks import Task
from experiments.errors import UserError
from experiments.formats.outcome_expression import parse_expression

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "experiments" / "specs"
GROWTH, STEEL, WAGES, TALENT = (
    "conditions.national_real_growth_pct",
    "conditions.steel_demand_growth_pct",
    "conditions.wuhan_wage_growth_pct",
    "levers.talent.enabled",
)
# the planted box: growth at most 8, steel demand at least 2, talent on; 3% of labels flipped
PLANTED = {GROWTH: (4.0, 8.0), STEEL: (2.0, 10.0)}
LIMIT_TOLERANCE = 0.3  # percentage points, on ranges 8 and 20 points wide


def planted_outcome(task: Task) -> dict[str, pd.DataFrame]:
    """A stand-in model: goal 2 falls to 30 inside the planted box, stays at 50 outside."""
    factors = task.factors
    inside = factors[GROWTH] <= 8.0 and factors[STEEL] >= 2.0 and factors[TALENT]
    flip = np.random.default_rng(task.seed).random() < 0.03
    score = 30.0 if inside != flip else 50.0
    return {
        "annual": pd.DataFrame(
            {"year": [2019, 2020], "goal2_per_capita_score": [45.0, score], "debt": [1.0, 2.0]}
        )
    }


@pytest.fixture(scope="module")
def planted_batch(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("planted") / "batch"
    rng = np.random.default_rng(2011)
    n = 2000
    factors = pd.DataFrame(
        {
            GROWTH: rng.uniform(4, 12, n),
            STEEL: rng.uniform(-10, 10, n),
            WAGES: rng.uniform(6, 14, n),
            TALENT: rng.random(n) < 0.5,
        }
    )
    tasks = [
        Task(i, i, 1000 + i, {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()})
        for i, row in enumerate(factors.to_dict(orient="records"))
    ]
    execute(
        tasks, planted_outcome, out, fingerprint="planted", meta={}, executor="serial", quiet=True
    )
    return out


def test_prim_recovers_the_planted_box(planted_batch, tmp_path, capsys) -> None:
    out = tmp_path / "discovery"
    where = "goal2_per_capita_score@2020 < 40"
    assert main(["discover", str(planted_batch), "--where", where, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    box = pd.read_csv(out / "box.csv").set_index("input")
    assert set(box.index) == {GROWTH, STEEL, TALENT}  # the irrelevant wage growth is not in it
    assert box.loc[GROWTH, "high"] == pytest.approx(8.0, abs=LIMIT_TOLERANCE)
    assert box.loc[GROWTH, "low"] == pytest.approx(box.loc[GROWTH, "data_low"])  # open below
    assert box.loc[STEEL, "low"] == pytest.approx(2.0, abs=LIMIT_TOLERANCE)
    assert box.loc[STEEL, "high"] == pytest.approx(box.loc[STEEL, "data_high"])  # open above
    assert box.loc[TALENT, "low"] == 1 and box.loc[TALENT, "reads"] == "talent.enabled on"
    assert box.significant.all() and (box.qp_value < 1e-6).all()
    head = json.loads((out / "discovery.json").read_text())
    # the box holds ~10% of the runs; 3% flipped labels put ~54 cases outside it and take
    # ~6 out: at best a coverage of 194 / 248 = 0.78 and a density of 0.97
    assert head["coverage"] > 0.7 and head["density"] > 0.9
    assert head["runs"] == 2000 and head["folder_kind"] == "batch"
    trajectory = pd.read_csv(out / "trajectory.csv")
    assert trajectory.chosen.sum() == 1 and trajectory.coverage.iloc[0] == 1.0
    assert trajectory.density.iloc[head["chosen_box"]] == pytest.approx(head["density"])
    # the runs in the box are exactly those inside its limits
    cases = pd.read_csv(out / "cases.csv")
    inside = np.ones(len(cases), dtype=bool)
    for name, row in box.iterrows():
        inside &= (cases[name].astype(float) >= row.low) & (cases[name].astype(float) <= row.high)
    assert (inside == cases.in_box).all()
    assert (cases.of_interest == (cases["goal2_per_capita_score@2020"] < 40)).all()
    assert head["summary"] in printed and "national_real_growth_pct at most 8" in head["summary"]


def test_a_discovery_goes_into_the_folder_and_replaces_an_earlier_one(
    planted_batch, capsys
) -> None:
    where = "debt@2019-2020 > 1 and goal2_per_capita_score@2020 >= 40"
    assert main(["discover", str(planted_batch), "--where", where]) == 0
    first = json.loads((planted_batch / "discovery" / "discovery.json").read_text())
    assert first["where"] == where
    assert (
        main(["discover", str(planted_batch), "--where", "goal2_per_capita_score@2020 < 40"]) == 0
    )
    second = json.loads((planted_batch / "discovery" / "discovery.json").read_text())
    assert second["where"] != where and second["cases"] + first["cases"] == 2000


BAD_CONDITIONS = [
    ("goal2_per_capita_score@2020 <", "not a complete condition"),
    ("goal2_per_capita_score@2020 + 1", "gives a number"),
    ("__import__('os').system('true') < 1", "cannot read"),
    ("goal2_per_capita_score@2020.real < 1", "cannot read"),
    ("goal2_per_capita_score < 1", "which year"),
    ("goal2_per_capita_scor@2020 < 1", "did you mean 'goal2_per_capita_score'"),
    ("goal2_per_capita_score@2030 < 1", "the runs hold the years 2019 to 2020"),
    ("goal2_per_capita_score@2020-2019 < 1", "reversed"),
    ("goal2_per_capita_score@2020 < 1 and 3", "'3' is not a condition"),
    ("goal2_per_capita_score@2020 < 1000", "every run"),
    ("", "empty"),
]


@pytest.mark.parametrize(("where", "message"), BAD_CONDITIONS)
def test_a_bad_condition_is_one_line_and_writes_nothing(
    planted_batch, tmp_path, capsys, where, message
) -> None:
    out = tmp_path / "discovery"
    assert main(["discover", str(planted_batch), "--where", where, "--out", str(out)]) == 2
    one_error_line(capsys, "--where", message)
    assert not out.exists()


def test_conditions_evaluate_as_written() -> None:
    expression = parse_expression("not (a@2020 - a@2019 >= 2 or b@2020 < 0) and 1 < a@2020 <= 5")
    refs = {ref.text: ref for ref in expression.refs}
    assert set(refs) == {"a@2020", "a@2019", "b@2020"}
    values = {
        refs["a@2020"]: np.array([3.0, 3.0, 6.0, 0.5]),
        refs["a@2019"]: np.array([2.0, 0.0, 5.0, 0.0]),
        refs["b@2020"]: np.array([1.0, 1.0, 1.0, 1.0]),
    }
    assert expression.evaluate(values).tolist() == [True, False, False, False]
    with pytest.raises(UserError, match="not a condition on outcomes"):
        parse_expression("(a@2020)(2) < 1")  # a call: tokens pass, the tree does not


def test_a_spec_file_and_its_mistakes(planted_batch, tmp_path, capsys) -> None:
    spec = SPECS / "discover_shortfall.toml"
    assert main(["discover", str(tmp_path / "later"), "--spec", str(spec), "--dry-run"]) == 0
    assert "valid" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    for text, key, message in [
        ('where = "x@2020 < 1"\ncolour = 1\n', "colour", "unknown key"),
        ('where = "x@2020 <"\n', "where:", "not a complete condition"),
        (
            'where = "goal2_per_capita_score@2020 < 40"\nmin_coverage = 2\n',
            "min_coverage",
            "out of range",
        ),
        (
            'where = "goal2_per_capita_score@2020 < 40"\ninputs = ["levers.x.y"]\n',
            "inputs",
            "does not vary",
        ),
    ]:
        bad.write_text(text, encoding="utf-8")
        out = tmp_path / "out"
        assert main(["discover", str(planted_batch), "--spec", str(bad), "--out", str(out)]) == 2
        one_error_line(capsys, key, message)
        assert not out.exists()
    assert main(["discover", str(planted_batch), "--spec", str(spec), "--where", "a < 1"]) == 2
    one_error_line(capsys, "one of them")
    assert main(["discover", str(tmp_path), "--where", "a < 1", "--out", str(tmp_path / "o")]) == 2
    one_error_line(capsys, str(tmp_path), "no batch, sensitivity or search results")


def test_discovery_reads_a_search_folder(tmp_path, capsys) -> None:
    decisions = "".join(f"[decisions.x{i}]\nrange = [0, 1]\n" for i in range(1, 5))
    objectives = "".join(f'[[objectives]]\nindicator = "f{i}"\nsense = "min"\n' for i in (1, 2, 3))
    spec = tmp_path / "search.toml"
    spec.write_text(
        'name = "d"\nmodel = "dtlz2"\n[algorithm]\npopulation = 40\ngenerations = 3\n'
        + decisions
        + objectives,
        encoding="utf-8",
    )
    search = tmp_path / "search"
    assert main(["search", str(spec), "--out", str(search), "--executor", "serial", "--quiet"]) == 0
    assert main(["discover", str(search), "--where", "f3 > 0.9"]) == 0
    head = json.loads((search / "discovery" / "discovery.json").read_text())
    assert head["folder_kind"] == "search" and head["runs"] == 120
    cases = pd.read_csv(search / "discovery" / "cases.csv")
    assert list(cases.columns[:6]) == ["generation", "run_id", "x1", "x2", "x3", "x4"]
    # f3 = (1 + g) sin(x1 pi / 2): a large f3 needs a large x1
    box = pd.read_csv(search / "discovery" / "box.csv").set_index("input")
    assert list(box.index) == ["x1"] and box.loc["x1", "low"] > 0.5


def gains_outcome(task: Task) -> dict[str, pd.DataFrame]:
    """A stand-in model with a twin without reforms (as a sensitivity study of reform effects
    keeps): the reforms gain 10 points on goal 1 where national growth is above 8, 3 below."""
    gain = 10.0 if task.factors[GROWTH] > 8.0 else 3.0
    base = 50.0 + task.factors[WAGES]  # the level moves with wages; the gain does not
    twin = pd.DataFrame({"year": [2020], "goal1_levels_score": [base]})
    return {
        "annual": twin.assign(goal1_levels_score=base + gain),
        "annual_no_reforms": twin,
    }


def test_a_condition_on_what_the_reforms_gain_reads_the_twin(tmp_path) -> None:
    """`no_reforms.` reads each run's twin: the box of small gains is growth at most 8, which
    the level alone (moved by wages) would not show."""
    out = tmp_path / "effects"
    rng = np.random.default_rng(5)
    tasks = [
        Task(i, i, 500 + i, {GROWTH: float(rng.uniform(4, 12)), WAGES: float(rng.uniform(6, 14))})
        for i in range(400)
    ]
    execute(tasks, gains_outcome, out, fingerprint="gains", meta={}, executor="serial", quiet=True)
    where = "goal1_levels_score@2020 - no_reforms.goal1_levels_score@2020 < 5"
    assert main(["discover", str(out), "--where", where, "--out", str(tmp_path / "d")]) == 0
    box = pd.read_csv(tmp_path / "d" / "box.csv").set_index("input")
    assert list(box.index) == [GROWTH]
    assert box.loc[GROWTH, "high"] == pytest.approx(8.0, abs=LIMIT_TOLERANCE)
    cases = pd.read_csv(tmp_path / "d" / "cases.csv")
    assert cases.of_interest.sum() == (cases[GROWTH] <= 8.0).sum()


def test_a_twin_read_where_the_folder_keeps_none_is_one_line(planted_batch, tmp_path, capsys):
    where = "goal2_per_capita_score@2020 - no_reforms.goal2_per_capita_score@2020 < 0"
    out = tmp_path / "discovery"
    assert main(["discover", str(planted_batch), "--where", where, "--out", str(out)]) == 2
    one_error_line(capsys, "--where", "keeps no runs without reforms")
    assert not out.exists()
