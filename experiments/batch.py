"""Batch experiments: an experiment file, the design it describes, and ``ezhou batch``.

An experiment file (TOML, under ``experiments/specs/``) names a base scenario, the factors
to vary over any lever or condition, how to combine them, the replications per design point
and the tables to keep::

    name = "fund_talent_grid"
    base = "../../scenarios/full_programme.toml"   # relative to this file; defaults if absent
    seed = 20110101          # runs' seeds are spawned from it (numpy SeedSequence)
    replications = 10        # runs per design point
    paired_seeds = true      # replication r has the same seed at every point (as compare)
    end_year = 2020          # default: the base scenario's
    scale = 100              # default: the base scenario's
    outputs = ["annual"]     # annual is always kept; add "quarterly", "zones"

    [design]
    kind = "grid"            # "grid": every combination; "lhs": Latin hypercube; "points"
    samples = 50             # lhs only: design points to sample

    [factors."levers.investment_financing.fund_size_bn"]
    values = [0.0, 2.0, 4.0]         # a list...
    [factors."levers.talent.recruits_per_year"]
    range = [0, 4000]                # ...or a range: in a grid with levels = n or step = s,
    levels = 5                       # in a Latin hypercube sampled as it is

    [[points]]               # kind = "points": one table per design point
    name = "talent_only"     # optional label, kept as the point_name column
    "levers.talent.enabled" = true

Factor names are paths into the scenario schema (``levers.<reform>.<key>`` or
``conditions.<key>``), and every value or range end is checked against that key's type and
range. Every mistake is reported in one line naming the file, the key path and what is
allowed, before anything is written.

The engine itself (tasks, executors, Parquet parts, manifest, resume, summary) is in
:mod:`experiments.store` and :mod:`experiments.executors`; this module re-exports what other
experiments (sensitivity analysis) build on: :class:`Task`, :func:`execute`,
:func:`load_results`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import numpy as np
import pandas as pd
import typer
from pydantic import BaseModel, Field, ValidationError

from experiments.errors import UserError
from experiments.executors import (
    DaskHostOption,
    ExecutorOption,
    SchedulerFileOption,
    SchedulerOption,
    WorkersOption,
)
from experiments.runner import spawn_seeds
from experiments.store import BatchOutcome, Task, execute, load_results
from model.api import simulate
from model.scenario import (
    MAX_END_YEAR,
    START_YEAR,
    Scenario,
    ScenarioError,
    load_scenario,
    one_line_error,
    read_user_file,
    validate_scenario,
)
from model.schema import Strict, lever

__all__ = [
    "BatchOutcome",
    "Experiment",
    "ExperimentSpec",
    "ModelJob",
    "SpecError",
    "Task",
    "batch_command",
    "execute",
    "load_experiment",
    "load_results",
    "run_model_task",
]

MAX_RUNS = 10_000_000
TABLES = ("annual", "quarterly", "zones")
LABEL = "point_name"  # column holding a named design point's label
GOALS = {
    "goal1_levels_score": "goal 1 (levels)",
    "goal2_per_capita_score": "goal 2 (per capita)",
    "goal3_quality_score": "goal 3 (quality)",
}

Value = bool | int | float | str


class SpecError(UserError):
    """A mistake in an experiment file: one line naming the file, the key and what is allowed."""


# ---------------------------------------------------------------------------- the file's schema


class FactorSpec(Strict):
    """One factor: a list of values, or a range (grid: with levels or step; lhs: sampled)."""

    values: list[Value] | None = Field(None, min_length=1, max_length=100_000)
    range: list[float] | None = Field(None, min_length=2, max_length=2)
    levels: int | None = lever(None, 2, 100_000, "levels", "Evenly spaced values in a range.")
    step: float | None = Field(None, gt=0, description="Spacing of values in a range.")


class DesignSpec(Strict):
    kind: Literal["grid", "lhs", "points"] = "grid"
    samples: int | None = lever(
        None, 1, MAX_RUNS, "design points", "Points a Latin hypercube samples."
    )


class ExperimentSpec(Strict):
    name: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    base: str | None = Field(None, max_length=1000)
    seed: int | None = lever(None, 0, 2**63 - 1, "integer", "Seed the runs' seeds come from.")
    replications: int = lever(1, 1, 100_000, "runs per design point", "Seeds per design point.")
    paired_seeds: bool = True
    end_year: int | None = lever(None, START_YEAR, MAX_END_YEAR, "year", "Last simulated year.")
    scale: int | None = lever(None, 1, 1000, "households per agent", "Agent scale.")
    outputs: list[Literal["annual", "quarterly", "zones"]] = Field(
        default_factory=lambda: ["annual"], max_length=3
    )
    design: DesignSpec = Field(default_factory=DesignSpec)
    factors: dict[str, FactorSpec] = Field(default_factory=dict)
    points: list[dict[str, Any]] = Field(default_factory=list)


# ---------------------------------------------------------------------------- factor paths


@dataclass(frozen=True)
class FactorField:
    """What a factor path may take, read from the scenario schema."""

    path: str
    kind: Literal["bool", "int", "float", "choice", "text"]
    choices: tuple = ()


def factor_field(path: str, where: str) -> FactorField:
    """The scenario field a factor name points at; SpecError (text after ``where``) if none."""
    parts = path.split(".")
    if parts[0] not in ("levers", "conditions") or len(parts) < 2:
        raise SpecError(
            f"{where}: not a factor; allowed: levers.<reform>.<key> or conditions.<key>"
        )
    model: Any = Scenario
    for i, part in enumerate(parts):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            head = ".".join(parts[:i])
            raise SpecError(f"{where}: {head} is a single value; nothing below it")
        if part not in model.model_fields:
            head = ".".join(parts[:i]) or "(top level)"
            allowed = ", ".join(model.model_fields)
            raise SpecError(f"{where}: no {part!r} in {head}; allowed here: {allowed}")
        model = model.model_fields[part].annotation
    if isinstance(model, type) and issubclass(model, BaseModel):
        allowed = ", ".join(model.model_fields)
        raise SpecError(f"{where}: {path} is a group; name one of its keys: {allowed}")
    if parts[0] == "conditions":
        return FactorField(path, "float")
    if model is bool:
        return FactorField(path, "bool")
    if model is int:
        return FactorField(path, "int")
    if model is float:
        return FactorField(path, "float")
    if get_origin(model) is Literal:
        return FactorField(path, "choice", get_args(model))
    return FactorField(path, "text")


def _nested(path: str, value: Any) -> dict:
    data: Any = value
    for part in reversed(path.split(".")):
        data = {part: data}
    return data


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


def set_path(data: dict, path: str, value: Any) -> None:
    """Set a dotted path in a scenario's data (as from ``model_dump``)."""
    *head, last = path.split(".")
    for part in head:
        data = data[part]
    data[last] = value


