"""``ezhou run``, ``ezhou compare`` and ``ezhou validate``: commands on scenario files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

# (Mesa first, before the model's modules: when first imported it walks the interpreter's
# stack to name its logger, a cost that grows with the import chain's depth; 0.05 s here)
import mesa  # noqa: F401
import typer

from experiments.errors import UserError
from experiments.runner import (
    RUN_FILES,
    RUN_MARKER,
    check_result_folder,
    run_replications,
    spawn_seeds,
    write_run,
)
from experiments.tables import goals_table
from model.scenario import MAX_END_YEAR, ScenarioError, load_scenario


def load_with_run(path: Path, seed: int | None, scale: int | None, end_year: int | None):
    """A scenario file with its run settings changed by the command's options; a bad option
    is a one-line error naming the option."""
    scenario = load_scenario(path)
    try:
        return scenario.with_run(seed=seed, scale=scale, end_year=end_year)
    except ScenarioError as exc:
        msg = str(exc).replace("settings: run.", "option --").replace("_", "-", 1)
        raise UserError(msg) from None


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    seed: Annotated[int | None, typer.Option(help="Run this one seed.")] = None,
    seeds: Annotated[
        int | None, typer.Option(help="Run this many seeds, derived from the scenario's seed.")
    ] = None,
    scale: Annotated[
        int | None,
        typer.Option(
            help="Real households per household agent (1 = every household; default 100)."
        ),
    ] = None,
    end_year: Annotated[
        int | None, typer.Option(help=f"Last simulated year (2010-{MAX_END_YEAR}).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the results (default results/<scenario file name>): new, empty, "
            "or an earlier run's, which is replaced whole."
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option(help="Check the invariants (people, land, money) at every step.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="Print only the table.")] = False,
) -> None:
    """Run a scenario and print its three goals at the start and end years."""
    if seed is not None and seeds is not None:
        raise UserError("give --seed or --seeds, not both")
    if seeds is not None and not 1 <= seeds <= 10_000:
        raise UserError(f"--seeds {seeds}: allowed 1 to 10000")
    loaded = load_with_run(scenario, seed, scale, end_year)
    seed_list = [loaded.run.seed] if seeds is None else spawn_seeds(loaded.run.seed, seeds)
    out = out or Path("results") / scenario.stem
    check_result_folder(out, RUN_FILES, RUN_MARKER, "ezhou run")

    def progress(done: int, total: int) -> None:
        if not quiet:
            print(f"\r  run {done}/{total}", end="", file=sys.stderr, flush=True)

    reps = run_replications(loaded, seed_list, check_invariants=check, progress=progress)
    if not quiet:
        print(file=sys.stderr)
    write_run(reps, out)
    years = sorted({loaded.run.start_year, loaded.run.end_year})
    print(
        f"{loaded.name}: {len(seed_list)} seed(s), scale {loaded.run.scale}, "
        f"{loaded.run.start_year}-{loaded.run.end_year}, {reps.wall_seconds:.1f} s"
    )
    print(goals_table(reps.annual, years))
    print(f"\nresults in {out}/ ({', '.join(RUN_FILES)})")


def compare(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario files; the first is the reference the others are compared with."
        ),
    ],
    seeds: Annotated[int, typer.Option(help="Paired seeds per scenario.")] = 10,
    scale: Annotated[int | None, typer.Option(help="Real households per household agent.")] = None,
    end_year: Annotated[int | None, typer.Option(help="Last simulated year.")] = None,
    years: Annotated[str, typer.Option(help="Years to print, comma-separated.")] = "2015,2020",
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for annual.csv, compare.csv and distribution.parquet (default "
            "results/compare): new, empty, or an earlier comparison's, which is replaced whole."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="Print only the table.")] = False,
) -> None:
    """Compare scenarios on the same seeds: each goal and indicator against the first."""
    from experiments.compare import (
        COMPARE_FILES,
        COMPARE_MARKER,
        diff_table,
        differences,
        write_compare,
    )
    from experiments.compare import compare as run_compare

    if len(scenarios) < 2:
        raise UserError("compare needs at least two scenario files")
    if not 2 <= seeds <= 10_000:
        raise UserError(f"--seeds {seeds}: allowed 2 to 10000")
    loaded = [load_with_run(path, None, scale, end_year) for path in scenarios]
    names = [scenario.name for scenario in loaded]
    if len(set(names)) < len(names):
        loaded = [
            scenario.model_copy(update={"name": f"{scenario.name}#{i}"})
            for i, scenario in enumerate(loaded)
        ]
    try:
        wanted = [int(year) for year in years.split(",") if year.strip()]
    except ValueError:
        raise UserError(f"--years {years!r}: allowed a comma-separated list of years") from None
    last = min(scenario.run.end_year for scenario in loaded)
    bad = [year for year in wanted if not loaded[0].run.start_year <= year <= last]
    if bad:
        raise UserError(f"--years: {bad} outside the simulated years 2010-{last}")
    seed_list = spawn_seeds(loaded[0].run.seed, seeds)
    out = out or Path("results") / "compare"
    check_result_folder(out, COMPARE_FILES, COMPARE_MARKER, "ezhou compare")

    progress = progress_line("scenario", len(loaded), quiet)
    annual, distribution = run_compare(loaded, seed_list, progress)
    if not quiet:
        print(file=sys.stderr)
    diffs = differences(annual)
    write_compare(annual, diffs, distribution, out)
    print(diff_table(diffs, wanted))
    print(f"\nresults in {out}/ ({', '.join(COMPARE_FILES)})")


def progress_line(what: str, count: int, quiet: bool):
    """A progress callback for runs of ``count`` scenarios or variants, kept on one line of
    stderr (nothing with ``quiet``)."""

    def progress(index: int, done: int, total: int) -> None:
        if not quiet:
            print(
                f"\r  {what} {index + 1}/{count}, run {done}/{total}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    return progress


def validate(scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")]) -> None:
    """Check a scenario file without running it."""
    loaded = load_scenario(scenario)
    print(
        f"{scenario}: valid ({loaded.name}; {loaded.run.start_year}-{loaded.run.end_year}, "
        f"scale {loaded.run.scale}, seed {loaded.run.seed})"
    )
