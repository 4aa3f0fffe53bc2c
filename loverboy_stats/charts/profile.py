"""Charts of the page 'Gemeenteprofiel': one area's funnel and its signalling ratio over time."""

from __future__ import annotations

import plotly.graph_objects as go

from loverboy_stats.charts.style import (
    FILLED,
    PALETTE,
    SYMBOLS,
    finish,
    plain,
    reference_line,
    set_axes,
)
from loverboy_stats.views.comparison import ROLE_AREA, ROLE_PARENT, ROLE_TOTAL
from loverboy_stats.views.profile import GapProfile, funnel_steps


def _with_label(title: str, label: str) -> str:
    return f"{title} ({label})" if label else title


def funnel_chart(profile: GapProfile, source: str) -> go.Figure:
    """Bars from expected to in treatment for the area; a hidden count shows its mark and a
    count that was not reported the text "niet gerapporteerd", both without a bar."""
    steps = funnel_steps(profile)
    labels = [label for label, _, _ in steps]
    values = [0.0 if value is None else value for _, value, _ in steps]
    texts = [text for _, _, text in steps]
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=[FILLED] * (len(labels) - 1) + [PALETTE[1]],
            text=texts[::-1],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    top = max([*values, 1.0])
    set_axes(fig, "x", title="personen per jaar", range=[0, top * 1.3], tickformat=",d")
    title = _with_label(
        f"Van verwacht tot in behandeling: {profile.name}, {profile.year}", profile.label
    )
    return finish(fig, title=title, source=source, height=280)


def trend_chart(profile: GapProfile, source: str) -> go.Figure:
    """Signalling ratio per year: the area, its region and all areas in the dataset."""
    fig = go.Figure()
    trend = profile.trend
    for i, role in enumerate((ROLE_AREA, ROLE_PARENT, ROLE_TOTAL)):
        part = trend[trend["rol"] == role]
        if part.empty:
            continue
        name = plain(part["reeks"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=part["jaar"],
                y=part["signaleringsratio"],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line=dict(color=PALETTE[i], width=3 if role == ROLE_AREA else 1.5),
                marker=dict(symbol=SYMBOLS[i], size=9),
                hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>",
            )
        )
    reference_line(
        fig,
        1,
        line=dict(dash="dot", color="#4a5561"),
        annotation=dict(text="verwacht = gesignaleerd"),
    )
    set_axes(fig, "x", title="jaar", dtick=1, tickformat="d")
    set_axes(fig, "y", title="signaleringsratio", rangemode="tozero", tickformat=".2f")
    title = _with_label(f"Signaleringsratio door de jaren: {profile.name}", profile.label)
    return finish(fig, title=title, source=source, height=320)
