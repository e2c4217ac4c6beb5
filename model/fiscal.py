"""The city's budget: the quarter's plan, payments for reforms, and the settlement.

The plan comes first (wages and pensions, then capital spending and purchases out of what
is left, and the construction platform's borrowed investment beside the budget); goods and
services are bought in the goods market; at the end of the quarter the city's receipts and
payments settle its deposits and debt (``CityGovernment.settle``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.accounts import GOVERNMENT, REST_OF_WORLD
from model.agents import household
from model.arrays import weighted_total

if TYPE_CHECKING:
    from model.economy import BudgetPlan, Economy
    from model.income import IncomeResult
    from model.markets.land import LandResult


@dataclass
class Settlement:
    transfer_in: float  # transfers from higher levels this quarter, yuan
    balance: float  # payments less receipts: what the city borrowed (negative: saved)


def plan(economy: Economy) -> BudgetPlan:
    """The city's budget for the quarter: wages and pensions first, then the rest."""
    params, households, city = economy.params, economy.households, economy.city
    fiscal = params.fiscal
    live = households.rows()
    budget = city.budget(fiscal.transfer_from_above_ratio)
    spending = economy.budget
    spending.wages = household.public_workers(economy) * city.public_wage_yuan / 4
    spending.pensions = weighted_total(households.weight[live], household.pensions(economy, live))
    rest = max(budget - spending.wages - spending.pensions, 0.0)
    land_to_capital = fiscal.land_revenue_to_capital * city.last_land_revenue
    capital = fiscal.capital_spending_share * budget + land_to_capital
    # the construction platform invests on borrowed money, beside the budget
    spending.platform = fiscal.platform_investment_share * economy.last_gdp_yuan
    spending.capital = (
        min(capital, rest + fiscal.land_revenue_to_capital * city.last_land_revenue)
        + spending.platform
    )
    spending.purchases = (
        max(rest - fiscal.capital_spending_share * budget, 0.0) + economy.flows.reform_purchases
    )
    return spending


def pay(economy: Economy, receiver: int, amount: float, kind: str) -> None:
    """The city pays a reform outlay now (a subsidy, a transfer), borrowing if need be."""
    economy.ledger.pay(GOVERNMENT, receiver, amount, kind)
    economy.city.settle(amount)
    economy.flows.reform_spending += amount


def settle(economy: Economy, incomes: IncomeResult, land: LandResult) -> Settlement:
    """The city's receipts and payments of the quarter settle its deposits and debt."""
    city, spending = economy.city, economy.budget
    transfer_in = city.last_local_revenue * economy.params.fiscal.transfer_from_above_ratio
    economy.ledger.pay(REST_OF_WORLD, GOVERNMENT, transfer_in, "transfers_from_above")
    receipts = incomes.local_revenue + incomes.contributions + transfer_in + land.land_sales
    payments = (
        incomes.public_wages
        + incomes.pensions
        + spending.purchases
        + spending.capital
        + economy.flows.reform_investment[GOVERNMENT]
        + land.compensation
    )
    city.settle(payments - receipts)
    city.last_local_revenue = incomes.local_revenue
    city.last_contributions = incomes.contributions
    city.last_land_revenue = land.land_sales
    return Settlement(transfer_in, payments - receipts)
