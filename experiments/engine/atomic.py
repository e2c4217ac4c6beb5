"""Writing into a results folder: whole files or nothing, and one line when the disk says no.

Every file the engine writes goes first to a temporary name beside it, unique to the writing
process (``.NAME.<pid>-<random>.tmp``), is flushed to disk, then renamed into place: a reader
sees the old file or the new one, never half of one. A write that fails removes its temporary
file, so no empty ``.tmp`` is left behind, and any operating-system error (permissions, a full
or read-only disk) becomes a :class:`FolderWriteError` naming the path: a problem of the
folder, reported in one line with exit code 2, not a model bug.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from experiments.errors import UserError


class FolderWriteError(UserError):
    """The operating system refused a write into a results folder."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def temporary_name(path: Path) -> Path:
    """A hidden name beside ``path`` that no other process (or earlier call) uses."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def write_error(exc: OSError, path: Path) -> FolderWriteError:
    """An operating-system error while writing ``path`` (or the file the error names)."""
    where = exc.filename or path
    why = exc.strerror or str(exc) or type(exc).__name__
    return FolderWriteError(
        f"{where}: cannot write ({why}); what was saved before is kept: make the folder "
        "writable (or free space) and continue with --resume"
    )


def remove_quietly(path: Path) -> None:
    """Delete ``path`` if it can be; a folder that refuses is cleaned by the next resume."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


@contextmanager
def replacing(path: Path, mode: str = "w") -> Iterator[IO]:
    """A handle on a temporary file that replaces ``path`` when the block ends without error.

    Text modes write UTF-8 with ``\\n`` line ends. On any error the temporary file is removed;
    operating-system errors come out as :class:`FolderWriteError`."""
    path = Path(path)
    tmp = temporary_name(path)
    text = "b" not in mode
    try:
        with open(tmp, mode, **({"encoding": "utf-8", "newline": ""} if text else {})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise write_error(exc, path) from None
    except BaseException:
        remove_quietly(tmp)
        raise


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole, through a temporary file."""
    with replacing(path) as handle:
        handle.write(text)


def replace_bytes(path: Path, data: bytes | memoryview) -> None:
    """Write ``data`` to ``path`` whole, through a temporary file."""
    with replacing(path, "wb") as handle:
        handle.write(data)
