"""The shared chart style: a template given without validating it again is the same template,
and the figure validates what is set on it afterwards as before."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from loverboy_stats.charts.style import reference_line, set_axes, set_layout, use_template


def _figure() -> go.Figure:
    return go.Figure(
        [
            go.Bar(x=["a", "b"], y=[1, 2], error_y={"type": "data", "array": [0.5, 0.2]}),
            go.Scatter(x=["a", "b"], y=[2, 1], mode="lines+markers"),
            go.Heatmap(z=[[1, 2], [3, 4]]),
        ],
        layout={"title": {"text": "titel"}, "annotations": [{"text": "noot", "x": 0, "y": 0}]},
    )


def test_the_template_is_the_one_update_layout_gives():
    validated, given = _figure(), _figure()
    validated.update_layout(template="simple_white")
    use_template(given, "simple_white")
    assert given.to_dict() == validated.to_dict()
    assert given.layout.template.layout.plot_bgcolor == "white"


def test_what_is_set_afterwards_is_still_validated():
    fig = _figure()
    use_template(fig, "simple_white")
    with pytest.raises(ValueError):
        fig.update_layout(height="hoog")
    with pytest.raises(ValueError):
        fig.layout.xaxis.tickangle = "schuin"


@pytest.mark.parametrize("position", ["top right", "bottom right", "top left", "bottom left"])
@pytest.mark.parametrize("across", ["h", "v"])
def test_a_reference_line_is_the_one_plotly_draws(across, position):
    line = {"color": "#4a5561", "dash": "dot", "width": 1.5}
    label = {"text": "Alle gemeenten: 0,31", "font": {"size": 12}, "bgcolor": "white"}
    plotly_way, ours = _figure(), _figure()
    add = plotly_way.add_hline if across == "h" else plotly_way.add_vline
    # (plotly writes the label's position into the dict it is given: each gets its own)
    add(0.31, line=dict(line), annotation=dict(label), annotation_position=position)
    reference_line(ours, 0.31, across=across, line=line, annotation=label, position=position)
    assert ours.to_dict()["layout"] == plotly_way.to_dict()["layout"]


def test_set_layout_and_set_axes_give_what_plotly_update_gives():
    from plotly.subplots import make_subplots

    def figure() -> go.Figure:
        fig = make_subplots(rows=1, cols=2)  # two x and two y axes
        fig.add_trace(go.Bar(x=["a", "b"], y=[1, 2]), row=1, col=1)
        fig.add_trace(go.Scatter(x=[1, 2], y=[2, 1]), row=1, col=2)
        # What a chart set before: an update must merge into it, not wipe it.
        fig.layout.legend.traceorder = "reversed"
        fig.layout.title.font.color = "red"
        fig.layout.xaxis.title.standoff = 15
        use_template(fig, "simple_white")
        return fig

    layout = {
        "title": {"text": "titel<br>twee", "x": 0, "font": {"size": 16}, "pad": {"t": 21}},
        "legend": {"orientation": "v", "y": 1.0},
        "margin": {"l": 70, "r": 20, "t": 90, "b": 60},
        "hoverlabel": {"font_size": 13},
        "separators": ",.",
        "height": 500,
        "bargap": 0.15,
    }
    x_axes = {"title": {"text": "jaar"}, "dtick": 1, "automargin": True, "range": [0, 3]}
    y_axes = {"title": None, "rangemode": "tozero", "tickformat": ".2f"}
    plotly_way, ours = figure(), figure()
    plotly_way.update_layout(**layout)
    plotly_way.update_xaxes(**x_axes)
    plotly_way.update_yaxes(**y_axes)
    set_layout(ours, **layout)
    set_axes(ours, "x", **x_axes)
    set_axes(ours, "y", **y_axes)
    # (plotly's update leaves an empty {} for a part set to None; plotly.js reads it as unset)
    assert _without_empty(ours.to_dict()) == _without_empty(plotly_way.to_dict())
    assert ours.layout.legend.traceorder == "reversed" and ours.layout.xaxis2.dtick == 1
    with pytest.raises(ValueError):  # still validated
        set_layout(ours, height="hoog")


def _without_empty(value):
    if isinstance(value, dict):
        kept = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value
