"""The Parquet parts under ``DIR/runs/`` and their index under ``DIR/parts/``.

Finished runs are written together as a *part*: one file per table,
``DIR/runs/<table>/part-NNNNNN.parquet``, and last an index ``DIR/parts/part-NNNNNN.json``
naming the batch (its fingerprint), the part's runs and, for every table file, its rows, size
and SHA-256. How a part is written, so that a kill at any moment (even ``kill -9``) loses
nothing that was reported done and duplicates nothing:

- every file goes to a temporary name unique to the process, is flushed to disk, then renamed
  into place (``os.replace`` is atomic); the index is written after every table but
  ``annual``, whose rename comes last and makes the part complete (so a stop between the two
  leaves a part that is simply not there yet, as before indexes existed);
- a write that fails removes what it had put down of the part and reports the path.

On resume the folder is inspected before anything is deleted (:meth:`PartStore.inspect`), and
then cleaned (:meth:`PartStore.clean`):

- a part without its ``annual`` file was stopped while it was written (or that file was
  deleted): it is not done;
- a part is done only if it has a file for every table the session says a run writes: a part
  written before a table was added to the runs is not done, and its runs run again, so that
  every table covers every run;
- an indexed part is done when every file its index lists is there with the same size and
  checksum: a table file deleted, cut short or changed anywhere (a corrupt data page behind an
  intact footer included) makes the whole part damaged;
- a part without an index (written by an earlier version of the engine) is done when it has a
  file for every table of the folder and every file reads whole, columns included; it is then
  indexed;
- temporary files, and every file of a damaged or incomplete part, are deleted; their runs are
  not done and run again, with the seeds they had, so no run is missing from any table and no
  row is there twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.engine.atomic import (
    FolderWriteError,
    remove_quietly,
    replace_text,
    temporary_name,
    utc_now,
    write_error,
)
from experiments.engine.tasks import MARKER
from experiments.errors import UserError

INDEX = "parts"  # DIR/parts/part-NNNNNN.json


def part_name(number: int, suffix: str = ".parquet") -> str:
    return f"part-{number:06d}{suffix}"


def part_number(path: Path) -> int | None:
    """The number in ``part-NNNNNN.parquet`` or ``.json``; None for any other name."""
    stem = path.name.split(".")[0]
    head, _, digits = stem.partition("-")
    return int(digits) if head == "part" and digits.isdigit() and len(digits) == 6 else None


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class FolderCheck:
    """What :meth:`PartStore.inspect` found, before anything is deleted."""

    done: dict[int, int] = field(default_factory=dict)  # run_id -> part number
    damaged: dict[int, str] = field(default_factory=dict)  # part number -> why
    doomed: list[Path] = field(default_factory=list)  # files of damaged or unfinished parts,
    # and temporary files
    to_index: dict[int, dict] = field(default_factory=dict)  # whole unindexed parts: their index
    fingerprints: set[str] = field(default_factory=set)  # of the batches that wrote the indexes
    next_part: int = 0


class PartStore:
    """The Parquet parts of a results folder: written atomically, checked on resume."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.root = self.out / "runs"
        self.index_root = self.out / INDEX
        self.next_part = 0

    def files(self, table: str) -> list[Path]:
        folder = self.root / table
        return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []

    def tables(self) -> list[str]:
        if not self.root.is_dir():
            return []
        names = sorted(
            path.name for path in self.root.iterdir() if path.is_dir() and path.name[0] != "."
        )
        return [MARKER] + [name for name in names if name != MARKER] if MARKER in names else names

    # ------------------------------------------------------------------------ resume

    def inspect(self, required: Sequence[str] = ()) -> FolderCheck:
        """Check every part (reading only) and say which runs are done; ``required`` names
        tables every part must have besides those the folder holds."""
        check = FolderCheck()
        by_number: dict[int, dict[str, Path]] = {}
        tables = self.tables()
        expected = [*tables, *(table for table in required if table not in tables)]
        if self.out.is_dir():  # a manifest, design or summary being written when it stopped
            check.doomed += [path for path in self.out.glob(".*.tmp") if path.is_file()]
        for table in tables:
            folder = self.root / table
            check.doomed += [path for path in folder.iterdir() if path.name.endswith(".tmp")]
            for path in self.files(table):
                if (number := part_number(path)) is not None:
                    by_number.setdefault(number, {})[table] = path
        indexes: dict[int, Path] = {}
        if self.index_root.is_dir():
            for path in self.index_root.iterdir():
                if path.name.endswith(".tmp"):
                    check.doomed.append(path)
                elif path.suffix == ".json" and (number := part_number(path)) is not None:
                    indexes[number] = path
        for number in sorted(set(by_number) | set(indexes)):
            files = by_number.get(number, {})
            if MARKER not in files:  # stopped before its last rename: not written yet
                runs, why = [], ""
            elif number in indexes:
                runs, why = self._check_indexed(indexes[number], files, required, check)
            else:
                runs, why = self._check_unindexed(number, files, expected, check)
            if why is not None:
                if why:  # a part that was complete once
                    check.damaged[number] = why
                check.doomed += [*files.values(), *([indexes[number]] if number in indexes else [])]
                continue
            for run_id in runs:
                if run_id in check.done:  # cannot happen through this engine; never count twice
                    raise UserError(
                        f"{self.root}: run {run_id} is in parts {check.done[run_id]} and "
                        f"{number}; the folder was changed by hand"
                    )
                check.done[run_id] = number
        check.next_part = max([*by_number, *indexes], default=-1) + 1
        return check

    @staticmethod
    def _check_indexed(
        index_path: Path, files: dict[str, Path], required: Sequence[str], check: FolderCheck
    ) -> tuple[list[int], str | None]:
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
            listed: dict[str, dict] = index["files"]
            runs = [int(run_id) for run_id in index["runs"]]
            check.fingerprints.add(str(index["fingerprint"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return [], f"its index cannot be read ({exc})"
        if missing := sorted((set(listed) | set(required)) - set(files)):
            return [], f"its {', '.join(missing)} file is missing"
        if extra := sorted(set(files) - set(listed)):
            return [], f"its {', '.join(extra)} file is not in its index"
        for table, expected in listed.items():
            path = files[table]
            try:
                same = path.stat().st_size == expected["bytes"]
                if not same or sha256_of(path) != expected["sha256"]:
                    return [], f"its {table} file differs from what was written"
            except (OSError, KeyError, TypeError) as exc:
                return [], f"its {table} file cannot be read ({exc})"
        return runs, None

    @staticmethod
    def _check_unindexed(
        number: int, files: dict[str, Path], tables: list[str], check: FolderCheck
    ) -> tuple[list[int], str | None]:
        if missing := [table for table in tables if table not in files]:
            return [], f"its {', '.join(missing)} file is missing"
        described = {}
        try:
            for table, path in files.items():
                data = pq.read_table(path)  # every column: a damaged page fails here
                described[table] = {
                    "rows": data.num_rows,
                    "bytes": path.stat().st_size,
                    "sha256": sha256_of(path),
                }
                if table == MARKER:
                    runs = sorted(set(data.column("run_id").to_pylist()))
        except (OSError, pa.ArrowException, KeyError) as exc:
            return [], f"a file cannot be read ({' '.join(str(exc).split())})"
        check.to_index[number] = {"runs": runs, "files": described}
        return runs, None

    def clean(self, check: FolderCheck, fingerprint: str) -> None:
        """Delete what :meth:`inspect` found damaged or left over, index the whole parts that
        had no index, and number new parts after every existing one."""
        for path in check.doomed:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise write_error(exc, path) from None
        for number, body in check.to_index.items():
            self._write_index(number, fingerprint, body["runs"], body["files"])
        self.next_part = check.next_part

    def scan(self, fingerprint: str = "") -> dict[int, int]:
        """Inspect and clean in one go; the done runs (run_id -> part number)."""
        check = self.inspect()
        self.clean(check, fingerprint)
        return check.done

    # ------------------------------------------------------------------------ writing

    def write(
        self, frames: dict[str, list[pd.DataFrame]], runs: Sequence[int], fingerprint: str
    ) -> int:
        """Write one part holding the given frames of each table and the runs they belong to:
        every table but the marker, the index, then the marker, which completes the part."""
        number = self.next_part
        self.next_part += 1
        staged: list[tuple[Path, Path]] = []
        placed: list[Path] = []
        described: dict[str, dict] = {}
        path = self.root
        try:
            for table in sorted(frames, key=lambda name: name == MARKER):
                folder = self.root / table
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / part_name(number)
                data = pd.concat(frames[table], ignore_index=True)
                sink = pa.BufferOutputStream()
                pq.write_table(pa.Table.from_pandas(data, preserve_index=False), sink)
                buffer = sink.getvalue()
                described[table] = {
                    "rows": len(data),
                    "bytes": buffer.size,
                    "sha256": hashlib.sha256(buffer).hexdigest(),
                }
                tmp = temporary_name(path)
                staged.append((tmp, path))
                with open(tmp, "wb") as handle:
                    handle.write(buffer)
                    handle.flush()
                    os.fsync(handle.fileno())
            *tables, (marker_tmp, marker) = staged
            for tmp, path in tables:
                os.replace(tmp, path)
                placed.append(path)
            path = self.index_root / part_name(number, ".json")
            self._write_index(number, fingerprint, sorted(runs), described)
            path = marker
            os.replace(marker_tmp, marker)
        except (OSError, FolderWriteError) as exc:
            for tmp, _ in staged:
                remove_quietly(tmp)
            for done in placed:  # a part without its marker is not there; tidy what can be
                remove_quietly(done)
            if isinstance(exc, FolderWriteError):
                raise
            raise write_error(exc, path) from None
        return number

    def _write_index(self, number: int, fingerprint: str, runs: list[int], files: dict) -> None:
        self.index_root.mkdir(parents=True, exist_ok=True)
        body = {
            "part": number,
            "fingerprint": fingerprint,
            "written": utc_now(),
            "runs": runs,
            "files": files,
        }
        replace_text(self.index_root / part_name(number, ".json"), json.dumps(body) + "\n")
