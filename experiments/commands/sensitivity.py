"""``ezhou sensitivity SPEC --out DIR``: a global sensitivity analysis of a sensitivity file
(:mod:`experiments.formats.sensitivity`) through :mod:`experiments.analysis`, and the
parameters that drive each output printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import mesa  # noqa: F401  (Mesa first: experiments/commands/scenarios.py says why)
import numpy as np
import typer

from experiments.analysis.indices import MAIN_INDEX, Indices
from experiments.analysis.sampling import sample
from experiments.analysis.sensitivity import run_study
from experiments.commands.options import (
    DaskHostOption,
    ExecutorOption,
    PartSecondsOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
    check_part_seconds,
)
from experiments.formats.sensitivity import Study, load_study
from experiments.runner import check_writable


def ranking_table(study: Study, result: Indices, top: int = 5) -> str:
    """Text: per output, the most influential parameters by the method's main index."""
    main = MAIN_INDEX[study.method]
    conf = f"{main}_conf" if f"{main}_conf" in result.indices else None
    lines = [f"{study.method}: parameters ranked by {main} (± half-width of the interval)"]
    for name, output_indices in result.indices.groupby("output", sort=False):
        lines.append("")
        lines.append(name)
        output_indices = output_indices.sort_values(main, ascending=False).head(top)
        for _, row in output_indices.iterrows():
            interval = f" ± {row[conf]:.3g}" if conf and np.isfinite(row[conf]) else ""
            lines.append(f"  {row['parameter']:<66} {row[main]:>10.4g}{interval}")
    return "\n".join(lines)


def sensitivity_command(
    spec: Annotated[Path, typer.Argument(help="Sensitivity file (TOML).")],
    out: Annotated[Path, typer.Option(help="Folder for the runs and the indices.")],
    executor: ExecutorOption = "processes",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    dask_host: DaskHostOption = "127.0.0.1",
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run in --out: only missing runs.")
    ] = False,
    part_seconds: PartSecondsOption = 2.0,
    dry_run: Annotated[
        bool, typer.Option(help="Check the file and print the sample size; run nothing.")
    ] = False,
    drop_failed: Annotated[
        bool,
        typer.Option(
            help="If runs fail, analyse without the trajectories or blocks that hold them "
            "(stated in the results and the report) instead of stopping."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option(help="Log lines instead of a progress bar.")] = False,
) -> None:
    """Global sensitivity analysis (Morris, Sobol, delta, PAWN) of the goals, or of the
    reforms' effect on them, to levers, conditions and the model's behavioural parameters:
    sample, run through the batch engine, analyse, write indices.csv."""
    study = load_study(spec)
    check_part_seconds(part_seconds)
    samples = sample(study)
    n_runs = len(samples) * study.spec.replications
    about = (
        f"{study.spec.name}: {study.method}, {len(study.names)} parameters, {len(samples)} "
        f"sample points x {study.spec.replications} seed(s) = {n_runs} runs"
    )
    if study.against is not None:
        # each run also simulates its counterfactual: twice the model's time
        about += f", each also run with {study.against.replace('_', ' ')} ({2 * n_runs} model runs)"
    if study.base is not None:
        run = study.base.run
        about += f", scale {run.scale}, {run.start_year}-{run.end_year}"
    check_writable(out)  # before anything runs, and in a dry run too: the run will need it
    if dry_run:
        print(f"{spec}: valid ({about})")
        return
    if not quiet:
        print(about, file=sys.stderr)
    result = run_study(
        study,
        out,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        host=dask_host,
        resume=resume,
        quiet=quiet,
        drop_failed=drop_failed,
        part_seconds=part_seconds,
    )
    if result.n_failed:
        run_id, seed, error = result.failures[0]
        what = (
            "their blocks of the sample are left out of the analysis (--drop-failed)"
            if result.indices is not None
            else "no indices computed; fix the cause and continue with --resume, or analyse "
            "without them with --resume --drop-failed"
        )
        print(
            f"{'warning' if result.indices is not None else 'error'}: {result.n_failed} of "
            f"{n_runs} runs failed (first: run {run_id}, seed {seed}: {error}; all in "
            f"{out}/manifest.json); {what}",
            file=sys.stderr,
        )
        if result.indices is None:
            raise typer.Exit(1)
    print(ranking_table(study, result.indices))
    print(
        f"\n{n_runs} runs, {result.wall_seconds:.1f} s. Results in {out}/ (indices.csv, "
        "convergence.csv, noise.csv, outputs.csv, sample.csv, sensitivity.json); "
        f"ezhou report {out} makes report.html"
    )
