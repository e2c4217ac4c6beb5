"""The shape of the code: no import circle inside ``model/``, the layers import only
downwards, no file grows past the size one can read, and the quarter reads as a schedule.

The import graph is built from the source with ``ast``, so it counts every import: at the
top of a module, inside a function, and those made only for type hints.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 520  # "about 500": a file past this is two files


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The known modules that ``path`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, up level - 1
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # "from package import module" names a module; "from module import name" not
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            # the longest known module the name lies in
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(package: str) -> dict[str, set[str]]:
    found = modules(package)
    known = set(found)
    return {name: imports_of(path, name, known) for name, path in found.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_import_circle_in_model() -> None:
    cycle = find_cycle(import_graph("model"))
    assert cycle is None, "import circle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_circle() -> None:
    """A circle through a type-hint import, and one through a function-level import, are
    found; the graph is not empty."""
    graph = import_graph("model")
    assert graph["model.model"] >= {"model.setup", "model.economy"} - {"model.economy"}
    assert "model.economy" in graph["model.agents.household"]  # a type-hint import counts
    looped = {name: set(deps) for name, deps in graph.items()}
    looped["model.economy"].add("model.agents.household")
    assert find_cycle(looped) is not None


def test_systems_take_the_economy_and_never_import_the_model() -> None:
    graph = import_graph("model")
    allowed = {"model.api"}  # the one door from outside into the model
    importers = {name for name, deps in graph.items() if "model.model" in deps}
    assert importers <= allowed, f"{sorted(importers - allowed)} import model.model"


def test_layers_import_downwards_only() -> None:
    """``ui -> experiments -> model``; ``experiments`` and ``ui`` reach the model only
    through its public modules."""
    public = {
        "model.api",
        "model.scenario",
        "model.schema",
        "model.reforms",
        "model.indicators",
        "model.calibration",
    }
    for package in ("model",):
        for name, path in modules(package).items():
            text = path.read_text(encoding="utf-8")
            assert "import experiments" not in text and "from experiments" not in text, name
            assert "from ui" not in text and "import ui" not in text, name
    for package in ("experiments", "ui"):
        known = set(modules("model")) | set(modules(package))
        for name, path in modules(package).items():
            reached = {d for d in imports_of(path, name, known) if d.startswith("model")}
            assert reached <= public, f"{name} imports {sorted(reached - public)}"


@pytest.mark.parametrize("package", ["model", "experiments"])
def test_no_file_past_about_500_lines(package: str) -> None:
    long = {
        name: n
        for name, path in modules(package).items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"files past {MAX_LINES} lines: {long}"


def test_the_quarter_reads_as_a_schedule() -> None:
    """``ReformModel.step`` is the list of phases: about thirty lines, each a call."""
    from model.model import ReformModel

    source = inspect.getsource(ReformModel.step)
    body = [
        line
        for line in source.splitlines()[1:]
        if line.strip() and not line.strip().startswith(('"""', "#"))
    ]
    assert len(body) <= 32, f"step has {len(body)} lines"
