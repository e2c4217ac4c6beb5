"""Incomes of the quarter: wages, firms' accounts and taxes, property income and transfers.

What producers earned in the goods market is paid out: wages to workers, taxes shared
between the city and higher levels, interest to banks, dividends to owners in and outside
the city (and to the guidance fund), rents to households that leased out farmland,
pensions; villages pay members dividends out of their land income. Households' savings
absorb the rest when they settle (``model/agents/household.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import row_split, taxes
from model.accounts import BANKS, COLLECTIVES, FIRMS, GOVERNMENT, HOUSEHOLDS, REST_OF_WORLD
from model.agents import household_transfers
from model.agents.household import COMMUTE_WUHAN, JOB_NAMES, PUBLIC_JOB
from model.arrays import weighted_total
from model.markets.credit import cover_shortfall

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class IncomeResult:
    """The quarter's income flows, yuan (all real households and firms)."""

    firm_wages: float
    public_wages: float
    wuhan_wages: float
    va_tax: float  # taxes on products: VAT, business tax and their surcharges
    other_tax: float  # other taxes on production and the city's fees
    profit_tax: float
    interest: float  # paid by firms
    firm_deposit_interest: float  # earned by firms on their working balances
    depreciation: float
    payouts: float  # dividends to owners other than the guidance fund
    pensions: float
    security: float  # social-security payments besides pensions (medical, children, rent)
    contributions: float
    farmland_rent: float
    local_revenue: float  # local general budget revenue
    total_tax: float  # every tax and fee collected in Ezhou, whoever keeps it
    local_profit_tax: float
    local_va_tax: float
    firm_gross_surplus: float
    household_interest: float  # paid by households on their debts
    household_interest_due: np.ndarray  # the same, per household row
    fund_dividends: float  # the guidance fund's share of dividends


