"""Labour market: layoffs and separations, then job seekers meet vacancies by skill, first in
their own zone, then city-wide; commuting to Wuhan, own businesses and public posts.

Vacancies and seekers are counted in real workers. A seeker household agent brings all its
workers; a firm's vacancies are filled by cumulative worker counts, so each hire is a whole
household agent and the expected number of workers hired equals the vacancies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import social
from model.accounts import GOVERNMENT, HOUSEHOLDS
from model.agents import firm, household
from model.agents.household import (
    COMMUTE_WUHAN,
    FIRM_JOB,
    OWN_BUSINESS,
    OWN_FARM,
    PUBLIC_JOB,
    UNEMPLOYED,
)
from model.arrays import take_until
from model.choices import choose
from model.markets import wages
from model.markets.wages import wuhan_pull

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class LabourResult:
    hired: float  # real workers hired by firms this quarter
    # each live household's employer row + 1 (0: no firm job) as the market left it, which
    # stays so for the rest of the quarter: the bin wages, wage bills and the records' sums
    # by employer use
    employer_bin: np.ndarray
    public_workers: float  # real public workers the market left (also fixed for the quarter)


def clear(economy: Economy) -> LabourResult:
    """One quarter of the labour market; firms' labour is updated from the moves."""
    params, households, firms, rng = (
        economy.params,
        economy.households,
        economy.firms,
        economy.rng,
    )
    firm.count_labour(economy)
    live_firms = firms.live()
    change_eff = firm.desired_labour_change(economy, live_firms)
    change_workers = np.zeros(firms.n)
    change_workers[live_firms] = (
        change_eff
        / economy.sectors.labour_efficiency[firms.sector[live_firms]]
        * firms.weight[live_firms]
    )
    agent_workers = firms.workers[: firms.n] * firms.weight[: firms.n]
    job = households.col("job").copy()  # the jobs at the start of the market
    # layoffs where firms want fewer workers, and ordinary separations
    employed = (job == FIRM_JOB).nonzero()[0]
    # (``np.minimum(high, np.maximum(low, x))`` is ``np.clip`` to the sign of a zero, and
    # several times quicker on small arrays)
    cut = np.minimum(1, np.maximum(0, -change_workers / np.maximum(agent_workers, 1e-9)))
    prob = cut[households.employer[employed]] + params.labour.separation_rate
    # (``compress`` rather than a boolean index: the same rows, and several times quicker
    # on a random mask of this size; array methods rather than numpy's functions here, which
    # add a Python wrapper to each call)
    fired = employed.compress(rng.random(len(employed)) < prob)
    # the real workers each firm loses (the firms' labour is updated from the moves: the
    # rest of the market does not touch firm jobs)
    moves = [(fired, households.employer[fired], -1.0)]
    lost = np.bincount(
        households.employer[fired],
        weights=households.weight[fired] * households.workers[fired],
        minlength=firms.n,
    )
    households.job[fired] = UNEMPLOYED
    households.employer[fired] = -1
    # commuters and own businesses also end
    commuters = (job == COMMUTE_WUHAN).nonzero()[0]
    back = commuters.compress(rng.random(len(commuters)) < params.labour.separation_rate)
    households.job[back] = UNEMPLOYED
    business = (job == OWN_BUSINESS).nonzero()[0]
    shut = business.compress(rng.random(len(business)) < params.labour.business_exit_rate)
    households.job[shut] = UNEMPLOYED
    target = agent_workers + change_workers
    vacancies = np.maximum(target - (agent_workers - lost), 0.0)
    vacancies[~firms.alive[: firms.n]] = 0.0
    # the unemployed look first; vacancies they leave are offered city-wide to farmers
    # looking for a wage job (pooled, so that how coarse agents are does not matter)
    job = households.col("job")
    unemployed = (job == UNEMPLOYED).nonzero()[0]
    farmers = (job == OWN_FARM).nonzero()[0]
    farmers = farmers.compress(rng.random(len(farmers)) < params.labour.farmer_search_share)
    hired_total = 0.0
    mix = np.asarray(params.sectors.skill_mix)
    knowledge = 2
    # rural registrants meet firms' vacancies less often than town registrants
    access = (
        np.array([1.0, params.labour.rural_hukou_match_factor]) * params.labour.match_efficiency
    )
    pools = (
        (_by_skill(households, unemployed, access), params.labour.same_zone_preference),
        (_by_skill(households, farmers, access), 0.0),
    )
    # what every skill's matching reads of the firms, gathered once for the four (the
    # skill mix of each firm's sector: a row for each skill)
    firm_zone = firms.zone[: firms.n]
    firms_by_zone = firm_zone.argsort(kind="stable")
    mix_by_firm = mix.T.take(firms.sector[: firms.n], axis=1)
    hired_rows, hired_by = [], []
    for skill in range(4):
        open_posts = vacancies * mix_by_firm[skill]
        for by_skill, same_zone in pools:
            seekers = by_skill[skill]
            got, firm_of, open_posts = match(
                rng,
                seekers.rows,
                seekers.workers,
                seekers.zone,
                open_posts,
                firm_zone,
                same_zone,
                seekers.access,
                firms_by_zone,
            )
            hired_rows.append(seekers.rows[got])
            hired_by.append(firm_of)
            hired_total += float(seekers.workers[got].sum())
        if skill == knowledge:
            # posts for knowledge workers the city's own seekers could not fill
            economy.labour.open_knowledge_posts = open_posts.copy()
    # (matching reads none of the households' columns: the hires are written at once)
    rows, firm_of = np.concatenate(hired_rows), np.concatenate(hired_by)
    households.job[rows] = FIRM_JOB
    households.employer[rows] = firm_of
    moves.append((rows, firm_of, 1.0))
    # Wuhan: seekers still without a job may find one across the border
    idle = households.where(households.col("job") == UNEMPLOYED)
    zone_access = np.asarray(params.zones.wuhan_commute_access)
    # fewer commute the dearer the trip: its cost and time (2010 = 1)
    trip = wages.trip_cost_index(economy) ** -params.labour.wuhan_access_cost_elasticity
    pull = wuhan_pull(economy) ** 2
    # (the rate by zone, then looked up for each row: the same products)
    rate = params.labour.wuhan_job_rate * trip * zone_access * pull
    going = rng.random(len(idle)) < rate.take(households.zone[idle])
    households.job[idle.compress(going)] = COMMUTE_WUHAN
    # and workers with a firm job in the city change to one there, searching less than the
    # jobless: the better Wuhan pays against Ezhou, the more of them
    held = (households.col("job") == FIRM_JOB).nonzero()[0]
    switch_rate = params.labour.wuhan_switch_share * params.labour.wuhan_job_rate * trip
    switching = switch_rate * zone_access * pull
    switch = held.compress(rng.random(len(held)) < switching.take(households.zone[held]))
    moves.append((switch, households.employer[switch], -1.0))
    households.job[switch] = COMMUTE_WUHAN
    households.employer[switch] = -1
    # those still without a job: the idle who did not go to Wuhan
    _start_businesses(economy, idle.compress(~going))
    # the public sector keeps its staff per resident
    _hire_public_staff(economy)
    _move_firm_labour(economy, moves)
    # each worker is paid by the job the market left it in
    live = households.rows()
    employer_bin = np.add(households.employer[live], 1, dtype=np.intp)
    wages.assign(economy, employer_bin)
    return LabourResult(
        hired=hired_total,
        employer_bin=employer_bin,
        public_workers=household.public_workers(economy),
    )


