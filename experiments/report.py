"""``ezhou report DIR``: one self-contained HTML file for a batch or sensitivity folder.

The report is a single file, ``DIR/report.html``, that opens offline: figures are PNG images
embedded as base64 data, styles are inline, and nothing refers to another file or address.

- A **sensitivity** folder (``ezhou sensitivity``): the parameters that drive each output, the
  Morris μ*–σ plots or the Sobol S1/ST bars with their intervals (delta or PAWN likewise), a
  heat map of the indices across outputs, the convergence check (indices from the first half
  of the sample against the whole), the seed noise, the method, the file as written, the
  seeds and the package versions.
- A **batch** folder (``ezhou batch``): each goal's trajectory by design point with the 90%
  band of single runs, a table comparing the design points in the last year, the file as
  written, the seeds and the package versions.

``--lang zh`` writes every label in Chinese. Figures then need a font with Chinese glyphs:
:func:`cjk_font_file` looks for one by file path (``make browser`` installs Debian's
fonts-noto-cjk; ``EZHOU_CJK_FONT`` names another) and says so in one line if there is none.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
import warnings
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer

from experiments.errors import UserError
from experiments.i18n import LANGS, short, t
from experiments.runner import staged

TEMPLATES = Path(__file__).parent / "templates"
GOALS = ("goal1_levels_score", "goal2_per_capita_score", "goal3_quality_score")
MAX_LINES = 10  # design points drawn one by one; more are summarised
MAX_ROWS = 60  # design points in the comparison table
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
DPI = 110
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip


# ---------------------------------------------------------------------------- fonts


@lru_cache(maxsize=1)
def cjk_font_file() -> Path | None:
    """A font file with Chinese glyphs: ``EZHOU_CJK_FONT`` if set, else the first of the
    usual Debian paths that exists."""
    env = os.environ.get("EZHOU_CJK_FONT")
    for candidate in ([env] if env else []) + list(CJK_FONT_FILES):
        path = Path(candidate)
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=2)
def _font_family(lang: str) -> list[str]:
    """matplotlib's sans-serif list for the language: a CJK font first for Chinese (found by
    file path and registered with matplotlib), DejaVu Sans for anything it lacks."""
    if lang != "zh":
        return ["DejaVu Sans"]
    from matplotlib import font_manager

    path = cjk_font_file()
    if path is None:
        tried = ", ".join(CJK_FONT_FILES)
        print(
            "warning: no CJK font found (tried EZHOU_CJK_FONT and "
            f"{tried}): Chinese text in figures will show as boxes; install one with "
            "`make browser` (Debian's fonts-noto-cjk) or set EZHOU_CJK_FONT to a font file",
            file=sys.stderr,
        )
        return ["DejaVu Sans"]
    font_manager.fontManager.addfont(str(path))
    return [font_manager.FontProperties(fname=str(path)).get_name(), "DejaVu Sans"]


@contextmanager
def _figure_style(lang: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": _font_family(lang),
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.dpi": DPI,
    }
    with matplotlib.rc_context(rc):
        yield plt


def _png(fig) -> str:
    """The figure as a data URI (PNG, base64), closed afterwards."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------- labels


def output_label(meta_output: dict[str, Any], lang: str) -> str:
    """An output's label: its indicator with the year or the years averaged."""
    label = t(meta_output["indicator"], lang)
    if meta_output.get("year") is not None:
        return (
            f"{label}（{meta_output['year']}年）"
            if lang == "zh"
            else f"{label}, {meta_output['year']}"
        )
    if meta_output.get("years"):
        a, b = meta_output["years"]
        return f"{label}（{a}–{b}年均值）" if lang == "zh" else f"{label}, mean {a}–{b}"
    return label


def _fmt(x: Any, digits: int = 3) -> str:
    if isinstance(x, str):
        return x
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "–"
    if isinstance(x, int | np.integer):
        return f"{x:,}"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


