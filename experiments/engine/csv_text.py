"""CSV text as pandas writes it, written faster for the long tables of a batch.

``write_csv(frame, handle, header, float_format)`` writes exactly what
``frame.to_csv(handle, index=False, header=header, float_format=float_format)`` writes. pandas
formats each value through several Python calls of its own; a batch's summary has a few
hundred thousand numbers, and writing them took longer than reading, grouping and summarising
every run's rows. Here each float column is formatted by one map of the format over its values
(missing values left empty, as pandas leaves them), and the rows go through the csv module,
which pandas itself writes with. A frame holding anything else than floats, integers, booleans
and strings goes to pandas (``tests/test_csv_text.py`` holds both to the same text).
"""

from __future__ import annotations

import csv
import os
from typing import IO

import numpy as np
import pandas as pd


def write_csv(
    frame: pd.DataFrame, handle: IO[str], header: bool = True, float_format: str = "%.10g"
) -> None:
    """``frame.to_csv(handle, index=False, header=header, float_format=float_format)``."""
    columns = _column_texts(frame, float_format)
    if columns is None:
        frame.to_csv(handle, index=False, header=header, float_format=float_format)
        return
    writer = csv.writer(handle, lineterminator=os.linesep, quoting=csv.QUOTE_MINIMAL)
    if header:
        writer.writerow([str(name) for name in frame.columns])
    writer.writerows(zip(*columns, strict=True))


def _column_texts(frame: pd.DataFrame, float_format: str) -> list[list] | None:
    """Each column's values as the csv writer should get them; None where pandas must write."""
    if frame.shape[1] == 0 or not frame.columns.is_unique:
        return None
    columns = []
    for _, column in frame.items():
        kind = column.dtype.kind
        values = column.to_numpy()
        if kind == "f":
            text = list(map(float_format.__mod__, values.tolist()))
            for row in np.flatnonzero(np.isnan(values)).tolist():
                text[row] = ""
        elif kind in "iub":
            text = values.tolist()
        elif kind == "O" and all(type(value) is str for value in values.tolist()):
            text = values.tolist()
        else:
            return None
        columns.append(text)
    return columns
