"""Global sensitivity analysis: which levers and conditions drive each goal.

A sensitivity file (TOML, ``experiments/specs/``) names the parameters to vary (any numeric
lever or condition of the scenario schema, with bounds inside the field's allowed range and an
optional distribution), the outputs to explain (an indicator or goal score in a year, or its
mean over years), the method and the replications per sample point::

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

    [[outputs]]
    indicator = "goal2_per_capita_score"
    year = 2020

:func:`run_study` samples with SALib (fixed seed), runs every sample row ``replications``
times through the batch engine (run_id = row × replications + replication, so it streams,
resumes and scales like ``ezhou batch``), averages the seeds of each row, and analyses with
SALib (bootstrap intervals, fixed analysis seed). The same pipeline runs the Ishigami
function (``model = "ishigami"``), whose Sobol indices are known, as a check of the whole
machinery.

By default replication r has the same seed at every sample row (common random numbers,
``paired_seeds = true``): the difference between two rows is then the parameters' effect,
not a different draw of chance. What seed noise is left is measured and reported
(:func:`seed_noise`).
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import json
import math
import sys
import time
import tomllib
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
import typer
from pydantic import Field, ValidationError

from experiments.batch import (
    ModelJob,
    SpecError,
    Task,
    check_value,
    execute,
    factor_field,
    load_results,
    run_model_task,
)
from experiments.errors import UserError
from experiments.executors import (
    DaskHostOption,
    ExecutorOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
)
from experiments.runner import git_commit, package_versions, spawn_seeds, staged
from model.scenario import (
    MAX_END_YEAR,
    START_YEAR,
    Scenario,
    ScenarioError,
    load_scenario,
    one_line_error,
    read_user_file,
)
from model.schema import Strict, lever

METHODS = ("morris", "sobol", "delta", "pawn")
MODELS = ("ezhou", "ishigami")
DISTRIBUTIONS = ("uniform", "triangular", "truncnorm")
ISHIGAMI_PARAMETERS = ("x1", "x2", "x3")
ISHIGAMI_OUTPUT = "y"
# the main index of each method: what rankings, heat maps and convergence checks use
MAIN_INDEX = {"morris": "mu_star", "sobol": "ST", "delta": "delta", "pawn": "median"}
# the index columns each method writes, with the interval half-width where SALib gives one
INDEX_COLUMNS = {
    "morris": ["mu", "mu_star", "mu_star_conf", "sigma"],
    "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
    "delta": ["delta", "delta_conf", "S1", "S1_conf"],
    "pawn": ["minimum", "mean", "median", "maximum", "CV"],
}
SEED_LIMIT = 2**32 - 1  # SALib and scipy take seeds below 2**32


# ---------------------------------------------------------------------------- the file


class Parameter(Strict):
    path: str = Field(description="A lever or condition, as in scenario files.")
    bounds: list[float] = Field(min_length=2, max_length=2, description="[lower, upper]")
    distribution: Literal["uniform", "triangular", "truncnorm"] = "uniform"
    mode: float | None = Field(None, description="Peak of a triangular distribution.")
    mean: float | None = Field(None, description="Mean of a truncated normal distribution.")
    sd: float | None = Field(None, gt=0, description="Standard deviation of a truncated normal.")


class Output(Strict):
    indicator: str = Field(description="A column of the annual table (docs/indicators.md).")
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
        return [p.path for p in self.spec.parameters]

    @property
    def output_names(self) -> list[str]:
        return [output_name(o) for o in self.spec.outputs]

    @property
    def method(self) -> str:
        return self.spec.method.name


def output_name(o: Output) -> str:
    """The output's column name in outputs.csv and indices.csv."""
    if o.name:
        return o.name
    if o.year is not None:
        return f"{o.indicator}.{o.year}"
    if o.years is not None:
        return f"{o.indicator}.mean_{o.years[0]}_{o.years[1]}"
    return o.indicator