@dataclass
class _Seekers:
    """Job seekers of one skill: their household rows, in order, and what matching needs."""

    rows: np.ndarray
    workers: np.ndarray  # real workers of each
    zone: np.ndarray
    access: np.ndarray  # the chance of each to be in the market this quarter


def _by_skill(households, pool: np.ndarray, access: np.ndarray) -> list[_Seekers]:
    """The seekers of ``pool`` (household rows, in order) for each of the four skills, what
    matching needs gathered once for the whole pool (each group is a slice of it)."""
    skill = households.skill[pool]
    # a stable sort keeps each skill's rows in the order of the pool
    rows = pool[skill.argsort(kind="stable")]
    workers = households.weight[rows] * households.workers[rows]
    zone = households.zone[rows]
    chance = access.take(households.rural_hukou[rows].view(np.int8))
    ends = np.bincount(skill, minlength=4).cumsum().tolist()
    groups = []
    for start, end in zip([0, *ends[:3]], ends[:4], strict=True):
        part = slice(start, end)
        groups.append(_Seekers(rows[part], workers[part], zone[part], chance[part]))
    return groups


def _start_businesses(economy: Economy, idle: np.ndarray) -> None:
    """Own businesses: started by the unemployed (rows ``idle``, in order) who can put up
    the start-up cost from their savings and, where reforms make them possible, a
    micro-loan or a loan against their land rights. The cost is spent this quarter
    (investment in the goods market); a loan is booked as the household's debt."""
    params, households, rng, rules = (
        economy.params,
        economy.households,
        economy.rng,
        economy.rules,
    )
    cost = params.labour.business_start_cost_yuan * economy.cpi
    # a start-up grant (reform 3) pays part of the cost: a household needs less of its own
    grant = min(rules.startup_grant_yuan * economy.cpi, cost)
    # what a household can put up: savings, and loans where reforms make them possible
    can_borrow = np.zeros(len(idle))
    if rules.land_mortgage_ltv > 0:
        land_value = households.land_mu[idle] * params.land.farmland_value_yuan_per_mu * economy.cpi
        can_borrow += rules.land_mortgage_ltv * land_value
    if rules.business_credit_share > 0:
        can_borrow += np.where(rng.random(len(idle)) < rules.business_credit_share, cost, 0.0)
    can = idle.compress(households.savings_yuan[idle] + can_borrow >= cost - grant)
    start = can.compress(rng.random(len(can)) < params.labour.business_start_rate)
    households.job[start] = OWN_BUSINESS
    starters = float(households.weight[start].sum())
    if grant > 0:
        # paid now; the city settles it with its other payments (``fiscal.settle``)
        economy.ledger.pay(GOVERNMENT, HOUSEHOLDS, starters * grant, "startup_grants")
        economy.flows.startup_grants += starters * grant
    own = np.minimum(households.savings_yuan[start], cost - grant)
    households.savings_yuan[start] -= own
    households.debt_yuan[start] += cost - grant - own
    economy.flows.business_starts += starters * cost
    lent = float((households.weight[start] * (cost - grant - own)).sum())
    economy.flows.household_borrowing += lent
    economy.flows.business_loans += lent


