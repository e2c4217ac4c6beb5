"""The sensitivity file of ``ezhou sensitivity``: its schema and every check it gets.

A sensitivity file (TOML, ``experiments/specs/``) names the parameters to vary (any numeric
lever or condition of the scenario schema, with bounds inside the field's allowed range, or any
number the model behaves by, ``parameters.<group>.<name>`` of
``model/calibration/parameters.toml``, with finite bounds; each with an optional
distribution), the outputs to explain (an indicator or goal score in a year, or its mean over
years, or the reforms' effect on it), the method and the replications per sample point::

    name = "sobol_core_reforms"
    base = "../../scenarios/full_programme.toml"   # relative to this file
    seed = 20110101        # the sample's and the runs' seeds come from it
    replications = 3       # seeds per sample point, averaged before the analysis
    end_year = 2020        # default: the base scenario's (so is scale)

    [method]
    name = "sobol"         # or morris (trajectories, levels), delta or pawn (n)
    n = 256                # a power of two
    second_order = false

    [[parameters]]
    path = "levers.talent.recruits_per_year"
    bounds = [0, 5000]

    [[parameters]]
    path = "parameters.labour.wage_adjust"   # an assumption of the model, not a lever
    bounds = [0.025, 0.075]

    [[outputs]]
    indicator = "goal2_per_capita_score"
    year = 2020

    [[outputs]]                # the reforms' effect: the base scenario's value minus the
    indicator = "goal2_per_capita_score"   # same run's with every reform switched off (same
    year = 2020                # seed, parameters and conditions; each sample point runs both)
    of = "effect"              # or "no_reforms": that counterfactual run's own value;
                               # "scenario" (the default): the base scenario's value

``model = "ishigami"`` replaces the model by the Ishigami function, whose Sobol indices are
known, as a check of the whole machinery (:mod:`experiments.analysis`). Any mistake is one line
naming the file, the key and what is allowed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from experiments.errors import SpecError
from experiments.formats.factors import check_value, factor_field
from experiments.formats.reading import read_spec_text, validate_spec
from model.scenario import (
    MAX_END_YEAR,
    START_YEAR,
    Scenario,
    ScenarioError,
    load_scenario,
)
from model.schema import Strict, lever

METHODS = ("morris", "sobol", "delta", "pawn")
MODELS = ("ezhou", "ishigami")
DISTRIBUTIONS = ("uniform", "triangular", "truncnorm")
ISHIGAMI_PARAMETERS = ("x1", "x2", "x3")
ISHIGAMI_OUTPUT = "y"
SEED_LIMIT = 2**32 - 1  # SALib and scipy take seeds below 2**32


class Parameter(Strict):
    path: str = Field(
        description="A lever or condition, as in scenario files, or parameters.<group>.<name>."
    )
    bounds: list[float] = Field(min_length=2, max_length=2, description="[lower, upper]")
    distribution: Literal["uniform", "triangular", "truncnorm"] = "uniform"
    mode: float | None = Field(None, description="Peak of a triangular distribution.")
    mean: float | None = Field(None, description="Mean of a truncated normal distribution.")
    sd: float | None = Field(None, gt=0, description="Standard deviation of a truncated normal.")


class Output(Strict):
    indicator: str = Field(description="A column of the annual table (docs/indicators.md).")
    of: Literal["scenario", "no_reforms", "effect"] = Field(
        "scenario",
        description="Which run's value: the base scenario's, the same run's with every reform "
        "switched off (same seed and parameters), or the first minus the second (the reforms' "
        "effect).",
    )
    year: int | None = Field(None, description="The year whose value is explained.")
    years: list[int] | None = Field(
        None, min_length=2, max_length=2, description="[first, last]: the mean over these years."
    )
    name: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]{1,80}$")


class Method(Strict):
    name: Literal["morris", "sobol", "delta", "pawn"]
    trajectories: int | None = lever(None, 2, 10_000, "trajectories", "Morris trajectories.")
    levels: int | None = lever(None, 2, 100, "levels", "Morris grid levels (even).")
    n: int | None = lever(None, 4, 2**22, "sample rows", "Sobol base sample; delta/pawn rows.")
    second_order: bool | None = Field(None, description="Sobol: also second-order indices.")
    slices: int | None = lever(None, 2, 100, "slices", "PAWN: conditioning slices.")


class Analysis(Strict):
    seed: int = lever(1, 0, SEED_LIMIT, "integer", "Seed of the bootstrap resampling.")
    resamples: int = lever(1000, 10, 100_000, "resamples", "Bootstrap resamples.")
    conf_level: float = Field(0.95, gt=0.5, lt=1.0, description="Level of the intervals.")


class IshigamiOptions(Strict):
    a: float = 7.0
    b: float = 0.1
    noise_sd: float = Field(0.0, ge=0.0, le=100.0, description="Gaussian noise per seed.")


class SensitivitySpec(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,80}$")
    description: str = Field("", max_length=5000)
    model: Literal["ezhou", "ishigami"] = "ezhou"
    base: str | None = Field(None, description="Base scenario file, relative to this file.")
    seed: int = lever(20110101, 0, SEED_LIMIT, "integer", "Seed of the sample and the runs.")
    replications: int = lever(1, 1, 1000, "runs per sample point", "Seeds per sample point.")
    paired_seeds: bool = True
    end_year: int | None = lever(None, START_YEAR, MAX_END_YEAR, "year", "Last simulated year.")
    scale: int | None = lever(None, 1, 1000, "households per agent", "Agent scale.")
    ishigami: IshigamiOptions | None = None
    method: Method
    analysis: Analysis = Field(default_factory=Analysis)
    parameters: list[Parameter] = Field(min_length=1, max_length=200)
    outputs: list[Output] = Field(min_length=1, max_length=200)


@dataclass(frozen=True)
class Study:
    """A checked sensitivity file, ready to sample and run."""

    spec: SensitivitySpec
    source: Path
    text: str  # the file as written
    base: Scenario | None  # the base scenario with the run overrides (ezhou model)

    @property
    def names(self) -> list[str]:
        return [parameter.path for parameter in self.spec.parameters]

    @property
    def output_names(self) -> list[str]:
        return [output_name(output) for output in self.spec.outputs]

    @property
    def method(self) -> str:
        return self.spec.method.name

    @property
    def against(self) -> Literal["no_reforms"] | None:
        """The counterfactual every run also simulates, if an output reads it."""
        return "no_reforms" if any(o.of != "scenario" for o in self.spec.outputs) else None


def output_name(output: Output) -> str:
    """The output's column name in outputs.csv and indices.csv."""
    if output.name:
        return output.name
    effect = "" if output.of == "scenario" else f".{output.of}"
    if output.year is not None:
        return f"{output.indicator}.{output.year}{effect}"
    if output.years is not None:
        return f"{output.indicator}.mean_{output.years[0]}_{output.years[1]}{effect}"
    return f"{output.indicator}{effect}"


