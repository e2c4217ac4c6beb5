"""Reform 3 — the "five universal" security system (五个全覆盖).

The programme: universal entrepreneurship support, education, merged medical insurance,
urban-rural pension integration, housing security. In the model each is what it is, a
transfer or a payment the city's budget makes to households, and each works through what
households do with it:
- pensions: rural-registered elderly persons' monthly pension rises toward the urban one
  (paid with the other pensions, ``agents/household.py:pensions``);
- medical insurance: the share of rural-registered residents' medical costs reimbursed
  rises; the city pays the added reimbursement, and households save less against illness
  (``agents/household.py:security_transfers`` and ``plan_consumption``);
- education: an allowance per rural-registered child (boarding, fees, books);
- housing security: public rental housing and rent subsidies pay part of the rent of
  rural-registered households living in town, which makes moving to town worth more
  (``agents/household.py:move_to_town``);
- entrepreneurship: a start-up grant (fee waivers, training, a cash grant) lowers what a
  household must put up to start a business (``markets/labour.py``), paid when it starts.
"""

from __future__ import annotations

from model.reforms.base import Reform, ReformLevers
from model.schema import lever


class Levers(ReformLevers):
    rural_pension_yuan: float = lever(
        300.0,
        55.0,
        1500.0,
        "yuan per month",
        "Pension of a rural-registered elderly person at full strength.",
    )
    medical_reimbursement: float = lever(
        0.7,
        0.45,
        0.9,
        "share of medical costs",
        "Share of rural-registered residents' medical costs the merged insurance reimburses "
        "(0.45 in 2010).",
    )
    education_support_yuan: float = lever(
        1000.0,
        0.0,
        5000.0,
        "yuan per child and year (2010 prices)",
        "Allowance per rural-registered child: boarding, fees and books.",
    )
    housing_support: float = lever(
        0.3,
        0.0,
        1.0,
        "share of the rent",
        "Share of the rent of rural-registered households living in town paid by public "
        "rental housing and rent subsidies.",
    )
    startup_grant_yuan: float = lever(
        5000.0,
        0.0,
        20000.0,
        "yuan per new business (2010 prices)",
        "Fee waivers, training and a cash grant for each new own business.",
    )


class FiveSecurities(Reform):
    key = "five_securities"
    title_en = "Five universal securities"
    title_zh = "五个全覆盖社会保障"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers

        def toward(current: float, target: float) -> float:
            return current + (target - current) * strength

        rules.rural_pension_yuan = toward(rules.rural_pension_yuan, levers.rural_pension_yuan)
        rules.medical_reimbursement = max(
            rules.medical_reimbursement,
            toward(rules.medical_reimbursement, levers.medical_reimbursement),
        )
        rules.education_support_yuan += levers.education_support_yuan * strength
        rules.housing_support = max(rules.housing_support, levers.housing_support * strength)
        rules.startup_grant_yuan += levers.startup_grant_yuan * strength
