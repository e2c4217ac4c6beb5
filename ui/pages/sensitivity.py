"""Sensitivity: open a results folder written by ``ezhou sensitivity`` and show its indices
and report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from ui.common import ROOT
from ui.i18n import lang, t

MAX_TABLE_ROWS = 2000


def result_folders(root: Path) -> list[Path]:
    """Folders under ``root`` (two levels deep) holding sensitivity indices or a report."""
    if not root.is_dir():
        return []
    found = set()
    for pattern in ("*indices*.csv", "*/*indices*.csv", "report.html", "*/report.html"):
        found.update(p.parent for p in root.glob(pattern))
    return sorted(found)


def page() -> None:
    lang()
    st.title(t("sens_title"))
    st.caption(t("sens_intro"))
    root = Path(st.text_input(t("sens_root"), str(ROOT / "results"), key="sens_root"))
    folders = result_folders(root)
    if not folders:
        st.info(t("sens_none", root=root))
        return
    folder = st.selectbox(
        t("sens_folder"),
        folders,
        key="sens_folder",
        format_func=lambda p: str(p.relative_to(root)) if p != root else ".",
    )
    show_folder(folder)


def show_folder(folder: Path) -> None:
    tables = sorted(folder.glob("*.csv"))
    for path in tables:
        try:
            df = pd.read_csv(path)
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            st.error(f"{path.name}: {exc}")
            continue
        st.markdown(f"**{path.name}**")
        st.dataframe(df.head(MAX_TABLE_ROWS), hide_index=True, width="stretch")
        st.download_button(
            t("download_named", name=path.name),
            path.read_bytes(),
            file_name=path.name,
            mime="text/csv",
            key=f"sens_dl|{path}",
        )
    for path in sorted(folder.glob("*.png")) + sorted(folder.glob("*.svg")):
        st.image(str(path), caption=path.name)
    report = folder / "report.html"
    if report.exists():
        st.subheader(t("sens_report"))
        components.html(report.read_text(encoding="utf-8"), height=900, scrolling=True)
    else:
        st.caption(t("sens_no_report", folder=folder.name))