def check_value(field: FactorField, value: Any, where: str) -> Any:
    """The value as the scenario stores it, or SpecError saying what the key allows."""
    if field.kind == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        scenario = Scenario.model_validate(_nested(field.path, value))
    except ValidationError as exc:
        detail = one_line_error(exc, "-").split(": ", 2)[-1]
        raise SpecError(f"{where}: {detail}") from None
    return _get(scenario, field.path)


# ---------------------------------------------------------------------------- designs


def _grid_values(field: FactorField, spec: FactorSpec, where: str) -> list:
    if spec.values is not None:
        return [check_value(field, v, f"{where}.values") for v in spec.values]
    lo, hi = spec.range  # type: ignore[misc]
    if spec.levels is not None:
        raw = np.linspace(lo, hi, spec.levels)
    else:
        n = math.floor((hi - lo) / spec.step + 1e-9) + 1  # type: ignore[operator]
        if n > 100_000:
            raise SpecError(f"{where}.step: {spec.step:g} gives {n} values; allowed at most 100000")
        raw = lo + spec.step * np.arange(n)
    values = [round(float(v), 12) for v in raw]
    if field.kind == "int" and any(not v.is_integer() for v in values):
        raise SpecError(
            f"{where}: range {spec.range} in these steps gives values that are not whole "
            "numbers; allowed: whole numbers (choose levels or step to match)"
        )
    return [check_value(field, v, f"{where}.range") for v in values]


def _check_factor(field: FactorField, spec: FactorSpec, kind: str, where: str) -> None:
    if (spec.values is None) == (spec.range is None):
        raise SpecError(f"{where}: give values = [...] or range = [low, high] (one of them)")
    if spec.range is not None:
        if field.kind not in ("int", "float"):
            raise SpecError(
                f"{where}.range: {field.path} is not a number; give values = [...] instead"
            )
        lo, hi = spec.range
        if not lo < hi:
            raise SpecError(f"{where}.range: [{lo:g}, {hi:g}]: the low end must be below the high")
        for end in (lo, hi):
            check_value(field, end, f"{where}.range")
    if kind == "grid":
        if spec.range is not None and (spec.levels is None) == (spec.step is None):
            raise SpecError(f"{where}: a range in a grid needs levels = n or step = s (one)")
        if spec.values is not None and (spec.levels or spec.step):
            raise SpecError(f"{where}: levels and step go with a range, not with values")
    elif spec.levels is not None or spec.step is not None:
        raise SpecError(f"{where}: levels and step apply to grid designs; a {kind} samples ranges")


