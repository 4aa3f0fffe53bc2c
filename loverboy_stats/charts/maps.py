"""The map of 'Vergelijken': a choropleth drawn from local boundary files only.

An SVG map (plotly's ``geo`` with every base layer off), not MapLibre: no tiles, no glyphs, no
WebGL, no request to any server but our own. MapLibre drew the municipalities in WebGL, which a
computer without a graphics card (many office desktops and remote sessions) runs in software:
a change of level, year or indicator took ~0.8 s against ~0.3 s as SVG (issue 13), and without
WebGL2 it drew nothing at all.

Plotly's geo still loads a world outline file by name before it draws (``world_110m`` for the
scope and resolution pinned in the layout). ``static/topojson/world_110m.json`` is an empty
outline of our own under that name, and the charts' config points plotly there (ui/blocks.py),
never to plotly's CDN.

The geometry is usually the address of a file on the app's own server
(:func:`loverboy_stats.boundaries.map_geometry`), fetched once by the browser; both traces
share it and draw only the features their ``locations`` name. Areas without a value are grey.
The map does not mark the highlighted area: it depends only on level, year and indicator, so
choosing another area leaves its figure byte for byte the same and the browser does not
redraw it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from loverboy_stats.boundaries import ATTRIBUTION, subset
from loverboy_stats.charts.style import (
    axis_format,
    finish,
    level_noun,
    plain,
    set_layout,
    with_demo_label,
)
from loverboy_stats.views.compare import CompareView

MAP_COLOURSCALE = "Cividis"  # sequential and colour-blind safe
MAP_MISSING = "#d9d9d9"
#: Opacity of a region whose value rests on some of its municipalities only.
PARTIAL_OPACITY = 0.45


def map_chart(
    frame: pd.DataFrame, geojson: dict | str, view: CompareView, *, source: str
) -> go.Figure:
    """Choropleth of the indicator as SVG: drawn from ``geojson`` (a FeatureCollection, or the
    address of one on the app's own server) alone, no base map and no request to any other
    server. Areas without a value are grey. Nothing in it depends on the
    highlighted area (see the module docstring)."""
    ind = view.indicator
    has = frame["waarde"].notna()
    shown, missing = frame[has], frame[~has]
    # A region whose value rests on some of its municipalities only is drawn pale and says how
    # many in its hover text, so it does not pass for the whole region.
    regional = view.level != "gemeente"
    partial = regional & ~shown["volledig"].astype(bool)
    members = (
        "<br>aangeleverd door " + shown["gemeenten"].map(plain)
        if regional
        else pd.Series("", index=shown.index)
    )
    fig = go.Figure()
    if len(shown):
        fig.add_trace(
            go.Choropleth(
                geojson=_features(geojson, shown["code"]),
                featureidkey="properties.statcode",
                locations=shown["code"],
                z=shown["waarde"],
                colorscale=MAP_COLOURSCALE,
                marker_line_width=0.3,
                marker_line_color="white",
                marker_opacity=np.where(partial, PARTIAL_OPACITY, 1.0),
                colorbar=dict(
                    title=dict(text=plain(ind.label), side="right"),
                    thickness=14,
                    **axis_format(ind.kind, shown["waarde"]),
                ),
                customdata=np.column_stack(
                    [shown["naam"].map(plain), shown["waarde_tekst"], members]
                ),
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + plain(ind.label)
                + ": %{customdata[1]}%{customdata[2]}<extra></extra>",
                name=plain(ind.label),
            )
        )
    if len(missing):
        fig.add_trace(
            go.Choropleth(
                geojson=_features(geojson, missing["code"]),
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
    set_layout(
        fig,
        geo=dict(
            visible=False,  # no land, coast or country lines: only the areas themselves
            # Said outright: the plotly template's "land and lakes on" yields to visible=False
            # only while it stays a template (loverboy_stats.charts.template writes it out).
            showland=False,
            showlakes=False,
            scope="world",
            resolution=110,
            projection_type="mercator",
            fitbounds="locations",
        ),
        showlegend=False,
    )
    pale = "; licht: niet alle gemeenten" if bool(partial.any()) else ""
    title = f"{ind.label} per {level_noun(view.level)}, {view.year} (grijs: geen waarde{pale})"
    fig = finish(
        fig, title=with_demo_label(title, view.demo), source=f"{source}; {ATTRIBUTION}", height=620
    )
    # finish() left room on the right for the colour bar; the map itself needs little on the left.
    return set_layout(fig, margin_l=10)


def _features(geojson: dict | str, codes: pd.Series) -> dict | str:
    """An address as it is (the trace picks its areas by ``locations``); of a collection held
    in the figure, only the features of ``codes``."""
    return geojson if isinstance(geojson, str) else subset(geojson, codes)
