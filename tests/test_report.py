"""``ezhou report``: one self-contained HTML file for sensitivity, batch, run and comparison
folders, opened in headless Debian chromium in both languages with every figure loaded; who
gains (the distribution section) in run and comparison reports."""

from __future__ import annotations

import math
import os
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main
from experiments.reports.figures import cjk_font_file
from ui.browser import browser_page, chromium_path

ROOT = Path(__file__).resolve().parent.parent

needs_chromium = pytest.mark.skipif(
    chromium_path() is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (`make browser`); CI installs it",
)


def ishigami(kind: str, method: str) -> str:
    pi = repr(math.pi)
    params = "".join(f'[[parameters]]\npath = "x{i}"\nbounds = [-{pi}, {pi}]\n' for i in (1, 2, 3))
    return (
        f'name = "ishigami_{kind}"\nmodel = "ishigami"\nreplications = 2\n'
        f"[ishigami]\nnoise_sd = 0.5\n[method]\n{method}\n[analysis]\nresamples = 100\n"
        f'{params}[[outputs]]\nindicator = "y"\n[[outputs]]\nindicator = "y"\nname = "y_again"\n'
    )


BATCH = f"""
name = "two_points"
base = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"
seed = 3
replications = 2
end_year = 2012
scale = 1000
[factors."levers.five_securities.enabled"]
values = [false, true]
"""


SCENARIOS = ROOT / "scenarios"
QUICK_RUN = ["--seeds", "3", "--scale", "1000", "--end-year", "2012", "--quiet"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """A Morris and a Sobol sensitivity folder (Ishigami: quick), a small model batch, a run
    and a comparison."""
    root = tmp_path_factory.mktemp("report")
    out = {}
    for kind, method in (
        ("morris", "name = 'morris'\ntrajectories = 10"),
        ("sobol", "name = 'sobol'\nn = 64\nsecond_order = true"),
    ):
        spec = root / f"{kind}.toml"
        spec.write_text(ishigami(kind, method))
        out[kind] = root / kind
        args = ["sensitivity", str(spec), "--out", str(out[kind]), "--executor", "serial"]
        assert main([*args, "--quiet"]) == 0
    spec = root / "batch.toml"
    spec.write_text(BATCH)
    out["batch"] = root / "batch"
    assert main(["batch", str(spec), "--out", str(out["batch"]), "--executor", "serial"]) == 0
    out["run"] = root / "run"
    run = ["run", str(SCENARIOS / "full_programme.toml"), *QUICK_RUN, "--out", str(out["run"])]
    assert main(run) == 0
    out["compare"] = root / "compare"
    scenarios = [str(SCENARIOS / name) for name in ("baseline.toml", "full_programme.toml")]
    compare = ["compare", *scenarios, *QUICK_RUN, "--years", "2012"]
    assert main([*compare, "--out", str(out["compare"])]) == 0
    return out


def langs() -> list[str]:
    if cjk_font_file() is None and not os.environ.get("CI"):
        return ["en"]  # no CJK font here: `make browser` installs Debian's fonts-noto-cjk
    return ["en", "zh"]


def reports_of(folders: dict[str, Path]) -> dict[tuple[str, str], Path]:
    """Every folder's report in each language, written by `ezhou report`; the Chinese ones
    with no glyph missing from the figures' fonts."""
    out = {}
    for kind, folder in folders.items():
        for lang in langs():
            name = f"report_{lang}.html"
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                assert main(["report", str(folder), "--lang", lang, "--name", name]) == 0
            missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
            assert not missing, missing[:3]
            out[kind, lang] = folder / name
    return out


@pytest.fixture(scope="module")
def reports(folders) -> dict[tuple[str, str], Path]:
    return reports_of(folders)


@pytest.mark.parametrize("kind", ["morris", "sobol", "batch", "run", "compare"])
def test_report_is_one_self_contained_file(reports, kind) -> None:
    html = reports[kind, "en"].read_text(encoding="utf-8")
    srcs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs), srcs[:3]
    assert "http://" not in html and "https://" not in html
    if kind == "morris":
        assert "Morris screening" in html and "μ*" in html and "Convergence check" in html
        assert "Seed noise" in html and "SALib" in html
    elif kind == "sobol":
        assert "S1" in html and "ST" in html and "S2" in html
    elif kind == "batch":
        assert "Goal trajectories" in html and "Comparison of design points" in html
    else:
        assert "Goal trajectories" in html and "Who gains" in html
        assert "Inequality and poverty" in html


def test_chinese_reports(reports) -> None:
    if "zh" not in langs():
        pytest.skip("no CJK font here (`make browser` installs Debian's fonts-noto-cjk)")
    html = reports["morris", "zh"].read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in html and "全局敏感性分析" in html and "收敛性检验" in html
    html = reports["batch", "zh"].read_text(encoding="utf-8")
    assert "目标得分轨迹" in html and "设计点比较" in html
    html = reports["compare", "zh"].read_text(encoding="utf-8")
    assert "谁受益" in html and "不平等与贫困" in html and "各情景与baseline对比" in html


