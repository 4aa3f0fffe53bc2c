"""Figures of the comparison page: demo label inside, Dutch notation, local map, small JSON,
and no hidden count in any figure or CSV."""

from __future__ import annotations

import json

import orjson
import pandas as pd
import plotly.io as pio
import pytest

from loverboy_stats import boundaries
from loverboy_stats.access import LOCAL_USER
from loverboy_stats.charts.blocks import build_blocks
from loverboy_stats.demo import DEMO_LABEL, load_demo
from loverboy_stats.export import read_spreadsheet_csv
from loverboy_stats.schema import typed_dataset
from loverboy_stats.views import compare
from tests.fixtures.boundaries import shared_reference

MAX_MAP_BYTES = 1_500_000


@pytest.fixture(scope="module")
def tables():
    return compare.build_tables(load_demo())


def hidden_codes(tables) -> list[str]:
    frame = tables.table(2024, "gemeente").frame
    return sorted(frame.loc[frame["gesignaleerd_status"].isin(["klein", "afgeschermd"]), "code"])


def test_every_demo_chart_says_fictitious_inside_and_uses_dutch_separators(tables):
    view = compare.build_view(tables, 2024, "gemeente", "doorverwijspercentage", "GM0363")
    blocks = build_blocks(view, None)
    assert set(blocks) == {"ranking", "scatter", "funnel", "series"}
    for name, block in blocks.items():
        assert DEMO_LABEL in block.fig.layout.title.text, name
        assert block.fig.layout.separators == ",."
        assert block.csv.decode().splitlines()[1].startswith(f'"{DEMO_LABEL}"'), name
        assert block.source and block.note and block.file_name.endswith(".csv")


def test_ranking_csv_is_exactly_the_bars(tables):
    view = compare.build_view(tables, 2024, "gemeente", "signaleringsratio", "GM0363")
    block = build_blocks(view, None)["ranking"]
    csv = read_spreadsheet_csv(block.csv)
    bars = block.fig.data[0]
    assert len(csv) == len(bars.y)
    # To four decimals: more than the chart shows on hover (two).
    assert csv["waarde"].tolist() == pytest.approx(list(bars.y), abs=5e-5)


def test_no_hidden_area_or_count_in_any_figure_or_csv(tables):
    hidden = hidden_codes(tables)
    names = set(tables.table(2024, "gemeente").frame.set_index("code").loc[hidden, "naam"])
    view = compare.build_view(tables, 2024, "gemeente", "per_10000", hidden[0])
    blocks = build_blocks(view, None)
    for key in ("ranking", "scatter"):
        csv = read_spreadsheet_csv(blocks[key].csv)
        assert not set(hidden) & set(csv["CBS-code"]), key
        shown = {
            row[0]
            for trace in blocks[key].fig.data
            if trace.customdata is not None
            for row in trace.customdata
        }
        assert not names & shown, key
    funnel = blocks["funnel"]
    area_trace = funnel.fig.data[0]
    assert area_trace.y[0] == 0  # drawn at 0 with its mark, never at its hidden height
    assert area_trace.text[0] in {"<5", "x"}
    funnel_csv = read_spreadsheet_csv(funnel.csv, dtype=str)
    assert funnel_csv.loc[0, "aantal"] in {"<5", "x"}
    assert pd.isna(funnel_csv.loc[0, "aandeel van gesignaleerd"])


def _map_hides_nothing(tables, geojson) -> dict:
    hidden = hidden_codes(tables)
    view = compare.build_view(tables, 2024, "gemeente", "signaleringsratio", "GM0363")
    block = build_blocks(view, geojson)["map"]
    payload = block.fig.to_json()
    assert len(payload.encode()) < MAX_MAP_BYTES
    figure = json.loads(payload)
    assert {t["type"] for t in figure["data"]} == {"choropleth"}
    geo = figure["layout"]["geo"]
    assert geo["visible"] is False  # no land, coast or country lines: nothing from a world map
    # The outline file plotly's geo loads first is the app's own (empty) one, by this name.
    outline = boundaries.STATIC_DIR / "topojson" / f"{geo['scope']}_{geo['resolution']}m.json"
    assert json.loads(outline.read_text(encoding="utf-8"))["objects"] == {}
    coloured = figure["data"][0]
    assert not set(hidden) & set(coloured["locations"])
    assert DEMO_LABEL in figure["layout"]["title"]["text"]
    csv = read_spreadsheet_csv(block.csv).set_index("CBS-code")
    assert csv.loc[hidden, "waarde"].isna().all()
    return figure


