"""``DIR/manifest.json`` and ``DIR/design.csv``: what a batch is, where it ran, each run's state.

The manifest is rewritten whole (through a temporary file) every few seconds and at the end of
a session. It is a summary, not the record of what is done: on resume the parts decide
(:mod:`experiments.engine.parts`). So a manifest that cannot be read is rebuilt from the parts,
whose indexes carry the batch's fingerprint, and from ``design.csv`` (:mod:`experiments.engine.
folder` decides when that is safe); only the history of earlier sessions and the errors of
failed runs (which run again anyway) are lost.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.engine.atomic import replace_text, replacing, utc_now
from experiments.engine.tasks import Task
from experiments.errors import UserError
from experiments.provenance import git_commit, package_versions

PENDING, DONE, FAILED = 0, 1, 2
STATES = {PENDING: "pending", DONE: "done", FAILED: "failed"}


@dataclass(frozen=True)
class Damaged:
    """A manifest.json that is there but cannot be used, and why."""

    why: str


def read_manifest(path: Path) -> dict | Damaged | None:
    """The manifest's content; None when there is none; :class:`Damaged` when it is not a
    manifest this engine can read (cut short, edited, overwritten)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        body = json.loads(text)
    except ValueError as exc:
        return Damaged(f"not valid JSON: {exc}")
    if not isinstance(body, dict) or not isinstance(body.get("fingerprint"), str):
        return Damaged("it has no batch fingerprint")
    return body


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

    def continue_from(self, previous: dict | Damaged | None) -> None:
        """Keep what an earlier manifest says about the batch's history (or that it was lost)."""
        if isinstance(previous, dict):
            self.head["created"] = previous.get("created", self.head["created"])
            self.head["sessions"] = list(previous.get("sessions", []))
            if "rebuilt" in previous:
                self.head["rebuilt"] = previous["rebuilt"]
        elif previous is not None or self.path.parent.joinpath("runs").is_dir():
            why = previous.why if isinstance(previous, Damaged) else "it was missing"
            # "created" is this session's: the earlier history went with the old manifest
            self.head["rebuilt"] = f"{utc_now()}: from the parts and design.csv ({why})"

    def mark(self, run_id: int, state: int, error: str | None = None) -> None:
        self.state[run_id] = state
        if error is None:
            self.errors.pop(run_id, None)
        else:
            self.errors[run_id] = error

    def count(self, state: int) -> int:
        return int((self.state == state).sum())

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
        n_done, n_failed = self.count(DONE), self.count(FAILED)
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
        replace_text(self.path, json.dumps(body, indent=1, default=str) + "\n")
        self.write_seconds = time.monotonic() - t0
        self.last_write = time.monotonic()

    def write_quietly(self) -> None:
        """Rewrite the manifest if the folder lets us: on the way out of a failed or stopped
        session, where the error already being reported matters more."""
        try:
            self.write(force=True)
        except UserError:
            pass


def write_design(out: Path, tasks: Sequence[Task], block: int = 10_000) -> None:
    """DIR/design.csv: every run's ids, seed and factor values, in run order."""
    with replacing(Path(out) / "design.csv") as handle:
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


def design_matches(out: Path, tasks: Sequence[Task]) -> bool | None:
    """Whether DIR/design.csv lists these tasks' runs, design points and seeds (None when the
    folder has no design.csv)."""
    path = Path(out) / "design.csv"
    if not path.is_file():
        return None
    try:
        design = pd.read_csv(path, usecols=["run_id", "point_id", "seed"], dtype=str)
    except (OSError, ValueError):
        return False
    expected = pd.DataFrame(
        {
            "run_id": [str(task.run_id) for task in tasks],
            "point_id": [str(task.point_id) for task in tasks],
            "seed": [str(task.seed) for task in tasks],
        }
    )
    return design.shape == expected.shape and bool((design.to_numpy() == expected.to_numpy()).all())
