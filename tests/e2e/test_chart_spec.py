"""What the app sends for a chart draws the same picture as the figure the chart code made.

The sent figure differs from plotly's own: its template is written out into it and its numbers
are plain lists (:mod:`loverboy_stats.charts.template`, :mod:`loverboy_stats.charts.frozen`),
so that Streamlit's second drawing of a new chart costs the browser next to nothing. Here
plotly.js (the copy the plotly package ships) draws both forms of every kind of chart the app
makes, and the two drawings must be the same SVG, element for element.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from loverboy_stats.charts import national as national_charts
from loverboy_stats.charts import profile as profile_charts
from loverboy_stats.charts.blocks import build_blocks
from loverboy_stats.charts.checklist import comparison_blocks
from loverboy_stats.charts.frozen import FrozenFigure, freeze
from loverboy_stats.checklist import completion_matrices
from loverboy_stats.demo import load_demo
from loverboy_stats.national import load_national
from loverboy_stats.store import Store
from loverboy_stats.views import compare, profile
from tests.fixtures.actors import OPERATOR

pytestmark = pytest.mark.browser

_LAYERS = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")
EMPTY_WORLD = {
    "type": "Topology",
    "arcs": [],
    "objects": {layer: {"type": "GeometryCollection", "geometries": []} for layer in _LAYERS},
}
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def every_kind_of_chart(boundary_dir: Path, tmp_path: Path) -> dict[str, FrozenFigure]:
    tables = compare.build_tables(load_demo())
    figures = {}
    for level, layer in (("gemeente", "gemeenten"), ("provincie", "provincie")):
        view = compare.build_view(tables, 2024, level, "signaleringsratio", None)
        geojson = json.loads((boundary_dir / f"{layer}_2024.geojson").read_text("utf-8"))
        for name, block in build_blocks(view, geojson).items():
            figures[f"{level} {name}"] = block.fig
    for name, (fig, *_rest) in national_charts.page_blocks(load_national()).items():
        figures[f"landelijk {name}"] = fig
    gp = profile.gap_profile(tables.sets, "GM0363", 2024, demo=True)
    short, _ = profile.gap_source()
    figures["profiel trechter"] = freeze(profile_charts.funnel_chart(gp, short))
    figures["profiel trend"] = freeze(profile_charts.trend_chart(gp, short))
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        for code, name, answer in (("GM0363", "Amsterdam", "ja"), ("GM0599", "Rotterdam", "deels")):
            answers = {"item_id": ["basis_signalering", "basis_beleid"], "status": [answer, "ja"]}
            store.checklists.save(
                code, name, "ccv_basisniveau", pd.DataFrame(answers), based_on=0, actor=OPERATOR
            )
        matrices = completion_matrices(store.checklists.latest_all)
    finally:
        store.dispose()
    rows = tables.table(2024, "gemeente").frame[["code", "naam", "signaleringsratio"]]
    for block in comparison_blocks(matrices, rows, ratio_source="Bron: x"):
        figures[block.title] = block.fig
    return figures | with_missing_numbers()


def with_missing_numbers() -> dict[str, FrozenFigure]:
    """Each trace type of the app with a missing number (NaN) wherever it can hold one."""
    nan = float("nan")
    values = np.array([3.0, nan, 1.5, 2.0])
    whisker = {"type": "data", "array": np.array([0.5, 0.2, nan, 0.1]), "arrayminus": values / 4}
    names = ["a", "b", "c", "d"]
    bar = go.Bar(x=names, y=values, error_y=whisker, marker_color=values, name="staaf")
    line = go.Scatter(
        x=np.array([2021.0, 2022.0, nan, 2024.0]),
        y=values,
        error_y=whisker,
        mode="lines+markers",
        marker={"color": values, "size": 9},
        name="lijn",
    )
    grid = go.Heatmap(z=np.array([[1.0, nan], [nan, 4.0]]), x=["p", "q"], y=["r", "s"])
    layout = {"template": "simple_white", "annotations": [{"text": "pijl", "x": "b", "y": 2}]}
    return {
        "ontbrekend staaf": freeze(go.Figure(bar, layout=layout)),
        "ontbrekend lijn": freeze(go.Figure(line, layout=layout | {"annotations": []})),
        "ontbrekend raster": freeze(go.Figure(grid, layout=layout)),
    }


DRAW = """
async (figure) => {
  const div = document.getElementById('chart');
  Plotly.purge(div);
  const config = {displayModeBar: false, topojsonURL: 'http://charts.test/topojson/'};
  await Plotly.newPlot(div, figure.data, figure.layout, config);
  // Ids plotly draws at random for each drawing: the plot's and each trace's.
  const ids = [[div._fullLayout._uid, 'UID'], ...div._fullData.map((t, i) => [t.uid, `T${i}`])];
  const plain = (text) => ids.reduce((out, [id, name]) => out.replaceAll(id, name), text);
  // Every element with its attributes in name order (plotly sets them in another order
  // depending on the way it got there) and its text.
  const canonical = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return plain(node.nodeValue);
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const attributes = Array.from(node.attributes).map((a) => `${a.name}="${plain(a.value)}"`);
    const children = Array.from(node.childNodes).map(canonical).join('');
    return `<${node.tagName} ${attributes.sort().join(' ')}>${children}</${node.tagName}>`;
  };
  return canonical(div.querySelector('.svg-container'));
}
"""


def test_sent_figures_draw_exactly_what_plotly_draws_from_the_template(
    page, boundary_dir, tmp_path
):
    figures = every_kind_of_chart(boundary_dir, tmp_path)
    assert {"gemeente ranking", "gemeente map", "provincie ranking", "landelijk gap"} <= set(
        figures
    )
    assert any(name.endswith("per thema") for name in figures), "no checklist heatmap"
    # The map's world outline, empty as in static/topojson/ (the map draws only the areas), with
    # the empty layers this newer plotly.js looks up even when the outline is hidden.
    page.route(
        "http://charts.test/topojson/*",
        lambda route: route.fulfill(json=EMPTY_WORLD, content_type="application/json"),
    )
    page.set_content("<div id='chart' style='width: 940px'></div>")
    page.add_script_tag(path=str(PLOTLY_JS))
    for name, frozen in figures.items():
        sent = json.loads(pio.to_json(frozen, validate=False))
        assert "template" not in sent["layout"], name
        assert "bdata" not in json.dumps(sent), name
        original = json.loads(pio.to_json(go.Figure(go.Figure.to_dict(frozen)), validate=False))
        assert original["layout"].get("template"), name  # the comparison means something
        drawn_sent, drawn_original = page.evaluate(DRAW, sent), page.evaluate(DRAW, original)
        assert len(re.findall("<path", drawn_sent)) > 3, name
        assert drawn_sent == drawn_original, name
