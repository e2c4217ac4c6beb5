"""Reform 3 — the "five universal" security system (五个全覆盖).

The programme: universal entrepreneurship support, education, merged medical insurance,
urban-rural pension integration, housing security. In the model: rural pensions rise toward
urban ones; insurance cover lowers precautionary saving (a higher propensity to consume);
housing security (public rental housing, rent subsidies) lowers the barrier to moving to
town; entrepreneurship support raises the rate at which households start businesses.
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
    consumption_boost: float = lever(
        0.05,
        0.0,
        0.15,
        "share of disposable income",
        "Rise in the propensity to consume as insurance replaces precautionary saving.",
    )
    housing_support: float = lever(
        0.3,
        0.0,
        1.0,
        "share of the moving barrier removed",
        "Public rental housing and rent subsidies for households moving to town.",
    )
    entrepreneurship_support: float = lever(
        1.5,
        1.0,
        3.0,
        "multiple of the start-up rate",
        "Start-up loans, training and fee waivers for new own businesses.",
    )


class FiveSecurities(Reform):
    key = "five_securities"
    title_en = "Five universal securities"
    title_zh = "五个全覆盖社会保障"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        rules.rural_pension_yuan += (
            levers.rural_pension_yuan - rules.rural_pension_yuan
        ) * strength
        rules.consumption_mpc += levers.consumption_boost * strength
        rules.hukou_barrier *= 1 - levers.housing_support * strength
        rules.urban_housing_support = max(
            rules.urban_housing_support, levers.housing_support * strength
        )
        rules.business_start_multiplier *= 1 + (levers.entrepreneurship_support - 1) * strength
