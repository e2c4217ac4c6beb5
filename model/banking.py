"""Banking: the balance sheet of the city's banks and their accounts each quarter.

Assets: the loans booked to firms, households and the city (each borrower's debt in its own
table or account) and the banks' net claims on the rest of the world (funds placed with head
offices and other banks, the balancing item). Liabilities: the deposits of households, firms,
the city and the villages (their money holdings). Equity stays at its 2010 level: the banks
pay what they earn (interest received less interest paid and losses on defaults) to their
owners outside the city each quarter, and their owners make good a loss.

Every debt pays interest: loans at the lending rate of the scenario plus a spread by
borrower, household savings at the time-deposit rate, the working balances of firms, the
city and the villages at the demand-deposit rate, and the banks' claims on the rest of the
world at the time-deposit rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.accounts import BANKS, REST_OF_WORLD
from model.arrays import weighted_total

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class BalanceSheet:
    """The banks' balance sheet, yuan."""

    firm_loans: float
    household_loans: float
    city_loans: float
    outside_claims: float  # net claims on the rest of the world
    household_deposits: float
    firm_deposits: float
    city_deposits: float
    village_deposits: float

    @property
    def loans(self) -> float:
        return self.firm_loans + self.household_loans + self.city_loans

    @property
    def deposits(self) -> float:
        return (
            self.household_deposits
            + self.firm_deposits
            + self.city_deposits
            + self.village_deposits
        )

    @property
    def equity(self) -> float:
        return self.loans + self.outside_claims - self.deposits


@dataclass
class BankResult:
    outside_interest: float  # earned on the claims on the rest of the world
    profit_paid_out: float  # to the owners outside the city (negative: a loss made good)


def balance_sheet(economy: Economy) -> BalanceSheet:
    households, firms, villages, city = (
        economy.households,
        economy.firms,
        economy.villages,
        economy.city,
    )
    live, live_firms = households.rows(), firms.live()
    return BalanceSheet(
        firm_loans=float(np.sum(firms.weight[live_firms] * firms.debt_yuan[live_firms])),
        household_loans=float(np.sum(households.weight[live] * households.debt_yuan[live])),
        city_loans=city.debt_yuan,
        outside_claims=economy.bank.outside_claims_yuan,
        household_deposits=float(np.sum(households.weight[live] * households.savings_yuan[live])),
        firm_deposits=float(np.sum(firms.weight[live_firms] * firms.cash_yuan[live_firms])),
        city_deposits=city.deposits_yuan,
        village_deposits=float(villages.cash_yuan[: villages.n].sum()),
    )


def open_books(economy: Economy, equity_share: float) -> None:
    """The 2010 balance sheet: equity a share of loans, claims on the rest of the world what
    balances it."""
    bank = economy.bank
    sheet = balance_sheet(economy)
    bank.equity_yuan = equity_share * sheet.loans
    bank.outside_claims_yuan = bank.equity_yuan + sheet.deposits - sheet.loans


def lending_rate(economy: Economy) -> float:
    """The scenario's benchmark lending rate this quarter, per year."""
    return float(economy.world.lending_rate[economy.clock.t])


def close_quarter(economy: Economy) -> BankResult:
    """Interest on the claims on the rest of the world, the quarter's result paid to the
    owners, and the claims moved by every payment that crossed the city's border."""
    bank, ledger = economy.bank, economy.ledger
    rate = economy.params.households.deposit_rate
    interest = bank.outside_claims_yuan * rate / 4
    ledger.pay(REST_OF_WORLD, BANKS, interest, "interest_outside_claims")
    # what the banks earned this quarter (interest both ways, write-offs) goes to the owners
    earned = float(ledger.net[BANKS] + ledger.revaluation[BANKS])
    ledger.pay(BANKS, REST_OF_WORLD, earned, "bank_profit_outside")
    # every payment to or from the rest of the world passes through the banks' claims on it
    bank.outside_claims_yuan -= float(ledger.net[REST_OF_WORLD])
    economy.rest_of_world.net_worth_yuan += float(
        ledger.net[REST_OF_WORLD] + ledger.revaluation[REST_OF_WORLD]
    )
    return BankResult(interest, earned)


def sector_balance_sheets(economy: Economy) -> list[tuple[str, str, float]]:
    """Every sector's financial stocks as (instrument, sector, yuan): assets positive,
    liabilities negative, so that each instrument sums to zero across sectors and each
    sector's net worth is the sum of its column."""
    sheet = balance_sheet(economy)
    rows = [
        ("deposits", "households", sheet.household_deposits),
        ("deposits", "firms", sheet.firm_deposits),
        ("deposits", "government", sheet.city_deposits),
        ("deposits", "collectives", sheet.village_deposits),
        ("deposits", "banks", -sheet.deposits),
        ("loans", "households", -sheet.household_loans),
        ("loans", "firms", -sheet.firm_loans),
        ("loans", "government", -sheet.city_loans),
        ("loans", "banks", sheet.loans),
        ("banks' claims on the rest of the world", "banks", sheet.outside_claims),
        ("banks' claims on the rest of the world", "rest_of_world", -sheet.outside_claims),
    ]
    return rows


def real_assets(economy: Economy) -> list[tuple[str, str, float]]:
    """The produced capital the model keeps as stocks, at this quarter's prices, as
    (asset, owner, yuan): firms' fixed capital, the city's public-service facilities and its
    other public capital. They are nobody's liability, so each row's sum is the city's wealth
    of that kind. (Households' housing builds no stock in the model.)"""
    firms = economy.firms
    live = firms.live()
    capital = weighted_total(firms.weight[live], firms.capital_yuan[live])
    facilities = float(np.sum(economy.services.facilities))
    price = economy.price_level
    return [
        ("fixed capital", "firms", capital * price),
        ("public-service facilities", "government", facilities * price),
        ("public capital", "government", float(economy.public_capital.stock.sum()) * price),
    ]
