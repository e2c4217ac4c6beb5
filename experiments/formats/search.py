"""The search file of ``ezhou search``: which levers to choose, what to aim for, over which
futures, with which algorithm.

A search file (TOML, ``experiments/specs/``)::

    name = "search_packages"
    base = "../../scenarios/full_programme.toml"   # relative to this file
    seed = 20110101        # the algorithm's, the futures' and the runs' seeds come from it
    end_year = 2020        # default: the base scenario's (so is scale)

    [algorithm]
    name = "nsga2"         # "nsga3" (reference directions, for more than three objectives);
    population = 24        # "auto" (the default): nsga2 up to three objectives, else nsga3
    generations = 10
    # partitions = 3       # nsga3: reference directions' partitions (default: as many
                           # directions as the population holds)

    [decisions."levers.talent.enabled"]        # a switch: both values (or choices = [...])
    [decisions."levers.talent.recruits_per_year"]
    range = [0, 4000]                          # a number between the two ends
    [decisions."levers.talent.start_year"]
    range = [2011, 2016]                       # a whole number where the lever is one
    [decisions."levers.investment_financing.selection"]
    choices = ["high_tech", "young"]

    [[objectives]]
    indicator = "goal2_per_capita_score"       # a column of the annual table
    year = 2020                                # or years = [first, last]: their mean
    sense = "max"                              # or "min"

    [[constraints]]                            # optional: kept within a limit
    indicator = "city_interest_share_of_receipts"
    year = 2020
    max = 0.15                                 # or min = ...

    [robustness]           # every candidate is run on the same futures and seeds
    seeds = 2              # seeds per future, averaged
    statistic = "mean"     # across futures; or "percentile" with percentile = p: the value
                           # that only p% of futures fall short of (the low side of an
                           # objective to maximise, the high side of one to minimise)
    samples = 8            # a Latin hypercube of futures over these conditions...
    [robustness.conditions."conditions.national_real_growth_pct"]
    range = [6.0, 11.0]
    # ...or futures listed one by one (not both):
    # [[robustness.futures]]
    # name = "steel_slump"
    # "conditions.steel_demand_growth_pct" = -10.0

Decisions are levers (``levers.<reform>.<key>``, as in experiment files); robustness
conditions are conditions or model parameters (``conditions.<key>``,
``parameters.<group>.<name>``). ``model = "dtlz2"`` replaces the model by the DTLZ2 test
problem (decisions ``x1`` .. ``xn`` in [0, 1], objectives ``f1`` .. ``fM`` to minimise), whose
Pareto front is known: a check of the whole search machinery. Every mistake is one line naming
the file, the key and what is allowed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from experiments.engine.model_task import LABEL
from experiments.errors import SpecError
from experiments.formats.designs import MAX_RUNS, FactorSpec, check_factor, lhs_points, table_points
from experiments.formats.factors import check_value, factor_field
from experiments.formats.reading import read_spec_text, validate_spec
from experiments.formats.sensitivity import base_scenario, check_indicator
from experiments.runner import spawn_seeds
from model.scenario import MAX_END_YEAR, START_YEAR, Scenario
from model.schema import Strict, lever

MODELS = ("ezhou", "dtlz2")
ALGORITHMS = ("auto", "nsga2", "nsga3")
NAME = r"^[A-Za-z0-9_.@-]{1,80}$"
Value = bool | int | float | str


class DecisionSpec(Strict):
    range: list[float] | None = Field(None, min_length=2, max_length=2)
    choices: list[Value] | None = Field(None, min_length=2, max_length=1000)


class Outcome(Strict):
    indicator: str = Field(description="A column of the annual table (docs/indicators.md).")
    year: int | None = Field(None, description="The year whose value counts.")
    years: list[int] | None = Field(
        None, min_length=2, max_length=2, description="[first, last]: the mean over these years."
    )
    name: str | None = Field(None, pattern=NAME)


class ObjectiveSpec(Outcome):
    sense: Literal["max", "min"]


class ConstraintSpec(Outcome):
    max: float | None = Field(None, allow_inf_nan=False)
    min: float | None = Field(None, allow_inf_nan=False)


class RobustnessSpec(Strict):
    seeds: int = lever(1, 1, 1000, "seeds per future", "Replications of each future.")
    statistic: Literal["mean", "percentile"] = "mean"
    percentile: float | None = Field(None, gt=0, lt=100, description="With percentile.")
    samples: int | None = lever(None, 1, 100_000, "futures", "Futures a Latin hypercube draws.")
    conditions: dict[str, FactorSpec] = Field(default_factory=dict)
    futures: list[dict[str, Any]] = Field(default_factory=list, max_length=100_000)


class AlgorithmSpec(Strict):
    name: Literal["auto", "nsga2", "nsga3"] = "auto"
    population: int = lever(40, 4, 100_000, "candidates", "Candidates per generation.")
    generations: int = lever(20, 1, 100_000, "generations", "Generations, the first included.")
    partitions: int | None = lever(None, 1, 100, "partitions", "NSGA-III reference directions.")


class DTLZ2Options(Strict):
    noise_sd: float = Field(0.0, ge=0.0, le=10.0, description="Gaussian noise per run's seed.")


class SearchSpec(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,80}$")
    description: str = Field("", max_length=5000)
    model: Literal["ezhou", "dtlz2"] = "ezhou"
    base: str | None = Field(None, description="Base scenario file, relative to this file.")
    seed: int = lever(20110101, 0, 2**32 - 1, "integer", "Seed of the search and the runs.")
    end_year: int | None = lever(None, START_YEAR, MAX_END_YEAR, "year", "Last simulated year.")
    scale: int | None = lever(None, 1, 1000, "households per agent", "Agent scale.")
    dtlz2: DTLZ2Options | None = None
    algorithm: AlgorithmSpec = Field(default_factory=AlgorithmSpec)
    decisions: dict[str, DecisionSpec] = Field(min_length=1, max_length=500)
    objectives: list[ObjectiveSpec] = Field(min_length=2, max_length=20)
    constraints: list[ConstraintSpec] = Field(default_factory=list, max_length=50)
    robustness: RobustnessSpec = Field(default_factory=RobustnessSpec)


@dataclass(frozen=True)
class Decision:
    """One decision variable as the algorithm sees it: a number between ``low`` and ``high``
    (whole for ``integer``), or the index of one of ``choices``."""

    path: str
    kind: Literal["real", "integer", "choice"]
    low: float
    high: float
    choices: tuple = ()

    def value(self, gene: float) -> Any:
        """The lever's value for the algorithm's gene (whole genes are rounded by the
        algorithm's repair already; rounding here keeps a stray one from being cut down)."""
        if self.kind == "choice":
            return self.choices[round(gene)]
        return round(gene) if self.kind == "integer" else float(gene)


@dataclass
class Search:
    """A checked search file: decisions, objectives, the futures and seeds of the ensemble."""

    path: Path
    text: str
    spec: SearchSpec
    base: Scenario | None  # with end_year and scale applied (None for dtlz2)
    decisions: list[Decision]
    futures: list[dict[str, Any]]  # condition values of each future ({} = the base's)
    seeds: list[int]  # each future runs with every one of these

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def objective_names(self) -> list[str]:
        return [outcome_name(objective) for objective in self.spec.objectives]

    @property
    def constraint_names(self) -> list[str]:
        return [outcome_name(constraint) for constraint in self.spec.constraints]

    @property
    def algorithm(self) -> Literal["nsga2", "nsga3"]:
        name = self.spec.algorithm.name
        if name == "auto":
            return "nsga2" if len(self.spec.objectives) <= 3 else "nsga3"
        return name

    @property
    def runs_per_candidate(self) -> int:
        return len(self.futures) * len(self.seeds)

    @property
    def n_runs(self) -> int:
        algo = self.spec.algorithm
        return algo.population * algo.generations * self.runs_per_candidate

    def fingerprint(self) -> str:
        """Hash of everything that decides the search's results (not its name or notes)."""
        content = {
            "engine": 1,
            "spec": self.spec.model_dump(mode="json", exclude={"name", "description", "base"}),
            "base": None
            if self.base is None
            else self.base.model_dump(mode="json", exclude={"name", "description"}),
            "futures": self.futures,
            "seeds": self.seeds,
        }
        text = json.dumps(content, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def outcome_name(outcome: Outcome) -> str:
    """An objective's or constraint's column name: its ``name``, else ``indicator@year`` or
    ``indicator@first-last`` (as ``ezhou discover`` reads outcomes)."""
    if outcome.name:
        return outcome.name
    if outcome.year is not None:
        return f"{outcome.indicator}@{outcome.year}"
    if outcome.years is not None:
        return f"{outcome.indicator}@{outcome.years[0]}-{outcome.years[1]}"
    return outcome.indicator


def load_search(path: str | Path) -> Search:
    """Read and check a search file; any mistake is one line naming the file, the key and
    what is allowed."""
    return parse_search(read_spec_text(path, "a search file"), Path(path))


def parse_search(text: str, path: Path) -> Search:
    src = str(path)
    spec = validate_spec(text, path, SearchSpec)

    def fail(key: str, message: str) -> None:
        raise SpecError(f"{src}: {key}: {message}")

    if spec.model == "dtlz2":
        base = None
        for key in ("base", "end_year", "scale"):
            if getattr(spec, key) is not None:
                fail(key, "not used by the dtlz2 test problem; remove it")
        decisions = _dtlz2_decisions(spec, fail)
    else:
        if spec.dtlz2 is not None:
            fail("dtlz2", "options for model = 'dtlz2' only")
        base = base_scenario(spec, path, fail, "search file")
        decisions = [_decision(path_, item, base, src) for path_, item in spec.decisions.items()]
        _check_reforms_on(spec, base, fail)
    _check_outcomes(spec, base, fail)
    _check_algorithm(spec, fail)
    futures = _futures(spec, base, src, fail)
    seeds = spawn_seeds(spec.seed, spec.robustness.seeds)
    search = Search(path, text, spec, base, decisions, futures, seeds)
    if search.n_runs > MAX_RUNS:
        fail(
            "algorithm",
            f"{spec.algorithm.population} candidates x {spec.algorithm.generations} generations "
            f"x {search.runs_per_candidate} runs each = {search.n_runs:,} runs; allowed at most "
            f"{MAX_RUNS:,}",
        )
    return search


def _decision(path: str, item: DecisionSpec, base: Scenario, src: str) -> Decision:
    where = f"{src}: decisions.{path}"
    if not path.startswith("levers."):
        raise SpecError(
            f"{where}: not a lever; allowed: levers.<reform>.<key> (conditions go under "
            "[robustness], where the city does not choose them)"
        )
    field = factor_field(path, where)
    if item.range is not None and item.choices is not None:
        raise SpecError(f"{where}: give range = [low, high] or choices = [...], not both")
    if item.choices is not None:
        values = [check_value(field, value, f"{where}.choices") for value in item.choices]
        if len(set(map(repr, values))) < len(values):
            raise SpecError(f"{where}.choices: {item.choices} repeats a value")
        return Decision(path, "choice", 0.0, float(len(values) - 1), tuple(values))
    if field.kind == "bool":
        if item.range is not None:
            raise SpecError(f"{where}.range: {path} is a switch; allowed: choices or nothing")
        return Decision(path, "choice", 0.0, 1.0, (False, True))
    if item.range is None:
        allowed = "choices = [...]" if field.kind in ("choice", "text") else "range or choices"
        raise SpecError(f"{where}: give {allowed}")
    check_factor(field, FactorSpec(range=item.range), "lhs", where)
    low, high = item.range
    if field.kind == "int":
        low, high = math.ceil(low), math.floor(high)
        if not low < high:
            raise SpecError(f"{where}.range: {item.range} holds fewer than two whole numbers")
        return Decision(path, "integer", float(low), float(high))
    return Decision(path, "real", float(low), float(high))


def _check_reforms_on(spec: SearchSpec, base: Scenario, fail) -> None:
    """A lever of a reform that is off in the base and not switched by a decision does
    nothing: the search would waste its runs on it."""
    for path in spec.decisions:
        reform = path.split(".")[1]
        if not getattr(base.levers, reform).enabled and f"levers.{reform}.enabled" not in (
            spec.decisions
        ):
            fail(
                f"decisions.{path}",
                f"the reform {reform!r} is off in the base scenario and not switched by a "
                f"decision, so the lever would do nothing; allowed: levers of reforms that are "
                f'on, or add [decisions."levers.{reform}.enabled"]',
            )


def _dtlz2_decisions(spec: SearchSpec, fail) -> list[Decision]:
    names = list(spec.decisions)
    expected = [f"x{i}" for i in range(1, len(names) + 1)]
    if names != expected:
        fail("decisions", f"{names}: allowed for dtlz2: x1, x2, ... in order ({expected})")
    if len(names) < len(spec.objectives):
        fail("decisions", f"dtlz2 needs at least as many decisions as objectives ({len(names)})")
    decisions = []
    for name, item in spec.decisions.items():
        if (
            item.range is None
            or item.choices is not None
            or not 0 <= item.range[0] < item.range[1] <= 1
        ):
            fail(f"decisions.{name}", "allowed for dtlz2: range = [low, high] within [0, 1]")
        decisions.append(Decision(name, "real", float(item.range[0]), float(item.range[1])))
    return decisions


def _check_outcomes(spec: SearchSpec, base: Scenario | None, fail) -> None:
    names: set[str] = set()
    outcomes = [("objectives", item) for item in spec.objectives]
    outcomes += [("constraints", item) for item in spec.constraints]
    counters = {"objectives": 0, "constraints": 0}
    for group, outcome in outcomes:
        key = f"{group}.{counters[group]}"
        counters[group] += 1
        if spec.model == "dtlz2":
            expected = f"f{counters['objectives']}"
            if group == "constraints":
                fail(key, "the dtlz2 test problem takes no constraints")
            if outcome.indicator != expected or outcome.year or outcome.years:
                fail(f"{key}.indicator", f"allowed for dtlz2: {expected!r} with no year")
            if outcome.sense != "min":
                fail(f"{key}.sense", "allowed for dtlz2: 'min'")
        else:
            check_indicator(outcome, base, key, fail)
        if group == "constraints" and (outcome.max is None) == (outcome.min is None):
            fail(key, "give max = limit or min = limit (one of them)")
        name = outcome_name(outcome)
        if name in names:
            fail(key, f"{name!r} is given twice (give one a name = ...)")
        names.add(name)


def _check_algorithm(spec: SearchSpec, fail) -> None:
    algo, robust = spec.algorithm, spec.robustness
    n_objectives = len(spec.objectives)
    nsga3 = algo.name == "nsga3" or (algo.name == "auto" and n_objectives > 3)
    if algo.partitions is not None and not nsga3:
        fail("algorithm.partitions", "only read by nsga3; remove it or set name = 'nsga3'")
    if (
        algo.partitions is not None
        and math.comb(n_objectives + algo.partitions - 1, algo.partitions) > algo.population
    ):
        directions = math.comb(n_objectives + algo.partitions - 1, algo.partitions)
        fail(
            "algorithm.partitions",
            f"{algo.partitions} partitions make {directions} reference directions for "
            f"{n_objectives} objectives; allowed: at most the population ({algo.population})",
        )
    if nsga3 and n_objectives > algo.population:
        fail(
            "algorithm.population",
            f"{algo.population}: nsga3 needs at least one candidate per objective ({n_objectives})",
        )
    if (robust.statistic == "percentile") != (robust.percentile is not None):
        fail(
            "robustness.percentile",
            "give percentile = p (0 < p < 100) with statistic = 'percentile', and only then",
        )


def _futures(spec: SearchSpec, base: Scenario | None, src: str, fail) -> list[dict[str, Any]]:
    """The futures every candidate is run on: a Latin hypercube over the conditions, the
    listed ones, or the base scenario's own."""
    robust = spec.robustness
    if spec.model == "dtlz2" and (robust.conditions or robust.futures or robust.samples):
        fail("robustness", "the dtlz2 test problem has no conditions; allowed: seeds, statistic")
    if robust.conditions and robust.futures:
        fail("robustness", "give conditions (a Latin hypercube) or futures (listed), not both")
    if robust.conditions:
        if robust.samples is None:
            fail("robustness.samples", "missing; a Latin hypercube needs the futures to draw")
        fields = []
        for path, item in robust.conditions.items():
            where = f"{src}: robustness.conditions.{path}"
            _check_condition_path(path, spec, where)
            field = factor_field(path, where)
            check_factor(field, item, "lhs", where)
            fields.append(field)
        seed = int(spec.seed)
        return lhs_points(fields, list(robust.conditions.values()), robust.samples, seed, src)
    if robust.samples is not None:
        fail("robustness.samples", "only read with [robustness.conditions] (a Latin hypercube)")
    if robust.futures:
        futures = table_points(robust.futures, base, f"{src}: robustness.futures")
        for path in futures[0]:
            if path != LABEL:
                _check_condition_path(path, spec, f"{src}: robustness.futures.{path}")
        return futures
    return [{}]


def _check_condition_path(path: str, spec: SearchSpec, where: str) -> None:
    if not re.match(r"^(conditions|parameters)\.", path):
        raise SpecError(
            f"{where}: not an outside condition; allowed: conditions.<key> or "
            "parameters.<group>.<name> (levers are decisions)"
        )
