"""Long runs stay sane: every shipped scenario to 2035.

The statements checked, for every year of every shipped scenario (default scale, one seed):
- no goal score at 0 or at 100 (scores that pin stop telling scenarios apart);
- the city's interest takes at most ``fiscal.interest_cap_share`` of its receipts, plus three
  points: the platform stops borrowing at the cap, and only deficits of the regular budget
  (wages and pensions paid as they fall due) can carry the debt a little beyond it;
- unemployment of the whole labour force between 2% and 15% (frictional unemployment does not
  vanish and there is no mass unemployment), and the registered urban rate above 0: the
  job-finding rate derived from 2010's unemployment keeps people between jobs; before it,
  the registered rate fell to about 0.1% and the broad rate below 2% (docs/validation.md);
- every annual figure finite.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.api import simulate
from model.calibration import load_parameters
from model.indicators import GOAL_COLUMNS
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
DEBT_MARGIN = 0.03
UNEMPLOYMENT_FLOOR = 0.02
UNEMPLOYMENT_CEILING = 0.15


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_a_shipped_scenario_to_2035_stays_sane(path: Path) -> None:
    scenario = load_scenario(path).with_run(end_year=2035)
    annual = simulate(scenario, 1, check_invariants=False).annual
    assert annual["year"].max() == 2035
    for column in GOAL_COLUMNS.values():
        scores = annual[column]
        assert ((scores > 0) & (scores < 100)).all(), (column, scores.min(), scores.max())
    cap = load_parameters().fiscal.interest_cap_share
    share = annual["city_interest_share_of_receipts"]
    assert share.max() <= cap + DEBT_MARGIN, share.max()
    assert (annual["unemployment_rate"] > 0).all()
    broad = annual["unemployment_rate_all_workers"]
    assert ((broad > UNEMPLOYMENT_FLOOR) & (broad < UNEMPLOYMENT_CEILING)).all(), (
        broad.min(),
        broad.max(),
    )
    numbers = annual.select_dtypes("number").to_numpy(dtype=float)
    assert np.isfinite(numbers).all()
