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
    out_s, out_f = [], []
    # stage 1: each zone's seekers, in their random order, fill that zone's share of its
    # firms' vacancies (all zones at once: seekers and firms sorted by zone)
    if same_zone_share > 0:
        hired, firm_of = _fill(
            active,
            seeker_workers,
            seeker_zone[active],
            np.flatnonzero(remaining > 0),
            remaining,
            firm_zone,
            same_zone_share,
        )
        _take(remaining, firm_of, seeker_workers[hired])
        out_s.append(hired)
        out_f.append(firm_of)
        if len(hired):
            taken = np.zeros(len(seekers), dtype=bool)
            taken[hired] = True
            active = active[~taken[active]]
    # stage 2: whoever is still looking, city-wide, for all that is left
    firms = np.flatnonzero(remaining > 0)
    if len(firms) and len(active):
        hired, firm_of = _fill(
            active,
            seeker_workers,
            np.zeros(len(active), dtype=np.int64),
            firms,
            remaining,
            np.zeros(len(remaining), dtype=np.int64),
            1.0,
        )
        _take(remaining, firm_of, seeker_workers[hired])
        out_s.append(hired)
        out_f.append(firm_of)
    if not out_s:
        return empty, empty, remaining
    return np.concatenate(out_s), np.concatenate(out_f), remaining


def _take(remaining: np.ndarray, firm_of: np.ndarray, workers: np.ndarray) -> None:
    if len(firm_of):
        remaining -= np.bincount(firm_of, weights=workers, minlength=len(remaining))
        np.maximum(remaining, 0, out=remaining)


def _fill(cand, workers, cand_group, firms, remaining, firm_group, share):
    """Within each group (zone), seekers in order take vacancies in firm order: a seeker is
    hired if the middle of its workers falls within the group's vacancies (times ``share``),
    by the firm in whose stretch of the cumulative vacancies that middle lies."""
    empty = np.empty(0, dtype=np.int64)
    if len(firms) == 0 or len(cand) == 0:
        return empty, empty
    f_order = np.argsort(firm_group[firms], kind="stable")
    firms = firms[f_order]
    fg = firm_group[firms]
    ng = int(max(fg.max(), cand_group.max())) + 1
    cum_v = np.cumsum(remaining[firms] * share)
    # vacancies of each group, and where its stretch starts on the cumulative scale
    first_firm = np.searchsorted(fg, np.arange(ng), side="left")
    last_firm = np.searchsorted(fg, np.arange(ng), side="right") - 1
    has_firms = last_firm >= first_firm
    v_end = np.where(has_firms, cum_v[np.maximum(last_firm, 0)], 0.0)
    v_start = np.where(first_firm > 0, cum_v[np.maximum(first_firm - 1, 0)], 0.0)
    # seekers sorted by group, keeping their order within it
    s_order = np.argsort(cand_group, kind="stable")
    cand = cand[s_order]
    sg = cand_group[s_order]
    keep = has_firms[sg]
    cand, sg = cand[keep], sg[keep]
    if len(cand) == 0:
        return empty, empty
    w = workers[cand]
    cum_s = np.cumsum(w)
    first_seeker = np.searchsorted(sg, np.arange(ng), side="left")
    s_start = np.where(first_seeker > 0, cum_s[np.maximum(first_seeker - 1, 0)], 0.0)
    mid = cum_s - s_start[sg] - 0.5 * w
    hired_mask = mid < v_end[sg] - v_start[sg]
    hired, hg, mid = cand[hired_mask], sg[hired_mask], mid[hired_mask]
    pos = np.searchsorted(cum_v, mid + v_start[hg], side="right")
    firm_of = firms[np.clip(pos, first_firm[hg], last_firm[hg])]
    return hired, firm_of
