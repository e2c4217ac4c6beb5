"""How the C library keeps the memory a process frees: set once by the ``ezhou`` command.

A run at scale 1 makes and drops arrays of a few megabytes (a column over every household)
many times a quarter. Left to itself glibc's allocator gives blocks this large back to the
system as soon as they are freed (its thresholds follow the largest block freed so far, and
the columns grow), and the next array gets fresh pages, each zeroed by the kernel when first
written: about a third of a million page faults a run, a tenth of its CPU time. Keeping them
for reuse raises the peak memory by 2-3%. No result changes: only where the bytes live.
"""

from __future__ import annotations

import ctypes

# mallopt's parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

# blocks up to this size come from the heap, where freed ones are reused (a column of the
# whole city is about 3 MB)
HEAP_BLOCKS_UP_TO_BYTES = 16 * 2**20
# free memory at the top of the heap kept for reuse rather than handed back
KEEP_FREE_BYTES = 64 * 2**20


def keep_freed_memory() -> bool:
    """Let glibc keep freed blocks of up to :data:`HEAP_BLOCKS_UP_TO_BYTES` for reuse.
    Returns whether it could (False where the C library has no ``mallopt``)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # (the C library this interpreter runs on)
    except (OSError, AttributeError, TypeError):  # (no such function, or no C library to name)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # (mallopt returns 1 on success; fixing the thresholds also stops glibc moving them)
    heap = mallopt(_M_MMAP_THRESHOLD, HEAP_BLOCKS_UP_TO_BYTES)
    kept = mallopt(_M_TRIM_THRESHOLD, KEEP_FREE_BYTES)
    return heap == 1 and kept == 1
