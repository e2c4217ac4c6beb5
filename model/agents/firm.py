"""Firms: produce with capital, labour by skill and land; plan hiring and investment.

A :class:`Firm` agent stands for ``weight`` real firms with the same state (the two giant
works stand for themselves). Its state is one row of the :class:`FirmTable`
(``economy.firms``); the rules below act on all firms and write only the firm table. Money
amounts in the firm columns are per real firm; capital is in yuan at 2010 prices. Entry and
exit are in ``model/turnover.py``; hiring, credit and sales in ``model/markets/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import infrastructure, taxes
from model.agents.household import knowledge_share, wage_income
from model.agents.registry import TableAgent
from model.arrays import weighted_median, weighted_medians
from model.tables import Table

if TYPE_CHECKING:
    from model.economy import Economy


class FirmTable(Table):
    COLUMNS = {
        "alive": np.bool_,
        "weight": np.float64,  # real firms this agent stands for
        "giant": np.bool_,  # one of the two works that dominate heavy industry
        "sector": np.int8,
        "zone": np.int8,
        "capital_yuan": np.float64,  # per real firm
        "tfp": np.float64,
        "beta": np.float64,  # labour elasticity (its 2010 wage-bill share of value added)
        "land_mu": np.float64,  # per real firm: construction land it holds
        "leased_farmland_mu": np.float64,  # per real firm: farmland rented from households
        "debt_yuan": np.float64,  # per real firm
        "cash_yuan": np.float64,  # per real firm
        "energy_intensity": np.float64,  # multiple of the sector's 2010 intensity
        "emission_intensity": np.float64,
        "clean_tech": np.float64,  # share of emissions abated
        "loss_q": np.int32,  # consecutive quarters with losses
        "born_q": np.int32,
        "labour_eff": np.float64,  # effective workers per real firm (from the labour market)
        "workers": np.float64,  # workers per real firm
        "wage_bill": np.float64,  # per real firm, last quarter
        "supply": np.float64,  # real value added capacity per real firm this quarter
        "va_yuan": np.float64,  # per real firm, last quarter
        "profit_yuan": np.float64,  # per real firm, last quarter, after interest and taxes
        "sales_year": np.float64,  # sales in the current year so far, per real firm
        "sales_last_year": np.float64,
        "investment_yuan": np.float64,  # per real firm, last quarter
        "entrant_capital": np.float64,  # capital a new firm buys in its first quarter (real)
        "audited": np.bool_,  # has had a clean-production audit
        "downtime_share": np.float64,  # share of this quarter's capacity lost to a stoppage
        "fund_equity_yuan": np.float64,  # per real firm: held by the guidance fund
        "collective_land_mu": np.float64,  # per real firm: of land_mu, leased from villages
        "vat_credit_yuan": np.float64,  # per real firm: input VAT not yet set against VAT due
    }


class Firm(TableAgent):
    """One firm agent: a row of ``economy.firms``."""

    def _get(self, name: str):
        return getattr(self.model.economy.firms, name)[self.row]

    @property
    def sector(self) -> str:
        return self.model.economy.sectors.names[int(self._get("sector"))]

    @property
    def zone(self) -> str:
        return self.model.economy.zone_names[int(self._get("zone"))]

    @property
    def weight(self) -> float:
        return float(self._get("weight"))

    @property
    def capital_yuan(self) -> float:
        return float(self._get("capital_yuan"))

    @property
    def workers(self) -> float:
        return float(self._get("workers"))

    @property
    def value_added_yuan(self) -> float:
        """Last quarter's value added of one real firm of this agent."""
        return float(self._get("va_yuan"))

    @property
    def annual_sales_yuan(self) -> float:
        return float(self._get("sales_last_year"))

    def __repr__(self) -> str:
        return (
            f"Firm(row={self.row}, sector={self.sector}, zone={self.zone}, "
            f"weight={self.weight:g}, workers={self.workers:.0f})"
        )


# --- what the firm table says ----------------------------------------------------------------


def real_firms(economy: Economy) -> float:
    firms = economy.firms
    return float(firms.weight[firms.live()].sum())


def land(economy: Economy, rows: np.ndarray) -> np.ndarray:
    """Land each real firm works: its construction land and the farmland it rents."""
    firms = economy.firms
    return firms.land_mu[rows] + firms.leased_farmland_mu[rows]


