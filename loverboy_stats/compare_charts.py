"""Figures of the page 'Vergelijken', built from the frames of :mod:`loverboy_stats.compare`.

Each builder takes a frame (already through publication mode) and returns a ``go.Figure``
finished by :func:`loverboy_stats.charts.finish` (Dutch separators, source inside the figure).
Names can come from uploads (own regions), so every label passes :func:`charts.plain`. With the
demo dataset every title starts with "[fictieve voorbeeldcijfers]". :func:`build_blocks` bundles
each figure with the CSV of exactly its data, the source and a method note.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from loverboy_stats import compare, gaps
from loverboy_stats.boundaries import ATTRIBUTION, subset
from loverboy_stats.charts import PALETTE, finish, percent_ticks, plain
from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.formatting import format_count, format_expected
from loverboy_stats.national import load_national

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion: the highlighted area
OTHERS = "#56B4E9"  # Okabe-Ito sky blue: every other area
PARENT = "#009E73"  # Okabe-Ito bluish green: the parent region
TOTAL = "#000000"
ROLE_COLOURS = {
    compare.ROLE_AREA: HIGHLIGHT,
    compare.ROLE_PARENT: PARENT,
    compare.ROLE_TOTAL: TOTAL,
}
ROLE_DASH = {compare.ROLE_AREA: "solid", compare.ROLE_PARENT: "dash", compare.ROLE_TOTAL: "dot"}
#: Horizontal bars with names up to this many areas; beyond it a ranked column chart with
#: names on hover (342 names do not fit on an axis).
MAX_NAMED_BARS = 45
MAP_COLOURSCALE = "Cividis"  # sequential and colour-blind safe
MAP_MISSING = "#d9d9d9"


def _title(text: str, view: compare.CompareView) -> str:
    # In front, so that wrapping a long title never splits the label.
    return f"[{DEMO_LABEL}] {text}" if view.demo else text


def _axis_format(kind: str, *values: pd.Series) -> dict:
    """Dutch percentage ticks for a share axis reaching the largest of ``values``."""
    if kind != "share":
        return {}
    top = max((pd.to_numeric(v, errors="coerce").max() for v in values), default=1.0)
    return percent_ticks(top if pd.notna(top) else 1.0)


def _level_plural(level: str) -> str:
    return {
        "gemeente": "gemeente",
        "provincie": "provincie",
        "regio": "eigen regio",
    }.get(level, compare.level_label(level).lower())


# --------------------------------------------------------------------------------------------
# Ranking


def ranking_chart(
    ranking: pd.DataFrame, lines: pd.DataFrame, view: compare.CompareView, *, source: str
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
        fig.add_trace(
            go.Bar(
                y=ranking["naam"].map(plain),
                x=ranking["waarde"],
                orientation="h",
                marker_color=colours,
                error_x=whiskers,
                customdata=custom,
                hovertemplate=hover,
                showlegend=False,
            )
        )
        fig.update_yaxes(autorange="reversed", automargin=True, title=None)
        fig.update_xaxes(
            title=ind.axis,
            rangemode="tozero",
            **_axis_format(ind.kind, ranking["waarde"], ranking["hoog"]),
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
        fig.update_xaxes(
            title=f"rangorde ({format_count(len(ranking))} gebieden, hoogste links; "
            "naam bij aanwijzen)",
            showticklabels=False,
            ticks="",
        )
        fig.update_yaxes(
            title=ind.axis,
            rangemode="tozero",
            **_axis_format(ind.kind, ranking["waarde"], ranking["hoog"]),
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
    for _, line in lines.iterrows():
        colour = TOTAL if line["rol"] == compare.ROLE_TOTAL else PARENT
        dash = "dot" if line["rol"] == compare.ROLE_TOTAL else "dash"
        text = f"{plain(line['naam'])}: {line['waarde_tekst']}"
        position = "top right" if line["rol"] == compare.ROLE_TOTAL else "bottom right"
        if named:
            fig.add_vline(
                x=line["waarde"],
                line=dict(color=colour, dash=dash, width=1.5),
                annotation=dict(text=text, font=dict(color=colour, size=12)),
                annotation_position=position,
            )
        else:
            fig.add_hline(
                y=line["waarde"],
                line=dict(color=colour, dash=dash, width=1.5),
                annotation=dict(text=text, font=dict(color=colour, size=12), bgcolor="white"),
                annotation_position=position,
            )
    title = (
        f"{ind.label} per {_level_plural(view.level)}, {view.year}; "
        f"{plain(view.area_name)} gemarkeerd"
    )
    fig.update_layout(bargap=0.15 if named else 0.05)
    return finish(fig, title=_title(title, view), source=source, height=height, legend_rows=0)


# --------------------------------------------------------------------------------------------
# Expected against signalled


def scatter_chart(frame: pd.DataFrame, view: compare.CompareView, *, source: str) -> go.Figure:
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
    fig.update_xaxes(
        title="verwacht aantal slachtoffers per jaar (toegerekend)", rangemode="tozero"
    )
    fig.update_yaxes(title="gesignaleerd", rangemode="tozero")
    title = f"Verwacht en gesignaleerd per {_level_plural(view.level)}, {view.year}"
    return finish(fig, title=_title(title, view), source=source, height=440)


# --------------------------------------------------------------------------------------------
# Funnel


def funnel_chart(frame: pd.DataFrame, view: compare.CompareView, *, source: str) -> go.Figure:
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
    fig.update_yaxes(title="deel van gesignaleerd", rangemode="tozero", **percent_ticks(1.0))
    fig.update_yaxes(range=[0, 1.15])
    fig.update_layout(barmode="group")
    title = f"Van signaal naar behandeling, {view.year}: {plain(view.area_name)} vergeleken"
    return finish(fig, title=_title(title, view), source=source, height=400)


def compare_role_colour(role: str) -> str:
    """The colour of a role (highlighted area, parent region, all areas) in every chart."""
    return ROLE_COLOURS.get(role, PALETTE[0])


# --------------------------------------------------------------------------------------------
# Time series


def series_chart(frame: pd.DataFrame, view: compare.CompareView, *, source: str) -> go.Figure:
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
    fig.update_xaxes(title="jaar", dtick=1, tickformat="d")
    fig.update_yaxes(title=ind.axis, rangemode="tozero", **_axis_format(ind.kind, frame["waarde"]))
    title = f"{ind.label} door de jaren: {plain(view.area_name)}"
    return finish(fig, title=_title(title, view), source=source, height=380)


# --------------------------------------------------------------------------------------------
# Map


def map_chart(
    frame: pd.DataFrame, geojson: dict, view: compare.CompareView, *, source: str
) -> go.Figure:
    """Choropleth of the indicator on MapLibre with a blank style: drawn from ``geojson``
    alone, no tiles and no request to any other server. Areas without a value are grey; the
    highlighted area has a vermillion outline."""
    ind = view.indicator
    has = frame["waarde"].notna()
    shown, missing = frame[has], frame[~has]
    fig = go.Figure()
    if len(shown):
        fig.add_trace(
            go.Choroplethmap(
                geojson=subset(geojson, shown["code"]),
                featureidkey="properties.statcode",
                locations=shown["code"],
                z=shown["waarde"],
                colorscale=MAP_COLOURSCALE,
                marker_line_width=0.3,
                marker_line_color="white",
                colorbar=dict(
                    title=dict(text=plain(ind.label), side="right"),
                    thickness=14,
                    **_axis_format(ind.kind, shown["waarde"]),
                ),
                customdata=np.column_stack([shown["naam"].map(plain), shown["waarde_tekst"]]),
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + plain(ind.label)
                + ": %{customdata[1]}<extra></extra>",
                name=plain(ind.label),
            )
        )
    if len(missing):
        fig.add_trace(
            go.Choroplethmap(
                geojson=subset(geojson, missing["code"]),
                featureidkey="properties.statcode",
                locations=missing["code"],
                z=np.zeros(len(missing)),
                colorscale=[[0, MAP_MISSING], [1, MAP_MISSING]],
                showscale=False,
                marker_line_width=0.3,
                marker_line_color="white",
                customdata=np.column_stack([missing["naam"].map(plain), missing["waarde_tekst"]]),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                name="geen waarde",
            )
        )
    marked = frame[frame["gemarkeerd"]]
    if len(marked):
        fig.add_trace(
            go.Choroplethmap(
                geojson=subset(geojson, marked["code"]),
                featureidkey="properties.statcode",
                locations=marked["code"],
                z=[0] * len(marked),
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker_line_width=3,
                marker_line_color=HIGHLIGHT,
                hoverinfo="skip",
                name=plain(view.area_name),
            )
        )
    fig.update_layout(
        map=dict(style="white-bg", center=dict(lat=52.15, lon=5.35), zoom=6.3, layers=[]),
        showlegend=False,
    )
    title = f"{ind.label} per {_level_plural(view.level)}, {view.year} (grijs: geen waarde)"
    fig = finish(fig, title=_title(title, view), source=f"{source}; {ATTRIBUTION}", height=620)
    fig.update_layout(margin=dict(l=10, r=10))
    return fig


# --------------------------------------------------------------------------------------------
# Blocks: figure + CSV + source + note


class Block(NamedTuple):
    """What the page's chart block needs: figure, CSV bytes, caption source, note, file name."""

    fig: go.Figure
    csv: bytes
    source: str
    note: str
    file_name: str


