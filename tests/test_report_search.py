"""``ezhou report`` on a search folder (the Pareto set in parallel coordinates and in pairs of
objectives, its packages' levers, which reforms it holds, the hypervolume by generation, the
futures) and on a discovery (peeling trajectory, box limits with their quasi-p-values, the
runs inside and outside the box), in English and Chinese; the numbers shown are the folder's."""

from __future__ import annotations

import html as html_text
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from cli_messages import one_error_line
from policy_examples import search_with_discovery
from test_report import langs, needs_chromium, reports_of

from experiments.cli import main
from experiments.reports.discovery import restriction_text
from experiments.reports.policies import best_first, policy_id, scaled
from experiments.reports.text import format_number
from ui.browser import browser_page


@pytest.fixture(scope="module")
def search_folder(tmp_path_factory) -> Path:
    """The small search, and a discovery on its runs in its discovery/ folder."""
    return search_with_discovery(tmp_path_factory.mktemp("search_report") / "results")


@pytest.fixture(scope="module")
def reports(search_folder) -> dict[tuple[str, str], Path]:
    """The search's and the discovery's report in each language, with no glyph missing."""
    return reports_of({"search": search_folder, "discovery": search_folder / "discovery"})


def cells(html: str) -> list[list[str]]:
    """The rows of every table of the page, as text."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [
        [
            html_text.unescape(cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in rows
    ]


def test_search_report_holds_every_section(reports) -> None:
    html = reports["search", "en"].read_text(encoding="utf-8")
    srcs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "http://" not in html and "https://" not in html
    for heading in (
        "Policy search: tiny_packages",
        "The Pareto set, objective by objective",
        "Trade-offs between pairs of objectives",
        "The levers of the Pareto set",
        "Which reforms the Pareto set holds",
        "Convergence: hypervolume by generation",
        "The futures of the ensemble",
        "Scenario discovery: goal1_levels_score@2011 &lt;",
        "Peeling trajectory",
        "Cases inside and outside the box",
    ):
        assert heading in html, heading
    # parallel coordinates, trade-offs, lever map, hypervolume, peeling, box (and cases)
    assert len(srcs) >= 6


def test_the_pareto_table_is_the_folder_s_pareto_set_best_first(search_folder, reports) -> None:
    html = reports["search", "en"].read_text(encoding="utf-8")
    pareto = pd.read_csv(search_folder / "pareto.csv")
    names = [
        "goal1_levels_score@2011",
        "goal2_per_capita_score@2011",
        "government_debt_bn_yuan@2011",
    ]
    ids = [policy_id(row) for _, row in pareto.iterrows()]
    rows = {row[0]: row for row in cells(html) if row and row[0] in ids}
    assert set(rows) == set(ids)
    for _, policy in pareto.iterrows():
        row = rows[policy_id(policy)]
        assert row[1:4] == [format_number(float(policy[name])) for name in names]
        talent = row[4]
        if policy["levers.talent.enabled"]:
            assert talent == format_number(float(policy["levers.talent.recruits_per_year"]))
        else:
            assert talent == "off"
        assert row[6] == policy["levers.investment_financing.selection"]
    # best first on goal 1
    order = [row[0] for row in cells(html) if row and row[0] in ids]
    goal1 = pareto.set_index(pareto.apply(policy_id, axis=1))[names[0]]
    assert list(goal1[order]) == sorted(goal1, reverse=True)
    # the reforms table counts the packages that switch talent on
    talent_row = next(row for row in cells(html) if row[:1] == ["Economic-person growth (talent)"])
    assert talent_row[1] == f"{int(pareto['levers.talent.enabled'].sum())} / {len(pareto)}"


def test_the_hypervolume_table_is_the_folder_s_convergence(search_folder, reports) -> None:
    html = reports["search", "en"].read_text(encoding="utf-8")
    convergence = pd.read_csv(search_folder / "convergence.csv")
    rows = [row for row in cells(html) if len(row) == 4 and row[0] in ("1", "2")]
    assert [row[3] for row in rows] == [f"{hv:.4f}" for hv in convergence.hypervolume]
    assert [int(row[2]) for row in rows] == list(convergence.front_size)


def test_discovery_report_counts_the_runs_inside_and_outside_the_box(
    search_folder, reports
) -> None:
    cases = pd.read_csv(search_folder / "discovery" / "cases.csv")
    for kind in ("discovery", "search"):
        html = reports[kind, "en"].read_text(encoding="utf-8")
        table = {
            row[0]: row[1:]
            for row in cells(html)
            if row[:1] in (["In the box"], ["Outside the box"])
        }
        for label, inside in (("In the box", True), ("Outside the box", False)):
            part = cases[cases.in_box == inside]
            n_cases = int(part.of_interest.sum())
            assert table[label][:3] == [str(n_cases), str(len(part) - n_cases), str(len(part))]
    html = reports["discovery", "en"].read_text(encoding="utf-8")
    n_cases, n_runs = int(cases.of_interest.sum()), len(cases)
    assert f"{n_cases} of {n_runs} runs" in html
    assert "Scenario discovery (PRIM) on tiny_packages" in html


def test_chinese_search_and_discovery_reports(reports) -> None:
    if "zh" not in langs():
        pytest.skip("no CJK font here (`make browser` installs Debian's fonts-noto-cjk)")
    html = reports["search", "zh"].read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in html
    for words in (
        "政策搜索",
        "帕累托集：逐个目标",
        "目标两两之间的权衡",
        "收敛：各代的超体积",
        "情景发现",
        "剥离轨迹",
    ):
        assert words in html, words
    html = reports["discovery", "zh"].read_text(encoding="utf-8")
    assert "盒内与盒外的情形" in html and "次运行中有" in html


def test_restrictions_read_in_both_languages() -> None:
    number = pd.Series(
        {"input": "conditions.national_real_growth_pct", "value": float("nan"), "low": 6.0,
         "high": 7.5, "data_low": 6.0, "data_high": 11.0}
    )  # fmt: skip
    assert restriction_text(number, "en") == "National real growth at most 7.5"
    assert restriction_text(number, "zh") == "全国实际经济增长不超过 7.5"
    between = number.copy()
    between["low"] = 7.0
    assert restriction_text(between, "en") == "National real growth from 7 to 7.5"
    switch = pd.Series(
        {"input": "levers.talent.enabled", "value": "True", "low": 0.0, "high": 0.0,
         "data_low": 0.0, "data_high": 1.0}
    )  # fmt: skip
    assert restriction_text(switch, "en") == "Economic-person growth (talent) off"
    choice = switch.copy()
    choice["input"], choice["value"], choice["low"] = (
        "levers.investment_financing.selection",
        "young",
        1.0,
    )
    assert restriction_text(choice, "en").endswith("is young")


def test_best_first_and_scaled_turn_objectives_so_more_is_better() -> None:
    objectives = [{"name": "score", "sense": "max"}, {"name": "debt", "sense": "min"}]
    front = pd.DataFrame({"score": [50.0, 60.0, 60.0], "debt": [10.0, 30.0, 20.0]})
    ordered = best_first(front, objectives)
    assert list(ordered.debt) == [20.0, 30.0, 10.0]  # score 60 first, then less debt
    values = scaled(front, front, objectives)
    assert values[:, 0].tolist() == [0.0, 1.0, 1.0]
    assert values[:, 1].tolist() == [1.0, 0.0, 0.5]  # the least debt is the best


def test_an_unfinished_search_or_a_damaged_discovery_is_one_line(
    search_folder, tmp_path, capsys
) -> None:
    stopped = tmp_path / "stopped"
    stopped.mkdir()
    head = (search_folder / "search.json").read_text(encoding="utf-8")
    (stopped / "search.json").write_text(head.replace('"finished"', '"running"', 1))
    assert main(["report", str(stopped)]) == 2
    one_error_line(capsys, str(stopped), "has not finished", "--resume")
    assert not list(stopped.glob("*.html"))
    damaged = tmp_path / "damaged"
    shutil.copytree(search_folder / "discovery", damaged)
    (damaged / "box.csv").unlink()
    assert main(["report", str(damaged)]) == 2
    one_error_line(capsys, "box.csv", "cannot be read")


@needs_chromium
def test_search_and_discovery_reports_open_with_every_figure_loaded(reports) -> None:
    with browser_page() as page:
        for (kind, lang), path in reports.items():
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            sizes = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
            )
            assert len(sizes) >= (2 if kind == "discovery" else 6), (kind, lang, sizes)
            assert all(ok and w > 0 and h > 0 for ok, w, h in sizes), (kind, lang, sizes)
