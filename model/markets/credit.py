"""Credit: banks lend firms what collateral and interest cover allow, and firms finance the
investment they plan from their cash and those loans.

A loan is booked as the firm's debt, an asset of the banks (``model/banking.py``). An
entrant's first purchase of capital is financed in full (its founders and lenders committed
the money when it entered). A firm whose cash runs short draws an overdraft for the quarter;
a firm whose debt has outgrown what its land and capital would fetch is in default, and
closes at the next turnover (the banks write off what its cash does not repay).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import approvals
from model.agents import firm

if TYPE_CHECKING:
    from model.economy import Economy

ABOVE_SCALE_SALES_YUAN = 20e6  # annual sales of an above-scale industrial firm


@dataclass
class CreditResult:
    spend: np.ndarray  # investment of one real firm of each live row, yuan
    firm_investment_yuan: float  # all firms' investment this quarter


def collateral_value(economy: Economy, rows: np.ndarray) -> np.ndarray:
    """What a real firm's land and capital would fetch as collateral, yuan."""
    firms, credit = economy.firms, economy.params.credit
    price = economy.price_level
    return (
        firms.land_mu[rows] * credit.land_price_yuan_per_mu * price
        + credit.capital_collateral * firms.capital_yuan[rows] * price
    )


def in_default(economy: Economy, rows: np.ndarray) -> np.ndarray:
    """Firms whose debt has outgrown their collateral: the banks call their loans."""
    ratio = economy.params.credit.default_collateral_ratio
    return economy.firms.debt_yuan[rows] > ratio * collateral_value(economy, rows)


def credit_limit(economy: Economy, rows: np.ndarray) -> np.ndarray:
    """Most a bank lends a real firm: collateral and interest cover, whichever binds."""
    firms, params, rules = economy.firms, economy.params, economy.rules
    collateral = collateral_value(economy, rows)
    # listings and bonds let above-scale firms raise more
    above = firms.sales_last_year[rows] >= ABOVE_SCALE_SALES_YUAN
    multiplier = rules.collateral_multiplier * np.where(
        above, rules.above_scale_credit_multiplier, 1.0
    )
    by_collateral = params.credit.collateral_ltv * collateral * multiplier
    rate = economy.world.lending_rate[economy.clock.t] + params.credit.spread
    earnings = 4 * np.maximum(firms.va_yuan[rows] - firms.wage_bill[rows], 0.0)
    by_cover = earnings / (params.credit.interest_cover * rate)
    return np.minimum(by_collateral, by_cover)


def clear(economy: Economy) -> CreditResult:
    """Firms' investment this quarter, limited by cash and what banks will lend."""
    firms = economy.firms
    live = firms.live()
    price = economy.price_level
    expansion = firm.expansion_rate(economy, live)  # (the same for the plan and projects)
    want = firm.plan_investment(economy, live, expansion)
    # expansion is carried out as projects its zone's offices must approve
    approvals.file(economy, firms.zone[live], firm.expansion_projects(economy, live, expansion))
    entrant = firms.entrant_capital[live]
    want = want + entrant
    cost = want * price
    buffer = economy.params.firms.cash_buffer_share * np.abs(firms.va_yuan[live])
    own = np.maximum(firms.cash_yuan[live] - buffer, 0.0)
    need = np.maximum(cost - own, 0.0)
    room = np.maximum(credit_limit(economy, live) - firms.debt_yuan[live], 0.0)
    room = np.where(entrant > 0, np.inf, room)
    borrow = np.minimum(need, room)
    spend = np.minimum(cost, own + borrow)
    firms.debt_yuan[live] += borrow
    firms.cash_yuan[live] += borrow - spend
    firms.capital_yuan[live] += spend / price
    firms.investment_yuan[live] = spend
    firms.entrant_capital[live] = 0.0
    return CreditResult(spend, float(np.sum(firms.weight[live] * spend)))


def cover_shortfall(economy: Economy, rows: np.ndarray) -> None:
    """Firms whose cash has run below zero borrow the shortfall (an overdraft the banks
    grant without limit)."""
    firms = economy.firms
    short = np.maximum(-firms.cash_yuan[rows], 0.0)
    firms.cash_yuan[rows] += short
    firms.debt_yuan[rows] += short
