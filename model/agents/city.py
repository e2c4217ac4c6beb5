"""The city government: the budget above the five zones.

It receives the local share of taxes and the transfers from higher levels, pays public
wages and pensions, buys services, builds infrastructure, pays requisition compensation and
sells construction land (``model/fiscal.py`` runs its plan and settlement). It sets each
quarter's budget from the previous quarter's revenue and borrows when spending runs ahead
of revenue. Its state lives on the agent itself.
"""

from __future__ import annotations

import mesa


class CityGovernment(mesa.Agent):
    def __init__(self, model: mesa.Model, public_wage_yuan: float):
        super().__init__(model)
        self.deposits_yuan = 0.0
        self.debt_yuan = 0.0
        self.last_local_revenue = 0.0  # local general budget revenue, last quarter
        self.last_contributions = 0.0
        self.last_land_revenue = 0.0
        self.public_wage_yuan = float(public_wage_yuan)
        self.target_public_per_capita = 0.0
        # the running costs of administration per administrative staff member and quarter,
        # at 2010 prices (offices, vehicles, meetings: bought with the purchases)
        self.office_cost_per_staff_yuan = 0.0
        # sign-offs the files waiting at the approval offices needed per resident in 2010
        # (the staffing norm's reference workload)
        self.workload_per_resident_2010 = 0.0

    @property
    def net_worth_yuan(self) -> float:
        return self.deposits_yuan - self.debt_yuan

    def budget(self, transfer_from_above_ratio: float) -> float:
        """Spending planned for this quarter: last quarter's revenue, the transfers it brings
        from higher levels, and social contributions."""
        return self.last_local_revenue * (1 + transfer_from_above_ratio) + self.last_contributions

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
