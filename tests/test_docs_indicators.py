"""docs/indicators.md traces every scored indicator back to the decisions that produce it.

Its section "What produces each scored indicator" must have one table row for each indicator
that model/calibration/scores.toml scores, under the right goal. Every function it names as
``model/<file>.py:<name>`` must be defined in that file (read with ``ast``, so nothing is
imported). Every ``Rules.<field>`` and ``Actions.<method>`` it names must exist, and in the
column "reforms acting" each must belong to the reform the text credits it to: a rule that
reform's ``apply_rules`` writes, an action its module calls. Every key assumption it names must
be a parameters.toml entry whose source says "assumption". A new scored indicator without a
row, a renamed function, a removed rule or a rule credited to the wrong reform fails here.
"""

from __future__ import annotations

import ast
import copy
import importlib
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from model.indicators import score_spec
from model.reforms import REFORMS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "indicators.md"
PARAMETERS = ROOT / "model" / "calibration" / "parameters.toml"
HEADING = "## What produces each scored indicator"
FUNCTION_REFERENCE = re.compile(r"(model/[\w/]+\.py):([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
# anywhere, not only alone in backticks (but not the ``rules.py`` of a path)
RULE_OR_ACTION = re.compile(r"(?<![/\w])(Rules|Actions)\.(\w+)")
REFORM_NUMBER = re.compile(r"\*\*(\d+)\*\*")
# text between two reform numbers that only joins them ("**1**, **2** fewer posts")
JOINER = re.compile(r"(?:\s|,|and)*")
PARAMETER = re.compile(r"`(\w+)\.(\w+)`")
OWNER_FILE = {"Rules": "model/rules.py", "Actions": "model/reforms/actions.py"}


def section(text: str) -> str:
    """The text from the section's heading to the next heading of the same level."""
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end >= 0 else len(text)]


def table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The section's table: its column headings, and each row's cells by its indicator."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    headings = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:  # past the headings and the |---| line
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(headings), f"row with {len(cells)} cells: {line[:60]}"
        rows[cells[0].strip("`")] = cells
    return headings, rows


def column(headings: list[str], starts: str) -> int:
    return next(i for i, heading in enumerate(headings) if heading.startswith(starts))


def missing_entries(spec: dict, rows: dict[str, list[str]]) -> list[str]:
    return [name for items in spec.values() for name in items if name not in rows]


@cache
def definitions(path: str) -> ast.Module:
    return ast.parse((ROOT / path).read_text(encoding="utf-8"))


def is_defined(path: str, dotted: str) -> bool:
    """Whether ``dotted`` (a function or class, or a method as ``Class.method``) is defined
    at the top level of the file ``path``, relative to the repository."""
    if not (ROOT / path).is_file():
        return False
    body = definitions(path).body
    for part in dotted.split("."):
        found = [
            node
            for node in body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name == part
        ]
        if not found:
            return False
        body = found[0].body if isinstance(found[0], ast.ClassDef) else []
    return True


def rule_fields() -> set[str]:
    rules = next(
        node
        for node in definitions(OWNER_FILE["Rules"]).body
        if isinstance(node, ast.ClassDef) and node.name == "Rules"
    )
    return {node.target.id for node in rules.body if isinstance(node, ast.AnnAssign)}


def undefined_references(text: str) -> list[str]:
    """Every ``model/<file>.py:<name>`` and ``Rules.``/``Actions.`` name in ``text`` that the
    code does not define."""
    fields = rule_fields()
    bad = [
        f"{path}:{name}"
        for path, name in FUNCTION_REFERENCE.findall(text)
        if not is_defined(path, name)
    ]
    for owner, name in RULE_OR_ACTION.findall(text):
        if owner == "Rules":
            known = name in fields
        else:
            known = is_defined(OWNER_FILE[owner], f"{owner}.{name}")
        if not known:
            bad.append(f"{owner}.{name}")
    return bad


def credited_names(cell: str) -> list[tuple[tuple[int, ...], str, str]]:
    """Each ``Rules.``/``Actions.`` name of a "reforms acting" cell, with the reforms the text
    credits it to: the bold reform numbers before it. Numbers joined only by commas or "and"
    share the text that follows them."""
    marks = list(REFORM_NUMBER.finditer(cell))
    credited, numbers = [], []
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        numbers.append(int(mark.group(1)))
        text = cell[mark.end() : following.start() if following else len(cell)]
        if JOINER.fullmatch(text):
            continue
        credited += [(tuple(numbers), owner, name) for owner, name in RULE_OR_ACTION.findall(text)]
        numbers = []
    return credited


@cache
def reform_module(number: int) -> ast.Module:
    """The module of reform ``number`` (1 to 10, in the programme's order), parsed."""
    module = importlib.import_module(REFORMS[number - 1].__module__)
    return ast.parse(Path(module.__file__).read_text(encoding="utf-8"))


def rules_written(module: ast.Module) -> set[str]:
    """The fields of ``rules`` the module assigns (``rules.x = ``, ``rules.x *= ``,
    ``rules.x[i] *= ``)."""
    written = set()
    for node in ast.walk(module):
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets = [node.target] if isinstance(node, ast.AugAssign) else targets
        for target in targets:
            while isinstance(target, ast.Subscript):
                target = target.value
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "rules"
            ):
                written.add(target.attr)
    return written


def actions_used(module: ast.Module) -> set[str]:
    """The ``actions.<name>`` the module reaches."""
    return {
        node.attr
        for node in ast.walk(module)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "actions"
    }


