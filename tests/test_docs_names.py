"""docs/validation.md and docs/reforms.md name only things that exist.

Both documents explain results by the parameters, functions, files and output columns behind
them, and both outlive the code they were written on: a parameter renamed or removed (as
``fiscal.platform_investment_share`` was when the platform began to borrow against land)
leaves a sentence that points at nothing. Checked here, without running the model:

- every ``group.name`` in backticks whose group is a table of parameters.toml is a
  parameter of that table, or a function of the model's module of that name
  (``labour.clear`` is ``clear`` in model/markets/labour.py); a name the documents give
  as removed is listed below with the reason;
- every path in backticks under model/, experiments/, scenarios/, docs/ or tests/ exists;
- every indicator in a table column headed "indicator" is a column of the annual table (the
  regression fixture tests/data/reference_annual.csv.gz holds every column the model
  writes).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "validation.md", ROOT / "docs" / "reforms.md"]
PARAMETERS = ROOT / "model" / "calibration" / "parameters.toml"
ANNUAL_FIXTURE = ROOT / "tests" / "data" / "reference_annual.csv.gz"
DOTTED = re.compile(r"`(\w+)\.(\w+)`")
# named on purpose as gone: the history of docs/validation.md says which change removed it
REMOVED = {"fiscal.local_tax_retention"}
FILE_SUFFIXES = {"csv", "json", "md", "parquet", "py", "toml"}
PATH = re.compile(r"`((?:model|experiments|scenarios|docs|tests)/[\w/.]+\.\w+)`")
NAME = re.compile(r"`(\w+)`")


def parameter_groups() -> dict[str, set[str]]:
    with PARAMETERS.open("rb") as fh:
        return {group: set(items) for group, items in tomllib.load(fh).items()}


def module_defines(module: str, name: str) -> bool:
    """Whether a module of the model called ``module`` defines ``name`` at its top level."""
    definition = re.compile(rf"^(?:def|class) {name}\b|^{name}\s*[:=]", re.MULTILINE)
    return any(definition.search(path.read_text()) for path in ROOT.glob(f"model/**/{module}.py"))


def unknown_parameters(text: str, groups: dict[str, set[str]]) -> list[str]:
    """``group.name`` references to a parameter table that has no such parameter and whose
    namesake module has no such function (file names such as ``zones.csv`` aside)."""
    return sorted(
        {
            f"{group}.{name}"
            for group, name in DOTTED.findall(text)
            if group in groups
            and name not in groups[group]
            and name not in FILE_SUFFIXES
            and f"{group}.{name}" not in REMOVED
            and not module_defines(group, name)
        }
    )


def missing_paths(text: str) -> list[str]:
    return sorted({path for path in PATH.findall(text) if not (ROOT / path).exists()})


def indicator_cells(text: str) -> list[str]:
    """The cells under every table heading "indicator"."""
    cells, column = [], None
    for line in text.splitlines():
        if not line.startswith("|"):
            column = None
            continue
        row = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if column is None:  # a table's heading row
            column = row.index("indicator") if "indicator" in row else -1
        elif column >= 0 and not set(row[column]) <= set("-: "):
            cells.append(row[column])
    return cells


def unknown_columns(text: str, columns: set[str]) -> list[str]:
    names = {name for cell in indicator_cells(text) for name in NAME.findall(cell)}
    return sorted(names - columns)


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_named_parameters_exist(doc: Path) -> None:
    assert unknown_parameters(doc.read_text(), parameter_groups()) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_named_files_exist(doc: Path) -> None:
    assert missing_paths(doc.read_text()) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_indicators_in_tables_are_annual_columns(doc: Path) -> None:
    columns = set(pd.read_csv(ANNUAL_FIXTURE, nrows=1).columns)
    assert unknown_columns(doc.read_text(), columns) == []


def test_the_checks_catch_a_stale_name() -> None:
    """The checks fail on the kinds of stale names they exist for."""
    text = (
        "the platform invests (`fiscal.platform_investment_share`, `platform.draw_rate`,"
        " `labour.clear`), see `model/platform.py` and `model/no_such_file.py`\n\n"
        "| reform | indicator | 2012 |\n| --- | --- | --- |\n"
        "| `talent` | `no_such_indicator` | 1 |\n| `talent` | `gdp_bn_yuan` | 2 |\n"
    )
    assert unknown_parameters(text, parameter_groups()) == ["fiscal.platform_investment_share"]
    assert missing_paths(text) == ["model/no_such_file.py"]
    assert unknown_columns(text, {"gdp_bn_yuan"}) == ["no_such_indicator"]
