"""The rules and constraints agents act under, as they stood before the reform programme.

Each quarter :meth:`Rules.reset` restores the pre-reform baseline and the enabled reforms
(``model/reforms/``) adjust it. Mechanisms read these values; reforms never set an indicator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.model import ReformModel


class Rules:
    def __init__(self, model: ReformModel):
        self.model = model
        self.reset()

    def reset(self) -> None:
        p = self.model.params
        ns = len(p.sectors.names)
        # administration (reforms 1, 2)
        self.approval_days_factor = 1.0  # approval days relative to 2010
        self.admin_share = float(p.labour.admin_share_of_public)
        self.purchase_share = 0.0  # share of public services bought from firms
        self.service_efficiency = 1.0  # services delivered per yuan bought, relative
        # social security (reform 3)
        self.rural_pension_yuan = float(p.households.rural_pension_yuan)
        self.consumption_mpc = float(p.households.consumption_mpc)
        self.hukou_barrier = float(p.migration.hukou_barrier)
        self.business_start_multiplier = 1.0
        # land (reforms 4, 9)
        self.compensation_yuan_per_mu = float(p.land.compensation_yuan_per_mu)
        self.compensation_household_share = float(p.land.compensation_household_share)
        self.farmland_transfer_rate = float(p.land.farmland_transfer_rate)
        self.farmland_rent_multiplier = 1.0
        self.collective_leasable_share = float(p.land.collective_construction_leasable)
        # share of a shareholding co-op's cash paid out per quarter (no co-ops before reform)
        self.coop_payout_share = float(p.land.village_payout_share)
        self.land_mortgage_ltv = 0.0  # loan / value of rural land rights
        # firms and finance (reforms 5, 7, 8)
        self.entry_multiplier = np.ones(ns)  # by sector: green tilt and incubators
        self.young_firm_exit_multiplier = 1.0
        self.collateral_multiplier = 1.0
        self.above_scale_credit_multiplier = 1.0
        self.business_credit_share = 0.0  # households that may borrow to start a business
        self.spillover_elasticity = 0.0
        self.relocating_success = float(p.firms.relocating_success)
        # outside links (reform 6)
        self.commute_cost_share = float(p.labour.commute_cost_share)
        self.wuhan_job_multiplier = 1.0
        self.extra_market_gain = np.zeros(ns)  # per year, by sector
        # equalisation and environment (reforms 5, 10)
        self.rural_service_share = 0.0  # extra share of service spending counted as rural
        self.rural_productivity_boost = 0.0  # per year, household farming
        self.sewage_treatment = 0.0  # share of rural household pollution treated

    # --- read by the mechanisms -----------------------------------------------------------
    def firm_productivity_multiplier(self, rows: np.ndarray) -> np.ndarray | float:
        """Productivity change this quarter from knowledge spill-overs.

        Firms' productivity level stands at 1 + e x (rise of the knowledge-worker share
        relative to 2010); the multiplier moves it from last quarter's level to this one's.
        """
        m = self.model
        gain = max(m.knowledge_share_now / max(m.knowledge_share_2010, 1e-9) - 1, 0.0)
        level = 1 + self.spillover_elasticity * gain
        change = level / m.spillover_level
        m.spillover_level = level
        return change

    def collateral_multiplier_for(self, rows: np.ndarray) -> np.ndarray | float:
        above = self.model.fm.sales_last_year[rows] >= 20e6
        return self.collateral_multiplier * np.where(above, self.above_scale_credit_multiplier, 1.0)

    def investment_allowed(self, rows: np.ndarray) -> np.ndarray:
        """Share of planned investment allowed: none in sectors under a capacity cut."""
        m = self.model
        cut = m.world.capacity_cut[m.t]
        heavy = np.isin(m.fm.sector[rows], m.heavy_sectors)
        return np.where(heavy & (cut > 0), 0.0, 1.0)
