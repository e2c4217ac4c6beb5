"""Taxes as the 2010 rules assess them (model/taxes.py), and what the city keeps."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from model import taxes
from model.api import simulate
from model.calibration import load_parameters, target
from model.calibration.fit import PROFIT_TAX_SHARE_2010, rules_of_2007, total_revenue_2010
from model.scenario import Scenario

AGRICULTURE, STEEL, HIGH_TECH, CONSTRUCTION, SERVICES = 0, 1, 4, 5, 7


def _params(collected: float = 1.0, city_share: float = 1.0, non_tax: float = 0.0):
    return load_parameters().replace(
        {
            "taxes.collection_ratio": collected,
            "taxes.profit_tax_collection_ratio": collected,
            "fiscal.city_share_of_local_taxes": city_share,
            "fiscal.non_tax_ratio": non_tax,
            "fiscal.other_local_tax_rate": 0.0,
        }
    )


def test_vat_falls_on_industry_and_trade_with_equipment_credited() -> None:
    params = _params()
    sector = np.array([AGRICULTURE, STEEL, STEEL, CONSTRUCTION, SERVICES])
    value_added = np.full(5, 1000.0)
    investment = np.array([0.0, 0.0, 1000.0, 1000.0, 1000.0])
    assessed = taxes.on_production(params, sector, value_added, investment)
    equipment = params.taxes.equipment_share
    trade = params.taxes.vat_share_of_va[SERVICES]
    np.testing.assert_allclose(
        assessed.vat,
        # a services firm's equipment is credited in the share of its output that bears VAT
        0.17
        * np.array([0.0, 1000.0, 1000.0 * (1 - equipment), 0.0, 1000.0 * trade * (1 - equipment)]),
    )
    sales = 1000.0 / params.sectors.va_to_sales[CONSTRUCTION]
    assert assessed.business[CONSTRUCTION - 2] == pytest.approx(0.03 * sales)
    assert assessed.business[0] == assessed.business[1] == 0.0  # farming, industry: none
    np.testing.assert_allclose(assessed.surcharges, 0.12 * (assessed.vat + assessed.business))


def test_collection_ratio_and_city_share_scale_what_is_paid_and_kept() -> None:
    sector = np.array([STEEL, SERVICES])
    value_added = np.array([1000.0, 1000.0])
    full = taxes.on_production(_params(), sector, value_added, np.zeros(2))
    half = taxes.on_production(_params(0.5, 0.6, 0.25), sector, value_added, np.zeros(2))
    np.testing.assert_allclose(half.vat, 0.5 * full.vat)
    np.testing.assert_allclose(half.business, 0.5 * full.business)
    local = 0.25 * half.vat + half.business + half.surcharges + half.other
    np.testing.assert_allclose(half.city, 0.6 * local * 1.25)  # kept taxes and the fees
    np.testing.assert_allclose(half.fees, 0.25 * 0.6 * local)


def test_enterprise_income_tax_by_sector_on_positive_profit_only() -> None:
    params = _params()
    sector = np.array([AGRICULTURE, STEEL, HIGH_TECH, STEEL])
    pre_tax = np.array([100.0, 100.0, 100.0, -50.0])
    np.testing.assert_allclose(
        taxes.enterprise_income_tax(params, sector, pre_tax), [0.0, 25.0, 15.0, 0.0]
    )


def _economy_at(year: int, quarter: int):
    clock = SimpleNamespace(year=year, t=quarter)
    return SimpleNamespace(params=load_parameters(), clock=clock)


def test_personal_income_tax_follows_the_schedule_of_its_quarter() -> None:
    no_contribution = np.zeros(3)
    # monthly wages 2,500, 10,000 and 1,900 yuan
    wage = np.array([2500.0, 10000.0, 1900.0]) * 12
    before = taxes.personal_income_tax(_economy_at(2011, 6), wage, no_contribution) / 12
    after = taxes.personal_income_tax(_economy_at(2011, 7), wage, no_contribution) / 12
    # 2010 schedule, threshold 2,000: 500 at 5%; 8,000 = 25 + 150 + 450 + 600
    np.testing.assert_allclose(before, [25.0, 25.0 + 150.0 + 450.0 + 600.0, 0.0])
    # from the fourth quarter of 2011, threshold 3,500: 6,500 = 45 + 300 + 400
    np.testing.assert_allclose(after, [0.0, 45.0 + 300.0 + 400.0, 0.0])
    # contributions are deducted before the tax
    deducted = taxes.personal_income_tax(_economy_at(2010, 0), wage, np.full(3, 0.1)) / 12
    assert deducted[0] == pytest.approx(0.05 * (2250.0 - 2000.0))


@pytest.fixture(scope="module")
def year_2010():
    runs = [
        simulate(Scenario().with_run(end_year=2010, seed=s), check_invariants=True)
        for s in (31, 32, 33)
    ]
    return [r.annual.iloc[0] for r in runs]


def test_2010_revenue_matches_the_city_and_the_total(year_2010) -> None:
    local = np.mean([a.fiscal_revenue_bn_yuan for a in year_2010])
    total = np.mean([a.total_fiscal_revenue_bn_yuan for a in year_2010])
    assert local == pytest.approx(target("local_general_budget_revenue", 2010), rel=0.02)
    fitted_total = load_parameters().taxes.total_revenue_2010_bn
    assert total == pytest.approx(fitted_total, rel=0.02)
    # 1.566 bn over 2007's local share (0.85 of 2.095) carried to 2010's rules, which raised it
    assert fitted_total * 1e9 < total_revenue_2010(1.0) == pytest.approx(1.566e9 * 2.095 / 0.85)


def test_2010_enterprise_income_tax_takes_its_national_share() -> None:
    params = load_parameters()
    rows = []
    for seed in (31, 32, 33):
        q = simulate(Scenario().with_run(end_year=2010, seed=seed)).quarterly
        turnover = q["va_tax_yuan"].sum() / (1 + params.taxes.surcharge_rate)
        rows.append(q["profit_tax_yuan"].sum() / (turnover + q["profit_tax_yuan"].sum()))
    assert np.mean(rows) == pytest.approx(PROFIT_TAX_SHARE_2010, abs=0.02)


def test_the_rules_of_2007_take_more_and_leave_the_city_a_smaller_share() -> None:
    """2007's rules (33% income tax, no equipment credit, a lower income-tax threshold) raise
    mostly taxes the centre shares most of: on the same economy the total rises and the local
    share falls, which is why 2007's local share is carried to 2010 before it is used."""
    params = load_parameters()
    old = rules_of_2007(params)
    assert max(old.taxes.enterprise_income_tax_rate) == 0.33
    assert min(r for r in old.taxes.enterprise_income_tax_rate if r > 0) == 0.15
    shares, totals = {}, {}
    for name, rules in (("2010", params), ("2007", old)):
        annual = [
            simulate(Scenario().with_run(end_year=2010, seed=s), params=rules).annual.iloc[0]
            for s in (31, 32)
        ]
        totals[name] = np.mean([a.total_fiscal_revenue_bn_yuan for a in annual])
        shares[name] = np.mean(
            [a.fiscal_revenue_bn_yuan / a.total_fiscal_revenue_bn_yuan for a in annual]
        )
    assert totals["2007"] > 1.1 * totals["2010"]
    assert shares["2010"] > shares["2007"] + 0.005
