"""Reform 5 — heavy-industry transformation (重化工业转型).

The programme: mandatory clean-production audits, subsidies for clean and circular
production, a "green coefficient" in officials' assessment, ecological compensation for the
Liangzi Lake zone, and closure of polluting activity in the lake basin. In the model:

- **audits**: each year a share of the heavy works (steel, building materials) not yet audited
  is audited; an audited firm invests in abatement (emissions fall by ``audit_abatement``,
  energy use by ``reforms.audit_energy_saving``), paying ``reforms.clean_capex_per_abatement``
  of its capital per unit abated, less the city's subsidy share;
- **emission standards** tighten every year; a heavy firm above the standard pays to comply
  if it has the cash and credit, and otherwise shuts its dirtiest capacity, so that what is
  left meets the standard;
- **lake-basin closures**: industry and aquaculture in the Liangzi Lake zone close over the
  years, part of the industry relocating (with a capital loss) to the transformation district;
- **ecological compensation**: the city pays the lake zone's villages each year;
- **green coefficient**: approvals across the city tilt entry from polluting to clean sectors,
  and zone
  spending treats rural sewage.

The costs show: capital spent on abatement is not spent on capacity, firms that cannot
comply lose output and jobs, closed firms take their jobs and taxes with them.
"""

from __future__ import annotations

import numpy as np

from model.accounts import COLLECTIVES, FIRMS
from model.reforms.base import Reform, ReformLevers, per_quarter
from model.schema import lever

CLEAN_SECTORS = ("high_tech", "services", "tourism", "logistics")
POLLUTING_SECTORS = ("steel", "building_materials")


class Levers(ReformLevers):
    audit_share_per_year: float = lever(
        0.25,
        0.0,
        1.0,
        "share of heavy firms per year",
        "Heavy firms given a mandatory clean-production audit each year.",
    )
    audit_abatement: float = lever(
        0.2,
        0.0,
        0.6,
        "share of emissions",
        "Emissions an audited firm abates by the measures the audit requires.",
    )
    clean_subsidy_share: float = lever(
        0.3,
        0.0,
        0.8,
        "share of abatement cost",
        "Share of clean-technology investment paid by the city.",
    )
    standard_tightening: float = lever(
        0.04,
        0.0,
        0.2,
        "per year",
        "Yearly tightening of the emission-intensity standard for heavy industry.",
    )
    basin_closure_share_per_year: float = lever(
        0.3,
        0.0,
        1.0,
        "share of remaining firms per year",
        "Industry in the Liangzi Lake zone closed or moved out each year.",
    )
    relocation_share: float = lever(
        0.5,
        0.0,
        1.0,
        "share of closed firms",
        "Of the basin's closed industry, the share that moves to the transformation district.",
    )
    aquaculture_exit_share: float = lever(
        0.5,
        0.0,
        1.0,
        "share of lake aquaculture",
        "Pearl and fish farming in the lake zone that exits (over four years).",
    )
    eco_compensation_bn_per_year: float = lever(
        0.045,
        0.0,
        1.0,
        "bn yuan per year",
        "Ecological compensation paid to the lake zone's villages (2016-2018: ~0.043).",
    )
    green_coefficient: float = lever(
        0.5,
        0.0,
        1.0,
        "weight, 0-1",
        "Weight of environmental results in zone officials' assessment.",
    )