def test_municipal_map_is_local_and_hides_nothing_on_the_projects_own_boundaries(
    tables, boundary_dir
):
    figure = _map_hides_nothing(tables, boundaries.load_boundaries("gemeente", boundary_dir))
    drawn = {f["properties"]["statcode"] for t in figure["data"] for f in t["geojson"]["features"]}
    assert len(drawn) == 342


def test_full_size_municipal_map_is_small_enough(tables, tmp_path):
    """The CBS files themselves: the figure sent to the browser stays under 1.5 MB when it
    carries its geometry (a read-only install), and so does the file the browser fetches
    otherwise, while the figure then is a few kB."""
    shared = shared_reference()
    _map_hides_nothing(tables, boundaries.load_boundaries("gemeente", shared))
    address = boundaries.map_geometry("gemeente", shared, tmp_path)
    assert (tmp_path / "kaart" / address.rsplit("/", 1)[1]).stat().st_size < MAX_MAP_BYTES
    figure = _map_hides_nothing(tables, address)
    assert len(json.dumps(figure)) < 60_000


def test_a_map_by_address_draws_every_area_from_that_one_file(tables, boundary_dir, tmp_path):
    address = boundaries.map_geometry("gemeente", boundary_dir, tmp_path)
    figure = _map_hides_nothing(tables, address)
    assert [t["geojson"] for t in figure["data"]] == [address, address]
    assert sum(len(t["locations"]) for t in figure["data"]) == 342


def test_the_fast_json_engine_sends_the_same_figures_as_it_is(tables, boundary_dir):
    """plotly serialises with orjson (requirements.txt) on every rerun; a figure orjson cannot
    take as it is would be walked in Python each time (slower than without orjson)."""
    view = compare.build_view(tables, 2024, "gemeente", "signaleringsratio", "GM0363")
    blocks = build_blocks(view, boundaries.load_boundaries("gemeente", boundary_dir))
    for name, block in blocks.items():
        orjson.dumps(block.fig.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY)  # no TypeError
        fast = pio.to_json(block.fig, validate=False, engine="orjson")
        standard = pio.to_json(block.fig, validate=False, engine="json")
        assert json.loads(fast) == json.loads(standard), name
        assert fast == pio.to_json(block.fig, validate=False, engine="orjson"), name


def test_user_text_is_escaped_in_figures():
    data = typed_dataset(
        pd.DataFrame(
            {
                "gemeentecode": ["GM0363", "GM0599", "GM0518"],
                "jaar": 2024,
                "gesignaleerd": [40, 30, 25],
                "regio": ["<b>Oost</b>", "<b>Oost</b>", "West"],
            }
        )
    )
    tables = compare.build_tables(data, demo=False, dataset_label="x")
    view = compare.build_view(tables, 2024, "regio", "signaleringsratio", None)
    fig = build_blocks(view, None)["ranking"].fig
    assert "<b>Oost</b>" not in fig.to_json()
    assert "&lt;b&gt;Oost" in fig.to_json()


def test_an_ampersand_in_an_area_name_is_escaped_once_in_every_title():
    data = load_demo()
    data = data[data["jaar"].isin([2023, 2024])].copy()
    data["regio"] = "Noord & Zuid"
    # Publication mode plays no part in escaping; off, the test needs no protection pattern.
    tables = compare.build_tables(
        data, demo=False, dataset_label="Holland & Rijnland", publication=False, viewer=LOCAL_USER
    )
    view = compare.build_view(tables, 2024, "regio", "signaleringsratio", None)
    blocks = build_blocks(view, None)
    for name in ("ranking", "funnel", "series"):  # the titles that name the area
        title = blocks[name].fig.layout.title.text.replace("<br>", " ")  # wrapped to fit
        assert "Noord &amp; Zuid" in title, name  # shows '&'
    for name, block in blocks.items():
        assert "&amp;amp;" not in block.fig.to_json(), name  # which would show '&amp;'
