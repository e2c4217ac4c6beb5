"""A user's steps in Streamlit's AppTest: open a page, wait for its background job, and set
the lab's settings as a user sets them. The lab draws one tab of its settings (reforms,
outside world, seeds and scale) and, of the reforms, only those opened, so a test opens the
tab, or the reform, before it sets their widgets."""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from model.reforms import REFORMS
from ui.i18n import STRINGS

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def start(page: str = "lab", lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["page"] = page
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def wait(at: AppTest, slot: str = "lab_job", timeout: float = 240) -> AppTest:
    """Let the background job in ``slot`` finish, then rerun the page to show it."""
    job = at.session_state[slot]
    if job is None:  # finished and shown already (runs taken from the cache)
        return at
    t0 = time.perf_counter()
    while not job.finished:
        assert time.perf_counter() - t0 < timeout, "background job did not finish"
        time.sleep(0.05)
    at.run()
    assert not at.exception, at.exception
    return at


def open_section(at: AppTest, section: str, lang: str = "en") -> AppTest:
    """Open the settings' tab ``section`` (``levers``, ``conditions``, ``run_settings``): a
    click on a tab sends its label."""
    at.session_state["lab_section"] = STRINGS[section][0 if lang == "en" else 1]
    return at.run()


def open_reform(at: AppTest, key: str, lang: str = "en") -> AppTest:
    """Open reform ``key`` on the reforms' tab, as a click on its title does: AppTest cannot
    click an expander, so the reform joins those the page keeps open."""
    at.session_state["lab_section"] = STRINGS["levers"][0 if lang == "en" else 1]
    opened = (
        at.session_state["lab_open_reforms"] if "lab_open_reforms" in at.session_state else set()
    )
    at.session_state["lab_open_reforms"] = set(opened) | {key}
    return at.run()


def reform_title(at: AppTest, key: str) -> str:
    """The title of reform ``key``'s expander as shown."""
    number = [cls.key for cls in REFORMS].index(key) + 1
    return next(e.label for e in at.expander if f" {number}. " in e.label)


def seeds_box(at: AppTest):
    """The number of seeds, its tab opened first if need be."""
    boxes = [n for n in at.number_input if n.key and n.key.endswith("|nseeds")]
    if not boxes:
        open_section(at, "run_settings")
        boxes = [n for n in at.number_input if n.key and n.key.endswith("|nseeds")]
    return boxes[0]