def wage_bills(economy: Economy, rows: np.ndarray) -> np.ndarray:
    """Quarterly wage bill of one real firm in each row, from the households it employs."""
    households, firms = economy.households, economy.firms
    live = households.rows()
    paid = households.weight[live] * wage_income(economy, live)
    bill = np.bincount(households.employer[live] + 1, weights=paid, minlength=firms.n + 1)[1:]
    return bill[rows] / firms.weight[rows]


# --- rules applied to all firms at once ----------------------------------------------------


def capacity(tfp, capital, labour_eff, land, alpha, beta, gamma) -> np.ndarray:
    """Real value added a firm can produce in a quarter (Cobb-Douglas, decreasing returns)."""
    return (
        tfp
        * np.maximum(capital, 0.0) ** alpha
        * np.maximum(labour_eff, 1e-9) ** beta
        * np.maximum(land, 1e-6) ** gamma
    )


def count_labour(economy: Economy) -> None:
    """Each firm's workers and effective labour, from the households it employs."""
    households, firms = economy.households, economy.firms
    live = households.rows()
    # summed by employer + 1: households without a firm job (employer -1) fall in bin 0
    by_firm = np.add(households.employer[live], 1, dtype=np.intp)  # (widened once for both)
    workers = households.weight[live] * households.workers[live]
    # (the efficiencies' gathered array takes the product: b * a is a * b)
    effective = economy.labour.skill_efficiency.take(households.skill[live])
    effective *= workers
    weight = np.maximum(firms.weight[: firms.n], 1e-12)
    firms.workers[: firms.n] = (
        np.bincount(by_firm, weights=workers, minlength=firms.n + 1)[1:] / weight
    )
    firms.labour_eff[: firms.n] = (
        np.bincount(by_firm, weights=effective, minlength=firms.n + 1)[1:] / weight
        + economy.params.firms.owner_labour
    )


def update_productivity(economy: Economy) -> None:
    """Productivity drifts with the national frontier, takes idiosyncratic shocks, and
    moves with knowledge spill-overs and the public capital around the firm."""
    firms, params = economy.firms, economy.params
    productivity = economy.productivity
    productivity.knowledge_share = knowledge_share(economy)
    live = firms.live()
    growth = (
        params.firms.tfp_growth_share * economy.world.national_real_growth[economy.clock.t]
        + params.firms.catch_up_growth
    )
    shock_sd = params.firms.productivity_shock_sd
    shock = economy.rng.normal(0.0, shock_sd, len(live))
    firms.tfp[live] *= (1 + growth) ** 0.25 * np.exp(shock - 0.5 * shock_sd**2)
    # spill-overs: the productivity level stands at 1 + e x (rise of the knowledge-worker
    # share relative to 2010); this quarter moves it from last quarter's level to this one's
    gain = max(productivity.knowledge_share / max(productivity.knowledge_share_2010, 1e-9) - 1, 0.0)
    level = 1 + economy.rules.spillover_elasticity * gain
    change = level / productivity.spillover_level
    productivity.spillover_level = level
    # and with the public capital of the firm's zone
    works = infrastructure.productivity_change(economy)
    firms.tfp[live] *= change * works[firms.zone[live]]


def desired_labour_change(economy: Economy, live: np.ndarray) -> np.ndarray:
    """Change in effective labour each real firm wants: marginal product against wage."""
    firms = economy.firms
    beta = firms.beta[live]
    employed = firms.labour_eff[live] - economy.params.firms.owner_labour
    ratio = np.where(
        firms.wage_bill[live] > 0,
        beta * firms.va_yuan[live] / np.maximum(firms.wage_bill[live], 1e-9),
        2.0,
    )
    # (``np.minimum(high, np.maximum(low, x))`` is ``np.clip`` to the sign of a zero, and
    # several times quicker on small arrays)
    ratio = np.minimum(2.0, np.maximum(0.5, ratio))
    target = np.maximum(employed, 1.0) * ratio ** (1 / (1 - beta))
    target = np.minimum(1.5 * np.maximum(employed, 2.0), np.maximum(0.6 * employed, target))
    return economy.params.labour.labour_adjust * (target - employed)


