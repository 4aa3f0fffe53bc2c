"""What a frozen figure sends: the template written out, numbers as lists, and a data revision
that tells plotly when the numbers changed (tests/e2e/test_chart_spec.py checks the drawing)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from hypothesis import given, settings
from hypothesis import strategies as st

from loverboy_stats.charts.frozen import freeze
from loverboy_stats.charts.template import SUBPLOT_OF_TRACE

values = st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(values, values)
def test_the_data_revision_changes_exactly_when_the_numbers_do(first, second):
    # Plotly.react trusts layout.datarevision: were a chart ever updated in place, an unchanged
    # revision with changed numbers would leave the old bars on screen.
    def revision(numbers):
        fig = go.Figure(go.Bar(y=np.array(numbers)), layout={"template": "simple_white"})
        return freeze(fig).to_dict()["layout"]["datarevision"]

    # Written the same (a missing number as such, -0.0 apart from 0.0): the same revision.
    same = [repr(x) for x in first] == [repr(x) for x in second]
    assert (revision(first) == revision(second)) == same


@settings(max_examples=40, deadline=None)
@given(values)
def test_numbers_arrive_as_sent_and_a_missing_interval_stays_missing(numbers):
    fig = go.Figure(
        go.Bar(y=np.array(numbers), error_y={"type": "data", "array": np.array(numbers)}),
        layout={"template": "simple_white"},
    )
    data = freeze(fig).to_dict()["data"][0]
    assert "template" not in freeze(fig).to_dict()["layout"]
    for got, want in zip(data["y"], numbers, strict=True):
        assert got is None if np.isnan(want) else got == want
    for got, want in zip(data["error_y"]["array"], numbers, strict=True):
        assert got == "NaN" if np.isnan(want) else got == want


def test_an_unknown_trace_type_keeps_its_template():
    # Only trace types whose subplot the writer knows lose their template (never a wrong chart).
    assert "pie" not in SUBPLOT_OF_TRACE
    fig = freeze(go.Figure(go.Pie(values=[1, 2]), layout={"template": "simple_white"}))
    assert fig.to_dict()["layout"]["template"]


def test_freezing_in_place_sends_what_a_frozen_copy_sends():
    # freeze() turns a plain figure into a FrozenFigure without copying it (a copy was a
    # quarter of building a chart); the dict sent must be the one a copy would give.
    from loverboy_stats import demo
    from loverboy_stats.charts.frozen import FrozenFigure
    from loverboy_stats.charts.profile import trend_chart
    from loverboy_stats.views import compare, profile

    gp = profile.gap_profile(compare.build_tables(demo.load_demo()).sets, "GM0363", 2024, demo=True)
    short, _ = profile.gap_source()
    copied = FrozenFigure(trend_chart(gp, short)).to_dict()
    fig = trend_chart(gp, short)
    frozen = freeze(fig)
    assert frozen is fig and isinstance(fig, FrozenFigure)
    assert frozen.to_dict() == copied
    assert freeze(frozen) is frozen
