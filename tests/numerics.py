"""The numeric code paths the exact-result fixtures were made with, pinned for the tests.

numpy picks its loops for exp, log, power and the like by the processor it finds (AVX2 or
AVX-512 on x86), and OpenBLAS, which numpy's dot products call, picks its kernels the same way.
The loops of different processors may round the last bit differently, and in an agent-based
model one such bit can tip a threshold and then a random draw. So a seed gives the same
results on one machine whatever the executor or number of workers, but not always the same
last bits on a machine with another processor.

The tests that pin results exactly (``tests/test_identity.py``) hold values made on the
AVX2 paths. ``pin()`` asks numpy and OpenBLAS for those paths on any x86 machine with AVX-512,
so the fixtures hold there too; it must run before numpy is imported (``conftest.py`` calls it
first, and the test's worker processes inherit the environment). A user who wants a run to
reproduce these fixtures bit for bit sets the same two variables before starting Python::

    NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" OPENBLAS_CORETYPE=Haswell
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# numpy's dispatch targets above AVX2 (numpy 2.x names) and OpenBLAS's AVX2 kernel family
DISABLED_NUMPY_FEATURES = "X86_V4 AVX512_ICL AVX512_SPR"
OPENBLAS_KERNELS = "Haswell"


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def pin() -> None:
    """Ask for the AVX2 code paths where the processor has AVX-512 (and AVX2 to fall back
    on); elsewhere leave everything as it is. A variable already set is left alone."""
    flags = _cpu_flags()
    if "avx2" not in flags or "avx512f" not in flags:
        return
    if "numpy" in sys.modules:
        if pinned():
            return  # pinned already (conftest.py, then a module that pins again)
        raise RuntimeError(
            "tests/numerics.py: numpy was imported before the numeric paths could be pinned"
        )
    os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", DISABLED_NUMPY_FEATURES)
    os.environ.setdefault("OPENBLAS_CORETYPE", OPENBLAS_KERNELS)


def pinned() -> bool:
    """True when this process runs numpy on the paths the fixtures were made with (or its
    processor offers nothing above AVX2)."""
    from numpy._core._multiarray_umath import __cpu_features__

    return not __cpu_features__.get("X86_V4", False)
