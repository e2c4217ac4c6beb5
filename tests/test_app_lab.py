"""The lab's settings through Streamlit's AppTest: the page draws one tab of its settings and
only the reforms opened, and every setting keeps its value while it is not drawn (another
tab, another reform, another page, the other language) and is the one run; reset and a file
uploaded again bring back the file's values. The first page imports neither the model nor
the charts; the warm-up does, after it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from app_steps import APP, open_reform, open_section, reform_title, seeds_box, start, wait
from streamlit.testing.v1 import AppTest

from model.scenario import load_scenario
from ui.widgets import edited_rows

ROOT = Path(__file__).resolve().parent.parent
HEAVY = "lab|baseline|heavy_industry"
TALENT = "lab|baseline|talent"


def drawn(at: AppTest) -> set[str]:
    """Keys of the settings' widgets on the page."""
    widgets = [*at.toggle, *at.slider, *at.select_slider, *at.number_input, *at.selectbox]
    return {w.key for w in widgets if w.key and w.key.startswith("lab|")}


def ready(at: AppTest):
    """The scenario the Run button would run now."""
    return at.session_state["lab_ready"][0]


def test_the_first_page_draws_the_reforms_titles_and_no_lever():
    at = start()
    assert [tab.label for tab in at.tabs] == ["Reforms", "Outside world", "Seeds, scale"]
    titles = [e.label for e in at.expander][1:]  # after the upload's
    assert len(titles) == 10 and all(t.startswith("○ ") for t in titles), titles
    assert drawn(at) == set()  # no reform opened, the other tabs closed
    assert not at.button(key="lab_run").disabled


def test_a_lever_set_in_one_reform_outlasts_looking_at_another_and_is_run():
    at = open_reform(start(), "heavy_industry")
    at.toggle(key=f"{HEAVY}|enabled").set_value(True).run()
    at.slider(key=f"{HEAVY}|audit_share_per_year").set_value(0.8).run()
    # close it (its title clicked again) and open the talent reform
    at.session_state["lab_open_reforms"] = set()
    open_reform(at, "talent")
    assert f"{HEAVY}|enabled" not in drawn(at) and f"{TALENT}|enabled" in drawn(at)
    title = reform_title(at, "heavy_industry")
    assert title.startswith("● ") and title.endswith("· changed"), title
    assert reform_title(at, "talent").startswith("○ ")
    at.toggle(key=f"{TALENT}|enabled").set_value(True)
    at.slider(key=f"{TALENT}|recruits_per_year").set_value(2500.0).run()
    seeds_box(at).set_value(1)
    at.select_slider(key="lab|baseline|scale").set_value(500)
    at.slider(key="lab|baseline|end_year").set_value(2011).run()
    wait(at.button(key="lab_run").click().run())
    levers = at.session_state["lab_result"]["reps"].scenario.levers
    assert levers.heavy_industry.enabled and levers.heavy_industry.audit_share_per_year == 0.8
    assert levers.talent.enabled and levers.talent.recruits_per_year == 2500.0
    # the reform opened again shows what was set
    at.session_state["lab_open_reforms"] = set()
    open_reform(at, "heavy_industry")
    assert at.toggle(key=f"{HEAVY}|enabled").value is True
    assert at.slider(key=f"{HEAVY}|audit_share_per_year").value == 0.8


def test_a_setting_sent_with_a_click_on_another_tab_is_kept():
    """A value typed and sent together with the click that closes its tab: the widget is not
    drawn in that page run, and its value is kept all the same."""
    at = open_section(start(), "run_settings")
    seeds_box(at).set_value(3)
    at.session_state["lab_section"] = "Reforms"
    at.run()
    assert "lab|baseline|nseeds" not in drawn(at)
    assert at.session_state["lab_ready"][2] == 3
    open_section(at, "run_settings")
    assert seeds_box(at).value == 3


def test_settings_outlast_another_page_and_the_other_language():
    at = open_reform(start(), "heavy_industry")
    at.toggle(key=f"{HEAVY}|enabled").set_value(True).run()
    open_section(at, "conditions")
    at.slider(key="lab|baseline|steel_price_index").set_value(120.0).run()
    at.sidebar.radio(key="page").set_value("compare").run()
    at.sidebar.radio(key="page").set_value("lab").run()
    assert not at.exception, at.exception
    assert at.slider(key="lab|baseline|steel_price_index").value == 120.0  # the tab still open
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == ["改革", "外部环境", "种子与规模"]
    assert at.slider(key="lab|baseline|steel_price_index").value == 120.0
    scenario = ready(at)
    assert scenario.levers.heavy_industry.enabled
    assert scenario.conditions.steel_price_index == 120.0


def test_in_chinese_the_reforms_titles_say_which_are_on_and_changed():
    at = open_reform(start(lang="zh"), "heavy_industry", "zh")
    assert reform_title(at, "heavy_industry").startswith("○ 5. 重化工业转型")
    at.toggle(key=f"{HEAVY}|enabled").set_value(True).run()
    assert reform_title(at, "heavy_industry") == "● 5. 重化工业转型 · 已修改"


