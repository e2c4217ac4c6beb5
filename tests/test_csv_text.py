"""write_csv writes what pandas' to_csv writes (experiments/engine/csv_text.py)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from experiments.engine.csv_text import write_csv


def pandas_text(frame: pd.DataFrame, header: bool, float_format: str) -> str:
    handle = io.StringIO()
    frame.to_csv(handle, index=False, header=header, float_format=float_format)
    return handle.getvalue()


def our_text(frame: pd.DataFrame, header: bool, float_format: str) -> str:
    handle = io.StringIO()
    write_csv(frame, handle, header, float_format)
    return handle.getvalue()


def mixed_frame(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    floats = rng.standard_normal(rows) * 10.0 ** rng.integers(-12, 12, rows)
    floats[rng.random(rows) < 0.1] = np.nan
    floats[rng.random(rows) < 0.05] = np.inf
    floats[rng.random(rows) < 0.05] = -np.inf
    floats[rng.random(rows) < 0.05] = -0.0
    names = np.array(
        ["plain", "with, comma", 'with "quote"', "two\nlines", "", "汉字"], dtype=object
    )
    return pd.DataFrame(
        {
            "point_id": rng.integers(0, 50, rows),
            "factor": rng.random(rows) * 4000,
            "indicator": names[rng.integers(0, len(names), rows)],
            "runs": rng.integers(1, 9, rows).astype(np.int32),
            "flag": rng.random(rows) < 0.5,
            "mean": floats,
            "sd": np.abs(floats) / 3,
            "whole": np.round(rng.random(rows) * 100),
        }
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("float_format", ["%.10g", "%.12g", "%.3f"])
@pytest.mark.parametrize("header", [True, False])
def test_the_same_text_as_pandas(seed: int, float_format: str, header: bool) -> None:
    frame = mixed_frame(500, seed)
    assert our_text(frame, header, float_format) == pandas_text(frame, header, float_format)


def test_empty_and_odd_frames_go_the_same_way() -> None:
    frame = mixed_frame(0, 1)
    assert our_text(frame, True, "%.10g") == pandas_text(frame, True, "%.10g")
    odd = pd.DataFrame(
        {
            "when": pd.to_datetime(["2011-01-01", "2012-06-30"]),
            "mixed": np.array([1.5, "a"], dtype=object),
            "missing": np.array(["x", None], dtype=object),
            "kind": pd.Categorical(["a", "b"]),
        }
    )
    for column in odd.columns:  # (each goes to pandas and still gives its text)
        part = odd[[column]]
        assert our_text(part, True, "%.10g") == pandas_text(part, True, "%.10g")
