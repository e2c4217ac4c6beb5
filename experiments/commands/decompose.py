"""``ezhou decompose``: a scenario's real growth split between its outside conditions and its
reforms, and by mechanism (demand, supply)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import mesa  # noqa: F401  (Mesa first: experiments/commands/scenarios.py says why)
import typer

from experiments.commands.scenarios import load_with_run, progress_line
from experiments.decomposition import (
    DECOMPOSE_FILES,
    DECOMPOSE_MARKER,
    SUMMARY_FILE,
    VARIANT_TITLES,
    VARIANTS,
    decompose,
    write_decomposition,
)
from experiments.errors import UserError
from experiments.reports.growth import summary_markdown
from experiments.runner import check_result_folder, spawn_seeds
from model.scenario import MAX_END_YEAR, START_YEAR


def parse_years(text: str) -> list[int]:
    """The years of ``--years``: comma-separated, each after the start year (growth needs
    the year before)."""
    try:
        years = sorted({int(year) for year in text.split(",") if year.strip()})
    except ValueError:
        raise UserError(f"--years {text!r}: allowed a comma-separated list of years") from None
    bad = [year for year in years if not START_YEAR < year <= MAX_END_YEAR]
    if not years or bad:
        raise UserError(
            f"--years {text!r}: allowed one or more years from {START_YEAR + 1} to "
            f"{MAX_END_YEAR} (growth needs the year before)"
        )
    return years


def decompose_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    seeds: Annotated[int, typer.Option(help="Paired seeds for every variant.")] = 20,
    years: Annotated[
        str, typer.Option(help="Years whose growth is taken apart, comma-separated.")
    ] = "2011,2012",
    end_year: Annotated[
        int | None,
        typer.Option(help="Last simulated year (default: the last of --years)."),
    ] = None,
    scale: Annotated[int | None, typer.Option(help="Real households per household agent.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the tables and decomposition.md (default results/decompose): "
            "new, empty, or an earlier decomposition's, which is replaced whole."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="Print only the summary.")] = False,
) -> None:
    """Real growth of a scenario by cause and by mechanism: the scenario, its conditions
    alone, its reforms alone and neither, on the same seeds."""
    if not 2 <= seeds <= 10_000:
        raise UserError(f"--seeds {seeds}: allowed 2 to 10000")
    wanted = parse_years(years)
    loaded = load_with_run(scenario, None, scale, end_year or wanted[-1])
    if wanted[-1] > loaded.run.end_year:
        raise UserError(
            f"--years {years!r}: {wanted[-1]} is after the last simulated year "
            f"{loaded.run.end_year}; allowed: years up to --end-year"
        )
    seed_list = spawn_seeds(loaded.run.seed, seeds)
    out = out or Path("results") / "decompose"
    check_result_folder(out, DECOMPOSE_FILES, DECOMPOSE_MARKER, "ezhou decompose")

    progress = progress_line("variant", len(VARIANTS), quiet)
    result = decompose(loaded, seed_list, wanted, progress)
    if not quiet:
        print(file=sys.stderr)
    argv = [
        "ezhou", "decompose", str(scenario), "--seeds", str(seeds), "--years",
        ",".join(map(str, wanted)), "--end-year", str(loaded.run.end_year),
        "--scale", str(loaded.run.scale), "--out", str(out),
    ]  # fmt: skip
    summary = summary_markdown(result, loaded, VARIANT_TITLES, shlex.join(argv))
    write_decomposition(result, summary, argv, seed_list, out)
    print(summary)
    print(f"results in {out}/ ({', '.join(DECOMPOSE_FILES)}; summary in {SUMMARY_FILE})")