def load_study(path: str | Path) -> Study:
    """Read and check a sensitivity file; any mistake is a one-line :class:`UserError` naming
    the file, the key and what is allowed."""
    path = Path(path)
    return parse_study(read_spec_text(path, "a sensitivity file"), path)


def parse_study(text: str, path: Path) -> Study:
    spec = validate_spec(text, path, SensitivitySpec)
    base = _check(spec, path)
    return Study(spec, path, text, base)


def _check(spec: SensitivitySpec, path: Path) -> Scenario | None:
    """What the schema alone cannot say: parameters that exist in the model with bounds in
    their range, outputs the model reports, a method with the settings it needs."""

    def fail(key: str, msg: str) -> None:
        raise SpecError(f"{path}: {key}: {msg}")

    _check_method(spec, fail)
    if spec.model == "ishigami":
        base = None
        for key in ("base", "end_year", "scale"):
            if getattr(spec, key) is not None:
                fail(key, "not used by the ishigami model; remove it")
    else:
        if spec.ishigami is not None:
            fail("ishigami", "options for model = 'ishigami' only")
        base = base_scenario(spec, path, fail)
    seen: set[str] = set()
    for i, parameter in enumerate(spec.parameters):
        key = f"parameters.{i}"
        if parameter.path in seen:
            fail(f"{key}.path", f"{parameter.path!r} is given twice")
        seen.add(parameter.path)
        if spec.model == "ishigami":
            if parameter.path not in ISHIGAMI_PARAMETERS:
                allowed = ", ".join(ISHIGAMI_PARAMETERS)
                fail(
                    f"{key}.path",
                    f"{parameter.path!r}: allowed for the Ishigami function: {allowed}",
                )
            _check_bounds(parameter, key, fail)
        else:
            _check_parameter(parameter, base, key, f"{path}: {key}", fail)
    missing = [name for name in ISHIGAMI_PARAMETERS if name not in seen]
    if spec.model == "ishigami" and missing:
        # every run evaluates the function at all three inputs: without one, each would fail
        fail(
            "parameters",
            f"no {', '.join(missing)}; allowed: the Ishigami function needs all of "
            f"{', '.join(ISHIGAMI_PARAMETERS)}, one [[parameters]] each",
        )
    names: set[str] = set()
    for i, output in enumerate(spec.outputs):
        key = f"outputs.{i}"
        _check_output(spec, base, output, key, fail)
        name = output_name(output)
        if name in names:
            fail(key, f"output {name!r} is given twice (give one a name = ...)")
        names.add(name)
    return base


