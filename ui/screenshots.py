"""Screenshots of every page in both languages, for docs/screenshots/:

    .venv/bin/python -m ui.screenshots [OUT_DIR] [PAGE,PAGE,...]

Starts the app on a free loopback port, drives Debian's chromium, runs what each page runs
(the baseline, a comparison, a lesson, a small Morris screening, a small search) and saves
``<page>_<lang>.png`` (and the lab's map and distributions tab as ``lab_map_<lang>.png``,
``lab_distributions_<lang>.png``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ui.browser import ROOT, app_server, browser_page, distributions_panel, wait_idle

WAIT = 300_000
TEXT = {
    "en": {
        "run": "Run",
        "lesson_run": "Run with and without the reform",
        "up": "rises",
        "down": "falls",
        "morris": "Run a small Morris screening",
        "morris_run": "Run the screening",
        "search": "Run a small search",
        "search_run": "Run the search",
        "full_programme": "Full programme",
        "reform": "5. Heavy-industry transformation",
        "land_only": "Land capitalisation only",
        "zones": "Zones",
        "distributions": "Distributions",
        "step": "+1 year",
        "end": "To the end",
        "scenario": "Scenario",
        "stepwise": "Step by step",
    },
    "zh": {
        "run": "运行",
        "lesson_run": "运行有无改革两种情形",
        "up": "上升",
        "down": "下降",
        "morris": "运行小型 Morris 筛选",
        "morris_run": "运行筛选",
        "search": "运行小型搜索",
        "search_run": "运行搜索",
        "full_programme": "全部改革",
        "reform": "5. 重化工业转型",
        "land_only": "仅土地资本化改革",
        "zones": "功能区",
        "distributions": "分布",
        "step": "前进一年",
        "end": "运行到结束",
        "scenario": "情景",
        "stepwise": "逐季推进",
    },
}


def shoot(page, path: Path) -> None:
    wait_idle(page, WAIT)
    page.screenshot(path=str(path))
    print(path)


def lab(page, tx, out: Path) -> None:
    # the full programme, so that the cards show the change against no reform
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=tx["full_programme"], exact=True).click()
    wait_idle(page, WAIT)
    # one reform opened, to show its levers (the others' stay undrawn)
    page.get_by_text(tx["reform"]).first.click()
    page.locator('[data-testid="stSlider"]').first.wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    page.get_by_role("button", name=tx["run"], exact=True).click()
    # every seed's results, not the first seeds' cards: the charts come with them
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=WAIT)
    page.wait_for_timeout(800)  # the chart's own drawing
    shoot(page, out)
    page.get_by_role("tab", name=tx["zones"]).click()
    wait_idle(page, WAIT)
    page.wait_for_timeout(800)
    page.locator(
        '[data-testid="stVegaLiteChart"] >> visible=true'
    ).first.scroll_into_view_if_needed()
    shoot(page, out.with_name(out.stem.replace("lab", "lab_map") + ".png"))
    shots = out.with_name(out.stem.replace("lab", "lab_distributions") + ".png")
    shoot_distributions(page, tx["distributions"], shots)


def shoot_distributions(page, tab: str, path: Path) -> None:
    """The Distributions tab's charts and table, from its first widget to its last caption."""
    page.get_by_role("tab", name=tab).click()
    panel = distributions_panel(page)
    panel.locator('[data-testid="stVegaLiteChart"]').nth(3).wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    # the tab is taller than the window, and charts and tables outside it are not drawn
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3000})
    page.wait_for_timeout(1500)  # the charts' own drawing
    panel.screenshot(path=str(path))
    page.set_viewport_size(size)
    print(path)


def compare(page, tx, out: Path) -> None:
    page.get_by_role("button", name=tx["run"], exact=True).click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    shoot(page, out)


def classroom(page, tx, out: Path) -> None:
    radios = page.locator('[data-testid="stRadio"]')
    # language, pages and the lesson picker come first; then one prediction per question
    radios.nth(3).get_by_text(tx["up"], exact=True).click()
    wait_idle(page, WAIT)
    radios.nth(4).get_by_text(tx["down"], exact=True).click()
    wait_idle(page, WAIT)
    page.get_by_role("button", name=tx["lesson_run"]).click()
    page.locator(
        '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]'
    ).first.wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    shoot(page, out)
    page.get_by_role("tab", name=tx["stepwise"]).click()
    page.get_by_role("button", name=tx["step"]).click()
    page.locator('[data-testid="stMetricValue"]').get_by_text("2010Q4").wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    page.get_by_role("button", name=tx["end"]).click()
    page.locator('[data-testid="stMetricValue"]').get_by_text("2015Q4").wait_for(timeout=WAIT)
    shoot(page, out.with_name(out.stem.replace("classroom", "classroom_steps") + ".png"))


def sensitivity(page, tx, out: Path) -> None:
    page.get_by_text(tx["morris"]).click()
    wait_idle(page, WAIT)
    # the land reform's own levers: a screening that shows one reform's levers side by side
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=tx["land_only"], exact=True).click()
    wait_idle(page, WAIT)
    page.get_by_role("button", name=tx["morris_run"]).click()
    page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    page.get_by_text(tx["morris"]).click()  # fold the screening away: the results show
    wait_idle(page, WAIT)
    shoot(page, out)


def policy(page, tx, out: Path) -> None:
    """A small search with the page's own settings; it opens once it has finished."""
    page.get_by_text(tx["search"], exact=True).click()
    wait_idle(page, WAIT)
    page.get_by_role("button", name=tx["search_run"]).click()
    page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=WAIT)
    wait_idle(page, WAIT)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for(timeout=WAIT)
    page.wait_for_timeout(800)  # the chart's own drawing
    chart.scroll_into_view_if_needed()  # the Pareto set, below the search's form
    shoot(page, out)


PAGES = ["lab", "compare", "sensitivity", "policy", "classroom", "about"]


def main(out_dir: str = "docs/screenshots", pages: str = ",".join(PAGES)) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="ezhou-shots-"))
    # the screenings write into a results folder of their own, one for each language
    env = {"EZHOU_APP_RESULTS": str(work / "results")}
    with app_server(work / "streamlit.log", env=env) as url, browser_page(1440, 1300) as page:
        for lang, tx in TEXT.items():
            for name in [p for p in PAGES if p in pages.split(",")]:
                page.goto(f"{url}/?page={name}&lang={lang}")
                page.locator('[data-testid="stApp"]').wait_for(timeout=WAIT)
                wait_idle(page, WAIT)
                path = out / f"{name}_{lang}.png"
                if name == "lab":
                    lab(page, tx, path)
                elif name == "compare":
                    compare(page, tx, path)
                elif name == "classroom":
                    classroom(page, tx, path)
                elif name == "sensitivity":
                    sensitivity(page, tx, path)
                elif name == "policy":
                    policy(page, tx, path)
                else:
                    shoot(page, path)
    print(f"screenshots in {out} (app log: {work / 'streamlit.log'}, root {ROOT})")


if __name__ == "__main__":
    main(*sys.argv[1:])
