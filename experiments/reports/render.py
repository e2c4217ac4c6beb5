"""The report's HTML: the kind of folder, its section's context, the jinja templates of
``experiments/templates/``, and the file written in one step."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime
from pathlib import Path

from experiments.compare import COMPARE_MARKER
from experiments.errors import UserError
from experiments.i18n import LANGS, t
from experiments.reports.batch import batch_context
from experiments.reports.discovery import MARKER as DISCOVERY_MARKER
from experiments.reports.discovery import discovery_context, nested_discovery
from experiments.reports.policies import HEAD as SEARCH_MARKER
from experiments.reports.policies import read_search_head
from experiments.reports.scenarios import scenario_context
from experiments.reports.search import search_context
from experiments.reports.sensitivity import sensitivity_context
from experiments.runner import RUN_MARKER, staged

TEMPLATES = Path(__file__).parent.parent / "templates"
# the template of each kind of folder (run and compare share one)
TEMPLATE = {"run": "scenario.html", "compare": "scenario.html"}


# the folders whose report shows the discovery in their discovery/ folder as well
DISCOVERED = ("batch", "sensitivity", "search")


def folder_kind(folder: Path) -> str:
    """ "sensitivity", "search", "discovery", "batch", "run" or "compare"; UserError for a
    folder that is none of them (or unfinished)."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    if (folder / "sensitivity.json").exists():
        return "sensitivity"
    if (folder / SEARCH_MARKER).exists():
        read_search_head(folder)  # a search that has not finished is refused here
        return "search"
    if (folder / DISCOVERY_MARKER).exists():
        return "discovery"
    if (folder / RUN_MARKER).exists():
        return "run"
    if (folder / COMPARE_MARKER).exists():
        return "compare"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        raise UserError(
            f"{folder}: not a results folder of ezhou run, compare, batch, sensitivity, search "
            f"or discover (no {RUN_MARKER}, {COMPARE_MARKER}, manifest.json, {SEARCH_MARKER} "
            f"or {DISCOVERY_MARKER})"
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
        if kind == "sensitivity":
            ctx = sensitivity_context(folder, lang)
        elif kind == "batch":
            ctx = batch_context(folder, lang)
        elif kind == "search":
            ctx = search_context(folder, lang)
        elif kind == "discovery":
            ctx = discovery_context(folder, lang)
        else:
            ctx = scenario_context(folder, kind, lang)
        if kind in DISCOVERED:
            ctx["discovery"] = nested_discovery(folder, lang)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = lambda key, **kw: t(key, lang, **kw)
    template = env.get_template(TEMPLATE.get(kind, f"{kind}.html"))
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
