"""The calibrated 2010 economy, built once per process and copied for each run.

A run starts from the economy ``model/setup.py`` builds. That build depends on exactly
three things: the run settings (seed, years, scale), the outside world as far as the build
looks at it, and the parameters, and it draws from the model's generator, which the seed
starts. It looks at little of the world: the first quarter of five paths (the price level,
consumer prices, the lending rate, Wuhan's wage, the capacity cut; ``setup.WORLD_READ``),
and it is given only those (``setup.seen_world``), so that reading more fails. National
growth, the steel price and every condition's later years cannot reach it, nor can the
levers: :func:`setup.build` is not given them. Runs that share the three (the design
points of a batch on the same seeds, even where they vary such conditions; a reform run and
its no-reform twin; the app's scenarios on its five seeds) can start from one build:
:class:`BuildCache` keeps the economies it has built, keyed by all three, and gives each run
a deep copy of one, its generator at the position the build left it, its agents registered
with the run's own model under the same ids in the same order, and the run's own outside
world attached. A run from a copy gives the same results, to the last bit, as a run that
built its own (``tests/test_builds.py``).

The same holds one year further on. No reform acts in the run's first year (2010, the
calibration year) unless one of its levers starts then, so a run's state at the end of that
year depends only on its build, the outside world of that year and the switches that change
what it records (:func:`first_year_key`). The first run with a key simulates the year seeing
nothing of the world beyond it (:meth:`OutsideWorld.first_quarters`; a read beyond fails),
and hands a copy of its state (economy, generators, agents' ids, the rows recorded so far) to
the cache; every later run with the key starts from a copy of that at the start of 2011, its
reforms set up as the 2010 build would have them, Mesa's clock moved over the four quarters.
Batch designs that vary levers, a reform run and its no-reform twin, the app's scenarios:
each seed's 2010 is simulated once per process (``tests/test_first_year.py``).

The cache holds at most 16 builds and 16 first years (least recently used go first) within
300 MB: at the default scale a build takes about 0.7 MB, a city of every household (about
340,000 agents) about 70 MB (its agents are kept as ids until someone reads them:
``agents/registry.py``).
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import mesa

from model import setup
from model.agents import registry
from model.calibration import Params
from model.conditions import OutsideWorld
from model.economy import Economy
from model.reforms import none_in_force
from model.scenario import Conditions, RunSettings

MAX_BUILDS = 16  # at the default scale a build takes about 0.7 MB, at scale 10 about 7
# budget for all kept builds together: four cities of every household (about 70 MB each) fit
MAX_MB = 300.0
# the run's first year (2010, the calibration year): no reform acts in it unless a lever
# starts then, so runs that differ only in their levers (or in later years of the outside
# world) pass through the same first year
FIRST_YEAR_QUARTERS = 4


def build_key(run: RunSettings, seen: OutsideWorld, params: Params) -> str:
    """Everything the 2010 build depends on, as one string: two runs share a build only if
    their keys are equal. Every run setting (the seed starts the model's generator), the
    outside world as the build sees it (``seen``, from :func:`setup.seen_world`: the first
    quarter of the few paths it reads) and a digest of every parameter."""
    settings = {
        "run": run.model_dump(mode="json"),
        "world": seen.values(),
        "parameters": params.fingerprint(),
    }
    return json.dumps(settings, sort_keys=True)


@dataclass
class Build:
    """A built economy kept for copying. Its agents are registered with ``holder``, a model
    that never runs; nothing may change the economy once it is kept."""

    holder: mesa.Model
    economy: Economy
    megabytes: float


# a run's city and zone rows so far (a dict a row) and its distribution rows (a dict of
# columns a year, read-only arrays and tuples: a copy may share them)
Rows = tuple[list, list, list]


@dataclass
class FirstYear:
    """A run's state at the end of its first year, kept for copying: its economy (agents
    registered with ``holder``, a model that never runs), the villages its reforms were told
    of at the start, the rows it recorded and the household-agent steps it took."""

    holder: mesa.Model
    economy: Economy
    village_count: int
    rows: Rows
    agent_steps: int
    megabytes: float


@dataclass
class Start:
    """Where a run starts (:meth:`BuildCache.start`): its economy (in quarter 0, or at the
    end of the first year), the villages its reforms are told of, the rows and household-
    agent steps of the quarters behind it; and, for a run that should keep its first year,
    the key to keep it under and the whole world to attach then."""

    economy: Economy
    village_count: int
    rows: Rows = field(default_factory=lambda: ([], [], []))
    agent_steps: int = 0
    keep_as: str | None = None
    world: OutsideWorld | None = None


def first_year_key(build: str, world: OutsideWorld, rows: tuple[bool, ...]) -> str:
    """Everything a run's first year depends on when no reform is in force in it: its build
    (``build``, from :func:`build_key`), the whole outside world in that year and the
    switches that change what it records."""
    settings = {
        "build": build,
        "world": world.first_quarters(FIRST_YEAR_QUARTERS).values(),
        "rows": list(rows),
    }
    return json.dumps(settings, sort_keys=True)


def _copy_rows(rows: Rows) -> Rows:
    return tuple([dict(row) for row in kind] for kind in rows)  # type: ignore[return-value]


def copy_economy(source: mesa.Model, economy: Economy, target: mesa.Model) -> Economy:
    """A deep copy of ``economy`` (whose agents are registered with ``source``) for
    ``target``, a fresh model with the same seed: ``target``'s generators are set to where
    ``source``'s stand, every agent is copied into ``target`` with its id, and the copy's
    tables, accounts and agents' states are its own. The parameters are shared (read-only)."""
    target.rng.bit_generator.state = source.rng.bit_generator.state
    target.random.setstate(source.random.getstate())
    memo: dict[int, object] = {
        id(source): target,
        id(source.rng): target.rng,
        id(source.random): target.random,
        id(economy.params): economy.params,
    }
    if not isinstance(target, registry.TableAgentModel):
        economy.agents.materialize()  # (a plain Mesa model is given every agent's object)
    copies = registry.copy_agents(source, target, memo)
    memo[id(economy.agents)] = economy.agents.copy_for(target, copies)
    return copy.deepcopy(economy, memo)


