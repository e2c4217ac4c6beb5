"""The experiment file of ``ezhou batch``: its schema, and the design and seeds it describes.

An experiment file (TOML, under ``experiments/specs/``) names a base scenario, the factors
to vary over any lever or condition, how to combine them, the replications per design point
and the tables to keep::

    name = "fund_talent_grid"   # names the default results folder, results/<name>
    base = "../../scenarios/full_programme.toml"   # relative to this file; defaults if absent
    seed = 20110101          # runs' seeds are spawned from it (numpy SeedSequence)
    replications = 10        # runs per design point
    paired_seeds = true      # replication r has the same seed at every point (as compare)
    end_year = 2020          # default: the base scenario's
    scale = 100              # default: the base scenario's
    outputs = ["annual"]     # annual and distribution are always kept; add "quarterly", "zones"

    [design]
    kind = "grid"            # "grid": every combination; "lhs": Latin hypercube; "points"
    samples = 50             # lhs only: design points to sample

    [factors."levers.investment_financing.fund_size_bn"]
    values = [0.0, 2.0, 4.0]         # a list...
    [factors."levers.talent.recruits_per_year"]
    range = [0, 4000]                # ...or a range: in a grid with levels = n or step = s,
    levels = 5                       # in a Latin hypercube sampled as it is
    [factors."parameters.labour.wage_adjust"]   # a number the model behaves by
    values = [0.025, 0.05, 0.075]

    [[points]]               # kind = "points": one table per design point
    name = "talent_only"     # optional label, kept as the point_name column
    "levers.talent.enabled" = true

Factor names are paths into the scenario schema (``levers.<reform>.<key>`` or
``conditions.<key>``), and every value or range end is checked against that key's type and
range; or ``parameters.<group>.<name>``, an entry of ``model/calibration/parameters.toml`` that
holds one number, whose values must be finite (whole where the entry is) and reach the model
through its ``params``. Every mistake is reported in one line naming the file, the key path
and what is allowed, before anything is written.

A validated file becomes an :class:`Experiment`: its design points and seeds, and the tasks the
batch engine (:mod:`experiments.engine`) runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from experiments.engine.model_task import ALWAYS_KEPT, ModelJob
from experiments.engine.tasks import Task
from experiments.errors import SpecError
from experiments.formats.designs import (
    MAX_RUNS,
    DesignSpec,
    FactorSpec,
    check_factor,
    grid_values,
    lhs_points,
    table_points,
)
from experiments.formats.factors import factor_field
from experiments.formats.reading import validate_spec
from experiments.runner import spawn_seeds
from model.scenario import (
    MAX_END_YEAR,
    START_YEAR,
    Scenario,
    ScenarioError,
    load_scenario,
    read_user_file,
    short_repr,
)
from model.schema import Strict, lever

TABLES = ("annual", "quarterly", "zones", "distribution")
# a name becomes a folder (results/<name>): one word of letters, digits, "_", "-" and ".",
# never a path (no separator, no "..", not hidden)
NAME_PATTERN = re.compile(r"\w[\w.-]*")
NAME_ALLOWED = (
    "letters, digits, '_', '-' and '.' (not first), as it names the results folder "
    "results/<name>; or leave it out to use the file's name"
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
    outputs: list[Literal["annual", "quarterly", "zones", "distribution"]] = Field(
        default_factory=lambda: ["annual"], max_length=len(TABLES)
    )
    design: DesignSpec = Field(default_factory=DesignSpec)
    factors: dict[str, FactorSpec] = Field(default_factory=dict)
    points: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_is_not_a_path(cls, name: str) -> str:
        if name and not NAME_PATTERN.fullmatch(name):
            raise ValueError(f"{short_repr(name)} is not a plain name; allowed: {NAME_ALLOWED}")
        return name


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

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables each run keeps: those always kept, then those the file asks for."""
        return tuple(dict.fromkeys([*ALWAYS_KEPT, *self.spec.outputs]))

    def tasks(self) -> list[Task]:
        job = ModelJob(self.base, self.tables)
        reps = self.spec.replications
        return [
            Task(
                run_id=point_id * reps + rep,
                point_id=point_id,
                seed=self.seeds[rep if self.spec.paired_seeds else point_id * reps + rep],
                factors=point,
                payload=job,
            )
            for point_id, point in enumerate(self.points)
            for rep in range(reps)
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
    spec = validate_spec(text, path, ExperimentSpec)

    if spec.base is None:
        base = Scenario(name="defaults")
    else:
        base_path = Path(spec.base)
        if not base_path.is_absolute():
            base_path = path.parent / base_path
        if not base_path.is_file():
            raise SpecError(
                f"{src}: base: {spec.base}: no such scenario file ({base_path}); a relative "
                "base is read relative to the experiment file's folder, wherever the command "
                "runs"
            )
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
    for name, factor in spec.factors.items():
        check_factor(fields[name], factor, kind, f"{src}: factors.{name}")

    if kind == "grid":
        axes = [
            grid_values(fields[name], factor, f"{src}: factors.{name}")
            for name, factor in spec.factors.items()
        ]
        n_points = math.prod(len(axis) for axis in axes)
        _check_size(src, n_points, spec.replications)
        points = [dict(zip(spec.factors, combo, strict=True)) for combo in itertools.product(*axes)]
    elif kind == "lhs":
        if spec.design.samples is None:
            raise SpecError(f"{src}: design.samples: a Latin hypercube needs the points to sample")
        if not spec.factors:
            raise SpecError(f"{src}: factors: a Latin hypercube needs at least one factor")
        _check_size(src, spec.design.samples, spec.replications)
        seed = spec.seed if spec.seed is not None else base.run.seed
        points = lhs_points(
            list(fields.values()), list(spec.factors.values()), spec.design.samples, seed, src
        )
    else:
        points = table_points(spec.points, base, src)
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