def _move_firm_labour(economy: Economy, moves: list[tuple[np.ndarray, np.ndarray, float]]) -> None:
    """Firms' workers and effective labour after households (rows) left (sign -1) or
    joined (+1) the firms given: what ``firm.count_labour`` would count afresh."""
    households, firms = economy.households, economy.firms
    rows = np.concatenate([r for r, _, _ in moves])
    employers = np.concatenate([f for _, f, _ in moves])
    sign = np.repeat([s for _, _, s in moves], [len(r) for r, _, _ in moves])
    workers = sign * households.weight[rows] * households.workers[rows]
    effective = workers * economy.labour.skill_efficiency.take(households.skill[rows])
    weight = np.maximum(firms.weight[: firms.n], 1e-12)
    firms.workers[: firms.n] += np.bincount(employers, weights=workers, minlength=firms.n) / weight
    firms.labour_eff[: firms.n] += (
        np.bincount(employers, weights=effective, minlength=firms.n) / weight
    )


def public_staff_targets(economy: Economy) -> tuple[float, float]:
    """The public posts the city staffs: administrative posts by its staffing norm (fewer
    once posts are cut), partly following the approval offices' workload per resident
    (``administration.staffing_elasticity``), and service posts per resident (fewer where
    services are bought from providers instead). Real workers.

    The workload is the sign-offs the files before the offices at the quarter's service
    need (not those filed since, which the next quarter serves): fewer per file once layers
    and departments merge (``model/approvals.py``)."""
    rules, city = economy.rules, economy.city
    admin_share = economy.params.labour.admin_share_of_public
    population = household.population(economy)
    per_resident = city.target_public_per_capita * population
    work = sum(zone.workload for zone in economy.zones)
    workload = work / population / max(city.workload_per_resident_2010, 1e-12)
    staffing = max(workload, 1e-9) ** economy.params.administration.staffing_elasticity
    admin = per_resident * admin_share * rules.admin_staff_factor * staffing
    social_posts = social.staff_target(economy, per_resident)
    social_share = economy.params.social.staff_share_of_public
    service = per_resident * (1 - admin_share - social_share) * (1 - rules.purchase_share)
    return admin, social_posts, service


