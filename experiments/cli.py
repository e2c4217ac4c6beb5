"""The ``ezhou`` command: run, validate and bench (compare, batch, sensitivity, report come
with their issues).

User mistakes (a bad scenario file, a bad option) print one line and exit with code 2.
"""

from __future__ import annotations

import gc
import statistics
import sys
from pathlib import Path
from typing import Annotated

import typer

try:  # typer ships its own copy of click from 0.16 on
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer
    from click import exceptions as click_exceptions

from experiments import report, sensitivity
from experiments.batch import batch_command
from experiments.errors import UserError
from experiments.launch import app_command
from experiments.runner import run_replications, spawn_seeds, write_run
from experiments.tables import goals_table
from model.scenario import MAX_END_YEAR, ScenarioError, load_scenario

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Ezhou reform simulator: run scenarios of Ezhou's 2011 comprehensive-reform "
    "programme and see how its three goals move.",
)


def _load(path: Path, seed: int | None, scale: int | None, end_year: int | None):
    scenario = load_scenario(path)
    try:
        return scenario.with_run(seed=seed, scale=scale, end_year=end_year)
    except ScenarioError as exc:
        msg = str(exc).replace("settings: run.", "option --").replace("_", "-", 1)
        raise UserError(msg) from None


@app.command()
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
    out: Annotated[Path | None, typer.Option(help="Folder for the results.")] = None,
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
    sc = _load(scenario, seed, scale, end_year)
    seed_list = [sc.run.seed] if seeds is None else spawn_seeds(sc.run.seed, seeds)
    out = out or Path("results") / scenario.stem

    def progress(i: int, n: int) -> None:
        if not quiet:
            print(f"\r  run {i}/{n}", end="", file=sys.stderr, flush=True)

    reps = run_replications(sc, seed_list, check_invariants=check, progress=progress)
    if not quiet:
        print(file=sys.stderr)
    write_run(reps, out)
    years = sorted({sc.run.start_year, sc.run.end_year})
    print(
        f"{sc.name}: {len(seed_list)} seed(s), scale {sc.run.scale}, "
        f"{sc.run.start_year}-{sc.run.end_year}, {reps.wall_seconds:.1f} s"
    )
    print(goals_table(reps.annual, years))
    print(
        f"\nresults in {out}/ (annual.csv, quarterly.parquet, zones.csv, scenario.toml, run.json)"
    )


