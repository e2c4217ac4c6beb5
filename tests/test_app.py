"""The Streamlit app through Streamlit's AppTest: every page renders, runs, takes a lever change,
switches language and survives bad uploads."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from app_steps import open_reform, open_section, reform_title, seeds_box, start, wait
from streamlit.testing.v1 import AppTest

from experiments.runner import run_replications
from experiments.views import seed_list
from model.reforms import REFORMS
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["lab", "compare", "sensitivity", "policy", "classroom", "about"]


def test_lab_runs_the_baseline_and_shows_goal_cards_equal_to_the_runner():
    at = start()
    seeds_box(at).set_value(2)
    at.run()
    at.button(key="lab_run").click().run()
    wait(at, "lab_job")
    assert not at.error
    assert len(at.metric) == 3
    sc = load_scenario(ROOT / "scenarios/baseline.toml")
    reps = run_replications(sc, seed_list(sc, 2))
    end = reps.annual[reps.annual.year == sc.run.end_year]
    for card, goal in zip(
        at.metric,
        ["goal1_levels_score", "goal2_per_capita_score", "goal3_quality_score"],
        strict=True,
    ):
        assert card.value == f"{end[goal].mean():.1f}"
        assert "since 2010" in str(card.proto.delta_description)
    result = at.session_state["lab_result"]["reps"]
    pd.testing.assert_frame_equal(result.annual, reps.annual)
    # every tab of the results renders: trajectories, zones, distributions, downloads
    assert len(at.get("vega_lite_chart")) >= 3
    assert len(at.get("download_button")) == 4  # annual, zones, distribution, scenario


def _start_small_run(page: str) -> tuple[AppTest, str, str]:
    """A short run on ``page``, started with its Run button; returns the app, the button's
    key and the job's slot."""
    if page == "lab":
        at = start()
        seeds_box(at).set_value(2)
        at.select_slider(key="lab|baseline|scale").set_value(500).run()
        return at.button(key="lab_run").click().run(), "lab_run", "lab_job"
    if page == "compare":
        at = start("compare")
        at.number_input(key="cmp_seeds").set_value(2)
        at.select_slider(key="cmp_scale").set_value(500)
        at.slider(key="cmp_end").set_value(2012).run()
        return at.button(key="cmp_run").click().run(), "cmp_run", "cmp_job"
    at = start("classroom")
    at.radio(key="pred|land|urbanisation_rate").set_value("up")
    at.radio(key="pred|land|urban_rural_income_ratio").set_value("down").run()
    return at.button(key="lesson_run|land").click().run(), "lesson_run|land", "lesson_job|land"


@pytest.mark.parametrize("page", ["lab", "compare", "classroom"])
def test_once_results_appear_the_page_is_ready_for_the_next_run(page):
    """When the job ends the page is run again and shows its results: the page drawn then
    must not keep the Run button disabled, Cancel or the progress bar of the job."""
    at, run_key, slot = _start_small_run(page)
    assert not at.exception, at.exception
    assert at.button(key=run_key).disabled  # while the job runs
    wait(at, slot)
    assert at.session_state[slot] is None  # the job has been collected
    shown = {"lab": at.metric, "compare": at.dataframe}.get(page, [*at.success, *at.warning])
    assert shown, "no results on the page"
    assert not at.button(key=run_key).disabled
    assert not [b for b in at.button if b.key and b.key.startswith("cancel_")]
    assert not [p for p in at.progress if (p.proto.text or "").startswith("Running")]


def test_a_setting_sent_with_the_click_is_the_one_run():
    """The Run button starts the job in its callback with the scenario the page drew last;
    a setting changed in the same interaction as the click is run, not the one before."""
    at = start()
    seeds_box(at).set_value(2)
    at.select_slider(key="lab|baseline|scale").set_value(500).run()
    seeds_box(at).set_value(3)  # sent together with the click
    wait(at.button(key="lab_run").click().run(), "lab_job")
    assert not at.exception, at.exception
    assert len(at.session_state["lab_result"]["reps"].seeds) == 3


