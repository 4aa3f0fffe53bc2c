"""The one chart style: palette, Dutch separators, titles, and the source inside every figure.

Every figure uses Dutch number notation (``layout.separators``), a colour-blind-safe palette
(Okabe-Ito) and carries its source inside the figure, so a saved image still says where the
numbers come from. Text from users never reaches a figure unescaped: builders pass labels
through :func:`plain`, and :func:`finish` escapes title and source itself (so a title is built
from raw text: escaping it twice would show '&amp;' for '&').
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.basedatatypes import BasePlotlyType

from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.formatting import PLOTLY_SEPARATORS, format_number, format_percent
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
#: Characters per line of a chart title (16 px) and of the source under it (11 px): what fits
#: on a 390-pixel phone screen.
TITLE_WIDTH, SOURCE_WIDTH = 38, 56
#: The same for axis titles and legend entries (13 px).
AXIS_TITLE_WIDTH, LEGEND_WIDTH = 34, 34
LEFT_MARGIN, BOTTOM_MARGIN = 70, 50
SOURCE_COLOUR = "#4a5561"  # 7.5:1 on white


def plain(text: object) -> str:
    """Text made safe for plotly labels, which interpret a subset of HTML."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int = 120) -> str:
    return "<br>".join(textwrap.wrap(plain(text), width)) if text else ""


def _rewrap(escaped: str, width: int) -> str:
    """Already escaped plotly text broken over lines of at most ``width`` characters (text
    that already has its own line breaks is left alone)."""
    if not escaped or "<br>" in escaped or len(escaped) <= width:
        return escaped
    return "<br>".join(textwrap.wrap(escaped, width))


def _fit_texts(fig: go.Figure) -> None:
    """Axis titles, colour-bar titles and legend entries wrapped so they fit a phone screen."""
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.title.text:
            axis.title.text = _rewrap(axis.title.text, AXIS_TITLE_WIDTH)
    for trace in fig.data:
        if getattr(trace, "name", None):
            trace.name = _rewrap(trace.name, LEGEND_WIDTH)


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


def reference_line(
    fig: go.Figure,
    value: float,
    *,
    across: str = "h",
    line: dict,
    annotation: dict,
    position: str = "top right",
) -> None:
    """A line across the plot at ``value`` (``across`` "h": horizontal, at y; "v": vertical,
    at x) with its label at ``position``, as plotly's ``add_hline``/``add_vline`` draw it for a
    figure of one plot. Those took ~10 ms each (they look up every subplot the line might
    span), a quarter of building the ranking; this adds the same shape and annotation
    (tests/charts/test_style.py compares them)."""
    top, right = position.startswith("top"), position.endswith("right")
    if across == "h":
        shape = dict(xref="x domain", x0=0, x1=1, yref="y", y0=value, y1=value)
        label = dict(
            xref="x domain",
            x=1 if right else 0,
            xanchor="right" if right else "left",
            yref="y",
            y=value,
            yanchor="bottom" if top else "top",
        )
    else:
        shape = dict(xref="x", x0=value, x1=value, yref="y domain", y0=0, y1=1)
        label = dict(
            xref="x",
            x=value,
            xanchor="left" if right else "right",
            yref="y domain",
            y=1 if top else 0,
            yanchor="top" if top else "bottom",
        )
    fig.add_shape(type="line", line=line, **shape)
    fig.add_annotation(showarrow=False, **(label | annotation))  # the caller's keys win


def set_layout(fig: go.Figure, **values) -> go.Figure:
    """``fig.update_layout(**values)``, for what our charts set: nested dicts merge into what
    is there, anything else replaces it; the figure's dict is the same (tests/charts/
    test_style.py), except that a part set to None is left out where plotly's update leaves an
    empty ``{}`` (plotly.js reads both as "not set"). Plotly's own update records every
    property in a batch and replays it as a relayout: ~18 ms for the layout and axes of one
    finished chart, where one validated assignment per top-level property takes ~4."""
    _merge_into(fig.layout, values)
    return fig


def set_axes(fig: go.Figure, letter: str, **values) -> go.Figure:
    """``fig.update_xaxes(**values)`` (``letter`` "x") or ``update_yaxes`` ("y"), as
    :func:`set_layout` does it: for every axis of that letter."""
    for axis in fig.select_xaxes() if letter == "x" else fig.select_yaxes():
        _merge_into(axis, values)
    return fig


