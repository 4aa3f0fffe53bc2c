"""Rendering blocks: a chart with its source, note and data download; download buttons."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from loverboy_stats.boundaries import STATIC_URL
from loverboy_stats.textsafe import escape_markdown

#: No plotly toolbar: its eight English buttons per chart are eight tab stops for a keyboard
#: user, and zooming a bar chart helps nobody here. Each chart has its data as a download.
#: The map's outline file comes from the app's own server (relative, so also under a proxy's
#: path prefix), never from plotly's CDN (see loverboy_stats.charts.maps).
PLOTLY_CONFIG = {
    "displayModeBar": False,
    "displaylogo": False,
    "scrollZoom": False,
    "topojsonURL": f"{STATIC_URL}/topojson/",
}


def chart_block(
    fig: go.Figure,
    csv: bytes,
    source: str,
    *,
    note: str = "",
    summary: str = "",
    file_name: str,
    key: str,
) -> None:
    """A chart with its source and note underneath and a CSV download of exactly its data.

    ``csv`` comes from :func:`loverboy_stats.export.to_spreadsheet_csv` of the chart's data; callers
    build it once (in a cache) rather than on every rerun.
    """
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"chart_{key}")
    # The chart in words first (for screen readers and readers alike), then how to read it
    # and the source. Names come from users: shown as text, never as Markdown.
    said = f"In woorden: {summary}" if summary else ""
    lines = [escape_markdown(text) for text in (said, note, source) if text]
    st.caption("  \n".join(lines))
    download_csv("Gegevens van deze grafiek downloaden (CSV)", csv, file_name, f"download_{key}")


def key_figures(figures) -> None:
    """Key figures, each (label, value, explanation), as bordered metrics in one row that wraps
    where the column is narrow: each as wide as its label (in two columns of a half page the
    labels were cut off), and one block for the browser to lay out, not a block per column."""
    with st.container(horizontal=True, gap="small"):
        for label, value, tip in figures:
            st.metric(label, value, help=tip, border=True, width="content")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_csv(label: str, csv: bytes, file_name: str, key: str) -> None:
    """A download button for CSV bytes made by loverboy_stats.export (to_spreadsheet_csv for
    what people open in Excel)."""
    download(label, csv, file_name, "text/csv", key)


def table_downloads(csv: bytes, xlsx, stem: str) -> None:
    """A table as CSV for Dutch Excel and as a workbook, side by side; ``xlsx()`` gives the
    workbook's bytes (built once, by the caller's memo), only when someone asks for it."""
    csv_column, xlsx_column = st.columns(2)
    with csv_column:
        download_csv("Tabel downloaden (CSV)", csv, f"{stem}.csv", "dl_table")
    with xlsx_column:
        download("Tabel downloaden (Excel)", xlsx, f"{stem}.xlsx", XLSX_MIME, "dl_table_xlsx")


def download(label: str, data, file_name: str, mime: str, key: str) -> None:
    """A download button that does not rerun the page. ``data`` is the file's bytes, or a
    function without arguments that makes them: Streamlit then calls it only when this
    session's user clicks (a workbook of Vergelijken's table took ~130 ms to build on every new
    choice, for a file few people fetch). It must not call Streamlit; it runs outside the page."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def select(label: str, options: list, key: str, labels: dict, *, index: int = 0, **kwargs):
    """A selectbox showing ``labels`` and bound to the URL (a copied link keeps the choice)."""
    return st.selectbox(
        label,
        options,
        index=index,
        format_func=lambda option: labels[option],
        key=key,
        bind="query-params",
        **kwargs,
    )


def chart_section(block, heading: str, missing: str = "", *, key: str) -> None:
    """A subheaded chart block (a :class:`loverboy_stats.charts.compare.Block`), or where it is
    absent (None) and ``missing`` explains why, the heading with that explanation."""
    if block is None and not missing:
        return
    st.header(heading)
    if block is None:
        st.info(missing, icon=":material/info:")
        return
    chart_block(
        block.fig,
        block.csv,
        block.source,
        note=block.note,
        summary=block.summary,
        file_name=block.file_name,
        key=key,
    )


def table_section(caption: str, shown, csv: bytes, xlsx, stem: str) -> None:
    """The table of every figure (an Arrow table or frame as shown), its caption, and its
    downloads as CSV and as a workbook (``xlsx()`` gives the bytes)."""
    st.header("Tabel")
    st.caption(caption)
    st.dataframe(shown, hide_index=True, key="table")
    table_downloads(csv, xlsx, stem)
