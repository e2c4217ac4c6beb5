"""Firms: produce with capital, labour by skill and land; hire, invest, borrow, enter, exit.

A :class:`Firm` agent stands for ``weight`` real firms with the same state (the two giant
works stand for themselves). State lives in ``model.fm``; the rules below act on all firms.
Money amounts in the firm columns are per real firm; capital is in yuan at 2010 prices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.agents.registry import TableAgent

if TYPE_CHECKING:
    from model.model import ReformModel


class Firm(TableAgent):
    """One firm agent: a row of ``model.fm``."""

    def _get(self, name: str):
        return getattr(self.model.fm, name)[self.row]

    @property
    def sector(self) -> str:
        return self.model.sector_names[int(self._get("sector"))]

    @property
    def zone(self) -> str:
        return self.model.zone_names[int(self._get("zone"))]

    @property
    def weight(self) -> float:
        return float(self._get("weight"))

    @property
    def capital_yuan(self) -> float:
        return float(self._get("capital_yuan"))

    @property
    def workers(self) -> float:
        return float(self._get("workers"))

    @property
    def value_added_yuan(self) -> float:
        """Last quarter's value added of one real firm of this agent."""
        return float(self._get("va_yuan"))

    @property
    def annual_sales_yuan(self) -> float:
        return float(self._get("sales_last_year"))

    def __repr__(self) -> str:
        return (
            f"Firm(row={self.row}, sector={self.sector}, zone={self.zone}, "
            f"weight={self.weight:g}, workers={self.workers:.0f})"
        )


# --- rules applied to all firms at once ---------------------------------------------------


def capacity(tfp, capital, labour_eff, land, alpha, beta, gamma) -> np.ndarray:
    """Real value added a firm can produce in a quarter (Cobb-Douglas, decreasing returns)."""
    return (
        tfp
        * np.maximum(capital, 0.0) ** alpha
        * np.maximum(labour_eff, 1e-9) ** beta
        * np.maximum(land, 1e-6) ** gamma
    )


def update_productivity(model: ReformModel) -> None:
    """Productivity drifts with the national frontier and takes idiosyncratic shocks."""
    fm, rng, p = model.fm, model.rng, model.params
    live = fm.live()
    g = (
        p.firms.tfp_growth_share * model.world.national_real_growth[model.t]
        + p.firms.catch_up_growth
    )
    shock = rng.normal(0.0, p.firms.productivity_shock_sd, len(live))
    fm.tfp[live] *= (1 + g) ** 0.25 * np.exp(shock - 0.5 * p.firms.productivity_shock_sd**2)
    fm.tfp[live] *= model.rules.firm_productivity_multiplier(live)


def desired_labour_change(model: ReformModel, live: np.ndarray) -> np.ndarray:
    """Change in effective labour each real firm wants: marginal product against wage."""
    fm = model.fm
    beta = fm.beta[live]
    employed = fm.labour_eff[live] - model.params.firms.owner_labour
    ratio = np.where(
        fm.wage_bill[live] > 0, beta * fm.va_yuan[live] / np.maximum(fm.wage_bill[live], 1e-9), 2.0
    )
    target = np.maximum(employed, 1.0) * np.clip(ratio, 0.5, 2.0) ** (1 / (1 - beta))
    target = np.clip(target, 0.6 * employed, 1.5 * np.maximum(employed, 2.0))
    return model.params.labour.labour_adjust * (target - employed)


def plan_investment(model: ReformModel, live: np.ndarray) -> np.ndarray:
    """Real investment each real firm wants this quarter (replacement plus expansion)."""
    fm, p = model.fm, model.params
    sec = fm.sector[live]
    k = fm.capital_yuan[live]
    price = model.price_level_now
    gross = (fm.va_yuan[live] - fm.wage_bill[live] * 1.0) * (1 - p.firms.va_tax_rate)
    rk = 4 * gross / np.maximum(price * k, 1.0)
    rel = np.clip(rk / model.rk_ref[sec], 0.0, 3.0) ** p.firms.investment_profit_elasticity
    r = model.world.lending_rate[model.t] + p.credit.spread
    cost = (model.r0 + p.firms.depreciation) / (r + p.firms.depreciation)
    g_exp = model.expected_growth[sec]
    expand = p.firms.investment_accelerator * np.maximum(g_exp, 0) * rel * cost
    rate = p.firms.depreciation + expand
    rate = rate * model.rules.investment_allowed(live)
    return k * rate / 4


def credit_limit(model: ReformModel, live: np.ndarray) -> np.ndarray:
    """Most a bank lends a real firm: collateral and interest cover, whichever binds."""
    fm, p = model.fm, model.params
    price = model.price_level_now
    collateral = (
        fm.land_mu[live] * p.credit.land_price_yuan_per_mu * price
        + p.credit.capital_collateral * fm.capital_yuan[live] * price
    )
    by_collateral = (
        p.credit.collateral_ltv * collateral * model.rules.collateral_multiplier_for(live)
    )
    rate = model.world.lending_rate[model.t] + p.credit.spread
    ebit = 4 * np.maximum(fm.va_yuan[live] - fm.wage_bill[live], 0.0)
    by_cover = ebit / (p.credit.interest_cover * rate)
    return np.minimum(by_collateral, by_cover)