def _size_mb(economy: Economy) -> float:
    """What a kept build occupies, roughly: its tables' columns and its agents."""
    tables = economy.households.nbytes() + economy.firms.nbytes() + economy.villages.nbytes()
    return (tables + economy.agents.nbytes()) / 1e6


class BuildCache:
    """Built 2010 economies by :func:`build_key`, and first years by :func:`first_year_key`,
    least recently used first out; safe to share between threads."""

    def __init__(
        self, max_builds: int = MAX_BUILDS, max_mb: float = MAX_MB, first_years: bool = True
    ):
        self.max_builds = max_builds
        self.max_mb = max_mb
        self.first_years = first_years  # whether to keep and share first years as well
        self._builds: OrderedDict[str, Build] = OrderedDict()
        self._years: OrderedDict[str, FirstYear] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0  # economies copied from a kept build
        self.misses = 0  # economies built
        self.year_hits = 0  # runs started from a kept first year

    def start(
        self,
        model: mesa.Model,
        run: RunSettings,
        conditions: Conditions,
        params: Params,
        levers: Any,
        rows: tuple[bool, ...],
    ) -> Start:
        """Where ``model`` (fresh, seeded with ``run.seed``) starts: from a copy of a kept
        first year with the same :func:`first_year_key` if there is one and no reform of
        ``levers`` is in force in the first year; otherwise from the 2010 economy
        (:meth:`economy_for`), and then, if no reform is in force in the first year, with
        the key to keep its first year under and the world cut to that year until then.
        ``rows``: the run's switches that change what it records (they are in the key)."""
        world = OutsideWorld.from_conditions(conditions, run.start_year, run.end_year)
        seen = setup.seen_world(world)
        key = build_key(run, seen, params)
        quarters = FIRST_YEAR_QUARTERS
        if (
            not self.first_years
            or len(world.years) <= quarters
            or not none_in_force(levers, run.start_year, quarters)
        ):
            economy = self._economy(model, run, world, seen, key, params)
            return Start(economy, economy.villages.n)
        year_key = first_year_key(key, world, rows)
        copied = self._copy_kept(self._years, year_key, model, world)
        if copied is not None:
            kept, economy = copied
            with self._lock:
                self.year_hits += 1
            return Start(economy, kept.village_count, _copy_rows(kept.rows), kept.agent_steps)
        economy = self._economy(model, run, world, seen, key, params)
        # until the first year is kept the run sees that year alone: a read beyond fails
        economy.world = world.first_quarters(quarters)
        return Start(economy, economy.villages.n, keep_as=year_key, world=world)

    def keep_first_year(self, model: mesa.Model, start: Start, rows: Rows, steps: int) -> None:
        """Keep a copy of the economy ``model`` started from (``start``, which named the key
        to keep it under) at the end of its first year, with the rows recorded so far and
        the household-agent steps taken; then give the economy its whole world."""
        economy = start.economy
        megabytes = _size_mb(economy)
        if megabytes <= self.max_mb and registry.can_copy(
            model, holder := registry.TableAgentModel(rng=economy.seed)
        ):
            kept = FirstYear(
                holder,
                copy_economy(model, economy, holder),
                start.village_count,
                _copy_rows(rows),
                steps,
                megabytes,
            )
            with self._lock:
                self._years[start.keep_as] = kept
                self._years.move_to_end(start.keep_as)
                self._trim()
        economy.world = start.world

    def economy_for(
        self, model: mesa.Model, run: RunSettings, conditions: Conditions, params: Params
    ) -> Economy:
        """The 2010 economy for ``model`` (fresh, seeded with ``run.seed``): a copy of the
        kept build with the same key, or a new build, which is then kept; either way with
        the run's own outside world attached (a kept build holds only what its build saw)."""
        world = OutsideWorld.from_conditions(conditions, run.start_year, run.end_year)
        seen = setup.seen_world(world)
        return self._economy(model, run, world, seen, build_key(run, seen, params), params)

    def _economy(
        self,
        model: mesa.Model,
        run: RunSettings,
        world: OutsideWorld,
        seen: OutsideWorld,
        key: str,
        params: Params,
    ) -> Economy:
        copied = self._copy_kept(self._builds, key, model, world)
        if copied is not None:
            with self._lock:
                self.hits += 1
            return copied[1]
        with self._lock:
            self.misses += 1
        economy = setup.build_seeing(model, run, seen, params)
        megabytes = _size_mb(economy)  # (a build past the budget is not even copied)
        if megabytes <= self.max_mb and registry.can_copy(
            model, holder := registry.TableAgentModel(rng=run.seed)
        ):
            self._keep(key, Build(holder, copy_economy(model, economy, holder), megabytes))
        economy.world = world
        return economy

    def _copy_kept(
        self, store: OrderedDict, key: str, model: mesa.Model, world: OutsideWorld
    ) -> tuple[Build | FirstYear, Economy] | None:
        """What ``store`` keeps under ``key`` and a copy of its economy for ``model`` with
        the run's whole ``world``; None if it keeps nothing there (or ``model`` cannot take
        a copy)."""
        with self._lock:
            kept = store.get(key)
            if kept is not None:
                store.move_to_end(key)
        if kept is None or not registry.can_copy(kept.holder, model):
            return None
        economy = copy_economy(kept.holder, kept.economy, model)
        economy.world = world
        return kept, economy

    def _keep(self, key: str, build: Build) -> None:
        with self._lock:
            self._builds[key] = build
            self._builds.move_to_end(key)
            self._trim()

    def _trim(self) -> None:
        """Within the bounds (the lock held): the least recently used first out, builds
        before first years when the memory is short."""
        while len(self._builds) > self.max_builds:
            self._builds.popitem(last=False)
        while len(self._years) > self.max_builds:
            self._years.popitem(last=False)
        while self._total_mb() > self.max_mb:
            (self._builds or self._years).popitem(last=False)

    def _total_mb(self) -> float:
        kept = [*self._builds.values(), *self._years.values()]
        return sum(each.megabytes for each in kept)

    def megabytes(self) -> float:
        """What the kept builds and first years occupy together, roughly."""
        with self._lock:
            return self._total_mb()

    def __len__(self) -> int:
        """The builds kept (first years aside)."""
        return len(self._builds)

    def first_years_kept(self) -> int:
        """The first years kept."""
        return len(self._years)

    def clear(self) -> None:
        with self._lock:
            self._builds.clear()
            self._years.clear()


_SHARED = BuildCache()


def shared() -> BuildCache:
    """This process's cache of builds, which every run asked to reuse a build draws on."""
    return _SHARED
