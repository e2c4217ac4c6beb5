"""The quarter's figures that explain growth: GDP by expenditure, and the inputs and
productivity levels of growth accounting. ``model/records.py`` adds them to the city's row;
``experiments/analysis/growth.py`` turns them into contributions to real growth.

Expenditure is read from the ledger, where the goods market booked what each buyer paid:
household consumption, government purchases and fixed investment by buyer, each with its
imports, and outside demand. With the government's own output (its staff's pay) they add
up to GDP: consumption + government purchases + public wages + investment + exports -
imports equals ``gdp_yuan`` to the price search's rounding. The model's producers buy no
intermediate goods, so each buyer's spending less its imports is what the city's producers
sold it, and exports are all local content.

The growth-accounting figures weight each input by the elasticity of GDP to it in the
model's production functions: firms' capital by each firm's capital elasticity, workers by
each producer's labour elasticity (firms' own, farms' ``households.farm_labour_elasticity``,
one for own businesses, whose output is per worker, and for the government, whose output
is its staff's pay), each weighted by the producer's share of GDP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.accounts import FIRMS, GOVERNMENT, HOUSEHOLDS, REST_OF_WORLD
from model.arrays import weighted_total

if TYPE_CHECKING:
    from model.economy import Economy
    from model.markets.goods import GoodsResult

# the buyers of the goods market: their purchases are booked as sales_<buyer> (to firms and
# household producers) and imports_<buyer> (to the rest of the world)
LOCAL_BUYERS = {
    "households": "household_consumption_yuan",
    "government": "government_purchases_yuan",
}
# who paid for fixed investment (sales_investment, imports_investment), by the payer's sector
INVESTORS = {
    FIRMS: "firm_fixed_investment_yuan",
    GOVERNMENT: "government_fixed_investment_yuan",
    HOUSEHOLDS: "household_fixed_investment_yuan",
    REST_OF_WORLD: "outside_housing_investment_yuan",
}
# the sectors that sell to local buyers: firms and household producers
RECEIVERS = (FIRMS, HOUSEHOLDS)


def imports_column(column: str) -> str:
    """The column of the imports bought within an expenditure component's column."""
    return column.removesuffix("_yuan") + "_imports_yuan"


def expenditure(economy: Economy, public_wages: float) -> dict[str, float]:
    """GDP by expenditure this quarter, nominal yuan (the ledger's payments of the goods
    market, which has run by the time the quarter is recorded): each buyer's spending and,
    in :func:`imports_column`, the part of it bought outside the city."""
    flows, pairs = economy.ledger.flows, economy.ledger.pairs
    row = {}
    for buyer, column in LOCAL_BUYERS.items():
        bought_outside = flows.get(f"imports_{buyer}", 0.0)
        row[column] = flows.get(f"sales_{buyer}", 0.0) + bought_outside
        row[imports_column(column)] = bought_outside
    row["public_wages_yuan"] = public_wages
    for payer, column in INVESTORS.items():
        bought_outside = pairs.get(("imports_investment", payer, REST_OF_WORLD), 0.0)
        bought_here = sum(
            pairs.get(("sales_investment", payer, receiver), 0.0) for receiver in RECEIVERS
        )
        row[column] = bought_here + bought_outside
        row[imports_column(column)] = bought_outside
    row["exports_yuan"] = flows.get("exports", 0.0)
    row["imports_yuan"] = sum(
        flows.get(f"imports_{buyer}", 0.0) for buyer in (*LOCAL_BUYERS, "investment")
    )
    return row


def growth_inputs(
    economy: Economy, goods: GoodsResult, public_wages: float
) -> tuple[dict[str, float | None], float]:
    """The inputs of growth accounting this quarter: output at 2010 prices, firms' capital,
    the elasticities of GDP to capital and to workers, and the productivity levels that
    firms' productivity is multiplied by (the national frontier's drift, knowledge
    spill-overs, the public capital of the firm's zone). The elasticity to workers needs the
    households' sums: its key holds ``None``, and the firms' part of it is returned beside
    (``records.finish`` adds the households' part: ``labour_output_elasticity``)."""
    firms, params = economy.firms, economy.params
    price_level = economy.price_level
    live_firms = firms.live()
    gdp = float(goods.revenue.sum()) + public_wages
    weight = firms.weight[live_firms]
    value_added = weight * firms.va_yuan[live_firms]
    firms_va = float(value_added.sum())
    capital_elasticity = economy.sectors.capital_elasticity[firms.sector[live_firms]]
    # firms' labour elasticity is to effective labour, the owner's own work included: the
    # elasticity to the workers they hire is the hired part of it
    effective = firms.labour_eff[live_firms]
    # (``np.maximum`` is what ``np.clip`` with no ceiling calls, without its wrapper)
    hired_share = np.maximum(effective - params.firms.owner_labour, 0.0) / np.maximum(
        effective, 1e-9
    )
    firm_labour = float(np.sum(value_added * firms.beta[live_firms] * hired_share))
    works_level = economy.public_capital.level[firms.zone[live_firms]]
    row = {
        # output at 2010 prices: each sector's real supply, and the government's staff's pay
        # deflated; real GDP differs from it by the change of sectors' relative prices
        "gdp_volume_real_yuan": float(goods.supply.sum()) + public_wages / price_level,
        "firms_value_added_yuan": firms_va,
        "firm_capital_real_yuan": weighted_total(weight, firms.capital_yuan[live_firms]),
        "capital_output_elasticity": float(np.sum(value_added * capital_elasticity)) / gdp,
        "labour_output_elasticity": None,
        "frontier_productivity_index": economy.productivity.household_index,
        "spillover_productivity_index": economy.productivity.spillover_level,
        "public_capital_productivity_index": float(np.sum(value_added * works_level))
        / max(firms_va, 1e-9),
    }
    return row, firm_labour


def labour_output_elasticity(
    firm_labour: float,
    farm_labour_elasticity: float,
    farming_yuan: float,
    business_yuan: float,
    public_wages: float,
    gdp: float,
) -> float:
    """The elasticity of GDP to workers: the firms' hired labour's part of value added, the
    farms' labour share of farm income, own businesses' income and the public wages, over
    GDP."""
    labour = firm_labour + farm_labour_elasticity * farming_yuan + business_yuan + public_wages
    return labour / gdp