def test_reset_brings_back_the_file_s_values_in_every_tab():
    at = open_reform(start(), "heavy_industry")
    at.toggle(key=f"{HEAVY}|enabled").set_value(True).run()
    open_section(at, "conditions")
    at.slider(key="lab|baseline|steel_price_index").set_value(120.0).run()
    seeds_box(at).set_value(7)
    at.select_slider(key="lab|baseline|scale").set_value(500).run()
    assert ready(at) != load_scenario(ROOT / "scenarios/baseline.toml")
    at.button(key="lab_reset").click().run()
    assert not at.exception, at.exception
    assert seeds_box(at).value == 5
    assert at.select_slider(key="lab|baseline|scale").value == 100
    assert ready(at) == load_scenario(ROOT / "scenarios/baseline.toml")
    open_section(at, "levers")
    assert reform_title(at, "heavy_industry").startswith("○ ")


def test_a_file_uploaded_again_brings_its_own_values():
    base = load_scenario(ROOT / "scenarios/reform_talent.toml").to_toml()
    at = start()
    for recruits in (2500.0, 3000.0):
        text = base.replace("recruits_per_year = 1000.0", f"recruits_per_year = {recruits}")
        upload = ("mine.toml", text.encode(), "text/plain")
        at.file_uploader(key="lab_upload").set_value(upload).run()
        open_reform(at, "talent")
        assert at.slider(key="lab|↑ mine|talent|recruits_per_year").value == recruits
        assert ready(at).levers.talent.recruits_per_year == recruits


def test_an_edited_year_table_is_drawn_again_from_its_edits_and_run():
    """A table's edits are its editor's state, which Streamlit forgets when the tab is not
    drawn: the rows as edited are kept, drawn again when the tab opens, and run. (AppTest
    cannot type into a table: the edits are put where the page keeps them.)"""
    at = start()
    at.selectbox(key="lab_scenario").set_value("historical_2011_2020").run()
    open_section(at, "conditions")
    open_section(at, "run_settings")  # the table's editor is forgotten after this run
    key = "lab|historical_2011_2020|national_real_growth_pct|table"
    kept = at.session_state["kept_settings"]
    rows = kept[f"{key}|base"][1]
    kept[key] = edited_rows(rows, {"edited_rows": {1: {"value": 7.5}}, "deleted_rows": [0]})
    at.run()
    growth = ready(at).conditions.national_real_growth_pct
    assert 2010 not in growth and growth[2011] == 7.5
    open_section(at, "conditions")
    tables = [d.value for d in at.dataframe if list(d.value.columns) == ["year", "value"]]
    assert tables[0].iloc[0].tolist() == [2011.0, 7.5]
    assert ready(at).conditions.national_real_growth_pct == growth


def test_a_table_s_edits_are_applied_as_streamlit_applies_them():
    rows = pd.DataFrame({"year": [2010, 2011, 2012], "value": [1.0, 2.0, 3.0]})
    edits = {
        "edited_rows": {1: {"value": 9.0}, 0: {"year": None}},
        "deleted_rows": [2],
        "added_rows": [{"year": 2020}, {"value": 4.0}],
    }
    out = edited_rows(rows, edits)
    expected = pd.DataFrame(
        {"year": [None, 2011.0, 2020.0, None], "value": [1.0, 9.0, None, 4.0]}, dtype="float64"
    )
    pd.testing.assert_frame_equal(out, expected)
    assert edited_rows(rows, {}).equals(rows.astype("float64"))


FIRST_PAGE = """
import sys, time
import ui.common
ui.common.WARM_UP_AFTER_SECONDS = 3.0
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=120)
at.session_state["page"] = "lab"
at.session_state["lang"] = "en"
at.run()
heavy = ["mesa", "model.api", "altair", "pandas", "experiments.views.runs", "ui.lab_results"]
print("first page:", [m for m in heavy if m in sys.modules])
t0 = time.perf_counter()
while "pool" not in ui.common._server and time.perf_counter() - t0 < 120:
    time.sleep(0.1)
print("warmed up:", [m for m in heavy if m in sys.modules], "pool" in ui.common._server)
"""


def test_the_first_page_waits_for_neither_the_model_nor_the_charts():
    """The lab's first page imports none of what runs and results need; a moment after it,
    the warm-up imports them and starts the workers (here a pool of threads)."""
    code = FIRST_PAGE.format(app=APP)
    env = {**os.environ, "EZHOU_APP_POOL": "threads"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith(("first", "warmed"))]
    assert lines[0] == "first page: []", lines
    assert lines[1].startswith("warmed up:") and lines[1].endswith("True"), lines
    for module in ("mesa", "model.api", "altair", "pandas", "ui.lab_results"):
        assert repr(module) in lines[1], lines