def test_the_results_choices_outlast_the_next_run():
    """While a job runs its page hides the previous results, so Streamlit forgets their
    widgets; the indicator, the zones' indicator and the year chosen come back with the next
    results."""
    at = start()
    seeds_box(at).set_value(2)
    at.select_slider(key="lab|baseline|scale").set_value(500).run()
    wait(at.button(key="lab_run").click().run(), "lab_job")
    at.selectbox(key="lab_indicator").set_value("urbanisation_rate")
    at.selectbox(key="lab_zone_indicator").set_value("population")
    year = next(s for s in at.select_slider if s.key and s.key.startswith("lab_year|"))
    year.set_value(2015).run()
    at.number_input(key="lab|baseline|seed").set_value(7).run()  # runs nothing cached
    wait(at.button(key="lab_run").click().run(), "lab_job")
    assert at.session_state["lab_result"]["reps"].seeds != [1, 2]
    assert at.selectbox(key="lab_indicator").value == "urbanisation_rate"
    assert at.selectbox(key="lab_zone_indicator").value == "population"
    year = next(s for s in at.select_slider if s.key and s.key.startswith("lab_year|"))
    assert year.value == 2015


def test_a_lever_change_is_run_against_the_same_scenario_without_reform():
    at = start()
    seeds_box(at).set_value(2)
    at.run()
    open_reform(at, "heavy_industry")
    at.toggle(key="lab|baseline|heavy_industry|enabled").set_value(True).run()
    at.slider(key="lab|baseline|heavy_industry|audit_share_per_year").set_value(0.8).run()
    at.button(key="lab_run").click().run()
    wait(at, "lab_job")
    result = at.session_state["lab_result"]
    levers = result["reps"].scenario.levers.heavy_industry
    assert levers.enabled and levers.audit_share_per_year == 0.8
    assert result["ref"] is not None
    assert not result["ref"].scenario.levers.heavy_industry.enabled
    assert all("no reform" in str(m.proto.delta_description) for m in at.metric)
    # the reform changes what agents do: audits happen only with it
    assert result["reps"].annual.audits.sum() > 0 == result["ref"].annual.audits.sum()
    # the downloaded scenario reproduces the edited levers
    toml = result["reps"].scenario.to_toml()
    assert "audit_share_per_year = 0.8" in toml


def test_sliders_keep_to_the_schema_ranges():
    at = start()
    checked = 0
    for cls in REFORMS:
        open_reform(at, cls.key)
        for name, info in cls.Levers.model_fields.items():
            extra = info.json_schema_extra or {}
            if "lo" not in extra:
                continue
            s = at.slider(key=f"lab|baseline|{cls.key}|{name}")
            assert (s.proto.min, s.proto.max) == (extra["lo"], extra["hi"]), name
            checked += 1
    assert checked > 40


def test_heavy_settings_ask_for_confirmation():
    at = open_section(start(), "run_settings")
    at.select_slider(key="lab|baseline|scale").set_value(1).run()
    assert at.warning and "Heavy run" in at.warning[0].value
    assert at.button(key="lab_run").disabled
    at.checkbox(key="lab_confirm").check().run()
    assert not at.button(key="lab_run").disabled


def test_a_running_job_can_be_cancelled():
    at = start()
    seeds_box(at).set_value(6)
    at.select_slider(key="lab|baseline|scale").set_value(20).run()
    at.button(key="lab_run").click().run()
    job = at.session_state["lab_job"]
    at.button(key="cancel_lab_job").click().run()
    assert job.cancelled
    wait(at, "lab_job")
    assert "cancelled" in " ".join(i.value for i in at.info)
    assert "lab_result" not in at.session_state or at.session_state["lab_result"] is None


