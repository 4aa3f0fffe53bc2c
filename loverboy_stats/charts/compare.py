"""Figures of the page 'Vergelijken', built from the frames of :mod:`loverboy_stats.views.frames`.

Each builder takes a frame (already through publication mode) and returns a ``go.Figure``
finished by :func:`loverboy_stats.charts.finish` (Dutch separators, source inside the figure).
Names can come from uploads (own regions), so every label passes :func:`charts.plain`. With the
demo dataset every title starts with "[fictieve voorbeeldcijfers]". :func:`build_blocks` bundles
each figure with the CSV of exactly its data, the source and a method note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from loverboy_stats.charts.style import (
    HIGHLIGHT,
    OTHERS,
    PALETTE,
    PARENT,
    TOTAL,
    axis_format,
    finish,
    level_noun,
    percent_ticks,
    plain,
    reference_line,
    set_axes,
    set_layout,
    with_demo_label,
    wrapped_label,
)
from loverboy_stats.formatting import format_count, format_expected
from loverboy_stats.views.compare import CompareView
from loverboy_stats.views.comparison import ROLE_AREA, ROLE_PARENT, ROLE_TOTAL

ROLE_COLOURS = {ROLE_AREA: HIGHLIGHT, ROLE_PARENT: PARENT, ROLE_TOTAL: TOTAL}
ROLE_DASH = {ROLE_AREA: "solid", ROLE_PARENT: "dash", ROLE_TOTAL: "dot"}
#: Horizontal bars with names up to this many areas; beyond it a ranked column chart with
#: names on hover (342 names do not fit on an axis).
MAX_NAMED_BARS = 45


# --------------------------------------------------------------------------------------------
# Ranking


def ranking_chart(
    ranking: pd.DataFrame, lines: pd.DataFrame, view: CompareView, *, source: str
) -> go.Figure:
    """Bars of the indicator per area, highest first, with interval whiskers, the highlighted
    area in vermillion and reference lines for all areas and the parent region."""
    ind = view.indicator
    colours = [HIGHLIGHT if h else OTHERS for h in ranking["gemarkeerd"]]
    plus = (ranking["hoog"] - ranking["waarde"]).where(ranking["hoog"].notna())
    minus = (ranking["waarde"] - ranking["laag"]).where(ranking["laag"].notna())
    has_interval = bool(plus.notna().any())
    custom = np.column_stack(
        [
            ranking["naam"].map(plain),
            ranking["waarde_tekst"],
            ranking["interval_tekst"],
            ranking["gesignaleerd"],
        ]
    )
    hover = (
        "<b>%{customdata[0]}</b><br>"
        + f"{plain(ind.label)}: "
        + "%{customdata[1]}<br>interval: %{customdata[2]}<br>gesignaleerd: %{customdata[3]}"
        + "<extra></extra>"
    )
    whiskers = dict(
        type="data", array=plus, arrayminus=minus, visible=has_interval, color="#4a5561"
    )
    named = len(ranking) <= MAX_NAMED_BARS
    fig = go.Figure()
    if named:
        # A region whose figure rests on some of its municipalities only is hatched and says
        # how many ("Overijssel (3 van 11)"), so it does not pass for the whole region.
        partial = ~ranking["volledig"].astype(bool) & (ranking["gemeenten"] != "")
        names = [
            f"{plain(name)} ({members.removesuffix(' gemeenten')})" if part else plain(name)
            for name, members, part in zip(
                ranking["naam"], ranking["gemeenten"], partial, strict=True
            )
        ]
        hover_members = hover.replace("<extra>", "<br>aangeleverd door %{customdata[4]}<extra>")
        for rows, legend, pattern in (
            (~partial, "alle gemeenten van het gebied leverden aan", ""),
            (partial, "niet alle gemeenten leverden aan (gearceerd)", "/"),
        ):
            if not rows.any():
                continue
            picked = rows.to_numpy()
            fig.add_trace(
                go.Bar(
                    y=[n for n, keep in zip(names, picked, strict=True) if keep],
                    x=ranking["waarde"][picked],
                    orientation="h",
                    marker=dict(
                        color=[c for c, keep in zip(colours, picked, strict=True) if keep],
                        pattern=dict(shape=pattern, fgcolor="white", size=6),
                    ),
                    error_x={**whiskers, "array": plus[picked], "arrayminus": minus[picked]},
                    customdata=np.column_stack([custom[picked], ranking["gemeenten"][picked]]),
                    hovertemplate=hover_members if view.level != "gemeente" else hover,
                    name=legend,
                    showlegend=bool(partial.any()),
                )
            )
        set_layout(fig, barmode="overlay")
        set_axes(
            fig,
            "y",
            autorange="reversed",
            automargin=True,
            title=None,
            categoryorder="array",
            categoryarray=names,
        )
        set_axes(
            fig,
            "x",
            title=ind.axis,
            rangemode="tozero",
            **axis_format(ind.kind, ranking["waarde"], ranking["hoog"]),
        )
        height = max(300, 22 * len(ranking) + 80)
    else:
        position = np.arange(1, len(ranking) + 1)
        fig.add_trace(
            go.Bar(
                x=position,
                y=ranking["waarde"],
                marker_color=colours,
                marker_line_width=0,
                error_y={**whiskers, "thickness": 0.8, "width": 0},
                customdata=custom,
                hovertemplate=hover,
                showlegend=False,
            )
        )
        set_axes(
            fig,
            "x",
            title=f"rangorde ({format_count(len(ranking))} gebieden, hoogste links; "
            "naam bij aanwijzen)",
            showticklabels=False,
            ticks="",
        )
        set_axes(
            fig,
            "y",
            title=ind.axis,
            rangemode="tozero",
            **axis_format(ind.kind, ranking["waarde"], ranking["hoog"]),
        )
        height = 420
        marked = ranking[ranking["gemarkeerd"]]
        if len(marked):
            row = marked.iloc[0]
            fig.add_annotation(
                x=int(marked.index[0]) + 1,
                y=row["waarde"],
                text=f"{plain(row['naam'])}: {row['waarde_tekst']}",
                showarrow=True,
                arrowcolor=HIGHLIGHT,
                font=dict(color=HIGHLIGHT),
                ax=40,
                ay=-40,
            )
    # The widest value on the value axis, to put a line's label on the side with room.
    widest = float(np.nanmax([ranking["waarde"].max(), ranking["hoog"].max(), 0.0]) or 1.0)
    for _, line in lines.iterrows():
        colour = TOTAL if line["rol"] == ROLE_TOTAL else PARENT
        dash = "dot" if line["rol"] == ROLE_TOTAL else "dash"
        text = f"{plain(line['naam'])}: {line['waarde_tekst']}"
        position = "top right" if line["rol"] == ROLE_TOTAL else "bottom right"
        if named:
            # Two short lines, on the side of the line with room: fits a phone's plot width.
            text = wrapped_label(f"{line['naam']}: {line['waarde_tekst']}", 22)
            if line["waarde"] > widest / 2:
                position = position.replace("right", "left")
            reference_line(
                fig,
                line["waarde"],
                across="v",
                line=dict(color=colour, dash=dash, width=1.5),
                annotation=dict(text=text, font=dict(color=colour, size=12)),
                position=position,
            )
        else:
            reference_line(
                fig,
                line["waarde"],
                line=dict(color=colour, dash=dash, width=1.5),
                annotation=dict(text=text, font=dict(color=colour, size=12), bgcolor="white"),
                position=position,
            )
    title = f"{ind.label} per {level_noun(view.level)}, {view.year}; {view.area_name} gemarkeerd"
    set_layout(fig, bargap=0.15 if named else 0.05)
    return finish(fig, title=with_demo_label(title, view.demo), source=source, height=height)


# --------------------------------------------------------------------------------------------
# Expected against signalled


def scatter_chart(frame: pd.DataFrame, view: CompareView, *, source: str) -> go.Figure:
    """Signalled (y) against expected (x) per area, points sized by reference population, a
    parity line where signalled equals expected, the highlighted area in vermillion."""
    fig = go.Figure()
    top = float(max(frame["verwacht"].max(), frame["gesignaleerd"].max(), 1.0)) * 1.05
    fig.add_trace(
        go.Scatter(
            x=[0, top],
            y=[0, top],
            mode="lines",
            line=dict(color="#4a5561", dash="dash", width=1),
            name="gesignaleerd = verwacht",
            hoverinfo="skip",
        )
    )
    population = frame["referentiepopulatie"].astype("float64")
    sizeref = 2.0 * float(population.max() if len(population) else 1.0) / 40.0**2
    for marked, name, colour in ((False, "andere gebieden", OTHERS), (True, None, HIGHLIGHT)):
        part = frame[frame["gemarkeerd"] == marked]
        if part.empty:
            continue
        custom = np.column_stack(
            [
                part["naam"].map(plain),
                part["verwacht"].map(format_expected),
                part["gesignaleerd"].map(format_count),
                part["referentiepopulatie"].map(format_count),
            ]
        )
        fig.add_trace(
            go.Scatter(
                x=part["verwacht"],
                y=part["gesignaleerd"],
                mode="markers+text" if marked else "markers",
                text=part["naam"].map(plain) if marked else None,
                textposition="top center",
                textfont=dict(color=HIGHLIGHT),
                name=plain(name if name else part["naam"].iloc[0]),
                marker=dict(
                    size=part["referentiepopulatie"],
                    sizemode="area",
                    sizeref=sizeref,
                    sizemin=3,
                    color=colour,
                    opacity=0.9 if marked else 0.6,
                    line=dict(width=1 if marked else 0.5, color="white"),
                ),
                customdata=custom,
                hovertemplate="<b>%{customdata[0]}</b><br>verwacht: %{customdata[1]}<br>"
                "gesignaleerd: %{customdata[2]}<br>referentiepopulatie: %{customdata[3]}"
                "<extra></extra>",
            )
        )
    set_axes(
        fig, "x", title="verwacht aantal slachtoffers per jaar (toegerekend)", rangemode="tozero"
    )
    set_axes(fig, "y", title="gesignaleerd", rangemode="tozero")
    title = f"Verwacht en gesignaleerd per {level_noun(view.level)}, {view.year}"
    return finish(fig, title=with_demo_label(title, view.demo), source=source, height=440)


# --------------------------------------------------------------------------------------------
# Funnel


def funnel_chart(frame: pd.DataFrame, view: CompareView, *, source: str) -> go.Figure:
    """Each step as a share of signalled, for the area, its parent region and all areas.

    The bar text is the published count ("<5" for a hidden one, "–" when not reported); a
    step without a shown share is drawn at 0 with that text, never at its hidden height.
    """
    fig = go.Figure()
    for role, part in frame.groupby("rol", sort=False):
        name = part["gebied"].iloc[0]
        shares = part["aandeel_van_gesignaleerd"]
        custom = np.column_stack(
            [np.full(len(part), plain(name)), part["aantal_tekst"], part["aandeel_tekst"]]
        )
        fig.add_trace(
            go.Bar(
                x=part["stap"],
                y=shares.fillna(0.0),
                name=plain(name),
                marker_color=compare_role_colour(role),
                text=part["aantal_tekst"],
                textposition="outside",
                cliponaxis=False,
                customdata=custom,
                hovertemplate="<b>%{customdata[0]}</b><br>%{x}: %{customdata[1]}<br>"
                "van gesignaleerd: %{customdata[2]}<extra></extra>",
            )
        )
    set_axes(fig, "y", title="deel van gesignaleerd", rangemode="tozero", **percent_ticks(1.0))
    set_axes(fig, "y", range=[0, 1.15])
    set_layout(fig, barmode="group")
    title = f"Van signaal naar behandeling, {view.year}: {view.area_name} vergeleken"
    return finish(fig, title=with_demo_label(title, view.demo), source=source, height=400)


def compare_role_colour(role: str) -> str:
    """The colour of a role (highlighted area, parent region, all areas) in every chart."""
    return ROLE_COLOURS.get(role, PALETTE[0])


# --------------------------------------------------------------------------------------------
# Time series


def series_chart(frame: pd.DataFrame, view: CompareView, *, source: str) -> go.Figure:
    """The indicator per year: highlighted area, its parent region and all areas. A year
    without a shown value breaks the line (no line is drawn through hidden values)."""
    ind = view.indicator
    fig = go.Figure()
    for role, part in frame.groupby("rol", sort=False):
        name = plain(part["gebied"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=part["jaar"],
                y=part["waarde"],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line=dict(color=compare_role_colour(role), dash=ROLE_DASH.get(role), width=2),
                marker=dict(size=8),
                customdata=np.column_stack([np.full(len(part), name), part["waarde_tekst"]]),
                hovertemplate="<b>%{customdata[0]}</b><br>%{x}: %{customdata[1]}<extra></extra>",
            )
        )
    set_axes(fig, "x", title="jaar", dtick=1, tickformat="d")
    set_axes(fig, "y", title=ind.axis, rangemode="tozero", **axis_format(ind.kind, frame["waarde"]))
    title = f"{ind.label} door de jaren: {view.area_name}"
    return finish(fig, title=with_demo_label(title, view.demo), source=source, height=380)