def _check_method(spec: SensitivitySpec, fail) -> None:
    method = spec.method
    allowed = {
        "morris": {"trajectories", "levels"},
        "sobol": {"n", "second_order"},
        "delta": {"n"},
        "pawn": {"n", "slices"},
    }[method.name]
    for key in ("trajectories", "levels", "n", "second_order", "slices"):
        if getattr(method, key) is not None and key not in allowed:
            fail(
                f"method.{key}",
                f"not used by {method.name}; allowed for {method.name}: "
                f"{', '.join(sorted(allowed))}",
            )
    if method.name == "morris":
        if method.trajectories is None:
            fail("method.trajectories", "missing; morris needs the number of trajectories (2+)")
        if method.levels is not None and method.levels % 2:
            fail(
                "method.levels",
                f"{method.levels} is odd; allowed: an even number of levels (4, 6, 8)",
            )
    elif method.n is None:
        fail("method.n", f"missing; {method.name} needs the sample size n")
    elif method.name == "sobol" and method.n & (method.n - 1):
        lower = 1 << (method.n.bit_length() - 1)
        fail(
            "method.n",
            f"{method.n} is not a power of two; allowed: a power of two such as {lower} or "
            f"{lower * 2}",
        )
    if (
        method.name in ("delta", "pawn")
        and spec.replications > 1
        and method.n is not None
        and method.n < 20
    ):
        fail("method.n", f"{method.n} rows are too few for {method.name}; allowed: 20 or more")


def base_scenario(spec, path: Path, fail, what: str = "sensitivity file") -> Scenario:
    """The spec's base scenario (``base``, relative to the spec's folder; the defaults if
    none) with its ``end_year`` and ``scale``; ``fail(key, message)`` reports a mistake."""
    if spec.base is None:
        scenario = Scenario(name="default")
    else:
        where = Path(spec.base)
        if not where.is_absolute():
            where = path.parent / where
        if not where.is_file():
            fail(
                "base",
                f"{spec.base}: no such scenario file ({where}); a relative base is read "
                f"relative to the {what}'s folder, wherever the command runs",
            )
        try:
            scenario = load_scenario(where)
        except ScenarioError as exc:
            fail("base", str(exc))
    try:
        return scenario.with_run(end_year=spec.end_year, scale=spec.scale)
    except ScenarioError as exc:
        fail("end_year", str(exc).split(": ", 2)[-1])
    raise AssertionError  # pragma: no cover - fail() raises


def _check_parameter(parameter: Parameter, base: Scenario, key: str, where: str, fail) -> None:
    """A lever or condition with a continuous range, of a reform the base scenario enables,
    with bounds inside the field's range; or a model parameter holding a fractional number,
    with finite bounds."""
    field = factor_field(parameter.path, f"{where}.path")
    if field.kind != "float":
        what = "a whole number" if field.kind == "int" else f"a {field.kind}, not a number"
        fail(
            f"{key}.path",
            f"{parameter.path} is {what}; allowed: levers, conditions and parameters with a "
            "continuous range",
        )
    group = parameter.path.split(".")[1]
    if parameter.path.startswith("levers.") and not getattr(base.levers, group).enabled:
        fail(
            f"{key}.path",
            f"{parameter.path}: the reform {group!r} is off in the base scenario, so the lever "
            f"would do nothing; allowed: levers of enabled reforms "
            f"(set levers.{group}.enabled = true in the base)",
        )
    for end in parameter.bounds:  # first: a NaN bound is not a number, not a reversed range
        check_value(field, end, f"{where}.bounds")
    _check_bounds(parameter, key, fail)


