"""The lab's Distributions tab through Streamlit's AppTest: after a run with a reform it draws the
Lorenz curves, the bars by decile, the Gini coefficient and the poverty share over the years,
and a table of the reform against the same seeds without it, whose figures are those of the
runs; its choices change what is drawn without running anything again."""

from __future__ import annotations

import time
from pathlib import Path

from app_steps import open_reform, seeds_box
from streamlit.testing.v1 import AppTest

from ui.catalogue import scenario_name

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
END = 2012


def run_land_reform() -> AppTest:
    """The baseline with the land reform switched on, two seeds, run to 2012 at scale 500."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["page"] = "lab"
    at.session_state["lang"] = "en"
    at.run()
    seeds_box(at).set_value(2)
    at.select_slider(key="lab|baseline|scale").set_value(500)
    at.slider(key="lab|baseline|end_year").set_value(END).run()
    open_reform(at, "land_capitalisation")
    at.toggle(key="lab|baseline|land_capitalisation|enabled").set_value(True).run()
    at.button(key="lab_run").click().run()
    job = at.session_state["lab_job"]
    t0 = time.perf_counter()
    while job is not None and not job.finished:
        assert time.perf_counter() - t0 < 300, "the runs did not finish"
        time.sleep(0.05)
    at.run()
    assert not at.exception, at.exception
    return at


def city_figures(reps, year: int):
    """Each seed's figures of the whole city in ``year``, read from the runs' tables."""
    table = reps.distribution
    rows = table[(table.year == year) & (table.decile == 1)]
    return rows[(rows.zone == "all") & (rows.residence == "all")]


def test_distributions_tab_sets_a_reform_against_no_reform_or_shows_a_scenario_alone() -> None:
    at = run_land_reform()
    result = at.session_state["lab_result"]
    assert result["ref"] is not None  # the same seeds without reform, run in the same job
    charts = at.get("vega_lite_chart")
    # trajectories, the map; Lorenz curves, deciles, Gini, poverty; value added by sector
    assert len(charts) == 7
    headings = " | ".join(m.value for m in at.markdown)
    assert f"Lorenz curves of income per head, {END}" in headings
    assert f"Whole city, {END}, by income decile: Income per head, yuan of 2010" in headings
    assert f"With the reform against no reform: Whole city, {END}" in headings
    table = at.table[0].value
    name = scenario_name("baseline", "en")  # the lab's name for the edited scenario
    assert list(table.columns) == [name, "No reform", "Difference [90% CI]"]
    gini = table.loc["Gini coefficient of income per head"]
    reform = city_figures(result["reps"], END).gini
    reference = city_figures(result["ref"], END).gini
    assert gini["No reform"] == f"{reference.mean():.3f}"
    assert gini[name].startswith(f"{reform.mean():.3f} [")
    paired = reform.to_numpy() - reference.to_numpy()  # both in seed order
    assert gini["Difference [90% CI]"].startswith(f"{paired.mean():+.3f} [")
    share = table.loc["Share below the national rural poverty line"]
    poverty = city_figures(result["ref"], END).poverty_share
    assert share["No reform"] == f"{100 * poverty.mean():.1f}%"

    # another group and figure: drawn from the same runs, nothing run again
    at.selectbox(key="lab_dist_group").set_value("rural")
    at.selectbox(key="lab_dist_measure").set_value("land_mu_per_capita").run()
    assert not at.exception, at.exception
    assert at.session_state["lab_job"] is None and at.session_state["lab_result"] is result
    headings = " | ".join(m.value for m in at.markdown)
    assert f"Rural residents, {END}, by income decile: Contracted farmland per head" in headings
    assert f"With the reform against no reform: Rural residents, {END}" in headings

    # the baseline alone: no reform to set it against, the figures with their intervals
    at.toggle(key="lab|baseline|land_capitalisation|enabled").set_value(False).run()
    at.button(key="lab_run").click().run()
    job = at.session_state["lab_job"]
    while job is not None and not job.finished:
        time.sleep(0.05)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["lab_result"]["ref"] is None
    assert list(at.table[0].value.columns) == [scenario_name("baseline", "en")]
    headings = " | ".join(m.value for m in at.markdown)
    assert f"Inequality and poverty: Rural residents, {END}" in headings


def test_distributions_tab_in_chinese() -> None:
    at = run_land_reform()
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception, at.exception
    headings = " | ".join(m.value for m in at.markdown)
    assert f"{END}年人均收入洛伦兹曲线" in headings
    assert f"{END}年全市：实施改革与不改革对比" in headings
    name = scenario_name("baseline", "zh")
    assert list(at.table[0].value.columns) == [name, "不改革", "差值 [90%置信区间]"]
