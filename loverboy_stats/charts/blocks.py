"""Every chart of 'Vergelijken' for one view, each with the CSV of exactly its data, its full
source and a method note: what the page's chart block needs."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from loverboy_stats.boundaries import ATTRIBUTION
from loverboy_stats.charts.compare import funnel_chart, ranking_chart, scatter_chart, series_chart
from loverboy_stats.charts.frozen import freeze
from loverboy_stats.charts.maps import map_chart
from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.formatting import format_count
from loverboy_stats.national import load_national
from loverboy_stats.schema import small_mark
from loverboy_stats.views import frames, summaries
from loverboy_stats.views.compare import CompareView
from loverboy_stats.views.comparison import source_figure


class Block(NamedTuple):
    """What the page's chart block needs: figure (frozen: its dict made once, see
    :mod:`loverboy_stats.charts.frozen`), CSV bytes, caption source, note, file name."""

    fig: go.Figure
    csv: bytes
    source: str
    note: str
    file_name: str
    #: The chart in a few Dutch sentences (:mod:`loverboy_stats.views.summaries`).
    summary: str = ""


def _csv(frame: pd.DataFrame, view: CompareView, columns: list[str]) -> bytes:
    out = frame[columns].copy()
    if view.demo:
        out.insert(0, "gegevens", DEMO_LABEL)
    return to_spreadsheet_csv(out)


def full_source(view: CompareView) -> str:
    """The caption under a chart: the dataset and the full citation of the national estimate."""
    figure = source_figure(view.tables.population)
    data = (
        f"Gegevens: {DEMO_LABEL} (verzonnen, alleen om het dashboard te proberen)"
        if view.demo
        else f"Gegevens: eigen cijfers '{view.tables.dataset_label}'"
    )
    return f"{data}. Verwacht aantal: {load_national().citation(figure, prefix='')}."


def build_blocks(view: CompareView, geojson: dict | str | None) -> dict[str, Block]:
    """Every chart for ``view`` (the page builds only the one shown, with :func:`build_block`);
    "map" only when ``geojson`` is given and the level has boundaries, "series" only with more
    than one year."""
    blocks = {name: build_block(view, name) for name in _BUILDERS}
    if geojson is not None:
        blocks["map"] = map_block(view, geojson)
    return {name: block for name, block in blocks.items() if block is not None}


def build_block(view: CompareView, name: str) -> Block | None:
    """The chart ``name`` ("ranking", "scatter", "funnel" or "series") of ``view``, frozen;
    None for a series of one year."""
    block = _BUILDERS[name](view, full_source(view), _publication_note(view))
    return None if block is None else block._replace(fig=freeze(block.fig))


def _publication_note(view: CompareView) -> str:
    if not view.tables.publication:
        return ""
    return " Publicatiemodus: gebieden met afgeschermde kleine aantallen ontbreken."


def _ranking_block(view: CompareView, caption: str, publication: str) -> Block:
    ranking = frames.ranking_frame(view)
    lines = frames.reference_lines(view)
    regional = view.level != "gemeente"
    partial = (
        " Gearceerd: niet alle gemeenten van het gebied leverden het aantal aan; tussen haakjes "
        "hoeveel wel."
        if regional and not ranking["volledig"].all()
        else ""
    )
    note = (
        f"{view.indicator.explanation} Lijnen: alle gemeenten in de dataset samen en de regio "
        f"van het gemarkeerde gebied. {format_count(ranking.attrs['zonder_waarde'])} gebieden "
        f"zonder waarde.{partial}{publication}"
    )
    members = ["gemeenten"] if regional else []
    return Block(
        ranking_chart(ranking, lines, view, source=view.tables.source),
        _csv(ranking, view, ["code", "naam", "waarde", "laag", "hoog", "gemarkeerd", *members]),
        caption,
        note,
        f"rangorde_{view.level}_{view.year}_{view.indicator_id}.csv",
        summaries.ranking_summary(ranking, view),
    )


def _scatter_block(view: CompareView, caption: str, publication: str) -> Block:
    scatter = frames.scatter_frame(view)
    return Block(
        scatter_chart(scatter, view, source=view.tables.source),
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
        summaries.scatter_summary(scatter, view),
    )


def _funnel_block(view: CompareView, caption: str, publication: str) -> Block:
    funnel = frames.funnel_frame(view)
    small = small_mark(view.k or 0)
    return Block(
        funnel_chart(funnel, view, source=view.tables.source),
        _csv(
            funnel,
            view,
            ["gebied", "stap", "aantal_tekst", "basis_tekst", "aandeel_van_gesignaleerd"],
        ),
        caption,
        "Elke stap als deel van het aantal gesignaleerd bij de gemeenten die die stap "
        "aanleverden (de basis in de CSV); bij doorverwezen is dat het doorverwijspercentage "
        "uit de tabel. Het getal boven de staaf is het aantal; '–' is niet gerapporteerd, "
        f"'{small}' en 'x' zijn afgeschermd.",
        f"trechter_{view.area}_{view.year}.csv",
        summaries.funnel_summary(funnel).replace("'<k'", f"'{small}'"),
    )


def _series_block(view: CompareView, caption: str, publication: str) -> Block | None:
    series = frames.series_frame(view)
    if not len(series):
        return None
    return Block(
        series_chart(series, view, source=view.tables.source),
        _csv(series, view, ["jaar", "gebied", "waarde", "laag", "hoog"]),
        caption,
        f"{view.indicator.explanation} Een jaar zonder (getoonde) waarde onderbreekt de lijn.",
        f"tijdreeks_{view.area}_{view.indicator_id}.csv",
        summaries.series_summary(series, view),
    )


_BUILDERS = {
    "ranking": _ranking_block,
    "scatter": _scatter_block,
    "funnel": _funnel_block,
    "series": _series_block,
}


def map_block(view: CompareView, geojson: dict | str) -> Block:
    """The map's block. It depends on dataset, population, publication mode, level, year and
    indicator only, never on the highlighted area: callers may keep it under a key without
    the area, so another area gives the very same figure."""
    ind = view.indicator
    mapped = frames.map_frame(view)
    members = ["gemeenten"] if view.level != "gemeente" else []
    publication = _publication_note(view)
    return Block(
        freeze(map_chart(mapped, geojson, view, source=view.tables.source)),
        _csv(mapped, view, ["code", "naam", "waarde", *members]),
        f"{full_source(view)} {ATTRIBUTION}.",
        f"{ind.explanation} Grijze gebieden hebben geen getoonde waarde; het gemarkeerde gebied "
        f"staat in de andere grafieken.{publication}",
        f"kaart_{view.level}_{view.year}_{view.indicator_id}.csv",
        summaries.map_summary(mapped, view),
    )
