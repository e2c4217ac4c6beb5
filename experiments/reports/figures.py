"""The report's figures, drawn with matplotlib and embedded as PNG data URIs; the fonts they
need for Chinese."""

from __future__ import annotations

import base64
import io
import os
import sys
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.i18n import t
from experiments.reports.text import clip_text

MAX_LINES = 10  # design points drawn one by one; more are summarised
MORRIS_NAMED = 8  # parameters named in a μ*–σ plot: those with the largest μ*
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
def figure_style(lang: str):
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


def png_data_uri(fig) -> str:
    """The figure as a data URI (PNG, base64), closed afterwards."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------- sensitivity


def heatmap_figure(wide: pd.DataFrame, labels_y, labels_x, title: str, lang: str) -> str:
    with figure_style(lang) as plt:
        height = max(2.5, 0.34 * len(labels_y) + 1.6)
        width = max(5.0, 0.9 * len(labels_x) + 3.5)
        fig, ax = plt.subplots(figsize=(width, height))
        values = wide.to_numpy(dtype=float)
        vmax = max(1.0, float(np.nanmax(values))) if np.isfinite(values).any() else 1.0
        im = ax.imshow(np.clip(values, 0, None), cmap="viridis", vmin=0, vmax=vmax, aspect="auto")
        ax.set_xticks(range(len(labels_x)), labels_x, rotation=30, ha="right")
        ax.set_yticks(range(len(labels_y)), labels_y)
        ax.grid(False)
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                colour = "white" if value < 0.6 * vmax else "black"
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7, color=colour)
        fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        ax.set_title(title)
        return png_data_uri(fig)


def morris_figure(
    indices: pd.DataFrame, labels: dict[str, str], title: str, conf: float, lang: str
) -> str:
    """Each parameter at (μ*, σ) with the interval of its μ*. The MORRIS_NAMED largest μ*
    are coloured and named in a legend under the plot, largest first; the others are small
    grey dots (the tables under the figure list every one): names written next to thirty
    points overlap beyond reading."""
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        ranked = indices.sort_values("mu_star", ascending=False, kind="stable")
        named = ranked[ranked.mu_star > 0].head(MORRIS_NAMED)
        rest = ranked.drop(named.index)
        if len(rest):
            ax.errorbar(rest.mu_star, rest.sigma, xerr=rest.mu_star_conf.fillna(0), fmt="o",
                        color="#b0b0b0", capsize=2, markersize=3)  # fmt: skip
        for k, (_, row) in enumerate(named.iterrows()):
            ax.errorbar(row.mu_star, row.sigma, xerr=row.mu_star_conf, fmt="o",
                        color=COLOURS[k % len(COLOURS)], capsize=3, markersize=5,
                        label=labels[row.parameter])  # fmt: skip
        if len(named):
            # under the axes, in two columns: beside them it would take half the width
            ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
                      frameon=False)  # fmt: skip
        top = max(
            float((indices.mu_star + indices.mu_star_conf.fillna(0)).max()),
            float(indices.sigma.max()),
            1e-12,
        )
        ax.plot([0, top], [0, top], ls="--", lw=0.8, color="grey")  # sigma = mu*: non-linear
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("μ*")
        ax.set_ylabel("σ")
        ax.set_title(title)
        return png_data_uri(fig)


def bars_figure(
    indices: pd.DataFrame,
    labels: dict[str, str],
    title: str,
    series: list[tuple[str, str | None, str]],
    lang: str,
    ranges: tuple[str, str] | None = None,
) -> str:
    """Horizontal bars of one or two indices with interval whiskers."""
    with figure_style(lang) as plt:
        n_bars = len(indices)
        fig, ax = plt.subplots(figsize=(6.4, max(2.2, 0.36 * n_bars * len(series) + 1.2)))
        rows = np.arange(n_bars)
        height = 0.8 / len(series)
        for k, (col, conf, name) in enumerate(series):
            pos = rows + (k - (len(series) - 1) / 2) * height
            err = indices[conf].to_numpy() if conf else None
            if ranges is not None and k == 0:
                lo, hi = indices[ranges[0]].to_numpy(), indices[ranges[1]].to_numpy()
                mid = indices[col].to_numpy()
                err = np.vstack([mid - lo, hi - mid])
            ax.barh(pos, indices[col], height=height, xerr=err, capsize=2, label=name,
                    color=COLOURS[k], alpha=0.85)  # fmt: skip
        ax.set_yticks(rows, [labels[parameter] for parameter in indices.parameter])
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(title)
        if len(series) > 1 or ranges is not None:
            ax.legend(loc="lower right", fontsize=8)
        return png_data_uri(fig)


def convergence_figure(
    conv: pd.DataFrame, method: str, index: str, outputs: dict[str, str], lang: str
) -> str:
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(5.2, 4.6))
        data = conv.copy()
        if method == "morris":  # outputs differ in units: scale each by its largest value
            top = data.groupby("output")["full"].transform("max").replace(0, np.nan)
            data["half"], data["full"] = data["half"] / top, data["full"] / top
        for k, (name, rows) in enumerate(data.groupby("output", sort=False)):
            colour = COLOURS[k % len(COLOURS)]
            ax.scatter(
                rows.half,
                rows.full,
                s=18,
                color=colour,
                alpha=0.8,
                label=clip_text(outputs[name], 40),
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
        return png_data_uri(fig)


# ---------------------------------------------------------------------------- batch


def trajectory_figure(goal: str, summary: pd.DataFrame, labels: dict[int, str], lang: str) -> str:
    """A goal's mean by design point over the years, with the band of 90% of single runs;
    beyond MAX_LINES points, every point's mean in grey and their median and spread."""
    rows = summary[summary.indicator == goal].sort_values(["point_id", "year"])
    points = list(dict.fromkeys(rows.point_id))
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(6.8, 3.6))
        if len(points) <= MAX_LINES:
            for k, point_id in enumerate(points):
                point = rows[rows.point_id == point_id]
                colour = COLOURS[k % len(COLOURS)]
                ax.fill_between(point.year, point.q05, point.q95, color=colour, alpha=0.15, lw=0)
                ax.plot(
                    point.year,
                    point["mean"],
                    color=colour,
                    lw=1.6,
                    label=clip_text(labels[point_id], 48),
                )
            ax.legend(fontsize=7, loc="best")
        else:
            wide = rows.pivot(index="year", columns="point_id", values="mean")
            for point_id in wide.columns[:400]:
                ax.plot(wide.index, wide[point_id], color="grey", lw=0.5, alpha=0.35)
            lo, hi = wide.quantile(0.05, axis=1), wide.quantile(0.95, axis=1)
            ax.fill_between(wide.index, lo, hi, color=COLOURS[0], alpha=0.2, lw=0)
            ax.plot(wide.index, wide.median(axis=1), color=COLOURS[0], lw=2)
        ax.set_title(t(goal, lang))
        ax.set_ylabel(t("report.score", lang))
        ax.xaxis.get_major_locator().set_params(integer=True)
        return png_data_uri(fig)