def load_study(path: str | Path) -> Study:
    """Read and check a sensitivity file; any mistake is a one-line :class:`UserError` naming
    the file, the key and what is allowed."""
    path = Path(path)
    try:
        text = read_user_file(path, "a sensitivity file")
    except ScenarioError as exc:
        raise UserError(str(exc)) from None
    return parse_study(text, path)


def parse_study(text: str, path: Path) -> Study:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    try:
        spec = SensitivitySpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(one_line_error(exc, str(path), SensitivitySpec)) from None
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
        base = _base_scenario(spec, path, fail)
    seen: set[str] = set()
    for i, p in enumerate(spec.parameters):
        key = f"parameters.{i}"
        if p.path in seen:
            fail(f"{key}.path", f"{p.path!r} is given twice")
        seen.add(p.path)
        if spec.model == "ishigami":
            if p.path not in ISHIGAMI_PARAMETERS:
                allowed = ", ".join(ISHIGAMI_PARAMETERS)
                fail(f"{key}.path", f"{p.path!r}: allowed for the Ishigami function: {allowed}")
            _check_bounds(p, key, fail)
        else:
            _check_parameter(p, base, key, f"{path}: {key}", fail)
    names: set[str] = set()
    for i, o in enumerate(spec.outputs):
        key = f"outputs.{i}"
        _check_output(spec, base, o, key, fail)
        name = output_name(o)
        if name in names:
            fail(key, f"output {name!r} is given twice (give one a name = ...)")
        names.add(name)
    return base


def _check_method(spec: SensitivitySpec, fail) -> None:
    m = spec.method
    allowed = {
        "morris": {"trajectories", "levels"},
        "sobol": {"n", "second_order"},
        "delta": {"n"},
        "pawn": {"n", "slices"},
    }[m.name]
    for key in ("trajectories", "levels", "n", "second_order", "slices"):
        if getattr(m, key) is not None and key not in allowed:
            fail(
                f"method.{key}",
                f"not used by {m.name}; allowed for {m.name}: {', '.join(sorted(allowed))}",
            )
    if m.name == "morris":
        if m.trajectories is None:
            fail("method.trajectories", "missing; morris needs the number of trajectories (2+)")
        if m.levels is not None and m.levels % 2:
            fail("method.levels", f"{m.levels} is odd; allowed: an even number of levels (4, 6, 8)")
    elif m.n is None:
        fail("method.n", f"missing; {m.name} needs the sample size n")
    elif m.name == "sobol" and m.n & (m.n - 1):
        lower = 1 << (m.n.bit_length() - 1)
        fail(
            "method.n",
            f"{m.n} is not a power of two; allowed: a power of two such as {lower} or {lower * 2}",
        )
    if m.name in ("delta", "pawn") and spec.replications > 1 and m.n is not None and m.n < 20:
        fail("method.n", f"{m.n} rows are too few for {m.name}; allowed: 20 or more")


def _base_scenario(spec: SensitivitySpec, path: Path, fail) -> Scenario:
    if spec.base is None:
        scenario = Scenario(name="default")
    else:
        where = Path(spec.base)
        if not where.is_absolute():
            where = path.parent / where
        try:
            scenario = load_scenario(where)
        except ScenarioError as exc:
            fail("base", str(exc))
    try:
        return scenario.with_run(end_year=spec.end_year, scale=spec.scale)
    except ScenarioError as exc:
        fail("end_year", str(exc).split(": ", 2)[-1])
    raise AssertionError  # pragma: no cover - fail() raises


