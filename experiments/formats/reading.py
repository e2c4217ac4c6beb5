"""Reading a user's spec file: its text, then its TOML checked against a schema, each mistake
one line naming the file (and the key) as every command reports it."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from experiments.errors import SpecError, UserError
from model.scenario import ScenarioError, one_line_error, read_toml, read_user_file


def read_spec_text(path: str | Path, what: str) -> str:
    """The file's text; a :class:`UserError` in one line if it cannot be read (``what``
    names the kind of file, as in "a search file")."""
    try:
        return read_user_file(path, what)
    except ScenarioError as exc:
        raise UserError(str(exc)) from None


def validate_spec[Schema: BaseModel](text: str, path: Path, schema: type[Schema]) -> Schema:
    """The file's TOML checked against ``schema``; a :class:`SpecError` in one line naming
    the file, the key and what is allowed."""
    src = str(path)
    try:
        data = read_toml(text, src)
    except ScenarioError as exc:
        raise SpecError(str(exc)) from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise SpecError(one_line_error(exc, src, schema)) from None
