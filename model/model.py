"""ReformModel: Ezhou from the start of 2010, one quarter per step.

The model holds the economy (``model/economy.py``: every table, agent and account) and the
reforms of the scenario; :meth:`ReformModel.step` is the quarter's schedule, one call per
phase. ``docs/architecture.md`` lists what each phase reads and writes, and where each
reform acts; ``docs/ODD.md`` describes the model.
"""

from __future__ import annotations

import time

import pandas as pd

from model import (
    approvals,
    background,
    banking,
    distribution,
    environment,
    fiscal,
    income,
    infrastructure,
    invariants,
    population,
    records,
    services,
    setup,
    turnover,
)
from model.agents import firm, household, household_transfers
from model.agents.registry import TableAgentModel
from model.builds import FIRST_YEAR_QUARTERS, BuildCache, Start
from model.calibration import Params, load_parameters
from model.indicators import columns_frame, records_frame
from model.markets import credit, goods, housing, labour, land, wages
from model.reforms import Reform, build_reforms
from model.reforms.actions import Actions
from model.rules import Rules
from model.scenario import Scenario


class ReformModel(TableAgentModel):
    """The Ezhou reform simulator. ``ReformModel(scenario)``; ``run()`` to the end year.

    With ``builds`` (a :class:`model.builds.BuildCache`) the 2010 economy is copied from an
    identical build made earlier in this process, if there is one; results are the same.
    ``zone_rows`` and ``distribution_rows``: whether to keep the zones' rows of each quarter
    and the distribution rows of each year (a run whose caller reads neither need not make
    them; the city's rows and every other result are the same)."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        params: Params | None = None,
        check_invariants: bool = True,
        builds: BuildCache | None = None,
        zone_rows: bool = True,
        distribution_rows: bool = True,
    ):
        scenario = scenario or Scenario()
        super().__init__(rng=scenario.run.seed)
        self.reform_scenario = scenario  # (``scenario`` is Mesa's own attribute)
        self.check_invariants = check_invariants
        self.keeps_zone_rows, self.keeps_distribution_rows = zone_rows, distribution_rows
        params = params or load_parameters()
        # the 2010 economy: built here, or copied from an identical build kept in ``builds``,
        # or the end of an identical first year kept there (the quarters before it then
        # pass on Mesa's clock without being simulated again: the same results)
        if builds is None:
            economy = setup.build(self, scenario.run, scenario.conditions, params)
            start = Start(economy, economy.villages.n)
        else:
            run, conditions, levers = scenario.run, scenario.conditions, scenario.levers
            rows = (zone_rows, distribution_rows, check_invariants)  # (what it records)
            start = builds.start(self, run, conditions, params, levers, rows)
        self.economy = start.economy
        setting = setup.reform_setting(self.economy, start.village_count)
        self.reforms = build_reforms(setting, scenario.levers)
        city_rows, self._zone_records, year_rows = start.rows
        # a large run makes each quarter's household sums and each year's distribution on a
        # second core, if there is one (the checks read each quarter's row at once: with
        # them the sums are made at once)
        large = background.worth_a_thread(self.economy.households.n)
        rows_beside, years_beside = large and not check_invariants, large and distribution_rows
        self._thread = background.OneThread() if rows_beside or years_beside else None
        pool = self._thread.pool if self._thread is not None else None
        self._rows = background.InOrder(city_rows, pool if rows_beside else None)
        self._year_ends = background.InOrder(year_rows, pool if years_beside else None)
        self.household_agent_steps = start.agent_steps  # households times quarters so far
        self.wall_seconds = 0.0  # time spent in the quarters so far
        self._quarter_started = 0.0
        self._keep = (builds, start) if start.keep_as is not None else None
        self._pass_quarters(self.economy.clock.t)

    def _pass_quarters(self, quarters: int) -> None:
        """Move Mesa's clock over the ``quarters`` a copied first year holds: its steps and
        time as if this model had simulated them."""
        simulate, self._user_step = self._user_step, lambda: None
        try:
            for _ in range(quarters):
                self.step()
        finally:
            self._user_step = simulate

    @property
    def t(self) -> int:
        """Quarters simulated so far."""
        return self.economy.clock.t

    @property
    def n_quarters(self) -> int:
        return self.economy.clock.n_quarters

    @property
    def records(self) -> list[dict]:
        """The city's row of each quarter so far, in order (``records.py``)."""
        return self._rows.results()

    @property
    def zone_records(self) -> list[dict]:
        """The zones' rows of each quarter so far, in order."""
        self._rows.results()  # (their household sums are filled in with the city's)
        return self._zone_records

    @property
    def distribution_records(self) -> list[dict]:
        """Each year's distribution columns so far (``distribution.year_columns``), in order."""
        return self._year_ends.results()

    @property
    def household_agents(self) -> dict[int, household.Household]:
        """The household agents by table row."""
        return self.economy.agents.households

    @property
    def n_household_agents(self) -> int:
        """How many household agents the model holds (without making their objects)."""
        return self.economy.agents.count("households")

    def step(self) -> None:
        """One quarter, phase by phase (docs/architecture.md: what each reads, writes)."""
        economy = self.economy
        in_force, opening = self._open_quarter()  # 0 the quarter's rules, prices and drift
        people = population.update(economy)  # 1 births, deaths, migration, moves to town
        offices = approvals.update(economy)  # 2 approvals served, firms out and in
        firms_in_out = turnover.update(economy)
        reform_counts = self._reforms_act(in_force)  # what reforms do to agents
        firm.update_productivity(economy)
        turnover.cut_capacity(economy)
        wages.adjust(economy)
        jobs = labour.clear(economy)  # 3 labour market; each worker paid by the job held
        # 4 plans and their finance; households stay where they are from here on, so last
        # quarter's incomes and the transfers due are worked out once and handed on
        last_income = household.plan_consumption(economy)
        # (who lives where is settled by now: housing and the services read it once)
        housing.plan(economy, last_income, residents := services.residents(economy))
        transfers = household_transfers.transfers_due(economy)
        fiscal.plan(economy, transfers, jobs.public_workers)
        finance = credit.clear(economy)
        firm.produce(economy)  # 5 production and the goods market
        household.produce(economy)
        sales = goods.clear(economy, finance.firm_investment_yuan)
        incomes = income.distribute(economy, transfers, jobs.employer_bin)  # 6 incomes
        land_use = land.clear(economy, jobs.public_workers)  # 7 land, then the accounts settle
        dividends = income.pay_village_dividends(economy)
        city = fiscal.settle(economy, incomes, land_use)
        disposable = household.settle(economy, incomes.household_interest_due)
        banks = banking.close_quarter(economy)
        delivered = services.update(economy, incomes.public_wages, residents)  # 8 public capital
        works = infrastructure.build(economy, delivered.residents)
        nature = environment.update(economy)
        firm.depreciate(economy)
        results = records.QuarterResults(people, offices, firms_in_out, reform_counts, jobs,
            finance, sales, incomes, land_use, dividends, city, disposable, banks, delivered,
            works, nature)  # fmt: skip
        self._record(results, opening)  # 9 records and checks; the clock moves on

    def _open_quarter(self) -> tuple[list[tuple[Reform, float]], invariants.Opening | None]:
        """Start the quarter: take the opening balances the checks need, empty its flows,
        set its prices and rules (the reforms in force adjust the pre-reform rules), and let
        slow trends move. Returns the reforms in force with their strength, and the opening
        balances (None without checks)."""
        economy = self.economy
        self._quarter_started = time.perf_counter()  # (``_record`` adds the quarter's time)
        self.household_agent_steps += self.n_household_agents
        opening = invariants.opening(economy) if self.check_invariants else None
        params, t = economy.params, economy.clock.t
        if t >= economy.clock.n_quarters:
            raise RuntimeError("the model has reached its end year")
        economy.ledger.reset()
        economy.flows = type(economy.flows)()
        economy.price_level = float(economy.world.price_level[t])
        economy.cpi = float(economy.world.cpi[t])
        households, villages = economy.households, economy.villages
        households.inc_compensation[: households.n] = 0.0
        villages.income_yuan[: villages.n] = 0.0
        rules = economy.rules = Rules.baseline(params)
        in_force = [(reform, reform.strength(t)) for reform in self.reforms]
        in_force = [(reform, strength) for reform, strength in in_force if strength > 0]
        for reform, strength in in_force:
            reform.apply_rules(rules, strength)
        # household producers' productivity drifts with firms', from the first quarter on
        growth = (
            params.firms.tfp_growth_share * economy.world.national_real_growth[t]
            + params.firms.catch_up_growth
        )
        productivity = economy.productivity
        productivity.household_index *= (1 + growth) ** 0.25
        productivity.farm_index *= (1 + growth + rules.rural_productivity_boost) ** 0.25
        return in_force, opening

    def _reforms_act(self, in_force: list[tuple[Reform, float]]) -> dict[str, float]:
        """Each reform in force acts on agents; returns what they did, as counts."""
        actions = Actions(self.economy)
        counts: dict[str, float] = {}
        for reform, strength in in_force:
            counts.update(reform.act(actions, strength))
        return counts

    def _record(self, results: records.QuarterResults, opening: invariants.Opening | None):
        """Keep the quarter's rows, check the invariants, and move the clock on."""
        economy = self.economy
        rows = self._rows
        pending = records.start(economy, results, self.keeps_zone_rows, copy=rows.background)
        rows.add(records.finish, pending)  # (the household sums: now, or beside the next quarter)
        self._zone_records.extend(pending.zone_rows)
        if opening is not None:
            invariants.check(economy, opening, results.population, self.records[-1])
        economy.last_gdp_yuan = pending.row["gdp_yuan"]
        firm.update_expectations(economy, results.goods.supply)
        if (economy.clock.t + 1) % 4 == 0:
            if self.keeps_distribution_rows:
                self._year_ends.add(distribution.year_columns, distribution.year_inputs(economy))
            distribution.close_year(economy)
            firm.close_year(economy)
        economy.clock.t += 1
        if economy.clock.t == economy.clock.n_quarters:
            self._close_beside()  # (the last quarter's sums and year are in the run's time)
        if self._keep is not None and economy.clock.t == FIRST_YEAR_QUARTERS:
            self._keep_first_year()
        self.wall_seconds += time.perf_counter() - self._quarter_started

    def _close_beside(self) -> None:
        """Wait for the work on the second core, then let its thread go."""
        try:
            self._rows.close()
        finally:
            try:
                self._year_ends.close()
            finally:
                if self._thread is not None:
                    self._thread.close()
                    self._thread = None

    def _keep_first_year(self) -> None:
        """Hand the first year to the cache the run was started from (then see the whole
        world)."""
        builds, start = self._keep
        self._keep = None
        rows = (self.records, self.zone_records, self.distribution_records)
        builds.keep_first_year(self, start, rows, self.household_agent_steps)

    # ------------------------------------------------------------------ running
    def run(self, until_year: int | None = None) -> ReformModel:
        end = until_year or self.economy.clock.end_year
        clock = self.economy.clock
        while clock.t < clock.n_quarters and clock.years[clock.t] <= end:
            self.step()
        return self

    def quarterly_frame(self) -> pd.DataFrame:
        return records_frame(self.records, self.economy.seed)

    def zone_frame(self) -> pd.DataFrame:
        return records_frame(self.zone_records, self.economy.seed)

    def distribution_frame(self) -> pd.DataFrame:
        """Income, wealth and land by decile at each year's end (``model/distribution.py``)."""
        return columns_frame(self.distribution_records, self.economy.seed)
