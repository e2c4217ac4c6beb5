"""Reform 7 — "economic person" growth (经济人成长), the talent programmes.

The programme: knowledge-type people (university staff bringing projects, incubators),
management-type (leading entrepreneurs), skill-type (training, return-home entrepreneurship),
and the "thousand masters and PhDs" recruitment. In the model:

- **recruitment**: households with a master's or PhD arrive each year with a settling
  allowance from the city, for the knowledge posts firms could not fill from the city's own
  workers (no more recruits than open posts), and take those posts; some bring a project
  and found a high-tech firm; they leave again unless retained;
- **incubators**: young firms close less often and more high-tech firms start;
- **training**: a share of basic-skill workers become skilled each year, paid by the city;
- **return-home entrepreneurs**: people from Ezhou working elsewhere come back with savings
  and start businesses;
- **spill-overs**: firms' productivity level rises with the knowledge-worker share above its
  2010 level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.accounts import FIRMS, HOUSEHOLDS
from model.agents.jobs import OWN_BUSINESS
from model.reforms.base import Reform, ReformLevers, per_quarter
from model.schema import lever

if TYPE_CHECKING:
    from model.reforms.actions import Actions


class Levers(ReformLevers):
    recruits_per_year: float = lever(
        1000.0,
        0.0,
        10000.0,
        "households per year",
        "Masters and PhDs recruited (with their households) each year.",
    )
    founder_share: float = lever(
        0.1,
        0.0,
        0.5,
        "share of recruited households",
        "Recruits who bring a project and found a high-tech firm in an incubator.",
    )
    retention_rate: float = lever(
        0.7,
        0.0,
        1.0,
        "share staying each year",
        "Share of recruited households that stay another year.",
    )
    incubator_strength: float = lever(
        0.4,
        0.0,
        0.8,
        "share",
        "Cut in young firms' closure rate, and rise in high-tech start-ups, from incubators.",
    )
    training_share_per_year: float = lever(
        0.03,
        0.0,
        0.2,
        "share of basic workers per year",
        "Basic-skill workers trained to skilled each year.",
    )
    returnees_per_year: float = lever(
        500.0,
        0.0,
        5000.0,
        "households per year",
        "Return-home entrepreneurs: households coming back to start a business.",
    )
    spillover_elasticity: float = lever(
        0.1,
        0.0,
        1.0,
        "productivity % per % rise of the knowledge-worker share",
        "Firms' productivity gain as the knowledge-worker share rises above 2010's.",
    )


class Talent(Reform):
    key = "talent"
    title_en = "Economic-person growth (talent)"
    title_zh = "经济人成长"
    Levers = Levers

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        rules.young_firm_exit_multiplier *= 1 - levers.incubator_strength * strength
        rules.entry_multiplier[self.setting.sectors.hightech] *= (
            1 + levers.incubator_strength * strength
        )
        rules.spillover_elasticity += levers.spillover_elasticity * strength

    def act(self, actions: Actions, strength: float) -> dict[str, float]:
        households, firms = actions.households, actions.firms
        params, rng, levers = actions.params, self.rng, self.levers
        counts: dict[str, float] = {}
        # recruitment for the knowledge posts firms could not fill (a household at least a
        # post), with a settling allowance
        count = rng.poisson(levers.recruits_per_year / 4 * strength / actions.scale)
        count = min(count, int(actions.open_knowledge_posts() / actions.scale))
        rows = actions.arrive(count, skill=2, urban=True)
        households.recruit[rows] = True
        actions.place_recruits(rows, rng)
        allowance = params.reforms.recruit_allowance_yuan * actions.cpi
        if len(rows):
            households.savings_yuan[rows] += allowance
            paid = float(np.sum(households.weight[rows])) * allowance
            actions.city_pays(HOUSEHOLDS, paid, "talent_allowance")
        counts["recruits"] = float(np.sum(households.weight[rows]))
        # some recruits bring a project and found a high-tech firm in an incubator, with
        # outside venture money
        founders = counts["recruits"] * levers.founder_share
        weight = max(1.0, actions.scale / params.firms.above_scale_weight_divisor)
        founded = int(rng.poisson(founders / weight)) if founders > 0 else 0
        hightech = actions.sectors.hightech
        new = actions.found_firms(hightech, founded, weight, size_factor=1.0)
        if len(new):
            cost = firms.entrant_capital[new] * actions.price_level
            firms.cash_yuan[new] += cost * (1 + params.firms.entrant_cash_share)
            venture = float(
                np.sum(firms.weight[new] * cost * (1 + params.firms.entrant_cash_share))
            )
            actions.outside_pays(FIRMS, venture, "venture_capital")
        counts["talent_firms"] = float(founded * weight)
        # recruits who are not retained leave
        recruits = households.where(households.col("recruit"))
        leave = recruits[rng.random(len(recruits)) < per_quarter(1 - levers.retention_rate)]
        actions.leave(leave)
        # training: basic workers (of households still in the city) become skilled
        basic = households.where((households.col("skill") == 0) & (households.col("workers") > 0))
        trained = basic[
            rng.random(len(basic)) < per_quarter(levers.training_share_per_year * strength)
        ]
        households.skill[trained] = 1
        people = float(np.sum(households.weight[trained] * households.workers[trained]))
        actions.buy_services(people * params.reforms.training_cost_yuan * actions.cpi)
        counts["trained"] = people
        # return-home entrepreneurs come back with savings and start businesses
        count = rng.poisson(levers.returnees_per_year / 4 * strength / actions.scale)
        rows = actions.arrive(count, skill=3, urban=False)
        households.job[rows[households.workers[rows] > 0]] = OWN_BUSINESS
        counts["returnees"] = float(np.sum(households.weight[rows]))
        return counts
