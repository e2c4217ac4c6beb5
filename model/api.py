"""The model's public API: build a model from a scenario, run it, get its tables.

``experiments/`` and the app use only this module (and ``model.scenario``, ``model.reforms``
for the lever groups, ``model.indicators`` for the goal columns, ``model.calibration`` for the
documented data).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from model import banking, builds
from model.calibration import Params
from model.growth_records import imports_column  # noqa: F401 (the records' naming, for experiments/)
from model.indicators import annual_from_records, zone_table
from model.model import ReformModel
from model.scenario import Scenario

# the tables a run gives (RunResult's fields of the same names)
TABLES = ("annual", "quarterly", "zones", "distribution")


@dataclass
class RunResult:
    seed: int
    annual: pd.DataFrame  # one row per year
    quarterly: pd.DataFrame  # one row per quarter, the model's raw records
    zones: pd.DataFrame  # one row per year and zone
    wall_seconds: float  # time spent stepping the model
    household_agent_steps: int
    # income, wealth and land by decile, residence and zone at each year's end
    distribution: pd.DataFrame = field(default_factory=pd.DataFrame)


class Simulation:
    """One run of a scenario with one seed that advances a quarter at a time.

    ``result()`` at the end gives the same tables as :func:`simulate` (``reuse_build`` as
    there); ``tables``: those ``result()`` may be asked for (the zones' and distribution
    rows are made only for a run that keeps them).
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        *,
        params: Params | None = None,
        check_invariants: bool = True,
        reuse_build: bool = False,
        tables: Collection[str] = TABLES,
    ):
        if seed is not None:
            scenario = scenario.with_run(seed=seed)
        self.scenario = scenario
        self.tables = _known(tables)
        self._model = ReformModel(
            scenario,
            params=params,
            check_invariants=check_invariants,
            builds=builds.shared() if reuse_build else None,
            zone_rows="zones" in self.tables,
            distribution_rows="distribution" in self.tables,
        )

    @property
    def t(self) -> int:
        """Quarters simulated so far."""
        return self._model.t

    @property
    def n_quarters(self) -> int:
        return self._model.n_quarters

    @property
    def done(self) -> bool:
        return self._model.t >= self._model.n_quarters

    @property
    def household_agent_steps(self) -> int:
        """Household agents times the quarters they were simulated, so far."""
        return self._model.household_agent_steps

    def step(self) -> None:
        """Simulate the next quarter."""
        self._model.step()

    def quarterly(self) -> pd.DataFrame:
        """The model's raw records of the quarters simulated so far."""
        return self._model.quarterly_frame()

    def flows(self) -> pd.DataFrame:
        """The last quarter's payments between sectors: kind, payer, receiver, yuan (a loan
        written off has receiver ``"revaluation"`` and the change of the payer's net worth)."""
        rows = self._model.economy.ledger.flow_table()
        return pd.DataFrame(rows, columns=["kind", "payer", "receiver", "yuan"])

    def balance_sheets(self) -> pd.DataFrame:
        """Every sector's financial stocks now, and the produced capital it owns: instrument,
        sector, yuan (assets positive; real assets at this quarter's prices)."""
        economy = self._model.economy
        rows = banking.sector_balance_sheets(economy) + banking.real_assets(economy)
        return pd.DataFrame(rows, columns=["instrument", "sector", "yuan"])

    def result(self, tables: Collection[str] = TABLES) -> RunResult:
        """The run's tables; those not named in ``tables`` are left empty (a batch that keeps
        only the annual indicators need not build the zones' table)."""
        if not self.done:
            raise RuntimeError("the run has not reached its end year")
        missing = set(_known(tables)) - set(self.tables)
        if missing:
            raise ValueError(f"the run did not keep the table(s) {sorted(missing)}")
        model, empty = self._model, pd.DataFrame()
        return RunResult(
            seed=self.scenario.run.seed,
            # (the annual table straight from the quarters' records: their frame is made
            # only when asked for)
            annual=annual_from_records(model.records, model.economy.seed)
            if "annual" in tables
            else empty,
            quarterly=model.quarterly_frame() if "quarterly" in tables else empty,
            zones=zone_table(model.zone_frame()) if "zones" in tables else empty,
            wall_seconds=model.wall_seconds,
            household_agent_steps=self.household_agent_steps,
            distribution=(model.distribution_frame() if "distribution" in tables else empty),
        )


def _known(tables: Collection[str]) -> tuple[str, ...]:
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"no such table: {sorted(unknown)}; the tables are {TABLES}")
    return tuple(tables)


def build_cache() -> builds.BuildCache:
    """This process's kept 2010 builds, which runs with ``reuse_build`` draw on: its
    ``hits`` (runs started from a copy), ``misses`` (builds made), ``clear()``."""
    return builds.shared()


def simulate(
    scenario: Scenario,
    seed: int | None = None,
    *,
    params: Params | None = None,
    check_invariants: bool = True,
    reuse_build: bool = False,
    tables: Collection[str] = TABLES,
) -> RunResult:
    """Run one scenario with one seed (the scenario's own seed unless given); ``tables``
    names the tables to return (the others are empty), all four by default.

    ``reuse_build``: start from a copy of the 2010 economy if this process has built it for
    the same run settings, conditions and parameters before (and keep this one's build
    otherwise); the results are the same to the last bit. Worth it where a process runs many
    scenarios on the same seeds (batch workers, the app); a lone run only pays for the copy
    it keeps (``model/builds.py``)."""
    run = Simulation(
        scenario,
        seed,
        params=params,
        check_invariants=check_invariants,
        reuse_build=reuse_build,
        tables=tables,
    )
    while not run.done:
        run.step()
    return run.result(tables)
