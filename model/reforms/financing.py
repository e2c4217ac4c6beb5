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

from typing import Literal

import numpy as np
from pydantic import Field

from model.accounts import FIRMS, REST_OF_WORLD
from model.reforms.base import Reform, ReformLevers
from model.schema import lever


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

    def __init__(self, model, levers, index: int = 0):
        super().__init__(model, levers, index)
        self.fund_cash = levers.fund_size_bn * 1e9  # committed, not yet invested
        self.fund_invested = 0.0

    def apply_rules(self, rules, s: float) -> None:
        lv = self.levers
        rules.business_credit_share = max(rules.business_credit_share, lv.village_bank_reach * s)
        rules.above_scale_credit_multiplier *= 1 + lv.listing_credit * s
        rules.collateral_multiplier *= 1 + lv.asset_collateral * s

    def act(self, s: float) -> None:
        m = self.model
        fm, p = m.fm, m.params
        # dividends the fund received last quarter come back to it
        self.fund_cash += m.fund_dividends
        invest = self.fund_cash * p.reforms.fund_deploy_rate / 4 * s
        if invest <= 0:
            return
        self.fund_cash -= invest
        self.fund_invested += invest
        private = invest * self.levers.co_investment
        total = invest + private
        new_money = total * p.reforms.fund_new_firm_share
        backing = total - new_money
        # new firms founded with the fund's and its partners' money
        w = max(1.0, m.scale / p.firms.above_scale_weight_divisor)
        sector = m.hightech
        size = 2.0  # fund-backed firms start at twice the capital of the sector's median firm
        k_real = m.entrant_template(sector)["capital"] * size
        n = int(self.rng.poisson(new_money / max(k_real * m.price_level_now * w, 1.0)))
        rows = m.found_firms(sector, n, w, size_factor=size)
        equity_each = new_money / max(n * w, 1.0) if n else 0.0
        if n:
            fm.cash_yuan[rows] += equity_each
            fm.fund_equity_yuan[rows] += equity_each * invest / total
        # existing firms chosen by the selection rule get equity for expansion
        chosen = self._select(backing)
        if len(chosen):
            stake = (
                backing
                * fm.capital_yuan[chosen]
                / np.sum(fm.weight[chosen] * fm.capital_yuan[chosen])
            )
            fm.cash_yuan[chosen] += stake
            fm.fund_equity_yuan[chosen] += stake * invest / total
        placed = (equity_each * n * w if n else 0.0) + (backing if len(chosen) else 0.0)
        unplaced = total - placed
        # the fund's share comes from the city's budget, the partners' from outside
        m.gov_pay(FIRMS, placed * invest / total, "guidance_fund")
        m.ledger.pay(REST_OF_WORLD, FIRMS, placed * private / total, "venture_capital")
        self.fund_cash += unplaced * invest / total
        m.reform_counts["fund_invested_yuan"] = placed
        m.reform_counts["fund_new_firms"] = float(n * w)

    def _select(self, amount: float) -> np.ndarray:
        m = self.model
        fm = m.fm
        live = fm.live()
        rule = self.levers.selection
        if rule == "high_tech":
            pool = live[fm.sector[live] == m.hightech]
        elif rule == "young":
            pool = live[(m.t - fm.born_q[live]) < 12]
        else:
            rk = fm.profit_yuan[live] / np.maximum(fm.capital_yuan[live] * m.price_level_now, 1)
            pool = live[rk >= np.quantile(rk, 0.9)] if len(live) else live
        return pool[~fm.giant[pool]]
