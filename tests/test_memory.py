"""experiments/memory.py: columns of the whole city, freed, come back without fresh pages."""

from __future__ import annotations

import platform
import resource

import numpy as np
import pytest

from experiments.memory import keep_freed_memory

COLUMN = 3 * 2**20 // 8  # float64 values: about one column of every household at scale 1


def _make_and_drop(times: int) -> None:
    for _ in range(times):
        columns = [np.ones(COLUMN) for _ in range(4)]
        del columns


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_freed_columns_are_reused():
    assert keep_freed_memory()
    _make_and_drop(1)  # (the heap grows to hold them once)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    _make_and_drop(10)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    # glibc's own thresholds hand them back each time: a fault for every page written
    pages_written = 10 * 4 * COLUMN * 8 // resource.getpagesize()
    assert faults < pages_written / 10