BAD_UPLOADS = [
    ("broken.toml", b"name = \n[levers", "broken.toml: not valid TOML"),
    ("unknown.toml", b"[levers.talent]\nrecruits = 5\n", "levers.talent.recruits: unknown key"),
    (
        "range.toml",
        b"[levers.talent]\nretention_rate = 7\n",
        "levers.talent.retention_rate: 7 is out of range; allowed: from 0 to 1",
    ),
    ("big.toml", b"#" * 300_000, "big.toml: the file is 293 kB"),
    ("latin.toml", "name = 'é'".encode("latin-1"), "latin.toml: not a UTF-8 text file"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS)
def test_a_bad_upload_gets_one_clear_line_and_the_app_keeps_working(name, data, message):
    at = start()
    at.file_uploader(key="lab_upload").set_value((name, data, "application/toml")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and message in errors[0] and "\n" not in errors[0], errors
    assert at.selectbox(key="lab_scenario").value == "baseline"
    # the page still works: switch scenario, the levers follow
    at.selectbox(key="lab_scenario").set_value("reform_talent").run()
    # the reforms' titles say the talent reform is on, as the file has it
    shown = reform_title(at, "talent")
    assert shown.startswith("● ") and "changed" not in shown, shown
    open_reform(at, "talent")
    assert at.toggle(key="lab|reform_talent|talent|enabled").value is True


def test_a_good_upload_joins_the_scenario_list_and_is_selected():
    at = start()
    text = (
        load_scenario(ROOT / "scenarios/reform_talent.toml")
        .model_copy(update={"name": "my_talent"})
        .to_toml()
        .replace("recruits_per_year = 1000.0", "recruits_per_year = 2500.0")
    )
    at.file_uploader(key="lab_upload").set_value(("mine.toml", text.encode(), "text/plain")).run()
    assert not at.error
    assert at.selectbox(key="lab_scenario").value == "↑ mine"
    open_reform(at, "talent")
    assert at.slider(key="lab|↑ mine|talent|recruits_per_year").value == 2500.0


@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_both_languages(page):
    at = start(page, "en")
    english = [t.value for t in at.title]
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception
    chinese = [t.value for t in at.title]
    assert english != chinese
    assert all(any("\u4e00" <= c <= "\u9fff" for c in t) for t in chinese), chinese
    labels = [r.label for r in at.sidebar.radio]
    assert "页面" in labels


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in str(text))


def test_in_chinese_the_shipped_scenarios_and_the_sources_are_chinese_too():
    at = start("lab", "zh")
    options = at.selectbox(key="lab_scenario").options
    assert len(options) >= 13 and all(chinese(o) for o in options), options
    assert at.selectbox(key="lab_scenario").value == "baseline"  # the key stays the file
    assert any(c.value.startswith("不实施任何改革") for c in at.caption)
    at = start("about", "zh")
    targets, series = (d.value for d in at.dataframe)
    for table in (targets, series):
        for column in table.columns:
            if column not in ("年份", "数值"):
                assert table[column].map(chinese).all(), (column, list(table[column]))


def test_switching_language_keeps_results_and_translates_them():
    at = start()
    seeds_box(at).set_value(2)
    at.run()
    at.button(key="lab_run").click().run()
    wait(at, "lab_job")
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert [m.label for m in at.metric][0] == "目标一：发展水平"
    assert "相对2010年" in str(at.metric[0].proto.delta_description)


def test_compare_page_runs_two_scenarios_on_paired_seeds():
    at = start("compare")
    at.number_input(key="cmp_seeds").set_value(2)
    at.slider(key="cmp_end").set_value(2013).run()
    at.button(key="cmp_run").click().run()
    wait(at, "cmp_job")
    annual = at.session_state["cmp_result"]
    assert set(annual.scenario) == {"baseline", "full_programme"}
    assert annual.year.max() == 2013 and annual.seed.nunique() == 2
    table = at.dataframe[0].value
    assert "Goal 1 levels score (0-100)" in set(table.iloc[:, 0])
    assert table["Full programme"].str.contains(r"\[").all()  # difference with its interval


def test_compare_page_needs_two_scenarios():
    at = start("compare")
    at.multiselect(key="cmp_names").set_value(["baseline"]).run()
    assert at.button(key="cmp_run").disabled


GOAL_OUTPUTS = [
    "goal1_levels_score.2015",
    "goal2_per_capita_score.2015",
    "goal3_quality_score.2015",
]
FACTORS = [
    "levers.land_capitalisation.homestead_compensation_yuan_per_mu",
    "levers.talent.recruits_per_year",
    "conditions.national_real_growth_pct",
]


def sensitivity_folder(folder: Path, report: str | None = None) -> Path:
    """A results folder as ``ezhou sensitivity`` writes it: goal 1 moved most by homestead
    exits, goals 2 and 3 by national growth."""
    folder.mkdir(parents=True)
    mu_star = {
        GOAL_OUTPUTS[0]: [4.0, 1.0, 0.2],
        GOAL_OUTPUTS[1]: [0.1, 1.0, 3.0],
        GOAL_OUTPUTS[2]: [0.1, 0.3, 2.0],
    }
    rows = [
        {"output": o, "parameter": p, "mu_star": v, "mu_star_conf": 0.1}
        for o, values in mu_star.items()
        for p, v in zip(FACTORS, values, strict=True)
    ]
    pd.DataFrame(rows).to_csv(folder / "indices.csv", index=False)
    meta = {
        "name": folder.name,
        "method": {"name": "morris"},
        "main_index": "mu_star",
        "outputs": [{"name": o} for o in GOAL_OUTPUTS],
    }
    (folder / "sensitivity.json").write_text(json.dumps(meta))
    if report is not None:
        (folder / "report.html").write_text(report)
    return folder


def test_sensitivity_folders_are_picked_from_the_results_folder_only(tmp_path, monkeypatch):
    """No path is typed in: the page lists the folders under its results folder and nothing
    outside it, not even through a symbolic link."""
    results = tmp_path / "results"
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(results))
    at = start("sensitivity")
    assert "No sensitivity results" in at.info[0].value
    assert not at.text_input  # nothing to type a path into
    sensitivity_folder(results / "morris_demo")
    sensitivity_folder(results / "studies" / "second")
    outside = sensitivity_folder(tmp_path / "elsewhere", report="<p>not for the app</p>")
    (results / "link").symlink_to(outside, target_is_directory=True)
    at.run()
    assert not at.exception
    assert not at.text_input
    assert at.selectbox(key="sens_folder").options == ["morris_demo", "studies/second"]


