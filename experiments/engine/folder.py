"""Opening a results folder for a session: refuse a mix of batches, take the folder's lock,
check the parts, and rebuild a manifest that was lost.

The order matters:

1. reading only, the folder is checked against the batch asked for (a folder holding another
   batch, or a batch started without ``--resume``, is refused with nothing written);
2. the folder's lock is taken (:mod:`experiments.engine.lock`): a second process stops here;
3. the same checks again, now that no one else writes, then the parts are inspected
   (:meth:`~experiments.engine.parts.PartStore.inspect`) and, only if they belong to this
   batch, damaged parts and temporary files are deleted.

A ``manifest.json`` that is missing or cannot be read is rebuilt, with a one-line warning,
when the folder shows it holds this batch: every indexed part carries this batch's fingerprint,
and ``design.csv``, if there, lists the same runs and seeds. Otherwise the folder is refused
with a line saying what to do.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from experiments.engine.lock import locked_folder
from experiments.engine.manifest import (
    DONE,
    Damaged,
    Manifest,
    design_matches,
    read_manifest,
)
from experiments.engine.parts import FolderCheck, PartStore
from experiments.engine.tasks import Task
from experiments.errors import UserError


def _has_results(out: Path) -> bool:
    return (
        any((out / name).is_dir() and any((out / name).iterdir()) for name in ("runs", "parts"))
        or (out / "design.csv").is_file()
    )


def check_folder(out: Path, fingerprint: str, resume: bool) -> dict | Damaged | None:
    """Check the folder against the batch asked for, reading only; the earlier manifest."""
    out = Path(out)
    previous = read_manifest(out / "manifest.json")
    if isinstance(previous, dict):
        if not resume:
            raise UserError(
                f"{out} already holds a batch: continue it with --resume, or choose another --out"
            )
        if previous["fingerprint"] != fingerprint:
            raise UserError(
                f"{out} holds a batch of a different spec (hash {previous['fingerprint'][:12]}, "
                f"this spec {fingerprint[:12]}): resume with the spec it was started with, "
                "or choose another --out"
            )
    elif isinstance(previous, Damaged) and not resume:
        raise UserError(
            f"{out} already holds a batch whose manifest.json cannot be read ({previous.why}): "
            "continue it with --resume (the manifest is rebuilt from the parts), "
            "or choose another --out"
        )
    elif previous is None and not resume and _has_results(out):
        raise UserError(
            f"{out} has results but no manifest.json: continue it with --resume (the manifest "
            "is rebuilt from the parts), or choose another --out"
        )
    return previous


def _check_parts(
    out: Path,
    tasks: Sequence[Task],
    fingerprint: str,
    previous: dict | Damaged | None,
    check: FolderCheck,
) -> bool:
    """Refuse parts of another batch; say whether the manifest must be rebuilt."""
    if foreign := sorted(check.fingerprints - {fingerprint}):
        raise UserError(
            f"{out} holds parts of a batch of a different spec (hash {foreign[0][:12]}, this "
            f"spec {fingerprint[:12]}): resume with the spec it was started with, "
            "or choose another --out"
        )
    if beyond := [run_id for run_id in check.done if run_id >= len(tasks)]:
        raise UserError(f"{out}: holds run {max(beyond)}, beyond this design's {len(tasks)} runs")
    if isinstance(previous, dict) or not _has_results(out):
        return False
    why = previous.why if isinstance(previous, Damaged) else "it is missing"
    design = design_matches(out, tasks)
    if design is False:
        raise UserError(
            f"{out}/manifest.json cannot be used ({why}) and design.csv lists other runs or "
            "seeds than this spec: resume with the spec the folder was started with, "
            "or choose another --out"
        )
    if design is None and not check.fingerprints:
        raise UserError(
            f"{out}/manifest.json cannot be used ({why}) and neither design.csv nor the parts "
            "say which batch the folder holds: choose another --out (or delete the folder's "
            "runs/ to start it afresh)"
        )
    return True


@contextmanager
def opened_folder(
    out: Path,
    tasks: Sequence[Task],
    fingerprint: str,
    meta: dict,
    resume: bool,
    tables: Sequence[str] = (),
) -> Iterator[tuple[Manifest, PartStore]]:
    """The folder locked for this session, cleaned, with its manifest (done runs marked);
    a part lacking one of ``tables`` (every table a run writes) is not done."""
    out = Path(out)
    check_folder(out, fingerprint, resume)  # a refused folder is not touched, not even locked
    with locked_folder(out):
        previous = check_folder(out, fingerprint, resume)
        store = PartStore(out)
        check = store.inspect(tables)
        rebuilt = _check_parts(out, tasks, fingerprint, previous, check)
        store.clean(check, fingerprint)
        manifest = Manifest(out, tasks, fingerprint, meta)
        manifest.continue_from(previous)
        for run_id in check.done:
            manifest.mark(run_id, DONE)
        if rebuilt:
            why = previous.why if isinstance(previous, Damaged) else "it was missing"
            print(
                f"warning: {out}/manifest.json could not be used ({why}); rebuilt from the "
                f"parts: {len(check.done)} of {len(tasks)} runs done, the rest run now",
                file=sys.stderr,
            )
        if check.damaged:
            number, why = next(iter(check.damaged.items()))
            print(
                f"warning: {out}: {len(check.damaged)} damaged part(s) deleted, their runs run "
                f"again (first: part {number}: {why})",
                file=sys.stderr,
            )
        yield manifest, store
