"""What every page shares: the language, the background pool, the scenario files and uploads,
and the polling of background jobs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from experiments.views import Job, RunCache, make_pool
from model.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_UPLOAD_BYTES = 256 * 1024  # a scenario file is a few kB; anything this big is a mistake
DEFAULT_SEEDS = 5
POLL_SECONDS = 1.0  # how often a long job is looked at
# how often the bar is redrawn while the page waits for a job: each redraw is work for the
# browser on the cores the runs need; the end of the job is still seen within 0.05 s
BAR_SECONDS = 0.5
# settings that ask for confirmation before they run
HEAVY_SCALE = 5  # at or below this scale
HEAVY_SEEDS = 20  # more seeds than this
HEAVY_SECONDS = 60.0  # or an estimated wall time above this


@st.cache_resource(show_spinner=False)
def pool():
    """One pool of worker processes for the whole server (``EZHOU_APP_POOL=threads`` for a
    pool of threads)."""
    kind = os.environ.get("EZHOU_APP_POOL", "processes")
    workers = int(os.environ.get("EZHOU_APP_WORKERS", "0")) or None
    return make_pool(workers, kind=kind)


@st.cache_resource(show_spinner=False)
def run_cache() -> RunCache:
    """Runs shared by every session of the server: a scenario and seed run once."""
    return RunCache()


def submit(slot: str, groups: dict, seeds: list[int]) -> None:
    """Start a background job in ``st.session_state[slot]``."""
    st.session_state[slot] = Job.submit(pool(), groups, seeds, cache=run_cache())


def workers() -> int:
    return getattr(pool(), "_max_workers", 1)


# ---------------------------------------------------------------------- scenarios
@st.cache_data(show_spinner=False)
def _file_scenario(path: str, mtime: float) -> tuple[Scenario | None, str | None]:
    try:
        return load_scenario(path), None
    except ScenarioError as exc:
        return None, str(exc)


def results_root() -> Path:
    """The folder the app lists results from and writes screenings to: ``results/`` in the
    repository, or ``EZHOU_APP_RESULTS``. Set where the server starts, never typed in the
    page, so a user sees only what lies under it."""
    return Path(os.environ.get("EZHOU_APP_RESULTS") or ROOT / "results")


def scenario_files() -> dict[str, Path]:
    """Scenario files in scenarios/, the baseline and the historical scenario first."""
    files = {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.toml"))}
    first = [k for k in ("baseline", "historical_2011_2020", "full_programme") if k in files]
    return {k: files[k] for k in first + [k for k in files if k not in first]}


def uploads() -> dict[str, Scenario]:
    return st.session_state.setdefault("uploads", {})


def scenario_names() -> list[str]:
    return list(scenario_files()) + [f"↑ {k}" for k in uploads()]


def get_scenario(name: str) -> tuple[Scenario | None, str | None]:
    """A scenario by the name the pages list: a file stem or an uploaded file."""
    if name.startswith("↑ "):
        sc = uploads().get(name[2:])
        return (sc, None) if sc else (None, f"{name}: no longer uploaded")
    path = scenario_files().get(name)
    if path is None:
        return None, f"{name}: no such scenario file"
    return _file_scenario(str(path), path.stat().st_mtime)


def read_upload(name: str, data: bytes) -> Scenario:
    """An uploaded scenario file, checked like ``ezhou validate``; any mistake raises
    :class:`ScenarioError` with one line naming the file, the key and what is allowed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(
            f"{name}: the file is {len(data) / 1024:,.0f} kB; allowed: a scenario file of at "
            f"most {MAX_UPLOAD_BYTES // 1024} kB"
        )
    if not name.lower().endswith(".toml"):
        raise ScenarioError(f"{name}: not a .toml file; allowed: a scenario file (TOML)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(
            f"{name}: not a UTF-8 text file; allowed: a scenario file (TOML)"
        ) from None
    return parse_scenario(text, name)


def upload_box(key: str) -> str | None:
    """A file uploader for scenarios; returns the list name of a newly accepted upload and
    shows a one-line error for a bad one (the page goes on working)."""
    f = st.file_uploader(t("upload"), type=None, key=key, help=t("upload_help"))
    if f is None:
        return None
    seen = st.session_state.setdefault("upload_seen", {})
    if seen.get(key) == f.file_id:
        err = st.session_state.get(f"upload_error_{key}")
        if err:
            st.error(err, icon="⚠️")
        return None
    seen[key] = f.file_id
    st.session_state[f"upload_error_{key}"] = None
    try:
        sc = read_upload(f.name, f.getvalue())
    except ScenarioError as exc:
        st.session_state[f"upload_error_{key}"] = t("upload_error", error=str(exc))
        st.error(st.session_state[f"upload_error_{key}"], icon="⚠️")
        return None
    stem = Path(f.name).stem
    uploads()[stem] = sc
    st.success(t("upload_ok", name=f.name))
    return f"↑ {stem}"


# ---------------------------------------------------------------------- jobs
def busy(slot: str) -> bool:
    """A job in ``slot`` is still running."""
    job = st.session_state.get(slot)
    return job is not None and not job.finished


def job_panel(slot: str) -> Job | None:
    """While the job in ``st.session_state[slot]`` runs: its progress and a cancel button.
    Returns the job once it has finished (and forgets it).

    The page waits for a job up to ``EZHOU_APP_BLOCK`` seconds (30 by default), updating
    only the progress bar: the cheapest way for the server and the browser, so a default run
    shows its results as soon as it ends. A longer job is then polled every POLL_SECONDS
    without holding the page. A click on Cancel (or any widget) interrupts the wait; the
    next run of the page sees the click.

    The Run button, Cancel and the bar were drawn while the job ran, so once it ends the page
    is run again from the top: drawn anew, the Run button is enabled, and neither Cancel nor
    the bar is left beside the results.
    """
    job: Job | None = st.session_state.get(slot)
    if job is None:
        return None
    if not job.finished:
        cancel = st.button(t("cancel"), key=f"cancel_{slot}")
        if cancel:
            job.cancel()
        if getattr(job, "polled", False) and not cancel:
            _poll(job)
            return None
        bar = st.empty()
        until = time.perf_counter() + float(os.environ.get("EZHOU_APP_BLOCK", "30"))
        drawn = 0.0
        while not job.finished and time.perf_counter() < until:
            if time.perf_counter() - drawn >= BAR_SECONDS:
                bar.progress(job.progress(), text=_running(job))
                drawn = time.perf_counter()
            time.sleep(0.05)
        if not job.finished:
            job.polled = True
        st.rerun()
    st.session_state[slot] = None
    return job


def _running(job: Job) -> str:
    return t("running", done=job.runs_done, total=job.total_runs, seconds=job.seconds)


def _poll(job: Job) -> None:
    @st.fragment(run_every=POLL_SECONDS)
    def poll() -> None:
        if job.finished:
            st.rerun(scope="app")
        st.progress(job.progress(), text=_running(job))

    poll()


def harvest(job: Job) -> tuple[dict | None, str | None]:
    """Results of a finished job, or the message to show instead."""
    if job.cancelled:
        job.close()
        return None, t("cancelled")
    err = job.error()
    if err:
        job.close()
        return None, t("run_failed", error=err)
    return job.results(), None
