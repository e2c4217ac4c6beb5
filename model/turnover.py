"""Firms in and out: exits of firms that cannot go on, entry where profit and approvals
allow, firms founded or closed by reforms, lay-offs, and capacity cuts ordered from above.

A firm agent that stands for many real firms loses a share of them each quarter instead of
leaving whole, so exits do not come in lumps. A closing firm repays its debt from cash, pays
out what is left, has the rest of its debt written off and returns its land to the zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import approvals, infrastructure, queues, taxes, zone_policy
from model.accounts import BANKS, FIRMS, REST_OF_WORLD
from model.agents import firm
from model.agents.household import FIRM_JOB, UNEMPLOYED
from model.choices import choose, choose_from, cumulative_rows
from model.economy import PendingEntrants
from model.markets.credit import cover_shortfall, in_default
from model.markets.land import add_up, group_by_zone, industrial_price, sell_to_entrants

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class TurnoverResult:
    exits: float  # real firms that left in the normal course
    entrants: float  # real firms that started in the normal course (once approved)
    defaults: float  # of the exits, real firms whose banks called their loans
    written_off: float  # debt the banks wrote off on firms that left, yuan


def update(economy: Economy) -> TurnoverResult:
    """Firms that cannot go on leave; new firms enter where profit and approvals allow."""
    params, firms, rng = economy.params, economy.firms, economy.rng
    live = firms.live()
    giant = firms.giant[live]
    loss_quarters, weight = firms.loss_q[live], firms.weight[live]
    distress = (loss_quarters >= params.firms.exit_loss_quarters) & (
        firms.cash_yuan[live] <= params.firms.cash_buffer_share * np.abs(firms.va_yuan[live])
    )
    # the giant works are restructured rather than closed when they default
    default = in_default(economy, live) & ~giant
    prob = params.firms.exit_base_rate * (1 + 2 * (loss_quarters > 0))
    young = (economy.clock.t - firms.born_q[live]) < 12
    prob = prob * np.where(young, economy.rules.young_firm_exit_multiplier, 1.0)
    # an agent standing for one firm leaves at random; one standing for many loses that
    # share of its firms each quarter, so exits do not come in lumps of many firms
    single = weight <= 1.0 + 1e-9
    exit_now = (distress | default | (single & (rng.random(len(live)) < prob))) & ~giant
    leaving = live[exit_now]
    shrinking = ~exit_now & ~single & ~giant
    exits = float(weight[exit_now].sum())
    defaults = float(weight[default].sum())
    shrunk, written_off = _shrink(economy, live[shrinking], prob[shrinking])
    exits += shrunk
    written_off += _remove(economy, leaving)
    return TurnoverResult(
        exits=exits, entrants=_enter(economy), defaults=defaults, written_off=written_off
    )


def entry_plan(economy: Economy) -> tuple[np.ndarray, np.ndarray]:
    """Real firms expected to apply to enter each sector this quarter, in proportion to its
    firms and its profitability, and the weight of each zone for each sector (its share of
    the sector's firms in 2010, less where approvals take longer than then, more where
    public works have grown faster, and as the zone courts the sector)."""
    params, firms = economy.params, economy.firms
    n_sectors = len(economy.sectors.names)
    live = firms.live()
    sector, weight = firms.sector[live], firms.weight[live]
    firms_by_sector = np.bincount(sector, weights=weight, minlength=n_sectors)
    gross = np.bincount(
        sector,
        weights=weight * (firms.va_yuan[live] - firms.wage_bill[live]),
        minlength=n_sectors,
    )
    capital = (
        np.bincount(sector, weights=weight * firms.capital_yuan[live], minlength=n_sectors)
        * economy.price_level
    )
    after_tax = gross * (1 - taxes.production_tax_share(params))
    return_on_capital = 4 * after_tax / np.maximum(capital, 1.0)
    profit_factor = (
        np.minimum(3.0, np.maximum(0.2, return_on_capital / economy.expectations.profit_reference))
        ** params.firms.entry_profit_elasticity
    )
    approval = np.array([zone.approval_factor() for zone in economy.zones])
    pull = approval * infrastructure.entry_pull(economy)
    weights_2010 = np.asarray(params.sectors.zone_weights)
    zone_weights = weights_2010 * pull[None, :]
    # real firms per quarter
    expected = (
        params.firms.entry_rate * firms_by_sector * profit_factor * economy.rules.entry_multiplier
    )
    # the zones court the sectors their officials score best, each within its own means
    totals_2010 = weights_2010.sum(axis=1)
    drawn = expected[:, None] * zone_weights / totals_2010[:, None]
    zone_weights = zone_weights * zone_policy.court(economy, drawn).T
    expected *= zone_weights.sum(axis=1) / totals_2010
    return expected, zone_weights


def _enter(economy: Economy) -> float:
    """New firms of each sector apply, placed by the sector's zone weights and each zone's
    approval time, and start once approved; firms relocating from the coast besides.
    Returns the real firms that started this quarter."""
    params, firms, rng = economy.params, economy.firms, economy.rng
    n_sectors = len(economy.sectors.names)
    expected, zone_weights = entry_plan(economy)
    # the typical entrant of each sector is looked up once, when the first is needed
    # (entrants hold no capital yet, so those created below do not change it)
    templates: dict[int, dict[str, float]] = {}

    def template(sector: int) -> dict[str, float]:
        if not templates:
            templates.update(firm.entrant_templates(economy))
        return templates[sector]

    # founders whose approval has come through start now; all who start this quarter are
    # drawn in turn and written to the table together at the end
    starting: list[Founders] = []
    due = [group for group in economy.pending_entrants if group.due <= economy.clock.t]
    economy.pending_entrants = [g for g in economy.pending_entrants if g.due > economy.clock.t]
    for group in due:
        starting.append(
            draw_founders(
                economy,
                group.sector,
                group.zones,
                group.weight,
                group.size_factor,
                template(group.sector),
            )
        )
    weight = max(1.0, economy.scale / params.firms.above_scale_weight_divisor)
    # (the zones' approval times do not change until the offices serve next quarter)
    quarters_to_approve = [zone.approval_days / queues.DAYS_PER_QUARTER for zone in economy.zones]
    # where each sector's entrants settle (each row summed alone, as the row's own sum)
    zone_prob = zone_weights / np.ascontiguousarray(zone_weights).sum(axis=1)[:, None]
    cdfs = cumulative_rows(zone_prob)  # (what ``choose`` draws with, for every sector)

    def settle(sector: int, count: int) -> np.ndarray:
        """Zones for ``count`` entrants of ``sector``: ``choose(rng, zone_prob[sector],
        count)``, from the sector's cumulative weights worked out above."""
        return choose_from(rng, zone_prob[sector], cdfs[sector], count)

    for sector in range(n_sectors):
        count = rng.poisson(expected[sector] / weight)
        if count == 0:
            continue
        zones = settle(sector, count)
        size = params.firms.entrant_size
        starting += _apply(economy, sector, zones, weight, size, template, quarters_to_approve)
    # firms relocating from the coast: industry, larger, where approvals are quick
    relocating = (
        economy.world.relocating_firms[economy.clock.t] / 4 * economy.rules.relocating_success
    )
    weight_relocating = max(1.0, economy.scale / params.firms.above_scale_weight_divisor)
    count = rng.poisson(relocating / weight_relocating)
    if count:
        shares = np.asarray(params.firms.relocating_sector_shares)
        sectors = choose(rng, shares / shares.sum(), count)
        for sector in np.unique(sectors):
            in_sector = int((sectors == sector).sum())
            zones = settle(int(sector), in_sector)
            size = params.firms.relocating_size
            starting += _apply(
                economy, int(sector), zones, weight_relocating, size, template, quarters_to_approve
            )
    if not starting:
        return 0.0
    rows = found(economy, starting)  # (the table may grow: its columns are read after)
    return float(firms.weight[rows].sum())


