"""The Policy design page end to end in headless Debian chromium, in English and in Chinese:
open the example search in the results folder, narrow its Pareto set with an objective's
slider, download the package picked as a scenario file (which `ezhou validate` accepts),
upload it in the Scenario lab and run it; the discovery beside it opens too; no warnings in
the server's log.

The example is made by the test, not shipped: a search of the model small enough to run in
seconds (tests/policy_examples.py) and a discovery on its runs, in a
results folder of the test's own (``EZHOU_APP_RESULTS``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from policy_examples import search_with_discovery
from test_browser_app import WAIT_MS, assert_quiet_log

from experiments.cli import main
from model.scenario import load_scenario
from ui.browser import app_server, browser_page, chromium_path, wait_idle

pytestmark = pytest.mark.skipif(
    chromium_path() is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (`make browser`); CI installs it",
)

WORDS = {
    "en": {
        "title": "Policy design",
        "folder": "Results folder",
        "at_least": "at least",
        "kept": r"(\d+) of (\d+) packages",
        "download": "Download the scenario",
        "lab": "Scenario lab",
        "upload": "Upload a scenario file",
        "valid": "is valid",
        "run": "Run",
        "discovery": r"\d+ of \d+ runs \(\d+%\) have",
    },
    "zh": {
        "title": "政策设计",
        "folder": "结果文件夹",
        "at_least": "至少",
        "kept": r"(\d+) 个组合中有 (\d+) 个",
        "download": "下载情景文件",
        "lab": "情景实验室",
        "upload": "上传情景文件",
        "valid": "有效",
        "run": "运行",
        "discovery": r"\d+ 次运行中有 \d+ 次",
    },
}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser_policy") / "results"
    search_with_discovery(root)
    return root


def kept_count(page, lang: str) -> tuple[int, int]:
    """(packages kept, packages in the Pareto set) as the page says."""
    text = page.get_by_text(re.compile(WORDS[lang]["kept"])).first.inner_text()
    first, second = map(int, re.search(WORDS[lang]["kept"], text).groups())
    return (first, second) if lang == "en" else (second, first)


def download(page, button, folder: Path, tries: int = 3) -> Path:
    """Click a download button and save the file; a fetch cancelled because a late run of the
    page replaced the file under it (Streamlit drops a file a run has not served yet; CI saw
    it once even after the waits above) is clicked again, as a user would."""
    for attempt in range(tries):
        with page.expect_download(timeout=WAIT_MS) as started:
            button.click()
        path = folder / started.value.suggested_filename
        try:
            started.value.save_as(path)
            return path
        except PlaywrightError as error:
            if "canceled" not in str(error) or attempt == tries - 1:
                raise
            wait_idle(page, WAIT_MS)
    raise AssertionError("unreachable")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_open_filter_download_and_run_a_package_in_the_lab(results, tmp_path, lang) -> None:
    words = WORDS[lang]
    log = tmp_path / "streamlit.log"
    with (
        app_server(log, env={"EZHOU_APP_RESULTS": str(results)}) as url,
        browser_page(1400, 1300) as page,
    ):
        page.goto(f"{url}/?page=policy&lang={lang}")
        page.get_by_role("heading", name=words["title"]).wait_for(timeout=WAIT_MS)
        wait_idle(page, WAIT_MS)
        kept, total = kept_count(page, lang)
        assert kept == total > 1
        page.screenshot(path=tmp_path / f"policy_{lang}.png", full_page=True)

        # narrow the Pareto set: goal 1 at least a few steps above its lowest value
        slider = page.locator('[data-testid="stSlider"]').filter(has_text=words["at_least"]).first
        thumb = slider.get_by_role("slider")
        thumb.focus()
        for _ in range(12):
            thumb.press("ArrowRight")
        for _ in range(WAIT_MS // 250):  # the page runs again with the new limit
            wait_idle(page, WAIT_MS)
            if kept_count(page, lang)[0] < total:
                break
            page.wait_for_timeout(250)
        # the last key presses may still be running the page, each run serving the download
        # anew (a file being fetched when a run replaces it is cancelled): wait until what
        # the page shows stays the same over three quiet looks
        download_label = re.compile(words["download"])
        seen, same = None, 0
        for _ in range(WAIT_MS // 300):
            wait_idle(page, WAIT_MS)
            label = page.get_by_role("button", name=download_label).inner_text()
            now = (kept_count(page, lang), label)
            same = same + 1 if now == seen else 0
            seen = now
            if same == 2:
                break
            page.wait_for_timeout(300)
        narrowed, total_again = kept_count(page, lang)
        assert total_again == total and 0 < narrowed < total, (narrowed, total)

        # the package picked, as a scenario file
        path = download(page, page.get_by_role("button", name=download_label), tmp_path)
        assert path.name.startswith("tiny_packages_") and path.suffix == ".toml"
        assert main(["validate", str(path)]) == 0
        scenario = load_scenario(path)
        assert (scenario.run.end_year, scenario.run.scale) == (2011, 1000)

        # run it in the lab: upload, then Run
        page.goto(f"{url}/?page=lab&lang={lang}")
        page.get_by_role("heading", name=words["lab"]).wait_for(timeout=WAIT_MS)
        wait_idle(page, WAIT_MS)
        page.get_by_text(words["upload"]).first.click()
        page.locator('input[type="file"]').first.set_input_files(str(path))
        page.get_by_text(re.compile(words["valid"])).first.wait_for(timeout=WAIT_MS)
        wait_idle(page, WAIT_MS)
        page.get_by_role("button", name=words["run"], exact=True).click()
        page.locator('[data-testid="stMetric"]').nth(2).wait_for(timeout=WAIT_MS)
        wait_idle(page, WAIT_MS)
        assert page.get_by_text(path.stem).count() > 0  # the results are the package's
        page.screenshot(path=tmp_path / f"lab_package_{lang}.png", full_page=True)

        # the discovery on the search's runs opens too
        page.goto(f"{url}/?page=policy&lang={lang}")
        page.get_by_role("heading", name=words["title"]).wait_for(timeout=WAIT_MS)
        wait_idle(page, WAIT_MS)
        page.locator('[data-testid="stSelectbox"]').filter(has_text=words["folder"]).click()
        page.get_by_role("option", name=re.compile("ezhou discover")).click()
        wait_idle(page, WAIT_MS)
        page.get_by_text(re.compile(words["discovery"])).first.wait_for(timeout=WAIT_MS)
        wait_idle(page, WAIT_MS)
        page.screenshot(path=tmp_path / f"policy_discovery_{lang}.png", full_page=True)
    assert_quiet_log(log)
