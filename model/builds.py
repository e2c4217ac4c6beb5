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

The cache holds at most 16 builds (least recently used go first) within 300 MB: at the
default scale a build takes about 0.7 MB, a city of every household (about 340,000 agents)
about 70 MB (its agents are kept as ids until someone reads them: ``agents/registry.py``).
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import mesa

from model import setup
from model.agents import registry
from model.calibration import Params
from model.conditions import OutsideWorld
from model.economy import Economy
from model.scenario import Conditions, RunSettings

MAX_BUILDS = 16  # at the default scale a build takes about 0.7 MB, at scale 10 about 7
# budget for all kept builds together: four cities of every household (about 70 MB each) fit
MAX_MB = 300.0


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
    """Built 2010 economies by :func:`build_key`, least recently used first out; safe to
    share between threads."""

    def __init__(self, max_builds: int = MAX_BUILDS, max_mb: float = MAX_MB):
        self.max_builds = max_builds
        self.max_mb = max_mb
        self._builds: OrderedDict[str, Build] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0  # economies copied from a kept build
        self.misses = 0  # economies built

    def economy_for(
        self, model: mesa.Model, run: RunSettings, conditions: Conditions, params: Params
    ) -> Economy:
        """The 2010 economy for ``model`` (fresh, seeded with ``run.seed``): a copy of the
        kept build with the same key, or a new build, which is then kept; either way with
        the run's own outside world attached (a kept build holds only what its build saw)."""
        world = OutsideWorld.from_conditions(conditions, run.start_year, run.end_year)
        seen = setup.seen_world(world)
        key = build_key(run, seen, params)
        with self._lock:
            kept = self._builds.get(key)
            if kept is not None:
                self._builds.move_to_end(key)
        if kept is not None and registry.can_copy(kept.holder, model):
            with self._lock:
                self.hits += 1
            economy = copy_economy(kept.holder, kept.economy, model)
            economy.world = world
            return economy
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

    def _keep(self, key: str, build: Build) -> None:
        with self._lock:
            self._builds[key] = build
            self._builds.move_to_end(key)
            while len(self._builds) > self.max_builds or self._total_mb() > self.max_mb:
                self._builds.popitem(last=False)

    def _total_mb(self) -> float:
        return sum(build.megabytes for build in self._builds.values())

    def megabytes(self) -> float:
        """What the kept builds occupy together, roughly."""
        with self._lock:
            return self._total_mb()

    def __len__(self) -> int:
        return len(self._builds)

    def clear(self) -> None:
        with self._lock:
            self._builds.clear()


_SHARED = BuildCache()


def shared() -> BuildCache:
    """This process's cache of builds, which every run asked to reuse a build draws on."""
    return _SHARED
