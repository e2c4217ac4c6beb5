"""``ezhou report DIR``: one self-contained HTML file for a run, comparison, batch,
sensitivity, search or discovery folder (:mod:`experiments.reports`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.errors import UserError
from experiments.reports.render import write_report


def report_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A folder of ezhou run, compare, batch, sensitivity, search or discover."
        ),
    ],
    lang: Annotated[str, typer.Option(help="Language of the report: en or zh.")] = "en",
    name: Annotated[str, typer.Option(help="File name of the report inside the folder.")] = (
        "report.html"
    ),
) -> None:
    """Write FOLDER/report.html: one self-contained file with the figures, tables, method,
    seeds and package versions of a run, comparison, batch, sensitivity analysis, search or
    scenario discovery."""
    if "/" in name or "\\" in name or not name.endswith(".html"):
        raise UserError(f"--name {name}: allowed a plain file name ending in .html")
    path = write_report(folder, lang, name)
    print(f"report in {path} ({path.stat().st_size / 1e6:.1f} MB, self-contained)")
