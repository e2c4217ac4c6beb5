"""A sensitivity study's own tasks run in one process, as a worker runs them: CPU seconds per
task and the 2010 builds made and copied (figures in docs/performance.md, "One build for runs
that differ only where the build does not look").

    python -m experiments.bench_study_tasks                       # the Sobol example, 60 spread
    python -m experiments.bench_study_tasks --tasks 64 --in-a-row
    python -m experiments.bench_study_tasks SPEC --tasks 60

Five tasks are run first (the process warms up and keeps their builds); then ``--tasks`` tasks,
each in run order so that seeds recur as in a worker: spread evenly over the sample, or, with
``--in-a-row``, that many consecutive ones from the middle of the sample. The load average is
printed before and after.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from experiments.analysis.sampling import make_tasks, sample, work_function
from experiments.bench_batch import load
from experiments.formats.sensitivity import load_study
from model.api import build_cache

SOBOL_EXAMPLE = "experiments/specs/sobol_core_reforms.toml"
WARM_UP = 5


def chosen(n_tasks: int, wanted: int, in_a_row: bool) -> tuple[range, list[int]]:
    """The warm-up tasks' indices and the measured ones'."""
    if in_a_row:
        first = n_tasks // 2
        return range(first - WARM_UP, first), list(range(first, min(first + wanted, n_tasks)))
    spread = np.linspace(WARM_UP, n_tasks - 1, wanted).astype(int)
    return range(WARM_UP), sorted(set(spread.tolist()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", default=SOBOL_EXAMPLE)
    parser.add_argument("--tasks", type=int, default=60)
    parser.add_argument("--in-a-row", action="store_true")
    args = parser.parse_args(argv)
    print("before:", load())
    study = load_study(args.spec)
    tasks = make_tasks(study, sample(study))
    work = work_function(study)
    warm, measured = chosen(len(tasks), args.tasks, args.in_a_row)
    for i in warm:
        work(tasks[i])
    cache = build_cache()
    hits, misses, years = cache.hits, cache.misses, cache.year_hits
    seconds = []
    for i in measured:
        start = time.process_time()
        work(tasks[i])
        seconds.append(time.process_time() - start)
    print(
        f"{len(seconds)} of {len(tasks)} tasks ({'in a row' if args.in_a_row else 'spread'}): "
        f"CPU s a task median {statistics.median(seconds):.4f}, "
        f"mean {statistics.mean(seconds):.4f}, min {min(seconds):.4f}; "
        f"builds made {cache.misses - misses}, copied {cache.hits - hits}; "
        f"runs started from a kept first year {cache.year_hits - years}"
    )
    print("after:", load())


if __name__ == "__main__":
    main()
