"""docs/calibration.md names every parameter of model/calibration/parameters.toml.

Section 3 of the document has one subsection per ``[group]`` of the file, headed
"### `[group]`", in the file's order. A parameter counts as documented when its name appears
in backticks in its group's subsection, or as ``group.name`` anywhere in the document. A
new parameter, a renamed one or a new group without its place in the document fails here.
(That every entry has a unit and a source is tests/test_parameters.py's check.)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "calibration.md"
PARAMETERS = ROOT / "model" / "calibration" / "parameters.toml"
GROUP_HEADING = re.compile(r"^### `\[(\w+)\]`", re.MULTILINE)


def parameters() -> dict[str, list[str]]:
    """The parameter names of each group, in the file's order."""
    with PARAMETERS.open("rb") as fh:
        return {group: list(items) for group, items in tomllib.load(fh).items()}


def group_sections(text: str) -> dict[str, str]:
    """Each group's subsection: from its heading to the next heading of its level or above."""
    sections = {}
    for heading in GROUP_HEADING.finditer(text):
        following = re.search(r"^#{1,3} ", text[heading.end() :], re.MULTILINE)
        end = heading.end() + following.start() if following else len(text)
        sections[heading.group(1)] = text[heading.start() : end]
    return sections


def missing_keys(text: str, groups: dict[str, list[str]]) -> list[str]:
    """The ``group.name`` of every parameter the document does not name."""
    sections = group_sections(text)
    return [
        f"{group}.{name}"
        for group, names in groups.items()
        for name in names
        if f"`{name}`" not in sections.get(group, "") and f"{group}.{name}" not in text
    ]


def test_every_parameter_is_named_in_the_document() -> None:
    assert missing_keys(DOC.read_text(encoding="utf-8"), parameters()) == []


def test_each_group_has_its_subsection_in_the_files_order() -> None:
    headings = GROUP_HEADING.findall(DOC.read_text(encoding="utf-8"))
    assert headings == list(parameters())


def test_a_parameter_the_document_leaves_out_is_caught() -> None:
    text = DOC.read_text(encoding="utf-8")
    groups = parameters()
    # the document with every mention of one parameter removed
    without = "\n".join(
        line
        for line in text.splitlines()
        if "`interest_cover`" not in line and "credit.interest_cover" not in line
    )
    assert missing_keys(without, groups) == ["credit.interest_cover"]
    # a parameter added to the file but not to the document
    added = {**groups, "port": [*groups["port"], "berth_rent_yuan"]}
    assert missing_keys(text, added) == ["port.berth_rent_yuan"]
    # a name in backticks counts only in its own group's subsection: `depreciation` is
    # documented under [firms], [housing] and [infrastructure], not under [port]
    moved = {**groups, "port": [*groups["port"], "depreciation"]}
    assert missing_keys(text, moved) == ["port.depreciation"]