# ---------------------------------------------------------------------------- sensitivity


def _read_sensitivity(folder: Path) -> dict[str, Any]:
    meta = json.loads((folder / "sensitivity.json").read_text(encoding="utf-8"))
    data = {
        "meta": meta,
        "indices": pd.read_csv(folder / "indices.csv"),
        "convergence": pd.read_csv(folder / "convergence.csv"),
        "noise": pd.read_csv(folder / "noise.csv"),
        "spec": (folder / "spec.toml").read_text(encoding="utf-8"),
    }
    s2 = folder / "second_order.csv"
    data["second_order"] = pd.read_csv(s2) if s2.exists() else pd.DataFrame()
    return data


def _main_values(indices: pd.DataFrame, main: str, method: str) -> pd.DataFrame:
    """Parameters × outputs of the main index; Morris μ* divided by each output's largest
    (outputs have different units), the other indices as they are (shares of variance)."""
    wide = indices.pivot(index="parameter", columns="output", values=main)
    wide = wide.reindex(index=list(dict.fromkeys(indices.parameter)))
    wide = wide[list(dict.fromkeys(indices.output))]
    if method == "morris":
        top = wide.max(axis=0).replace(0, np.nan)
        wide = wide / top
    return wide


def _heatmap(wide: pd.DataFrame, labels_y, labels_x, title: str, lang: str) -> str:
    with _figure_style(lang) as plt:
        h = max(2.5, 0.34 * len(labels_y) + 1.6)
        w = max(5.0, 0.9 * len(labels_x) + 3.5)
        fig, ax = plt.subplots(figsize=(w, h))
        values = wide.to_numpy(dtype=float)
        vmax = max(1.0, float(np.nanmax(values))) if np.isfinite(values).any() else 1.0
        im = ax.imshow(np.clip(values, 0, None), cmap="viridis", vmin=0, vmax=vmax, aspect="auto")
        ax.set_xticks(range(len(labels_x)), labels_x, rotation=30, ha="right")
        ax.set_yticks(range(len(labels_y)), labels_y)
        ax.grid(False)
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                colour = "white" if v < 0.6 * vmax else "black"
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color=colour)
        fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        ax.set_title(title)
        return _png(fig)


def _morris_figure(g: pd.DataFrame, labels: dict[str, str], title: str, conf: float, lang: str):
    with _figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        for k, (_, r) in enumerate(g.iterrows()):
            colour = COLOURS[k % len(COLOURS)]
            ax.errorbar(
                r.mu_star,
                r.sigma,
                xerr=r.mu_star_conf,
                fmt="o",
                color=colour,
                capsize=3,
                markersize=5,
            )
            ax.annotate(labels[r.parameter], (r.mu_star, r.sigma), textcoords="offset points",
                        xytext=(5, 4), fontsize=7)  # fmt: skip
        top = max(float((g.mu_star + g.mu_star_conf.fillna(0)).max()), float(g.sigma.max()), 1e-12)
        ax.plot([0, top], [0, top], ls="--", lw=0.8, color="grey")  # sigma = mu*: non-linear
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("μ*")
        ax.set_ylabel("σ")
        ax.set_title(title)
        return _png(fig)


def _bars_figure(
    g: pd.DataFrame,
    labels: dict[str, str],
    title: str,
    series: list[tuple[str, str | None, str]],
    lang: str,
    ranges: tuple[str, str] | None = None,
) -> str:
    """Horizontal bars of one or two indices with interval whiskers."""
    with _figure_style(lang) as plt:
        n = len(g)
        fig, ax = plt.subplots(figsize=(6.4, max(2.2, 0.36 * n * len(series) + 1.2)))
        y = np.arange(n)
        height = 0.8 / len(series)
        for k, (col, conf, name) in enumerate(series):
            pos = y + (k - (len(series) - 1) / 2) * height
            err = g[conf].to_numpy() if conf else None
            if ranges is not None and k == 0:
                lo, hi = g[ranges[0]].to_numpy(), g[ranges[1]].to_numpy()
                mid = g[col].to_numpy()
                err = np.vstack([mid - lo, hi - mid])
            ax.barh(pos, g[col], height=height, xerr=err, capsize=2, label=name,
                    color=COLOURS[k], alpha=0.85)  # fmt: skip
        ax.set_yticks(y, [labels[p] for p in g.parameter])
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(title)
        if len(series) > 1 or ranges is not None:
            ax.legend(loc="lower right", fontsize=8)
        return _png(fig)