def _apply(
    economy: Economy,
    sector: int,
    zones: np.ndarray,
    weight: float,
    size_factor: float,
    template,
    quarters_to_approve: list[float],
) -> list[Founders]:
    """Founders apply to their zones' offices; those approved within this quarter start now
    (returns them, drawn), the others wait for their approval. A file filed at a random time
    of the quarter is approved after the zone's approval days (``quarters_to_approve``, in
    quarters, by zone)."""
    approvals.file(economy, zones, np.full(len(zones), weight))
    # (a few founders at a time: their quarters in plain floats, each zone in its group in
    # the order drawn)
    waiting: dict[int, list[int]] = {}
    drawn = economy.rng.random(len(zones)).tolist()
    for zone, at in zip(zones.tolist(), drawn, strict=True):
        waiting.setdefault(math.floor(at + quarters_to_approve[zone]), []).append(zone)
    started = []
    for delay in sorted(waiting):
        these = np.array(waiting[delay], dtype=zones.dtype)
        if delay == 0:
            started.append(
                draw_founders(economy, sector, these, weight, size_factor, template(sector))
            )
        else:
            economy.pending_entrants.append(
                PendingEntrants(economy.clock.t + int(delay), sector, these, weight, size_factor)
            )
    return started


def found_firms(
    economy: Economy,
    sector: int,
    count: int,
    weight: float,
    size_factor: float,
    template: dict[str, float] | None = None,
) -> np.ndarray:
    """New firms of ``sector`` whose founders put in the money (no bank loan, no cash
    until they do): zones drawn by the sector's zone weights and approval times, each like
    the sector's typical entrant (``template``, if the caller has just looked it up)."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    approval = np.array([zone.approval_factor() for zone in economy.zones])
    zone_prob = np.asarray(economy.params.sectors.zone_weights)[sector] * approval
    zones = choose(economy.rng, zone_prob / zone_prob.sum(), count)
    economy.flows.extra_entrants += count * weight
    if template is None:
        template = firm.entrant_templates(economy, only=sector)[sector]
    drawn = draw_founders(
        economy, sector, zones, weight, size_factor, template, outside_finance=False
    )
    return found(economy, [drawn])


@dataclass
class Founders:
    """New firms of one sector, drawn, before they are written to the firms' table."""

    sector: int
    zones: np.ndarray
    weight: float  # real firms each agent stands for
    template: dict[str, float]  # the sector's typical entrant
    capital: np.ndarray  # real capital each buys this quarter
    land_mu: float  # construction land each wants
    tfp: np.ndarray
    outside_finance: bool  # equity and loans, or money their backers put in


