"""``ezhou batch SPEC``: run an experiment file (:mod:`experiments.formats.experiment`) through
the batch engine and print each design point's goal scores."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import mesa  # noqa: F401  (Mesa first: experiments/commands/scenarios.py says why)
import pandas as pd
import typer

from experiments.commands.options import (
    DaskHostOption,
    ExecutorOption,
    PartSecondsOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
    check_part_seconds,
)
from experiments.engine.execute import execute
from experiments.engine.model_task import LABEL, run_model_task
from experiments.formats.experiment import Experiment, load_experiment
from experiments.runner import check_writable

GOALS = {
    "goal1_levels_score": "goal 1 (levels)",
    "goal2_per_capita_score": "goal 2 (per capita)",
    "goal3_quality_score": "goal 3 (quality)",
}


def point_labels(exp: Experiment) -> list[str]:
    """A short label per design point: its name, or its factor values."""
    labels = []
    for i, point in enumerate(exp.points):
        if LABEL in point:
            labels.append(str(point[LABEL]))
        elif point:
            labels.append(
                ", ".join(
                    f"{path.rsplit('.', 1)[-1]}={format_value(value)}"
                    for path, value in point.items()
                )
            )
        else:
            labels.append(f"point {i}")
    return labels


def format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def goals_by_point(exp: Experiment, out: Path, max_points: int = 24) -> str | None:
    """The three goal scores at the end year per design point, mean [5%, 95%], from
    summary.csv; None when there are too many points to print."""
    if len(exp.points) > max_points or not (out / "summary.csv").exists():
        return None
    year = exp.base.run.end_year
    summary = pd.read_csv(
        out / "summary.csv", usecols=["point_id", "year", "indicator", "mean", "q05", "q95"]
    )
    rows = summary[(summary.year == year) & summary.indicator.isin(GOALS)]
    labels = point_labels(exp)
    width = min(48, max(12, *(len(label) for label in labels)) + 2)
    lines = [
        f"{'goal scores in ' + str(year):<{width}}"
        + "".join(f"{label:>24}" for label in GOALS.values())
    ]
    for point_id, label in enumerate(labels):
        cells = []
        for goal in GOALS:
            row = rows[(rows.point_id == point_id) & (rows.indicator == goal)]
            if row.empty:
                cells.append("-")
            elif exp.spec.replications == 1:
                cells.append(f"{row['mean'].iat[0]:.1f}")
            else:
                mean, q05, q95 = row["mean"].iat[0], row.q05.iat[0], row.q95.iat[0]
                cells.append(f"{mean:.1f} [{q05:.1f}, {q95:.1f}]")
        lines.append(f"{label[: width - 2]:<{width}}" + "".join(f"{cell:>24}" for cell in cells))
    if exp.spec.replications == 1:
        lines.append("one seed per point: no interval across seeds (set replications = 2 or more)")
    else:
        lines.append(f"mean [5%, 95%] across {exp.spec.replications} seeds per point")
    return "\n".join(lines)


def batch_command(
    spec: Annotated[Path, typer.Argument(help="Experiment file (TOML), e.g. experiments/specs/.")],
    out: Annotated[
        Path | None, typer.Option(help="Results folder (default results/<spec name>).")
    ] = None,
    executor: ExecutorOption = "processes",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    dask_host: DaskHostOption = "127.0.0.1",
    resume: Annotated[
        bool, typer.Option(help="Continue a stopped batch in --out: run only what is missing.")
    ] = False,
    part_seconds: PartSecondsOption = 2.0,
    dry_run: Annotated[
        bool, typer.Option(help="Check the file and print the design; run nothing.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="Log lines instead of a progress bar.")] = False,
) -> None:
    """Run an experiment file: every design point and replication, streamed to Parquet."""
    exp = load_experiment(spec)
    check_part_seconds(part_seconds)
    reps = exp.spec.replications
    shape = f"{len(exp.points)} point(s) x {reps} replication(s) = {exp.n_runs} runs"
    settings = exp.base.run
    about = (
        f"{exp.name}: {shape}, scale {settings.scale}, "
        f"{settings.start_year}-{settings.end_year}, "
        f"tables {', '.join(exp.tables)}"
    )
    out = out or Path("results") / exp.name
    check_writable(out)  # before anything runs, and in a dry run too: the run will need it
    if dry_run:
        print(f"{spec}: valid ({about})")
        for point_id, label in enumerate(point_labels(exp)[:20]):
            print(f"  point {point_id}: {label}")
        if len(exp.points) > 20:
            print(f"  ... {len(exp.points) - 20} more")
        return
    meta = {
        "kind": "batch",
        "name": exp.name,
        "spec_file": str(spec),
        "spec_text": exp.text,
        "base_scenario": exp.base.to_toml(),
        "factors": exp.factors,
        "replications": reps,
        "paired_seeds": exp.spec.paired_seeds,
        "n_points": len(exp.points),
        "tables": list(exp.tables),
    }
    if not quiet:
        print(about, file=sys.stderr)
    result = execute(
        exp.tasks(),
        run_model_task,
        out,
        tables=exp.tables,
        fingerprint=exp.fingerprint(),
        meta=meta,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        resume=resume,
        quiet=quiet,
        part_seconds=part_seconds,
        host=dask_host,
    )
    print(
        f"{exp.name}: {result.n_done}/{result.n_runs} runs done, {result.n_failed} failed; "
        f"{result.n_ran} ran now in {result.wall_seconds:.1f} s on {result.executor}"
    )
    table = goals_by_point(exp, out)
    if table:
        print("\n" + table)
    print(f"\nresults in {out}/ (runs/, summary.csv, design.csv, manifest.json)")
    if result.failures:
        run_id, seed, error = result.failures[0]
        print(
            f"{result.n_failed} run(s) failed (each with its error and seed in manifest.json); "
            f"first: run {run_id}, seed {seed}: {error}",
            file=sys.stderr,
        )
        raise typer.Exit(1)
