"""Every number the model uses is documented, and every documented number is used."""

from __future__ import annotations

import re
from pathlib import Path

from model.calibration import load_parameters

ROOT = Path(__file__).resolve().parent.parent


def test_every_parameter_has_unit_and_source() -> None:
    p = load_parameters()
    for key in p.keys():
        e = p.entry(key)
        assert e.unit and e.source, key


def test_every_parameter_is_used_by_the_code() -> None:
    code = "\n".join(f.read_text() for f in (ROOT / "model").rglob("*.py"))
    unused = []
    for key in load_parameters().keys():
        name = key.split(".")[1]
        # read as an attribute of its group (``p.firms.depreciation`` or ``sec.kind``)
        if not re.search(rf"\.{name}\b", code):
            unused.append(key)
    assert not unused, f"documented but unused: {unused}"
