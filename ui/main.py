"""The app's frame: language switch, page choice and the page itself.

``?page=<name>&lang=zh|en`` in the address opens a page in a language directly.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGS, lang, t

PAGES = ["lab", "compare", "sensitivity", "policy", "classroom", "about"]
# what runs and results need, imported by the warm-up once the first page is drawn
WARM_UP_MODULES = ("experiments.views.runs", "experiments.views.summaries", "ui.lab_results")


def _render(name: str) -> None:
    if name == "lab":
        from ui.pages.lab import page
    elif name == "compare":
        from ui.pages.compare import page
    elif name == "sensitivity":
        from ui.pages.sensitivity import page
    elif name == "policy":
        from ui.pages.policy import page
    elif name == "classroom":
        from ui.pages.classroom import page
    else:
        from ui.pages.about import page
    page()


def _keep_choices() -> None:
    """After a language switch, send every text choice back to the browser: a widget whose
    options are shown translated would otherwise lose its selection there."""
    for key, value in list(st.session_state.items()):
        text = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        if isinstance(key, str) and key != "lang" and text:
            try:
                st.session_state[key] = value
            except st.errors.StreamlitAPIException:
                pass


def main() -> None:
    st.set_page_config(page_title="Ezhou reform simulator 鄂州综合改革模拟器", layout="wide")
    qp = st.query_params
    if "lang" not in st.session_state:
        st.session_state["lang"] = qp.get("lang") if qp.get("lang") in LANGS else "en"
    if "page" not in st.session_state:
        st.session_state["page"] = qp.get("page") if qp.get("page") in PAGES else "lab"
    with st.sidebar:
        st.radio(
            "Language 语言",
            list(LANGS),
            key="lang",
            format_func=lambda k: LANGS[k],
            horizontal=True,
            on_change=_keep_choices,
        )
        st.title(t("app_title"))
        names = {p: t(f"page_{p}") for p in PAGES}  # in this run's language, whenever asked
        st.radio(t("pages"), PAGES, key="page", format_func=names.get)
        st.caption(t("sidebar_note"))
    qp["page"], qp["lang"] = st.session_state["page"], lang()
    _render(st.session_state["page"])
    # imported here: the pool's spawned workers import this module too (as the server's main
    # script's), and ui.common's Streamlit caches would warn there, outside a server
    from ui.common import warm_up_later

    warm_up_later(WARM_UP_MODULES)