def _check_parameter(p: Parameter, base: Scenario, key: str, where: str, fail) -> None:
    """A lever or condition with a continuous range, of a reform the base scenario enables,
    with bounds inside the field's range."""
    field = factor_field(p.path, f"{where}.path")
    if field.kind != "float":
        what = "a whole number" if field.kind == "int" else f"a {field.kind}, not a number"
        fail(
            f"{key}.path",
            f"{p.path} is {what}; allowed: levers and conditions with a continuous range",
        )
    group = p.path.split(".")[1]
    if p.path.startswith("levers.") and not getattr(base.levers, group).enabled:
        fail(
            f"{key}.path",
            f"{p.path}: the reform {group!r} is off in the base scenario, so the lever would do "
            f"nothing; allowed: levers of enabled reforms (set levers.{group}.enabled = true "
            "in the base)",
        )
    _check_bounds(p, key, fail)
    for end in p.bounds:
        check_value(field, end, f"{where}.bounds")


def _check_bounds(p: Parameter, key: str, fail) -> None:
    a, b = p.bounds
    if not a < b:
        fail(
            f"{key}.bounds",
            f"[{a:g}, {b:g}] is reversed or empty; allowed: [lower, upper] with lower < upper",
        )
    needs = {"uniform": set(), "triangular": {"mode"}, "truncnorm": {"mean", "sd"}}[p.distribution]
    for name in ("mode", "mean", "sd"):
        value = getattr(p, name)
        if value is not None and name not in needs:
            allowed = ", ".join(sorted(needs)) or "bounds only"
            fail(
                f"{key}.{name}", f"not used by a {p.distribution} distribution; allowed: {allowed}"
            )
        if value is None and name in needs:
            fail(
                f"{key}.{name}",
                f"missing; a {p.distribution} distribution needs {' and '.join(sorted(needs))}",
            )
    for name in ("mode", "mean"):
        value = getattr(p, name)
        if value is not None and not a <= value <= b:
            fail(f"{key}.{name}", f"{value:g} lies outside the bounds [{a:g}, {b:g}]")


