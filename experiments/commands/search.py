"""``ezhou search SPEC --out DIR``: a multi-objective search of a search file
(:mod:`experiments.formats.search`) through :mod:`experiments.analysis.search`, and its Pareto
set printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import mesa  # noqa: F401  (Mesa first: experiments/commands/scenarios.py says why)
import pandas as pd
import typer

from experiments.analysis.search import run_search
from experiments.analysis.search_results import check_search_folder
from experiments.commands.batch import format_value
from experiments.commands.options import (
    DaskHostOption,
    ExecutorOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
)
from experiments.formats.search import Search, load_search
from experiments.runner import check_writable


def describe_search(search: Search) -> str:
    """What the search will do, in a few lines (printed by --dry-run and before a run)."""
    algo = search.spec.algorithm
    futures = len(search.futures)
    lines = [
        f"{search.name}: {search.algorithm}, {algo.population} candidates x "
        f"{algo.generations} generations x {futures} future(s) x {len(search.seeds)} seed(s) "
        f"= {search.n_runs} runs"
    ]
    if search.base is not None:
        run = search.base.run
        lines[0] += f", scale {run.scale}, {run.start_year}-{run.end_year}"
    for decision in search.decisions:
        if decision.kind == "choice":
            what = " | ".join(format_value(value) for value in decision.choices)
        else:
            what = f"{format_value(decision.value(decision.low))} .. "
            what += format_value(decision.value(decision.high))
        lines.append(f"  decision   {decision.path}: {what}")
    for objective, name in zip(search.spec.objectives, search.objective_names, strict=True):
        lines.append(f"  objective  {objective.sense} {name}")
    for constraint, name in zip(search.spec.constraints, search.constraint_names, strict=True):
        limit = f"<= {constraint.max:g}" if constraint.max is not None else f">= {constraint.min:g}"
        lines.append(f"  constraint {name} {limit}")
    robust = search.spec.robustness
    statistic = robust.statistic
    if statistic == "percentile":
        statistic = f"the {robust.percentile:g}th percentile from the bad side"
    conditions = sorted({path for future in search.futures for path in future} - {"point_name"})
    lines.append(
        f"  ensemble   {futures} future(s) over {', '.join(conditions) or 'the base conditions'}; "
        f"{len(search.seeds)} seed(s) each; {statistic} across futures"
    )
    return "\n".join(lines)


def front_table(search: Search, front: pd.DataFrame, top: int = 20) -> str:
    """The Pareto set: each candidate's objectives, then its levers, one line each."""
    names = search.objective_names
    lines = [
        f"Pareto set: {len(front)} candidate(s)" + (f" (first {top})" if len(front) > top else "")
    ]
    width = max(12, *(len(name) for name in names)) + 2
    lines.append("  " + "".join(f"{name:>{width}}" for name in names))
    for _, row in front.head(top).iterrows():
        lines.append("  " + "".join(f"{row[name]:>{width}.4g}" for name in names))
    return "\n".join(lines)


def search_command(
    spec: Annotated[Path, typer.Argument(help="Search file (TOML).")],
    out: Annotated[Path, typer.Option(help="Folder for the runs and the Pareto set.")],
    executor: ExecutorOption = "processes",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    dask_host: DaskHostOption = "127.0.0.1",
    resume: Annotated[
        bool, typer.Option(help="Continue a stopped search in --out: replay, then run the rest.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Check the file and print what the search would run; run nothing.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar; one line per generation.")] = False,
) -> None:
    """Multi-objective search (NSGA-II/III) for the levers that do best on every objective
    across an ensemble of futures: every run through the batch engine, the Pareto set and the
    hypervolume per generation written to --out."""
    search = load_search(spec)
    about = describe_search(search)
    check_writable(out)  # before anything runs, and in a dry run too: the run will need it
    check_search_folder(out, search.fingerprint(), resume)
    if dry_run:
        print(f"{spec}: valid\n{about}")
        return
    if not quiet:
        print(about, file=sys.stderr)
    result = run_search(
        search,
        out,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        host=dask_host,
        resume=resume,
        quiet=quiet,
    )
    print(front_table(search, result.front))
    last = result.convergence.iloc[-1]
    print(
        f"\n{result.n_runs} runs ({result.ran_now} now, {result.wall_seconds:.1f} s on "
        f"{result.executor}); hypervolume {last.hypervolume:.4f}. Results in {out}/ "
        "(pareto.csv, candidates.csv, evaluations.csv, convergence.csv, search.json)"
    )
    if result.n_failed_runs:
        print(
            f"warning: {result.n_failed_runs} run(s) failed; their candidates are left out of "
            f"the Pareto set (errors in {out}/evaluations.csv)",
            file=sys.stderr,
        )
