"""Time this checkout against an earlier commit, interleaved on the same machine.

``python -m experiments.bench_interleaved --against 87ee570 --scale 100 --rounds 8 --repeat 5``
checks the earlier commit out into a temporary git worktree and, round after round, times
the full programme there and here in fresh processes (the order alternates between rounds),
so that drifts in the machine's speed hit both alike. Each timing is what ``ezhou bench``
times: building and running one scenario after a warm-up run, garbage collected first. Both
sides run the same seeds. Prints the medians and their ratio; ``--out`` writes every timing
as JSON. ``--against`` may name several commits, comma-separated (``--against
87ee570,8e8242f``): all are timed in every round, to see what each step between them cost.
``--clock cpu`` times the processor seconds the timing process itself used instead
of wall seconds: on a machine other work shares, it is far less disturbed by that work (it
still counts what sharing costs the caches), though it is not what a user waits.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

# runs in a fresh interpreter with the checkout to time first on sys.path
_TIMER = """
import gc, json, sys, time
root, scale, repeat, first_seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
clock = time.process_time if sys.argv[6] == "cpu" else time.perf_counter
sys.path.insert(0, root)
import model
assert model.__file__.startswith(root), model.__file__
from model.api import simulate
from model.scenario import load_scenario
scenario = load_scenario(root + "/scenarios/" + sys.argv[5]).with_run(scale=scale)
simulate(scenario.with_run(end_year=scenario.run.start_year), 1, check_invariants=False)
seconds = []
for i in range(repeat):
    gc.collect()
    started = clock()
    simulate(scenario, first_seed + i, check_invariants=False)
    seconds.append(clock() - started)
print(json.dumps(seconds))
"""


def time_checkout(
    root: Path, scale: int, repeat: int, first_seed: int, scenario: str, clock: str = "wall"
) -> list:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _TIMER,
            str(root),
            str(scale),
            str(repeat),
            str(first_seed),
            scenario,
            clock,
        ],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # not this checkout: its folder would shadow the other
    )
    if result.returncode:
        raise SystemExit(f"timing {root} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--against",
        required=True,
        help="the earlier commit to time against, or several, comma-separated, oldest first",
    )
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5, help="runs per process and round")
    parser.add_argument("--scenario", default="full_programme.toml")
    parser.add_argument(
        "--clock", choices=["wall", "cpu"], default="wall", help="wall or processor seconds"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    commits = [c.strip() for c in args.against.split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="ezhou-bench-") as folder:
        roots = {commit: Path(folder) / commit for commit in commits}
        try:
            for commit, root in roots.items():
                subprocess.run(
                    ["git", "-C", str(HERE), "worktree", "add", "--detach", str(root), commit],
                    check=True,
                    capture_output=True,
                )
            roots["this"] = HERE
            names = list(roots)
            seconds: dict[str, list[float]] = {name: [] for name in names}
            for round_ in range(args.rounds):
                # the order is reversed every other round, so that drift hits all alike
                for name in names if round_ % 2 == 0 else names[::-1]:
                    seconds[name] += time_checkout(
                        roots[name], args.scale, args.repeat, 100 + round_ * args.repeat,
                        args.scenario, args.clock,
                    )  # fmt: skip
                print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
        finally:
            for commit in commits:
                subprocess.run(
                    ["git", "-C", str(HERE), "worktree", "remove", "--force", str(roots[commit])],
                    capture_output=True,
                )
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, values in seconds.items():
        print(
            f"{name:8s} median {medians[name]:.3f} {args.clock} s  min {min(values):.3f}  "
            f"max {max(values):.3f}  ({len(values)} runs)"
        )
    print(f"this / {commits[0]} (medians): {medians['this'] / medians[commits[0]]:.4f}")
    if args.out:
        record = {
            "against": commits,
            "scale": args.scale,
            "scenario": args.scenario,
            "clock": args.clock,
            "machine": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "seconds": seconds,
        }
        args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