def draw_founders(
    economy: Economy,
    sector: int,
    zones: np.ndarray,
    weight: float,
    size_factor: float,
    template: dict[str, float],
    outside_finance: bool = True,
) -> Founders:
    """Entrant firms like ``template``, one in each of ``zones``: their draws (capital,
    then productivity), taken now so that the random stream keeps its order."""
    rng = economy.rng
    count = len(zones)
    capital = template["capital"] * size_factor * rng.lognormal(0, 0.3, count)
    tfp = template["tfp"] * rng.lognormal(0, 0.2, count)
    land = template["land"] * size_factor
    return Founders(sector, zones, weight, template, capital, land, tfp, outside_finance)


def found(economy: Economy, groups: list[Founders]) -> np.ndarray:
    """Create the firm agents of ``groups`` (one block of rows, in order); their capital is
    bought this quarter with equity and loans (``outside_finance``) or with money their
    backers put in. Each group then pays and buys its land in turn, as if founded alone.
    Returns the new rows."""
    params, firms = economy.params, economy.firms
    if not groups:
        return np.empty(0, dtype=np.int64)
    price = economy.price_level
    counts = [len(group.zones) for group in groups]

    one = groups[0] if len(groups) == 1 else None  # (its own numbers serve all its rows)

    def each(name: str):
        if one is not None:
            return getattr(one, name)
        return _per_firm([getattr(group, name) for group in groups], counts)

    def from_template(key: str):
        if one is not None:
            return one.template[key]
        return _per_firm([group.template[key] for group in groups], counts)

    def joined(name: str) -> np.ndarray:
        if one is not None:
            return getattr(one, name)
        return np.concatenate([getattr(group, name) for group in groups])

    # every group's numbers side by side, each firm's worked out as it would be group by
    # group; the founders with outside finance borrow part of the capital
    capital, weight, financed = joined("capital"), each("weight"), each("outside_finance")
    loan = np.where(financed, params.firms.entrant_loan_share * capital * price, 0.0)
    rows = firms.add(
        sum(counts),
        alive=True,
        weight=weight,
        sector=each("sector"),
        zone=joined("zones"),
        capital_yuan=0.0,
        beta=from_template("beta"),
        entrant_capital=capital,
        tfp=joined("tfp"),
        land_mu=0.0,
        debt_yuan=loan,
        cash_yuan=0.0,
        energy_intensity=1.0,
        emission_intensity=1.0,
        clean_tech=from_template("clean"),
        born_q=economy.clock.t,
        labour_eff=params.firms.owner_labour,
    )
    economy.agents.add("firms", rows)
    # equity from the founders (outside the city) pays what the loan does not; the capital
    # bought (with the cash, in the credit market) is part of this quarter's investment
    equity = capital * price - loan + params.firms.entrant_cash_share * capital * price
    cash = np.where(financed, equity + loan, 0.0)
    paid_in = (weight * equity).tolist()
    # each group pays in and buys its land in turn (the zones' land goes to the first
    # groups first); what that does to each firm's own columns is written for all at once
    got: list[float] = []
    start = 0
    land_price = industrial_price(economy)
    for group, count in zip(groups, counts, strict=True):
        if group.outside_finance:
            paid = add_up(paid_in[start : start + count])  # (np.sum's sum of the group's)
            economy.ledger.pay(REST_OF_WORLD, FIRMS, paid, "entrant_equity")
        got += sell_to_entrants(economy, group.zones, group.weight, group.land_mu, land_price)
        start += count
    land = np.array(got)
    firms.land_mu[rows] += land
    firms.cash_yuan[rows] = cash - land * land_price
    cover_shortfall(economy, rows)
    return rows