class HeavyIndustry(Reform):
    key = "heavy_industry"
    title_en = "Heavy-industry transformation"
    title_zh = "重化工业转型"
    Levers = Levers

    def __init__(self, model, levers, index: int = 0):
        super().__init__(model, levers, index)
        names = model.sector_names
        self.polluting = np.array([names.index(s) for s in POLLUTING_SECTORS])
        self.clean = np.array([names.index(s) for s in CLEAN_SECTORS])
        self.lake_zone = model.zone_names.index("liangzi_lake")
        self.target_zone = model.zone_names.index("echeng_transformation")
        self.started: float | None = None
        self.aquaculture_left = 1.0

    def apply_rules(self, rules, s: float) -> None:
        tilt = self.model.params.reforms.green_entry_tilt * self.levers.green_coefficient * s
        rules.entry_multiplier[self.polluting] *= 1 - tilt
        rules.entry_multiplier[self.clean] *= 1 + tilt
        rules.sewage_treatment = max(
            rules.sewage_treatment,
            self.model.params.reforms.green_sewage_share * self.levers.green_coefficient * s,
        )

    def act(self, s: float) -> None:
        m = self.model
        if self.started is None:
            self.started = m.t
        years = (m.t - self.started) / 4
        counts = m.reform_counts
        counts["audits"] = counts.get("audits", 0.0) + self._audit(s)
        counts["standard_capacity_lost_yuan"] = self._enforce_standard(s, years)
        counts["basin_closures"] = self._close_basin(s)
        comp = self.levers.eco_compensation_bn_per_year * 1e9 / 4 * s * m.cpi_now
        self._compensate_lake_villages(comp)
        counts["eco_compensation_yuan"] = comp

    # --- pieces ---------------------------------------------------------------------------
    def _heavy(self) -> np.ndarray:
        fm = self.model.fm
        live = fm.live()
        return live[np.isin(fm.sector[live], self.polluting)]

    def _invest_clean(self, rows: np.ndarray, abatement: np.ndarray) -> float:
        """Firms raise abatement; they pay the capital cost less the subsidy. Returns real
        firms upgraded."""
        m = self.model
        fm, p = m.fm, m.params
        if len(rows) == 0:
            return 0.0
        price = m.price_level_now
        cost = p.reforms.clean_capex_per_abatement * abatement * fm.capital_yuan[rows] * price
        subsidy = self.levers.clean_subsidy_share * cost
        w = fm.weight[rows]
        m.gov_pay(FIRMS, float(np.sum(w * subsidy)), "clean_subsidy")
        fm.cash_yuan[rows] += subsidy - cost
        short = np.maximum(-fm.cash_yuan[rows], 0.0)
        fm.cash_yuan[rows] += short
        fm.debt_yuan[rows] += short
        m.reform_investment[FIRMS] += float(np.sum(w * cost))
        fm.clean_tech[rows] = 1 - (1 - fm.clean_tech[rows]) * (1 - abatement)
        return float(w.sum())

    def _audit(self, s: float) -> float:
        m = self.model
        fm = m.fm
        heavy = self._heavy()
        todo = heavy[~fm.audited[heavy]]
        if len(todo) == 0:
            return 0.0
        # audits reach the given share of all heavy firms a year, among those not yet audited
        due = self.levers.audit_share_per_year / 4 * s * fm.weight[heavy].sum()
        prob = min(1.0, due / max(fm.weight[todo].sum(), 1e-9))
        chosen = todo[self.rng.random(len(todo)) < prob]
        fm.audited[chosen] = True
        fm.energy_intensity[chosen] *= 1 - m.params.reforms.audit_energy_saving
        # the retrofit stops part of the works for a while, the longer the more it abates
        fm.downtime_share[chosen] = (
            m.params.reforms.retrofit_downtime * self.levers.audit_abatement / 0.2
        )
        return self._invest_clean(chosen, np.full(len(chosen), self.levers.audit_abatement))

    def _enforce_standard(self, s: float, years: float) -> float:
        """Heavy firms over the standard comply if they can pay, or lose capacity."""
        m = self.model
        fm, p = m.fm, m.params
        standard = max(1 - self.levers.standard_tightening * s * years, 0.05)
        heavy = self._heavy()
        intensity = fm.emission_intensity[heavy] * (1 - fm.clean_tech[heavy])
        over = heavy[intensity > standard]
        if len(over) == 0:
            return 0.0
        ratio = standard / (fm.emission_intensity[over] * (1 - fm.clean_tech[over]))
        need = 1 - ratio  # abatement that brings the firm to the standard
        price = m.price_level_now
        cost = p.reforms.clean_capex_per_abatement * need * fm.capital_yuan[over] * price
        from model.agents.firm import credit_limit

        room = fm.cash_yuan[over] + np.maximum(credit_limit(m, over) - fm.debt_yuan[over], 0)
        can = (1 - self.levers.clean_subsidy_share) * cost <= room
        self._invest_clean(over[can], need[can])
        fm.downtime_share[over[can]] = np.maximum(
            fm.downtime_share[over[can]],
            np.minimum(p.reforms.retrofit_downtime * need[can] / 0.2, 1.0),
        )
        cannot = over[~can]
        lost = p.reforms.non_compliance_capacity_loss * need[~can] * fm.capital_yuan[cannot]
        fm.capital_yuan[cannot] -= lost
        # what is left of the works meets the standard: the dirtiest lines were the ones shut
        fm.emission_intensity[cannot] = standard / (1 - fm.clean_tech[cannot])
        return float(np.sum(fm.weight[cannot] * lost) * price)

    def _close_basin(self, s: float) -> float:
        """Industry in the lake zone closes or moves out; aquaculture exits."""
        m = self.model
        fm, rng = m.fm, self.rng
        live = fm.live()
        in_lake = live[fm.zone[live] == self.lake_zone]
        industry = in_lake[np.isin(fm.sector[in_lake], m.industry)]
        go = industry[
            rng.random(len(industry)) < per_quarter(self.levers.basin_closure_share_per_year * s)
        ]
        moving = go[rng.random(len(go)) < self.levers.relocation_share]
        closing = np.setdiff1d(go, moving)
        closed = float(fm.weight[go].sum())
        # movers keep going in the transformation district, with a capital loss
        fm.zone[moving] = self.target_zone
        fm.capital_yuan[moving] *= 1 - m.params.reforms.relocation_capital_loss
        m.lay_off(moving)
        m.close_firms(closing)
        # aquaculture in the lake shrinks over four years to its target
        target_left = 1 - self.levers.aquaculture_exit_share * s
        if self.aquaculture_left > target_left:
            step = min(self.aquaculture_left - target_left, self.levers.aquaculture_exit_share / 16)
            share = step / self.aquaculture_left
            agri = in_lake[fm.sector[in_lake] == 0]
            closed += m.shrink_firms(agri, np.full(len(agri), share))
            self.aquaculture_left -= step
        return closed

    def _compensate_lake_villages(self, amount: float) -> None:
        m = self.model
        v = m.villages
        lake = np.flatnonzero(v.zone[: v.n] == self.lake_zone)
        if amount <= 0 or len(lake) == 0:
            return
        m.gov_pay(COLLECTIVES, amount, "eco_compensation")
        v.cash_yuan[lake] += amount / len(lake)
        v.income_yuan[lake] += amount / len(lake)