@app.command()
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
    out: Annotated[Path | None, typer.Option(help="Folder for annual.csv and compare.csv.")] = None,
    quiet: Annotated[bool, typer.Option(help="Print only the table.")] = False,
) -> None:
    """Compare scenarios on the same seeds: each goal and indicator against the first."""
    from experiments.compare import compare as run_compare
    from experiments.compare import diff_table, differences, write_compare

    if len(scenarios) < 2:
        raise UserError("compare needs at least two scenario files")
    if not 2 <= seeds <= 10_000:
        raise UserError(f"--seeds {seeds}: allowed 2 to 10000")
    loaded = [_load(p, None, scale, end_year) for p in scenarios]
    names = [sc.name for sc in loaded]
    if len(set(names)) < len(names):
        loaded = [sc.model_copy(update={"name": f"{sc.name}#{i}"}) for i, sc in enumerate(loaded)]
    try:
        wanted = [int(y) for y in years.split(",") if y.strip()]
    except ValueError:
        raise UserError(f"--years {years!r}: allowed a comma-separated list of years") from None
    last = min(sc.run.end_year for sc in loaded)
    bad = [y for y in wanted if not loaded[0].run.start_year <= y <= last]
    if bad:
        raise UserError(f"--years: {bad} outside the simulated years 2010-{last}")
    seed_list = spawn_seeds(loaded[0].run.seed, seeds)

    def progress(i: int, k: int, n: int) -> None:
        if not quiet:
            print(
                f"\r  scenario {i + 1}/{len(loaded)}, run {k}/{n}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    annual = run_compare(loaded, seed_list, progress)
    if not quiet:
        print(file=sys.stderr)
    diffs = differences(annual)
    out = out or Path("results") / "compare"
    write_compare(annual, diffs, out)
    print(diff_table(diffs, wanted))
    print(f"\nresults in {out}/ (annual.csv, compare.csv)")


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")]) -> None:
    """Check a scenario file without running it."""
    sc = load_scenario(scenario)
    print(
        f"{scenario}: valid ({sc.name}; {sc.run.start_year}-{sc.run.end_year}, "
        f"scale {sc.run.scale}, seed {sc.run.seed})"
    )


@app.command()
def bench(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")] = Path(
        "scenarios/full_programme.toml"
    ),
    scale: Annotated[
        list[int] | None,
        typer.Option(help="Scale(s) to time, default 100, 10 and 1; repeat the option."),
    ] = None,
    repeat: Annotated[int, typer.Option(help="Runs per scale (the median is reported).")] = 3,
    reference: Annotated[
        bool, typer.Option(help="Also time Mesa's Boltzmann wealth example (10,000 agents).")
    ] = True,
    out: Annotated[
        Path | None, typer.Option(help="Also write the figures to this JSON file.")
    ] = None,
) -> None:
    """Time whole runs by scale (wall seconds, household-agent steps per second, peak
    memory) beside Mesa's Boltzmann wealth example on the same machine."""
    import json

    from experiments import bench as b

    if repeat < 1:
        raise UserError("--repeat: allowed 1 or more")
    scales = sorted(set(scale or [100, 10, 1]), reverse=True)  # small cities first
    if any(s < 1 for s in scales):
        raise UserError("--scale: allowed 1 or more (real households per agent)")
    base = load_scenario(scenario)
    info = b.machine()
    print(
        f"{base.name}: {base.run.start_year}-{base.run.end_year}, {repeat} run(s) per scale; "
        f"{info.get('cpu', '?')}, {info['cpus']} CPUs, Python {info['python']}, "
        f"load {info.get('load_before', '?')}",
        flush=True,
    )
    # the reference is timed before our runs and again after each of them, so that a machine
    # that speeds up or slows down meanwhile (a shared one does) weighs on both sides alike
    rss_start = b.resident_mb()
    ref_rates: list[float] = b.boltzmann_rate(repeat=2)[1] if reference else []
    rss_base = b.resident_mb()
    if rss_start is not None and rss_base is not None:
        note = (
            f", {rss_base - rss_start:.0f} MB of it left by Mesa's reference example"
            if reference
            else ""
        )
        print(f"resident memory before our runs: {rss_base:.0f} MB{note}", flush=True)

    def time_reference(*_) -> None:
        gc.collect()  # our run's garbage is not the reference's to clear
        ref_rates.extend(b.boltzmann_rate(repeat=1)[1])

    results = []
    print(b.HEADER, flush=True)
    for s in scales:
        results.append(
            b.time_scale(base, s, repeat, progress=time_reference if reference else None)
        )
        print(b.format_row(results[-1]), flush=True)
    exponent = b.growth_exponent(results)
    if exponent is not None:
        print(f"time grows as households^{exponent:.2f} (1 = linear)")
    ref_rate = ratio = None
    if reference:
        ref_rate = statistics.median(ref_rates)
        print(
            f"Mesa BoltzmannWealth, {b.BOLTZMANN_AGENTS:,} agents on a "
            f"{b.BOLTZMANN_GRID}x{b.BOLTZMANN_GRID} grid: {ref_rate:,.0f} agent-steps/s "
            f"(median of {len(ref_rates)} timings between our runs, "
            f"{min(ref_rates):,.0f} to {max(ref_rates):,.0f})"
        )
        ratio = b.ratio(results, ref_rate)
        smallest = min(scales)
        print(
            f"ratio at scale {smallest}: {ratio:.1f}x Mesa's agent-steps/s "
            f"({b.ratio(results, max(ref_rates)):.1f}x against its fastest timing)"
        )
    if out:
        payload = {
            "scenario": str(scenario),
            "repeat": repeat,
            "machine": info,
            "results": b.as_records(results),
            "growth_exponent": exponent,
            "boltzmann_agent_steps_per_s": ref_rate,
            "boltzmann_rates": ref_rates,
            "ratio": ratio,
            "resident_mb_before_runs": rss_base,
            "resident_mb_at_start": rss_start,
            "ratio_to_fastest_reference": b.ratio(results, max(ref_rates)) if ref_rates else None,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(payload, indent=2), encoding="utf-8")


app.command(name="batch")(batch_command)  # experiments/batch.py


app.command(name="app")(app_command)  # experiments/launch.py


app.command(name="sensitivity")(sensitivity.command)  # experiments/sensitivity.py


app.command(name="report")(report.command)  # experiments/report.py


def main(argv: list[str] | None = None) -> int:
    """Entry point: one-line messages and exit code 2 for user mistakes."""
    try:
        # a command's typer.Exit(code), and an interrupt (130), come back as the return value
        code = app(args=argv, standalone_mode=False)
    except (ScenarioError, UserError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except click_exceptions.UsageError as exc:
        cmd = exc.ctx.command_path if exc.ctx else "ezhou"
        print(f"error: {cmd}: {exc.format_message()}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    return code if isinstance(code, int) else 0


def main_exit() -> None:
    sys.exit(main())


if __name__ == "__main__":
    main_exit()
