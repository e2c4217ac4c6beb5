"""``ezhou bench``: whole runs timed by scale beside Mesa's Boltzmann wealth example
(:mod:`experiments.bench`)."""

from __future__ import annotations

import gc
import statistics
from pathlib import Path
from typing import Annotated

import typer

from experiments.errors import UserError
from model.scenario import load_scenario


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
    warm: Annotated[
        bool,
        typer.Option(
            help="Also time warm runs: each starting from a copy of its 2010 economy, built "
            "before in the process (as in a batch worker or the app)."
        ),
    ] = True,
    out: Annotated[
        Path | None, typer.Option(help="Also write the figures to this JSON file.")
    ] = None,
) -> None:
    """Time whole runs by scale (wall seconds, household-agent steps per second, peak
    memory) beside Mesa's Boltzmann wealth example on the same machine: cold runs, each
    building its 2010 economy, and warm runs, each starting from a copy of one built before."""
    import json

    from experiments import bench as bench_tools

    if repeat < 1:
        raise UserError("--repeat: allowed 1 or more")
    scales = sorted(set(scale or [100, 10, 1]), reverse=True)  # small cities first
    if any(value < 1 for value in scales):
        raise UserError("--scale: allowed 1 or more (real households per agent)")
    base = load_scenario(scenario)
    info = bench_tools.machine()
    print(
        f"{base.name}: {base.run.start_year}-{base.run.end_year}, {repeat} run(s) per scale; "
        f"{info.get('cpu', '?')}, {info['cpus']} CPUs, Python {info['python']}, "
        f"load {info.get('load_before', '?')}",
        flush=True,
    )
    # the reference is timed before our runs and again after each of them, so that a machine
    # that speeds up or slows down meanwhile (a shared one does) weighs on both sides alike
    rss_start = bench_tools.resident_mb()
    ref_rates: list[float] = bench_tools.boltzmann_rate(repeat=2)[1] if reference else []
    rss_base = bench_tools.resident_mb()
    if rss_start is not None and rss_base is not None:
        note = (
            f", {rss_base - rss_start:.0f} MB of it left by Mesa's reference example"
            if reference
            else ""
        )
        print(f"resident memory before our runs: {rss_base:.0f} MB{note}", flush=True)

    def time_reference(*_) -> None:
        gc.collect()  # our run's garbage is not the reference's to clear
        ref_rates.extend(bench_tools.boltzmann_rate(repeat=1)[1])

    results, warm_results = [], []
    print(bench_tools.STARTS, flush=True)
    print(bench_tools.HEADER, flush=True)
    starts = ("cold", "warm") if warm else ("cold",)
    for each_scale in scales:
        progress = time_reference if reference else None
        timed = bench_tools.time_starts(base, each_scale, repeat, starts, progress)
        results.append(timed["cold"])
        print(bench_tools.format_row(results[-1]), flush=True)
        if warm:
            warm_results.append(timed["warm"])
            print(bench_tools.format_row(warm_results[-1]), flush=True)
    exponent = bench_tools.growth_exponent(results)
    if exponent is not None:
        print(f"time grows as households^{exponent:.2f} (1 = linear, cold runs)")
    ref_rate = ratio = None
    if reference:
        ref_rate = statistics.median(ref_rates)
        print(
            f"Mesa BoltzmannWealth, {bench_tools.BOLTZMANN_AGENTS:,} agents on a "
            f"{bench_tools.BOLTZMANN_GRID}x{bench_tools.BOLTZMANN_GRID} grid: "
            f"{ref_rate:,.0f} agent-steps/s "
            f"(median of {len(ref_rates)} timings between our runs, "
            f"{min(ref_rates):,.0f} to {max(ref_rates):,.0f})"
        )
        ratio = bench_tools.ratio(results, ref_rate)
        smallest = min(scales)
        print(
            f"ratio at scale {smallest}, cold: {ratio:.1f}x Mesa's agent-steps/s "
            f"({bench_tools.ratio(results, max(ref_rates)):.1f}x against its fastest timing)"
        )
    if out:
        payload = {
            "scenario": str(scenario),
            "repeat": repeat,
            "machine": info,
            "results": bench_tools.as_records(results),
            "warm_results": bench_tools.as_records(warm_results),
            "growth_exponent": exponent,
            "boltzmann_agent_steps_per_s": ref_rate,
            "boltzmann_rates": ref_rates,
            "ratio": ratio,
            "resident_mb_before_runs": rss_base,
            "resident_mb_at_start": rss_start,
            "ratio_to_fastest_reference": bench_tools.ratio(results, max(ref_rates))
            if ref_rates
            else None,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
