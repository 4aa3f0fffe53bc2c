"""Plotly figure builders: data in, ``go.Figure`` out.

Every figure uses Dutch number notation (``layout.separators``), a colour-blind-safe palette
(Okabe-Ito) and carries its source inside the figure, so a saved image still says where the
numbers come from. Text from users never reaches these figures unescaped: callers pass labels
through :func:`plain`.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from loverboy_stats.formatting import PLOTLY_SEPARATORS, format_count, format_percent

#: Okabe-Ito colours, distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star"]
FILLED = "#0072B2"
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


def gap_units_chart(
    estimated: float, treated: float, *, source: str, columns: int = 70
) -> go.Figure:
    """One square per estimated victim; the first ``treated`` squares are filled.

    Makes the size of the gap visible at a glance: 142 filled out of 1.363.
    """
    total, filled = round(estimated), round(treated)
    rows = math.ceil(total / columns)
    index = pd.RangeIndex(total)
    x, y = index % columns, rows - 1 - index // columns
    fig = go.Figure()
    for name, mask, colour in (
        (f"in behandeling: {format_count(filled)}", index < filled, FILLED),
        (f"niet bereikt: {format_count(total - filled)}", index >= filled, EMPTY),
    ):
        fig.add_trace(
            go.Scatter(
                x=x[mask],
                y=y[mask],
                mode="markers",
                name=name,
                marker=dict(symbol="square", size=8, color=colour),
                hovertemplate=f"{plain(name)}<extra></extra>",
            )
        )
    fig.update_xaxes(visible=False, range=[-1, columns])
    fig.update_yaxes(visible=False, range=[-1, rows])
    title = (
        f"Van de {format_count(total)} geschatte minderjarige slachtoffers waren er "
        f"{format_count(filled)} in behandeling ({format_percent(treated / estimated)})"
    )
    fig.update_layout(plot_bgcolor="white")
    return finish(fig, title=title, source=source, height=330)


def registrations_chart(frame: pd.DataFrame, *, source: str) -> go.Figure:
    """Registrations per year, one line per series (NRM or CoMensha count).

    ``frame`` columns: jaar, reeks, registraties. Years without a value break the line, so no
    trend is drawn through years that have no published count.
    """
    fig = go.Figure()
    years = range(int(frame["jaar"].min()), int(frame["jaar"].max()) + 1)
    for i, (series, part) in enumerate(frame.groupby("reeks", sort=True)):
        values = part.set_index("jaar")["registraties"].reindex(years)
        fig.add_trace(
            go.Scatter(
                x=list(years),
                y=values,
                name=plain(series),
                mode="lines+markers",
                connectgaps=False,
                line=dict(color=PALETTE[i % len(PALETTE)], width=2),
                marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=9),
                hovertemplate="%{x}: %{y:,.0f} registraties<extra>" + plain(series) + "</extra>",
            )
        )
    fig.update_xaxes(title="jaar", dtick=1, tickformat="d")
    fig.update_yaxes(
        title="geregistreerde mogelijke slachtoffers", rangemode="tozero", tickformat=",d"
    )
    return finish(
        fig,
        title="Bij CoMensha geregistreerde mogelijke slachtoffers van mensenhandel "
        "(alle vormen en leeftijden)",
        source=source,
    )


def estimates_chart(frame: pd.DataFrame, *, source: str) -> go.Figure:
    """National estimates per year with their published ranges as whiskers.

    ``frame`` columns: reeks, periode, midden_jaar, schatting, ondergrens, bovengrens. An
    estimate without a published range gets no whisker (none is made up).
    """
    fig = go.Figure()
    for i, (series, part) in enumerate(frame.groupby("reeks", sort=True)):
        has_range = part["ondergrens"].notna()
        upper = (part["bovengrens"] - part["schatting"]).where(has_range)
        lower = (part["schatting"] - part["ondergrens"]).where(has_range)
        ranges = [
            f"bandbreedte {format_count(lo)} – {format_count(hi)}"
            if ok
            else "geen bandbreedte gepubliceerd"
            for lo, hi, ok in zip(part["ondergrens"], part["bovengrens"], has_range, strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=part["midden_jaar"],
                y=part["schatting"],
                name=plain(series),
                mode="lines+markers",
                line=dict(color=PALETTE[i % len(PALETTE)], width=1.5, dash="dot"),
                marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=10),
                error_y=dict(type="data", array=upper, arrayminus=lower, visible=True, width=6),
                customdata=list(zip(part["periode"], ranges, strict=True)),
                hovertemplate="%{customdata[0]}: %{y:,.0f} per jaar<br>%{customdata[1]}"
                "<extra>" + plain(series) + "</extra>",
            )
        )
    fig.update_xaxes(
        title="midden van de periode waarop de schatting slaat", dtick=1, tickformat="d"
    )
    fig.update_yaxes(title="geschatte slachtoffers per jaar", rangemode="tozero", tickformat=",d")
    return finish(
        fig,
        title="Landelijke schattingen van het aantal slachtoffers per jaar, met gepubliceerde "
        "bandbreedte",
        source=source,
        height=440,
        legend_rows=2,
    )
