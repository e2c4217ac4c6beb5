"""``ezhou search``: the DTLZ2 test problem's known front found through the whole engine, the
same front from the same seed whatever the executor, the ensemble's statistic, failed runs
kept out of the front, a small search of the model itself, and the folder checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_messages import one_error_line

from experiments.analysis import search as search_engine
from experiments.analysis.search_problem import dtlz2, dtlz2_task, ensemble_value
from experiments.cli import main
from experiments.formats.search import load_search
from model.api import simulate
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
FULL = (ROOT / "scenarios" / "full_programme.toml").as_posix()
# IGD of the final Pareto set of NSGA-III (92 candidates, 40 generations, 7 decisions) to
# DTLZ2's front; measured 0.021, a random population scores above 0.15
IGD_TOLERANCE = 0.04


def dtlz2_spec(
    algorithm: str = "nsga2",
    population: int = 20,
    generations: int = 4,
    seed: int = 7,
    n_var: int = 7,
    robustness: str = "",
) -> str:
    decisions = "".join(f"[decisions.x{i}]\nrange = [0, 1]\n" for i in range(1, n_var + 1))
    objectives = "".join(f'[[objectives]]\nindicator = "f{i}"\nsense = "min"\n' for i in (1, 2, 3))
    return (
        f'name = "dtlz2"\nmodel = "dtlz2"\nseed = {seed}\n{robustness}\n'
        f'[algorithm]\nname = "{algorithm}"\npopulation = {population}\n'
        f"generations = {generations}\n{decisions}{objectives}"
    )


def run(spec_text: str, tmp_path: Path, out: str, *extra: str) -> Path:
    spec = tmp_path / "spec.toml"
    spec.write_text(spec_text, encoding="utf-8")
    args = ["search", str(spec), "--out", str(tmp_path / out), "--quiet", *extra]
    assert main(args) == 0
    return tmp_path / out


def igd(front: np.ndarray) -> float:
    """Inverted generational distance to DTLZ2's front (the unit sphere's positive part)."""
    from pymoo.indicators.igd import IGD
    from pymoo.util.ref_dirs import get_reference_directions

    directions = get_reference_directions("das-dennis", 3, n_partitions=12)
    reference = directions / np.linalg.norm(directions, axis=1)[:, None]
    return float(IGD(reference)(front))


def test_the_dtlz2_work_function_is_the_published_problem() -> None:
    from pymoo.problems import get_problem

    genes = np.random.default_rng(0).random((5, 7))
    published = get_problem("dtlz2", n_var=7, n_obj=3).evaluate(genes)
    np.testing.assert_allclose(dtlz2(genes, 3), published, rtol=1e-12)
    assert np.allclose(np.linalg.norm(dtlz2(np.array([0.3, 0.8, 0.5, 0.5, 0.5]), 3), axis=1), 1)


def test_nsga3_finds_the_known_front_of_dtlz2(tmp_path, capsys) -> None:
    out = run(
        dtlz2_spec("nsga3", population=92, generations=40), tmp_path, "out", "--executor", "serial"
    )
    front = pd.read_csv(out / "pareto.csv")[["f1", "f2", "f3"]].to_numpy()
    assert igd(front) < IGD_TOLERANCE
    first = pd.read_csv(out / "candidates.csv").query("generation == 0")
    assert igd(first[["f1", "f2", "f3"]].to_numpy()) > 3 * IGD_TOLERANCE  # it did converge
    convergence = pd.read_csv(out / "convergence.csv")
    assert list(convergence.generation) == list(range(40))
    assert (np.diff(convergence.hypervolume) >= -1e-12).all()  # an archive never loses ground
    assert convergence.hypervolume.iloc[-1] > convergence.hypervolume.iloc[0]
    head = json.loads((out / "search.json").read_text())
    assert head["state"] == "finished" and head["algorithm"] == "nsga3"
    assert head["runs"] == 92 * 40 and head["pareto_size"] == len(front)
    assert "Pareto set" in capsys.readouterr().out


def test_same_seed_same_front_whatever_the_executor(tmp_path) -> None:
    noisy = "[dtlz2]\nnoise_sd = 0.01\n[robustness]\nseeds = 2\n"
    text = dtlz2_spec(generations=3, robustness=noisy)
    serial = run(text, tmp_path, "serial", "--executor", "serial")
    pool = run(text, tmp_path, "pool", "--workers", "2")
    for name in ("pareto.csv", "candidates.csv", "evaluations.csv", "convergence.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(serial / name), pd.read_csv(pool / name), check_exact=True
        )
    other = run(
        dtlz2_spec(generations=3, seed=8, robustness=noisy),
        tmp_path,
        "other",
        "--executor",
        "serial",
    )
    assert not pd.read_csv(other / "pareto.csv").equals(pd.read_csv(serial / "pareto.csv"))
    # each candidate's objective is the mean of its two seeds' noisy values
    runs = pd.read_csv(serial / "evaluations.csv")
    candidates = pd.read_csv(serial / "candidates.csv")
    means = runs.groupby(["generation", "candidate"])["f1"].mean().to_numpy()
    np.testing.assert_allclose(candidates.f1.to_numpy(), means, rtol=1e-12)
    assert runs.groupby(["generation", "candidate"]).size().eq(2).all()
    genes = runs[[f"x{i}" for i in range(1, 8)]].to_numpy()
    noise = runs[["f1", "f2", "f3"]].to_numpy() - dtlz2(genes, 3)
    assert 0.003 < noise.std() < 0.03


def test_the_ensemble_statistic_counts_percentiles_from_the_bad_side() -> None:
    values = np.arange(10, dtype=float).reshape(1, 10, 1)  # one candidate, ten futures
    assert ensemble_value(values, "max", "mean", None)[0] == 4.5
    low = ensemble_value(values, "max", "percentile", 10)[0]
    high = ensemble_value(values, "min", "percentile", 10)[0]
    assert low == pytest.approx(0.9) and high == pytest.approx(8.1)
    seeds = np.array([[[1.0, 3.0], [5.0, 7.0]]])  # seeds averaged first: futures 2 and 6
    assert ensemble_value(seeds, "max", "percentile", 50)[0] == pytest.approx(4.0)


def failing_dtlz2(task):
    """DTLZ2, except that a run with x1 above 0.7 fails as a broken model run would."""
    if task.factors["x1"] > 0.7:
        raise RuntimeError("this region of the levers breaks the model")
    return dtlz2_task(task)


def test_candidates_whose_runs_fail_stay_out_of_the_front(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(search_engine, "work_function", lambda search: failing_dtlz2)
    out = run(dtlz2_spec(generations=3), tmp_path, "out", "--executor", "serial")
    candidates = pd.read_csv(out / "candidates.csv")
    broken = candidates.x1 > 0.7
    assert broken.any() and (candidates.failed_runs[broken] == 1).all()
    assert not candidates.feasible[broken].any() and candidates.feasible[~broken].all()
    front = pd.read_csv(out / "pareto.csv")
    assert len(front) and (front.x1 <= 0.7).all()
    runs = pd.read_csv(out / "evaluations.csv")
    assert runs.error[runs.x1 > 0.7].str.contains("breaks the model").all()
    assert runs.error[runs.x1 <= 0.7].isna().all()
    assert "run(s) failed" in capsys.readouterr().err


MODEL_SEARCH = f"""
name = "small"
base = "{FULL}"
seed = 3
end_year = 2011
scale = 1000
[algorithm]
population = 4
generations = 2
[decisions."levers.talent.enabled"]
[decisions."levers.talent.recruits_per_year"]
range = [0, 4000]
[decisions."levers.five_securities.rural_pension_yuan"]
range = [100, 1500]
[[objectives]]
indicator = "goal2_per_capita_score"
year = 2011
sense = "max"
[[objectives]]
indicator = "government_debt_bn_yuan"
year = 2011
sense = "min"
[robustness]
statistic = "percentile"
percentile = 25
[[robustness.futures]]
name = "slow"
"conditions.national_real_growth_pct" = 6.0
[[robustness.futures]]
name = "fast"
"conditions.national_real_growth_pct" = 12.0
"""


def test_a_search_of_the_model_runs_each_candidate_on_each_future(tmp_path) -> None:
    out = run(MODEL_SEARCH, tmp_path, "out", "--executor", "serial")
    search = load_search(tmp_path / "spec.toml")
    runs = pd.read_csv(out / "evaluations.csv")
    candidates = pd.read_csv(out / "candidates.csv")
    assert len(candidates) == 8 and len(runs) == 16
    assert set(runs["conditions.national_real_growth_pct"]) == {6.0, 12.0}
    assert runs.seed.nunique() == 1  # paired: every candidate and future on the same seed
    # a run's objective is the model's own for the candidate's levers in that future
    row = runs.iloc[5]
    scenario = load_scenario(FULL).with_run(end_year=2011, scale=1000)
    data = scenario.model_dump()
    for path in [decision.path for decision in search.decisions]:
        _, reform, key = path.split(".")
        data["levers"][reform][key] = row[path].item() if hasattr(row[path], "item") else row[path]
    data["conditions"]["national_real_growth_pct"] = 12.0 if row.future == 1 else 6.0
    annual = simulate(type(scenario).model_validate(data), int(row.seed)).annual
    model_value = annual.set_index("year").loc[2011, "goal2_per_capita_score"]
    assert row["goal2_per_capita_score@2011"] == pytest.approx(model_value, rel=1e-12)
    # the candidate's value: the 25th percentile from the bad side across the two futures
    # (the low one for a score, the high one for debt)
    pairs = runs.groupby(["generation", "candidate"])
    score = pairs["goal2_per_capita_score@2011"].quantile(0.25).to_numpy()
    debt = pairs["government_debt_bn_yuan@2011"].quantile(0.75).to_numpy()
    np.testing.assert_allclose(candidates["goal2_per_capita_score@2011"], score, rtol=1e-12)
    np.testing.assert_allclose(candidates["government_debt_bn_yuan@2011"], debt, rtol=1e-12)
    # no candidate of the whole search beats one of the Pareto set on both objectives
    front = pd.read_csv(out / "pareto.csv")
    for _, best in front.iterrows():
        better = (
            candidates["goal2_per_capita_score@2011"] >= best["goal2_per_capita_score@2011"]
        ) & (candidates["government_debt_bn_yuan@2011"] <= best["government_debt_bn_yuan@2011"])
        strictly = (
            candidates["goal2_per_capita_score@2011"] > best["goal2_per_capita_score@2011"]
        ) | (candidates["government_debt_bn_yuan@2011"] < best["government_debt_bn_yuan@2011"])
        assert not (better & strictly).any()


def test_a_folder_holding_a_search_or_anything_else_is_refused(tmp_path, capsys) -> None:
    text = dtlz2_spec(generations=1, population=8)
    out = run(text, tmp_path, "out", "--executor", "serial")
    before = sorted(path.name for path in out.iterdir())
    capsys.readouterr()
    spec = tmp_path / "spec.toml"
    assert main(["search", str(spec), "--out", str(out), "--executor", "serial"]) == 2
    one_error_line(capsys, str(out), "already holds a search", "--resume")
    spec.write_text(dtlz2_spec(generations=1, population=8, seed=9), encoding="utf-8")
    assert main(["search", str(spec), "--out", str(out), "--resume", "--executor", "serial"]) == 2
    one_error_line(capsys, str(out), "different spec")
    assert sorted(path.name for path in out.iterdir()) == before
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["search", str(spec), "--out", str(other), "--executor", "serial"]) == 2
    one_error_line(capsys, str(other), "notes.txt", "not a search")
    assert sorted(path.name for path in other.iterdir()) == ["notes.txt"]


CONSTRAINED = f"""
name = "constrained"
base = "{FULL}"
end_year = 2011
scale = 1000
[decisions."levers.talent.recruits_per_year"]
range = [0, 4000]
[[objectives]]
indicator = "goal1_levels_score"
year = 2011
sense = "max"
[[objectives]]
indicator = "government_debt_bn_yuan"
year = 2011
sense = "min"
[[constraints]]
indicator = "unemployment_rate"
year = 2011
max = 0.05
[[constraints]]
indicator = "urbanisation_rate"
year = 2011
min = 0.6
[robustness]
seeds = 2
statistic = "percentile"
percentile = 25
[[robustness.futures]]
"conditions.national_real_growth_pct" = 6.0
[[robustness.futures]]
"conditions.national_real_growth_pct" = 12.0
"""


def test_objectives_and_constraints_as_pymoo_minimises_them(tmp_path) -> None:
    from experiments.analysis.search_problem import FAILED_VIOLATION, objectives_and_constraints
    from experiments.formats.search import parse_search

    search = parse_search(CONSTRAINED, tmp_path / "c.toml")
    # two candidates x two futures x two seeds, in run order; the second has a failed run
    runs = pd.DataFrame(
        {
            "goal1_levels_score@2011": [50.0, 52.0, 60.0, 62.0, 40.0, 40.0, 40.0, np.nan],
            "government_debt_bn_yuan@2011": [10.0, 10.0, 20.0, 20.0, 5.0, 5.0, 5.0, np.nan],
            "unemployment_rate@2011": [0.04, 0.04, 0.08, 0.08, 0.01, 0.01, 0.01, np.nan],
            "urbanisation_rate@2011": [0.7, 0.7, 0.5, 0.5, 0.9, 0.9, 0.9, np.nan],
            "error": [None] * 7 + ["RuntimeError: broken"],
        }
    )
    values = objectives_and_constraints(search, runs)
    # seeds averaged (futures at 51 and 61), then the 25th percentile from the bad side:
    # the low side of a score to maximise, the high side of debt to minimise
    assert values["goal1_levels_score@2011"][0] == pytest.approx(53.5)
    assert values["F"][0].tolist() == pytest.approx([-53.5, 17.5])  # a maximum is negated
    # a limit from above is judged on the high side, one from below on the low side
    assert values["G"][0].tolist() == pytest.approx([0.07 - 0.05, 0.6 - 0.55, 0.0])
    assert values["failed_runs"].tolist() == [0, 1]
    assert values["G"][1].tolist() == [0.0, 0.0, FAILED_VIOLATION]
    assert np.isfinite(values["F"]).all()  # stand-ins pymoo can sort
