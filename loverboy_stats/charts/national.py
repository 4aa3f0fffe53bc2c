"""Charts of the page 'Landelijk beeld': the national gap, registrations and estimates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from loverboy_stats import national
from loverboy_stats.charts.frozen import freeze
from loverboy_stats.charts.style import (
    EMPTY,
    FILLED,
    PALETTE,
    SYMBOLS,
    finish,
    plain,
    set_axes,
    set_layout,
)
from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.formatting import format_count, format_percent
from loverboy_stats.views import summaries


def gap_units_chart(
    estimated: float, treated: float, *, source: str, columns: int = 40
) -> go.Figure:
    """One square per estimated victim; the first ``treated`` squares are filled.

    Makes the size of the gap visible at a glance: 142 filled out of 1.363. Drawn as a grid of
    cells with square axes, so the squares stay squares (smaller, not squashed) on a phone.
    Forty columns keep the grid close to square: it fills most of the plot on a desktop and on
    a 390-pixel phone alike, instead of a thin band with empty space above and below.
    """
    total, filled = round(estimated), round(treated)
    rows = math.ceil(total / columns)
    cells = np.full(rows * columns, np.nan)
    cells[:total] = 0.0
    cells[:filled] = 1.0
    grid = cells.reshape(rows, columns)
    names = {
        1.0: f"in behandeling: {format_count(filled)}",
        0.0: f"niet bereikt: {format_count(total - filled)}",
    }
    hover = np.vectorize(lambda v: plain(names.get(v, "")), otypes=[object])(grid)
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            colorscale=[[0, EMPTY], [1, FILLED]],
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=1,
            ygap=1,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            hoverongaps=False,
            showlegend=False,
        )
    )
    for value, colour in ((1.0, FILLED), (0.0, EMPTY)):  # legend entries only
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=names[value],
                marker=dict(symbol="square", size=12, color=colour),
            )
        )
    set_axes(fig, "x", visible=False, range=[-0.5, columns - 0.5], fixedrange=True)
    set_axes(
        fig,
        "y",
        visible=False,
        range=[rows - 0.5, -0.5],
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1,
    )
    title = (
        f"Van de {format_count(total)} geschatte minderjarige slachtoffers waren er "
        f"{format_count(filled)} in behandeling ({format_percent(treated / estimated)})"
    )
    set_layout(fig, plot_bgcolor="white", dragmode=False)
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
    set_axes(fig, "x", title="jaar", dtick=1, tickformat="d")
    set_axes(
        fig, "y", title="geregistreerde mogelijke slachtoffers", rangemode="tozero", tickformat=",d"
    )
    return finish(
        fig,
        title="Bij CoMensha geregistreerde mogelijke slachtoffers van mensenhandel "
        "(alle vormen en leeftijden)",
        source=source,
    )


def estimates_chart(frame: pd.DataFrame, *, source: str) -> go.Figure:
    """National estimates per year with their published ranges as whiskers: one point per
    study, no line between studies (their methods and years differ, so they make no trend).

    ``frame`` columns: reeks, periode, midden_jaar, schatting, ondergrens, bovengrens,
    kwalificatie ("ongeveer", or ""). An estimate without a published range gets no whisker
    (none is made up).
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
        values = [
            f"{q} {format_count(v)}".strip()
            for q, v in zip(part["kwalificatie"], part["schatting"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=part["midden_jaar"],
                y=part["schatting"],
                name=plain(series),
                mode="markers",
                marker=dict(
                    symbol=SYMBOLS[i % len(SYMBOLS)], size=11, color=PALETTE[i % len(PALETTE)]
                ),
                error_y=dict(type="data", array=upper, arrayminus=lower, visible=True, width=6),
                customdata=list(zip(part["periode"], ranges, values, strict=True)),
                hovertemplate="%{customdata[0]}: %{customdata[2]} per jaar<br>%{customdata[1]}"
                "<extra>" + plain(series) + "</extra>",
            )
        )
    set_axes(
        fig, "x", title="midden van de periode waarop de schatting slaat", dtick=1, tickformat="d"
    )
    set_axes(fig, "y", title="geschatte slachtoffers per jaar", rangemode="tozero", tickformat=",d")
    return finish(
        fig,
        title="Landelijke schattingen van het aantal slachtoffers per jaar, met gepubliceerde "
        "bandbreedte (elk punt één onderzoek)",
        source=source,
        height=440,
    )


def page_blocks(data: national.NationalData) -> dict[str, tuple[go.Figure, bytes, str, str]]:
    """The charts of 'Landelijk beeld', each with the CSV of its data, its full citation and
    its summary in words: "gap" (one square per estimated victim), "registrations",
    "estimates". The figures are frozen (:mod:`loverboy_stats.charts.frozen`): the page keeps
    them for the whole process."""
    gap = national.national_gap(data)
    ids = (national.ESTIMATE_ID, national.TREATED_ID)
    reg, est = national.registrations(data), national.estimates(data)
    return {
        "gap": (
            freeze(gap_units_chart(gap.estimated, gap.treated, source=data.short_citation(*ids))),
            to_spreadsheet_csv(national.gap_table(gap)),
            data.citation(*ids),
            summaries.gap_summary(gap.estimated, gap.treated),
        ),
        "registrations": (
            freeze(registrations_chart(reg, source=data.short_citation(*reg["figure_id"]))),
            to_spreadsheet_csv(reg),
            data.citation(*reg["figure_id"]),
            summaries.registrations_summary(reg),
        ),
        "estimates": (
            freeze(estimates_chart(est, source=data.short_citation(*est["figure_id"]))),
            to_spreadsheet_csv(est),
            data.citation(*est["figure_id"]),
            summaries.estimates_summary(est),
        ),
    }
