"""Benchmarks of the batch engine (figures in docs/performance.md, "Batch engine").

    python -m experiments.bench_batch                 # everything, as in the docs
    python -m experiments.bench_batch overhead --runs 20
    python -m experiments.bench_batch speedup --runs 40
    python -m experiments.bench_batch memory --runs 200 2000 --end-year 2010
    python -m experiments.bench_batch resume --runs 2000
    python -m experiments.bench_batch pool --runs 200 --workers 2

- **overhead**: the same runs timed bare (``simulate`` in a loop, one process) and through
  the engine on the serial executor (design, work function, Parquet parts, manifest,
  summary): the difference per run, against the bare time per run.
- **speedup**: the same batch on the serial executor and on a pool of 2 worker processes,
  wall time including the pool's start.
- **memory**: a batch of each size in a fresh process on 2 workers; a sampler reads the
  resident memory of the batch process and of all its children every 0.1 s and keeps the
  peaks.
- **resume**: a folder of replayed runs (three tables) resumed with nothing left to run: what
  the check of every part on ``--resume`` costs (best of three).
- **pool**: ``--runs`` default-scale runs of the full programme on a pool of worker processes
  (design points, a lever varied a little, five replications each), wall time over runs (pool
  start included): on paired seeds, where each worker builds each seed's 2010 economy once
  and starts its other runs from copies (``model/builds.py``), and on seeds of their own,
  where every run builds its own; each twice, in the order paired, own, own, paired.

Every figure depends on what else the machine is doing: the load average (``uptime``) is
printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil  # comes with dask distributed

from experiments.engine.execute import execute
from experiments.engine.model_task import run_model_task, task_scenario
from experiments.formats.experiment import Experiment, parse_experiment
from model.api import simulate

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
PROGRAMME = ROOT / "scenarios" / "full_programme.toml"
TABLES = ("annual", "quarterly", "zones")


def experiment(
    runs: int, end_year: int | None = None, scale: int | None = None, base: Path = BASELINE
) -> Experiment:
    """The baseline scenario (or ``base``) replicated ``runs`` times (no factors)."""
    lines = [f'name = "bench"\nreplications = {runs}\nseed = 1']
    if base.is_file():
        lines.append(f"base = {json.dumps(str(base))}")
    if end_year:
        lines.append(f"end_year = {end_year}")
    if scale:
        lines.append(f"scale = {scale}")
    return parse_experiment("\n".join(lines) + "\n", ROOT / "bench.toml")


def design(runs: int, seeds: int, paired: bool = True) -> Experiment:
    """``runs`` runs of the full programme at default scale, 2010-2020: ``runs / seeds``
    design points (the talent programme's recruits varied a little about their default) with
    ``seeds`` replications each, on the same seeds at every point (``paired``) or on seeds
    of their own."""
    points = max(1, runs // seeds)
    text = (
        f'name = "bench_pool"\nbase = {json.dumps(str(PROGRAMME))}\nseed = 1\n'
        f"replications = {seeds}\npaired_seeds = {json.dumps(paired)}\n"
        '[design]\nkind = "grid"\n'
        '[factors."levers.talent.recruits_per_year"]\n'
        f"values = {[1000.0 + 10 * i for i in range(points)]}\n"
    )
    return parse_experiment(text, ROOT / "bench.toml")


def pool(runs: int, workers: int, seeds: int = 5) -> dict:
    """Wall seconds per run of a pool of ``workers`` processes, for the same design points
    with ``seeds`` replications each: on paired seeds (a worker meets each seed again and
    starts from a copy of its build) and on seeds of their own (every run builds its own).
    Each is timed twice, in the order shared, own, own, shared, so that a change in the
    machine's load weighs on both alike."""
    batches = {"shared": design(runs, seeds, paired=True), "own": design(runs, seeds, False)}
    walls: dict[str, list[float]] = {"shared": [], "own": []}
    for kind in ("shared", "own", "own", "shared"):
        walls[kind].append(batch_seconds(batches[kind], "processes", workers)[0])
    n_runs = batches["shared"].n_runs
    return {
        "runs": n_runs,
        "workers": workers,
        "seeds": seeds,
        "shared_builds_s_per_run": statistics.mean(walls["shared"]) / n_runs,
        "own_builds_s_per_run": statistics.mean(walls["own"]) / n_runs,
        "shared_builds_wall_s": walls["shared"],
        "own_builds_wall_s": walls["own"],
    }


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


_REPLAY: dict = {}  # tables of one real run, handed back by replay_task


def replay_task(task) -> dict:
    """Everything run_model_task does except running the model: builds and validates the
    task's scenario, and returns the tables of a run made beforehand (serial executor only)."""
    task_scenario(task)
    return {name: _REPLAY[name] for name in task.payload.tables}


def batch_seconds(
    exp: Experiment, executor: str, workers: int | None = None, work=run_model_task
) -> tuple[float, float]:
    """Wall and CPU seconds (of this process) of the batch through the engine."""
    with tempfile.TemporaryDirectory(prefix="ezhou-bench-") as tmp:
        c0 = time.process_time()
        t0 = time.perf_counter()
        res = execute(
            exp.tasks(),
            work,
            Path(tmp) / "out",
            fingerprint=exp.fingerprint(),
            meta={"kind": "bench"},
            executor=executor,
            workers=workers,
            quiet=True,
            progress=lambda *a: None,
        )
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
    assert res.n_done == exp.n_runs, res.failures[:1]
    return wall, cpu


def bare_seconds(exp: Experiment) -> tuple[float, float]:
    """Wall and CPU seconds of the same runs by ``simulate`` in a loop."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    for task in exp.tasks():
        simulate(exp.base, task.seed, check_invariants=False)
    return time.perf_counter() - t0, time.process_time() - c0


def overhead(runs: int, repeat: int) -> dict:
    exp = experiment(runs)
    res = simulate(exp.base, 1, check_invariants=False)  # also warms caches and imports
    _REPLAY.update(annual=res.annual, quarterly=res.quarterly, zones=res.zones)
    alone = min(batch_seconds(exp, "serial", work=replay_task)[0] for _ in range(repeat))
    bare, engine, bare_cpu, engine_cpu = [], [], [], []
    for _ in range(repeat):  # interleaved, so that a change of load hits both alike
        wall, cpu = bare_seconds(exp)
        bare.append(wall)
        bare_cpu.append(cpu)
        wall, cpu = batch_seconds(exp, "serial")
        engine.append(wall)
        engine_cpu.append(cpu)
    b, e = min(bare), min(engine)
    bc, ec = min(bare_cpu), min(engine_cpu)
    return {
        "engine_alone_s_per_run": alone / runs,
        "engine_alone_share": alone / b,
        "bare_cpu_s_per_run": bc / runs,
        "engine_cpu_s_per_run": ec / runs,
        "overhead_cpu_share": (ec - bc) / bc,
        "runs": runs,
        "scale": exp.base.run.scale,
        "years": f"{exp.base.run.start_year}-{exp.base.run.end_year}",
        "bare_s_per_run": b / runs,
        "engine_s_per_run": e / runs,
        "overhead_s_per_run": (e - b) / runs,
        "overhead_share": (e - b) / b,
    }


def resume(runs: int) -> dict:
    """A folder of ``runs`` replayed runs with all three tables, then resumed with nothing to
    run (no summary): the time is the folder's check on resume, lock to clean-up."""
    spec = {"replications": runs, "seed": 1, "scale": 1000, "outputs": list(TABLES)}
    text = "".join(f"{key} = {json.dumps(value)}\n" for key, value in spec.items())
    head = f'name = "bench"\nbase = {json.dumps(str(BASELINE))}\n'
    exp = parse_experiment(head + text, ROOT / "bench.toml")
    res = simulate(exp.base, 1, check_invariants=False)
    _REPLAY.update(annual=res.annual, quarterly=res.quarterly, zones=res.zones)
    options = {"fingerprint": exp.fingerprint(), "meta": {}, "executor": "serial"}
    options |= {"quiet": True, "progress": lambda *args: None}
    with tempfile.TemporaryDirectory(prefix="ezhou-bench-") as tmp:
        out = Path(tmp) / "out"
        execute(exp.tasks(), replay_task, out, part_seconds=0.5, **options)
        seconds = []
        for _ in range(3):
            t0 = time.perf_counter()
            again = execute(exp.tasks(), replay_task, out, resume=True, summary=False, **options)
            seconds.append(time.perf_counter() - t0)
            assert again.n_ran == 0
        files = list(out.glob("runs/*/part-*.parquet"))
        size = sum(path.stat().st_size for path in files)
    return {"runs": runs, "files": len(files), "mb": size / 1e6, "resume_s": min(seconds)}


def speedup(runs: int, workers: int) -> dict:
    exp = experiment(runs)
    simulate(exp.base, 1, check_invariants=False)
    serial, _ = batch_seconds(exp, "serial")
    pool, _ = batch_seconds(exp, "processes", workers)
    return {
        "runs": runs,
        "workers": workers,
        "serial_s": serial,
        "processes_s": pool,
        "speedup": serial / pool,
    }


class PeakMemory:
    """Samples resident memory of this process and its children until stopped."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.main, self.total = every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                main = me.memory_info().rss
                kids = 0
                for child in me.children(recursive=True):
                    try:
                        kids += child.memory_info().rss
                    except psutil.Error:
                        pass
                self.main, self.total = max(self.main, main), max(self.total, main + kids)
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def memory_run(runs: int, end_year: int, workers: int) -> dict:
    """One batch in this process, with its peak memory (run in a fresh process)."""
    exp = experiment(runs, end_year=end_year)
    with PeakMemory() as peak:
        wall, _ = batch_seconds(exp, "processes", workers)
    return {
        "runs": runs,
        "end_year": end_year,
        "wall_s": wall,
        "peak_batch_process_mb": peak.main / 1e6,
        "peak_with_workers_mb": peak.total / 1e6,
    }


def memory(runs: list[int], end_year: int, workers: int) -> list[dict]:
    out = []
    for n in runs:
        cmd = [sys.executable, "-m", "experiments.bench_batch", "memory-run", "--runs", str(n)]
        cmd += ["--end-year", str(end_year), "--workers", str(workers)]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m experiments.bench_batch", description=__doc__)
    p.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=["all", "overhead", "speedup", "memory", "memory-run", "resume", "pool"],
    )
    p.add_argument("--runs", type=int, nargs="+", help="runs (memory: several sizes)")
    p.add_argument("--repeat", type=int, default=2, help="overhead: interleaved repeats")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--end-year", type=int, default=2010, help="memory: last year of each run")
    a = p.parse_args(argv)
    if a.what == "memory-run":
        print(json.dumps(memory_run(a.runs[0], a.end_year, a.workers)))
        return 0
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {load()}", flush=True)
    if a.what in ("all", "overhead"):
        r = overhead((a.runs or [20])[0], a.repeat)
        print(
            f"overhead: engine alone (model replaced by a stored run) "
            f"{r['engine_alone_s_per_run'] * 1000:.1f} ms/run = {r['engine_alone_share']:.1%} "
            "of the bare model time\n"
            f"overhead: {r['runs']} runs at scale {r['scale']}, {r['years']}: bare "
            f"{r['bare_s_per_run']:.3f} s/run, engine {r['engine_s_per_run']:.3f} s/run, "
            f"overhead {r['overhead_s_per_run'] * 1000:+.1f} ms/run ({r['overhead_share']:+.1%}); "
            f"CPU time: bare {r['bare_cpu_s_per_run']:.3f} s/run, engine "
            f"{r['engine_cpu_s_per_run']:.3f} s/run ({r['overhead_cpu_share']:+.1%})",
            flush=True,
        )
    if a.what in ("all", "speedup"):
        r = speedup((a.runs or [40])[0], a.workers)
        print(
            f"speedup: {r['runs']} runs, serial {r['serial_s']:.1f} s, {r['workers']} workers "
            f"{r['processes_s']:.1f} s: {r['speedup']:.2f}x",
            flush=True,
        )
    if a.what in ("all", "memory"):
        for r in memory(
            a.runs if a.what == "memory" and a.runs else [200, 2000], a.end_year, a.workers
        ):
            print(
                f"memory: {r['runs']} runs (2010-{r['end_year']}) in {r['wall_s']:.0f} s: peak "
                f"batch process {r['peak_batch_process_mb']:.0f} MB, with workers "
                f"{r['peak_with_workers_mb']:.0f} MB",
                flush=True,
            )
    if a.what in ("all", "resume"):
        r = resume((a.runs or [2000])[0])
        print(
            f"resume: {r['runs']} runs in {r['files']} table files ({r['mb']:.1f} MB), nothing "
            f"to run: {r['resume_s']:.3f} s",
            flush=True,
        )
    if a.what == "pool":
        r = pool((a.runs or [200])[0], a.workers)
        print(
            f"pool: {r['runs']} default-scale runs (full programme, 2010-2020) on "
            f"{r['workers']} workers, {r['runs'] // r['seeds']} design points x {r['seeds']} "
            f"seeds: {r['shared_builds_s_per_run']:.3f} s/run on paired seeds (each worker "
            f"copies a seed's build), {r['own_builds_s_per_run']:.3f} s/run on seeds of their "
            f"own (every run builds); wall s {r['shared_builds_wall_s']} and "
            f"{r['own_builds_wall_s']}",
            flush=True,
        )
    print(f"# after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
