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
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A figure that is finished: its dict form is made on the first ``to_dict`` and returned
    from then on. Do not change it afterwards (make a new one with :func:`freeze`); callers
    must treat the returned dict as read-only."""

    def to_dict(self) -> dict:
        frozen = getattr(self, "_frozen_dict", None)
        if frozen is None:
            frozen = _object_arrays_as_lists(super().to_dict())
            for trace in frozen.get("data", []):
                trace.pop("uid", None)  # as plotly.io.to_json does, before it is shared
            self._frozen_dict = frozen
        return frozen


def _object_arrays_as_lists(value):
    """``value`` (a figure's dict, changed in place) with every numpy array of Python objects
    (text, mixed values) turned into a list; numeric arrays stay arrays."""
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _object_arrays_as_lists(item)
    elif isinstance(value, list):
        value[:] = [_object_arrays_as_lists(item) for item in value]
    elif isinstance(value, np.ndarray) and value.dtype == object:
        return value.tolist()
    return value


def freeze(fig: go.Figure) -> FrozenFigure:
    """``fig`` as a :class:`FrozenFigure` (a copy; ``fig`` itself is left as it is)."""
    return fig if isinstance(fig, FrozenFigure) else FrozenFigure(fig)
