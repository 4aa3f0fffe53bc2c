"""The shared chart style: a template given without validating it again is the same template,
and the figure validates what is set on it afterwards as before."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from loverboy_stats.charts.style import reference_line, use_template


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