def _check_output(spec: SensitivitySpec, base: Scenario | None, o: Output, key: str, fail) -> None:
    if spec.model == "ishigami":
        if o.indicator != ISHIGAMI_OUTPUT:
            fail(f"{key}.indicator", f"{o.indicator!r}: the Ishigami function has one output, 'y'")
        if o.year is not None or o.years is not None:
            fail(f"{key}.year", "the Ishigami function has no years; remove year/years")
        return
    known = indicator_names()
    if o.indicator not in known:
        close = difflib.get_close_matches(o.indicator, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(
            f"{key}.indicator",
            f"{o.indicator!r} is not an indicator{hint}; allowed: a column of the annual table, "
            "such as goal1_levels_score or gdp_per_capita_yuan (docs/indicators.md)",
        )
    first, last = base.run.start_year, base.run.end_year
    if (o.year is None) == (o.years is None):
        fail(key, "give year = Y or years = [first, last] (their mean), one of the two")
    where = f"{key}.year" if o.year is not None else f"{key}.years"
    if o.years is not None and o.years[0] > o.years[1]:
        fail(where, f"{o.years} is reversed; allowed: [first, last] with first <= last")
    for y in [o.year] if o.year is not None else o.years:
        if not first <= y <= last:
            fail(where, f"{y} is outside the simulated years; allowed: {first} to {last}")


@lru_cache(maxsize=1)
def indicator_names() -> frozenset[str]:
    """The annual table's columns, read off a one-year run of a coarse model (a tenth of a
    second), so that the check follows the model whatever columns it adds."""
    from model.api import simulate

    probe = Scenario(name="probe").with_run(scale=1000, end_year=START_YEAR)
    annual = simulate(probe, check_invariants=False).annual
    return frozenset(c for c in annual.columns if c not in ("year", "seed"))


# ---------------------------------------------------------------------------- sampling


def problem(study: Study) -> dict[str, Any]:
    """SALib's problem dictionary: names, bounds and distributions."""
    bounds, dists = [], []
    for p in study.spec.parameters:
        a, b = p.bounds
        if p.distribution == "triangular":
            bounds.append([a, b, (p.mode - a) / (b - a)])
            dists.append("triang")
        elif p.distribution == "truncnorm":
            bounds.append([a, b, p.mean, p.sd])
            dists.append("truncnorm")
        else:
            bounds.append([a, b])
            dists.append("unif")
    return {
        "num_vars": len(bounds),
        "names": study.names,
        "bounds": bounds,
        "dists": dists,
    }


def sample(study: Study) -> np.ndarray:
    """The SALib sample, one row per sample point, from the spec's seed."""
    from SALib.sample import latin, morris, sobol

    m, prob, seed = study.spec.method, problem(study), study.spec.seed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SALib's notes on sample sizes
        if m.name == "morris":
            return morris.sample(prob, m.trajectories, num_levels=m.levels or 4, seed=seed)
        if m.name == "sobol":
            return sobol.sample(prob, m.n, calc_second_order=bool(m.second_order), seed=seed)
        return latin.sample(prob, m.n, seed=seed)


def block_rows(study: Study) -> int:
    """Rows that belong together in the sample: a Morris trajectory or a Saltelli block
    (the first k blocks are themselves a complete, smaller sample); 1 for Latin hypercube."""
    d, m = len(study.spec.parameters), study.spec.method
    if m.name == "morris":
        return d + 1
    if m.name == "sobol":
        return 2 * d + 2 if m.second_order else d + 2
    return 1


def run_seeds(study: Study, n_points: int) -> list[int]:
    """Every run's seed, in run order: with paired seeds (the default) replication r has the
    same seed at every sample point; otherwise each run has its own."""
    reps = study.spec.replications
    if study.spec.paired_seeds:
        return spawn_seeds(study.spec.seed, reps) * n_points
    return spawn_seeds(study.spec.seed, reps * n_points)


def make_tasks(study: Study, X: np.ndarray) -> list:
    """One task per run, in sample order: run_id = row × replications + replication."""
    seeds = run_seeds(study, len(X))
    payload = _payload(study)
    names, reps = study.names, study.spec.replications
    return [
        Task(
            run_id=run_id,
            point_id=run_id // reps,
            seed=seed,
            factors={n: float(v) for n, v in zip(names, X[run_id // reps], strict=True)},
            payload=payload,
        )
        for run_id, seed in enumerate(seeds)
    ]


def _payload(study: Study) -> dict[str, Any]:
    if study.spec.model == "ishigami":
        return (study.spec.ishigami or IshigamiOptions()).model_dump()
    return ModelJob(study.base, ("annual",))


# ---------------------------------------------------------------------------- work functions


def ishigami_task(task) -> dict[str, pd.DataFrame]:
    """The Ishigami function at the task's inputs (plus Gaussian noise drawn from the task's
    seed when ``noise_sd`` > 0): the analytic check of the whole pipeline.

    y = sin x1 + a sin² x2 + b x3⁴ sin x1, each x uniform on [-π, π]; with a = 7, b = 0.1
    S1 = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424, 0.2437)."""
    opts = task.payload or {}
    a, b, noise = opts.get("a", 7.0), opts.get("b", 0.1), opts.get("noise_sd", 0.0)
    x1, x2, x3 = (task.factors[k] for k in ISHIGAMI_PARAMETERS)
    y = math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)
    if noise > 0:
        y += noise * np.random.default_rng(task.seed).standard_normal()
    return {"annual": pd.DataFrame({ISHIGAMI_OUTPUT: [y]})}


def work_function(study: Study):
    """Ishigami's, or the model batch's own work function."""
    return ishigami_task if study.spec.model == "ishigami" else run_model_task


# ---------------------------------------------------------------------------- outputs


def run_outputs(study: Study, annual: pd.DataFrame) -> pd.DataFrame:
    """One row per run: run_id, point_id, seed and each output's value."""
    ids = annual.groupby("run_id", sort=True)[["point_id", "seed"]].first()
    out = ids.copy()
    for o in study.spec.outputs:
        name = output_name(o)
        if o.year is None and o.years is None:
            out[name] = annual.groupby("run_id", sort=True)[o.indicator].mean()
            continue
        first, last = (o.year, o.year) if o.year is not None else o.years
        rows = annual[(annual.year >= first) & (annual.year <= last)]
        out[name] = rows.groupby("run_id", sort=True)[o.indicator].mean()
    return out.reset_index()


def point_means(study: Study, runs: pd.DataFrame, points: np.ndarray) -> pd.DataFrame:
    """The outputs of each of ``points`` averaged over its replications, in that order;
    refuses a result set with a point or a replication missing."""
    counts = runs.groupby("point_id").size().reindex(points, fill_value=0)
    reps = study.spec.replications
    missing = int((counts == 0).sum())
    short = int(((counts > 0) & (counts != reps)).sum())
    if missing or short:
        raise UserError(
            f"results incomplete: {missing} sample points missing and {short} with fewer "
            f"than {reps} runs; continue with --resume"
        )
    means = runs.groupby("point_id", sort=True)[study.output_names].mean()
    return means.reindex(points)


def analysed_points(study: Study, n_points: int, failed_points: set[int]) -> np.ndarray:
    """The sample points the analysis uses: all of them, or (dropping failures) every whole
    block (Morris trajectory, Saltelli block, single LHS row) without a failed run."""
    rows = block_rows(study)
    bad_blocks = {p // rows for p in failed_points}
    return np.array([p for p in range(n_points) if p // rows not in bad_blocks], dtype=np.int64)


def seed_noise(study: Study, runs: pd.DataFrame) -> pd.DataFrame:
    """Per output, the share of variance that is seed noise: in single runs (mean variance
    across seeds within a point over the variance of all runs), and in the seed means the
    indices are computed from (that within-point variance over the replications, over the
    variance of the point means). NaN with one replication: noise cannot be told apart."""
    reps = study.spec.replications
    rows = []
    for name in study.output_names:
        g = runs.groupby("point_id")[name]
        within = g.var(ddof=1).mean() if reps > 1 else np.nan
        total = runs[name].var(ddof=1)
        between = g.mean().var(ddof=1)
        rows.append(
            {
                "output": name,
                "replications": reps,
                "within_point_var": within,
                "run_var": total,
                "point_mean_var": between,
                "noise_share_runs": _ratio(within, total),
                "noise_share_means": _ratio(within / reps, between),
            }
        )
    return pd.DataFrame(rows)


def _ratio(a: float, b: float) -> float:
    if not np.isfinite(a) or not np.isfinite(b):
        return np.nan
    if b <= 0:
        return 0.0 if a <= 0 else np.nan
    return float(min(1.0, a / b))


# ---------------------------------------------------------------------------- analysis


@dataclass
class Indices:
    indices: pd.DataFrame  # one row per output and parameter
    second_order: pd.DataFrame  # Sobol S2 by output and pair (empty otherwise)
    convergence: pd.DataFrame  # main index at N/2 and N


def analyse(study: Study, X: np.ndarray, Y: pd.DataFrame) -> Indices:
    """SALib's analysis of every output, on the whole sample and on its first half."""
    frames, pairs, conv = [], [], []
    blocks = len(X) // block_rows(study)
    half = max(1, blocks // 2) * block_rows(study)
    main = MAIN_INDEX[study.method]
    for name in study.output_names:
        y = Y[name].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)):
            bad = int((~np.isfinite(y)).sum())
            raise UserError(f"output {name}: {bad} sample points gave no finite value")
        full = _analyse_one(study, X, y)
        table = pd.DataFrame({k: full[k] for k in INDEX_COLUMNS[study.method]})
        table.insert(0, "parameter", study.names)
        table.insert(0, "output", name)
        table["sample_size"] = blocks
        frames.append(table)
        if study.method == "sobol" and study.spec.method.second_order:
            pairs.append(_second_order(study, name, full))
        part = _analyse_one(study, X[:half], y[:half]) if half < len(X) else full
        conv.append(
            pd.DataFrame(
                {
                    "output": name,
                    "parameter": study.names,
                    "index": main,
                    "half": np.asarray(part[main], dtype=float),
                    "full": np.asarray(full[main], dtype=float),
                    "half_size": half // block_rows(study),
                    "full_size": blocks,
                }
            )
        )
    conv_table = pd.concat(conv, ignore_index=True)
    conv_table["change"] = conv_table["full"] - conv_table["half"]
    return Indices(
        pd.concat(frames, ignore_index=True),
        pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(),
        conv_table,
    )


def _analyse_one(study: Study, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    from SALib.analyze import delta, morris, pawn, sobol

    m, a, prob = study.spec.method, study.spec.analysis, problem(study)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        if m.name == "morris":
            return morris.analyze(
                prob,
                X,
                y,
                num_resamples=a.resamples,
                conf_level=a.conf_level,
                num_levels=m.levels or 4,
                seed=a.seed,
            )
        if m.name == "sobol":
            return sobol.analyze(
                prob,
                y,
                calc_second_order=bool(m.second_order),
                num_resamples=a.resamples,
                conf_level=a.conf_level,
                seed=a.seed,
            )
        if m.name == "delta":
            with contextlib.redirect_stdout(io.StringIO()):  # notes on its binning
                res = delta.analyze(
                    prob, X, y, num_resamples=a.resamples, conf_level=a.conf_level, seed=a.seed
                )
            # SALib 1.6 names Borgonovo's estimate delta_raw (beside a bias-balanced variant)
            for key in ("delta", "delta_conf"):
                if key not in res:
                    res[key] = res[key.replace("delta", "delta_raw")]
            return res
        return pawn.analyze(prob, X, y, S=m.slices or 10, seed=a.seed)


def _second_order(study: Study, name: str, res: dict[str, Any]) -> pd.DataFrame:
    rows = []
    names = study.names
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rows.append(
                {
                    "output": name,
                    "parameter_1": names[i],
                    "parameter_2": names[j],
                    "S2": res["S2"][i, j],
                    "S2_conf": res["S2_conf"][i, j],
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- the pipeline


def fingerprint(study: Study, X: np.ndarray) -> str:
    """What the runs depend on: the checked spec, the base scenario's content, the sample."""
    h = hashlib.sha256()
    h.update(json.dumps(study.spec.model_dump(mode="json"), sort_keys=True).encode())
    if study.base is not None:
        h.update(study.base.to_toml().encode())
    h.update(np.ascontiguousarray(X, dtype="<f8").tobytes())
    return h.hexdigest()


def versions() -> dict[str, str]:
    out = package_versions()
    for name in ("SALib", "scipy", "matplotlib"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass
class StudyOutcome:
    out: Path
    n_runs: int
    n_failed: int
    failures: list
    indices: Indices | None
    noise: pd.DataFrame | None
    wall_seconds: float


def run_study(
    study: Study,
    out: Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    scheduler_file: Path | None = None,
    host: str = "127.0.0.1",
    resume: bool = False,
    quiet: bool = False,
    drop_failed: bool = False,
) -> StudyOutcome:
    """Sample, run through the batch engine, analyse and write the results into ``out``.

    If runs failed, no indices are computed (``indices`` is None) unless ``drop_failed``:
    then every block of the sample holding a failed run (a Morris trajectory, a Saltelli
    block, a Latin-hypercube row) is left out of the analysis, and the results say so."""
    out = Path(out)
    t0 = time.perf_counter()
    X = sample(study)
    tasks = make_tasks(study, X)
    meta = {
        "kind": "sensitivity",
        "spec": str(study.source),
        "name": study.spec.name,
        "method": study.method,
        "model": study.spec.model,
    }
    outcome = execute(
        tasks,
        work_function(study),
        out,
        fingerprint=fingerprint(study, X),
        meta=meta,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        host=host,
        resume=resume,
        quiet=quiet,
        summary=False,
    )
    reps = study.spec.replications
    failed_points = {run_id // reps for run_id, _, _ in outcome.failures}
    if failed_points and not drop_failed:
        return StudyOutcome(
            out, len(tasks), outcome.n_failed, outcome.failures, None, None,
            time.perf_counter() - t0,
        )  # fmt: skip
    points = analysed_points(study, len(X), failed_points)
    if len(points) < 2 * block_rows(study):
        raise UserError(
            f"{outcome.n_failed} runs failed and too little of the sample is left to analyse"
        )
    annual = load_results(out, "annual")
    _check_sample_order(study, X, out, annual)
    runs = run_outputs(study, annual)
    runs = runs[runs.point_id.isin(points)].reset_index(drop=True)
    Y = point_means(study, runs, points)
    result = analyse(study, X[points], Y)
    noise = seed_noise(study, runs)
    wall = time.perf_counter() - t0
    dropped = {
        "failed_runs": outcome.n_failed,
        "points_dropped": len(X) - len(points),
        "blocks_dropped": (len(X) - len(points)) // block_rows(study),
        "blocks": len(X) // block_rows(study),
    }
    write_study(study, out, X, points, runs, Y, result, noise, outcome, wall, dropped)
    return StudyOutcome(out, len(tasks), outcome.n_failed, outcome.failures, result, noise, wall)


def _check_sample_order(study: Study, X: np.ndarray, out: Path, annual: pd.DataFrame) -> None:
    """The factor values stored with each run are those of the sample row it claims to be:
    the analysis relies on the sample's order (Sobol's blocks, Morris's trajectories)."""
    reps = study.spec.replications
    if not (annual.point_id == annual.run_id // reps).all():
        raise UserError(f"{out}: runs are not in sample order")
    stored = annual[study.names].to_numpy(dtype=float)
    expected = X[annual.point_id.to_numpy()]
    if not np.allclose(stored, expected, rtol=1e-12, atol=0):
        raise UserError(f"{out}: the stored runs do not match this spec's sample")


def write_study(
    study, out, X, points, runs, Y, result: Indices, noise, outcome, wall, dropped
) -> None:
    """The analysis files, all at once (nothing half-written on failure)."""
    sample_table = pd.DataFrame(X, columns=study.names)
    sample_table.insert(0, "point_id", range(len(X)))
    sample_table["analysed"] = np.isin(np.arange(len(X)), points)
    means = Y.rename_axis("point_id").reset_index()
    meta = {
        "kind": "sensitivity",
        "name": study.spec.name,
        "description": study.spec.description,
        "spec_file": str(study.source),
        "model": study.spec.model,
        "method": study.spec.method.model_dump(exclude_none=True),
        "main_index": MAIN_INDEX[study.method],
        "analysis": study.spec.analysis.model_dump(),
        "sample_seed": study.spec.seed,
        "replications": study.spec.replications,
        "paired_seeds": study.spec.paired_seeds,
        "run_seeds": run_seeds(study, 1) if study.spec.paired_seeds else "see design.csv",
        "sample_points": len(X),
        "runs": len(X) * study.spec.replications,
        "dropped": dropped,
        "failures": [list(f) for f in outcome.failures[:50]],
        "parameters": [p.model_dump(exclude_none=True) for p in study.spec.parameters],
        "outputs": [
            {"name": output_name(o), **o.model_dump(exclude_none=True)} for o in study.spec.outputs
        ],
        "base_scenario": study.base.name if study.base is not None else None,
        "scale": study.base.run.scale if study.base is not None else None,
        "end_year": study.base.run.end_year if study.base is not None else None,
        "executor": outcome.executor,
        "wall_seconds": round(wall, 3),
        "versions": versions(),
        "git_commit": git_commit(),
    }
    with staged(out) as tmp:
        (tmp / "spec.toml").write_text(study.text, encoding="utf-8")
        if study.base is not None:
            (tmp / "base_scenario.toml").write_text(study.base.to_toml(), encoding="utf-8")
        sample_table.to_csv(tmp / "sample.csv", index=False, float_format="%.12g")
        runs.to_csv(tmp / "run_outputs.csv", index=False, float_format="%.12g")
        means.to_csv(tmp / "outputs.csv", index=False, float_format="%.12g")
        result.indices.to_csv(tmp / "indices.csv", index=False, float_format="%.8g")
        result.convergence.to_csv(tmp / "convergence.csv", index=False, float_format="%.8g")
        if len(result.second_order):
            result.second_order.to_csv(tmp / "second_order.csv", index=False, float_format="%.8g")
        noise.to_csv(tmp / "noise.csv", index=False, float_format="%.8g")
        (tmp / "sensitivity.json").write_text(
            json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
        )


def ranking_table(study: Study, result: Indices, top: int = 5) -> str:
    """Text: per output, the most influential parameters by the method's main index."""
    main = MAIN_INDEX[study.method]
    conf = f"{main}_conf" if f"{main}_conf" in result.indices else None
    lines = [f"{study.method}: parameters ranked by {main} (± half-width of the interval)"]
    for name, g in result.indices.groupby("output", sort=False):
        lines.append("")
        lines.append(name)
        g = g.sort_values(main, ascending=False).head(top)
        for _, r in g.iterrows():
            ci = f" ± {r[conf]:.3g}" if conf and np.isfinite(r[conf]) else ""
            lines.append(f"  {r['parameter']:<66} {r[main]:>10.4g}{ci}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- the command


def command(
    spec: Annotated[Path, typer.Argument(help="Sensitivity file (TOML).")],
    out: Annotated[Path, typer.Option(help="Folder for the runs and the indices.")],
    executor: ExecutorOption = "processes",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    dask_host: DaskHostOption = "127.0.0.1",
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run in --out: only missing runs.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Check the file and print the sample size; run nothing.")
    ] = False,
    drop_failed: Annotated[
        bool,
        typer.Option(
            help="If runs fail, analyse without the trajectories or blocks that hold them "
            "(stated in the results and the report) instead of stopping."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option(help="Log lines instead of a progress bar.")] = False,
) -> None:
    """Global sensitivity analysis (Morris, Sobol, delta, PAWN) of the goals to levers and
    conditions: sample, run through the batch engine, analyse, write indices.csv."""
    study = load_study(spec)
    X = sample(study)
    n_runs = len(X) * study.spec.replications
    about = (
        f"{study.spec.name}: {study.method}, {len(study.names)} parameters, {len(X)} sample "
        f"points x {study.spec.replications} seed(s) = {n_runs} runs"
    )
    if study.base is not None:
        run = study.base.run
        about += f", scale {run.scale}, {run.start_year}-{run.end_year}"
    if dry_run:
        print(f"{spec}: valid ({about})")
        return
    if not quiet:
        print(about, file=sys.stderr)
    result = run_study(
        study,
        out,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        host=dask_host,
        resume=resume,
        quiet=quiet,
        drop_failed=drop_failed,
    )
    if result.n_failed:
        run_id, seed, error = result.failures[0]
        what = (
            "their blocks of the sample are left out of the analysis (--drop-failed)"
            if result.indices is not None
            else "no indices computed; fix the cause and continue with --resume, or analyse "
            "without them with --resume --drop-failed"
        )
        print(
            f"{'warning' if result.indices is not None else 'error'}: {result.n_failed} of "
            f"{n_runs} runs failed (first: run {run_id}, seed {seed}: {error}; all in "
            f"{out}/manifest.json); {what}",
            file=sys.stderr,
        )
        if result.indices is None:
            raise typer.Exit(1)
    print(ranking_table(study, result.indices))
    print(
        f"\n{n_runs} runs, {result.wall_seconds:.1f} s. Results in {out}/ (indices.csv, "
        "convergence.csv, noise.csv, outputs.csv, sample.csv, sensitivity.json); "
        f"ezhou report {out} makes report.html"
    )