def _merge_into(obj, values: dict) -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            current = obj[key]
            if isinstance(current, BasePlotlyType):
                value = _merged(current.to_plotly_json(), value)
        obj[key] = value


def _merged(old: dict, new: dict) -> dict:
    out = dict(old)
    for key, value in new.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merged(out[key], value) if both else value
    return out


def use_template(fig: go.Figure, name: str) -> None:
    """Give ``fig`` plotly's registered template ``name`` without validating it again.

    ``update_layout(template=name)`` validates and copies the whole template (every trace
    type's defaults): ~10 ms per figure, for a template plotly validated when it registered it.
    Plotly itself sets its default template this way (``_initialize_layout_template``); the
    figure's dict is the same (tests/charts/test_style.py).
    """
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = pio.templates[name]
    finally:
        layout._validate = fig._validate


def finish(
    fig: go.Figure,
    *,
    title: str,
    source: str,
    height: int = 420,
) -> go.Figure:
    """Common layout: Dutch separators, calm style, title, and the source inside the figure.

    From the top: the title, the source right under it (so that no axis or tick label can run
    into it, and a saved image still says where the numbers come from), the legend with one
    entry per line, then the plot area of ``height`` pixels. Every text is wrapped to fit a
    390-pixel phone screen (plotly cannot re-wrap text when the screen is narrow), and the top
    margin is the sum of what sits above the plot, so nothing overlaps at any width.
    """
    _fit_texts(fig)
    use_template(fig, "simple_white")
    title_text, source_text = _wrap(title, TITLE_WIDTH), _wrap(source, SOURCE_WIDTH)
    title_lines = title_text.count("<br>") + 1
    source_lines = source_text.count("<br>") + 1 if source_text else 0
    legend_lines = _legend_lines(fig)
    # Measured in Chromium (plotly 7, 16 px title, 11 px source, 13 px legend): a title line
    # takes 20.5 px from 7 px down, the source starts 27 px below the title's last line and
    # takes 10.5 px per further line, a legend 19 px per line plus 12 px of padding.
    title_bottom = 7 + 20.5 * title_lines
    source_bottom = title_bottom + (27 + 10.5 * (source_lines - 1) if source_lines else 0)
    legend = 19 * legend_lines + 12 if legend_lines else 0
    top = round(source_bottom + 10 + legend)
    bottom, left, right = _bottom_margin(fig), _left_margin(fig), _colour_bar_margin(fig)
    set_layout(
        fig,
        title=dict(
            text=title_text,
            x=0,
            xanchor="left",
            y=1,
            yanchor="top",
            yref="container",
            # plotly lifts a title of several lines 11 px higher than one of one line (its
            # first line would be cut off at the top): push it down by as much.
            pad=dict(t=10 + (11 if title_lines > 1 else 0)),
            font=dict(size=16),
            subtitle=dict(text=source_text, font=dict(size=11, color=SOURCE_COLOUR)),
        ),
        separators=PLOTLY_SEPARATORS,
        font=FONT,
        height=height + top + bottom,
        margin=dict(l=left, r=right, t=top, b=bottom),
        legend=dict(orientation="v", yanchor="bottom", y=1.0, x=0, xanchor="left", tracegroupgap=0),
        hoverlabel=dict(font_size=13),
    )
    # Tick labels turn and axis titles wrap on a narrow screen: let plotly make room for them.
    # (Plotly draws a chart twice when it has to widen a margin, so the margins above are what
    # the usual case needs: see _bottom_margin.)
    set_axes(fig, "x", automargin=True)
    set_axes(fig, "y", automargin=True)
    return fig


def _bottom_margin(fig: go.Figure) -> int:
    """Room under the plot for the x axis's tick labels and its title (after wrapping).

    Measured in Chromium (plotly, 13 px text): tick labels take 25 px and each title line 21
    px, plus 21 px. Asking for that up front spares plotly's automatic margin a second drawing
    of the whole chart (it widened the 50 px of before for almost every chart); a margin still
    too small (turned tick labels on a phone) is widened by plotly as before.
    """
    axis = fig.layout.xaxis
    ticks = axis.showticklabels is not False and axis.side != "top"
    return max(BOTTOM_MARGIN, 21 + 21 * _title_lines(axis) + (25 if ticks else 0))


