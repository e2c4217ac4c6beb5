"""experiments/views.py: what the app runs and summarises, checked without the app."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.runner import run_replications, spawn_seeds
from experiments.views import (
    Job,
    RunCache,
    RunCancelled,
    StepRun,
    bands,
    distribution_csv,
    goal_cards,
    make_pool,
    paired_effect,
    reforms_off,
    run_task,
    sector_value_added,
    seed_list,
)
from model.api import simulate
from model.reforms import REFORMS
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def short():
    return load_scenario(ROOT / "scenarios/reform_talent.toml").with_run(end_year=2012)


def test_a_stepped_run_equals_simulate(short):
    run = StepRun(short, 11)
    assert run.label() == "2010"
    run.step(5)
    assert (run.t, run.label()) == (5, "2011Q1")
    assert len(run.quarterly()) == 5
    run.step(100)  # stops at the end year
    assert run.done and run.t == run.n_quarters == 12
    got = run.result()
    want = simulate(short, 11, check_invariants=False)
    pd.testing.assert_frame_equal(got.annual, want.annual)
    pd.testing.assert_frame_equal(got.zones, want.zones)
    assert got.household_agent_steps == want.household_agent_steps


def test_seed_list_is_the_one_ezhou_run_uses(short):
    assert seed_list(short, 1) == [short.run.seed]
    assert seed_list(short, 3) == spawn_seeds(short.run.seed, 3)


def test_a_job_on_a_pool_gives_what_the_runner_gives(short):
    seeds = seed_list(short, 2)
    pool = make_pool(2, kind="threads")
    job = Job.submit(pool, {"a": short, "b": reforms_off(short)}, seeds)
    while not job.finished:
        time.sleep(0.02)
    assert job.progress() == 1.0 and job.error() is None and job.runs_done == 4
    res = job.results()
    reps = run_replications(short, seeds)
    pd.testing.assert_frame_equal(res["a"].annual, reps.annual)
    # who gains too; the lab's download holds the rows ezhou run writes as distribution.parquet
    pd.testing.assert_frame_equal(res["a"].distribution, reps.distribution)
    download = pd.read_csv(io.BytesIO(distribution_csv(res["a"])))
    pd.testing.assert_frame_equal(download, reps.distribution, check_dtype=False, rtol=1e-9)
    assert not res["b"].scenario.levers.talent.enabled
    assert res["a"].annual.recruits.sum() > 0 == res["b"].annual.recruits.sum()
    pool.shutdown()


def test_runs_already_done_are_taken_from_the_cache(short):
    seeds = seed_list(short, 2)
    cache = RunCache(max_runs=3)
    pool = make_pool(2, kind="threads")
    first = Job.submit(pool, {"a": short}, seeds, cache=cache)
    first.results()  # waits for both runs
    assert len(cache) == 2 and first.reused == 0
    again = Job.submit(pool, {"a": short, "b": reforms_off(short)}, seeds, cache=cache)
    assert again.reused == 2  # the reformed runs; the others run now
    res = again.results()
    assert res["a"].runs[0] is first.futures[("a", seeds[0])].result()
    assert len(cache) == 3  # the oldest run made room
    assert cache.get(short, seeds[0]) is None and cache.get(short.with_run(seed=5), 5) is None
    pool.shutdown()


def test_cancel_stops_running_and_pending_runs(short, tmp_path):
    pool = make_pool(1, kind="threads")
    job = Job.submit(pool, {"a": short.with_run(end_year=2035)}, [1, 2, 3])
    while job.progress() == 0:
        time.sleep(0.01)
    job.cancel()
    t0 = time.perf_counter()
    while not job.finished:
        time.sleep(0.01)
    assert time.perf_counter() - t0 < 5  # the running seed stops within a quarter
    assert job.error() is None
    first = job.futures[("a", 1)]
    assert isinstance(first.exception(), RunCancelled)
    assert job.futures[("a", 3)].cancelled()
    pool.shutdown()
    (tmp_path / "cancel").touch()
    with pytest.raises(RunCancelled):
        run_task(short, 1, str(tmp_path))


def test_bands_and_cards_summarise_across_seeds():
    annual = pd.DataFrame(
        {
            "seed": np.repeat([1, 2, 3, 4], 2),
            "year": [2010, 2011] * 4,
            "goal1_levels_score": [10, 20, 10, 22, 10, 24, 10, 26],
            "goal2_per_capita_score": [5.0] * 8,
            "goal3_quality_score": [1, 2, 1, 2, 1, 2, 1, 2],
        }
    )
    b = bands(annual, "goal1_levels_score")
    assert b.loc[b.year == 2011, "mean"].item() == 23
    assert b.loc[b.year == 2011, "lo"].item() == pytest.approx(20.3)
    cards = goal_cards(annual, None, 2011).set_index("goal")
    assert cards.loc["goal1_levels_score", "delta"] == 13  # since the first year
    assert cards.loc["goal1_levels_score", "against"] == "start"
    ref = annual.assign(goal1_levels_score=annual.goal1_levels_score - 1)
    cards = goal_cards(annual, ref, 2011).set_index("goal")
    assert cards.loc["goal1_levels_score", "delta"] == pytest.approx(1)
    assert cards.loc["goal2_per_capita_score", "delta"] == 0
    e = paired_effect(annual, ref, "goal1_levels_score", 2011)
    assert e["direction"] == 1 and e["lo"] == e["hi"] == 1  # the same gap on every seed
    noisy = annual.assign(goal1_levels_score=annual.goal1_levels_score + [0, 2, 0, -2] * 2)
    e = paired_effect(annual, noisy, "goal1_levels_score", 2011)
    assert e["direction"] == 0 and e["lo"] < 0 < e["hi"]  # no clear change


def test_sector_value_added_sums_quarters_and_shares_add_up(short):
    q = simulate(short, 3, check_invariants=False).quarterly
    sv = sector_value_added(q, 2011)
    assert sv.share.sum() == pytest.approx(1)
    assert "tax" not in set(sv.sector) and len(sv) == 9
    steel = q.loc[q.year == 2011, "va_steel_yuan"].sum() / 1e9
    assert sv.set_index("sector").loc["steel", "mean"] == pytest.approx(steel)


def test_every_app_string_and_lever_speaks_both_languages():
    import re
    import string

    from model.scenario import Conditions
    from ui import labels
    from ui.i18n import STRINGS

    used = set()
    for path in (ROOT / "ui").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used and not used - set(STRINGS), used - set(STRINGS)
    fields = string.Formatter()
    for key, (en, zh) in STRINGS.items():
        assert en and zh and en != zh, key
        names = [{f for _, f, _, _ in fields.parse(text) if f} for text in (en, zh)]
        assert names[0] == names[1], key  # the same blanks in both languages
    keys = [f for cls in REFORMS for f in cls.Levers.model_fields] + list(Conditions.model_fields)
    for key in keys:
        assert key in labels.HELP_ZH, key
        assert labels.lever(key, "zh") != labels.lever(key, "en"), key
    units = {
        (info.json_schema_extra or {}).get("unit")
        for cls in REFORMS
        for info in cls.Levers.model_fields.values()
    } - {None}
    assert units <= set(labels.UNITS_ZH), units - set(labels.UNITS_ZH)


def test_report_switches_read_as_words_in_either_language():
    from experiments.reports.text import yes_no

    assert [yes_no(True, "en"), yes_no(False, "en")] == ["yes", "no"]
    assert [yes_no(True, "zh"), yes_no(False, "zh"), yes_no(None, "zh")] == ["是", "否", "–"]


def test_sensitivity_influence_ranks_factors_within_each_output(tmp_path):
    from experiments.views.sensitivity import read_influence, result_folders

    rows = [
        ("goal3_quality_score.2015", "a", 1.0, 0.5),
        ("goal3_quality_score.2015", "b", 0.8, 0.5),
        ("goal1_levels_score.2015", "a", 0.05, 0.01),
        ("goal1_levels_score.2015", "b", 2.0, 0.1),
        ("goal1_levels_score.2015", "c", 0.9, 0.1),
    ]
    folder = tmp_path / "study"
    folder.mkdir()
    pd.DataFrame(rows, columns=["output", "parameter", "mu_star", "mu_star_conf"]).to_csv(
        folder / "indices.csv", index=False
    )
    (tmp_path / "empty").mkdir()
    assert result_folders(tmp_path) == [folder]
    influence = read_influence(folder)
    assert influence.main_index == "mu_star"
    assert influence.goal_outputs() == ["goal1_levels_score.2015", "goal3_quality_score.2015"]
    table = influence.table.set_index(["output", "parameter"])
    assert table.loc[("goal1_levels_score.2015", "c"), "share"] == pytest.approx(0.45)
    assert table.loc[("goal1_levels_score.2015", "b"), "rank"] == 1
    # goal 1: b clearly first, c under half of it, a under a tenth
    assert influence.drivers("goal1_levels_score.2015") == {
        "top": "b",
        "second": None,
        "weak": 1,
        "n": 3,
        "unclear": False,
    }
    # goal 3: a and b within each other's intervals
    d3 = influence.drivers("goal3_quality_score.2015")
    assert (d3["top"], d3["second"], d3["unclear"]) == ("a", "b", True)
    assert influence.overall_order(influence.goal_outputs()) == ["b", "a", "c"]
    (folder / "indices.csv").write_text("not,a\n1,2\n")
    assert read_influence(folder) is None