@pytest.mark.parametrize(
    "folder, expected",
    [
        ("nothing", "no such folder"),
        ("empty", "not a results folder"),
    ],
)
def test_report_on_a_wrong_folder_exits_2(tmp_path, capsys, folder, expected) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err


def test_unfinished_sensitivity_folder_is_refused(folders, tmp_path, capsys) -> None:
    (tmp_path / "manifest.json").write_text('{"kind": "sensitivity"}')
    assert main(["report", str(tmp_path)]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["report", str(folders["morris"]), "--lang", "fr"]) == 2


@needs_chromium
def test_reports_open_in_chromium_with_every_figure_loaded(reports) -> None:
    with browser_page() as page:
        outside: list[str] = []
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:"))
                else (outside.append(route.request.url), route.abort())
            ),
        )
        for (kind, lang), path in reports.items():
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            sizes = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
            )
            assert len(sizes) >= (3 if kind == "batch" else 4), (kind, lang, sizes)
            assert all(ok and w > 0 and h > 0 for ok, w, h in sizes), (kind, lang, sizes)
            assert page.title()
        assert not outside, outside


# ---------------------------------------------------------------- who gains


def city_rows(folder: Path, year: int, group: str = "all") -> pd.DataFrame:
    """The group rows (one per seed, and scenario in a comparison) of ``year`` from the
    folder's distribution.parquet: the city's, or urban or rural residents'."""
    table = pd.read_parquet(folder / "distribution.parquet")
    rows = table[(table.year == year) & (table.decile == 1) & (table.zone == "all")]
    return rows[rows.residence == group]


def test_run_report_gives_gini_and_poverty_with_their_seed_intervals(folders, reports) -> None:
    html = reports["run", "en"].read_text(encoding="utf-8")
    assert html.count('alt="Who gains') == 2 * 2 + 3  # Lorenz and deciles twice, 3 groups
    for year in (2010, 2012):
        gini = city_rows(folders["run"], year).gini
        low, high = gini.quantile(0.05), gini.quantile(0.95)
        assert f"{gini.mean():.3f} [{low:.3f}, {high:.3f}]" in html
    poverty = city_rows(folders["run"], 2012).poverty_share
    assert f"{100 * poverty.mean():.1f}% [" in html


def test_compare_report_sets_each_scenario_against_the_first(folders, reports) -> None:
    html = reports["compare", "en"].read_text(encoding="utf-8")
    assert "Each scenario against baseline" in html
    rural = city_rows(folders["compare"], 2012, "rural").set_index(["scenario", "seed"]).gini
    paired = (rural["full_programme"] - rural["baseline"]).mean()  # same seeds in both
    assert f"{rural['full_programme'].mean():.3f}<br>{paired:+.3f} [" in html


def test_a_folder_without_distribution_says_so(folders, tmp_path, capsys) -> None:
    old = tmp_path / "old_run"
    shutil.copytree(folders["run"], old)
    (old / "distribution.parquet").unlink()
    for name in old.glob("*.html"):
        name.unlink()
    assert main(["report", str(old)]) == 0
    html = (old / "report.html").read_text(encoding="utf-8")
    assert "no distribution.parquet" in html and "Goal trajectories" in html
    # a report does not stop the run's folder from being replaced by the next run
    args = ["run", str(SCENARIOS / "baseline.toml"), "--scale", "1000", "--end-year", "2011"]
    assert main([*args, "--quiet", "--out", str(old)]) == 0
    assert not list(old.glob("*.html")) and (old / "distribution.parquet").exists()
    capsys.readouterr()


def test_morris_plot_names_only_the_largest_effects(monkeypatch) -> None:
    """With 31 parameters, names written beside the points of the μ*–σ plot overlap beyond
    reading (morris_behaviour): every parameter is drawn, the MORRIS_NAMED largest μ* are named
    in a legend beside the plot, largest first, and none without effect is named."""
    import matplotlib.pyplot as plt
    import numpy as np

    from experiments.reports import figures

    drawn = []
    monkeypatch.setattr(figures, "png_data_uri", lambda fig: drawn.append(fig) or "")
    mu_star = np.r_[np.arange(1.0, 26.0), np.zeros(6)]
    indices = pd.DataFrame(
        {
            "output": "y",
            "parameter": [f"p{k}" for k in range(len(mu_star))],
            "mu_star": mu_star,
            "mu_star_conf": 0.1,
            "sigma": mu_star / 2,
        }
    )
    figures.morris_figure(indices, {p: f"name {p}" for p in indices.parameter}, "y", 95, "en")
    (fig,) = drawn
    ax = fig.axes[0]
    plotted = sum(len(container.lines[0].get_xdata()) for container in ax.containers)
    legend = ax.get_legend()
    named = [text.get_text() for text in legend.get_texts()] if legend else []
    plt.close(fig)
    assert plotted == len(mu_star)
    assert named == [f"name p{k}" for k in range(24, 24 - figures.MORRIS_NAMED, -1)]
    assert not ax.texts  # nothing written beside the points