def _convergence_figure(
    conv: pd.DataFrame, method: str, index: str, outputs: dict[str, str], lang: str
) -> str:
    with _figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(5.2, 4.6))
        data = conv.copy()
        if method == "morris":  # outputs differ in units: scale each by its largest value
            top = data.groupby("output")["full"].transform("max").replace(0, np.nan)
            data["half"], data["full"] = data["half"] / top, data["full"] / top
        for k, (name, g) in enumerate(data.groupby("output", sort=False)):
            colour = COLOURS[k % len(COLOURS)]
            ax.scatter(
                g.half, g.full, s=18, color=colour, alpha=0.8, label=_clip(outputs[name], 40)
            )
        if data.output.nunique() <= 12:
            ax.legend(fontsize=7, loc="upper left")
        values = np.concatenate([data.half.to_numpy(), data.full.to_numpy()])
        values = values[np.isfinite(values)]
        lo, hi = (min(0.0, values.min()), max(values.max(), 1e-12)) if len(values) else (0, 1)
        ax.plot([lo, hi], [lo, hi], ls="--", lw=0.8, color="grey")
        norm = " / max" if method == "morris" else ""
        ax.set_xlabel(f"{index}{norm}: {t('report.half_sample', lang)}")
        ax.set_ylabel(f"{index}{norm}: {t('report.full_sample', lang)}")
        return _png(fig)