def miscredited(cell: str) -> list[str]:
    """Every rule or action of ``cell`` that none of the reforms it is credited to uses, as
    "<reforms>: <Owner>.<name>"."""
    bad = []
    for numbers, owner, name in credited_names(cell):
        used = rules_written if owner == "Rules" else actions_used
        if not any(name in used(reform_module(number)) for number in numbers):
            bad.append(f"{','.join(map(str, numbers))}: {owner}.{name}")
    return bad


@pytest.fixture(scope="module")
def doc_section() -> str:
    return section(DOC.read_text(encoding="utf-8"))


def test_every_scored_indicator_has_an_entry_under_its_goal(doc_section) -> None:
    headings, rows = table(doc_section)
    spec = score_spec()
    assert missing_entries(spec, rows) == []
    goal_column = column(headings, "goal")
    for goal, items in spec.items():
        number = re.search(r"\d+", goal).group()
        for name in items:
            assert rows[name][goal_column].startswith(number), (name, rows[name][goal_column])
    # and no entry is left for an indicator that is no longer scored
    scored = {name for items in spec.values() for name in items}
    assert set(rows) - scored == set()


def test_a_scored_indicator_without_an_entry_is_caught(doc_section) -> None:
    _, rows = table(doc_section)
    spec = copy.deepcopy(score_spec())
    spec["goal3_quality"]["new_indicator"] = {"weight": 1.0, "worst": 0.0, "best": 1.0}
    assert missing_entries(spec, rows) == ["new_indicator"]
    without_approvals = {name: cells for name, cells in rows.items() if name != "approval_days"}
    assert missing_entries(score_spec(), without_approvals) == ["approval_days"]


def test_every_function_rule_and_action_named_exists(doc_section) -> None:
    headings, rows = table(doc_section)
    decisions = column(headings, "decisions")
    for name, cells in rows.items():
        assert FUNCTION_REFERENCE.search(cells[decisions]), f"{name}: no decision named"
    assert len(FUNCTION_REFERENCE.findall(doc_section)) > 50
    assert len(RULE_OR_ACTION.findall(doc_section)) > 30
    assert undefined_references(doc_section) == []


def test_a_name_the_code_does_not_define_is_caught() -> None:
    text = (
        "`model/approvals.py:update`, `model/model.py:ReformModel._open_quarter`, "
        "`Rules.hukou_barrier`, `Actions.found_firms`; "
        "`model/approvals.py:no_such_function`, `model/no_such_file.py:update`, "
        "`model/model.py:ReformModel.no_such_method`, `model/approvals.py:update.inner`, "
        "`Rules.no_such_rule`, `Actions.no_such_action`; "
        # the rules the rebuilt reforms 3 and 6 no longer have, named without backticks too
        "Rules.consumption_mpc, `Rules.business_start_multiplier`, "
        "`Rules.urban_housing_support`, `Rules.wuhan_job_multiplier`, `Rules.extra_market_gain`"
    )
    assert undefined_references(text) == [
        "model/approvals.py:no_such_function",
        "model/no_such_file.py:update",
        "model/model.py:ReformModel.no_such_method",
        "model/approvals.py:update.inner",
        "Rules.no_such_rule",
        "Actions.no_such_action",
        "Rules.consumption_mpc",
        "Rules.business_start_multiplier",
        "Rules.urban_housing_support",
        "Rules.wuhan_job_multiplier",
        "Rules.extra_market_gain",
    ]


def test_every_rule_and_action_belongs_to_the_reform_credited(doc_section) -> None:
    headings, rows = table(doc_section)
    acting = column(headings, "reforms acting")
    credited = [name for cells in rows.values() for name in credited_names(cells[acting])]
    assert len(credited) > 30
    assert {name: miscredited(cells[acting]) for name, cells in rows.items()} == {
        name: [] for name in rows
    }


def test_a_rule_or_action_credited_to_the_wrong_reform_is_caught() -> None:
    cell = (
        "**9** registration reform (`Rules.hukou_barrier`); **3** housing support lowers "
        "`Rules.hukou_barrier`; **1**, **2** fewer posts (`Rules.admin_staff_factor`, "
        "`Rules.purchase_share`); **6** berths (`Actions.build_port`), cheaper trips "
        "(`Rules.commute_cost_share`); **7** and **8** firms founded (`Actions.found_firms`), "
        "**4** berths (`Actions.build_port`)"
    )
    assert [numbers for numbers, _, _ in credited_names(cell)] == [
        (9,),
        (3,),
        (1, 2),
        (1, 2),
        (6,),
        (6,),
        (7, 8),
        (4,),
    ]
    assert miscredited(cell) == ["3: Rules.hukou_barrier", "4: Actions.build_port"]


def test_key_assumptions_are_parameters_marked_as_assumptions(doc_section) -> None:
    headings, rows = table(doc_section)
    assumptions = column(headings, "key assumptions")
    with PARAMETERS.open("rb") as fh:
        parameters = tomllib.load(fh)
    for name, cells in rows.items():
        named = PARAMETER.findall(cells[assumptions])
        assert named, f"{name}: no key assumption named"
        for group, key in named:
            entry = parameters.get(group, {}).get(key)
            assert entry is not None, f"{name}: {group}.{key} is not in parameters.toml"
            assert entry["source"].startswith("assumption"), f"{group}.{key} is not assumed"
