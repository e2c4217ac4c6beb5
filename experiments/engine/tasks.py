"""A task (one run of a design) and what a worker does with it: run a few tasks in a row,
put each run's ids beside its tables, and report a failure as one line instead of raising."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

ID_COLUMNS = ("run_id", "point_id", "seed")
MARKER = "annual"  # every run returns it; its file is renamed last and marks a part complete


@dataclass(frozen=True)
class Task:
    """One run of a design: what the work function needs, and its place in the results."""

    run_id: int  # 0..n-1, the order of the design
    point_id: int  # design point
    seed: int  # stored with the run
    factors: dict  # factor name -> value (JSON-able scalars)
    payload: Any = None  # anything picklable the work function needs


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
    body = frame.drop(columns=[column for column in ids if column in frame.columns])
    return pd.concat([head, body], axis=1)


def error_line(exc: BaseException) -> str:
    """An exception as one line: its type, message and where in the code it was raised."""
    msg = " ".join(str(exc).split()) or "(no message)"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" [{Path(frames[-1].filename).name}:{frames[-1].lineno}]" if frames else ""
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
            tables = {name: with_ids(frame, task) for name, frame in tables.items()}
            results.append(RunOutcome(task.run_id, tables, None, time.perf_counter() - t0))
        except Exception as exc:  # noqa: BLE001 - recorded with the run; the batch goes on
            results.append(RunOutcome(task.run_id, None, error_line(exc), time.perf_counter() - t0))
    return results
