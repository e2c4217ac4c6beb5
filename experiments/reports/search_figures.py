"""The figures of a search's report: the Pareto set in parallel coordinates and in pairs of
objectives, the levers of its packages, and the hypervolume by generation.

Packages of the Pareto set are coloured by their rank on the first objective (the same colour
in every figure), so that one package can be followed from figure to figure.
"""

from __future__ import annotations

import math
import textwrap
from itertools import combinations

import numpy as np
import pandas as pd

from experiments.i18n import t
from experiments.reports.figures import COLOURS, figure_style, png_data_uri

OTHERS = "#c8c8c8"  # the packages tried that are not in the Pareto set
PALETTE = "viridis"
LABEL_CHARS = 30  # an axis label is wrapped beyond this (Chinese: half as many characters)


def front_colours(n: int):
    """A colour per package of the Pareto set, in the order given (best on the first
    objective first)."""
    from matplotlib import colormaps

    return [colormaps[PALETTE](value) for value in np.linspace(0.0, 0.9, max(n, 1))][:n]


def wrapped(label: str, lang: str) -> str:
    """A long axis label on two or three lines."""
    width = LABEL_CHARS // 2 if lang == "zh" else LABEL_CHARS
    return "\n".join(textwrap.wrap(label, width, max_lines=3, placeholder="…")) or label


def parallel_figure(
    tried: np.ndarray,
    front: np.ndarray,
    labels: list[str],
    ends: list[tuple[str, str]],
    lang: str,
) -> str:
    """Parallel coordinates: one axis per objective, each scaled from the worst value of any
    package tried (0) to the best (1); ``tried`` and ``front`` are so scaled, rows in order;
    ``ends`` the values written at the bottom and top of each axis."""
    n_axes = len(labels)
    axes_at = np.arange(n_axes)
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(max(6.0, 1.9 * n_axes + 1.5), 4.2))
        for row in tried:
            ax.plot(axes_at, row, color=OTHERS, lw=0.6, alpha=0.5)
        for row, colour in zip(front, front_colours(len(front)), strict=True):
            ax.plot(axes_at, row, color=colour, lw=1.6, alpha=0.9, marker="o", markersize=3)
        for k, (worst, best) in enumerate(ends):
            ax.axvline(k, color="black", lw=0.8)
            ax.text(k, -0.06, worst, ha="center", va="top", fontsize=7.5)
            ax.text(k, 1.06, best, ha="center", va="bottom", fontsize=7.5)
        ax.set_xticks(axes_at, [wrapped(label, lang) for label in labels], fontsize=8)
        ax.tick_params(axis="x", pad=18)
        ax.set_yticks([])
        ax.set_ylim(-0.12, 1.12)
        ax.set_xlim(-0.3, n_axes - 0.7)
        ax.grid(False)
        ax.spines[["left", "bottom"]].set_visible(False)
        return png_data_uri(fig)


def tradeoff_figure(
    tried: pd.DataFrame, front: pd.DataFrame, names: list[str], labels: list[str], lang: str
) -> str:
    """One panel per pair of objectives: every package tried in grey, the Pareto set in its
    colours; the objectives' own units."""
    pairs = list(combinations(range(len(names)), 2))
    columns = min(3, len(pairs))
    rows = math.ceil(len(pairs) / columns)
    colours = front_colours(len(front))
    with figure_style(lang) as plt:
        fig, axes = plt.subplots(
            rows, columns, figsize=(3.5 * columns, 3.2 * rows), squeeze=False, layout="constrained"
        )
        for ax, (i, j) in zip(axes.flat, pairs, strict=False):
            ax.scatter(tried[names[i]], tried[names[j]], s=9, color=OTHERS, lw=0)
            ax.scatter(front[names[i]], front[names[j]], s=22, color=colours, edgecolor="black",
                       lw=0.4, zorder=3)  # fmt: skip
            ax.set_xlabel(wrapped(labels[i], lang), fontsize=8)
            ax.set_ylabel(wrapped(labels[j], lang), fontsize=8)
        for ax in list(axes.flat)[len(pairs) :]:
            ax.set_visible(False)
        return png_data_uri(fig)


def lever_map_figure(
    values: np.ndarray, row_labels: list[str], column_labels: list[str], lang: str
) -> str:
    """Packages (rows) by levers (columns), each lever from the low end of its range (0) to
    the high end (1); NaN (a lever of a reform switched off) left blank."""
    from matplotlib import colormaps

    n_rows, n_columns = values.shape
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(
            figsize=(max(5.0, 0.32 * n_columns + 2.5), max(2.2, 0.22 * n_rows + 1.8))
        )
        cmap = colormaps[PALETTE].with_extremes(bad="white")
        image = ax.imshow(
            np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=1, aspect="auto",
            interpolation="nearest",
        )  # fmt: skip
        ax.set_xticks(range(n_columns), column_labels, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(n_rows), row_labels, fontsize=7)
        colours = front_colours(n_rows)
        for tick, colour in zip(ax.get_yticklabels(), colours, strict=True):
            tick.set_color(colour)
        ax.grid(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, ticks=[0, 1])
        bar.ax.set_yticklabels(["low", "high"] if lang != "zh" else ["低", "高"])
        ax.set_title(t("report.lever_map", lang))
        return png_data_uri(fig)


def hypervolume_figure(convergence: pd.DataFrame, lang: str) -> str:
    """The hypervolume of the Pareto set found so far, generation by generation, and the
    set's size on a second axis."""
    generations = convergence.generation + 1
    with figure_style(lang) as plt:
        fig, ax = plt.subplots(figsize=(6.4, 3.4))
        ax.plot(generations, convergence.hypervolume, color=COLOURS[0], lw=1.8, marker="o",
                markersize=4, label=t("report.hypervolume", lang))  # fmt: skip
        ax.set_xlabel(t("report.generation", lang))
        ax.set_ylabel("HV", color=COLOURS[0])
        ax.xaxis.get_major_locator().set_params(integer=True)
        size = ax.twinx()
        size.bar(generations, convergence.front_size, color=COLOURS[3], alpha=0.25, width=0.6)
        size.set_ylabel(t("report.front_size", lang), color=COLOURS[3])
        size.grid(False)
        size.spines["right"].set_visible(True)
        ax.set_zorder(size.get_zorder() + 1)  # the line over the bars
        ax.patch.set_visible(False)
        return png_data_uri(fig)
