"""The rules and constraints agents act under, as they stood before the reform programme.

Reforms (``model/reforms/``) change these rules; they never set an indicator. Every method
returns the baseline behaviour when no reform touches it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.model import ReformModel


class Rules:
    def __init__(self, model: ReformModel):
        p = model.params
        self.model = model
        self.hukou_barrier = float(p.migration.hukou_barrier)
        self.farmland_transfer_rate = float(p.land.farmland_transfer_rate)
        self.compensation_yuan_per_mu = float(p.land.compensation_yuan_per_mu)
        self.coop_payout_share = 0.5
        self.business_start_multiplier = 1.0
        self.collective_leasable_share = float(p.land.collective_construction_leasable)

    def firm_productivity_multiplier(self, rows: np.ndarray) -> np.ndarray | float:
        return 1.0

    def collateral_multiplier(self, rows: np.ndarray) -> np.ndarray | float:
        return 1.0

    def investment_allowed(self, rows: np.ndarray) -> np.ndarray:
        """Share of planned investment allowed: none in sectors under a capacity cut."""
        m = self.model
        cut = m.world.capacity_cut[m.t]
        heavy = np.isin(m.fm.sector[rows], m.heavy_sectors)
        return np.where(heavy & (cut > 0), 0.0, 1.0)
