"""Policy design for the app: the search and discovery folders of the results folder, a
search's Pareto set read and filtered, a package of it as a scenario file to run in the lab,
the small search the page starts, and that search run in the background (progress, cancel).

Nothing here knows about Streamlit. A package's scenario is the search's base scenario (its
outside world, scale and years) with the package's levers: the file ``ezhou validate`` and
``ezhou run`` take, and the lab's upload.
"""

from __future__ import annotations

import json
import threading
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.analysis.search import SearchOutcome, run_search
from experiments.engine.model_task import set_path
from experiments.formats.search import Search
from experiments.reports.policies import (
    HEAD,
    best_first,
    policy_id,
    read_search_head,
    read_table,
)
from model.scenario import Scenario, load_scenario, validate_scenario

SPECS = Path(__file__).resolve().parent.parent / "specs"
SHIPPED_SEARCH = SPECS / "search_packages.toml"  # the levers and futures a small search draws on
DISCOVERY = "discovery.json"
MAX_DEPTH = 3  # folders looked into below the results folder
# what the page's small search may aim at, and which way
OBJECTIVES = {
    "goal1_levels_score": "max",
    "goal2_per_capita_score": "max",
    "goal3_quality_score": "max",
    "government_debt_bn_yuan": "min",
}


# ---------------------------------------------------------------------- folders
def design_folders(root: Path) -> list[tuple[Path, str]]:
    """Folders under ``root`` (itself included, at most MAX_DEPTH levels down) that hold a
    finished search or a discovery, with their kind ("search" or "discovery"), in path order.
    A folder that leads outside ``root`` (through a symbolic link) is left out."""
    root = Path(root)
    if not root.is_dir():
        return []
    top = root.resolve()
    found: dict[Path, str] = {}
    for depth in range(MAX_DEPTH + 1):
        for marker, kind in ((HEAD, "search"), (DISCOVERY, "discovery")):
            for path in root.glob("*/" * depth + marker):
                if not path.resolve().is_relative_to(top):
                    continue
                if kind == "search" and not _finished(path):
                    continue
                found[path.parent] = kind
    return sorted(found.items())


def _finished(head: Path) -> bool:
    try:
        return json.loads(head.read_text(encoding="utf-8")).get("state") == "finished"
    except (OSError, ValueError, AttributeError):
        return False


# ---------------------------------------------------------------------- a search's results
@dataclass
class SearchView:
    """A finished search as the page shows it."""

    folder: Path
    head: dict
    front: pd.DataFrame  # the Pareto set, best on the first objective first
    candidates: pd.DataFrame
    base: Scenario | None  # None for the test problem, which has no scenario

    @property
    def name(self) -> str:
        return str(self.head.get("name", self.folder.name))

    @property
    def objectives(self) -> list[dict]:
        return self.head["objectives"]

    @property
    def decisions(self) -> list[dict]:
        return self.head["decisions"]

    def ids(self, table: pd.DataFrame | None = None) -> list[str]:
        table = self.front if table is None else table
        return [policy_id(row) for _, row in table.iterrows()]

    def within(self, limits: dict[str, float]) -> pd.DataFrame:
        """The packages of the Pareto set that reach every limit: at least the limit of an
        objective to maximise, at most that of one to minimise (objectives not named: any)."""
        keep = pd.Series(True, index=self.front.index)
        for objective in self.objectives:
            limit = limits.get(objective["name"])
            if limit is None:
                continue
            values = self.front[objective["name"]]
            keep &= values >= limit if objective["sense"] == "max" else values <= limit
        return self.front[keep]

    def package(self, package_id: str) -> pd.Series:
        return self.front[[pid == package_id for pid in self.ids()]].iloc[0]

    def scenario(self, package_id: str) -> Scenario:
        """The package as a scenario: the base scenario with its levers."""
        if self.base is None:
            raise ValueError(f"{self.folder}: a search of the test problem has no scenario")
        row = self.package(package_id)
        values = {decision["path"]: _plain(row[decision["path"]]) for decision in self.decisions}
        summary = "; ".join(
            f"{objective['name']} {float(row[objective['name']]):.4g}"
            for objective in self.objectives
        )
        description = (
            f"Package {package_id} of the Pareto set of the search {self.name} "
            f"({self.folder.name}): {summary}, judged over the search's futures. The outside "
            "world here is the search's base scenario's."
        )
        return policy_scenario(self.base, values, f"{self.name}_{package_id}", description)


def _plain(value: Any) -> Any:
    """A value from a table as the scenario schema takes it (no numpy scalar)."""
    return value.item() if hasattr(value, "item") else value


def policy_scenario(
    base: Scenario, levers: dict[str, Any], name: str, description: str
) -> Scenario:
    """``base`` with the levers set (paths ``levers.<reform>.<key>``), renamed."""
    data = base.model_dump()
    for path, value in levers.items():
        set_path(data, path, value)
    data["name"], data["description"] = name[:200], description[:5000]
    return validate_scenario(data, source=name)


def read_search_view(folder: Path) -> SearchView:
    """The search in ``folder``; a one-line UserError when it is unfinished or damaged."""
    folder = Path(folder)
    head = read_search_head(folder)
    front = best_first(read_table(folder / "pareto.csv"), head["objectives"])
    candidates = read_table(folder / "candidates.csv")
    base_file = folder / "base_scenario.toml"
    base = read_table(base_file, load_scenario) if base_file.is_file() else None
    return SearchView(folder, head, front, candidates, base)


