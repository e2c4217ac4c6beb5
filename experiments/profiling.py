"""Profile one run of the model with pyinstrument (``make profile``).

    python -m experiments.profiling [SCENARIO] [--scale N] [--seed N] [--out FILE]

prints the call tree of one whole run (build and all quarters) and writes it to ``--out``
as text. pyinstrument is an optional dependency (``pip install -e '.[perf]'``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from model.api import simulate
from model.scenario import ScenarioError, load_scenario


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.profiling", description=__doc__)
    ap.add_argument("scenario", nargs="?", default="scenarios/full_programme.toml")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--interval", type=float, default=0.002, help="sampling interval, s")
    ap.add_argument("--out", type=Path, default=None, help="also write the profile here")
    args = ap.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("error: pyinstrument is not installed (pip install -e '.[perf]')", file=sys.stderr)
        return 2
    try:
        sc = load_scenario(args.scenario).with_run(scale=args.scale)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    profiler = Profiler(interval=args.interval)
    t0 = time.perf_counter()
    profiler.start()
    res = simulate(sc, args.seed, check_invariants=False)
    profiler.stop()
    wall = time.perf_counter() - t0
    text = profiler.output_text(unicode=False, color=False)
    header = (
        f"{sc.name}, scale {args.scale}, seed {args.seed}: {wall:.2f} s under the profiler, "
        f"{res.household_agent_steps:,} household-agent steps\n"
    )
    print(header + text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(header + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
