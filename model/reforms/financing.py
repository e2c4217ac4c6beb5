"""Reform 8 — investment and financing (投融资体制改革).

The programme: link resources, assets, capital and funds (四资联动); an urban-rural
construction investment platform; a venture-capital guidance fund that draws private venture
capital; village banks and micro-credit; listings and SME collective bonds. In the model:

- **guidance fund**: the city commits ``fund_size_bn``; each year the fund invests a share of
  what it has not yet invested, matched by private venture capital at ``co_investment``
  times. Half the money founds new firms, half backs existing ones, chosen by the selection
  rule (high-tech firms, the most profitable firms, or young firms). The fund holds equity,
  receives its share of the dividends, and reinvests them;
- **village banks and micro-credit**: households without the savings may start a business
  as if they had borrowed the start-up money (no loan is booked);
- **listings and SME bonds**: above-scale firms can raise more debt;
- **assets linked**: land and assets count for more as collateral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from model.accounts import FIRMS
from model.reforms.base import Reform, ReformLevers
from model.schema import lever

if TYPE_CHECKING:
    from model.reforms.actions import Actions


class Levers(ReformLevers):
    fund_size_bn: float = lever(
        2.0, 0.0, 10.0, "bn yuan", "Money the city commits to the venture-capital guidance fund."
    )
    co_investment: float = lever(
        2.0,
        0.0,
        5.0,
        "private yuan per fund yuan",
        "Private venture capital drawn in alongside each yuan of the fund.",
    )
    selection: Literal["high_tech", "profitable", "young"] = Field(
        "high_tech",
        description="Which firms the fund backs: high-tech firms, the most "
        "profitable firms of any sector, or firms under three years old.",
    )
    village_bank_reach: float = lever(
        0.3,
        0.0,
        1.0,
        "share of households",
        "Households that can get a micro-loan to start a business (no loan is booked).",
    )
    listing_credit: float = lever(
        0.3,
        0.0,
        1.0,
        "extra borrowing capacity",
        "Extra debt above-scale firms can raise through listings and SME bonds.",
    )
    asset_collateral: float = lever(
        0.3,
        0.0,
        1.0,
        "extra collateral value",
        "How much more land and assets count as collateral once resources and funds are linked.",
    )


class Financing(Reform):
    key = "investment_financing"
    title_en = "Investment and financing"
    title_zh = "投融资体制改革"
    Levers = Levers

    def __init__(self, setting, levers, index: int = 0):
        super().__init__(setting, levers, index)
        self.fund_cash = levers.fund_size_bn * 1e9  # committed, not yet invested
        self.fund_invested = 0.0

    def apply_rules(self, rules, strength: float) -> None:
        levers = self.levers
        rules.business_credit_share = max(
            rules.business_credit_share, levers.village_bank_reach * strength
        )
        rules.above_scale_credit_multiplier *= 1 + levers.listing_credit * strength
        rules.collateral_multiplier *= 1 + levers.asset_collateral * strength

    def act(self, actions: Actions, strength: float) -> dict[str, float]:
        firms, params = actions.firms, actions.params
        # dividends the fund received last quarter come back to it
        self.fund_cash += actions.fund_dividends_yuan
        invest = self.fund_cash * params.reforms.fund_deploy_rate / 4 * strength
        if invest <= 0:
            return {}
        self.fund_cash -= invest
        self.fund_invested += invest
        private = invest * self.levers.co_investment
        total = invest + private
        new_money = total * params.reforms.fund_new_firm_share
        backing = total - new_money
        # new firms founded with the fund's and its partners' money
        weight = max(1.0, actions.scale / params.firms.above_scale_weight_divisor)
        sector = actions.sectors.hightech
        size = 2.0  # fund-backed firms start at twice the capital of the sector's median firm
        typical = actions.typical_entrant(sector)
        capital_each = typical["capital"] * size
        founded = int(
            self.rng.poisson(new_money / max(capital_each * actions.price_level * weight, 1.0))
        )
        rows = actions.found_firms(sector, founded, weight, size_factor=size, template=typical)
        equity_each = new_money / max(founded * weight, 1.0) if founded else 0.0
        if founded:
            firms.cash_yuan[rows] += equity_each
            firms.fund_equity_yuan[rows] += equity_each * invest / total
        # existing firms chosen by the selection rule get equity for expansion
        chosen = self._select(actions)
        if len(chosen):
            stake = (
                backing
                * firms.capital_yuan[chosen]
                / np.sum(firms.weight[chosen] * firms.capital_yuan[chosen])
            )
            firms.cash_yuan[chosen] += stake
            firms.fund_equity_yuan[chosen] += stake * invest / total
        placed = (equity_each * founded * weight if founded else 0.0) + (
            backing if len(chosen) else 0.0
        )
        unplaced = total - placed
        # the fund's share comes from the city's budget, the partners' from outside
        actions.city_pays(FIRMS, placed * invest / total, "guidance_fund")
        actions.outside_pays(FIRMS, placed * private / total, "venture_capital")
        self.fund_cash += unplaced * invest / total
        return {"fund_invested_yuan": placed, "fund_new_firms": float(founded * weight)}

    def _select(self, actions: Actions) -> np.ndarray:
        firms = actions.firms
        live = firms.live()
        rule = self.levers.selection
        if rule == "high_tech":
            pool = live[firms.sector[live] == actions.sectors.hightech]
        elif rule == "young":
            pool = live[(actions.t - firms.born_q[live]) < 12]
        else:
            return_on_capital = firms.profit_yuan[live] / np.maximum(
                firms.capital_yuan[live] * actions.price_level, 1
            )
            pool = (
                live[return_on_capital >= np.quantile(return_on_capital, 0.9)]
                if len(live)
                else live
            )
        return pool[~firms.giant[pool]]
