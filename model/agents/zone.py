"""Government zones: the five functional zones, each a government agent.

A zone's offices approve the applications firms file (new firms, expansion projects, land
requests), as a queue served by its administrative staff (``model/approvals.py``); a zone
holds its land by use, including state construction land ready to supply to firms. Its
government makes two decisions each quarter, by what its officials are assessed on
(``model/zone_policy.py``): its case for a share of the city's new public works, and which
sectors' firms it courts; what it decided and why is kept here for the records. Budget
decisions are the city's (``model/agents/city.py``); the zone table reports value added,
incomes and public services per zone, the latter shared out by population. A zone's state
lives on the agent itself (five of them need no table).
"""

from __future__ import annotations

import mesa
import numpy as np


class GovernmentZone(mesa.Agent):
    def __init__(
        self,
        model: mesa.Model,
        index: int,
        name: str,
        approval_days: float,
        land_mu: dict[str, float],
        approval_elasticity: float,
        layers: float,
        departments: float,
        one_window_overhead: float,
    ):
        super().__init__(model)
        self.index = index
        self.name = name
        self.approval_days_2010 = float(approval_days)
        self.approval_days = float(approval_days)  # this quarter's: waiting and processing
        self.approval_elasticity = float(approval_elasticity)
        self.land_mu = dict(land_mu)  # by use; sums to the zone's area
        self.land_available_mu = 0.0  # state construction land ready to supply, within urban
        # the approval offices
        self.layers_2010 = self.layers = float(layers)
        self.departments_2010 = self.departments = float(departments)
        self.one_window_overhead = float(one_window_overhead)
        self.signoff_days = 0.0  # days one department takes on a file (set in 2010)
        self.productivity = 0.0  # sign-offs a staff member handles a quarter (set in 2010)
        self.admin_staff = 0.0  # real workers serving the offices this quarter
        self.applications = 0.0  # filed this quarter, served the next
        self.backlog = 0.0  # applications carried over unserved
        # sign-offs the files before the offices at this quarter's service needed: the
        # workload the staffing norm follows (``model/markets/labour.py``)
        self.workload = 0.0
        # what its officials decided this quarter (``model/zone_policy.py``)
        self.green_weight = 0.0  # weight of energy and pollution in their assessment
        self.sector_value = np.zeros(0)  # points a yuan of each sector's value added earns
        self.courting = np.zeros(0)  # by sector: factor on where entrants settle, 2010 = 1
        self.courting_2010: np.ndarray | None = None  # each sector's points per mu in 2010
        self.works_share = 0.0  # of the city's new public works placed here
        self.works_gain_per_yuan = 0.0  # points a year a yuan of works earns through firms
        self.works_needs_per_yuan = 0.0  # and through the residents it serves

    def organise(self, layers_merged: float, departments_merged: float) -> None:
        """The offices' structure under this quarter's rules: the layers a file passes and
        the departments that sign it off at each."""
        self.layers = self.layers_2010 - layers_merged
        self.departments = self.departments_2010 * (1 - departments_merged)

    def signoff_work(self) -> float:
        """Sign-offs the files waiting here need: every department at every layer signs each
        file, whether one after another or at once through one window."""
        return (self.applications + self.backlog) * self.layers * self.departments

    def note_workload(self) -> None:
        """Keep the sign-offs the files now waiting need as the quarter's workload; the
        applications filed later in the quarter count towards the next one."""
        self.workload = self.signoff_work()

    def approval_factor(self) -> float:
        """How approval time scales firm entry here, relative to 2010."""
        return (self.approval_days / self.approval_days_2010) ** (-self.approval_elasticity)

    def convert_land(self, area_mu: float, from_use: str, to_use: str) -> None:
        """``area_mu`` of land changes use; construction land for the city joins the supply."""
        self.land_mu[from_use] -= area_mu
        self.land_mu[to_use] += area_mu
        self.land_available_mu += area_mu

    def __repr__(self) -> str:
        return f"GovernmentZone({self.name}, approval_days={self.approval_days:.0f})"
