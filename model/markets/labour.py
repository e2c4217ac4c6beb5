"""Labour market: job seekers meet vacancies by skill, first in their own zone, then city-wide.

Vacancies and seekers are counted in real workers. A seeker household agent brings all its
workers; a firm's vacancies are filled by cumulative worker counts, so each hire is a whole
household agent and the expected number of workers hired equals the vacancies.
"""

from __future__ import annotations

import numpy as np


def match(
    rng: np.random.Generator,
    seekers: np.ndarray,
    seeker_workers: np.ndarray,
    seeker_zone: np.ndarray,
    vacancies: np.ndarray,
    firm_zone: np.ndarray,
    same_zone_share: float,
    efficiency: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match seekers (all of one skill) to firms' vacancies (real workers of that skill).

    A share ``same_zone_share`` of each firm's vacancies is first offered to seekers of its
    own zone, then what is left to anyone. Each seeker is in the market this quarter with
    probability ``efficiency``, in random order. Returns (matched seeker indices into
    ``seekers``, firm row for each, vacancies left).
    """
    empty = np.empty(0, dtype=np.int64)
    if len(seekers) == 0 or vacancies.sum() <= 0:
        return empty, empty, vacancies.astype(float)
    active = np.flatnonzero(rng.random(len(seekers)) < efficiency)
    active = active[rng.permutation(len(active))]
    remaining = vacancies.astype(float).copy()
    taken = np.zeros(len(seekers), dtype=bool)
    out_s, out_f = [], []
    zones = np.unique(firm_zone[remaining > 0])
    for stage in (0, 1):
        share = same_zone_share if stage == 0 else 1.0
        groups = zones if stage == 0 else [-1]
        for z in groups:
            firms = np.flatnonzero((remaining > 0) & ((firm_zone == z) | (z == -1)))
            if len(firms) == 0:
                continue
            cand = active[~taken[active]]
            if z != -1:
                cand = cand[seeker_zone[cand] == z]
            if len(cand) == 0:
                continue
            want = remaining[firms] * share
            cum_v = np.cumsum(want)
            cum_s = np.cumsum(seeker_workers[cand])
            # a seeker is hired if the middle of its workers falls within the vacancies
            mid = cum_s - 0.5 * seeker_workers[cand]
            hired = cand[mid < cum_v[-1]]
            if len(hired) == 0:
                continue
            firm_of = firms[
                np.minimum(np.searchsorted(cum_v, mid[: len(hired)], side="right"), len(firms) - 1)
            ]
            taken[hired] = True
            remaining -= np.bincount(
                firm_of, weights=seeker_workers[hired], minlength=len(remaining)
            )
            remaining = np.maximum(remaining, 0)
            out_s.append(hired)
            out_f.append(firm_of)
    if not out_s:
        return empty, empty, remaining
    return np.concatenate(out_s), np.concatenate(out_f), remaining
