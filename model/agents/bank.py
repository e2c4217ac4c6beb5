"""The banks: the city's branches of national banks, as one sector (``model/banking.py``
keeps its balance sheet and its quarter's accounts). Its state lives on the agent itself."""

from __future__ import annotations

import mesa


class BankingSector(mesa.Agent):
    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.outside_claims_yuan = 0.0  # set once every 2010 stock is known
        self.equity_yuan = 0.0

    def __repr__(self) -> str:
        return f"BankingSector(outside claims={self.outside_claims_yuan / 1e9:.2f} bn yuan)"
