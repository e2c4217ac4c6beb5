"""The sensitivity section of a report: what drives each output, one figure per output, the
heat map, the convergence check, the seed noise and the method, from the files
``ezhou sensitivity`` writes (sensitivity.json, indices.csv, convergence.csv, noise.csv)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.i18n import short, t
from experiments.reports.figures import (
    bars_figure,
    convergence_figure,
    heatmap_figure,
    morris_figure,
)
from experiments.reports.text import (
    distribution_text,
    format_number,
    format_share,
    output_label,
    yes_no,
)


def _read_sensitivity(folder: Path) -> dict[str, Any]:
    meta = json.loads((folder / "sensitivity.json").read_text(encoding="utf-8"))
    data = {
        "meta": meta,
        "indices": pd.read_csv(folder / "indices.csv"),
        "convergence": pd.read_csv(folder / "convergence.csv"),
        "noise": pd.read_csv(folder / "noise.csv"),
        "spec": (folder / "spec.toml").read_text(encoding="utf-8"),
    }
    s2_path = folder / "second_order.csv"
    data["second_order"] = pd.read_csv(s2_path) if s2_path.exists() else pd.DataFrame()
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


def sensitivity_context(folder: Path, lang: str) -> dict[str, Any]:
    """What the sensitivity template shows, from the folder's files."""
    data = _read_sensitivity(folder)
    meta, indices = data["meta"], data["indices"]
    method, main = meta["method"]["name"], meta["main_index"]
    conf_pct = round(100 * meta["analysis"]["conf_level"])
    params = [parameter["path"] for parameter in meta["parameters"]]
    long_labels = {path: t(path, lang) for path in params}
    short_labels = {path: short(path, lang) for path in params}
    outputs = {output["name"]: output_label(output, lang) for output in meta["outputs"]}

    # what drives each output
    wide = _main_values(indices, main, method)
    drivers = []
    for name in wide.columns:
        col = wide[name].sort_values(ascending=False)
        ranked = [
            (long_labels[path], format_number(value, 2))
            for path, value in col.items()
            if np.isfinite(value)
        ]
        drivers.append({"output": outputs[name], "ranked": ranked[:3]})
    index_label = {"morris": "μ*", "sobol": "ST", "delta": "δ", "pawn": "PAWN median"}[method]
    heat = heatmap_figure(
        wide,
        [short_labels[path] for path in wide.index],
        [outputs[output] for output in wide.columns],
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
    for name, output_indices in indices.groupby("output", sort=False):
        title = outputs[name]
        if method == "morris":
            img = morris_figure(output_indices, short_labels, title, conf_pct, lang)
        elif method == "sobol":
            img = bars_figure(
                output_indices,
                short_labels,
                title,
                [("S1", "S1_conf", "S1"), ("ST", "ST_conf", "ST")],
                lang,
            )
        elif method == "delta":
            img = bars_figure(
                output_indices, short_labels, title,
                [("delta", "delta_conf", "δ"), ("S1", "S1_conf", "S1")], lang,
            )  # fmt: skip
        else:
            img = bars_figure(
                output_indices, short_labels, title, [("median", None, "median (min–max)")], lang,
                ranges=("minimum", "maximum"),
            )  # fmt: skip
        rows = []
        cols = [
            column
            for column in indices.columns
            if column not in ("output", "parameter", "sample_size")
        ]
        for _, row in output_indices.iterrows():
            rows.append(
                [long_labels[row.parameter]] + [format_number(row[column]) for column in cols]
            )
        figures.append({"title": title, "img": img, "columns": cols, "rows": rows})
    note_key = {"morris": "report.morris_note", "sobol": "report.sobol_note"}.get(method)
    method_note = t(note_key, lang, conf=conf_pct) if note_key else ""
    section_title = {
        "morris": t("report.morris", lang),
        "sobol": t("report.sobol", lang),
    }.get(method, f"{method.upper()}: {index_label}")

    # convergence
    conv = data["convergence"]
    conv_rows = []
    for name, output_conv in conv.groupby("output", sort=False):
        scale = max(float(output_conv.full.abs().max()), 1e-300)
        worst = output_conv.loc[(output_conv.change.abs()).idxmax()]
        same_top = (
            output_conv.sort_values("half").parameter.iloc[-1]
            == output_conv.sort_values("full").parameter.iloc[-1]
        )
        conv_rows.append(
            [
                outputs[name],
                f"{int(output_conv.half_size.iloc[0])} → {int(output_conv.full_size.iloc[0])}",
                short_labels[worst.parameter],
                format_number(worst.change),
                f"{abs(worst.change) / scale:.1%}",
                "✓" if same_top else "✗",
            ]
        )
    conv_img = convergence_figure(conv, method, index_label, outputs, lang)

    # seed noise
    noise_rows = [
        [
            outputs[row.output],
            format_share(row.noise_share_runs),
            format_share(row.noise_share_means),
        ]
        for row in data["noise"].itertuples()
    ]
    s2_rows = []
    if len(data["second_order"]):
        top = (
            data["second_order"]
            .reindex(data["second_order"].S2.abs().sort_values(ascending=False).index)
            .head(15)
        )
        s2_rows = [
            [outputs[row.output], short_labels[row.parameter_1], short_labels[row.parameter_2],
             format_number(row.S2), format_number(row.S2_conf)]
            for row in top.itertuples()
        ]  # fmt: skip

    param_rows = [
        [long_labels[parameter["path"]], parameter["path"],
         f"[{format_number(parameter['bounds'][0])}, {format_number(parameter['bounds'][1])}]",
         distribution_text(parameter)]
        for parameter in meta["parameters"]
    ]  # fmt: skip
    method_meta = meta["method"]
    paired_with_no_reforms = any(
        output.get("of", "scenario") != "scenario" for output in meta.get("outputs", [])
    )
    rows = [
        ("method", method_meta["name"]),
        *[
            (key, yes_no(value, lang) if isinstance(value, bool) else str(value))
            for key, value in method_meta.items()
            if key != "name"
        ],
        ("model", meta["model"]),
        ("sample_points", format_number(meta["sample_points"])),
        ("replications", str(meta["replications"])),
        ("runs", format_number(meta["runs"])),
        # effect outputs pair each run with its no-reform twin: twice the model runs
        *([("model_runs", format_number(2 * meta["runs"]))] if paired_with_no_reforms else []),
        ("sample_seed", str(meta["sample_seed"])),
        ("paired_seeds", yes_no(meta.get("paired_seeds", True), lang)),
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
    method_rows = [[t(f"report.row.{key}", lang), value] for key, value in rows]
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
    failures = [list(failure) for failure in meta.get("failures", [])]
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
            "report.noise_note" if meta["replications"] > 1 else "report.noise_note_one_seed",
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
        "spec_text": data["spec"],
        "versions": meta.get("versions", {}),
        "git_commit": meta.get("git_commit"),
    }
