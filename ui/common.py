"""What every page shares: the language, the background pool, the scenario files and uploads,
and the polling of background jobs."""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from experiments.views.plans import default_workers
from model.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from ui.i18n import t

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from experiments.views.runs import Job, RunCache

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_UPLOAD_BYTES = 256 * 1024  # a scenario file is a few kB; anything this big is a mistake
DEFAULT_SEEDS = 5
# a job's progress bar is redrawn this often: each redraw is work for the browser on the
# cores the runs need
BAR_SECONDS = 0.5
TICK_SECONDS = 0.25  # a running job's fragment starts to wait this long after the page
# settings that ask for confirmation before they run
HEAVY_SCALE = 5  # at or below this scale
HEAVY_SEEDS = 20  # more seeds than this
HEAVY_SECONDS = 60.0  # or an estimated wall time above this


# a moment after the server's first page is drawn, the warm-up imports what runs and results
# need and starts the workers: before, they would take the cores the browser draws it with
WARM_UP_AFTER_SECONDS = 2.0
_server_lock = threading.Lock()
_server: dict[str, Any] = {}  # the server's pool of workers and whether it is warming up


def pool() -> Executor:
    """One pool of worker processes for the whole server (``EZHOU_APP_POOL=threads`` for a
    pool of threads), started by the warm-up or by the first job, whichever comes first."""
    with _server_lock:
        if "pool" not in _server:
            from experiments.views.runs import make_pool

            kind = os.environ.get("EZHOU_APP_POOL", "processes")
            _server["pool"] = make_pool(workers(), kind=kind)
        return _server["pool"]


def warm_up_later(modules: Sequence[str]) -> None:
    """Once per server, WARM_UP_AFTER_SECONDS from now (after the page run that calls it):
    import ``modules`` and start the pool, in a thread of their own. A page's settings are
    drawn without the model, pandas or Altair, so the first page comes sooner, and the first
    run or results do not wait for them."""
    with _server_lock:
        if _server.get("warming"):
            return
        _server["warming"] = True
    timer = threading.Timer(WARM_UP_AFTER_SECONDS, _warm_up, args=(tuple(modules),))
    timer.daemon = True  # never holds the server up when it stops
    timer.start()


def _warm_up(modules: tuple[str, ...]) -> None:
    try:
        for name in modules:
            importlib.import_module(name)
        pool()
    except RuntimeError:
        # a server stopped while it warmed up (a pool can no longer be started once the
        # interpreter shuts down): there is nothing left to warm
        if not _stopping():
            raise


def _stopping() -> bool:
    """Whether the server is stopping: Streamlit's runtime stopping or stopped, or the main
    thread ended."""
    from streamlit import runtime
    from streamlit.runtime import RuntimeState

    if runtime.exists() and runtime.get_instance().state in (
        RuntimeState.STOPPING,
        RuntimeState.STOPPED,
    ):
        return True
    return not threading.main_thread().is_alive()


@st.cache_resource(show_spinner=False)
def run_cache() -> RunCache:
    """Runs shared by every session of the server: a scenario and seed run once."""
    from experiments.views.runs import RunCache

    return RunCache()


def submit(slot: str, groups: dict, seeds: list[int]) -> None:
    """Start a background job in ``st.session_state[slot]``."""
    from experiments.views.runs import Job

    st.session_state[slot] = Job.submit(pool(), groups, seeds, cache=run_cache())


def workers() -> int:
    """The pool's workers, known without starting it."""
    return int(os.environ.get("EZHOU_APP_WORKERS", "0")) or default_workers()


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


# ---------------------------------------------------------------------- results' widgets
def lasting(draw: Callable, label: str, options: Sequence, key: str, default: Any, **kwargs) -> Any:
    """A choice (``draw`` is ``st.selectbox``, ``st.select_slider``, ``st.radio`` or a
    column's) that outlasts the page runs that do not draw it: while a job runs the results
    are hidden, the lab draws one section of its settings at a time, and Streamlit forgets
    the state of a widget a finished page run did not draw. The choice is kept aside under
    another key and given back, if it is still one of ``options``; else ``default``."""
    kept = st.session_state.get(key, st.session_state.get(f"kept|{key}"))
    st.session_state[key] = kept if kept in options else default
    value = draw(label, options, key=key, **kwargs)
    st.session_state[f"kept|{key}"] = value
    return value


# ---------------------------------------------------------------------- jobs
def busy(slot: str) -> bool:
    """A job in ``slot`` is still running."""
    job = st.session_state.get(slot)
    return job is not None and not job.finished


def job_panel(slot: str, live: Callable[[Job], None] | None = None) -> Job | None:
    """While the job in ``st.session_state[slot]`` runs: its progress, a cancel button and,
    if ``live`` is given, what ``live(job)`` draws from the runs done so far (the lab's goal
    cards from the first seeds). Returns the job once it has finished (and forgets it).

    The page run itself does not wait, so it ends at once: the previous results leave the
    screen. A fragment then waits for the job: it redraws the bar every BAR_SECONDS and
    ``live`` when another seed is done, and runs the whole page again when the job ends (the
    results are seen within 0.05 s). A click on any widget (Cancel too) interrupts the wait.
    """
    job: Job | None = st.session_state.get(slot)
    if job is None:
        return None
    if job.finished:
        st.session_state[slot] = None
        return job
    if st.button(t("cancel"), key=f"cancel_{slot}"):
        job.cancel()
    _watch(job, live)
    return None


def _running(job: Job) -> str:
    return t("running", done=job.runs_done, total=job.total_runs, seconds=job.seconds)


def _watch(job: Job, live: Callable[[Job], None] | None) -> None:
    in_page_run = [True]  # the fragment's first call is part of the page's run

    # Streamlit runs the fragment again after TICK_SECONDS; those runs (unlike a click)
    # never interrupt a run in progress, so the wait below holds one of them until the end
    @st.fragment(run_every=TICK_SECONDS)
    def watch() -> None:
        bar, shown = st.empty(), st.empty()
        seeds_shown = -1
        drawn = 0.0
        while True:
            if job.finished:
                st.rerun(scope="app")
            if time.perf_counter() - drawn >= BAR_SECONDS:
                bar.progress(job.progress(), text=_running(job))
                drawn = time.perf_counter()
            seeds_done = len(job.seeds_done())
            if live is not None and not job.cancelled and seeds_done != seeds_shown:
                seeds_shown = seeds_done
                with shown.container():
                    live(job)
            if in_page_run[0]:
                in_page_run[0] = False
                return
            time.sleep(0.05)

    watch()


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
