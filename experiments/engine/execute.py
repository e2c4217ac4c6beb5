"""Running a design: every task not yet done in a results folder goes through an executor,
and finished runs are buffered and written as Parquet parts (:mod:`experiments.engine.parts`).

The whole session holds the folder's lock (:mod:`experiments.engine.lock`): a second process on
the same folder is refused at once, naming the first. The folder is opened, checked and
cleaned by :mod:`experiments.engine.folder`. An operating-system error while writing the folder
(permissions, a full disk) ends the session with one line naming the path; what was written
before stays, and ``--resume`` continues from it.

Memory stays flat in the number of runs: at most a few calls per worker are in flight and the
buffer is written every few seconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.engine.atomic import FolderWriteError, utc_now
from experiments.engine.folder import opened_folder
from experiments.engine.manifest import DONE, FAILED, PENDING, Manifest, write_design
from experiments.engine.parts import PartStore
from experiments.engine.progress import Progress
from experiments.engine.store import point_table, write_summary
from experiments.engine.tasks import RunOutcome, Task, error_line, run_chunk
from experiments.errors import UserError
from experiments.executors import ExecutorError, check_options, open_pool

# runs handed to a worker in one call at most (calls of about a quarter second below it)
MAX_RUNS_PER_CALL = 256


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


def execute(
    tasks: Sequence[Task],
    work: Callable[[Task], dict[str, pd.DataFrame]],
    out: Path,
    *,
    fingerprint: str,
    meta: dict,
    tables: Sequence[str] = (),
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
    :class:`Task` and returning tables by name, at least ``"annual"``; ``tables`` names every
    table it returns, so that on resume a part lacking one is not done (its runs run again).
    A task that raises is recorded with its error and seed, and the batch goes on.
    ``fingerprint`` identifies what is being run: resuming a folder started with another one
    is refused. ``meta`` goes into the manifest. ``part_seconds`` is how long finished runs
    may wait before they are written (0: every result at once). Tasks must be numbered 0..n-1
    in order. The folder is locked for the whole call (a second process is refused with who
    holds it); on resume damaged parts are deleted; nothing else is written before the
    executor is known to be usable.
    """
    out = Path(out)
    if not tasks:
        raise UserError("the design has no runs")
    if any(task.run_id != i for i, task in enumerate(tasks)):
        raise ValueError("tasks must be numbered 0..n-1 in order")
    try:
        check_options(executor, workers, scheduler, scheduler_file)
    except ExecutorError as exc:
        raise UserError(str(exc)) from None
    pool_options = {
        "executor": executor,
        "workers": workers,
        "scheduler": scheduler,
        "scheduler_file": scheduler_file,
        "host": host,
    }
    with opened_folder(out, tasks, fingerprint, meta, resume, tables) as (manifest, store):
        report = progress or Progress(len(tasks), manifest.count(DONE), quiet)
        try:
            outcome = _session(
                tasks, work, out, manifest, store, pool_options, report, part_seconds
            )
        except FolderWriteError:
            manifest.write_quietly()  # what the parts hold decides on resume anyway
            raise
        if summary and outcome.n_done:
            write_summary(out, point_table(tasks))
    return outcome


def _session(
    tasks: Sequence[Task],
    work: Callable[[Task], dict[str, pd.DataFrame]],
    out: Path,
    manifest: Manifest,
    store: PartStore,
    pool_options: dict[str, Any],
    report: Callable[[int, int, bool], None],
    part_seconds: float,
) -> BatchOutcome:
    """Run the tasks not done yet through pools of the executor until none is pending."""
    before = manifest.count(DONE)
    session: dict[str, Any] = {
        "started": utc_now(),
        "executor": pool_options["executor"],
        "runs_before": before,
        "git_commit": manifest.head["git_commit"],  # the code may change between sessions
    }
    started = False

    def start(where: str) -> None:  # the first write into the folder
        nonlocal started
        if not started:
            session["executor"] = where
            manifest.head["sessions"].append(session)
            manifest.write(force=True)
            write_design(out, tasks)  # (again on resume: the same design, by the fingerprint)
            started = True
        manifest.write(force=True)

    t0 = time.monotonic()
    ran, where = 0, pool_options["executor"]
    try:
        # a pool whose worker died is replaced; the runs it held are recorded as failed, so
        # every round leaves fewer runs to do
        while todo := [task for task in tasks if manifest.state[task.run_id] == PENDING]:
            with open_pool(**pool_options) as pool:
                where = pool.description
                start(where)
                n_ran, broken = _drive(pool, todo, work, store, manifest, report, part_seconds)
                ran += n_ran
            if not broken:
                break
    except ExecutorError as exc:
        raise UserError(str(exc)) from None
    except KeyboardInterrupt:
        session.update(finished=utc_now(), interrupted=True, runs_this_session=ran)
        if started:
            manifest.write_quietly()
        print(
            f"\ninterrupted: {manifest.count(DONE)} of {len(tasks)} runs saved in {out}; "
            "continue with --resume",
            file=sys.stderr,
        )
        raise
    start(where)
    wall = time.monotonic() - t0
    session.update(finished=utc_now(), wall_seconds=round(wall, 3), runs_this_session=ran)
    manifest.write(force=True)
    failures = manifest.failures()
    report(manifest.count(DONE), len(failures), True)
    return BatchOutcome(
        out, len(tasks), manifest.count(DONE), len(failures), failures, ran, wall, where
    )


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
            # emptied first: after a failed write the runs are not done, and a second try
            # (from the finally below) must not write them into a second part
            frames, runs = dict(buffer.frames), list(buffer.runs)
            buffer.frames.clear()
            buffer.runs.clear()
            store.write(frames, runs, manifest.head["fingerprint"])
            for run_id in runs:
                manifest.mark(run_id, DONE)
            manifest.write()

    try:
        while inflight or (queue and not broken):
            pool.watch()
            if time.monotonic() - slots_at > 10:  # a cluster may grow or shrink
                slots, slots_at = pool.slots(), time.monotonic()
            while queue and not broken and len(inflight) < 2 * slots:
                batch = [queue.pop() for _ in range(min(chunk, len(queue)))]
                try:
                    inflight[pool.executor.submit(run_chunk, work, batch)] = batch
                except BrokenProcessPool:  # broke since the last results: these stay pending
                    broken = True
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
                    outcomes = [RunOutcome(task.run_id, None, why, 0.0) for task in batch]
                except Exception as exc:  # noqa: BLE001 - the call itself failed (pickling...)
                    outcomes = [
                        RunOutcome(task.run_id, None, error_line(exc), 0.0) for task in batch
                    ]
                for outcome in outcomes:
                    ran += 1
                    recent = [*recent[-49:], outcome.seconds]
                    if outcome.error is None:
                        buffer.add(outcome)
                    else:
                        manifest.mark(outcome.run_id, FAILED, outcome.error)
                # calls of about a quarter second: fewer round trips when runs are quick
                chunk = int(
                    min(MAX_RUNS_PER_CALL, max(1, 0.25 * len(recent) / max(sum(recent), 1e-6)))
                )
            if buffer.runs and time.monotonic() - buffer.since >= part_seconds:
                flush()
            report(manifest.count(DONE) + len(buffer.runs), manifest.count(FAILED), False)
    finally:
        flush()  # what finished is kept, also on an interrupt
    return ran, broken
