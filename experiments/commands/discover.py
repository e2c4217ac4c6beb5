"""``ezhou discover DIR --where EXPR``: scenario discovery with PRIM on a batch, sensitivity
or search folder (:mod:`experiments.analysis.discovery`): which ranges of the levers and
conditions make the condition come true."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import mesa  # noqa: F401  (Mesa first: experiments/commands/scenarios.py says why)
import typer

from experiments.analysis.discovery import DISCOVERY_FILES, MARKER, discover, write_discovery
from experiments.analysis.discovery_data import outcome_values, read_folder
from experiments.engine.lock import locked_folder
from experiments.errors import UserError
from experiments.formats.discovery import Settings, load_discovery
from experiments.formats.outcome_expression import parse_expression
from experiments.runner import check_result_folder

DEFAULT_OUT = "discovery"  # inside the results folder unless --out says otherwise


def discover_command(
    folder: Annotated[Path, typer.Argument(help="A batch, sensitivity or search results folder.")],
    where: Annotated[
        str | None,
        typer.Option(help='The cases to explain, e.g. "goal2_per_capita_score@2020 < 60".'),
    ] = None,
    spec: Annotated[
        Path | None, typer.Option(help="A discovery file (TOML) instead of --where.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the results (default DIR/discovery).")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(help="Check the condition (and the folder's outcomes, if it is there)."),
    ] = False,
) -> None:
    """Scenario discovery (PRIM): the box of levers and conditions where a condition on the
    outcomes comes true, its peeling trajectory (coverage against density), the chosen box's
    limits with their significance, and a one-line summary."""
    if (where is None) == (spec is None):
        raise UserError('ezhou discover: give --where "CONDITION" or --spec FILE (one of them)')
    if spec is not None:
        expression, settings = load_discovery(spec)
    else:
        expression, settings = parse_expression(where), Settings()
    target = out or Path(folder) / DEFAULT_OUT
    check_result_folder(target, DISCOVERY_FILES, MARKER, "ezhou discover")  # before PRIM runs
    if dry_run:
        source = spec or "--where"
        if not Path(folder).exists():
            print(f"{source}: valid ({expression.text}); {folder} is not there yet")
            return
        runs = read_folder(folder)
        outcome_values(runs, expression)
        print(
            f"{source}: valid ({expression.text}); {folder} holds {len(runs.inputs)} runs of "
            f"a {runs.kind} with {runs.inputs.shape[1]} varying inputs"
        )
        return
    result = discover(folder, expression, settings)
    if out is None and Path(folder).is_dir():  # writing into the results folder: not under a run
        with locked_folder(Path(folder)):
            write_discovery(result, target)
    else:
        write_discovery(result, target)
    stats = result.chosen_stats
    print(
        f"{result.kind} {folder}: {result.n_cases} of {result.n_runs} runs have {expression.text}"
    )
    print("peeling trajectory (box: coverage, density, restricted inputs):")
    for _, row in result.trajectory.iterrows():
        mark = "  <- chosen" if row.chosen else ""
        restricted = int(row.restricted)
        print(f"  {int(row.box):>3}: {row.coverage:6.1%} {row.density:6.1%} {restricted:>3}{mark}")
    print(f"chosen box {result.chosen}: coverage {stats.coverage:.1%}, density {stats.density:.1%}")
    for _, row in result.box.iterrows():
        flag = "" if row.significant else "  (not significant)"
        print(f"  {row.reads:<60} quasi-p {row.qp_value:.2g}{flag}")
    print(result.summary)
    print(f"results in {target}/ (discovery.json, trajectory.csv, box.csv, cases.csv)")
