"""Conditions on a run's outcomes, as ``ezhou discover --where`` takes them, read without ever
running the user's text as code.

An expression compares outcomes with numbers or with each other::

    goal2_per_capita_score@2020 < 60
    goal1_levels_score@2020 - goal1_levels_score@2015 < 5 and government_debt_bn_yuan@2020 > 40
    not (unemployment_rate@2016-2020 <= 0.05)
    goal1_levels_score@2020 - no_reforms.goal1_levels_score@2020 < 5

An outcome is an indicator of the annual table at a year (``name@2020``) or averaged over
years (``name@2016-2020``, no spaces); in results without years (a test problem's) it is the
bare name. ``no_reforms.name@2020`` reads the same run's twin with every reform off, where the
folder keeps one (a sensitivity study of reform effects): the last example asks where the
reforms gain less than 5 points on goal 1. Allowed: numbers, ``+ - * /``, parentheses, the
comparisons ``< <= > >= == !=`` (chained too) and ``and``, ``or``, ``not``. The text is split
into tokens by one regular expression, the outcomes replaced by placeholders, and the result
parsed by Python's ``ast`` into a tree whose every node is checked against that list;
evaluation walks the tree over arrays of the runs' values.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import numpy as np

from experiments.errors import UserError

TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<ref>(?:no_reforms\.)?[A-Za-z_][A-Za-z0-9_]*(?:@\d{4}(?:-\d{4})?)?)"
    r"|(?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\))"
    r")"
)
KEYWORDS = ("and", "or", "not")
ALLOWED = (
    "outcomes (indicator@year or indicator@first-last, no_reforms.indicator@year for the "
    "run without reforms), numbers, + - * /, parentheses, "
    "< <= > >= == !=, and, or, not"
)
COMPARISONS = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
ARITHMETIC = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}


@dataclass(frozen=True)
class OutcomeRef:
    """An outcome the expression reads: an indicator at a year, or its mean over years."""

    text: str
    indicator: str
    first: int | None
    last: int | None
    no_reforms: bool = False  # read from the run's twin with every reform off


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.Expression
    refs: tuple[OutcomeRef, ...]  # placeholder _o{i} stands for refs[i]
    source: str = "--where"  # where the user wrote it: the option, or a file and its key

    @property
    def head(self) -> str:
        """How an error about the expression starts: where it was written, and the text."""
        return f"{self.source} {self.text!r}"

    def evaluate(self, values: dict[OutcomeRef, np.ndarray]) -> np.ndarray:
        """The expression's truth for every run, given each outcome's values by run."""
        result = _evaluate(self.tree.body, [values[ref] for ref in self.refs])
        return np.asarray(result, dtype=bool)


def parse_expression(text: str, where: str = "--where") -> Expression:
    """Check and parse a condition on outcomes; a :class:`UserError` in one line naming
    ``where`` (the option or the spec key) and what is allowed."""
    head = f"{where} {text!r}"
    if not text.strip():
        raise UserError(
            f"{head}: empty; allowed: a condition such as goal2_per_capita_score@2020 < 60"
        )
    if len(text) > 2000:
        raise UserError(f"{head[:60]}...: {len(text)} characters; allowed: at most 2000")
    pieces, refs, position = [], {}, 0
    while position < len(text.rstrip()):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise UserError(
                f"{head}: cannot read {text[position:].strip()[:20]!r} (character {position + 1}); "
                f"allowed: {ALLOWED}"
            )
        position = match.end()
        if match.group("ref") and match.group("ref") not in KEYWORDS:
            ref = _ref(match.group("ref"), head)
            refs.setdefault(ref, len(refs))
            pieces.append(f"_o{refs[ref]}")
        else:
            pieces.append(match.group(match.lastgroup))
    try:
        tree = ast.parse(" ".join(pieces), mode="eval")
    except SyntaxError:
        raise UserError(f"{head}: not a complete condition; allowed: {ALLOWED}") from None
    _check(tree.body, head, top=True)
    return Expression(text, tree, tuple(refs), where)


def _ref(token: str, head: str) -> OutcomeRef:
    prefix = "no_reforms."
    twin = token.startswith(prefix)
    name, _, years = token.removeprefix(prefix).partition("@")
    if not years:
        return OutcomeRef(token, name, None, None, twin)
    first, _, last = years.partition("-")
    first_year, last_year = int(first), int(last or first)
    if first_year > last_year:
        raise UserError(f"{head}: {token}: the years are reversed; allowed: @first-last")
    return OutcomeRef(token, name, first_year, last_year, twin)


def _check(node: ast.AST, head: str, top: bool = False) -> str:
    """The kind of value a node gives ("bool" or "number"), or UserError if it is not on the
    allowed list or mixes a condition with a number."""
    if isinstance(node, ast.Compare):
        if not all(type(op) in COMPARISONS for op in node.ops):
            raise UserError(f"{head}: only < <= > >= == != compare; allowed: {ALLOWED}")
        for part in [node.left, *node.comparators]:
            _need(part, "number", head)
        return "bool"
    if isinstance(node, ast.BoolOp):
        for part in node.values:
            _need(part, "bool", head)
        return "bool"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _need(node.operand, "bool", head)
        return "bool"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _need(node.operand, "number", head)
        kind = "number"
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        _need(node.left, "number", head)
        _need(node.right, "number", head)
        kind = "number"
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        kind = "number"
    elif isinstance(node, ast.Name) and re.fullmatch(r"_o\d+", node.id):
        kind = "number"
    else:
        raise UserError(f"{head}: not a condition on outcomes; allowed: {ALLOWED}")
    if top:
        raise UserError(
            f"{head}: gives a number, not a condition; compare it, as in "
            "goal2_per_capita_score@2020 < 60"
        )
    return kind


def _need(node: ast.AST, kind: str, head: str) -> None:
    if _check(node, head) != kind:
        what = "a condition" if kind == "bool" else "a number"
        raise UserError(f"{head}: {ast.unparse(node)!r} is not {what} where one is needed")


def _evaluate(node: ast.AST, values: list[np.ndarray]):
    if isinstance(node, ast.Compare):
        result, left = True, _evaluate(node.left, values)
        for op, part in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(part, values)
            result = np.logical_and(result, COMPARISONS[type(op)](left, right))
            left = right
        return result
    if isinstance(node, ast.BoolOp):
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        result = _evaluate(node.values[0], values)
        for part in node.values[1:]:
            result = combine(result, _evaluate(part, values))
        return result
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, values)
        if isinstance(node.op, ast.Not):
            return np.logical_not(operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        with np.errstate(divide="ignore", invalid="ignore"):
            return ARITHMETIC[type(node.op)](
                _evaluate(node.left, values), _evaluate(node.right, values)
            )
    if isinstance(node, ast.Constant):
        return float(node.value)
    return values[int(node.id[2:])]  # a placeholder: _check let nothing else through