def latin_hypercube(n: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in [0, 1)^dims, each dimension's n strata hit exactly once."""
    u = np.empty((n, dims))
    for j in range(dims):
        u[:, j] = (rng.permutation(n) + rng.random(n)) / n
    return u


def _lhs_points(
    fields: list[FactorField], specs: list[FactorSpec], n: int, seed: int, src: str
) -> list[dict[str, Any]]:
    # the design's own stream, apart from the runs' seeds
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31,)))
    u = latin_hypercube(n, len(fields), rng)
    columns = []
    for j, (field, spec) in enumerate(zip(fields, specs, strict=True)):
        if spec.values is not None:
            where = f"{src}: factors.{field.path}.values"
            values = [check_value(field, v, where) for v in spec.values]
            idx = np.minimum((u[:, j] * len(values)).astype(int), len(values) - 1)
            columns.append([values[i] for i in idx])
        elif field.kind == "int":
            lo, hi = (int(math.ceil(spec.range[0])), int(math.floor(spec.range[1])))
            columns.append([int(min(hi, lo + math.floor(x * (hi - lo + 1)))) for x in u[:, j]])
        else:
            lo, hi = spec.range
            columns.append([float(lo + x * (hi - lo)) for x in u[:, j]])
    return [{f.path: col[i] for f, col in zip(fields, columns, strict=True)} for i in range(n)]


