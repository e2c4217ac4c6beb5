"""The figures of a scenario discovery's report: PRIM's peeling trajectory, the kept box's
limits, and the runs inside and outside it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.i18n import t
from experiments.reports.figures import COLOURS, figure_style, png_data_uri
from experiments.reports.text import clip_text

CASE = COLOURS[1]  # a case of interest
OTHER = "#9a9a9a"  # any other run
BOX = COLOURS[0]


def peeling_figure(trajectory: pd.DataFrame, lang: str) -> str:
    """Coverage against density of each box of the trajectory, coloured by the number of
    inputs it restricts; the kept box ringed."""
    from matplotlib import colormaps

    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(5.6, 4.0))
        most = max(int(trajectory.restricted.max()), 1)
        points = ax.scatter(
            trajectory.coverage, trajectory.density, c=trajectory.restricted, s=26,
            cmap=colormaps["viridis"], vmin=0, vmax=most, zorder=3,
        )  # fmt: skip
        ax.plot(trajectory.coverage, trajectory.density, color="#bbbbbb", lw=0.8, zorder=2)
        kept = trajectory[trajectory.chosen.astype(bool)]
        if len(kept):
            row = kept.iloc[0]
            ax.scatter([row.coverage], [row.density], s=180, facecolor="none",
                       edgecolor=CASE, lw=1.6, zorder=4)  # fmt: skip
            ax.annotate(
                f"{t('report.chosen_box', lang)} {int(row.box)}",
                (row.coverage, row.density), xytext=(10, -14), textcoords="offset points",
                fontsize=8, color=CASE,
            )  # fmt: skip
        bar = fig.colorbar(points, ax=ax, fraction=0.05, pad=0.02, ticks=range(most + 1))
        bar.set_label(t("report.restricted", lang))
        ax.set_xlabel(t("report.coverage", lang))
        ax.set_ylabel(t("report.density", lang))
        ax.set_xlim(-0.02, 1.04)
        ax.set_ylim(-0.02, 1.04)
        return png_data_uri(fig)


def box_figure(limits: list[dict], lang: str) -> str:
    """Each restricted input's range in the box (blue) within the range the runs took (grey):
    ``limits`` gives per input its label, the box's ends as shares of the runs' range
    (``low``, ``high``) and the texts of its values (``low_text``, ``high_text``)."""
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(6.4, max(1.6, 0.55 * len(limits) + 0.9)))
        for k, limit in enumerate(limits):
            ax.plot([0, 1], [k, k], color="#d0d0d0", lw=6, solid_capstyle="butt")
            if limit["high"] - limit["low"] < 0.02:  # one value kept: a switch, a choice
                ax.plot([limit["low"]], [k], marker="s", markersize=9, color=BOX)
            else:
                ax.plot([limit["low"], limit["high"]], [k, k], color=BOX, lw=6,
                        solid_capstyle="butt")  # fmt: skip
            ax.text(limit["low"], k + 0.22, limit["low_text"], ha="center", fontsize=7.5)
            if limit["high_text"] != limit["low_text"]:
                ax.text(limit["high"], k + 0.22, limit["high_text"], ha="center", fontsize=7.5)
        ax.set_yticks(range(len(limits)), [clip_text(limit["label"], 48) for limit in limits])
        ax.invert_yaxis()
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(len(limits) - 0.5, -0.7)
        ax.set_xticks([])
        ax.grid(False)
        ax.spines[["left", "bottom"]].set_visible(False)
        return png_data_uri(fig)


def cases_figure(
    x: pd.Series,
    y: pd.Series,
    of_interest: np.ndarray,
    box: tuple[tuple[float, float], tuple[float, float] | None],
    labels: tuple[str, str],
    lang: str,
) -> str:
    """The runs in two of the inputs (or an input and the outcome), cases of interest in
    red; the box drawn over them (``box``: its x limits, and its y limits or None when y is
    not restricted)."""
    from matplotlib.patches import Rectangle

    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(5.6, 4.2))
        interest = np.asarray(of_interest, dtype=bool)
        ax.scatter(x[~interest], y[~interest], s=10, color=OTHER, alpha=0.6, lw=0,
                   label=t("report.other_runs", lang))  # fmt: skip
        ax.scatter(x[interest], y[interest], s=12, color=CASE, alpha=0.8, lw=0,
                   label=t("report.of_interest", lang))  # fmt: skip
        (x_low, x_high), y_limits = box
        if y_limits is None:
            for edge in (x_low, x_high):
                ax.axvline(edge, color=BOX, lw=1.4, ls="--")
        else:
            (y_low, y_high) = y_limits
            ax.add_patch(Rectangle((x_low, y_low), x_high - x_low, y_high - y_low, fill=False,
                                   edgecolor=BOX, lw=1.6, ls="--", zorder=4))  # fmt: skip
        ax.set_xlabel(clip_text(labels[0], 60))
        ax.set_ylabel(clip_text(labels[1], 60))
        ax.legend(fontsize=7.5, loc="best")
        return png_data_uri(fig)
