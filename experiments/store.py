"""The batch engine: runs tasks on an executor and streams their tables to Parquet parts.

A results folder holds::

    DIR/manifest.json        spec hash, package versions, git commit, each run's state
    DIR/design.csv           run_id, point_id, seed and factor values of every run
    DIR/runs/<table>/part-NNNNNN.parquet
                             rows of finished runs, with run_id, point_id, seed and the
                             factor values beside each table's own columns
    DIR/summary.csv          per design point and year: runs, mean, sd, q05, q95 of each
                             indicator of the annual table (long format)

How a part is written, so that a kill at any moment (even ``kill -9``) loses nothing that was
reported done and duplicates nothing:

- finished runs wait in a small buffer and are written together every ``part_seconds``;
- every table of a part goes to a hidden temporary file first, is flushed to disk, then
  renamed into place (``os.replace`` is atomic); the ``annual`` file is renamed last, so it
  marks the part complete;
- on ``resume`` the folder is scanned: temporary files are deleted, a part whose annual file is
  missing or any of whose files cannot be read is deleted whole, and a run is done exactly when
  it is in a complete part. Everything else runs again, with the seed it had.

Memory stays flat in the number of runs: at most a few calls per worker are in flight, the
buffer is written every few seconds, and the summary is computed over blocks of design points.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.errors import UserError
from experiments.executors import ExecutorError, check_options, open_pool
from experiments.runner import git_commit, package_versions

ID_COLUMNS = ("run_id", "point_id", "seed")
MARKER = "annual"  # every run returns it; its file is renamed last and marks a part complete
PENDING, DONE, FAILED = 0, 1, 2
STATES = {PENDING: "pending", DONE: "done", FAILED: "failed"}
SUMMARY_STATS = ("mean", "sd", "q05", "q95")


@dataclass(frozen=True)
class Task:
    """One run of a design: what the work function needs, and its place in the results."""

    run_id: int  # 0..n-1, the order of the design
    point_id: int  # design point
    seed: int  # stored with the run
    factors: dict  # factor name -> value (JSON-able scalars)
    payload: Any = None  # anything picklable the work function needs


@dataclass
class BatchOutcome:
    out: Path
    n_runs: int
    n_done: int  # in the folder, this session's and earlier ones'
    n_failed: int
    failures: list[tuple[int, int, str]]  # (run_id, seed, error), in run order
    n_ran: int = 0  # runs finished (done or failed) in this session
    wall_seconds: float = 0.0
    executor: str = ""


# ---------------------------------------------------------------------------- on the worker


@dataclass
class RunOutcome:
    run_id: int
    tables: dict[str, pd.DataFrame] | None
    error: str | None
    seconds: float


def with_ids(frame: pd.DataFrame, task: Task) -> pd.DataFrame:
    """The frame with run_id, point_id, seed and the factor values as its first columns
    (replacing columns of the same names the work function may have put there)."""
    ids = {"run_id": task.run_id, "point_id": task.point_id, "seed": task.seed, **task.factors}
    head = pd.DataFrame(ids, index=frame.index)
    body = frame.drop(columns=[c for c in ids if c in frame.columns])
    return pd.concat([head, body], axis=1)


def error_line(exc: BaseException) -> str:
    """An exception as one line: its type, message and where in the code it was raised."""
    msg = " ".join(str(exc).split()) or "(no message)"
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" [{Path(tb[-1].filename).name}:{tb[-1].lineno}]" if tb else ""
    return f"{type(exc).__name__}: {msg}{where}"


def run_chunk(
    work: Callable[[Task], dict[str, pd.DataFrame]], tasks: Sequence[Task]
) -> list[RunOutcome]:
    """Run a few tasks in a row on a worker; a task that raises is reported, not fatal."""
    results = []
    for task in tasks:
        t0 = time.perf_counter()
        try:
            tables = work(task)
            if not isinstance(tables, dict) or not isinstance(tables.get(MARKER), pd.DataFrame):
                raise TypeError(f"the work function returned no {MARKER!r} table")
            tables = {name: with_ids(df, task) for name, df in tables.items()}
            results.append(RunOutcome(task.run_id, tables, None, time.perf_counter() - t0))
        except Exception as exc:  # noqa: BLE001 - recorded with the run; the batch goes on
            results.append(RunOutcome(task.run_id, None, error_line(exc), time.perf_counter() - t0))
    return results


# ---------------------------------------------------------------------------- parts on disk


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class PartStore:
    """The Parquet parts under ``DIR/runs/``: written atomically, scanned on resume."""

    def __init__(self, out: Path) -> None:
        self.root = Path(out) / "runs"
        self.next_part = 0

    def files(self, table: str) -> list[Path]:
        folder = self.root / table
        return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []

    def tables(self) -> list[str]:
        if not self.root.is_dir():
            return []
        names = sorted(p.name for p in self.root.iterdir() if p.is_dir())
        return [MARKER] + [n for n in names if n != MARKER] if MARKER in names else names

    def scan(self) -> dict[int, int]:
        """Clean the folder after a stop and return the done runs: run_id -> part number.

        Deletes temporary files, parts without their marker, and parts any of whose files
        cannot be read (their runs are then not done and run again)."""
        for tmp in self.root.glob("*/.*.tmp") if self.root.is_dir() else []:
            tmp.unlink()
        numbers: dict[int, list[Path]] = {}
        for table in self.tables():
            for f in self.files(table):
                numbers.setdefault(int(f.stem.split("-")[1]), []).append(f)
        done: dict[int, int] = {}
        for number, files in sorted(numbers.items()):
            marker = self.root / MARKER / f"part-{number:06d}.parquet"
            runs = self._runs_in(marker) if marker in files else None
            if runs is None or not all(self._readable(f) for f in files):
                for f in files:
                    f.unlink()
                continue
            for run_id in runs:
                if run_id in done:  # cannot happen through this engine; never count twice
                    raise UserError(
                        f"{self.root}: run {run_id} is in parts {done[run_id]} and {number}; "
                        "the folder was changed by hand"
                    )
                done[run_id] = number
        self.next_part = max(numbers, default=-1) + 1
        return done

    @staticmethod
    def _readable(path: Path) -> bool:
        try:
            pq.ParquetFile(path).metadata  # noqa: B018 - reading the footer is the check
            return True
        except (OSError, pa.ArrowException):
            return False

    @staticmethod
    def _runs_in(marker: Path) -> list[int] | None:
        try:
            col = pq.read_table(marker, columns=["run_id"]).column("run_id")
            return sorted(set(col.to_pylist()))
        except (OSError, pa.ArrowException, KeyError):
            return None

    def write(self, frames: dict[str, list[pd.DataFrame]]) -> int:
        """Write one part holding the given frames of each table; the marker goes last."""
        number = self.next_part
        self.next_part += 1
        staged = []
        for table in sorted(frames, key=lambda t: t == MARKER):
            folder = self.root / table
            folder.mkdir(parents=True, exist_ok=True)
            final = folder / f"part-{number:06d}.parquet"
            tmp = folder / f".{final.name}.tmp"
            data = pd.concat(frames[table], ignore_index=True)
            pq.write_table(pa.Table.from_pandas(data, preserve_index=False), tmp)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            staged.append((tmp, final))
        for tmp, final in staged:
            os.replace(tmp, final)
        return number


# ---------------------------------------------------------------------------- manifest


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _versions() -> dict[str, str]:
    out = package_versions()
    for name in ("dask", "distributed"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


class Manifest:
    """DIR/manifest.json: what the batch is, where it ran, and each run's state."""

    def __init__(self, out: Path, tasks: Sequence[Task], fingerprint: str, meta: dict) -> None:
        self.path = Path(out) / "manifest.json"
        self.tasks = tasks
        self.state = np.zeros(len(tasks), dtype=np.int8)
        self.errors: dict[int, str] = {}
        self.head: dict[str, Any] = {
            "kind": "batch",
            **meta,
            "fingerprint": fingerprint,
            "created": _now(),
            "versions": _versions(),
            "git_commit": git_commit(),
            "sessions": [],
        }
        self.last_write = 0.0
        self.write_seconds = 0.0

    def load_previous(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise UserError(f"{self.path}: cannot be read ({exc}); not a batch folder?") from None

    def mark(self, run_id: int, state: int, error: str | None = None) -> None:
        self.state[run_id] = state
        if error is None:
            self.errors.pop(run_id, None)
        else:
            self.errors[run_id] = error

    def failures(self) -> list[tuple[int, int, str]]:
        return [(r, self.tasks[r].seed, e) for r, e in sorted(self.errors.items())]

    def write(self, force: bool = False) -> None:
        """Rewrite the manifest (atomically); throttled unless ``force``, so that a long
        batch does not spend its time rewriting the state of every run."""
        now = time.monotonic()
        if not force and now - self.last_write < max(5.0, 20 * self.write_seconds):
            return
        n_done = int((self.state == DONE).sum())
        n_failed = int((self.state == FAILED).sum())
        body = {
            **self.head,
            "updated": _now(),
            "n_runs": len(self.tasks),
            "n_done": n_done,
            "n_failed": n_failed,
            "n_pending": len(self.tasks) - n_done - n_failed,
            "runs": [
                {"run_id": t.run_id, "point_id": t.point_id, "seed": t.seed}
                | {"state": STATES[int(self.state[i])]}
                | ({"error": self.errors[i]} if i in self.errors else {})
                for i, t in enumerate(self.tasks)
            ],
        }
        t0 = time.monotonic()
        _atomic_write_text(self.path, json.dumps(body, indent=1, default=str) + "\n")
        self.write_seconds = time.monotonic() - t0
        self.last_write = time.monotonic()


def write_design(out: Path, tasks: Sequence[Task], block: int = 10_000) -> None:
    """DIR/design.csv: every run's ids, seed and factor values, in run order."""
    path = Path(out) / "design.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        for i in range(0, len(tasks), block):
            rows = [
                {"run_id": t.run_id, "point_id": t.point_id, "seed": t.seed, **t.factors}
                for t in tasks[i : i + block]
            ]
            pd.DataFrame(rows).to_csv(f, index=False, header=i == 0, float_format="%.10g")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- progress


class Progress:
    """Runs done, failures and time left, on stderr: a bar on a terminal, else log lines."""

    def __init__(self, total: int, already: int, quiet: bool, stream=None) -> None:
        self.total, self.already = total, already
        self.stream = stream or sys.stderr
        self.bar = not quiet and self.stream.isatty()
        self.t0 = time.monotonic()
        self.first: tuple[float, int] | None = None  # (time, runs finished) at the first result
        self.last = -math.inf
        self.every = 0.1 if self.bar else (30.0 if quiet else 10.0)

    def __call__(self, done: int, failed: int, final: bool = False) -> None:
        now = time.monotonic()
        finished = done + failed
        if self.first is None and finished > self.already:
            self.first = (now, finished)  # the rate is taken from here: pools start slowly
        if not final and now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.t0
        left = self.total - finished
        eta = "-"
        if not left:
            eta = "0:00"
        elif self.first is not None and finished > self.first[1]:
            eta = _clock((now - self.first[0]) / (finished - self.first[1]) * left)
        fail = f", {failed} failed" if failed else ""
        if self.bar:
            width = 28
            filled = int(width * (done + failed) / max(1, self.total))
            line = (
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {done + failed}/{self.total} runs"
                f"{fail}  {_clock(elapsed)} elapsed, ETA {eta} "
            )
            print(line, end="\n" if final else "", file=self.stream, flush=True)
        else:
            stamp = datetime.now().strftime("%H:%M:%S")
            print(
                f"{stamp} batch: {done + failed}/{self.total} runs{fail}, "
                f"{_clock(elapsed)} elapsed, ETA {eta}",
                file=self.stream,
                flush=True,
            )


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


# ---------------------------------------------------------------------------- the engine


@dataclass
class _Buffer:
    frames: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    runs: list[int] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def add(self, outcome: RunOutcome) -> None:
        if not self.runs:
            self.since = time.monotonic()
        for name, frame in (outcome.tables or {}).items():
            self.frames.setdefault(name, []).append(frame)
        self.runs.append(outcome.run_id)


def _check_folder(out: Path, manifest: Manifest, fingerprint: str, resume: bool) -> None:
    """Check the folder against the batch asked for (reading only); refuse to mix batches."""
    previous = manifest.load_previous()
    if previous is not None and not resume:
        raise UserError(
            f"{out} already holds a batch: continue it with --resume, or choose another --out"
        )
    if previous is None and (out / "runs").is_dir() and any((out / "runs").iterdir()):
        raise UserError(f"{out}: has runs/ but no manifest.json; not a folder this engine wrote")
    if previous is not None:
        if previous.get("fingerprint") != fingerprint:
            old = str(previous.get("fingerprint"))[:12]
            raise UserError(
                f"{out} holds a batch of a different spec (hash {old}, this spec "
                f"{fingerprint[:12]}): resume with the spec it was started with, "
                "or choose another --out"
            )
        manifest.head["created"] = previous.get("created", manifest.head["created"])
        manifest.head["sessions"] = list(previous.get("sessions", []))


def execute(
    tasks: Sequence[Task],
    work: Callable[[Task], dict[str, pd.DataFrame]],
    out: Path,
    *,
    fingerprint: str,
    meta: dict,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: Path | None = None,
    resume: bool = False,
    quiet: bool = False,
    summary: bool = True,
    part_seconds: float = 2.0,
    host: str = "127.0.0.1",
    progress: Callable[[int, int, bool], None] | None = None,
) -> BatchOutcome:
    """Run every task not yet done in ``out`` and stream its tables to Parquet parts.

    ``work`` is a module-level function (so that it can be sent to other processes) taking a
    :class:`Task` and returning tables by name, at least ``"annual"``; a task that raises is
    recorded with its error and seed, and the batch goes on. ``fingerprint`` identifies what
    is being run: resuming a folder started with another one is refused. ``meta`` goes into
    the manifest. ``part_seconds`` is how long finished runs may wait before they are written
    (0: every result at once). Tasks must be numbered 0..n-1 in order. Nothing is written
    before the folder and the executor are known to be usable.
    """
    out = Path(out)
    if not tasks:
        raise UserError("the design has no runs")
    if any(t.run_id != i for i, t in enumerate(tasks)):
        raise ValueError("tasks must be numbered 0..n-1 in order")
    try:
        check_options(executor, workers, scheduler, scheduler_file)
    except ExecutorError as exc:
        raise UserError(str(exc)) from None
    manifest = Manifest(out, tasks, fingerprint, meta)
    _check_folder(out, manifest, fingerprint, resume)
    store = PartStore(out)
    for run_id in store.scan():
        if run_id >= len(tasks):
            raise UserError(f"{out}: holds run {run_id}, beyond this design's {len(tasks)} runs")
        manifest.mark(run_id, DONE)
    before = int((manifest.state == DONE).sum())
    report = progress or Progress(len(tasks), before, quiet)
    session: dict[str, Any] = {
        "started": _now(),
        "executor": executor,
        "runs_before": before,
        "git_commit": manifest.head["git_commit"],  # the code may change between sessions
    }

    started = False

    def start(where: str) -> None:  # the first write into the folder
        nonlocal started
        if not started:
            out.mkdir(parents=True, exist_ok=True)
            session["executor"] = where
            manifest.head["sessions"].append(session)
            manifest.write(force=True)
            write_design(out, tasks)  # (again on resume: the same design, by the fingerprint)
            started = True
        manifest.write(force=True)

    t0 = time.monotonic()
    ran, where = 0, executor
    try:
        # a pool whose worker died is replaced; the runs it held are recorded as failed, so
        # every round leaves fewer runs to do
        while todo := [t for t in tasks if manifest.state[t.run_id] == PENDING]:
            with open_pool(executor, workers, scheduler, scheduler_file, host) as pool:
                where = pool.description
                start(where)
                n, broken = _drive(pool, todo, work, store, manifest, report, part_seconds)
                ran += n
            if not broken:
                break
    except ExecutorError as exc:
        raise UserError(str(exc)) from None
    except KeyboardInterrupt:
        session.update(finished=_now(), interrupted=True, runs_this_session=ran)
        if out.is_dir():
            manifest.write(force=True)
        saved = int((manifest.state == DONE).sum())
        print(
            f"\ninterrupted: {saved} of {len(tasks)} runs saved in {out}; continue with --resume",
            file=sys.stderr,
        )
        raise
    start(where)
    wall = time.monotonic() - t0
    session.update(finished=_now(), wall_seconds=round(wall, 3), runs_this_session=ran)
    manifest.write(force=True)
    n_done = int((manifest.state == DONE).sum())
    failures = manifest.failures()
    report(n_done, len(failures), True)
    if summary and n_done:
        write_summary(out, point_table(tasks))
    return BatchOutcome(out, len(tasks), n_done, len(failures), failures, ran, wall, where)


def _drive(pool, todo, work, store, manifest, report, part_seconds) -> tuple[int, bool]:
    """Keep the pool busy with a bounded number of calls; buffer and write the results.

    Returns the runs finished and whether the pool broke (a worker process died)."""
    queue = list(reversed(todo))  # pop() hands out tasks in run order
    inflight: dict[Future, list[Task]] = {}
    buffer = _Buffer()
    chunk, ran, broken = 1, 0, False
    recent: list[float] = []
    slots, slots_at = pool.slots(), time.monotonic()

    def flush() -> None:
        if buffer.runs:
            store.write(buffer.frames)
            for run_id in buffer.runs:
                manifest.mark(run_id, DONE)
            buffer.frames.clear()
            buffer.runs.clear()
            manifest.write()

    try:
        while inflight or (queue and not broken):
            if time.monotonic() - slots_at > 10:  # a cluster may grow or shrink
                slots, slots_at = pool.slots(), time.monotonic()
            while queue and not broken and len(inflight) < 2 * slots:
                batch = [queue.pop() for _ in range(min(chunk, len(queue)))]
                inflight[pool.executor.submit(run_chunk, work, batch)] = batch
            waited = time.monotonic() - buffer.since
            timeout = max(0.0, part_seconds - waited) if buffer.runs else 1.0
            finished, _ = wait(list(inflight), timeout=timeout, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = inflight.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    broken = True
                    why = "a worker process died (this run or one beside it was running)"
                    outcomes = [RunOutcome(t.run_id, None, why, 0.0) for t in batch]
                except Exception as exc:  # noqa: BLE001 - the call itself failed (pickling...)
                    outcomes = [RunOutcome(t.run_id, None, error_line(exc), 0.0) for t in batch]
                for outcome in outcomes:
                    ran += 1
                    recent = [*recent[-49:], outcome.seconds]
                    if outcome.error is None:
                        buffer.add(outcome)
                    else:
                        manifest.mark(outcome.run_id, FAILED, outcome.error)
                # calls of about a quarter second: fewer round trips when runs are quick
                chunk = int(min(256, max(1, 0.25 * len(recent) / max(sum(recent), 1e-6))))
            if buffer.runs and time.monotonic() - buffer.since >= part_seconds:
                flush()
            n_done = int((manifest.state == DONE).sum()) + len(buffer.runs)
            report(n_done, int((manifest.state == FAILED).sum()), False)
    finally:
        flush()  # what finished is kept, also on an interrupt
    return ran, broken


# ---------------------------------------------------------------------------- reading back


def point_table(tasks: Sequence[Task]) -> pd.DataFrame:
    """Each design point's factor values (from its first run), indexed by point_id."""
    first: dict[int, dict] = {}
    for t in tasks:
        first.setdefault(t.point_id, t.factors)
    table = pd.DataFrame.from_dict(first, orient="index")
    return table.rename_axis("point_id").sort_index()


def load_results(out: Path, table: str = "annual") -> pd.DataFrame:
    """Every finished run's rows of ``table``, sorted by run_id (each run's rows in the order
    the work function returned them), with run_id, point_id, seed and factor columns."""
    store = PartStore(Path(out))
    files = store.files(table)
    if not files:
        raise UserError(f"{out}: no {table!r} results (tables here: {store.tables() or 'none'})")
    data = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
    return data.sort_values("run_id", kind="stable").reset_index(drop=True)


def write_summary(out: Path, points: pd.DataFrame, block_cells: int = 200_000) -> Path:
    """DIR/summary.csv from the annual parts: per design point (and year, where the table
    has one) and indicator, the runs, mean, sd, 5% and 95% quantiles across runs.

    ``points`` gives each point's factor values (see :func:`point_table`). Works through a
    block of design points at a time, reading one part at a time and only the parts whose
    point_id statistics overlap the block, so memory does not grow with the number of runs.
    Rows enter each block in run order, so the figures do not depend on how runs were split
    into parts (sums round alike)."""
    out = Path(out)
    parts = []  # (file, its columns, lowest and highest point_id, rows)
    for f in PartStore(out).files(MARKER):
        meta = pq.read_metadata(f)
        schema = meta.schema.to_arrow_schema()
        lo, hi = _min_max(meta, schema.get_field_index("point_id"))
        parts.append((f, schema, lo, hi, meta.num_rows))
    schema = pa.unify_schemas([s for _, s, *_ in parts], promote_options="permissive")
    keys = ["point_id"] + (["year"] if "year" in schema.names else [])
    skip = {*ID_COLUMNS, *points.columns, *keys}
    numeric = [
        f.name
        for f in schema
        if f.name not in skip and (pa.types.is_integer(f.type) or pa.types.is_floating(f.type))
    ]
    rows = sum(n for *_, n in parts)
    per_point = max(1, rows // max(1, len(points))) * max(1, len(numeric))
    step = max(1, block_cells // per_point)
    ids = points.index.to_numpy()
    order = ["point_id", *points.columns, *keys[1:], "indicator", "runs", *SUMMARY_STATS]
    path = out / "summary.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    header = True
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        for i in range(0, len(ids), step):
            lo, hi = ids[i], ids[min(i + step, len(ids)) - 1]
            frames = []
            for f, fschema, flo, fhi, _ in parts:
                if fhi < lo or flo > hi:
                    continue
                cols = [c for c in ["run_id", *keys, *numeric] if c in fschema.names]
                frame = pq.read_table(f, columns=cols).to_pandas()
                frames.append(frame[frame.point_id.between(lo, hi)])
            if not frames:
                continue
            block = pd.concat(frames, ignore_index=True).sort_values("run_id", kind="stable")
            del frames
            part = _summarise(block, keys, numeric)
            del block
            for col in points.columns:  # each point's factor values beside its rows
                part[col] = points[col].reindex(part.point_id).to_numpy()
            part[order].to_csv(fh, index=False, header=header, float_format="%.10g")
            header = False
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def _min_max(meta: pq.FileMetaData, column: int) -> tuple[float, float]:
    """Lowest and highest value of a column from a part's row-group statistics (the whole
    range where a row group has none)."""
    lo, hi = math.inf, -math.inf
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(column).statistics
        if stats is None or not stats.has_min_max:
            return -math.inf, math.inf
        lo, hi = min(lo, stats.min), max(hi, stats.max)
    return lo, hi


def _summarise(block: pd.DataFrame, keys: list[str], numeric: list[str]) -> pd.DataFrame:
    """Long table: one row per key and indicator with runs, mean, sd, q05 and q95."""
    g = block.groupby(keys, sort=True)[numeric]
    stats = {
        "mean": g.mean(),
        "sd": g.std(ddof=1),
        "q05": g.quantile(0.05),
        "q95": g.quantile(0.95),
    }
    index = stats["mean"].index
    n_keys, n_ind = len(index), len(numeric)
    columns: dict[str, Any] = {}
    for i, key in enumerate(keys):
        values = index.get_level_values(i) if len(keys) > 1 else index
        columns[key] = np.repeat(values.to_numpy(), n_ind)
    columns["indicator"] = np.tile(np.array(numeric, dtype=object), n_keys)
    columns["runs"] = np.repeat(g.size().to_numpy(), n_ind)
    for name, frame in stats.items():
        columns[name] = frame.to_numpy(dtype=float).ravel()
    return pd.DataFrame(columns)
