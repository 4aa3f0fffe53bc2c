"""Shared pieces of the UI shell: the chart block and the publication-mode switch.

Only rendering lives here; every number comes from loverboy_stats.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from loverboy_stats.export import to_csv_bytes

PUBLICATION_KEY = "publication_mode"

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def publication_mode() -> bool:
    """True unless the user switched publication mode off in the sidebar (default on)."""
    return bool(st.session_state.get(PUBLICATION_KEY, True))


def chart_block(
    fig: go.Figure, data: pd.DataFrame, *, source: str, note: str = "", file_name: str, key: str
) -> None:
    """A chart with its source and note underneath and a CSV download of exactly its data."""
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"chart_{key}")
    st.caption(source if not note else f"{note}  \n{source}")
    st.download_button(
        "Gegevens van deze grafiek downloaden (CSV)",
        data=to_csv_bytes(data),
        file_name=file_name,
        mime="text/csv",
        key=f"download_{key}",
        on_click="ignore",
        icon=":material/download:",
    )
