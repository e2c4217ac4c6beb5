"""What a household receives from the city and pays to it: pensions, the other social
security, social contributions and personal income tax, each for one real household of each
row of the household table (quarterly, yuan). ``model/income.py`` pays and collects them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import row_split, taxes
from model.agents.household import COMMUTE_WUHAN, FIRM_JOB, JOB_NAMES, PUBLIC_JOB, wage_income
from model.arrays import weighted_total

if TYPE_CHECKING:
    from model.economy import Economy

# jobs whose wages an employer pays and withholds income tax from
WITHHELD_JOBS = np.isin(np.arange(len(JOB_NAMES)), (FIRM_JOB, PUBLIC_JOB, COMMUTE_WUHAN))


@dataclass
class TransfersDue:
    """The quarter's pensions and other social security: of one real household in each
    live row, and in all (real households, yuan)."""

    pensions: np.ndarray
    security: np.ndarray
    pensions_yuan: float
    security_yuan: float


def transfers_due(economy: Economy) -> TransfersDue:
    """What the city owes households this quarter. It depends on who lives where, on
    consumption plans and on the quarter's rules and prices, none of which change between
    the budget's plan and the payment (``model/fiscal.py``, ``model/income.py``): the
    schedule works it out once, after the consumption and housing plans."""
    households = economy.households
    live = households.rows()
    weight = households.weight[live]
    each_pension, each_security = np.empty(households.n), np.empty(households.n)

    def part(rows: slice) -> None:  # (row by row: model/row_split.py)
        pensions(economy, rows, out=each_pension[rows])
        security_transfers(economy, rows, out=each_security[rows])

    row_split.over_rows(households.n, part)
    return TransfersDue(
        pensions=each_pension,
        security=each_security,
        pensions_yuan=weighted_total(weight, each_pension),
        security_yuan=weighted_total(weight, each_security),
    )


def pensions(economy: Economy, rows, out: np.ndarray | None = None) -> np.ndarray:
    """Quarterly pensions of one real household in each row (into ``out`` if given)."""
    # monthly pension by registration: urban (index 0) or rural (index 1)
    monthly = np.array([economy.params.households.pension_yuan, economy.rules.rural_pension_yuan])
    quarterly = monthly * (3 * economy.cpi)
    households = economy.households
    # (the pension looked up for every row, then times its elderly in place: b * a is a * b)
    each = quarterly.take(households.rural_hukou[rows].view(np.int8), out=out)
    each *= households.elderly[rows]
    return each


def security_transfers(economy: Economy, rows, out: np.ndarray | None = None) -> np.ndarray:
    """Quarterly social-security payments besides pensions to one real household in each
    row: the medical costs insurance reimburses beyond its 2010 cover, the allowance for
    each child, and the part of its town rent housing security pays (rural-registered
    households only; the urban-registered were covered before the reform)."""
    households, rules = economy.households, economy.rules
    security = economy.params.security
    added_cover = rules.medical_reimbursement - security.medical_reimbursement_2010
    # one array gathers the terms, added in the order medical + education + housing
    each_transfer = np.multiply(
        added_cover * security.medical_share, households.consumption[rows], out=out
    )
    children = households.size[rows] - households.workers[rows]
    children -= households.elderly[rows]
    np.maximum(children, 0, out=children)
    term = np.multiply(children, rules.education_support_yuan * economy.cpi / 4)
    each_transfer += term
    # rents follow house prices (model/markets/housing.py)
    rent = security.town_rent_share * economy.labour.skill_wage[0] / 4 * economy.housing.price_index
    each_transfer += np.multiply(households.urban[rows], rules.housing_support * rent, out=term)
    each_transfer *= households.rural_hukou[rows]
    return each_transfer


def contribution_rates(economy: Economy, rows) -> np.ndarray:
    """The share of its wages each household in ``rows`` pays in social contributions, on
    formal wages only: public posts and town registrants' firm jobs; of rural registrants'
    firm jobs only the formal share (``labour.rural_hukou_formal_share``) pays."""
    params, households = economy.params, economy.households
    formal = np.zeros((2, len(JOB_NAMES)))  # by registration (town, rural) and job
    formal[:, [FIRM_JOB, PUBLIC_JOB]] = 1.0
    formal[1, FIRM_JOB] = params.labour.rural_hukou_formal_share
    # (the index made in the integers ``take`` works in: it need not widen a copy)
    cell = np.multiply(households.rural_hukou[rows].view(np.int8), len(JOB_NAMES), dtype=np.intp)
    cell += households.job[rows]
    rate_by_cell = params.households.social_contribution_rate * formal.ravel()
    return rate_by_cell.take(cell)


def contributions(economy: Economy, rows, wages: np.ndarray | None = None) -> np.ndarray:
    """Social contributions of one real household in each row (``contribution_rates``);
    ``wages`` is its quarterly wage income when already at hand."""
    wages = wage_income(economy, rows) if wages is None else wages
    return wages * contribution_rates(economy, rows)


def income_tax(
    economy: Economy, rows, contribution_rate: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """Quarterly personal income tax of one real household in each row (into ``out`` if
    given): each worker's wage taxed by the schedule of the quarter (``model/taxes.py``);
    only wages paid by an employer are withheld."""
    households = economy.households
    wages = households.wage_yuan[rows]
    # a worker owes tax only above the threshold: most households' tax is left at zero
    taxed, per_worker = taxes.taxed_workers(economy, wages, contribution_rate)
    withheld = WITHHELD_JOBS.take(households.job[rows][taxed])
    if out is None:
        tax = np.zeros(len(wages))
    else:
        tax = out
        tax.fill(0.0)
    tax[taxed] = households.workers[rows][taxed] * per_worker * withheld / 4
    return tax


def taxes_due(economy: Economy, rows) -> np.ndarray:
    """Income tax and social contributions of one real household in each row."""
    rates = contribution_rates(economy, rows)
    return income_tax(economy, rows, rates) + wage_income(economy, rows) * rates
