"""The results folder of a batch: Parquet parts, manifest, resume scan and summary.

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

Memory stays flat in the number of runs: the summary is computed over blocks of design points.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.engine.tasks import ID_COLUMNS, MARKER, Task
from experiments.errors import UserError
from experiments.provenance import git_commit, package_versions

PENDING, DONE, FAILED = 0, 1, 2
STATES = {PENDING: "pending", DONE: "done", FAILED: "failed"}
SUMMARY_STATS = ("mean", "sd", "q05", "q95")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- parts on disk


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
        names = sorted(path.name for path in self.root.iterdir() if path.is_dir())
        return [MARKER] + [name for name in names if name != MARKER] if MARKER in names else names

    def scan(self) -> dict[int, int]:
        """Clean the folder after a stop and return the done runs: run_id -> part number.

        Deletes temporary files, parts without their marker, and parts any of whose files
        cannot be read (their runs are then not done and run again)."""
        for tmp in self.root.glob("*/.*.tmp") if self.root.is_dir() else []:
            tmp.unlink()
        numbers: dict[int, list[Path]] = {}
        for table in self.tables():
            for path in self.files(table):
                numbers.setdefault(int(path.stem.split("-")[1]), []).append(path)
        done: dict[int, int] = {}
        for number, files in sorted(numbers.items()):
            marker = self.root / MARKER / f"part-{number:06d}.parquet"
            runs = self._runs_in(marker) if marker in files else None
            if runs is None or not all(self._readable(path) for path in files):
                for path in files:
                    path.unlink()
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
        for table in sorted(frames, key=lambda name: name == MARKER):
            folder = self.root / table
            folder.mkdir(parents=True, exist_ok=True)
            final = folder / f"part-{number:06d}.parquet"
            tmp = folder / f".{final.name}.tmp"
            data = pd.concat(frames[table], ignore_index=True)
            pq.write_table(pa.Table.from_pandas(data, preserve_index=False), tmp)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            staged.append((tmp, final))
        for tmp, final in staged:
            os.replace(tmp, final)
        return number


# ---------------------------------------------------------------------------- manifest


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
            "created": utc_now(),
            "versions": package_versions("dask", "distributed"),
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
        return [
            (run_id, self.tasks[run_id].seed, error)
            for run_id, error in sorted(self.errors.items())
        ]

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
            "updated": utc_now(),
            "n_runs": len(self.tasks),
            "n_done": n_done,
            "n_failed": n_failed,
            "n_pending": len(self.tasks) - n_done - n_failed,
            "runs": [
                {"run_id": task.run_id, "point_id": task.point_id, "seed": task.seed}
                | {"state": STATES[int(self.state[i])]}
                | ({"error": self.errors[i]} if i in self.errors else {})
                for i, task in enumerate(self.tasks)
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
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        for i in range(0, len(tasks), block):
            rows = [
                {
                    "run_id": task.run_id,
                    "point_id": task.point_id,
                    "seed": task.seed,
                    **task.factors,
                }
                for task in tasks[i : i + block]
            ]
            pd.DataFrame(rows).to_csv(handle, index=False, header=i == 0, float_format="%.10g")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------- reading back


def point_table(tasks: Sequence[Task]) -> pd.DataFrame:
    """Each design point's factor values (from its first run), indexed by point_id."""
    first: dict[int, dict] = {}
    for task in tasks:
        first.setdefault(task.point_id, task.factors)
    table = pd.DataFrame.from_dict(first, orient="index")
    return table.rename_axis("point_id").sort_index()


def load_results(out: Path, table: str = "annual") -> pd.DataFrame:
    """Every finished run's rows of ``table``, sorted by run_id (each run's rows in the order
    the work function returned them), with run_id, point_id, seed and factor columns."""
    store = PartStore(Path(out))
    files = store.files(table)
    if not files:
        raise UserError(f"{out}: no {table!r} results (tables here: {store.tables() or 'none'})")
    data = pd.concat([pq.read_table(path).to_pandas() for path in files], ignore_index=True)
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
    for path in PartStore(out).files(MARKER):
        meta = pq.read_metadata(path)
        schema = meta.schema.to_arrow_schema()
        lo, hi = _min_max(meta, schema.get_field_index("point_id"))
        parts.append((path, schema, lo, hi, meta.num_rows))
    schema = pa.unify_schemas(
        [part_schema for _, part_schema, *_ in parts], promote_options="permissive"
    )
    keys = ["point_id"] + (["year"] if "year" in schema.names else [])
    skip = {*ID_COLUMNS, *points.columns, *keys}
    numeric = [
        field.name
        for field in schema
        if field.name not in skip
        and (pa.types.is_integer(field.type) or pa.types.is_floating(field.type))
    ]
    rows = sum(n_rows for *_, n_rows in parts)
    per_point = max(1, rows // max(1, len(points))) * max(1, len(numeric))
    step = max(1, block_cells // per_point)
    ids = points.index.to_numpy()
    order = ["point_id", *points.columns, *keys[1:], "indicator", "runs", *SUMMARY_STATS]
    path = out / "summary.csv"
    tmp = path.with_name(f".{path.name}.tmp")
    header = True
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        for i in range(0, len(ids), step):
            lo, hi = ids[i], ids[min(i + step, len(ids)) - 1]
            frames = []
            for part_path, part_schema, part_lo, part_hi, _ in parts:
                if part_hi < lo or part_lo > hi:
                    continue
                cols = [name for name in ["run_id", *keys, *numeric] if name in part_schema.names]
                frame = pq.read_table(part_path, columns=cols).to_pandas()
                frames.append(frame[frame.point_id.between(lo, hi)])
            if not frames:
                continue
            block = pd.concat(frames, ignore_index=True).sort_values("run_id", kind="stable")
            del frames
            part = _summarise(block, keys, numeric)
            del block
            for col in points.columns:  # each point's factor values beside its rows
                part[col] = points[col].reindex(part.point_id).to_numpy()
            part[order].to_csv(handle, index=False, header=header, float_format="%.10g")
            header = False
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def _min_max(meta: pq.FileMetaData, column: int) -> tuple[float, float]:
    """Lowest and highest value of a column from a part's row-group statistics (the whole
    range where a row group has none)."""
    lo, hi = math.inf, -math.inf
    for group in range(meta.num_row_groups):
        stats = meta.row_group(group).column(column).statistics
        if stats is None or not stats.has_min_max:
            return -math.inf, math.inf
        lo, hi = min(lo, stats.min), max(hi, stats.max)
    return lo, hi


def _summarise(block: pd.DataFrame, keys: list[str], numeric: list[str]) -> pd.DataFrame:
    """Long table: one row per key and indicator with runs, mean, sd, q05 and q95."""
    grouped = block.groupby(keys, sort=True)[numeric]
    stats = {
        "mean": grouped.mean(),
        "sd": grouped.std(ddof=1),
        "q05": grouped.quantile(0.05),
        "q95": grouped.quantile(0.95),
    }
    index = stats["mean"].index
    n_keys, n_ind = len(index), len(numeric)
    columns: dict[str, Any] = {}
    for i, key in enumerate(keys):
        values = index.get_level_values(i) if len(keys) > 1 else index
        columns[key] = np.repeat(values.to_numpy(), n_ind)
    columns["indicator"] = np.tile(np.array(numeric, dtype=object), n_keys)
    columns["runs"] = np.repeat(grouped.size().to_numpy(), n_ind)
    for name, frame in stats.items():
        columns[name] = frame.to_numpy(dtype=float).ravel()
    return pd.DataFrame(columns)