def sensitivity_context(folder: Path, lang: str) -> dict[str, Any]:
    d = _read_sensitivity(folder)
    meta, indices = d["meta"], d["indices"]
    method, main = meta["method"]["name"], meta["main_index"]
    conf_pct = round(100 * meta["analysis"]["conf_level"])
    params = [p["path"] for p in meta["parameters"]]
    long_labels = {p: t(p, lang) for p in params}
    short_labels = {p: short(p, lang) for p in params}
    outputs = {o["name"]: output_label(o, lang) for o in meta["outputs"]}

    # what drives each output
    wide = _main_values(indices, main, method)
    drivers = []
    for name in wide.columns:
        col = wide[name].sort_values(ascending=False)
        ranked = [(long_labels[p], _fmt(v, 2)) for p, v in col.items() if np.isfinite(v)]
        drivers.append({"output": outputs[name], "ranked": ranked[:3]})
    index_label = {"morris": "μ*", "sobol": "ST", "delta": "δ", "pawn": "PAWN median"}[method]
    heat = _heatmap(
        wide,
        [short_labels[p] for p in wide.index],
        [outputs[o] for o in wide.columns],
        t("report.heatmap", lang),
        lang,
    )
    heat_note = t(
        "report.heatmap_note",
        lang,
        index=index_label,
        norm=t("report.normalised", lang) if method == "morris" else "",
    )

    # one figure per output
    figures = []
    for name, g in indices.groupby("output", sort=False):
        title = outputs[name]
        if method == "morris":
            img = _morris_figure(g, short_labels, title, conf_pct, lang)
        elif method == "sobol":
            img = _bars_figure(
                g, short_labels, title, [("S1", "S1_conf", "S1"), ("ST", "ST_conf", "ST")], lang
            )
        elif method == "delta":
            img = _bars_figure(
                g, short_labels, title,
                [("delta", "delta_conf", "δ"), ("S1", "S1_conf", "S1")], lang,
            )  # fmt: skip
        else:
            img = _bars_figure(
                g, short_labels, title, [("median", None, "median (min–max)")], lang,
                ranges=("minimum", "maximum"),
            )  # fmt: skip
        rows = []
        cols = [c for c in indices.columns if c not in ("output", "parameter", "sample_size")]
        for _, r in g.iterrows():
            rows.append([long_labels[r.parameter]] + [_fmt(r[c]) for c in cols])
        figures.append({"title": title, "img": img, "columns": cols, "rows": rows})
    note_key = {"morris": "report.morris_note", "sobol": "report.sobol_note"}.get(method)
    method_note = t(note_key, lang, conf=conf_pct) if note_key else ""
    section_title = {
        "morris": t("report.morris", lang),
        "sobol": t("report.sobol", lang),
    }.get(method, f"{method.upper()}: {index_label}")

    # convergence
    conv = d["convergence"]
    conv_rows = []
    for name, g in conv.groupby("output", sort=False):
        scale = max(float(g.full.abs().max()), 1e-300)
        worst = g.loc[(g.change.abs()).idxmax()]
        same_top = (
            g.sort_values("half").parameter.iloc[-1] == g.sort_values("full").parameter.iloc[-1]
        )
        conv_rows.append(
            [
                outputs[name],
                f"{int(g.half_size.iloc[0])} → {int(g.full_size.iloc[0])}",
                short_labels[worst.parameter],
                _fmt(worst.change),
                f"{abs(worst.change) / scale:.1%}",
                "✓" if same_top else "✗",
            ]
        )
    conv_img = _convergence_figure(conv, method, index_label, outputs, lang)

    # seed noise
    noise_rows = [
        [outputs[r.output], _pct(r.noise_share_runs), _pct(r.noise_share_means)]
        for r in d["noise"].itertuples()
    ]
    s2_rows = []
    if len(d["second_order"]):
        top = (
            d["second_order"]
            .reindex(d["second_order"].S2.abs().sort_values(ascending=False).index)
            .head(15)
        )
        s2_rows = [
            [outputs[r.output], short_labels[r.parameter_1], short_labels[r.parameter_2],
             _fmt(r.S2), _fmt(r.S2_conf)]
            for r in top.itertuples()
        ]  # fmt: skip

    param_rows = [
        [long_labels[p["path"]], p["path"], f"[{_fmt(p['bounds'][0])}, {_fmt(p['bounds'][1])}]",
         _distribution(p)]
        for p in meta["parameters"]
    ]  # fmt: skip
    m = meta["method"]
    rows = [
        ("method", m["name"]),
        *[
            (k, str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in m.items()
            if k != "name"
        ],
        ("model", meta["model"]),
        ("sample_points", _fmt(meta["sample_points"])),
        ("replications", str(meta["replications"])),
        ("runs", _fmt(meta["runs"])),
        ("sample_seed", str(meta["sample_seed"])),
        ("paired_seeds", str(meta.get("paired_seeds", True)).lower()),
        ("analysis_seed", str(meta["analysis"]["seed"])),
        ("resamples", str(meta["analysis"]["resamples"])),
        ("conf_level", f"{conf_pct}%"),
    ]
    if meta.get("base_scenario"):
        rows += [
            ("base_scenario", meta["base_scenario"]),
            ("scale", str(meta["scale"])),
            ("end_year", str(meta["end_year"])),
        ]
    rows += [
        ("executor", str(meta.get("executor"))),
        ("wall_time", f"{meta['wall_seconds']:.1f} s"),
    ]
    method_rows = [[t(f"report.row.{k}", lang), v] for k, v in rows]
    seeds = meta.get("run_seeds")
    dropped = meta.get("dropped") or {}
    dropped_note = (
        t(
            "report.dropped",
            lang,
            runs=dropped["failed_runs"],
            blocks=dropped["blocks_dropped"],
            total=dropped["blocks"],
        )
        if dropped.get("failed_runs")
        else ""
    )
    failures = [list(f) for f in meta.get("failures", [])]
    return {
        "dropped_note": dropped_note,
        "failures": failures,
        "n_failures": dropped.get("failed_runs", 0),
        "kind": "sensitivity",
        "title": f"{t('report.sensitivity_title', lang)}: {meta['name']}",
        "description": meta.get("description", ""),
        "drivers": drivers,
        "index_label": index_label,
        "heatmap": heat,
        "heatmap_note": heat_note,
        "section_title": section_title,
        "method_note": method_note,
        "figures": figures,
        "convergence_img": conv_img,
        "convergence_rows": conv_rows,
        "noise_rows": noise_rows,
        "noise_note": t(
            "report.noise_note",
            lang,
            reps=meta["replications"],
            paired=t(
                "report.paired" if meta.get("paired_seeds", True) else "report.unpaired", lang
            ),
        ),
        "drivers_note": t(
            "report.drivers_note",
            lang,
            index=index_label,
            norm=t("report.normalised", lang) if method == "morris" else "",
        ),
        "second_order_rows": s2_rows,
        "param_rows": param_rows,
        "method_rows": method_rows,
        "seeds": seeds if isinstance(seeds, list) else [],
        "spec_text": d["spec"],
        "versions": meta.get("versions", {}),
        "git_commit": meta.get("git_commit"),
    }


def _pct(x: float) -> str:
    return "–" if not np.isfinite(x) else f"{x:.1%}"


def _distribution(p: dict[str, Any]) -> str:
    kind = p.get("distribution", "uniform")
    if kind == "triangular":
        return f"triangular, mode {_fmt(p['mode'])}"
    if kind == "truncnorm":
        return f"truncated normal, mean {_fmt(p['mean'])}, sd {_fmt(p['sd'])}"
    return "uniform"


# ---------------------------------------------------------------------------- batch


def _point_labels(summary: pd.DataFrame, factors: list[str], lang: str) -> dict[int, str]:
    """A label per design point: its name, or its factor values with short labels."""
    points = summary.drop_duplicates("point_id").set_index("point_id")
    labels = {}
    for pid, row in points.iterrows():
        if "point_name" in points.columns and isinstance(row.get("point_name"), str):
            labels[pid] = row["point_name"]
        elif factors:
            labels[pid] = ", ".join(
                f"{short(f, lang)} = {_fmt(row[f])}" for f in factors if f in points.columns
            )
        else:
            labels[pid] = f"#{pid}"
    return labels


def _trajectory_figure(goal: str, s: pd.DataFrame, labels: dict[int, str], lang: str) -> str:
    g = s[s.indicator == goal].sort_values(["point_id", "year"])
    points = list(dict.fromkeys(g.point_id))
    with _figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(6.8, 3.6))
        if len(points) <= MAX_LINES:
            for k, pid in enumerate(points):
                p = g[g.point_id == pid]
                colour = COLOURS[k % len(COLOURS)]
                ax.fill_between(p.year, p.q05, p.q95, color=colour, alpha=0.15, lw=0)
                ax.plot(p.year, p["mean"], color=colour, lw=1.6, label=_clip(labels[pid], 48))
            ax.legend(fontsize=7, loc="best")
        else:
            wide = g.pivot(index="year", columns="point_id", values="mean")
            for pid in wide.columns[:400]:
                ax.plot(wide.index, wide[pid], color="grey", lw=0.5, alpha=0.35)
            lo, hi = wide.quantile(0.05, axis=1), wide.quantile(0.95, axis=1)
            ax.fill_between(wide.index, lo, hi, color=COLOURS[0], alpha=0.2, lw=0)
            ax.plot(wide.index, wide.median(axis=1), color=COLOURS[0], lw=2)
        ax.set_title(t(goal, lang))
        ax.set_ylabel(t("report.score", lang))
        ax.xaxis.get_major_locator().set_params(integer=True)
        return _png(fig)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def batch_context(folder: Path, lang: str) -> dict[str, Any]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    summary_path = folder / "summary.csv"
    if not summary_path.exists():
        raise UserError(
            f"{folder}: no summary.csv yet (the batch has not finished); continue it with "
            "ezhou batch SPEC --out DIR --resume"
        )
    summary = pd.read_csv(summary_path)
    summary = summary[summary.indicator.isin(GOALS)]
    factors = [f for f in manifest.get("factors", []) if f != "point_name"]
    labels = _point_labels(summary, factors, lang)
    n_points = summary.point_id.nunique()
    figures = [_trajectory_figure(goal, summary, labels, lang) for goal in GOALS]
    last = int(summary.year.max())
    end = summary[summary.year == last]
    rows = []
    for pid in sorted(labels)[:MAX_ROWS]:
        cells = [f"{pid}", labels[pid]]
        for goal in GOALS:
            r = end[(end.point_id == pid) & (end.indicator == goal)]
            cells.append(
                "–" if r.empty else
                f"{r['mean'].iat[0]:.1f} [{r.q05.iat[0]:.1f}, {r.q95.iat[0]:.1f}]"
            )  # fmt: skip
        rows.append(cells)
    design = pd.read_csv(folder / "design.csv", usecols=["point_id", "seed"])
    seeds = design[design.point_id == design.point_id.min()].seed.tolist()
    failures = [
        [r["run_id"], r["seed"], r.get("error", "")]
        for r in manifest.get("runs", [])
        if r.get("state") == "failed"
    ]
    sessions = manifest.get("sessions", [])
    return {
        "kind": "batch",
        "title": f"{t('report.batch_title', lang)}: {manifest.get('name', folder.name)}",
        "description": "",
        "trajectory_note": (
            t("report.trajectories_note", lang)
            if n_points <= MAX_LINES
            else t("report.trajectories_many", lang, n=n_points)
        ),
        "trajectories": figures,
        "comparison_note": t("report.comparison_note", lang, year=last),
        "comparison_head": [
            "#",
            t("report.design_point", lang),
            *[t(g, lang) for g in GOALS],
        ],
        "comparison_rows": rows,
        "truncated": (
            t("report.truncated", lang, shown=MAX_ROWS, n=n_points) if n_points > MAX_ROWS else ""
        ),
        "method_rows": [
            [t(f"report.row.{k}", lang), v]
            for k, v in [
                ("design_points", _fmt(n_points)),
                ("replications", str(manifest.get("replications"))),
                ("paired_seeds", str(manifest.get("paired_seeds")).lower()),
                ("runs", f"{manifest.get('n_done')} / {manifest.get('n_runs')}"),
                ("executor", ", ".join(str(s.get("executor")) for s in sessions) or "–"),
                ("wall_time", f"{sum(s.get('wall_seconds', 0) for s in sessions):.1f} s"),
            ]
        ],
        "failures": failures[:20],
        "n_failures": len(failures),
        "seeds": seeds,
        "spec_text": manifest.get("spec_text", ""),
        "versions": manifest.get("versions", {}),
        "git_commit": manifest.get("git_commit"),
    }


# ---------------------------------------------------------------------------- the page


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


def command(
    folder: Annotated[Path, typer.Argument(help="A folder of ezhou batch or ezhou sensitivity.")],
    lang: Annotated[str, typer.Option(help="Language of the report: en or zh.")] = "en",
    name: Annotated[str, typer.Option(help="File name of the report inside the folder.")] = (
        "report.html"
    ),
) -> None:
    """Write FOLDER/report.html: one self-contained file with the figures, tables, method,
    seeds and package versions of a batch or sensitivity run."""
    if "/" in name or "\\" in name or not name.endswith(".html"):
        raise UserError(f"--name {name}: allowed a plain file name ending in .html")
    path = write_report(folder, lang, name)
    print(f"report in {path} ({path.stat().st_size / 1e6:.1f} MB, self-contained)")
