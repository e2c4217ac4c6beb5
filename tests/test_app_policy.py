"""The app's Policy design page through Streamlit's AppTest, and what it stands on
(experiments/views/search.py): folders listed from the results folder only, the Pareto set
narrowed by each objective, a package's scenario file that `ezhou validate` accepts and that
holds the package's levers, the discovery in both languages, a small search started from the
page, and a background search cancelled and then resumed to the front of an uninterrupted
one."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from policy_examples import GOAL1, search_with_discovery
from test_app import start, wait

from experiments.cli import main
from experiments.formats.search import load_search
from experiments.views.search import SearchJob, design_folders, read_search_view
from model.scenario import parse_scenario

DEMO = "tiny_packages"


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """A results folder with a small search of the model and a discovery on its runs."""
    root = tmp_path_factory.mktemp("app_policy") / "results"
    search_with_discovery(root)
    return root


def test_only_finished_searches_and_discoveries_under_the_results_folder_are_listed(
    results, tmp_path
) -> None:
    root = tmp_path / "root"
    shutil.copytree(results / DEMO, root / "nested" / "again")
    stopped = root / "stopped"
    stopped.mkdir()
    head = json.loads((results / DEMO / "search.json").read_text())
    (stopped / "search.json").write_text(json.dumps({**head, "state": "running"}))
    outside = tmp_path / "outside"
    shutil.copytree(results / DEMO, outside)
    (root / "link").symlink_to(outside, target_is_directory=True)
    listed = [(folder.relative_to(root).as_posix(), kind) for folder, kind in design_folders(root)]
    assert listed == [("nested/again", "search"), ("nested/again/discovery", "discovery")]


def test_the_page_narrows_the_pareto_set_and_gives_a_package_as_a_scenario(
    results, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(results))
    at = start("policy")
    assert not at.text_input  # nothing to type a path into
    folders = [f"{DEMO} · ezhou search", f"{DEMO}/discovery · ezhou discover"]
    assert at.selectbox(key="pol_folder").options == folders
    view = read_search_view(results / DEMO)
    front = view.front
    assert f"{len(front)} of {len(front)} packages" in " ".join(c.value for c in at.caption)
    # at least the median of goal 1 in the Pareto set: only those packages are kept
    slider = at.slider(key=f"pol_limit|{results / DEMO}|{GOAL1}")
    limit = sorted(front[GOAL1])[len(front) // 2]
    slider.set_value(min(v for v in _slider_values(slider) if v >= limit - 1e-9)).run()
    assert not at.exception
    kept = front[front[GOAL1] >= slider.value]
    assert 0 < len(kept) < len(front)
    table = at.dataframe[0].value
    assert list(table["Package"]) == view.ids(kept)
    # the package picked: its scenario file holds its levers and is valid for ezhou validate
    pick = at.selectbox(key=f"pol_pick|{results / DEMO}")
    assert [option.split(":")[0] for option in pick.options] == view.ids(kept)
    package = view.ids(kept)[-1]
    pick.set_value(package).run()
    download = next(d for d in at.get("download_button") if "scenario" in d.proto.label)
    text = view.scenario(package).to_toml()
    scenario = parse_scenario(text, "download")
    row = view.package(package)
    assert scenario.levers.talent.enabled == bool(row["levers.talent.enabled"])
    assert scenario.levers.five_securities.rural_pension_yuan == pytest.approx(
        row["levers.five_securities.rural_pension_yuan"], rel=1e-12
    )
    assert (scenario.run.end_year, scenario.run.scale) == (2011, 1000)
    assert download.proto.label == f"Download the scenario ({DEMO}_{package}.toml)"
    file = tmp_path / f"{DEMO}_{package}.toml"
    file.write_text(text, encoding="utf-8")
    assert main(["validate", str(file)]) == 0


def _slider_values(slider) -> list[float]:
    proto = slider.proto
    values, value = [], proto.min
    while value <= proto.max + 1e-9:
        values.append(round(value, 10))
        value += proto.step
    return values


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_discovery_is_told_in_the_page_s_language(results, monkeypatch, lang) -> None:
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(results))
    at = start("policy")
    at.selectbox(key="pol_folder").set_value(f"{DEMO}/discovery").run()
    if lang == "zh":  # switched in the sidebar (AppTest cannot rerun a page opened in Chinese)
        at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception and not at.error
    cases = pd.read_csv(results / DEMO / "discovery" / "cases.csv")
    n_cases, n_runs = int(cases.of_interest.sum()), len(cases)
    words = f"{n_cases} of {n_runs} runs" if lang == "en" else f"{n_runs} 次运行中有 {n_cases} 次"
    assert any(words in m.value for m in at.markdown)
    counts = at.dataframe[-1].value
    assert list(counts.iloc[:, 1]) == [
        int((cases.of_interest & cases.in_box).sum()),
        int((cases.of_interest & ~cases.in_box).sum()),
    ]


def test_a_small_search_runs_from_the_page_and_opens(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(tmp_path))
    monkeypatch.setenv("EZHOU_APP_SEARCH_EXECUTOR", "serial")
    at = start("policy")
    assert "No search or discovery" in at.info[0].value
    at.multiselect(key="pol_reforms").set_value(["talent"])
    at.multiselect(key="pol_objectives").set_value(
        ["goal1_levels_score", "government_debt_bn_yuan"]
    )
    at.slider(key="pol_population").set_value(4)
    at.slider(key="pol_generations").set_value(1)
    at.slider(key="pol_end_year").set_value(2011)
    at.select_slider(key="pol_scale").set_value(1000).run()
    assert "4 model runs" in " ".join(c.value for c in at.caption)
    at.button(key="pol_run").click().run()
    wait(at, "pol_job")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Search finished" in at.success[0].value
    folder = next(tmp_path.glob("app_search_*"))
    assert at.selectbox(key="pol_folder").value == folder.name  # the new search is open
    head = json.loads((folder / "search.json").read_text())
    assert head["state"] == "finished" and head["runs"] == 4
    assert [d["path"] for d in head["decisions"]] == [
        "levers.talent.enabled",
        "levers.talent.start_year",
        "levers.talent.recruits_per_year",
    ]


def dtlz2_spec(path: Path) -> Path:
    decisions = "".join(f"[decisions.x{i}]\nrange = [0, 1]\n" for i in range(1, 7))
    objectives = "".join(f'[[objectives]]\nindicator = "f{i}"\nsense = "min"\n' for i in (1, 2, 3))
    path.write_text(
        'name = "long"\nmodel = "dtlz2"\nseed = 4\n[algorithm]\npopulation = 24\n'
        f"generations = 30\n{decisions}{objectives}",
        encoding="utf-8",
    )
    return path


def test_a_background_search_reports_progress_stops_on_cancel_and_resumes(tmp_path) -> None:
    spec = dtlz2_spec(tmp_path / "long.toml")
    search = load_search(spec)
    job = SearchJob.start(search, tmp_path / "stopped", executor="serial")
    t0 = time.perf_counter()
    while job.runs_done < 100:
        assert not job.finished, job.error()
        assert time.perf_counter() - t0 < 120
        time.sleep(0.01)
    assert 0 < job.progress() < 1
    job.cancel()
    job.future.exception(timeout=60)
    assert job.stopped and job.error() is None and job.progress() == 1.0
    head = json.loads((tmp_path / "stopped" / "search.json").read_text())
    assert head["state"] == "running"  # stopped, not finished
    assert job.runs_done < search.n_runs
    # resumed, it ends on the front an uninterrupted search finds
    args = ["search", str(spec), "--executor", "serial", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "stopped"), "--resume"]) == 0
    whole = SearchJob.start(search, tmp_path / "whole", executor="serial")
    outcome = whole.future.result(timeout=300)
    assert whole.runs_done == search.n_runs and whole.progress() == 1.0
    resumed = pd.read_csv(tmp_path / "stopped" / "pareto.csv")
    pd.testing.assert_frame_equal(resumed, pd.read_csv(tmp_path / "whole" / "pareto.csv"))
    assert len(outcome.front) == len(resumed)
