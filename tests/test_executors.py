"""The local process pool when its workers end badly: interrupted while a result is half
written, a worker dead with a result half written, a worker dead in a run of a batch.

A worker ended in the middle of writing a result leaves part of a message in the pool's
result pipe; without the project's mending, the pool's own thread waits for the rest for ever
and so does whoever waits on the pool. The first two tests write such a half message
themselves (deterministic, instead of hoping a signal lands mid-write) and run in a child
process, so that a hang fails the test instead of holding up the suite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd

from experiments.engine.execute import execute
from experiments.engine.tasks import Task
from experiments.runner import spawn_seeds

ROOT = Path(__file__).resolve().parent.parent

HALF_WRITTEN = """
import os, struct, sys, time
from concurrent.futures.process import BrokenProcessPool
from experiments.executors import open_pool

def half_written(pool):
    # the workers are up and the pool's thread waits for results; then what a worker ended
    # while writing a result leaves: a header announcing 1 MiB, and 10 bytes of it
    pool.executor.submit(os.getpid).result()
    writer = pool.executor._result_queue._writer
    os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"x" * 10)
    time.sleep(0.5)  # the pool's thread has read the header and waits for the rest
"""


def run_script(body: str) -> subprocess.CompletedProcess:
    code = HALF_WRITTEN + textwrap.dedent(body)
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("the pool hung") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_an_interrupt_while_a_result_is_half_written_ends_the_pool() -> None:
    done = run_script(
        """
        try:
            with open_pool("processes", workers=2) as pool:
                half_written(pool)
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            print("stopped")
        """
    )
    assert done.returncode == 0 and done.stdout.strip() == "stopped", done.stderr


def test_a_worker_dead_with_a_result_half_written_breaks_the_pool() -> None:
    done = run_script(
        """
        with open_pool("processes", workers=2) as pool:
            half_written(pool)
            calls = [pool.executor.submit(time.sleep, 60) for _ in range(3)]
            os.kill(next(iter(pool.executor._processes)), 9)
            deadline = time.monotonic() + 30
            while not all(call.done() for call in calls) and time.monotonic() < deadline:
                pool.watch()  # as the batch engine does while it waits
                time.sleep(0.1)
            broken = [isinstance(call.exception(0), BrokenProcessPool) for call in calls]
            print(broken)
        """
    )
    assert done.returncode == 0 and done.stdout.strip() == "[True, True, True]", done.stderr


def dies_in_run_3(task: Task) -> dict[str, pd.DataFrame]:
    """A work function whose run 3 ends its worker process (as the kernel's out-of-memory
    killer would); the others take a tenth of a second (so that calls hold two runs at most)
    and return a one-row table."""
    if task.run_id == 3:
        os._exit(9)
    time.sleep(0.1)
    return {"annual": pd.DataFrame({"y": [task.factors["x"]], "year": [2010]})}


def test_a_worker_that_dies_fails_its_runs_and_the_batch_goes_on(tmp_path) -> None:
    seeds = spawn_seeds(3, 12)
    tasks = [Task(i, i, seeds[i], {"x": float(i)}) for i in range(12)]
    res = execute(
        tasks,
        dies_in_run_3,
        tmp_path / "o",
        fingerprint="f",
        meta={},
        executor="processes",
        workers=2,
        quiet=True,
    )
    failed = {run_id: error for run_id, _, error in res.failures}
    # run 3 fails with whatever was in flight beside it on the broken pool (four calls of
    # two runs at most); the rest run on a new pool
    assert 3 in failed and res.n_failed <= 8 and res.n_done + res.n_failed == 12
    assert all("a worker process died" in error for error in failed.values())