def expansion_rate(economy: Economy, live: np.ndarray) -> np.ndarray:
    """The yearly expansion of capital each real firm plans: expected growth of its sector,
    as profitable as it is and as dear as credit is."""
    firms, params, expectations = economy.firms, economy.params, economy.expectations
    sector = firms.sector[live]
    capital = firms.capital_yuan[live]
    price = economy.price_level
    after_tax = 1 - taxes.production_tax_share(params)[sector]
    gross = (firms.va_yuan[live] - firms.wage_bill[live] * 1.0) * after_tax
    return_on_capital = 4 * gross / np.maximum(price * capital, 1.0)
    relative = (
        np.minimum(3.0, np.maximum(0.0, return_on_capital / expectations.profit_reference[sector]))
        ** params.firms.investment_profit_elasticity
    )
    rate = economy.world.lending_rate[economy.clock.t] + params.credit.spread
    depreciation = params.firms.depreciation
    cost = (expectations.rate_2010 + depreciation) / (rate + depreciation)
    expected = expectations.expected_growth[sector]
    return params.firms.investment_accelerator * np.maximum(expected, 0) * relative * cost


def expansion_projects(
    economy: Economy, live: np.ndarray, rate: np.ndarray | None = None
) -> np.ndarray:
    """Projects each firm agent files this quarter: its real firms' planned expansion of
    capital over what a typical project adds (a share of the firm's capital). ``rate``: the
    firms' :func:`expansion_rate`, if the caller has it already."""
    share = economy.params.administration.project_capital_share
    if rate is None:
        rate = expansion_rate(economy, live)
    return economy.firms.weight[live] * rate / 4 / share


def plan_investment(
    economy: Economy, live: np.ndarray, rate: np.ndarray | None = None
) -> np.ndarray:
    """Real investment each real firm wants this quarter: replacement, and expansion as fast
    as its zone approves projects (slower than in 2010 when approvals take longer).
    ``rate``: the firms' :func:`expansion_rate`, if the caller has it already."""
    firms, params = economy.firms, economy.params
    sector = firms.sector[live]
    capital = firms.capital_yuan[live]
    # a project waits for approval: expansion proceeds at (1 + 2010 wait) / (1 + wait now)
    # of its planned pace, the wait in quarters
    days = np.array([zone.approval_days for zone in economy.zones])
    days_2010 = np.array([zone.approval_days_2010 for zone in economy.zones])
    pace = (1 + days_2010 / 91) / (1 + days / 91)
    if rate is None:
        rate = expansion_rate(economy, live)
    expand = rate * pace[firms.zone[live]]
    rate = params.firms.depreciation + expand
    # none in sectors under a capacity cut
    cut = economy.world.capacity_cut[economy.clock.t]
    heavy = economy.sectors.in_group(sector, economy.sectors.heavy)
    rate = rate * np.where(heavy & (cut > 0), 0.0, 1.0)
    return capital * rate / 4


def produce(economy: Economy) -> None:
    """Each firm's real value added this quarter: its capacity, less any stoppage."""
    firms, sectors = economy.firms, economy.sectors
    live = firms.live()
    sector = firms.sector[live]
    firms.supply[live] = capacity(
        firms.tfp[live],
        firms.capital_yuan[live],
        firms.labour_eff[live],
        land(economy, live),
        sectors.capital_elasticity[sector],
        firms.beta[live],
        sectors.land_elasticity[sector],
    ) * (1 - firms.downtime_share[live])
    firms.downtime_share[live] = 0.0  # a stoppage lasts the quarter it is ordered for


def depreciate(economy: Economy) -> None:
    """Real capital wears out."""
    firms = economy.firms
    live = firms.live()
    firms.capital_yuan[live] *= 1 - economy.params.firms.depreciation / 4


def update_expectations(economy: Economy, supply: np.ndarray) -> None:
    """Firms expect their sector to keep growing as it did over the past year."""
    expectations = economy.expectations
    expectations.supply_history.append(supply)
    if len(expectations.supply_history) > 4:
        year_ago = expectations.supply_history.pop(0)
        growth = supply / np.maximum(year_ago, 1e-9) - 1
        weight = economy.params.firms.expectation_weight
        previous = expectations.expected_growth
        expectations.expected_growth = (1 - weight) * previous + weight * np.minimum(
            0.5, np.maximum(-0.3, growth)
        )


def close_year(economy: Economy) -> None:
    """The year's sales become last year's (the above-scale count and credit read them)."""
    firms = economy.firms
    live = firms.live()
    firms.sales_last_year[live] = firms.sales_year[live]
    firms.sales_year[: firms.n] = 0.0


TEMPLATE_FIELDS = {"capital": "capital_yuan", "tfp": "tfp", "land": "land_mu", "beta": "beta"}


