"""The model gives exactly the results it gave when the reference was made.

``tests/data/identity_*.parquet`` hold the annual, zone and quarterly tables of a fixed set of
runs (``tests/identity_runs.py`` lists the runs and writes the files). They were first made at
commit 87ee570 and pinned the rebuilding of ``model/`` as an economy and its systems; they are
remade only by a change meant to alter results, which says so in its commit message (``git
log -- tests/data/identity_annual.parquet`` lists them). A change that is only a
reorganisation or an optimisation must reproduce every value bit for bit: the same draws in
the same order, the same arithmetic in the same order.
"""

from __future__ import annotations

import numerics
import numpy as np
import pandas as pd
import pytest
from identity_runs import KEYS, RUNS, TABLES, reference_path, run_all


def test_the_numeric_paths_are_those_of_the_fixtures():
    """On a processor with AVX-512 the tests run numpy on its AVX2 loops (tests/numerics.py),
    as the fixtures were made; the fixtures below cannot hold otherwise."""
    assert numerics.pinned()


@pytest.fixture(scope="module")
def fresh() -> dict[str, pd.DataFrame]:
    return run_all(RUNS)


@pytest.mark.parametrize("table", TABLES)
def test_tables_are_identical_to_the_reference(fresh, table):
    reference = pd.read_parquet(reference_path(table))
    new = fresh[table]
    assert list(new.columns) == list(reference.columns), f"{table}: columns differ"
    assert new[KEYS].drop_duplicates().shape[0] == sum(len(s) for _, _, s in RUNS)
    # exact: every float to the last bit, every integer and label the same
    pd.testing.assert_frame_equal(new, reference, check_exact=True, check_dtype=True)


def test_the_comparison_sees_one_bit():
    """A change in the last bit of one value is a failure, not a rounding to forgive."""
    reference = pd.read_parquet(reference_path("annual"))
    changed = reference.copy()
    column = "gdp_bn_yuan"
    value = changed.at[5, column]
    changed.at[5, column] = np.nextafter(value, np.inf)
    assert changed.at[5, column] != value
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(changed, reference, check_exact=True)
