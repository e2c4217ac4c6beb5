"""What a reform may do to the economy in a quarter: the one door from a reform to agents
besides the rules.

A reform reads the agent tables and writes the columns that are its own mechanism (a firm'strength
audit and abatement, a recruit's mark, a village's shareholding status). Everything that
crosses to another system goes through an action here: money paid by the city or from
outside, investment and purchases the goods market will see, people arriving and leaving,
firms founded, closed or shrunk, workers laid off or placed, land converted or leased.
:meth:`Reform.act` returns what it did as counts, which the quarter's records keep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import fiscal, population, port, turnover
from model.accounts import REST_OF_WORLD
from model.agents import firm, household
from model.markets import credit, labour, land

if TYPE_CHECKING:
    from model.calibration import Params
    from model.economy import Economy, Sectors
    from model.tables import Table


class Actions:
    def __init__(self, economy: Economy):
        self._economy = economy

    # --- what a reform reads --------------------------------------------------------------
    @property
    def params(self) -> Params:
        return self._economy.params

    @property
    def sectors(self) -> Sectors:
        return self._economy.sectors

    @property
    def t(self) -> int:
        """The quarter (0 = the first of the start year)."""
        return self._economy.clock.t

    @property
    def scale(self) -> float:
        """Real households per household agent."""
        return self._economy.scale

    @property
    def price_level(self) -> float:
        return self._economy.price_level

    @property
    def cpi(self) -> float:
        return self._economy.cpi

    @property
    def households(self) -> Table:
        return self._economy.households

    @property
    def firms(self) -> Table:
        return self._economy.firms

    @property
    def villages(self) -> Table:
        return self._economy.villages

    @property
    def fund_dividends_yuan(self) -> float:
        """The guidance fund's share of last quarter's dividends."""
        return self._economy.fund_dividends_yuan

    # --- money ----------------------------------------------------------------------------
    def city_pays(self, receiver: int, amount: float, kind: str) -> None:
        """The city pays an outlay now (a subsidy, an allowance), borrowing if need be."""
        fiscal.pay(self._economy, receiver, amount, kind)

    def outside_pays(self, receiver: int, amount: float, kind: str) -> None:
        """Money from outside the city (venture capital, say)."""
        self._economy.ledger.pay(REST_OF_WORLD, receiver, amount, kind)

    def invest(self, buyer: int, amount: float) -> None:
        """Investment spending by ``buyer`` this quarter, on top of its own plans."""
        self._economy.flows.reform_investment[buyer] += amount

    def build_port(self, yuan_2010: float) -> None:
        """The city pays for new port berths this quarter (``yuan_2010`` at 2010 prices);
        they add capacity once built (``model/port.py``)."""
        port.commission(self._economy, yuan_2010)

    def buy_services(self, amount: float) -> None:
        """Services the city buys this quarter (training, say), added to its purchases."""
        self._economy.flows.reform_purchases += amount

    # --- people ---------------------------------------------------------------------------
    def arrive(self, count: int, skill: int, urban: bool) -> np.ndarray:
        """Households arriving from outside with the given skill; returns their rows."""
        return population.arrive(self._economy, count, skill=skill, urban=urban).rows

    def leave(self, rows: np.ndarray) -> None:
        """Households leaving the city with their savings."""
        population.remove(self._economy, rows, reason="out")

    def homestead_exit_gain(
        self, rows: np.ndarray, compensation_yuan_per_mu: float, spread: np.ndarray
    ) -> np.ndarray:
        """What giving up its homestead is worth to each household (its own choice,
        ``agents/household.py``)."""
        return household.homestead_exit_gain(self._economy, rows, compensation_yuan_per_mu, spread)

    def open_knowledge_posts(self) -> float:
        """Knowledge posts firms could not fill last quarter (real workers)."""
        return float(labour.open_knowledge_posts(self._economy).sum())

    def place_recruits(self, rows: np.ndarray, rng: np.random.Generator) -> None:
        """Recruited households' workers take the knowledge posts firms could not fill."""
        labour.place_recruits(self._economy, rows, rng)

    # --- firms ----------------------------------------------------------------------------
    def typical_entrant(self, sector: int) -> dict[str, float]:
        """Capital, productivity, land and labour elasticity of a typical new firm."""
        return firm.entrant_templates(self._economy, only=sector)[sector]

    def found_firms(
        self,
        sector: int,
        count: int,
        weight: float,
        size_factor: float,
        template: dict[str, float] | None = None,
    ) -> np.ndarray:
        """New firms financed by their backers (the reform pays them); returns their rows.
        ``template``: the :meth:`typical_entrant` the reform has just looked up, if no firm
        has changed since (it is looked up again otherwise)."""
        return turnover.found_firms(self._economy, sector, count, weight, size_factor, template)

    def close_firms(self, rows: np.ndarray) -> None:
        turnover.close_firms(self._economy, rows)

    def shrink_firms(self, rows: np.ndarray, share: np.ndarray) -> float:
        """Close ``share`` of the real firms each agent stands for; returns firms closed."""
        return turnover.shrink_firms(self._economy, rows, share)

    def lay_off(self, rows: np.ndarray) -> None:
        """Every worker of these firms loses the job."""
        turnover.lay_off(self._economy, rows)

    def credit_limit(self, rows: np.ndarray) -> np.ndarray:
        """Most banks lend one real firm of each row."""
        return credit.credit_limit(self._economy, rows)

    def cover_shortfall(self, rows: np.ndarray) -> None:
        """Firms whose cash ran below zero borrow the difference."""
        credit.cover_shortfall(self._economy, rows)

    # --- land -----------------------------------------------------------------------------
    def release_homestead_land(self, area_by_zone: np.ndarray) -> None:
        """Reclaimed homesteads release the same area of construction land in town: rural
        construction land becomes urban, ready to supply to firms."""
        for zone, area in zip(self._economy.zones, area_by_zone, strict=True):
            if area > 0:
                zone.convert_land(area, "rural_construction", "urban_construction")

    def lease_collective_land(self) -> float:
        """Firms short of land lease villages' construction land; returns mu leased."""
        return land.lease_collective_land(self._economy)
