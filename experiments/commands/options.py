"""The command-line options that choose where runs execute, shared by ``ezhou batch`` and
``ezhou sensitivity``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