def _left_margin(fig: go.Figure) -> int:
    """Room left of the plot for the y axis's tick labels and title, as :func:`_bottom_margin`
    for the x axis. Measured: each title line takes 20 px; a tick label of numbers about 7 px
    per character plus 33, a name (wider letters) about 6.2 px per character plus 36."""
    axis = fig.layout.yaxis
    title = 20 * _title_lines(axis)
    if axis.showticklabels is False:
        return max(LEFT_MARGIN, 30 + title)
    if axis.ticktext:
        labels = 33 + 7 * max(len(str(text)) for text in axis.ticktext)
    else:
        characters, names = _y_labels(fig)
        labels = 36 + 6.2 * characters if names else 33 + 7 * characters
    return max(LEFT_MARGIN, round(labels + title))


def _title_lines(axis) -> int:
    title = axis.title.text if axis.title else None
    return title.count("<br>") + 1 if title else 0


def _y_labels(fig: go.Figure) -> tuple[int, bool]:
    """(characters of the widest y tick label, whether they are names): the longest name on a
    category axis, else the top tick of plotly's usual 1-2-5 steps under the largest value
    (with its error bar), in Dutch notation."""
    names, top = [], 0.0
    for trace in fig.data:
        values = getattr(trace, "y", None)
        if values is None or trace.type not in ("bar", "scatter", "heatmap"):
            continue
        if any(isinstance(value, str) for value in values):
            names.extend(str(value) for value in values)
            continue
        numbers = _numbers(values)
        error = getattr(trace, "error_y", None)
        if error is not None and error.visible and error.array is not None:
            numbers = numbers + _numbers(error.array).fillna(0).to_numpy()
        if numbers.notna().any():
            top = max(top, float(numbers.abs().max()))
    if names:
        return max(len(html.unescape(name)) for name in names), True
    return _number_characters(top), False


def _number_characters(top: float) -> int:
    """Characters of the top tick under ``top`` of plotly's usual 1-2-5 steps, in Dutch
    notation: 1363 -> "1.000" (5), 0.62 -> "0,6" (3)."""
    if not top > 0 or not math.isfinite(top):
        return 1
    rough = top / 5
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    decimals = max(0, -math.floor(math.log10(step)))
    return len(format_number(math.floor(top / step) * step, decimals))


def _numbers(values) -> pd.Series:
    """Any array of a trace (a heatmap's z is a table) as floats, NaN where not a number."""
    cells = np.ravel(np.asarray(values, dtype="object"))
    return pd.to_numeric(pd.Series(cells, dtype="object"), errors="coerce")


def _colour_bar_margin(fig: go.Figure) -> int:
    """The right margin: 20 px, or what a colour bar takes (its bar, tick labels and turned
    title) so that plotly does not have to widen it and lay the chart out twice (measured
    106-125 px on the map)."""
    for trace in fig.data:
        bar = getattr(trace, "colorbar", None)
        if bar is None or getattr(trace, "showscale", None) is False:
            continue
        if bar.ticktext:
            characters = max(len(str(text)) for text in bar.ticktext)
        else:
            # A bar as tall as the map has ticks at finer steps than an axis: "8,5", not "8".
            characters = max(3, _number_characters(float(_numbers(trace.z).abs().max())))
        return round(94 + 7 * (characters + len(bar.ticksuffix or "")))
    return 20


def _legend_lines(fig: go.Figure) -> int:
    """Lines the legend takes: one per entry shown, more for a wrapped name."""
    if fig.layout.showlegend is False:
        return 0
    shown = [
        trace
        for trace in fig.data
        if trace.showlegend is not False
        and getattr(trace, "name", None)
        and trace.type != "choropleth"
    ]
    if len(shown) < 2 and not any(trace.showlegend for trace in shown):
        return 0  # plotly shows no legend for a single trace unless asked
    return sum(trace.name.count("<br>") + 1 for trace in shown)


def source_text(fig: go.Figure) -> str:
    """The source as the figure shows it (escaped plotly text, with line breaks)."""
    return fig.layout.title.subtitle.text or ""


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
