"""Passes over every household split between two cores.

At scale 1 a quarter is mostly numpy passes over the 343,000 households' columns, and each
such pass lets go of Python's lock while it runs. A rule made only of *elementwise* steps
(each row's result depends on that row's inputs alone: arithmetic, comparisons, ``where``,
casts, a lookup by the row's own code) gives the same numbers for each row whichever rows
it is applied to at once. :func:`over_rows` cuts the rows into a few slices that the
calling thread and a helper thread take in turn, together: the same numbers, on two cores
(whichever thread is free takes the next slice, so neither waits long for the other when
the second core is busy with the run's records, ``model/background.py``).

Rules for a part handed to :func:`over_rows`: read and write only the rows of its slice
(outputs are arrays made before, written through the slice); no sums or other reductions
over rows, no random draws, no change to any other state. Basic arithmetic rounds each
element exactly whichever loop numpy picks; parts use no functions (``exp``, ``log``,
``power``) whose last bit could depend on where an element falls in a vector loop.

Small tables take the whole range at once on the calling thread: below :data:`MIN_ROWS` a
pass takes less than the hand-over to the helper (every run at the default scale). So does
a machine with one core. The helper is one thread per process, made when first needed.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from model.background import cores_available

# rows from which a rule is split: a pass over 100,000 floats takes about 0.05-0.1 ms, a
# hand-over to the helper thread and back some 20-40 us
MIN_ROWS = 100_000
# slices a large pass is cut into, taken in turn by the two threads
CHUNKS = 6

_lock = threading.Lock()
_helper: tuple[int, ThreadPoolExecutor] | None = None  # (the process that made it, it)
_split = cores_available() > 1  # (tests switch it off to compare: :func:`set_split`)


def set_split(on: bool) -> bool:
    """Split large passes (``on``) or never; returns the previous setting (for tests)."""
    global _split
    before, _split = _split, on
    return before


def _pool() -> ThreadPoolExecutor:
    """This process's helper thread (a process forked from one that had it makes its own)."""
    global _helper
    with _lock:
        if _helper is None or _helper[0] != os.getpid():
            _helper = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="ezhou-rows"))
        return _helper[1]


def over_rows(n: int, part: Callable[[slice], None]) -> None:
    """Call ``part`` on slices that together cover rows ``0 .. n`` once, in no set order:
    :data:`CHUNKS` slices taken in turn by this thread and the helper when ``n`` is large and
    a second core is there, else ``slice(0, n)``. ``part`` must keep to the rules in this
    module's docstring. An error in a part is raised here (once every part begun is over)."""
    if n < MIN_ROWS or not _split:
        part(slice(0, n))
        return
    bounds = [n * i // CHUNKS for i in range(CHUNKS + 1)]
    taken = itertools.count()  # (next() on it is one step under Python's lock: each chunk once)

    def work() -> None:
        while (i := next(taken)) < CHUNKS:
            part(slice(bounds[i], bounds[i + 1]))

    helper = _pool().submit(work)
    try:
        work()
    finally:
        if not helper.cancel():  # (not begun: nothing left for it anyway)
            helper.result()