# ---------------------------------------------------------------------------- who gains


def _share_axis(axis, which: str = "both", decimals: int | None = 0) -> None:
    """Ticks of shares in percent (``decimals`` None: as many as the ticks need)."""
    from matplotlib.ticker import PercentFormatter

    if which in ("x", "both"):
        axis.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
    if which in ("y", "both"):
        axis.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))


def _series_legend(fig, axes, n_series: int) -> None:
    """One legend for every panel, below them, when there is more than one series."""
    handles, labels = axes[0].get_legend_handles_labels()
    if n_series > 1:  # outside the panels (the figure's constrained layout makes room)
        fig.legend(handles, labels, loc="outside lower center", ncol=min(n_series, 4),
                   fontsize=8, frameon=False)  # fmt: skip


def lorenz_figure(
    curves: dict[str, pd.DataFrame], groups: dict[str, str], title: str, lang: str
) -> str:
    """Lorenz curves, a panel per group (``groups``: key -> label): ``curves`` maps each
    series' label to its curves (group, population, mean, lo, hi); the seed band shaded and
    the dotted diagonal of equal shares."""
    with figure_style(lang) as plt:
        fig, axes = plt.subplots(
            1, len(groups), figsize=(3.1 * len(groups), 3.7), sharey=True, layout="constrained"
        )
        for i, (ax, (group, name)) in enumerate(zip(axes, groups.items(), strict=True)):
            ax.plot([0, 1], [0, 1], ls=":", lw=1.0, color="grey", label=t("report.equality", lang))
            for k, (label, frame) in enumerate(curves.items()):
                rows = frame[frame.group == group]
                colour = COLOURS[k % len(COLOURS)]
                ax.fill_between(rows.population, rows.lo, rows.hi, color=colour, alpha=0.2, lw=0)
                ax.plot(rows.population, rows["mean"], color=colour, lw=1.8, label=label)
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            ax.set_aspect("equal")
            ax.set_title(name)
            _share_axis(ax)
            if i == len(groups) // 2:
                ax.set_xlabel(t("report.lorenz_x", lang))
        axes[0].set_ylabel(t("report.lorenz_y", lang))
        fig.suptitle(title)
        _series_legend(fig, axes, len(curves) + 1)
        return png_data_uri(fig)