def test_a_report_is_shown_in_a_frame_where_nothing_can_run(tmp_path, monkeypatch):
    """A report's scripts must not run in the user's browser: the page embeds the file only
    as the content of an inner frame whose sandbox allows nothing, and holds no script."""
    from html.parser import HTMLParser

    report = (
        "<html><body><h1>Report</h1><script>parent.document.title = 'taken';</script>"
        '<img src="x" onerror="alert(1)"></body></html>'
    )
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(tmp_path))
    sensitivity_folder(tmp_path / "morris_demo", report=report)
    at = start("sensitivity")
    frames = [e.proto for e in at.get("iframe")]
    assert len(frames) == 1 and not frames[0].src

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    outer = Tags()
    outer.feed(frames[0].srcdoc)
    assert [tag for tag, _ in outer.tags] == ["iframe"]  # no script, nothing else
    attrs = outer.tags[0][1]
    assert attrs["sandbox"] == ""  # no allow-scripts, no allow-same-origin
    assert attrs["srcdoc"] == report  # the report itself, only inside the sandbox
    downloads = [d for d in at.get("download_button") if d.proto.label.endswith("report.html")]
    assert len(downloads) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sensitivity_page_says_what_matters_for_each_goal_in_words(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(tmp_path))
    sensitivity_folder(tmp_path / "morris_demo")
    at = start("sensitivity", lang)
    assert not at.exception
    sentences = next(m.value for m in at.markdown if m.value.startswith("- "))
    lines = sentences.splitlines()
    assert len(lines) == 3  # one sentence a goal, goal 1 first
    goal_words = [["Goal 1", "Goal 2", "Goal 3"], ["目标一", "目标二", "目标三"]][lang == "zh"]
    assert [w in line for w, line in zip(goal_words, lines, strict=True)] == [True] * 3
    homestead = "Homestead exit compensation" if lang == "en" else "宅基地退出补偿"
    growth = "National real growth" if lang == "en" else "全国实际经济增长"
    assert homestead in lines[0] and growth in lines[1] and growth in lines[2]
    assert "levers." not in sentences and "mu_star" not in sentences
    # the ranked chart: readable factor names, strongest on average first
    chart = at.get("vega_lite_chart")[0].proto
    spec = json.loads(chart.spec)
    factors = spec["encoding"]["y"]["sort"]
    assert factors[0].startswith(growth) and not any("levers." in f for f in factors)
    # the raw tables wait behind an expander
    assert not [d for d in at.main.dataframe if d not in at.expander[-1].dataframe]
    assert any(len(e.dataframe) for e in at.expander)