def _hire_public_staff(economy: Economy) -> None:
    """Public posts per resident, fewer where services are bought from firms instead."""
    households, rng, params = economy.households, economy.rng, economy.params
    target = sum(public_staff_targets(economy))
    have = household.public_workers(economy)
    tolerance = params.labour.public_staff_tolerance
    if have < target:
        # public posts go to town registrants (civil service and public units recruited them)
        candidates = households.where(
            (households.col("job") == UNEMPLOYED)
            & (households.col("skill") >= 1)
            & ~households.col("rural_hukou")
        )
        candidates = candidates[rng.permutation(len(candidates))]
        sizes = households.weight[candidates] * households.workers[candidates]
        take = take_until(rng, candidates, sizes, target - have)
        households.job[take] = PUBLIC_JOB
    elif have > target * (1 + tolerance):
        staff = households.where(households.col("job") == PUBLIC_JOB)
        staff = staff[rng.permutation(len(staff))]
        # posts are cut gradually, as people retire or move, not all at once
        excess = min(have - target, tolerance * have)
        drop = take_until(rng, staff, households.weight[staff] * households.workers[staff], excess)
        households.job[drop] = UNEMPLOYED


def open_knowledge_posts(economy: Economy) -> np.ndarray:
    """Posts for knowledge workers left unfilled by last quarter's labour market, by firm row
    (real workers; none at firms that have closed since)."""
    firms = economy.firms
    posts = np.zeros(firms.n)
    left = economy.labour.open_knowledge_posts
    posts[: len(left)] = left[: firms.n]
    posts[~firms.alive[: firms.n]] = 0.0
    return posts


def place_recruits(economy: Economy, rows: np.ndarray, rng: np.random.Generator) -> None:
    """Recruited households' workers take the knowledge posts firms could not fill, each
    with an employer drawn by its open posts."""
    households = economy.households
    posts = open_knowledge_posts(economy)
    if len(rows) and posts.sum() > 0:
        placed = rows[households.workers[rows] > 0]
        households.employer[placed] = choose(rng, posts / posts.sum(), len(placed))
        households.job[placed] = FIRM_JOB


