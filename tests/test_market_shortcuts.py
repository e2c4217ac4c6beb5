"""The labour and income rules' quicker ways give the same numbers, to the bit, as the
plain numpy sums they stand in for."""

from __future__ import annotations

import numpy as np

from model.markets import labour


def _fill_city_wide_in_full(cand, workers, firms, remaining):
    # the running total over every firm (what the search did before it stopped early)
    cum_v = remaining[firms].cumsum()
    w = workers[cand]
    mid = w.cumsum() - 0.5 * w
    hired_mask = mid < cum_v[-1]
    hired, mid = cand[hired_mask], mid[hired_mask]
    pos = cum_v.searchsorted(mid, side="right")
    return hired, firms[np.minimum(pos, len(firms) - 1)]


def test_city_wide_search_summing_the_first_firms_hires_as_summing_all():
    meta = np.random.default_rng(3)
    early = 0
    for _ in range(400):
        n_firms = int(meta.integers(1, 3 * labour.FIRST_FIRMS))
        remaining = meta.uniform(0.0, 5.0, n_firms) * (meta.random(n_firms) < 0.7)
        remaining[0] += remaining.sum() == 0
        firms = (remaining > 0).nonzero()[0]
        n_seekers = int(meta.integers(1, 60))
        workers = meta.choice([0.0, 0.5, 1.0, 3.0, 40.0], n_seekers) * meta.uniform(1, 9, n_seekers)
        cand = meta.permutation(n_seekers)[: int(meta.integers(1, n_seekers + 1))]
        expected = _fill_city_wide_in_full(cand, workers, firms, remaining)
        got = labour._fill_city_wide(cand, workers, firms, remaining)
        assert got[0].tolist() == expected[0].tolist()
        assert got[1].tolist() == expected[1].tolist()
        first = remaining[firms[: labour.FIRST_FIRMS]].sum()
        early += len(firms) > labour.FIRST_FIRMS and first > workers[cand].sum()
    assert 50 < early < 350  # both ways are taken