def test_classroom_lesson_checks_the_prediction_against_paired_runs():
    at = start("classroom")
    assert at.button(key="lesson_run|land").disabled  # predict first
    at.radio(key="pred|land|urbanisation_rate").set_value("up")
    at.radio(key="pred|land|urban_rural_income_ratio").set_value("down").run()
    at.button(key="lesson_run|land").click().run()
    wait(at, "lesson_job|land")
    verdicts = [s.value for s in at.success] + [w.value for w in at.warning]
    assert len(verdicts) == 2 and all("you predicted" in v for v in verdicts)
    assert any("Rights confirmation" in m.value for m in at.markdown)


def test_classroom_steps_a_run_quarter_by_quarter():
    at = start("classroom")
    at.button(key="step_q|land").click().run()
    runs = at.session_state["stepper|land"]
    assert runs["reform"].t == 1 and runs["reference"].t == 1
    at.button(key="step_y|land").click().run()
    assert runs["reform"].t == 5
    assert any(m.value == "2011Q1" for m in at.metric)
    assert at.progress[0].proto.text == "5 of 24 quarters simulated"
    # the reform acts from 2011: homestead exits only in the reformed run
    q = runs["reform"].quarterly()
    assert q.homestead_exits.iloc[-1] > 0 == runs["reference"].quarterly().homestead_exits.sum()


def test_about_page_lists_sources_and_citation():
    at = start("about")
    assert len(at.dataframe) == 2
    assert "Resident population" in set(at.dataframe[0].value.indicator)
    assert "Ezhou reform simulator (version" in at.code[0].value


def test_a_small_morris_screening_runs_from_the_page(tmp_path, monkeypatch):
    pytest.importorskip("experiments.analysis.sensitivity")
    monkeypatch.setenv("EZHOU_APP_SENS_EXECUTOR", "serial")
    monkeypatch.setenv("EZHOU_APP_RESULTS", str(tmp_path))
    at = start("sensitivity")
    at.multiselect(key="morris_factors|full_programme").set_value(
        ["levers.talent.recruits_per_year", "levers.heavy_industry.audit_share_per_year"]
    )
    at.multiselect(key="morris_outputs").set_value(["goal2_per_capita_score"])
    at.slider(key="morris_traj").set_value(2)
    at.slider(key="morris_year").set_value(2011)
    at.select_slider(key="morris_scale").set_value(500).run()
    assert "6 model runs" in " ".join(c.value for c in at.caption)
    at.button(key="morris_run").click().run()
    future = at.session_state["morris_future"]
    future.result(timeout=240)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Screening finished" in at.success[0].value
    folder = at.session_state["morris_out"]
    indices = pd.read_csv(folder / "indices.csv")
    assert set(indices.parameter) == {
        "levers.talent.recruits_per_year",
        "levers.heavy_industry.audit_share_per_year",
    }
    assert at.selectbox(key="sens_folder").value == folder.name  # the new folder is open
    shown = [d.value for d in at.dataframe]
    assert any("mu_star" in df.columns for df in shown)
    from ui.screening import write_report

    if write_report is not None:  # the engine's report, in the page's language
        assert "Morris" in (folder / "report.html").read_text(encoding="utf-8")


def test_conditions_edit_the_scenario_and_year_tables_can_become_constants():
    at = start()
    at.selectbox(key="lab_scenario").set_value("historical_2011_2020").run()
    open_section(at, "conditions")
    prefix = "lab|historical_2011_2020"
    assert any(c.value.startswith("Year by year, from") for c in at.caption)
    tables = [d for d in at.dataframe if list(d.value.columns) == ["year", "value"]]
    assert len(tables) >= 5  # each year-by-year condition is an editable table
    assert all(d.proto.editing_mode for d in tables)
    at.toggle(key=f"{prefix}|national_real_growth_pct|const").set_value(True).run()
    at.slider(key=f"{prefix}|national_real_growth_pct").set_value(5.0)
    at.slider(key=f"{prefix}|relocating_firms_per_year").set_value(120.0)
    seeds_box(at).set_value(1)  # another tab: the conditions set keep their values
    at.select_slider(key=f"{prefix}|scale").set_value(500)
    at.slider(key=f"{prefix}|end_year").set_value(2012).run()
    at.button(key="lab_run").click().run()
    wait(at, "lab_job")
    sc = at.session_state["lab_result"]["reps"].scenario
    assert sc.conditions.national_real_growth_pct == 5.0
    assert sc.conditions.relocating_firms_per_year == 120.0
    assert isinstance(sc.conditions.steel_price_index, dict)  # untouched tables stay tables
    assert (sc.run.scale, sc.run.end_year) == (500, 2012)
    assert any("change: [–, –]" in c.value for c in at.caption)  # one seed: no interval
    # a second run with other years in the same session
    at.slider(key=f"{prefix}|end_year").set_value(2011).run()
    at.button(key="lab_run").click().run()
    wait(at, "lab_job")
    assert at.session_state["lab_result"]["reps"].annual.year.max() == 2011


