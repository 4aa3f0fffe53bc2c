"""A figure's plotly template written out into the figure itself.

Every chart uses plotly's "simple_white" template (:func:`loverboy_stats.charts.style.finish`).
Sent as a template, it costs the browser a whole second drawing of every chart: Streamlit draws
a new chart twice (first at plotly's automatic width, then at the width it measured), and it
hands plotly a fresh copy of the figure the second time. ``Plotly.react`` compares the layout
with the one before, and a template that is a new object counts as changed, however equal it
is: plotly then computes and draws everything again (~15 ms for the ranking in Chromium).
Without a template, and with ``layout.datarevision`` saying the data are the same, the second
time only the size is looked at (~3 ms).

:func:`apply_template` gives every value of the template to the part of the figure it is meant
for, where the figure does not set that value itself, exactly as plotly.js does, and removes
the template. The chart looks the same; ``tests/e2e/test_chart_spec.py`` checks that plotly.js
draws the same picture, point for point, for every kind of chart the app makes.
"""

from __future__ import annotations

import copy
import hashlib
import re

import orjson

#: Trace types whose template this module knows how to write out, with the subplot they are
#: drawn on. A figure with any other trace type keeps its template (only slower, never wrong).
SUBPLOT_OF_TRACE = {
    "bar": "cartesian",
    "scatter": "cartesian",
    "heatmap": "cartesian",
    "choropleth": "geo",
}
#: Template parts that hold defaults for each subplot of a kind (xaxis for xaxis, xaxis2, ...).
_SUBPLOT_KINDS = (
    "xaxis",
    "yaxis",
    "geo",
    "polar",
    "ternary",
    "scene",
    "coloraxis",
    "mapbox",
    "map",
    "smith",
)
#: The subplot kinds a trace's subplot needs even when the layout does not name them.
_IMPLIED = {"cartesian": ("xaxis", "yaxis"), "geo": ("geo",)}


def apply_template(figure: dict) -> dict:
    """``figure`` (a figure's dict, changed in place) with its template written out and removed,
    and ``layout.datarevision`` set to a digest of its data; unchanged if a trace type is not in
    :data:`SUBPLOT_OF_TRACE`."""
    layout = figure.setdefault("layout", {})
    traces = figure.get("data", [])
    kinds = [trace.get("type", "scatter") for trace in traces]
    if any(kind not in SUBPLOT_OF_TRACE for kind in kinds):
        return figure
    template = layout.pop("template", None) or {}
    defaults = copy.deepcopy(template.get("layout", {}))
    for name in [key for key in defaults if key.endswith("defaults")]:
        # annotationdefaults -> every item of annotations, shapedefaults -> shapes, ...
        item_defaults = defaults.pop(name)
        for item in layout.get(name.removesuffix("defaults") + "s", []):
            _fill(item, item_defaults)
    implied = {kind for trace in kinds for kind in _IMPLIED[SUBPLOT_OF_TRACE[trace]]}
    for kind in _SUBPLOT_KINDS:
        kind_defaults = defaults.pop(kind, None)
        if kind_defaults is None:
            continue
        names = {key for key in layout if re.fullmatch(rf"{kind}\d*", key)}
        if kind in implied:
            names.add(kind)
        for name in names:
            layout[name] = _fill(layout.get(name) or {}, kind_defaults)
    _fill(layout, defaults)
    data_templates = template.get("data", {})
    seen: dict[str, int] = {}
    for trace, kind in zip(traces, kinds, strict=True):
        items = data_templates.get(kind) or []
        if items:
            # The n-th trace of a type takes the n-th item of the type's list, cyclically.
            item = items[seen.get(kind, 0) % len(items)]
            _fill(trace, {key: value for key, value in item.items() if key != "type"})
        seen[kind] = seen.get(kind, 0) + 1
    layout["datarevision"] = _digest(traces)
    return figure


def _fill(target: dict, defaults: dict) -> dict:
    """``target`` with every value of ``defaults`` it does not set itself (nested dicts
    merged key by key); ``target`` is changed in place and returned."""
    for key, value in defaults.items():
        if key not in target or target[key] is None:
            target[key] = copy.deepcopy(value)
        elif isinstance(target[key], dict) and isinstance(value, dict):
            _fill(target[key], value)
    return target


def _digest(traces: list) -> str:
    """A short digest of the traces: a new value tells plotly the data changed."""
    options = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_SORT_KEYS
    encoded = orjson.dumps(traces, default=str, option=options)
    return hashlib.blake2b(encoded, digest_size=8).hexdigest()