def entrant_templates(economy: Economy, only: int | None = None) -> dict[int, dict[str, float]]:
    """What a typical new firm of each sector looks like (medians of its real firms), or of
    sector ``only`` (its own firms, or the city's if it has none yet)."""
    firms = economy.firms
    n_sectors = len(economy.sectors.names)
    live = firms.live()
    # firms that have bought their capital: this quarter's entrants (capital still zero)
    # would drag the median down and, when they are many, to zero
    going = live[~firms.giant[live] & (firms.capital_yuan[live] > 0)]
    if only is not None:
        same = going[firms.sector[going] == only]
        return {only: _typical_firm(firms, same if len(same) else going)}
    sector = firms.sector[going]
    weight = firms.weight[going]
    count = np.bincount(sector, minlength=n_sectors)
    start = [0, *count.cumsum().tolist()]
    found = count.nonzero()[0].tolist()
    clean = firms.clean_tech[going][sector.argsort(kind="stable")]
    # (a slice's own sum and a division: what np.mean does, without its checks)
    out = {s: {"clean": float(clean[start[s] : start[s + 1]].sum()) / int(count[s])} for s in found}
    medians_of = _SectorMedians(weight, [start[s] for s in found], count[found])
    for key, column in TEMPLATE_FIELDS.items():
        values = getattr(firms, column)[going]
        # by value, then (stably) by sector: each sector's firms in value order. Equal
        # values may come in any order; the median value does not depend on it. (Firms of
        # one sector only are in value order already: the stable sort would keep it.)
        by_value = values.argsort()
        one_sector = len(found) == 1
        order = by_value if one_sector else by_value[sector[by_value].argsort(kind="stable")]
        for s, median in zip(found, medians_of(values[order], weight[order]), strict=True):
            out[s][key] = median
    if len(found) < n_sectors:
        # a sector with no such firm yet gets the city's typical firm
        city = _typical_firm(firms, going)
        for s in range(n_sectors):
            out.setdefault(s, dict(city))
    return out


def _typical_firm(firms: FirmTable, rows: np.ndarray) -> dict[str, float]:
    """The medians (the mean of ``clean_tech``) over the real firms of ``rows``."""
    weight = firms.weight[rows]
    typical = {"clean": float(firms.clean_tech[rows].sum()) / len(rows) if len(rows) else 0.0}
    orders = {
        key: getattr(firms, column)[rows].argsort() for key, column in TEMPLATE_FIELDS.items()
    }
    if len(rows) and np.isfinite(weight).all() and (weight >= 0).all():
        # the running totals of the weights in each column's value order, side by side (a
        # row's running total is its own); the median at the first to reach half the total
        running = weight[np.array(list(orders.values()))].cumsum(axis=1)
        at = (running >= 0.5 * running[:, -1:]).argmax(axis=1).tolist()
        for (key, order), first in zip(orders.items(), at, strict=True):
            typical[key] = float(getattr(firms, TEMPLATE_FIELDS[key])[rows[order[first]]])
        return typical
    for key, order in orders.items():
        values = getattr(firms, TEMPLATE_FIELDS[key])[rows]
        typical[key] = weighted_median(values[order], weight[order], presorted=True)
    return typical


class _SectorMedians:
    """Weighted medians of each sector's stretch of firms sorted by sector, then by value:
    the same numbers as :func:`model.arrays.weighted_medians`, whose running total per
    stretch (``np.cumsum``) is taken here for all stretches at once, as the rows of a table
    padded with zeros (adding zero leaves a running total as it is)."""

    def __init__(self, weight: np.ndarray, starts: list[int], counts):
        self.parts = [(a, a + int(n)) for a, n in zip(starts, counts, strict=True)]
        self.starts = np.asarray(starts, dtype=np.int64)
        # (one stretch, or a nan, infinite or negative weight: one by one, as there)
        self.together = len(self.parts) > 1 and bool(
            np.isfinite(weight).all() and (weight >= 0).all()
        )
        if self.together:
            stretch = np.repeat(np.arange(len(starts)), counts)
            self.shape = (len(starts), int(max(counts)))
            # each firm's cell in the padded table, as a position in its flat buffer
            self.cells = stretch * self.shape[1] + (np.arange(len(weight)) - self.starts[stretch])

    def __call__(self, values: np.ndarray, weights: np.ndarray) -> list[float]:
        if not self.together:
            return weighted_medians(values, weights, self.parts)
        padded = np.zeros(self.shape[0] * self.shape[1])
        padded[self.cells] = weights
        running = padded.reshape(self.shape).cumsum(axis=1)
        half = 0.5 * running[:, -1]
        # where np.searchsorted(running, half) puts it: at the first total to reach half
        # (the last one does: it is the total)
        at = (running >= half[:, None]).argmax(axis=1)
        return values[self.starts + at].tolist()