def _csv(frame: pd.DataFrame, view: compare.CompareView, columns: list[str]) -> bytes:
    out = frame[columns].copy()
    if view.demo:
        out.insert(0, "gegevens", DEMO_LABEL)
    return to_csv_bytes(out)


def full_source(view: compare.CompareView) -> str:
    """The caption under a chart: the dataset and the full citation of the national estimate."""
    figure = gaps.GIRLS_RATE_FIGURE if view.tables.population == "eigen" else gaps.DEFAULT_ESTIMATE
    data = (
        f"Gegevens: {DEMO_LABEL} (verzonnen, alleen om het dashboard te proberen)"
        if view.demo
        else f"Gegevens: eigen cijfers '{view.tables.dataset_label}'"
    )
    return f"{data}. Verwacht aantal: {load_national().citation(figure)}."


def build_blocks(view: compare.CompareView, geojson: dict | None) -> dict[str, Block]:
    """Every chart of the page for ``view``; "map" only when ``geojson`` is given and the
    level has boundaries, "series" only with more than one year."""
    source = view.tables.source
    caption = full_source(view)
    slug = f"{view.level}_{view.year}_{view.indicator_id}"
    ind = view.indicator
    publication = (
        " Publicatiemodus: gebieden met afgeschermde kleine aantallen ontbreken."
        if view.tables.publication
        else ""
    )
    blocks: dict[str, Block] = {}

    ranking = compare.ranking_frame(view)
    lines = compare.reference_lines(view)
    note = (
        f"{ind.explanation} Lijnen: alle gemeenten in de dataset samen en de regio van het "
        f"gemarkeerde gebied. {format_count(ranking.attrs['zonder_waarde'])} gebieden zonder "
        f"waarde.{publication}"
    )
    blocks["ranking"] = Block(
        ranking_chart(ranking, lines, view, source=source),
        _csv(ranking, view, ["code", "naam", "waarde", "laag", "hoog", "gemarkeerd"]),
        caption,
        note,
        f"rangorde_{slug}.csv",
    )

    scatter = compare.scatter_frame(view)
    blocks["scatter"] = Block(
        scatter_chart(scatter, view, source=source),
        _csv(
            scatter,
            view,
            ["code", "naam", "verwacht", "gesignaleerd", "referentiepopulatie", "gemarkeerd"],
        ),
        caption,
        "Boven de stippellijn is meer gesignaleerd dan verwacht, eronder minder. De grootte van "
        "een punt is de referentiepopulatie. "
        f"{format_count(scatter.attrs['zonder_waarde'])} gebieden zonder getoond aantal."
        f"{publication}",
        f"verwacht_gesignaleerd_{view.level}_{view.year}.csv",
    )

    funnel = compare.funnel_frame(view)
    blocks["funnel"] = Block(
        funnel_chart(funnel, view, source=source),
        _csv(
            funnel,
            view,
            ["gebied", "stap", "aantal_tekst", "aandeel_van_gesignaleerd"],
        ),
        caption,
        "Elke stap als deel van het aantal gesignaleerd in hetzelfde gebied; het getal boven "
        "de staaf is het aantal. Bij regio's tellen alleen gemeenten mee die de stap "
        "rapporteerden; '–' is niet gerapporteerd, '<5' en 'x' zijn afgeschermd.",
        f"trechter_{view.area}_{view.year}.csv",
    )

    series = compare.series_frame(view)
    if len(series):
        blocks["series"] = Block(
            series_chart(series, view, source=source),
            _csv(series, view, ["jaar", "gebied", "waarde", "laag", "hoog"]),
            caption,
            f"{ind.explanation} Een jaar zonder (getoonde) waarde onderbreekt de lijn.",
            f"tijdreeks_{view.area}_{view.indicator_id}.csv",
        )

    if geojson is not None:
        mapped = compare.map_frame(view)
        blocks["map"] = Block(
            map_chart(mapped, geojson, view, source=source),
            _csv(mapped, view, ["code", "naam", "waarde"]),
            f"{caption} {ATTRIBUTION}.",
            f"{ind.explanation} Grijze gebieden hebben geen getoonde waarde.{publication}",
            f"kaart_{slug}.csv",
        )
    return blocks
