"""Where runs execute: in this process, on a local process pool, or on a Dask cluster.

All three sit behind :class:`concurrent.futures.Executor`, so the batch engine
(:mod:`experiments.store`) submits work and waits on futures the same way whichever is used:

- ``serial``: :class:`SerialExecutor` runs each call in this process when it is submitted;
- ``processes`` (the default): a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers
  are started fresh (``forkserver`` where the platform has it, else ``spawn``), never forked
  from a parent that may hold threads or open files;
- ``dask``: ``distributed.Client.get_executor()`` on a ``LocalCluster`` bound to the loopback
  interface when no scheduler is given, else on the scheduler at an address or in a scheduler
  file (docs/cluster.md).

A run's result does not depend on where it ran: each run draws only from its own seed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

EXECUTORS = ("serial", "processes", "dask")


class ExecutorError(ValueError):
    """Executor options that cannot work together, or a cluster that cannot be reached."""


class SerialExecutor(Executor):
    """Runs each call at once, in this process, when it is submitted.

    Exceptions are kept in the returned future, as a pool would keep them."""

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn, /, *args, **kwargs) -> Future:
        if self._shutdown:
            raise RuntimeError("cannot submit after shutdown")
        future: Future = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True


@dataclass
class Pool:
    """An executor and how to size the work kept in flight on it."""

    executor: Executor
    description: str
    slots: Callable[[], int]  # how many calls can run at once right now


def default_workers() -> int:
    """Worker processes when none are asked for: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return max(1, os.cpu_count() or 1)


def process_context() -> multiprocessing.context.BaseContext:
    """A start method that gives workers a fresh interpreter (never a fork of this one)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # the fork server imports the model once; each worker starts from that copy
        ctx.set_forkserver_preload(["experiments.batch"])
        return ctx
    return multiprocessing.get_context("spawn")


def check_options(
    executor: str,
    workers: int | None,
    scheduler: str | None,
    scheduler_file: Path | None,
) -> None:
    """Refuse option combinations that cannot mean anything (one-line messages)."""
    if executor not in EXECUTORS:
        raise ExecutorError(f"--executor {executor}: allowed {', '.join(EXECUTORS)}")
    if workers is not None and not 1 <= workers <= 1024:
        raise ExecutorError(f"--workers {workers}: allowed 1 to 1024")
    if (scheduler or scheduler_file) and executor != "dask":
        raise ExecutorError("--scheduler and --scheduler-file need --executor dask")
    if scheduler and scheduler_file:
        raise ExecutorError("give --scheduler or --scheduler-file, not both")
    if (scheduler or scheduler_file) and workers is not None:
        raise ExecutorError(
            "--workers sizes a local pool or cluster; a running Dask scheduler has its own workers"
        )
    if executor == "serial" and workers not in (None, 1):
        raise ExecutorError("--executor serial runs one run at a time: drop --workers")
    if scheduler_file is not None and not Path(scheduler_file).is_file():
        raise ExecutorError(f"--scheduler-file {scheduler_file}: no such file")


@contextmanager
def open_pool(
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: Path | None = None,
    host: str = "127.0.0.1",
) -> Iterator[Pool]:
    """The executor asked for, shut down (and its local cluster closed) on leaving."""
    check_options(executor, workers, scheduler, scheduler_file)
    if executor == "serial":
        ex = SerialExecutor()
        try:
            yield Pool(ex, "serial", lambda: 1)
        finally:
            ex.shutdown()
        return
    if executor == "processes":
        n = workers or default_workers()
        pool = ProcessPoolExecutor(max_workers=n, mp_context=process_context())
        try:
            yield Pool(pool, f"processes x{n}", lambda: n)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    with _dask_client(workers, scheduler, scheduler_file, host) as (client, where):

        def slots() -> int:
            return max(1, sum(client.nthreads().values()))

        yield Pool(client.get_executor(), where, slots)


@contextmanager
def _dask_client(
    workers: int | None, scheduler: str | None, scheduler_file: Path | None, host: str
) -> Iterator[tuple[object, str]]:
    """A Dask client on the given scheduler, or on a local cluster made for the batch."""
    import logging

    from distributed import Client, LocalCluster

    # a closing local cluster logs its workers' shutdown at INFO: not the user's business
    logging.getLogger("distributed").setLevel(logging.WARNING)
    try:
        if scheduler or scheduler_file:
            client = Client(
                scheduler,
                scheduler_file=str(scheduler_file) if scheduler_file else None,
                timeout="30s",
            )
            cluster = None
            where = f"dask at {client.scheduler.address}"
        else:
            n = workers or default_workers()
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host=host,
                dashboard_address=None,
                silence_logs=logging.WARNING,
            )
            client = Client(cluster)
            where = f"dask local cluster x{n} at {cluster.scheduler_address}"
    except (OSError, TimeoutError, ValueError) as exc:
        target = scheduler or scheduler_file or host
        raise ExecutorError(f"dask: cannot reach a scheduler at {target}: {exc}") from None
    try:
        yield client, where
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
