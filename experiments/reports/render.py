"""The report's HTML: the kind of folder, its section's context, the jinja templates of
``experiments/templates/``, and the file written in one step."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime
from pathlib import Path

from experiments.errors import UserError
from experiments.i18n import LANGS, t
from experiments.reports.batch import batch_context
from experiments.reports.sensitivity import sensitivity_context
from experiments.runner import staged

TEMPLATES = Path(__file__).parent.parent / "templates"


def folder_kind(folder: Path) -> str:
    """ "sensitivity" or "batch"; UserError for a folder that is neither (or unfinished)."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    if (folder / "sensitivity.json").exists():
        return "sensitivity"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        raise UserError(
            f"{folder}: not a results folder of ezhou batch or ezhou sensitivity (no manifest.json)"
        )
    try:
        kind = json.loads(manifest.read_text(encoding="utf-8")).get("kind", "batch")
    except (OSError, ValueError) as exc:
        raise UserError(f"{manifest}: cannot be read ({exc})") from None
    if kind == "sensitivity":
        raise UserError(
            f"{folder}: the sensitivity analysis has not finished (no sensitivity.json); "
            "continue it with ezhou sensitivity SPEC --out DIR --resume"
        )
    return "batch"


def render(folder: Path, lang: str = "en") -> str:
    """The report's HTML."""
    import jinja2

    folder = Path(folder)
    if lang not in LANGS:
        raise UserError(f"--lang {lang}: allowed {', '.join(LANGS)}")
    kind = folder_kind(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # empty slices in sparse outputs
        ctx = (
            sensitivity_context(folder, lang)
            if kind == "sensitivity"
            else batch_context(folder, lang)
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = lambda key, **kw: t(key, lang, **kw)
    template = env.get_template(f"{kind}.html")
    return template.render(
        **ctx,
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        folder=folder.name,
    )


def write_report(folder: Path, lang: str = "en", name: str = "report.html") -> Path:
    """Render and write ``folder/name`` in one step (nothing half-written on failure)."""
    html = render(folder, lang)
    with staged(folder) as tmp:
        (tmp / name).write_text(html, encoding="utf-8")
    return Path(folder) / name