def match(
    rng: np.random.Generator,
    seekers: np.ndarray,
    seeker_workers: np.ndarray,
    seeker_zone: np.ndarray,
    vacancies: np.ndarray,
    firm_zone: np.ndarray,
    same_zone_share: float,
    efficiency: float | np.ndarray,
    firms_by_zone: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match seekers (all of one skill) to firms' vacancies (real workers of that skill).

    A share ``same_zone_share`` of each firm's vacancies is first offered to seekers of its
    own zone, then what is left to anyone. Each seeker is in the market this quarter with
    probability ``efficiency`` (one for all, or each seeker's own), in random order.
    ``firms_by_zone``: every firm row sorted stably by ``firm_zone``, if the caller matches
    several times on the same firms (worked out here otherwise).
    Returns (matched seeker indices into ``seekers``, firm row for each, vacancies left).
    """
    empty = np.empty(0, dtype=np.int64)
    if len(seekers) == 0 or vacancies.sum() <= 0:
        return empty, empty, vacancies.astype(float)
    active = (rng.random(len(seekers)) < efficiency).nonzero()[0]
    active = active[rng.permutation(len(active))]
    remaining = vacancies.astype(float)  # (a copy)
    out_s, out_f = [], []
    # stage 1: each zone's seekers, in their random order, fill that zone's share of its
    # firms' vacancies (all zones at once: seekers and firms sorted by zone)
    if same_zone_share > 0:
        if firms_by_zone is None:
            firms_by_zone = firm_zone.argsort(kind="stable")
        # the firms with vacancies, by zone and in row order within one: what a stable sort
        # by zone of those firms' rows gives
        hiring = firms_by_zone.compress(remaining.take(firms_by_zone) > 0)
        hired, firm_of = _fill(
            active,
            seeker_workers,
            seeker_zone[active],
            hiring,
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
    firms = (remaining > 0).nonzero()[0]
    if len(firms) and len(active):
        hired, firm_of = _fill_city_wide(active, seeker_workers, firms, remaining)
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


# the firms whose vacancies a city-wide search sums first: most quarters' seekers are
# placed within them (a few dozen firms of a thousand at the default scale)
FIRST_FIRMS = 128


def _fill_city_wide(cand, workers, firms, remaining):
    """:func:`_fill` with every seeker and firm in one group and all vacancies on offer: the
    same arithmetic, without sorting into groups (``cand`` and ``firms`` not empty)."""
    w = workers[cand]
    mid = w.cumsum() - 0.5 * w
    # the running total of the vacancies only as far as the seekers reach, when the first
    # firms' already pass every seeker's middle (the same sums: the total's first terms)
    cum_v = remaining[firms[:FIRST_FIRMS]].cumsum()
    if len(firms) > FIRST_FIRMS and not cum_v[-1] > mid.max():
        cum_v = remaining[firms].cumsum()
    hired_mask = mid < cum_v[-1]
    hired, mid = cand[hired_mask], mid[hired_mask]
    pos = cum_v.searchsorted(mid, side="right")
    # (``np.minimum`` rather than ``clip``: the same whole numbers without clip's checks)
    return hired, firms[np.minimum(pos, len(firms) - 1)]


def _fill(cand, workers, cand_group, firms, remaining, firm_group, share):
    """Within each group (zone), seekers in order take vacancies in firm order: a seeker is
    hired if the middle of its workers falls within the group's vacancies (times ``share``),
    by the firm in whose stretch of the cumulative vacancies that middle lies. ``firms`` are
    in group order (and in their own order within a group)."""
    empty = np.empty(0, dtype=np.int64)
    if len(firms) == 0 or len(cand) == 0:
        return empty, empty
    fg = firm_group[firms]
    ng = int(max(fg[-1], cand_group.max())) + 1
    # the cumulative vacancies, after a zero for what lies before the first firm
    cum_v = np.zeros(len(firms) + 1)
    (remaining[firms] * share).cumsum(out=cum_v[1:])
    # each group's firms, and its vacancies: from where its stretch starts on the cumulative
    # scale to where it ends (the groups are whole numbers: the last firm of group g is the
    # one before the first of g + 1; a group without firms takes no one, below)
    bounds = fg.searchsorted(np.arange(ng + 1), side="left")
    first_firm = bounds[:-1]
    last_firm = bounds[1:] - 1
    has_firms = last_firm >= first_firm
    v_start = cum_v[first_firm]
    v_span = cum_v[bounds[1:]] - v_start
    # seekers sorted by group, keeping their order within it
    s_order = cand_group.argsort(kind="stable")
    cand = cand[s_order]
    sg = cand_group[s_order]
    keep = has_firms[sg]
    cand, sg = cand[keep], sg[keep]
    if len(cand) == 0:
        return empty, empty
    w = workers[cand]
    cum_s = np.zeros(len(cand) + 1)  # (as the vacancies: a zero first)
    w.cumsum(out=cum_s[1:])
    s_start = cum_s[sg.searchsorted(np.arange(ng), side="left")]
    mid = cum_s[1:] - s_start[sg] - 0.5 * w
    hired_mask = mid < v_span[sg]
    hired, hg, mid = cand[hired_mask], sg[hired_mask], mid[hired_mask]
    pos = cum_v[1:].searchsorted(mid + v_start[hg], side="right")
    firm_of = firms[np.minimum(np.maximum(pos, first_firm[hg]), last_firm[hg])]
    return hired, firm_of
