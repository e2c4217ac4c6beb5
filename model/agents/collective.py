"""Rural collectives: the village collective economic organisations that own rural land.

A :class:`RuralCollective` is one real village (villages are not scaled). It owns farmland
contracted to its member households, homesteads and collective construction land; it
receives its share of requisition compensation and any rents, and pays part of its income
to members as dividends (``model/income.py``). State lives in ``economy.villages``.
"""

from __future__ import annotations

import numpy as np

from model.agents.registry import TableAgent
from model.tables import Table


class VillageTable(Table):
    COLUMNS = {
        "alive": np.bool_,
        "zone": np.int8,
        "farmland_mu": np.float64,  # contracted to members or farmed by the village
        "construction_mu": np.float64,  # collective construction land
        "leased_mu": np.float64,  # of which leased to firms
        "homestead_mu": np.float64,
        "cash_yuan": np.float64,
        "income_yuan": np.float64,  # last quarter
        "dividends_yuan": np.float64,  # last quarter
        "shareholding": np.bool_,  # a shareholding cooperative paying dividends
    }


class RuralCollective(TableAgent):
    """One village: a row of ``economy.villages``."""

    @property
    def zone(self) -> str:
        economy = self.model.economy
        return economy.zone_names[int(economy.villages.zone[self.row])]

    @property
    def farmland_mu(self) -> float:
        return float(self.model.economy.villages.farmland_mu[self.row])

    @property
    def cash_yuan(self) -> float:
        return float(self.model.economy.villages.cash_yuan[self.row])

    def __repr__(self) -> str:
        return (
            f"RuralCollective(row={self.row}, zone={self.zone}, farmland={self.farmland_mu:.0f} mu)"
        )
