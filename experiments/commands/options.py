"""The command-line options that choose where runs execute and how often finished runs are
written, shared by ``ezhou batch`` and ``ezhou sensitivity``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.errors import UserError
from experiments.executors import EXECUTORS

ExecutorOption = Annotated[str, typer.Option(help=f"Where runs execute: {', '.join(EXECUTORS)}.")]
WorkersOption = Annotated[
    int | None, typer.Option(help="Worker processes (default: one per core).")
]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Address of a running Dask scheduler (tcp://host:port).")
]
SchedulerFileOption = Annotated[
    Path | None, typer.Option(help="Scheduler file of a running Dask cluster.")
]
DaskHostOption = Annotated[str, typer.Option(help="Interface a local Dask cluster listens on.")]
PartSecondsOption = Annotated[
    float,
    typer.Option(help="Longest wait before finished runs are written (0 = each at once)."),
]


def check_part_seconds(part_seconds: float) -> None:
    if not 0 <= part_seconds <= 3600:
        raise UserError(f"--part-seconds {part_seconds:g}: allowed 0 to 3600")