# ---------------------------------------------------------------------- a small search
def shipped_levers() -> dict[str, list[tuple[str, dict]]]:
    """The decisions of the shipped search by reform: each reform's switch, start year and
    main intensity with their ranges."""
    spec = tomllib.loads(SHIPPED_SEARCH.read_text(encoding="utf-8"))
    levers: dict[str, list[tuple[str, dict]]] = {}
    for path, item in spec["decisions"].items():
        levers.setdefault(path.split(".")[1], []).append((path, item))
    return levers


def small_search_text(
    name: str,
    base: Path,
    reforms: list[str],
    objectives: list[str],
    *,
    population: int,
    generations: int,
    end_year: int,
    scale: int,
    futures: int,
    description: str = "",
) -> str:
    """A search file over the chosen reforms' levers (as the shipped search sets them), the
    chosen objectives in the last year, and ``futures`` futures drawn over the shipped
    search's conditions (one: the base scenario's own outside world)."""
    shipped = tomllib.loads(SHIPPED_SEARCH.read_text(encoding="utf-8"))
    levers = shipped_levers()
    lines = [
        f"name = {json.dumps(name)}",
        f"description = {json.dumps(description, ensure_ascii=False)}",
        f"base = {json.dumps(Path(base).as_posix())}",
        f"seed = {int(shipped['seed'])}",
        f"end_year = {int(end_year)}",
        f"scale = {int(scale)}",
        "",
        "[algorithm]",
        f"population = {int(population)}",
        f"generations = {int(generations)}",
    ]
    for reform in reforms:
        for path, item in levers[reform]:
            lines += ["", f'[decisions."{path}"]']
            lines += [f"{key} = {json.dumps(value)}" for key, value in item.items()]
    for indicator in objectives:
        lines += ["", "[[objectives]]", f'indicator = "{indicator}"', f"year = {int(end_year)}"]
        lines.append(f'sense = "{OBJECTIVES[indicator]}"')
    if futures > 1:
        lines += ["", "[robustness]", f"samples = {int(futures)}"]
        for path, item in shipped["robustness"]["conditions"].items():
            lines += ["", f'[robustness.conditions."{path}"]']
            lines.append(f"range = {json.dumps(item['range'])}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- in the background
class SearchCancelled(KeyboardInterrupt):
    """Raised from a background search's progress hook once the user cancels: the search
    stops as on Ctrl-C (what finished is kept; ``ezhou search --resume`` continues it)."""


@dataclass
class SearchJob:
    """A search running in a thread of its own, with the interface of
    :class:`~experiments.views.runs.Job` that the app's job panel polls: ``finished``,
    ``progress()``, ``runs_done`` of ``total_runs``, ``seconds``, ``cancel()``, ``error()``,
    ``results()``."""

    search: Search
    out: Path
    total_runs: int
    future: Future = field(default_factory=Future)
    runs_done: int = 0
    started: float = 0.0
    ended: float | None = None
    cancelled: bool = False

    @classmethod
    def start(
        cls,
        search: Search,
        out: Path,
        executor: str = "processes",
        workers: int | None = None,
        after: Callable[[SearchOutcome], None] | None = None,
    ) -> SearchJob:
        """Start the search into ``out``; ``after`` is called with its outcome once done."""
        job = cls(search, Path(out), search.n_runs, started=time.perf_counter())
        thread = threading.Thread(
            target=job._run, args=(executor, workers, after), name=f"search {search.name}"
        )
        thread.daemon = True  # a server that stops does not wait for it
        thread.start()
        return job

    def _run(self, executor: str, workers: int | None, after) -> None:
        self.future.set_running_or_notify_cancel()
        try:
            outcome = run_search(
                self.search, self.out, executor=executor, workers=workers, quiet=True,
                watch=self._watch,
            )  # fmt: skip
            if after is not None:
                after(outcome)
        except BaseException as exc:  # noqa: BLE001 - a cancel included: kept for the page
            self.future.set_exception(exc)
        else:
            self.future.set_result(outcome)
        finally:
            self.ended = time.perf_counter()

    def _watch(self, done: int, total: int) -> None:
        self.runs_done = min(done, total)
        if self.cancelled:
            raise SearchCancelled(f"{self.search.name}: cancelled after {done} runs")

    @property
    def finished(self) -> bool:
        return self.future.done()

    @property
    def seconds(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    def progress(self) -> float:
        """Share of the search's runs finished (0 to 1)."""
        if self.finished:
            return 1.0
        return min(self.runs_done / max(self.total_runs, 1), 0.999)

    @property
    def stopped(self) -> bool:
        """The search ended because it was cancelled (not merely asked to, too late)."""
        return self.finished and isinstance(self.future.exception(), SearchCancelled)

    def cancel(self) -> None:
        """Stop at the next look at the runs (within a second): runs under way are ended."""
        self.cancelled = True

    def error(self) -> str | None:
        """What went wrong, in one line; None when the search finished or was cancelled."""
        if not self.finished:
            return None
        exc = self.future.exception()
        if exc is None or isinstance(exc, SearchCancelled):
            return None
        return f"{self.search.name}: {type(exc).__name__}: {exc}"

    def results(self) -> SearchOutcome:
        return self.future.result()

    def close(self) -> None:
        """Nothing to tidy: the folder is the search's result."""
