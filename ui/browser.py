"""The app in a real browser: start ``streamlit run app.py`` on a free loopback port and drive
Debian's chromium with Playwright. Used by the browser tests and by ``python -m ui.screenshots``.

Playwright never downloads a browser here: it is given chromium's path (``make browser``
installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium, or the one named by ``EZHOU_CHROMIUM``."""
    return os.environ.get("EZHOU_CHROMIUM") or shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(log: Path, timeout: float = 90.0, env: dict | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on 127.0.0.1 and a free port, with ``env`` added to its
    environment; yields its address."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        try:
            t0 = time.monotonic()
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() - t0 > timeout:
                    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000):
    """A Playwright page in headless Debian chromium (downloads allowed)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium not found: `make browser` installs Debian's package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


# JavaScript: true when no job's progress bar is on the page (its text is the app's
# "running" line, in English or Chinese; the classroom's step-by-step bar is not a job)
NO_JOB_RUNNING = """![...document.querySelectorAll('[data-testid="stProgress"]')].some(
            (b) => /Running:|运行中/.test(b.innerText))"""


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the current script run and no job is running (a
    job's progress bar stays between the runs of the fragment that waits for it)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        f"""() => !/Running|Stop/.test(
            document.querySelector('[data-testid="stStatusWidget"]')?.innerText ?? "")
            && {NO_JOB_RUNNING}""",
        timeout=timeout,
    )
    page.wait_for_timeout(300)


def ready_after_run(page, run_label: str) -> dict:
    """What a page shows once a run's results are in: whether its Run button is enabled,
    how many progress bars and Cancel buttons are visible."""
    run = page.get_by_role("button", name=run_label, exact=True)
    return {
        "run_enabled": run.is_enabled(),
        "progress_bars": page.locator('[data-testid="stProgress"] >> visible=true').count(),
        "cancel_buttons": page.get_by_role("button", name="Cancel").count()
        + page.get_by_role("button", name="取消").count(),
    }


def distributions_panel(page):
    """The lab's results tab that is showing and holds charts (the settings' tabs hold none)."""
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    return page.locator('[role="tabpanel"] >> visible=true').filter(has=charts).last


def cards_text(page) -> str:
    """The goal cards' text as shown (empty before any run)."""
    return "|".join(page.locator('[data-testid="stMetric"]').all_inner_texts())


def click_to_cards(page, run_label: str = "Run", timeout: float = 120_000) -> tuple[float, float]:
    """Click the lab's Run button; seconds until three goal cards other than those shown
    before the click (the first seeds' cards while the others run), and until the results of
    every seed (their line says "N seeds, ... finished in", no job's bar is left)."""
    before = cards_text(page)
    t0 = time.perf_counter()
    page.get_by_role("button", name=run_label, exact=True).click()
    page.wait_for_function(
        """(before) => {
            const cards = [...document.querySelectorAll('[data-testid="stMetric"]')];
            return cards.length === 3 && cards.map((c) => c.innerText).join("|") !== before;
        }""",
        arg=before,
        timeout=timeout,
    )
    first = time.perf_counter() - t0
    page.wait_for_function(
        rf"""() => {NO_JOB_RUNNING}
            && /\d+ seeds, scale \d+, \d+-\d+; finished in/.test(document.body.innerText)""",
        timeout=timeout,
    )
    return first, time.perf_counter() - t0