def _check_bounds(parameter: Parameter, key: str, fail) -> None:
    lower, upper = parameter.bounds
    if not lower < upper:
        fail(
            f"{key}.bounds",
            f"[{lower:g}, {upper:g}] is reversed or empty; allowed: [lower, upper] with "
            "lower < upper",
        )
    needs = {"uniform": set(), "triangular": {"mode"}, "truncnorm": {"mean", "sd"}}[
        parameter.distribution
    ]
    for name in ("mode", "mean", "sd"):
        value = getattr(parameter, name)
        if value is not None and name not in needs:
            allowed = ", ".join(sorted(needs)) or "bounds only"
            fail(
                f"{key}.{name}",
                f"not used by a {parameter.distribution} distribution; allowed: {allowed}",
            )
        if value is None and name in needs:
            fail(
                f"{key}.{name}",
                f"missing; a {parameter.distribution} distribution needs "
                f"{' and '.join(sorted(needs))}",
            )
    for name in ("mode", "mean"):
        value = getattr(parameter, name)
        if value is not None and not lower <= value <= upper:
            fail(f"{key}.{name}", f"{value:g} lies outside the bounds [{lower:g}, {upper:g}]")


def _check_output(
    spec: SensitivitySpec, base: Scenario | None, output: Output, key: str, fail
) -> None:
    if output.of != "scenario" and spec.model == "ishigami":
        fail(f"{key}.of", "the Ishigami function has no reforms; allowed: of = 'scenario'")
    if output.of != "scenario" and not any(group.enabled for group in dict(base.levers).values()):
        # sensitivity factors are continuous, so none can switch a reform on: the
        # counterfactual would be the scenario itself
        fail(
            f"{key}.of",
            f"{output.of!r}: the base scenario enables no reform, so it is its own no-reform "
            "counterfactual; allowed: of = 'scenario', or a base scenario with reforms on "
            "(such as full_programme.toml)",
        )
    if spec.model == "ishigami":
        if output.indicator != ISHIGAMI_OUTPUT:
            fail(
                f"{key}.indicator",
                f"{output.indicator!r}: the Ishigami function has one output, 'y'",
            )
        if output.year is not None or output.years is not None:
            fail(f"{key}.year", "the Ishigami function has no years; remove year/years")
        return
    check_indicator(output, base, key, fail)


def check_indicator(output, base: Scenario, key: str, fail) -> None:
    """An output of the model: an indicator of the annual table, in a simulated year or
    averaged over years (``year`` or ``years``); ``fail(key, message)`` reports a mistake."""
    known = indicator_names()
    if output.indicator not in known:
        close = difflib.get_close_matches(output.indicator, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(
            f"{key}.indicator",
            f"{output.indicator!r} is not an indicator{hint}; allowed: a column of the annual "
            "table, such as goal1_levels_score or gdp_per_capita_yuan (docs/indicators.md)",
        )
    first, last = base.run.start_year, base.run.end_year
    if (output.year is None) == (output.years is None):
        fail(key, "give year = Y or years = [first, last] (their mean), one of the two")
    where = f"{key}.year" if output.year is not None else f"{key}.years"
    if output.years is not None and output.years[0] > output.years[1]:
        fail(where, f"{output.years} is reversed; allowed: [first, last] with first <= last")
    for year in [output.year] if output.year is not None else output.years:
        if not first <= year <= last:
            fail(where, f"{year} is outside the simulated years; allowed: {first} to {last}")


@lru_cache(maxsize=1)
def indicator_names() -> frozenset[str]:
    """The annual table's columns, read off a one-year run of a coarse model (a tenth of a
    second), so that the check follows the model whatever columns it adds."""
    from model.api import simulate

    probe = Scenario(name="probe").with_run(scale=1000, end_year=START_YEAR)
    annual = simulate(probe, check_invariants=False).annual
    return frozenset(column for column in annual.columns if column not in ("year", "seed"))
