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
- **green coefficient**: the weight of energy and pollution in the zone officials'
  assessment (``rules.green_coefficient``). The zone governments weigh it when they choose
  which sectors' entrants to court and make their case for public works
  (``model/zone_policy.py``): entry tilts from polluting to clean sectors, most in the lake
  zone, only through their choices. Zone spending also treats rural sewage.

The costs show: capital spent on abatement is not spent on capacity, firms that cannot
comply lose output and jobs, closed firms take their jobs and taxes with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.accounts import COLLECTIVES, FIRMS
from model.reforms.base import Reform, ReformLevers, per_quarter
from model.schema import lever

if TYPE_CHECKING:
    from model.reforms.actions import Actions

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

    def __init__(self, setting, levers, index: int = 0):
        super().__init__(setting, levers, index)
        names = setting.sectors.names
        self.polluting = np.array([names.index(name) for name in POLLUTING_SECTORS])
        self.lake_zone = setting.zone_names.index("liangzi_lake")
        self.target_zone = setting.zone_names.index("echeng_transformation")
        self.started: float | None = None
        self.aquaculture_left = 1.0

    def apply_rules(self, rules, strength: float) -> None:
        assumed = self.setting.params.reforms
        # the zone governments weigh it when they court entrants and bid for public works
        rules.green_coefficient = self.levers.green_coefficient * strength
        rules.sewage_treatment = max(
            rules.sewage_treatment,
            assumed.green_sewage_share * self.levers.green_coefficient * strength,
        )

    def act(self, actions: Actions, strength: float) -> dict[str, float]:
        if self.started is None:
            self.started = actions.t
        years = (actions.t - self.started) / 4
        # (audits close no firm and move none: the same heavy firms face the standard)
        heavy = self._heavy(actions)
        counts = {
            "audits": self._audit(actions, strength, heavy),
            "standard_capacity_lost_yuan": self._enforce_standard(actions, strength, years, heavy),
            "basin_closures": self._close_basin(actions, strength),
        }
        compensation = self.levers.eco_compensation_bn_per_year * 1e9 / 4 * strength * actions.cpi
        self._compensate_lake_villages(actions, compensation)
        counts["eco_compensation_yuan"] = compensation
        return counts

    # --- pieces ---------------------------------------------------------------------------
    def _heavy(self, actions: Actions) -> np.ndarray:
        firms = actions.firms
        live = firms.live()
        return live[actions.sectors.in_group(firms.sector[live], self.polluting)]

    def _invest_clean(self, actions: Actions, rows: np.ndarray, abatement: np.ndarray) -> float:
        """Firms raise abatement; they pay the capital cost less the subsidy. Returns real
        firms upgraded."""
        firms, params = actions.firms, actions.params
        if len(rows) == 0:
            return 0.0
        price = actions.price_level
        cost = (
            params.reforms.clean_capex_per_abatement * abatement * firms.capital_yuan[rows] * price
        )
        subsidy = self.levers.clean_subsidy_share * cost
        weight = firms.weight[rows]
        actions.city_pays(FIRMS, float(np.sum(weight * subsidy)), "clean_subsidy")
        firms.cash_yuan[rows] += subsidy - cost
        actions.cover_shortfall(rows)
        actions.invest(FIRMS, float(np.sum(weight * cost)))
        firms.clean_tech[rows] = 1 - (1 - firms.clean_tech[rows]) * (1 - abatement)
        return float(weight.sum())

    def _audit(self, actions: Actions, strength: float, heavy: np.ndarray) -> float:
        firms, assumed = actions.firms, actions.params.reforms
        todo = heavy[~firms.audited[heavy]]
        if len(todo) == 0:
            return 0.0
        # audits reach the given share of all heavy firms a year, among those not yet audited
        due = self.levers.audit_share_per_year / 4 * strength * firms.weight[heavy].sum()
        prob = min(1.0, due / max(firms.weight[todo].sum(), 1e-9))
        chosen = todo[self.rng.random(len(todo)) < prob]
        firms.audited[chosen] = True
        firms.energy_intensity[chosen] *= 1 - assumed.audit_energy_saving
        # the retrofit stops part of the works for a while, the longer the more it abates
        firms.downtime_share[chosen] = assumed.retrofit_downtime * self.levers.audit_abatement / 0.2
        abatement = np.full(len(chosen), self.levers.audit_abatement)
        return self._invest_clean(actions, chosen, abatement)

    def _enforce_standard(
        self, actions: Actions, strength: float, years: float, heavy: np.ndarray
    ) -> float:
        """Heavy firms (``heavy``: the rows) over the standard comply if they can pay, or
        lose capacity."""
        firms, assumed = actions.firms, actions.params.reforms
        standard = max(1 - self.levers.standard_tightening * strength * years, 0.05)
        intensity = firms.emission_intensity[heavy] * (1 - firms.clean_tech[heavy])
        over = heavy[intensity > standard]
        if len(over) == 0:
            return 0.0
        ratio = standard / (firms.emission_intensity[over] * (1 - firms.clean_tech[over]))
        need = 1 - ratio  # abatement that brings the firm to the standard
        price = actions.price_level
        cost = assumed.clean_capex_per_abatement * need * firms.capital_yuan[over] * price
        room = firms.cash_yuan[over] + np.maximum(
            actions.credit_limit(over) - firms.debt_yuan[over], 0
        )
        can = (1 - self.levers.clean_subsidy_share) * cost <= room
        complying, abating = over[can], need[can]
        self._invest_clean(actions, complying, abating)
        firms.downtime_share[complying] = np.maximum(
            firms.downtime_share[complying],
            np.minimum(assumed.retrofit_downtime * abating / 0.2, 1.0),
        )
        cannot = over[~can]
        lost = assumed.non_compliance_capacity_loss * need[~can] * firms.capital_yuan[cannot]
        firms.capital_yuan[cannot] -= lost
        # what is left of the works meets the standard: the dirtiest lines were the ones shut
        firms.emission_intensity[cannot] = standard / (1 - firms.clean_tech[cannot])
        return float(np.sum(firms.weight[cannot] * lost) * price)

    def _close_basin(self, actions: Actions, strength: float) -> float:
        """Industry in the lake zone closes or moves out; aquaculture exits."""
        firms, rng = actions.firms, self.rng
        live = firms.live()
        in_lake = live[firms.zone[live] == self.lake_zone]
        industry = in_lake[
            actions.sectors.in_group(firms.sector[in_lake], actions.sectors.industry)
        ]
        go = industry[
            rng.random(len(industry))
            < per_quarter(self.levers.basin_closure_share_per_year * strength)
        ]
        relocates = rng.random(len(go)) < self.levers.relocation_share
        # (rows in order, as ``np.setdiff1d(go, moving)`` gives them: ``go`` is in order)
        moving, closing = go[relocates], go[~relocates]
        closed = float(firms.weight[go].sum())
        # movers keep going in the transformation district, with a capital loss
        firms.zone[moving] = self.target_zone
        firms.capital_yuan[moving] *= 1 - actions.params.reforms.relocation_capital_loss
        actions.lay_off(moving)
        actions.close_firms(closing)
        # aquaculture in the lake shrinks over four years to its target
        target_left = 1 - self.levers.aquaculture_exit_share * strength
        if self.aquaculture_left > target_left:
            step = min(self.aquaculture_left - target_left, self.levers.aquaculture_exit_share / 16)
            share = step / self.aquaculture_left
            farms = in_lake[firms.sector[in_lake] == 0]
            closed += actions.shrink_firms(farms, np.full(len(farms), share))
            self.aquaculture_left -= step
        return closed

    def _compensate_lake_villages(self, actions: Actions, amount: float) -> None:
        villages = actions.villages
        lake = np.flatnonzero(villages.zone[: villages.n] == self.lake_zone)
        if amount <= 0 or len(lake) == 0:
            return
        actions.city_pays(COLLECTIVES, amount, "eco_compensation")
        villages.cash_yuan[lake] += amount / len(lake)
        villages.income_yuan[lake] += amount / len(lake)