def _per_firm(values: list, counts: list[int]):
    """Each group's value for each of its firms: ``np.repeat(values, counts)``, or the
    value itself when all groups share it (and it is not a zero, whose sign might differ)."""
    first = values[0]
    if first and values.count(first) == len(values):
        return first
    return np.repeat(values, counts)


def lay_off(economy: Economy, rows: np.ndarray) -> None:
    """Everyone employed by these firms loses the job (a firm moving away, say)."""
    if len(rows) == 0:
        return
    households = economy.households
    closing = np.zeros(economy.firms.n, dtype=bool)
    closing[rows] = True
    # (employer is -1 for those without a firm job, which the job test masks out)
    employed = households.where(
        (households.col("job") == FIRM_JOB) & closing[households.col("employer")]
    )
    households.job[employed] = UNEMPLOYED
    households.employer[employed] = -1


def close_firms(economy: Economy, rows: np.ndarray) -> None:
    """Close firms outside the normal exit (ordered closures); counted as exits."""
    economy.flows.extra_exits += float(economy.firms.weight[rows].sum())
    _remove(economy, rows)


def shrink_firms(economy: Economy, rows: np.ndarray, share: np.ndarray) -> float:
    """Close a share of the firms agents stand for (ordered closures); counted as exits."""
    closed, _ = _shrink(economy, rows, share)
    economy.flows.extra_exits += closed
    return closed


def cut_capacity(economy: Economy) -> None:
    """Heavy industry loses the year's ordered capacity cut, spread over its quarters."""
    cut = economy.world.capacity_cut[economy.clock.t]
    if cut <= 0:
        return
    firms = economy.firms
    live = firms.live()
    heavy = live[economy.sectors.in_group(firms.sector[live], economy.sectors.heavy)]
    firms.capital_yuan[heavy] *= (1 - cut) ** 0.25


def _shrink(economy: Economy, rows: np.ndarray, share: np.ndarray) -> tuple[float, float]:
    """The given share of the firms an agent stands for close; returns the real firms closed
    and the debt written off.

    The closing firms settle like a whole closure: cash repays debt, the rest is paid
    out, unpaid debt is written off, land returns to the zone. Their workers stay with the
    agent, which then finds itself overstaffed and lays off through the labour market.
    """
    firms, ledger = economy.firms, economy.ledger
    if len(rows) == 0:
        return 0.0, 0.0
    gone = firms.weight[rows] * share
    repay = np.minimum(firms.cash_yuan[rows], firms.debt_yuan[rows])
    cash_left = firms.cash_yuan[rows] - repay
    debt_left = firms.debt_yuan[rows] - repay
    ledger.pay(FIRMS, REST_OF_WORLD, float((gone * cash_left).sum()), "exit_payout")
    written_off = float((gone * debt_left).sum())
    ledger.revalue(FIRMS, written_off, "loans_written_off")
    ledger.revalue(BANKS, -written_off, "loans_written_off")
    _return_land(economy, rows, gone)
    firms.weight[rows] -= gone
    return float(gone.sum()), written_off


def _remove(economy: Economy, rows: np.ndarray) -> float:
    """Close firms: workers laid off, debt repaid from cash or written off, land returned.
    Returns the debt written off."""
    firms, ledger = economy.firms, economy.ledger
    if len(rows) == 0:
        return 0.0
    weight = firms.weight[rows]
    repay = np.minimum(firms.cash_yuan[rows], firms.debt_yuan[rows])
    firms.cash_yuan[rows] -= repay
    firms.debt_yuan[rows] -= repay
    leftover = float((weight * firms.cash_yuan[rows]).sum())
    ledger.pay(FIRMS, REST_OF_WORLD, leftover, "exit_payout")
    written_off = float((weight * firms.debt_yuan[rows]).sum())
    ledger.revalue(FIRMS, written_off, "loans_written_off")
    ledger.revalue(BANKS, -written_off, "loans_written_off")
    _return_land(economy, rows, weight)
    firms.cash_yuan[rows] = 0.0
    firms.debt_yuan[rows] = 0.0
    firms.kill(rows)
    lay_off(economy, rows)
    economy.agents.drop("firms", rows)
    return written_off


def _return_land(economy: Economy, rows: np.ndarray, closed: np.ndarray) -> None:
    """The land of ``closed`` real firms of each row goes back to its zone (each zone's sum
    taken over its own rows, in order, as ``np.sum`` takes it)."""
    firms = economy.firms
    # each zone's rows side by side, in order: a zone's sum is its slice's
    order, bounds = group_by_zone(firms.zone[rows], len(economy.zones))
    land = (closed * firms.land_mu[rows])[order]
    for z, zone in enumerate(economy.zones):
        if bounds[z] < bounds[z + 1]:  # (a zone without such rows gets nothing back)
            zone.land_available_mu += float(land[bounds[z] : bounds[z + 1]].sum())
