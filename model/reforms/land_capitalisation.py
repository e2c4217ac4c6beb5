"""Reform 9 — land capitalisation and property rights (土地资本化 / 产权制度改革).

The programme (the urban-rural integration direction): confirm land rights, build a market
for transferring contracted farmland, let collective construction land enter the market,
allow land-rights mortgages, let households exit homesteads with compensation, turn villages
into shareholding cooperatives paying dividends, and reform household registration. In the
model:

- **rights confirmation** makes a plot rented out sure to come back (tenure security), so
  households count on more of the rent when they weigh renting it out, and lets the rights
  be pledged for loans;
- **a rights exchange** brings owners and tenants together more often;
- **collective construction land** can be leased to firms of the zone (supply to firms,
  rent to villages);
- **land-rights mortgages**: a household can borrow against its confirmed land to start a
  business or carry a deficit (loans booked as its debt);
- **homestead exit**: the city offers compensation per mu of homestead; a rural-registered
  household living in town gives its homestead and registration up when the offer and what a
  town registration brings outweigh what its village house is worth to it
  (``agents/household.py``). The plot is reclaimed and the same area of construction land is
  released in town, so in net rural construction land becomes urban construction land (the
  linkage of urban and rural land);
- **shareholding cooperatives** pay members a larger share of village income;
- **registration reform** lowers the barrier for rural-registered households to move to town.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.accounts import HOUSEHOLDS
from model.agents.jobs import OWN_FARM, UNEMPLOYED
from model.reforms.base import Reform, ReformLevers
from model.schema import lever

if TYPE_CHECKING:
    from model.reforms.actions import Actions


class Levers(ReformLevers):
    rights_confirmation: float = lever(
        1.0,
        0.0,
        1.0,
        "share of plots confirmed",
        "Contracted plots with confirmed, registered rights.",
    )
    exchange_reach: float = lever(
        0.8,
        0.0,
        1.0,
        "share of villages",
        "Villages served by a rural property-rights exchange where plots are leased out.",
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
    homestead_compensation_yuan_per_mu: float = lever(
        60000.0,
        0.0,
        300000.0,
        "yuan per mu of homestead at 2010 prices",
        "Compensation offered to a rural household that gives up its homestead and moves its "
        "registration to town.",
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

    def __init__(self, setting, levers, index: int = 0):
        super().__init__(setting, levers, index)
        # the order in which villages convert: fixed once, so more share means more villages
        self.coop_order = self.rng.permutation(setting.village_count)

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        confirmed = levers.rights_confirmation * strength
        # a confirmed, registered plot comes back for sure when the lease ends
        rules.tenure_security += (1 - rules.tenure_security) * confirmed
        # an exchange platform brings owners and tenants together more often
        rules.farmland_transfer_rate += (
            levers.exchange_reach * strength * self.setting.params.land.exchange_match_rate
        )
        rules.collective_leasable_share = max(
            rules.collective_leasable_share, levers.collective_land_market * strength
        )
        # only confirmed rights can be pledged
        rules.land_mortgage_ltv = max(
            rules.land_mortgage_ltv, levers.land_mortgage_ltv * strength * confirmed
        )
        rules.coop_payout_share = levers.coop_payout
        rules.hukou_barrier *= 1 - levers.hukou_reform * strength

    def act(self, actions: Actions, strength: float) -> dict[str, float]:
        villages = actions.villages
        converted = int(round(self.levers.shareholding_share * strength * villages.n))
        villages.shareholding[self.coop_order[:converted]] = True
        return {
            "homestead_exits": self._homestead_exit(actions, strength),
            "collective_land_leased_mu": actions.lease_collective_land(),
        }

    def _homestead_exit(self, actions: Actions, strength: float) -> float:
        households, villages, rng = actions.households, actions.villages, self.rng
        choice = actions.params.households
        # village members with a homestead who live in town (those who moved this quarter
        # too): they weigh the offer; those still in the village first choose to move
        candidates = households.where(
            (households.col("collective") >= 0)
            & households.col("rural_hukou")
            & households.col("urban")
            & (households.col("homestead_mu") > 0)
        )
        # a household reconsiders now and then, and gives its homestead up when that is worth
        # more to it than keeping it; as the offer phases in, the offices reach more villages
        reviewing = candidates[rng.random(len(candidates)) < choice.exit_review_rate * strength]
        spread = rng.lognormal(0.0, choice.choice_spread, len(reviewing))
        price = self.levers.homestead_compensation_yuan_per_mu
        gain = actions.homestead_exit_gain(reviewing, price, spread)
        out = reviewing[gain > 0]
        if len(out) == 0:
            return 0.0
        homestead = households.homestead_mu[out]
        weight = households.weight[out]
        compensation = homestead * price * actions.cpi
        households.inc_compensation[out] += compensation
        paid = float(np.sum(weight * compensation))
        actions.city_pays(HOUSEHOLDS, paid, "homestead_compensation")
        # the plot is reclaimed and the same area of construction land is released in town:
        # in net, rural construction land becomes urban construction land
        zones = villages.zone[households.collective[out]]
        n_zones = len(self.setting.zone_names)
        area = np.bincount(zones, weights=weight * homestead, minlength=n_zones)
        np.subtract.at(villages.homestead_mu, households.collective[out], weight * homestead)
        actions.release_homestead_land(area)
        households.homestead_mu[out] = 0.0
        households.rural_hukou[out] = False
        households.urban[out] = True
        # farmers who leave the village stop farming full time and look for work in town
        households.job[out[households.job[out] == OWN_FARM]] = UNEMPLOYED
        return float(weight.sum())
