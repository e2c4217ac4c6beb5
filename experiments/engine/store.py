"""The results folder of a batch, and reading it back.

A results folder holds::

    DIR/manifest.json        spec hash, package versions, git commit, each run's state
    DIR/design.csv           run_id, point_id, seed and factor values of every run
    DIR/runs/<table>/part-NNNNNN.parquet
                             rows of finished runs, with run_id, point_id, seed and the
                             factor values beside each table's own columns
    DIR/parts/part-NNNNNN.json
                             each part's index: the batch's fingerprint, its runs, and the
                             rows, size and SHA-256 of each of its table files
    DIR/summary.csv          per design point and year: runs, mean, sd, q05, q95 of each
                             indicator of the annual table (long format)
    DIR/.lock, DIR/.lock-owner.json
                             held while a process writes the folder, and who that is

Where each part is made: :mod:`experiments.engine.parts` (atomic parts, the checks on resume),
:mod:`experiments.engine.manifest` (the manifest and design), :mod:`experiments.engine.lock`
(one writer at a time), :mod:`experiments.engine.folder` (opening a folder for a session). This
module reads the parts back and writes the summary.

Memory stays flat in the number of runs: the summary is computed over blocks of design points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.engine.atomic import replacing, utc_now
from experiments.engine.csv_text import write_csv
from experiments.engine.manifest import DONE, FAILED, PENDING, STATES, Manifest, write_design
from experiments.engine.parts import PartStore
from experiments.engine.tasks import ID_COLUMNS, MARKER, Task
from experiments.errors import UserError

__all__ = [  # the folder's pieces, importable from here as before they had modules of their own
    "DONE",
    "FAILED",
    "PENDING",
    "STATES",
    "Manifest",
    "PartStore",
    "load_results",
    "point_table",
    "utc_now",
    "write_design",
    "write_summary",
]
SUMMARY_STATS = ("mean", "sd", "q05", "q95")


def _unreadable(path: Path, exc: Exception) -> UserError:
    why = " ".join(str(exc).split()) or type(exc).__name__
    return UserError(
        f"{path}: cannot be read ({why}); continue the batch with --resume to check its parts "
        "and run the runs of damaged ones again"
    )


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
    data = pd.concat([_read(path).to_pandas() for path in files], ignore_index=True)
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
        try:
            meta = pq.read_metadata(path)
        except (OSError, pa.ArrowException) as exc:
            raise _unreadable(path, exc) from None
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
    header = True
    with replacing(path) as handle:  # no half-written summary, and no temporary file, on error
        for i in range(0, len(ids), step):
            lo, hi = ids[i], ids[min(i + step, len(ids)) - 1]
            frames = []
            for part_path, part_schema, part_lo, part_hi, _ in parts:
                if part_hi < lo or part_lo > hi:
                    continue
                cols = [name for name in ["run_id", *keys, *numeric] if name in part_schema.names]
                frame = _read(part_path, cols).to_pandas()
                frames.append(frame[frame.point_id.between(lo, hi)])
            if not frames:
                continue
            block = pd.concat(frames, ignore_index=True).sort_values("run_id", kind="stable")
            del frames
            part = _summarise(block, keys, numeric)
            del block
            for col in points.columns:  # each point's factor values beside its rows
                part[col] = points[col].reindex(part.point_id).to_numpy()
            write_csv(part[order], handle, header, float_format="%.10g")
            header = False
    return path


def _read(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A part's table (or some of its columns); a damaged file is a one-line error."""
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise _unreadable(path, exc) from None


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
