"""The city's budget: the quarter's plan, payments for reforms, and the settlement.

The plan comes first (wages, pensions and interest, then capital spending and purchases out
of what is left, and the construction platform's borrowed investment beside the budget);
goods and services are bought in the goods market; at the end of the quarter the city's
receipts and payments settle its deposits and debt (``CityGovernment.settle``).

The city's debt pays interest at the lending rate plus its spread, and its deposits earn the
demand-deposit rate. Banks lend to its construction platform against land, and only while
the interest stays within ``fiscal.interest_cap_share`` of the city's receipts; the platform
invests part of what it may still borrow, and nothing once a limit is reached
(``model/platform.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from model import banking, platform
from model.accounts import BANKS, GOVERNMENT, REST_OF_WORLD
from model.agents import household, household_transfers

if TYPE_CHECKING:
    from model.economy import BudgetPlan, Economy
    from model.income import IncomeResult
    from model.markets.land import LandResult


@dataclass
class Settlement:
    transfer_in: float  # transfers from higher levels this quarter, yuan
    receipts: float  # budget revenue, contributions, transfers and land sales, yuan
    interest: float  # paid on the city's debt, yuan
    deposit_interest: float  # earned on its deposits, yuan
    balance: float  # payments less receipts: what the city borrowed (negative: saved)


def city_rate(economy: Economy) -> float:
    """Interest on the city's debt, per year."""
    return banking.lending_rate(economy) + economy.params.credit.city_spread


def expected_receipts(economy: Economy) -> float:
    """What the city expects to receive this quarter: last quarter's revenue and the
    transfers it brings, contributions and land sales."""
    city, fiscal = economy.city, economy.params.fiscal
    return city.budget(fiscal.transfer_from_above_ratio) + city.last_land_revenue


def plan(
    economy: Economy,
    transfers: household_transfers.TransfersDue | None = None,
    public_workers: float | None = None,
) -> BudgetPlan:
    """The city's budget for the quarter: wages, pensions and other social security, and
    interest first, then the rest; the platform's investment as far as banks still lend.
    ``transfers`` (the quarter's transfers due) and ``public_workers`` (real, as the labour
    market left them): when the schedule already has them."""
    params, city = economy.params, economy.city
    fiscal = params.fiscal
    budget = city.budget(fiscal.transfer_from_above_ratio)
    spending = economy.budget
    if public_workers is None:
        public_workers = household.public_workers(economy)
    spending.wages = public_workers * city.public_wage_yuan / 4
    if transfers is None:
        transfers = household_transfers.transfers_due(economy)
    spending.pensions = transfers.pensions_yuan
    spending.security = transfers.security_yuan
    rate = city_rate(economy)
    deposit_rate = economy.params.credit.demand_deposit_rate
    spending.interest = (city.debt_yuan * rate - city.deposits_yuan * deposit_rate) / 4
    committed = spending.wages + spending.pensions + spending.security + spending.interest
    rest = max(budget - committed, 0.0)
    land_to_capital = fiscal.land_revenue_to_capital * city.last_land_revenue
    capital = fiscal.capital_spending_share * budget + land_to_capital
    # the construction platform invests on borrowed money, beside the budget, as far as
    # banks still lend: against land, and while the interest on the debt stays within the
    # cap's share of the city's receipts
    serviceable = fiscal.interest_cap_share * expected_receipts(economy) / (rate / 4)
    limit, pledged = platform.borrowing_limit(economy, serviceable)
    spending.borrowing_limit = limit
    spending.collateral = pledged
    spending.borrowing_room = max(limit - city.debt_yuan + city.deposits_yuan, 0.0)
    spending.platform = platform.investment(economy, spending.borrowing_room)
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
    city, spending, ledger = economy.city, economy.budget, economy.ledger
    transfer_in = city.last_local_revenue * economy.params.fiscal.transfer_from_above_ratio
    ledger.pay(REST_OF_WORLD, GOVERNMENT, transfer_in, "transfers_from_above")
    interest = city.debt_yuan * city_rate(economy) / 4
    deposit_interest = city.deposits_yuan * economy.params.credit.demand_deposit_rate / 4
    ledger.pay(GOVERNMENT, BANKS, interest, "interest_city")
    ledger.pay(BANKS, GOVERNMENT, deposit_interest, "interest_city_deposits")
    receipts = incomes.local_revenue + incomes.contributions + transfer_in + land.land_sales
    payments = (
        incomes.public_wages
        + incomes.pensions
        + incomes.security
        + spending.purchases
        + spending.capital
        + economy.flows.reform_investment[GOVERNMENT]
        + economy.flows.startup_grants
        + land.compensation
        + interest
        - deposit_interest
    )
    city.settle(payments - receipts)
    city.last_local_revenue = incomes.local_revenue
    city.last_contributions = incomes.contributions
    city.last_land_revenue = land.land_sales
    return Settlement(transfer_in, receipts, interest, deposit_interest, payments - receipts)
