"""Rural collectives: the village collective economic organisations that own rural land.

A :class:`RuralCollective` is one real village (villages are not scaled). It owns farmland
contracted to its member households, homesteads and collective construction land; it
receives its share of requisition compensation and any rents, and pays part of its income
to members as dividends. State lives in ``model.villages``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.agents.registry import TableAgent
from model.state import Table

if TYPE_CHECKING:
    from model.model import ReformModel


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
    @property
    def zone(self) -> str:
        return self.model.zone_names[int(self.model.villages.zone[self.row])]

    @property
    def farmland_mu(self) -> float:
        return float(self.model.villages.farmland_mu[self.row])

    @property
    def cash_yuan(self) -> float:
        return float(self.model.villages.cash_yuan[self.row])

    def __repr__(self) -> str:
        return (
            f"RuralCollective(row={self.row}, zone={self.zone}, farmland={self.farmland_mu:.0f} mu)"
        )


def pay_dividends(model: ReformModel) -> None:
    """Villages pass part of their cash to member households (more as shareholding co-ops)."""
    v, hh = model.villages, model.hh
    live = hh.rows()
    # by collective + 1: bin 0 holds the households outside any village
    village = hh.collective[live] + 1
    share = np.where(
        v.shareholding[: v.n], model.rules.coop_payout_share, model.params.land.village_payout_share
    )
    paid = v.cash_yuan[: v.n] * share
    persons = hh.size[live]
    member_persons = np.bincount(village, weights=hh.weight[live] * persons, minlength=v.n + 1)[1:]
    paid = np.where(member_persons > 0, paid, 0.0)
    v.cash_yuan[: v.n] -= paid
    v.dividends_yuan[: v.n] = paid
    per_person = np.concatenate(([0.0], paid / np.maximum(member_persons, 1e-9)))
    hh.inc_property[live] += per_person.take(village) * persons
    model.ledger.pay(model.COLLECTIVES, model.HOUSEHOLDS, paid.sum(), "collective_dividends")