def distribute(
    economy: Economy,
    transfers: household_transfers.TransfersDue | None = None,
    employer_bin: np.ndarray | None = None,
) -> IncomeResult:
    """Wages, taxes, interest, profits and transfers; savings absorb the rest later.
    ``transfers``: the pensions and social security the budget planned for this quarter
    (:func:`model.agents.household_transfers.transfers_due`), worked out here if not given;
    ``employer_bin``: each live household's employer row + 1 (the labour market's)."""
    params, households, firms = economy.params, economy.households, economy.firms
    ledger = economy.ledger
    t, price_level = economy.clock.t, economy.price_level
    live = households.rows()
    live_firms = firms.live()
    firm_weight = firms.weight[live_firms]
    household_weight = households.weight[live]

    def total(values: np.ndarray) -> float:
        return float((firm_weight * values).sum())

    # wages, written straight into the table's live rows (the products of ``wage_income``)
    paid = np.empty(households.n)

    def wages_part(rows: slice) -> None:  # (row by row: model/row_split.py)
        wages = np.multiply(
            households.workers[rows], households.wage_yuan[rows], out=households.inc_wages[rows]
        )
        wages /= 4
        np.multiply(household_weight[rows], wages, out=paid[rows])

    row_split.over_rows(households.n, wages_part)
    job = households.job[live]
    if employer_bin is None:
        employer_bin = households.employer[live] + 1
    bill = np.bincount(employer_bin, weights=paid, minlength=firms.n + 1)[1:]
    wage_bill = bill[live_firms] / firm_weight
    firms.wage_bill[live_firms] = wage_bill
    firm_wages = float((firm_weight * wage_bill).sum())
    by_job = np.bincount(job, weights=paid, minlength=len(JOB_NAMES))
    public_wages = float(by_job[PUBLIC_JOB])
    wuhan_wages = float(by_job[COMMUTE_WUHAN])
    ledger.pay(FIRMS, HOUSEHOLDS, firm_wages, "wages_firms")
    ledger.pay(GOVERNMENT, HOUSEHOLDS, public_wages, "wages_public")
    ledger.pay(REST_OF_WORLD, HOUSEHOLDS, wuhan_wages, "wages_wuhan")
    # firm accounts, per real firm (the columns read once: the table's values, which only
    # the lines below change)
    value_added = firms.va_yuan[live_firms]
    debt, cash = firms.debt_yuan.take(live_firms), firms.cash_yuan.take(live_firms)
    capital = firms.capital_yuan.take(live_firms)
    sector = firms.sector[live_firms]
    assessed = taxes.on_production(
        params,
        sector,
        value_added,
        firms.investment_yuan[live_firms],
        firms.vat_credit_yuan[live_firms],
    )
    firms.vat_credit_yuan[live_firms] = assessed.vat_credit
    production_taxes = assessed.on_production
    rate = economy.world.lending_rate[t] + params.credit.spread
    interest = debt * rate / 4
    # working balances earn the demand-deposit rate
    cash_interest = cash * params.credit.demand_deposit_rate / 4
    depreciation = capital * params.firms.depreciation / 4 * price_level
    rent_per_mu = params.land.farmland_rent_yuan_per_mu / 4 * economy.cpi
    rent = firms.leased_farmland_mu[live_firms] * rent_per_mu
    pre_tax = (
        value_added - wage_bill - production_taxes - interest + cash_interest - depreciation - rent
    )
    profit_tax = taxes.enterprise_income_tax(params, sector, pre_tax)
    profit = pre_tax - profit_tax
    payout = params.firms.payout_rate * np.maximum(profit, 0.0)
    firms.profit_yuan[live_firms] = profit
    firms.loss_q[live_firms] = np.where(profit < 0, firms.loss_q[live_firms] + 1, 0)
    cash += (
        value_added
        - wage_bill
        - production_taxes
        - interest
        + cash_interest
        - profit_tax
        - payout
        - rent
    )
    # loans are repaid from cash where there is some; a shortfall is covered by a new loan
    repay = np.minimum(params.firms.loan_amortisation * debt, np.maximum(cash, 0.0))
    cash -= repay
    debt -= repay
    firms.cash_yuan[live_firms] = cash
    firms.debt_yuan[live_firms] = debt
    cover_shortfall(economy, live_firms)
    vat_total, profit_tax_total = total(assessed.vat), total(profit_tax)
    on_production_total = total(production_taxes)
    # the city keeps its part of the local shares (the province takes the rest); central
    # shares and the province's part go upwards
    fiscal = params.fiscal
    city_share = fiscal.city_share_of_local_taxes
    local_profit = fiscal.local_profit_tax_share * profit_tax_total * city_share
    kept = total(assessed.city) + local_profit
    upper = on_production_total + profit_tax_total - kept
    ledger.pay(FIRMS, GOVERNMENT, kept, "taxes_firms_local")
    ledger.pay(FIRMS, REST_OF_WORLD, upper, "taxes_firms_upper")
    interest_total, cash_interest_total = total(interest), total(cash_interest)
    ledger.pay(FIRMS, BANKS, interest_total, "interest_firms")
    ledger.pay(BANKS, FIRMS, cash_interest_total, "interest_firm_deposits")
    # rents for leased farmland go to the households that rented it out
    rent_total = total(rent)
    ledger.pay(FIRMS, HOUSEHOLDS, rent_total, "farmland_rent")
    # the households' land rents, the wealth that earns them profits, their deposit interest
    # and the interest they owe, row by row, then summed (model/row_split.py)
    n = households.n
    land_rent, wealth, deposit_interest, interest_due = (np.empty(n) for _ in range(4))
    deposit_rate, lending_rate = params.households.deposit_rate / 4, rate / 4

    def base_part(rows: slice) -> None:
        savings = households.savings_yuan[rows]
        np.multiply(households.land_out_mu[rows], rent_per_mu, out=land_rent[rows])
        # the city's owners of firms hold town registration: rural registrants keep their
        # savings as deposits, which earn interest but no profits
        held = np.maximum(savings, 0.0, out=wealth[rows])
        held *= ~households.rural_hukou[rows]
        np.multiply(savings, deposit_rate, out=deposit_interest[rows])
        np.multiply(households.debt_yuan[rows], lending_rate, out=interest_due[rows])

    row_split.over_rows(n, base_part)
    land_rent_total = weighted_total(household_weight, land_rent)
    rent_factor = rent_total / max(land_rent_total, 1e-9) if land_rent_total > 0 else 0.0
    # profits paid out: part to households in the city (by savings), the rest outside
    payout_total = total(payout)
    # the guidance fund's share of dividends goes back to the city's fund
    fund_dividends = 0.0
    equity = firms.fund_equity_yuan.take(live_firms)
    if (equity > 0).any():
        stake = equity / np.maximum(capital * price_level, 1.0)
        fund_dividends = total(payout * np.clip(stake, 0.0, 0.9))
        payout_total -= fund_dividends
        ledger.pay(FIRMS, GOVERNMENT, fund_dividends, "fund_dividends")
        economy.city.settle(-fund_dividends)
    economy.fund_dividends_yuan = fund_dividends
    local_payout = params.firms.local_profit_share * payout_total
    ledger.pay(FIRMS, HOUSEHOLDS, local_payout, "profits_local")
    ledger.pay(FIRMS, REST_OF_WORLD, payout_total - local_payout, "profits_outside")
    wealth_total = max(weighted_total(household_weight, wealth), 1e-9)

    def property_part(rows: slice) -> None:  # (row by row; in place: the wealth's array
        # takes the profit share, and the sums go straight into the table's live rows)
        rent = land_rent[rows]
        rent *= rent_factor
        profit_share = wealth[rows]
        profit_share /= wealth_total
        profit_share *= local_payout
        property_income = np.add(rent, profit_share, out=households.inc_property[rows])
        property_income += deposit_interest[rows]

    row_split.over_rows(n, property_part)
    ledger.pay(
        BANKS, HOUSEHOLDS, weighted_total(household_weight, deposit_interest), "interest_deposits"
    )
    interest_due_total = weighted_total(household_weight, interest_due)
    ledger.pay(HOUSEHOLDS, BANKS, interest_due_total, "interest_households")
    # transfers and taxes
    if transfers is None:
        transfers = household_transfers.transfers_due(economy)
    np.add(transfers.pensions, transfers.security, out=households.inc_transfers[live])
    pensions, security = transfers.pensions_yuan, transfers.security_yuan
    ledger.pay(GOVERNMENT, HOUSEHOLDS, pensions, "pensions")
    ledger.pay(GOVERNMENT, HOUSEHOLDS, security, "social_security")
    each_tax, each_contribution = np.empty(households.n), np.empty(households.n)

    def taxes_part(rows: slice) -> None:  # (row by row: model/row_split.py)
        rate = household_transfers.contribution_rates(economy, rows)
        tax = household_transfers.income_tax(economy, rows, rate, out=each_tax[rows])
        contribution = np.multiply(households.inc_wages[rows], rate, out=each_contribution[rows])
        np.add(tax, contribution, out=households.taxes[rows])

    row_split.over_rows(households.n, taxes_part)
    income_tax = weighted_total(household_weight, each_tax)
    contributions = weighted_total(household_weight, each_contribution)
    # tax on wages earned in Wuhan is withheld there: none of it is Ezhou's (the tax's
    # array, not read again, keeps the rest)
    each_tax *= job != COMMUTE_WUHAN
    in_city = weighted_total(household_weight, each_tax)
    local_income_tax = fiscal.local_income_tax_share * in_city * city_share
    ledger.pay(HOUSEHOLDS, GOVERNMENT, local_income_tax + contributions, "taxes_households_local")
    ledger.pay(HOUSEHOLDS, REST_OF_WORLD, income_tax - local_income_tax, "taxes_households_upper")
    return IncomeResult(
        firm_wages=firm_wages,
        public_wages=public_wages,
        wuhan_wages=wuhan_wages,
        va_tax=total(assessed.vat + assessed.business + assessed.surcharges),
        other_tax=total(assessed.other + assessed.fees),
        profit_tax=profit_tax_total,
        interest=interest_total,
        firm_deposit_interest=cash_interest_total,
        depreciation=total(depreciation),
        payouts=payout_total,
        pensions=pensions,
        security=security,
        contributions=contributions,
        farmland_rent=rent_total,
        local_revenue=kept + local_income_tax,
        total_tax=on_production_total + profit_tax_total + in_city,
        local_profit_tax=local_profit,
        local_va_tax=fiscal.local_vat_share * vat_total * city_share,
        firm_gross_surplus=total(value_added - wage_bill - production_taxes),
        household_interest=interest_due_total,
        household_interest_due=interest_due,
        fund_dividends=fund_dividends,
    )


