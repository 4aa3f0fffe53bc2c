"""Shared pieces of the UI shell: the chart block and the publication-mode switch.

Only rendering lives here; every number comes from loverboy_stats.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

PUBLICATION_KEY = "publication_mode"

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def route_guard() -> None:
    """Make a deep link opened before anyone visited the root URL go through app.py.

    With a ``pages/`` folder beside app.py, Streamlit starts in its legacy multipage mode and,
    until app.py's ``st.navigation`` has run once in the process, runs a requested page script
    on its own: no router, no sidebar, a different menu (streamlit/streamlit#9624 and PR
    #10276 describe it). Every page calls this first; in legacy mode it switches the process
    to ``st.navigation`` mode, as app.py would, and reruns, so a shared link opens the same
    page with the full app around it. In normal mode it does nothing.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def publication_mode() -> bool:
    """True unless the user switched publication mode off in the sidebar (default on)."""
    return bool(st.session_state.get(PUBLICATION_KEY, True))


def chart_block(
    fig: go.Figure,
    csv: bytes,
    source: str,
    *,
    note: str = "",
    file_name: str,
    key: str,
) -> None:
    """A chart with its source and note underneath and a CSV download of exactly its data.

    ``csv`` comes from :func:`loverboy_stats.export.to_csv_bytes` of the chart's data; callers
    build it once (in a cache) rather than on every rerun.
    """
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"chart_{key}")
    st.caption(source if not note else f"{note}  \n{source}")
    st.download_button(
        "Gegevens van deze grafiek downloaden (CSV)",
        data=csv,
        file_name=file_name,
        mime="text/csv",
        key=f"download_{key}",
        on_click="ignore",
        icon=":material/download:",
    )
