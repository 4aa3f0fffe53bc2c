"""The one chart style: palette, Dutch separators, titles, and the source inside every figure.

Every figure uses Dutch number notation (``layout.separators``), a colour-blind-safe palette
(Okabe-Ito) and carries its source inside the figure, so a saved image still says where the
numbers come from. Text from users never reaches a figure unescaped: builders pass labels
through :func:`plain`, and :func:`finish` escapes title and source itself (so a title is built
from raw text: escaping it twice would show '&amp;' for '&').
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.formatting import PLOTLY_SEPARATORS, format_percent
from loverboy_stats.reference import REGION_LEVELS

#: Okabe-Ito colours, distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star"]
FILLED = "#0072B2"
#: Roles in comparisons: the highlighted area, every other area, its parent region, all areas.
HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion
OTHERS = "#56B4E9"  # Okabe-Ito sky blue
PARENT = "#009E73"  # Okabe-Ito bluish green
TOTAL = "#000000"
EMPTY = "#C9D3DD"
FONT = dict(family="sans-serif", size=13, color="#1b1f24")


def plain(text: object) -> str:
    """Text made safe for plotly labels, which interpret a subset of HTML."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int = 120) -> str:
    return "<br>".join(textwrap.wrap(plain(text), width)) if text else ""


def wrapped_label(text: object, width: int = 22) -> str:
    """A category label escaped and broken over lines, for axes in narrow charts."""
    return _wrap(str(text), width)


def percent_ticks(top: float) -> dict:
    """Axis or colour-bar ticks for fractions in Dutch notation ('20 %', with the space),
    from 0 up to at least ``top`` (a fraction). plotly's own '%' format writes '20%'."""
    top = float(top) if top == top and 0 < float(top) < 1e6 else 1.0
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10) if top / s <= 6)
    values = [round(step * i, 6) for i in range(int(top / step + 0.999) + 1)]
    decimals = 0 if step >= 0.01 else 1
    return dict(tickvals=values, ticktext=[format_percent(v, decimals) for v in values])


def finish(
    fig: go.Figure,
    *,
    title: str,
    source: str,
    height: int = 420,
    legend_rows: int = 1,
    narrow: bool = False,
) -> go.Figure:
    """Common layout: Dutch separators, calm style, title, and the source inside the figure.

    Margins grow with the number of wrapped title and source lines, so neither overlaps the
    legend or the axis title. ``narrow``: the chart sits in a half-width column, so title and
    source wrap sooner instead of being cut off.
    """
    title_width, source_width = (45, 45) if narrow else (95, 130)
    title_text, source_text = _wrap(title, title_width), _wrap(source, source_width)
    title_lines = title_text.count("<br>") + 1
    source_lines = source_text.count("<br>") + 1 if source_text else 0
    fig.update_layout(
        title=dict(
            text=title_text,
            x=0,
            xanchor="left",
            y=1,
            yanchor="top",
            yref="container",
            # plotly places a multi-line title as if it had one line, so the extra lines would
            # stick out above the figure: push it down by their height.
            pad=dict(t=10 + 20 * (title_lines - 1)),
            font=dict(size=16),
        ),
        separators=PLOTLY_SEPARATORS,
        font=FONT,
        height=height + 22 * (title_lines + legend_rows) + 14 * source_lines,
        template="simple_white",
        margin=dict(
            l=70,
            r=20,
            t=18 + 22 * (title_lines + legend_rows) + 20 * (title_lines - 1),
            b=75 + 14 * source_lines,
        ),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"),
        hoverlabel=dict(font_size=13),
    )
    if source_text:
        fig.add_annotation(
            text=source_text,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-62,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font=dict(size=11, color="#4a5561"),
        )
    return fig


def with_demo_label(title: str, demo: bool) -> str:
    """``title`` with "[fictieve voorbeeldcijfers]" in front for the demo data (in front, so
    that wrapping a long title never splits the label)."""
    return f"[{DEMO_LABEL}] {title}" if demo else title


def axis_format(kind: str, *values: pd.Series) -> dict:
    """Dutch percentage ticks for a share axis reaching the largest of ``values`` (nothing for
    other kinds of number)."""
    if kind != "share":
        return {}
    top = max((pd.to_numeric(v, errors="coerce").max() for v in values), default=1.0)
    return percent_ticks(top if pd.notna(top) else 1.0)


def level_noun(level: str) -> str:
    """The level as a noun in a title: "per gemeente", "per GGD-regio", "per eigen regio"."""
    return {"gemeente": "gemeente", "provincie": "provincie", "regio": "eigen regio"}.get(
        level, REGION_LEVELS[level].label.lower()
    )
