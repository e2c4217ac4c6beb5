"""Where runs execute: in this process, on a local process pool, or on a Dask cluster.

All three sit behind :class:`concurrent.futures.Executor`, so the batch engine
(:mod:`experiments.engine.execute`) submits work and waits on futures the same way whichever
is used:

- ``serial``: :class:`SerialExecutor` runs each call in this process when it is submitted;
- ``processes`` (the default): a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers
  are started fresh (``forkserver`` where the platform has it, else ``spawn``), never forked
  from a parent that may hold threads or open files. Each worker watches the batch process
  (:func:`exit_with_parent`) and ends when it ends, even by ``kill -9``: a worker waiting for
  work would otherwise wait for ever, and keep the fork server and multiprocessing's resource
  tracker alive with it;
- ``dask``: ``distributed.Client.get_executor()`` on a ``LocalCluster`` bound to the loopback
  interface when no scheduler is given, else on the scheduler at an address or in a scheduler
  file (docs/cluster.md).

A run's result does not depend on where it ran: each run draws only from its own seed.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# what --executor may name; the typer options themselves live with the commands
# (experiments/commands/options.py), so that the engine does not depend on the CLI
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
    # called by whoever waits on the pool, every second or so: mends what the pool cannot
    watch: Callable[[], None] = lambda: None


def default_workers() -> int:
    """Worker processes when none are asked for: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return max(1, os.cpu_count() or 1)


def exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this process as soon as the process ``parent_pid`` ends.

    The batch process is not the worker's parent under ``forkserver`` (the fork server is),
    so neither a change of ``os.getppid()`` nor ``PR_SET_PDEATHSIG`` would see it die. A
    daemon thread waits on a pidfd of the batch process where Linux has them (woken the moment
    it ends), and otherwise asks every second whether it still exists."""
    threading.Thread(
        target=_wait_then_exit, args=(parent_pid,), name="ezhou-parent-watch", daemon=True
    ).start()


def _wait_then_exit(parent_pid: int) -> None:
    try:
        handle = os.pidfd_open(parent_pid)
    except ProcessLookupError:  # gone already
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here (not Linux, or an old kernel)
        import psutil  # comes with dask distributed; only this fallback needs it

        while psutil.pid_exists(parent_pid):
            time.sleep(1.0)
    else:
        select.select([handle], [], [])  # readable once the process has ended
    # os._exit, not sys.exit: the pool's threads in this worker must not hold the exit up
    os._exit(1)


def process_context() -> multiprocessing.context.BaseContext:
    """A start method that gives workers a fresh interpreter (never a fork of this one)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # the fork server imports the model once; each worker starts from that copy
        ctx.set_forkserver_preload(["experiments.engine.model_task"])
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
        pool = ProcessPoolExecutor(
            max_workers=n,
            mp_context=process_context(),
            initializer=exit_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            yield Pool(pool, f"processes x{n}", lambda: n, DeadWorkerWatch(pool))
        except BaseException:
            # stopping (Ctrl-C, an error): do not wait for the runs under way, whose results
            # would be thrown away; they run again on --resume
            _stop_workers(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    with _dask_client(workers, scheduler, scheduler_file, host) as (client, where):

        def slots() -> int:
            return max(1, sum(client.nthreads().values()))

        yield Pool(client.get_executor(), where, slots)


def _workers(pool: ProcessPoolExecutor) -> list:
    """The pool's worker processes now (none once it is shut down)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a process pool's workers now, so that its shutdown cannot wait for ever.

    A worker ended while it was writing a result leaves part of a message in the pool's
    result pipe, and the pool's manager thread waits for the rest, which never comes:
    ``shutdown(wait=True)`` then waits on that thread for ever. Once every worker is gone,
    this process holds the pipe's last writing end; closing it turns the wait into end of
    file, which the pool takes as broken, and it shuts down. (The pool's attributes are
    private; where they are missing this does what it can and leaves the rest to the pool.)"""
    procs = _workers(pool)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.join(5.0)
        if proc.exitcode is None:  # not ended by SIGTERM in five seconds
            proc.kill()
            proc.join()
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()


class DeadWorkerWatch:
    """Ends a process pool's workers when one has died and the pool has not noticed.

    A pool whose worker dies breaks at once (its calls fail with ``BrokenProcessPool``) --
    unless the worker died while writing a result: then the pool's manager thread waits for
    the rest of the message and never looks at the dead worker, and every call in flight
    waits for ever. Called while waiting on the pool, this sees a worker dead for ``grace``
    seconds and stops the others (:func:`_stop_workers`), which wakes the manager thread to
    break the pool as it should have."""

    def __init__(self, pool: ProcessPoolExecutor, grace: float = 3.0) -> None:
        self.pool, self.grace = pool, grace
        self.since: float | None = None  # when a dead worker was first seen
        self.stopped = False

    def __call__(self) -> None:
        if self.stopped:
            return
        procs = _workers(self.pool)
        if not any(proc.exitcode is not None for proc in procs):
            self.since = None
        elif self.since is None:
            self.since = time.monotonic()
        elif time.monotonic() - self.since >= self.grace:
            self.stopped = True
            _stop_workers(self.pool)


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
    except Exception as exc:  # noqa: BLE001 - distributed raises many kinds; all mean "no"
        target = scheduler or scheduler_file or host
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise ExecutorError(f"dask: cannot reach a scheduler at {target}: {why}") from None
    try:
        yield client, where
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------- SLURM


def slurm_cluster(
    *,
    cores: int,
    memory: str,
    walltime: str,
    host: str,
    queue: str | None = None,
    account: str | None = None,
    prologue: list[str] | None = None,
    scheduler_file: Path | None = None,
    log_directory: Path | None = None,
    python: str | None = None,
):
    """A dask-jobqueue ``SLURMCluster`` shaped for batch runs (docs/cluster.md).

    Each SLURM job is one task holding ``cores`` CPUs and runs one worker process per core
    with a single thread (a model run is single-threaded Python). The scheduler runs in this
    process and listens on ``host``, which the compute nodes must reach (the login node's
    name or its address on the cluster network); with ``scheduler_file`` it also writes its
    address there for ``ezhou batch --scheduler-file``. ``prologue`` lines run before the
    worker starts (e.g. activating the project's virtual environment)."""
    from dask_jobqueue import SLURMCluster

    options: dict = {"host": host, "dashboard_address": None}
    if scheduler_file is not None:
        options["scheduler_file"] = str(scheduler_file)
    return SLURMCluster(
        cores=cores,
        processes=cores,
        memory=memory,
        walltime=walltime,
        queue=queue,
        account=account,
        job_name="ezhou-worker",
        job_script_prologue=list(prologue or []),
        log_directory=str(log_directory) if log_directory else None,
        python=python,
        scheduler_options=options,
        silence_logs="warning",
    )


def slurm_main(argv: list[str] | None = None) -> int:
    """``python -m experiments.executors slurm ...``: start a scheduler here, submit worker
    jobs to SLURM, write the scheduler file, and hold the cluster until Ctrl-C (which
    cancels the jobs). ``--dry-run`` prints the job script and submits nothing."""
    import argparse
    import signal
    import socket
    import time

    p = argparse.ArgumentParser(prog="python -m experiments.executors slurm")
    p.add_argument("--jobs", type=int, default=1, help="SLURM jobs to keep running")
    p.add_argument("--cores", type=int, required=True, help="CPUs per job = worker processes")
    p.add_argument("--memory", required=True, help="memory per job, e.g. 64GB")
    p.add_argument("--walltime", required=True, help="time limit per job, e.g. 12:00:00")
    p.add_argument("--queue", help="partition (sbatch -p)")
    p.add_argument("--account", help="account to charge (sbatch -A)")
    p.add_argument("--host", default=socket.getfqdn(), help="name the workers reach us by")
    p.add_argument("--prologue", action="append", help="shell line run before each worker")
    p.add_argument("--scheduler-file", type=Path, required=True, help="where to write it")
    p.add_argument("--log-directory", type=Path, help="folder for the jobs' output")
    p.add_argument("--dry-run", action="store_true", help="print the job script; submit nothing")
    args = p.parse_args(argv)
    if args.jobs < 1 or args.cores < 1:
        p.error("--jobs and --cores: allowed 1 or more")
    cluster = slurm_cluster(
        cores=args.cores,
        memory=args.memory,
        walltime=args.walltime,
        host=args.host,
        queue=args.queue,
        account=args.account,
        prologue=args.prologue,
        scheduler_file=None if args.dry_run else args.scheduler_file,
        log_directory=args.log_directory,
    )
    try:
        print(cluster.job_script())
        if args.dry_run:
            return 0
        cluster.scale(jobs=args.jobs)
        print(
            f"scheduler at {cluster.scheduler_address}; {args.jobs} job(s) submitted; "
            f"run: ezhou batch SPEC --executor dask --scheduler-file {args.scheduler_file}\n"
            "Ctrl-C here stops the cluster and cancels the jobs.",
            flush=True,
        )
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        while True:
            time.sleep(60)
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.close()


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] != ["slurm"]:
        sys.exit("usage: python -m experiments.executors slurm --help")
    sys.exit(slurm_main(sys.argv[2:]))
