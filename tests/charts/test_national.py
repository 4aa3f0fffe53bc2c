"""Chart builders: Dutch notation, source inside the figure, the gap drawn to scale."""

import json

from loverboy_stats.charts import national as charts
from loverboy_stats.charts.style import percent_ticks, source_text
from loverboy_stats.national import estimates, load_national, national_gap, registrations


def test_gap_chart_has_one_square_per_estimated_victim():
    gap = national_gap(load_national())
    fig = charts.gap_units_chart(gap.estimated, gap.treated, source="Bron: test")
    cells = [value for row in fig.data[0].z for value in row]
    assert cells.count(1.0) == 142 and cells.count(0.0) == 1221  # the rest of the grid: empty
    assert len(cells) - 142 - 1221 < 40  # less than one row of padding
    # Square cells: the y axis is tied to the x axis 1:1, so a phone shrinks, not squashes.
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert "1.363" in fig.layout.title.text and "10,4 %" in fig.layout.title.text
    assert fig.layout.separators == ",."


def test_source_is_inside_every_figure_and_escaped():
    data = load_national()
    figures = [
        charts.registrations_chart(registrations(data), source="Bron: <b>x</b> & co"),
        charts.estimates_chart(estimates(data), source="Bron: <b>x</b> & co"),
    ]
    for fig in figures:
        assert "Bron: &lt;b&gt;x&lt;/b&gt; &amp; co" in source_text(fig)


def test_registration_line_breaks_in_years_without_a_count():
    fig = charts.registrations_chart(registrations(load_national()), source="s")
    nrm = next(t for t in fig.data if t.name == "NRM-telling")
    values = dict(zip(nrm.x, nrm.y, strict=True))
    assert values[2014] == 1255 and values[2018] == 668
    assert values[2016] is None or values[2016] != values[2016]  # NaN: no made-up value


def test_estimate_without_range_has_no_whisker():
    fig = charts.estimates_chart(estimates(load_national()), source="s")
    trace = next(t for t in fig.data if t.name == "minderjarigen, seksuele uitbuiting")
    payload = json.loads(fig.to_json())
    assert trace.error_y.visible
    hover = [
        c[1]
        for c in next(
            d for d in payload["data"] if d["name"] == "minderjarigen, seksuele uitbuiting"
        )["customdata"]
    ]
    assert "geen bandbreedte gepubliceerd" in hover


def test_percent_ticks_are_dutch_with_a_space():
    ticks = percent_ticks(0.62)
    assert ticks["ticktext"][:3] == ["0 %", "20 %", "40 %"]
    assert ticks["tickvals"][-1] >= 0.62
    assert percent_ticks(float("nan"))["ticktext"][-1] == "100 %"