def decile_figure(
    bars: dict[str, dict[str, pd.DataFrame]],
    groups: dict[str, str],
    title: str,
    y_label: str,
    lang: str,
) -> str:
    """Bars by decile, a panel per group: ``bars`` maps each series' label to its frames by
    group (decile, mean, lo, hi); series side by side, whiskers over the seed interval."""
    with figure_style(lang) as plt:
        fig, axes = plt.subplots(
            1, len(groups), figsize=(3.3 * len(groups), 3.7), sharey=True, layout="constrained"
        )
        width = 0.8 / len(bars)
        for i, (ax, (group, name)) in enumerate(zip(axes, groups.items(), strict=True)):
            for k, (label, frames) in enumerate(bars.items()):
                rows = frames[group]
                at = rows.decile + (k - (len(bars) - 1) / 2) * width
                spread = np.vstack([rows["mean"] - rows.lo, rows.hi - rows["mean"]])
                ax.bar(at, rows["mean"], width=width, color=COLOURS[k % len(COLOURS)],
                       yerr=spread, capsize=1.5, error_kw={"lw": 0.8}, label=label)  # fmt: skip
            ax.set_xticks(range(1, 11))
            ax.set_title(name)
            ax.grid(axis="x", visible=False)
            ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
            if i == len(groups) // 2:
                ax.set_xlabel(t("report.decile", lang))
        axes[0].set_ylabel(y_label)
        fig.suptitle(title)
        _series_legend(fig, axes, len(bars))
        return png_data_uri(fig)


def over_years_figure(
    lines: dict[str, dict[str, pd.DataFrame]], measures: dict[str, str], title: str, lang: str
) -> str:
    """A group figure year by year, a panel per measure (``measures``: key -> label, shares):
    ``lines`` maps each series' label to its frames by measure (year, mean, lo, hi)."""
    with figure_style(lang) as plt:
        fig, axes = plt.subplots(
            1, len(measures), figsize=(4.6 * len(measures), 3.4), layout="constrained"
        )
        for ax, (measure, name) in zip(axes, measures.items(), strict=True):
            for k, (label, frames) in enumerate(lines.items()):
                rows = frames[measure]
                colour = COLOURS[k % len(COLOURS)]
                ax.fill_between(rows.year, rows.lo, rows.hi, color=colour, alpha=0.2, lw=0)
                ax.plot(rows.year, rows["mean"], color=colour, lw=1.8, label=label)
            ax.set_title(clip_text(name, 60))
            ax.xaxis.get_major_locator().set_params(integer=True)
            if measure == "poverty_share":  # a share from nought; the Gini where it moves
                _share_axis(ax, "y", decimals=None)
                ax.set_ylim(bottom=0)
        fig.suptitle(title)
        _series_legend(fig, axes, len(lines))
        return png_data_uri(fig)