def pay_village_dividends(economy: Economy) -> float:
    """Villages pass part of their cash to member households (more as shareholding co-ops);
    returns what they paid."""
    villages, households = economy.villages, economy.households
    # the villages' deposits earn the demand-deposit rate first
    earned = villages.cash_yuan[: villages.n] * economy.params.credit.demand_deposit_rate / 4
    villages.cash_yuan[: villages.n] += earned
    villages.income_yuan[: villages.n] += earned
    economy.ledger.pay(BANKS, COLLECTIVES, float(earned.sum()), "interest_village_deposits")
    # by collective + 1: bin 0 holds the households outside any village (widened once for
    # both uses), and the real persons of each household
    village, real_persons = np.empty(households.n, dtype=np.intp), np.empty(households.n)

    def members_part(rows: slice) -> None:  # (row by row: model/row_split.py)
        np.add(households.collective[rows], 1, dtype=np.intp, out=village[rows])
        np.multiply(households.weight[rows], households.size[rows], out=real_persons[rows])

    row_split.over_rows(households.n, members_part)
    share = np.where(
        villages.shareholding[: villages.n],
        economy.rules.coop_payout_share,
        economy.params.land.village_payout_share,
    )
    paid = villages.cash_yuan[: villages.n] * share
    member_persons = np.bincount(village, weights=real_persons, minlength=villages.n + 1)[1:]
    paid = np.where(member_persons > 0, paid, 0.0)
    villages.cash_yuan[: villages.n] -= paid
    villages.dividends_yuan[: villages.n] = paid
    per_person = np.concatenate(([0.0], paid / np.maximum(member_persons, 1e-9)))

    def dividends_part(rows: slice) -> None:  # (row by row)
        dividends = per_person.take(village[rows])
        dividends *= households.size[rows]
        households.inc_property[rows] += dividends

    row_split.over_rows(households.n, dividends_part)
    economy.ledger.pay(COLLECTIVES, HOUSEHOLDS, paid.sum(), "collective_dividends")
    return float(villages.dividends_yuan[: villages.n].sum())
