"""Reform 7 — "economic person" growth (经济人成长), the talent programmes.

The programme: knowledge-type people (university staff bringing projects, incubators),
management-type (leading entrepreneurs), skill-type (training, return-home entrepreneurship),
and the "thousand masters and PhDs" recruitment. In the model:

- **recruitment**: households with a master's or PhD arrive each year with a settling
  allowance from the city, placed with employers that need knowledge workers; some bring a
  project and found a high-tech firm; they leave again unless retained;
- **incubators**: young firms close less often and more high-tech firms start;
- **training**: a share of basic-skill workers become skilled each year, paid by the city;
- **return-home entrepreneurs**: people from Ezhou working elsewhere come back with savings
  and start businesses;
- **spill-overs**: firms' productivity level rises with the knowledge-worker share above its
  2010 level.
"""

from __future__ import annotations

import numpy as np

from model.accounts import FIRMS, HOUSEHOLDS, REST_OF_WORLD
from model.reforms.base import Reform, ReformLevers, per_quarter
from model.schema import lever
from model.state import FIRM_JOB, OWN_BUSINESS


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

    def apply_rules(self, rules, s: float) -> None:
        lv = self.levers
        rules.young_firm_exit_multiplier *= 1 - lv.incubator_strength * s
        rules.entry_multiplier[self.model.hightech] *= 1 + lv.incubator_strength * s
        rules.spillover_elasticity += lv.spillover_elasticity * s

    def act(self, s: float) -> None:
        m = self.model
        hh, p, rng = m.hh, m.params, self.rng
        lv = self.levers
        counts = m.reform_counts
        # recruitment, with a settling allowance
        n = rng.poisson(lv.recruits_per_year / 4 * s / m.scale)
        rows = m.add_migrant_households(n, skill=2, urban=True)["rows"]
        hh.recruit[rows] = True
        # recruited for posts: employers are drawn by their demand for knowledge workers
        fm = m.fm
        flive = fm.live()
        demand = (
            fm.weight[flive]
            * fm.supply[flive]
            * np.asarray(p.sectors.skill_mix)[fm.sector[flive], 2]
        )
        if len(rows) and demand.sum() > 0:
            placed = rows[hh.workers[rows] > 0]
            hh.employer[placed] = rng.choice(flive, size=len(placed), p=demand / demand.sum())
            hh.job[placed] = FIRM_JOB
        allowance = p.reforms.recruit_allowance_yuan * m.cpi_now
        if len(rows):
            hh.savings_yuan[rows] += allowance
            m.gov_pay(HOUSEHOLDS, float(np.sum(hh.weight[rows])) * allowance, "talent_allowance")
        counts["recruits"] = float(np.sum(hh.weight[rows]))
        # some recruits bring a project and found a high-tech firm in an incubator, with
        # outside venture money
        founders = counts["recruits"] * lv.founder_share
        w = max(1.0, m.scale / p.firms.above_scale_weight_divisor)
        k = int(rng.poisson(founders / w)) if founders > 0 else 0
        new = m.found_firms(m.hightech, k, w, size_factor=1.0)
        if len(new):
            cost = fm.entrant_capital[new] * m.price_level_now
            fm.cash_yuan[new] += cost * (1 + p.firms.entrant_cash_share)
            m.ledger.pay(
                REST_OF_WORLD,
                FIRMS,
                float(np.sum(fm.weight[new] * cost * (1 + p.firms.entrant_cash_share))),
                "venture_capital",
            )
        counts["talent_firms"] = float(k * w)
        # recruits who are not retained leave
        recruits = hh.where(hh.col("recruit"))
        leave = recruits[rng.random(len(recruits)) < per_quarter(1 - lv.retention_rate)]
        m.dissolve_households(leave, reason="out")
        # training: basic workers (of households still in the city) become skilled
        basic = hh.where((hh.col("skill") == 0) & (hh.col("workers") > 0))
        trained = basic[rng.random(len(basic)) < per_quarter(lv.training_share_per_year * s)]
        hh.skill[trained] = 1
        people = float(np.sum(hh.weight[trained] * hh.workers[trained]))
        m.reform_purchases += people * p.reforms.training_cost_yuan * m.cpi_now
        counts["trained"] = people
        # return-home entrepreneurs come back with savings and start businesses
        n = rng.poisson(lv.returnees_per_year / 4 * s / m.scale)
        rows = m.add_migrant_households(n, skill=3, urban=False)["rows"]
        hh.job[rows[hh.workers[rows] > 0]] = OWN_BUSINESS
        counts["returnees"] = float(np.sum(hh.weight[rows]))