def _flatten(point: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in point.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _table_points(spec: ExperimentSpec, base: Scenario, src: str) -> list[dict[str, Any]]:
    if not spec.points:
        raise SpecError(f"{src}: points: the design has no points; add [[points]] tables")
    points, names = [], {}
    for i, raw in enumerate(spec.points):
        flat = _flatten(raw)
        point: dict[str, Any] = {}
        if "name" in flat:
            name = flat.pop("name")
            if not isinstance(name, str) or not name.strip():
                raise SpecError(f"{src}: points[{i}].name: {name!r}; allowed: a non-empty text")
            if name in names:
                raise SpecError(f"{src}: points[{i}].name: {name!r} repeats points[{names[name]}]")
            names[name] = i
            point[LABEL] = name
        for path, value in flat.items():
            where = f"{src}: points[{i}].{path}"
            point[path] = check_value(factor_field(path, where), value, where)
        points.append(point)
    if names and len(names) < len(points):
        missing = next(i for i, p in enumerate(points) if LABEL not in p)
        raise SpecError(f"{src}: points[{missing}]: no name; name every point or none")
    paths = list(dict.fromkeys(k for p in points for k in p if k != LABEL))
    for path in paths:  # a point that does not give a factor keeps the base's value
        default = _get(base, path)
        if isinstance(default, dict):
            raise SpecError(
                f"{src}: points: {path} is a table of years in the base scenario; "
                "give it in every point"
            )
        for p in points:
            p.setdefault(path, default)
    order = ([LABEL] if names else []) + paths
    return [{k: p[k] for k in order} for p in points]


# ---------------------------------------------------------------------------- the experiment


@dataclass(frozen=True)
class ModelJob:
    """What a model run needs besides its seed and factors: sent along with each task."""

    base: Scenario  # end year and scale already applied
    tables: tuple[str, ...]


def task_scenario(task: Task) -> Scenario:
    """The base scenario with the task's factor values and seed."""
    job: ModelJob = task.payload
    data = job.base.model_dump()
    for path, value in task.factors.items():
        if path != LABEL:
            set_path(data, path, value)
    data["run"]["seed"] = task.seed
    return validate_scenario(data, source=f"design point {task.point_id}")


def run_model_task(task: Task) -> dict[str, pd.DataFrame]:
    """The work function of a model batch: the base scenario with the task's factor values,
    run with the task's seed; the tables the experiment keeps."""
    result = simulate(task_scenario(task), check_invariants=False)
    tables = {"annual": result.annual, "quarterly": result.quarterly, "zones": result.zones}
    return {name: tables[name] for name in task.payload.tables}


@dataclass
class Experiment:
    """An experiment file, validated and turned into design points and seeds."""

    path: Path
    text: str
    spec: ExperimentSpec
    base: Scenario
    points: list[dict[str, Any]]  # factor values of each design point, in point_id order
    seeds: list[int]  # one per replication (paired) or one per run

    @property
    def name(self) -> str:
        return self.spec.name or self.path.stem

    @property
    def n_runs(self) -> int:
        return len(self.points) * self.spec.replications

    @property
    def factors(self) -> list[str]:
        return list(self.points[0]) if self.points else []

    def tasks(self) -> list[Task]:
        job = ModelJob(self.base, tuple(dict.fromkeys(["annual", *self.spec.outputs])))
        reps = self.spec.replications
        return [
            Task(
                run_id=p * reps + r,
                point_id=p,
                seed=self.seeds[r if self.spec.paired_seeds else p * reps + r],
                factors=point,
                payload=job,
            )
            for p, point in enumerate(self.points)
            for r in range(reps)
        ]

    def fingerprint(self) -> str:
        """Hash of everything that decides the results (not the name, notes or comments)."""
        content = {
            "engine": 1,
            "spec": self.spec.model_dump(mode="json", exclude={"name", "description", "base"}),
            "base": self.base.model_dump(mode="json", exclude={"name", "description"}),
            "points": self.points,
            "seeds": self.seeds[:1000],
        }
        text = json.dumps(content, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def parse_experiment(text: str, path: Path) -> Experiment:
    """Validate an experiment file's text (``path`` names it and anchors ``base``)."""
    src = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{src}: not valid TOML: {exc}") from None
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(one_line_error(exc, src, ExperimentSpec)) from None

    if spec.base is None:
        base = Scenario(name="defaults")
    else:
        base_path = Path(spec.base)
        if not base_path.is_absolute():
            base_path = path.parent / base_path
        if not base_path.is_file():
            raise SpecError(f"{src}: base: {spec.base}: no such scenario file ({base_path})")
        base = load_scenario(base_path)
    try:
        base = base.with_run(end_year=spec.end_year, scale=spec.scale)
    except ScenarioError as exc:
        raise SpecError(f"{src}: {exc}") from None

    kind = spec.design.kind
    if kind != "points" and spec.points:
        raise SpecError(f'{src}: points: only read when design.kind = "points" (here {kind!r})')
    if kind != "lhs" and spec.design.samples is not None:
        raise SpecError(f'{src}: design.samples: only read when design.kind = "lhs"')
    if kind == "points" and spec.factors:
        raise SpecError(
            f"{src}: factors: a points design takes its values from [[points]]; drop [factors]"
        )
    fields = {name: factor_field(name, f"{src}: factors.{name}") for name in spec.factors}
    for name, fspec in spec.factors.items():
        _check_factor(fields[name], fspec, kind, f"{src}: factors.{name}")

    if kind == "grid":
        axes = [_grid_values(fields[n], f, f"{src}: factors.{n}") for n, f in spec.factors.items()]
        n_points = math.prod(len(a) for a in axes)
        _check_size(src, n_points, spec.replications)
        points = [dict(zip(spec.factors, combo, strict=True)) for combo in itertools.product(*axes)]
    elif kind == "lhs":
        if spec.design.samples is None:
            raise SpecError(f"{src}: design.samples: a Latin hypercube needs the points to sample")
        if not spec.factors:
            raise SpecError(f"{src}: factors: a Latin hypercube needs at least one factor")
        _check_size(src, spec.design.samples, spec.replications)
        seed = spec.seed if spec.seed is not None else base.run.seed
        points = _lhs_points(
            list(fields.values()), list(spec.factors.values()), spec.design.samples, seed, src
        )
    else:
        points = _table_points(spec, base, src)
        _check_size(src, len(points), spec.replications)

    seed = spec.seed if spec.seed is not None else base.run.seed
    n_seeds = spec.replications if spec.paired_seeds else len(points) * spec.replications
    return Experiment(path, text, spec, base, points, spawn_seeds(seed, n_seeds))


def _check_size(src: str, n_points: int, reps: int) -> None:
    if n_points * reps > MAX_RUNS:
        raise SpecError(
            f"{src}: the design has {n_points:,} points x {reps:,} replications = "
            f"{n_points * reps:,} runs; allowed at most {MAX_RUNS:,}"
        )


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file; a one-line error on any mistake."""
    return parse_experiment(read_user_file(path, "an experiment file"), Path(path))


# ---------------------------------------------------------------------------- the command


def point_labels(exp: Experiment) -> list[str]:
    """A short label per design point: its name, or its factor values."""
    labels = []
    for i, point in enumerate(exp.points):
        if LABEL in point:
            labels.append(str(point[LABEL]))
        elif point:
            labels.append(", ".join(f"{k.rsplit('.', 1)[-1]}={_fmt(v)}" for k, v in point.items()))
        else:
            labels.append(f"point {i}")
    return labels


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v).lower() if isinstance(v, bool) else str(v)


def goals_by_point(exp: Experiment, out: Path, max_points: int = 24) -> str | None:
    """The three goal scores at the end year per design point, mean [5%, 95%], from
    summary.csv; None when there are too many points to print."""
    if len(exp.points) > max_points or not (out / "summary.csv").exists():
        return None
    year = exp.base.run.end_year
    summary = pd.read_csv(
        out / "summary.csv", usecols=["point_id", "year", "indicator", "mean", "q05", "q95"]
    )
    rows = summary[(summary.year == year) & summary.indicator.isin(GOALS)]
    labels = point_labels(exp)
    width = min(48, max(12, *(len(s) for s in labels)) + 2)
    lines = [
        f"{'goal scores in ' + str(year):<{width}}"
        + "".join(f"{label:>24}" for label in GOALS.values())
    ]
    for pid, label in enumerate(labels):
        cells = []
        for g in GOALS:
            r = rows[(rows.point_id == pid) & (rows.indicator == g)]
            cells.append(
                "-"
                if r.empty
                else f"{r['mean'].iat[0]:.1f} [{r.q05.iat[0]:.1f}, {r.q95.iat[0]:.1f}]"
            )
        lines.append(f"{label[: width - 2]:<{width}}" + "".join(f"{c:>24}" for c in cells))
    lines.append(f"mean [5%, 95%] across {exp.spec.replications} seeds per point")
    return "\n".join(lines)


def batch_command(
    spec: Annotated[Path, typer.Argument(help="Experiment file (TOML), e.g. experiments/specs/.")],
    out: Annotated[
        Path | None, typer.Option(help="Results folder (default results/<spec name>).")
    ] = None,
    executor: ExecutorOption = "processes",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    scheduler_file: SchedulerFileOption = None,
    dask_host: DaskHostOption = "127.0.0.1",
    resume: Annotated[
        bool, typer.Option(help="Continue a stopped batch in --out: run only what is missing.")
    ] = False,
    part_seconds: Annotated[
        float,
        typer.Option(help="Longest wait before finished runs are written (0 = each at once)."),
    ] = 2.0,
    dry_run: Annotated[
        bool, typer.Option(help="Check the file and print the design; run nothing.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="Log lines instead of a progress bar.")] = False,
) -> None:
    """Run an experiment file: every design point and replication, streamed to Parquet."""
    exp = load_experiment(spec)
    if not 0 <= part_seconds <= 3600:
        raise UserError(f"--part-seconds {part_seconds:g}: allowed 0 to 3600")
    reps = exp.spec.replications
    shape = f"{len(exp.points)} point(s) x {reps} replication(s) = {exp.n_runs} runs"
    sc = exp.base.run
    about = (
        f"{exp.name}: {shape}, scale {sc.scale}, {sc.start_year}-{sc.end_year}, "
        f"tables {', '.join(dict.fromkeys(['annual', *exp.spec.outputs]))}"
    )
    if dry_run:
        print(f"{spec}: valid ({about})")
        for pid, label in enumerate(point_labels(exp)[:20]):
            print(f"  point {pid}: {label}")
        if len(exp.points) > 20:
            print(f"  ... {len(exp.points) - 20} more")
        return
    out = out or Path("results") / exp.name
    meta = {
        "kind": "batch",
        "name": exp.name,
        "spec_file": str(spec),
        "spec_text": exp.text,
        "base_scenario": exp.base.to_toml(),
        "factors": exp.factors,
        "replications": reps,
        "paired_seeds": exp.spec.paired_seeds,
        "n_points": len(exp.points),
        "tables": list(dict.fromkeys(["annual", *exp.spec.outputs])),
    }
    if not quiet:
        print(about, file=sys.stderr)
    result = execute(
        exp.tasks(),
        run_model_task,
        out,
        fingerprint=exp.fingerprint(),
        meta=meta,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        resume=resume,
        quiet=quiet,
        part_seconds=part_seconds,
        host=dask_host,
    )
    print(
        f"{exp.name}: {result.n_done}/{result.n_runs} runs done, {result.n_failed} failed; "
        f"{result.n_ran} ran now in {result.wall_seconds:.1f} s on {result.executor}"
    )
    table = goals_by_point(exp, out)
    if table:
        print("\n" + table)
    print(f"\nresults in {out}/ (runs/, summary.csv, design.csv, manifest.json)")
    if result.failures:
        run_id, seed, error = result.failures[0]
        print(
            f"{result.n_failed} run(s) failed (each with its error and seed in manifest.json); "
            f"first: run {run_id}, seed {seed}: {error}",
            file=sys.stderr,
        )
        raise typer.Exit(1)