def test_an_edited_year_table_is_checked_like_a_file():
    from ui.widgets import edited_scenario, year_table

    base = load_scenario(ROOT / "scenarios/historical_2011_2020.toml")
    rows = pd.DataFrame({"year": [2010, 2012, None, 2016], "value": [10.6, 7.5, None, 5.0]})
    table, mistake = year_table(rows, "conditions.national_real_growth_pct")
    assert mistake is None and table == {2010: 10.6, 2012: 7.5, 2016: 5.0}  # blank row left out
    sc, err = edited_scenario(
        base, {}, {"national_real_growth_pct": table}, base.run.model_dump(), "historical"
    )
    assert err is None and sc.conditions.national_real_growth_pct == table
    # a value out of range, a year outside the simulated span, an empty cell, a year twice
    cases = [
        ({"year": [2010, 2011], "value": [10.6, 99.0]}, "year 2011: 99.0 is out of range"),
        ({"year": [1990], "value": [5.0]}, "year 1990 is outside 2000-2035"),
        ({"year": [2010, 2011], "value": [10.6, None]}, "year 2011: None is not a number"),
    ]
    for frame, message in cases:
        table, mistake = year_table(pd.DataFrame(frame), "conditions.national_real_growth_pct")
        assert mistake is None
        sc, err = edited_scenario(
            base, {}, {"national_real_growth_pct": table}, base.run.model_dump(), "historical"
        )
        assert sc is None and "\n" not in err
        assert err.startswith("historical: conditions.national_real_growth_pct: " + message)
        assert "allowed" in err or "outside" in err
    table, mistake = year_table(
        pd.DataFrame({"year": [2010, 2010], "value": [1.0, 2.0]}), "conditions.x"
    )
    assert mistake == "conditions.x: year 2010 is given twice; allowed: each year once"


def test_ezhou_app_refuses_a_bad_port_in_one_line(capsys):
    from experiments.cli import main

    assert main(["app", "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == "error: --port 70000: allowed 1 to 65535"


def test_compare_page_takes_uploads_and_refuses_bad_ones():
    at = start("compare")
    bad = ("bad.toml", b"[run]\nscale = 0\n", "application/toml")
    at.file_uploader(key="cmp_upload").set_value(bad).run()
    assert [e.value for e in at.error] == [
        "This file cannot be used: bad.toml: run.scale: 0 is out of range; allowed: from 1 to "
        "1000 (households per agent)"
    ]
    good = load_scenario(ROOT / "scenarios/reform_talent.toml").to_toml().encode()
    at.file_uploader(key="cmp_upload").set_value(("talent.toml", good, "text/plain")).run()
    assert not at.error
    assert "↑ talent" in at.multiselect(key="cmp_names").options


def test_a_warm_up_cut_short_by_the_server_stopping_is_quiet(monkeypatch):
    """The warm-up thread may start the pool after a stopping server's main thread has
    ended, when a pool can no longer start: it gives up without a traceback; while the
    server runs, the same failure is not hidden."""
    from ui import common

    def refused(*_args, **_kwargs):
        raise RuntimeError("cannot schedule new futures after interpreter shutdown")

    monkeypatch.setattr("experiments.views.runs.make_pool", refused)
    monkeypatch.setattr(common, "_server", {})
    with pytest.raises(RuntimeError):
        common._warm_up(())  # the main thread (this test's) is alive

    class Ended:
        def is_alive(self) -> bool:
            return False

    monkeypatch.setattr(common.threading, "main_thread", lambda: Ended())
    common._warm_up(())
    assert "pool" not in common._server
