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


def test_the_job_finding_chance_keeps_2010s_unemployment_steady() -> None:
    """``labour.match_efficiency`` is derived, not assumed: the quarterly chance a jobless
    seeker is hired at which 2010's separations just replace the unemployed hired, so that
    the start's unemployment is a steady state of the market's own flows (u = s / (s + f)).
    Changing the separation rate or the start's unemployment without it breaks that."""
    p = load_parameters()
    separations, start = p.labour.separation_rate, p.households.unemployment_2010
    steady = separations * (1 - start) / start
    assert abs(p.labour.match_efficiency - steady) < 0.005, (p.labour.match_efficiency, steady)
