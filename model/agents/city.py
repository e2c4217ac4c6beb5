"""The city government: the budget above the five zones.

It receives the local share of taxes and the transfers from higher levels, pays public
wages and pensions, buys services, builds infrastructure, pays requisition compensation and
sells construction land. It sets each quarter's budget from the previous quarter's revenue
and borrows when spending runs ahead of revenue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from model.model import ReformModel


class CityGovernment(mesa.Agent):
    def __init__(self, model: ReformModel):
        super().__init__(model)
        self.deposits_yuan = 0.0
        self.debt_yuan = 0.0
        self.last_local_revenue = 0.0  # local general budget revenue, last quarter
        self.last_contributions = 0.0
        self.last_land_revenue = 0.0
        self.public_wage_yuan = float(model.params.labour.public_wage_yuan)
        self.target_public_per_capita = 0.0

    @property
    def net_worth_yuan(self) -> float:
        return self.deposits_yuan - self.debt_yuan

    def budget(self) -> float:
        """Spending planned for this quarter."""
        p = self.model.params
        return (
            self.last_local_revenue * (1 + p.fiscal.transfer_from_above_ratio)
            + self.last_contributions
        )

    def settle(self, amount: float) -> None:
        """Pay ``amount`` (negative: receive) out of deposits, borrowing if they run out."""
        self.deposits_yuan -= amount
        if self.deposits_yuan < 0:
            self.debt_yuan += -self.deposits_yuan
            self.deposits_yuan = 0.0
        elif self.debt_yuan > 0:
            repay = min(self.debt_yuan, self.deposits_yuan)
            self.debt_yuan -= repay
            self.deposits_yuan -= repay

    def __repr__(self) -> str:
        return f"CityGovernment(debt={self.debt_yuan / 1e9:.2f} bn yuan)"
