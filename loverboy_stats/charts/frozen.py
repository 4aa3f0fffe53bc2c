"""Finished figures that give their dict form from memory.

``st.plotly_chart`` turns a figure into a dict (``Figure.to_dict``, a deep copy: ~45 ms for the
municipal map) on every rerun before serialising it. A page keeps its figures in a memo
(``ui.state.shared_memo``), so the copy only repeats work: a :class:`FrozenFigure` makes it
once. Its spec stays byte for byte the same across reruns, which is what lets the browser leave
an unchanged chart alone.

The dict is also made ready for plotly's fast JSON engine (orjson, see requirements.txt): text
columns arrive from pandas as numpy arrays of objects, which orjson refuses, and plotly then
falls back to walking the whole figure in Python (for the map slower than the standard
library). As lists (what plotly's own encoder makes of them too) orjson takes the figure as
it is: the map's spec in ~2 ms instead of ~15 ms, with the same JSON values.

Numeric arrays become lists as well. Plotly's ``to_dict`` writes them base64-encoded
(``{"dtype": ..., "bdata": ...}``), and plotly.js decodes such an array into a new typed array
on every update. ``Plotly.react`` then takes every array for changed and draws the whole chart
again. Streamlit draws each new chart twice: first at plotly's automatic width, then at the width
it measured. With base64 arrays that second draw of the ranking cost as much as the first
(~15 ms in Chromium), whatever else is done (the template, see
:mod:`loverboy_stats.charts.template`, which is also written out here).
"""

from __future__ import annotations

import base64
import math

import numpy as np
import plotly.graph_objects as go

from loverboy_stats.charts.template import apply_template


class FrozenFigure(go.Figure):
    """A figure that is finished: its dict form is made on the first ``to_dict`` and returned
    from then on. Do not change it afterwards (make a new one with :func:`freeze`); callers
    must treat the returned dict as read-only."""

    def to_dict(self) -> dict:
        frozen = getattr(self, "_frozen_dict", None)
        if frozen is None:
            frozen = _arrays_as_lists(super().to_dict())
            for trace in frozen.get("data", []):
                trace.pop("uid", None)  # as plotly.io.to_json does, before it is shared
            apply_template(frozen)  # the second drawing in the browser then costs little
            self._frozen_dict = frozen
        return frozen


def _arrays_as_lists(value, missing=None):
    """``value`` (a figure's dict, changed in place) with every numpy array of Python objects
    (text, mixed values) and every base64-encoded array of numbers turned into a list, a
    missing number (NaN) in it as ``missing``."""
    if isinstance(value, dict):
        if value.keys() >= _BASE64_KEYS:
            return _decoded(value, missing)
        for key, item in value.items():
            value[key] = _arrays_as_lists(item, _ERROR_MISSING if key in _ERRORS else missing)
    elif isinstance(value, list):
        value[:] = [_arrays_as_lists(item, missing) for item in value]
    elif isinstance(value, np.ndarray) and value.dtype == object:
        return value.tolist()
    return value


#: How plotly's ``to_dict`` writes a numeric array (plus "shape" when it has two dimensions).
_BASE64_KEYS = {"dtype", "bdata"}
#: JSON has no NaN. Plotly.js reads null as "no value" in coordinates and colours, as NaN does,
#: but an error bar of null as 0: it would draw a bar of nothing where there is no interval.
#: It takes an error bar's value with ``+value``, and ``+"NaN"`` is NaN again.
_ERRORS = {"error_x", "error_y"}
_ERROR_MISSING = "NaN"


def _decoded(spec: dict, missing) -> list:
    """A base64 array spec of plotly as (nested) lists of numbers, NaN as ``missing``."""
    numbers = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=spec["dtype"])
    shape = spec.get("shape")
    if shape:
        numbers = numbers.reshape([int(n) for n in str(shape).split(",") if n.strip()])
    return _with_missing(numbers.tolist(), missing)


def _with_missing(values: list, missing) -> list:
    return [
        _with_missing(v, missing)
        if isinstance(v, list)
        else missing
        if isinstance(v, float) and math.isnan(v)
        else v
        for v in values
    ]


def freeze(fig: go.Figure) -> FrozenFigure:
    """``fig`` as a :class:`FrozenFigure`: the figure itself, handed over (change it no more).

    A plain ``go.Figure`` becomes one in place. A copy, as this made before, cost ~10 ms per
    figure (plotly validates and deep-copies every property): a quarter of building a chart,
    paid for every new choice of every visitor. Another subclass of ``go.Figure`` is copied.
    """
    if isinstance(fig, FrozenFigure):
        return fig
    if type(fig) is go.Figure:
        fig.__class__ = FrozenFigure  # same state, adds only the memo of its dict
        return fig
    return FrozenFigure(fig)
