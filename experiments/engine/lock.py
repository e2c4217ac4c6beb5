"""One process at a time writes a results folder.

A batch, a sensitivity study (and any later kind of experiment) holds ``DIR/.lock`` with an
operating-system lock (``flock`` on Linux and macOS, ``LockFileEx`` on Windows, through the
``filelock`` package) for as long as it may write into ``DIR``. Beside it, ``DIR/.lock-owner.json``
says who holds it: the process id, the host, the command line and when it started. A second
process asking for the folder is refused at once with those details (a :class:`FolderBusy`,
exit code 2 on the command line) instead of scanning, deleting or adding parts under the first.

The operating system drops the lock when its holder dies, even by ``kill -9``: a stale owner
file never blocks anyone, and the next holder overwrites it. The lock file itself stays in the
folder (deleting it would let two processes lock two different files of the same name).

Within one process the lock is re-entrant, so that a study can hold it around the engine's
runs and its own analysis files while the engine takes it again inside.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from experiments.engine.atomic import utc_now
from experiments.errors import UserError

LOCK_NAME = ".lock"
OWNER_NAME = ".lock-owner.json"


class FolderBusy(UserError):
    """Another process holds the folder's lock."""


_HELD: set[Path] = set()  # folders this process holds, by resolved path


def describe_owner(out: Path, wait_seconds: float = 2.0) -> str:
    """Who holds the folder, as the owner file says. A holder writes the file just after it
    takes the lock, and the file of a holder killed earlier may still be there: wait a little
    for a file naming a live process (on another host, its word is taken)."""
    import psutil  # comes with dask distributed; portable where os.kill(pid, 0) is not

    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            owner = json.loads((out / OWNER_NAME).read_text(encoding="utf-8"))
            pid, host = int(owner["pid"]), str(owner["host"])
            if host != socket.gethostname() or psutil.pid_exists(pid):
                return (
                    f"pid {pid} on {host}, started {owner['started']} ({owner.get('command', '?')})"
                )
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if time.monotonic() > deadline:
            return "a process that has not written its details yet"
        time.sleep(0.05)


@contextmanager
def locked_folder(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for the block; refuse at once (:class:`FolderBusy`) if another process
    holds it. Creates ``out`` if needed; a folder created here that is left holding nothing but
    the lock files is removed again, so that a refused or failed start leaves nothing behind."""
    out = Path(out)
    key = out.resolve()
    if key in _HELD:  # taken further up in this process, and released there
        yield
        return
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = FileLock(out / LOCK_NAME, timeout=0)
        lock.acquire()
    except Timeout:
        raise FolderBusy(
            f"{out} is being written by another process ({describe_owner(out)}): wait for it "
            f"to end or stop it, then try again (lock file {out / LOCK_NAME})"
        ) from None
    except OSError as exc:
        if created:
            _remove_empty(out)
        raise UserError(f"{out}: cannot lock the folder ({exc.strerror or exc})") from None
    _HELD.add(key)
    try:
        _write_owner(out)
        yield
    finally:
        _HELD.discard(key)
        try:
            (out / OWNER_NAME).unlink(missing_ok=True)
        except OSError:  # a folder made read-only meanwhile: the next holder overwrites it
            pass
        if created and _only_lock_files(out):
            (out / LOCK_NAME).unlink(missing_ok=True)
            lock.release()
            _remove_empty(out)
        else:
            lock.release()


def _write_owner(out: Path) -> None:
    owner = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": utc_now(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:300],
    }
    try:
        (out / OWNER_NAME).write_text(json.dumps(owner) + "\n", encoding="utf-8")
    except OSError:  # the lock still protects the folder; only the description is missing
        pass


def _only_lock_files(out: Path) -> bool:
    try:
        return {path.name for path in out.iterdir()} <= {LOCK_NAME, OWNER_NAME}
    except OSError:
        return False


def _remove_empty(out: Path) -> None:
    try:
        out.rmdir()
    except OSError:  # something appeared meanwhile: leave it
        pass
