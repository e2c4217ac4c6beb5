"""Reform 9 — land capitalisation and property rights (土地资本化 / 产权制度改革).

The programme (the urban-rural integration direction): confirm land rights, build a market
for transferring contracted farmland, let collective construction land enter the market,
allow land-rights mortgages, let households exit homesteads with compensation, turn villages
into shareholding cooperatives paying dividends, and reform household registration. In the
model:

- **rights confirmation** makes renting out farmland safer: households not farming their
  plots rent them to large farms more readily, and rents rise;
- **collective construction land** can be leased to firms of the zone (supply to firms,
  rent to villages);
- **land-rights mortgages**: rural households' land counts toward the means to start a
  business (no loan is booked);
- **homestead exit**: rural-registered households give up their homestead for compensation
  and move to town; the plot is reclaimed and the same area of construction land is
  released in town, so in net rural construction land becomes urban construction land (the
  linkage of urban and rural land);
- **shareholding cooperatives** pay members a larger share of village income;
- **registration reform** lowers the barrier for rural-registered households to move to town.
"""

from __future__ import annotations

import numpy as np

from model.accounts import COLLECTIVES, FIRMS, HOUSEHOLDS
from model.reforms.base import Reform, ReformLevers, per_quarter
from model.schema import lever
from model.state import OWN_FARM, UNEMPLOYED


class Levers(ReformLevers):
    rights_confirmation: float = lever(
        1.0,
        0.0,
        1.0,
        "share of plots confirmed",
        "Contracted plots with confirmed, registered rights.",
    )
    collective_land_market: float = lever(
        0.3,
        0.0,
        1.0,
        "share of collective construction land",
        "Collective construction land villages may lease to firms.",
    )
    land_mortgage_ltv: float = lever(
        0.3,
        0.0,
        0.6,
        "loan / land-rights value",
        "How much a rural household can borrow against its contracted land.",
    )
    homestead_exit_per_year: float = lever(
        0.02,
        0.0,
        0.1,
        "share of households per year",
        "Rural-registered households that give up their homestead each year.",
    )
    shareholding_share: float = lever(
        0.8, 0.0, 1.0, "share of villages", "Villages turned into shareholding cooperatives."
    )
    coop_payout: float = lever(
        0.5,
        0.1,
        1.0,
        "share of cash per quarter",
        "Share of a cooperative's cash paid to members as dividends each quarter.",
    )
    hukou_reform: float = lever(
        0.5,
        0.0,
        1.0,
        "share of the barrier removed",
        "How far registration reform removes the barrier to moving to town.",
    )


class LandCapitalisation(Reform):
    key = "land_capitalisation"
    title_en = "Land capitalisation"
    title_zh = "土地资本化与产权制度改革"
    Levers = Levers

    def __init__(self, model, levers, index: int = 0):
        super().__init__(model, levers, index)
        # the order in which villages convert: fixed once, so more share means more villages
        self.coop_order = self.rng.permutation(model.villages.n)

    def apply_rules(self, rules, s: float) -> None:
        lv = self.levers
        conf = lv.rights_confirmation * s
        rules.farmland_transfer_rate *= 1 + 9 * conf
        rules.farmland_rent_multiplier *= 1 + 0.5 * conf
        rules.collective_leasable_share = max(
            rules.collective_leasable_share, lv.collective_land_market * s
        )
        rules.land_mortgage_ltv = max(rules.land_mortgage_ltv, lv.land_mortgage_ltv * s)
        rules.coop_payout_share = lv.coop_payout
        rules.hukou_barrier *= 1 - lv.hukou_reform * s

    def act(self, s: float) -> None:
        m = self.model
        v = m.villages
        n_coop = int(round(self.levers.shareholding_share * s * v.n))
        v.shareholding[self.coop_order[:n_coop]] = True
        m.reform_counts["homestead_exits"] = self._homestead_exit(s)
        m.reform_counts["collective_land_leased_mu"] = self._lease_collective_land()

    def _homestead_exit(self, s: float) -> float:
        m = self.model
        hh, v, rng, p = m.hh, m.villages, self.rng, m.params
        cand = hh.where(
            (hh.col("collective") >= 0) & hh.col("rural_hukou") & (hh.col("homestead_mu") > 0)
        )
        prob = per_quarter(
            self.levers.homestead_exit_per_year * s * np.where(hh.urban[cand], 1.5, 1.0)
        )
        out = cand[rng.random(len(cand)) < prob]
        if len(out) == 0:
            return 0.0
        mu = hh.homestead_mu[out]
        w = hh.weight[out]
        pay = mu * p.reforms.homestead_compensation_yuan_per_mu * m.cpi_now
        hh.inc_compensation[out] += pay
        m.gov_pay(HOUSEHOLDS, float(np.sum(w * pay)), "homestead_compensation")
        # the plot is reclaimed and the same area of construction land is released in town:
        # in net, rural construction land becomes urban construction land
        zones = v.zone[hh.collective[out]]
        area = np.bincount(zones, weights=w * mu, minlength=len(m.zones))
        np.subtract.at(v.homestead_mu, hh.collective[out], w * mu)
        for z, zone in enumerate(m.zones):
            if area[z] > 0:
                zone.land_mu["rural_construction"] -= area[z]
                zone.land_mu["urban_construction"] += area[z]
                zone.land_available_mu += area[z]
        hh.homestead_mu[out] = 0.0
        hh.rural_hukou[out] = False
        hh.urban[out] = True
        # farmers who leave the village stop farming full time and look for work in town
        hh.job[out[hh.job[out] == OWN_FARM]] = UNEMPLOYED
        return float(w.sum())

    def _lease_collective_land(self) -> float:
        """Firms short of land lease collective construction land in their zone."""
        m = self.model
        fm, v, p = m.fm, m.villages, m.params
        share = m.rules.collective_leasable_share
        flive = fm.live()
        sec = fm.sector[flive]
        desired = np.asarray(p.sectors.land_per_va_mu)[sec] * 4 * fm.supply[flive] / 1e6
        want = np.maximum(desired - fm.land_mu[flive], 0.0) * (sec != 0)
        leased_total = 0.0
        for z in range(len(m.zones)):
            vil = np.flatnonzero(v.zone[: v.n] == z)
            free = np.maximum(share * v.construction_mu[vil] - v.leased_mu[vil], 0.0)
            rows = flive[fm.zone[flive] == z]
            need = fm.weight[rows] * want[fm.zone[flive] == z]
            if free.sum() <= 0 or need.sum() <= 0:
                continue
            take = min(free.sum(), need.sum())
            got = need / need.sum() * take / fm.weight[rows]
            fm.land_mu[rows] += got
            fm.collective_land_mu[rows] += got
            v.leased_mu[vil] += free / free.sum() * take
            leased_total += take
        # rent on all leased collective land goes to the villages that lease it
        rent = p.reforms.collective_rent_yuan_per_mu / 4 * m.cpi_now
        payers = flive[fm.collective_land_mu[flive] > 0]
        if len(payers):
            due = fm.collective_land_mu[payers] * rent
            fm.cash_yuan[payers] -= due
            short = np.maximum(-fm.cash_yuan[payers], 0.0)
            fm.cash_yuan[payers] += short
            fm.debt_yuan[payers] += short
            total = float(np.sum(fm.weight[payers] * due))
            leased = v.leased_mu[: v.n]
            v.cash_yuan[: v.n] += total * leased / leased.sum()
            v.income_yuan[: v.n] += total * leased / leased.sum()
            m.ledger.pay(FIRMS, COLLECTIVES, total, "collective_land_rent")
        return leased_total
