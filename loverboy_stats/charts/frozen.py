"""Finished figures that give their dict form from memory.

``st.plotly_chart`` turns a figure into a dict (``Figure.to_dict``, a deep copy: ~45 ms for the
municipal map) on every rerun before serialising it. A page keeps its figures in a memo
(``ui.state.shared_memo``), so the copy only repeats work: a :class:`FrozenFigure` makes it
once. Its spec stays byte for byte the same across reruns, which is what lets the browser leave
an unchanged chart alone.
"""

from __future__ import annotations

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A figure that is finished: its dict form is made on the first ``to_dict`` and returned
    from then on. Do not change it afterwards (make a new one with :func:`freeze`); callers
    must treat the returned dict as read-only."""

    def to_dict(self) -> dict:
        frozen = getattr(self, "_frozen_dict", None)
        if frozen is None:
            frozen = super().to_dict()
            for trace in frozen.get("data", []):
                trace.pop("uid", None)  # as plotly.io.to_json does, before it is shared
            self._frozen_dict = frozen
        return frozen


def freeze(fig: go.Figure) -> FrozenFigure:
    """``fig`` as a :class:`FrozenFigure` (a copy; ``fig`` itself is left as it is)."""
    return fig if isinstance(fig, FrozenFigure) else FrozenFigure(fig)
