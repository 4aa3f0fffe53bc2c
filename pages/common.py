"""Shared pieces of the UI shell: the chart block and the publication-mode switch.

Only rendering lives here; every number comes from loverboy_stats.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.runtime.pages_manager import PagesManager

from loverboy_stats.store import DatasetInfo, StoreError, get_store

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


def session_memo(name: str, key: tuple, build, keep: int = 12):
    """``build()`` once per ``key`` in this browser session, kept as the object itself.

    For objects built from a user's data (figures, tables): never in a global cache, so one
    municipality's figures never reach another session, and not pickled on every rerun as
    st.cache_data would. Only the ``keep`` most recent keys are held.
    """
    memory = st.session_state.setdefault(name, {})
    if key not in memory:
        if len(memory) >= keep:
            memory.pop(next(iter(memory)))
        memory[key] = build()
    return memory[key]


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
    download_csv("Gegevens van deze grafiek downloaden (CSV)", csv, file_name, f"download_{key}")


def download_csv(label: str, csv: bytes, file_name: str, key: str) -> None:
    """A download button for CSV bytes made by loverboy_stats.export.to_csv_bytes."""
    st.download_button(
        label,
        data=csv,
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def stored_datasets() -> list[DatasetInfo]:
    """The stored datasets; an unreachable store gives a warning and none (the demo still works)."""
    try:
        return get_store().list_datasets()
    except (StoreError, SQLAlchemyError) as problem:
        st.warning(f"De opgeslagen datasets zijn niet bereikbaar ({problem.__class__.__name__}).")
        return []
