"""Work whose results are read only later, done on a second core while the quarters go on.

A large run's year-end distribution (every household sorted by income, ten deciles for
each group) and each quarter's household sums (incomes by zone, workers by job and sector,
the rural survey's sources) read nothing the next quarter changes once their inputs are
copied: they can run on a thread beside the quarters. At scale 1 the main thread spends
about four fifths of a quarter inside numpy passes that let go of Python's lock, and so does
much of this work (sorts, gathers, arithmetic), so on a machine with a second core the two
go on together; even the sums that keep the lock (``bincount``) mostly run while the main
thread is in such a pass. The results are the same numbers, made by the same calls, in the
same order; only when they are made changes.

Work handed in must read copies, never views of the tables: the quarters change the tables
while it runs. Beyond wrong numbers, that can corrupt memory: a trial that handed views of
the household columns to a stable sort of small integers (numpy counts the keys, then
places each row by the counts) ended in glibc aborting on a corrupted heap.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

# below this many household agents a year's distribution and a quarter's household sums take
# a few milliseconds or less: a thread would cost about what it saves. (A batch of larger
# runs gives each worker its thread too; with every core busy they then share the cores,
# which costs nothing in all.)
MIN_HOUSEHOLD_AGENTS = 20_000


def cores_available() -> int:
    """Cores this process may run on (its affinity where the system reports one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - systems without sched_getaffinity
        return os.cpu_count() or 1


def worth_a_thread(household_agents: int) -> bool:
    """Whether a run this large gains from working out its records on a second core."""
    return household_agents >= MIN_HOUSEHOLD_AGENTS and cores_available() > 1


class OneThread:
    """The background thread a run's :class:`InOrder` lists share (``pool``: they queue on
    it in the order their work is handed in). A copy holds none."""

    def __init__(self):
        self.pool: ThreadPoolExecutor | None = ThreadPoolExecutor(1, thread_name_prefix="ezhou")

    def close(self) -> None:
        """Let the thread go (work not begun is dropped: wait for the lists first)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def __getstate__(self) -> dict:
        return {"pool": None}


class InOrder[Result]:
    """Results kept in the order their work was handed in: made at once, or on a background
    thread (``pool``, a :class:`OneThread`'s; its owner lets it go), and waited for when
    :meth:`results` is read. ``done``: results already made (they come first). One thread
    hands work in and reads the results (the model's)."""

    def __init__(self, done: list[Result], pool: ThreadPoolExecutor | None):
        self._done = done
        self._pending: list[Future[Result]] = []
        self._pool = pool

    @property
    def background(self) -> bool:
        return self._pool is not None

    def add(self, work: Callable[..., Result], *args) -> None:
        """``work(*args)``: now, or queued behind the work handed in before."""
        if self._pool is None:
            self._done.append(work(*args))
        else:
            self._collect(wait=False)  # (an error in earlier work is raised here)
            self._pending.append(self._pool.submit(work, *args))

    def results(self) -> list[Result]:
        """Every result so far, in order, once the background work handed in is done (an
        error raised there is raised here)."""
        self._collect(wait=True)
        return self._done

    def close(self) -> None:
        """Wait for the work handed in; more work is then done at once."""
        try:
            self.results()
        finally:
            self._pool = None

    def __getstate__(self) -> dict:
        """A copy (``copy.deepcopy``, pickle) holds the results made so far and makes its
        own at once: a thread cannot be copied."""
        return {"_done": self.results(), "_pending": [], "_pool": None}

    def _collect(self, wait: bool) -> None:
        """Move made results to ``done`` in order: all of them, or those made so far."""
        while self._pending and (wait or self._pending[0].done()):
            # (a result is moved only once made: work that raised stays, and raises again)
            self._done.append(self._pending[0].result())
            del self._pending[0]
