"""Figures of the comparison page: demo label inside, Dutch notation, local map, small JSON,
and no hidden count in any figure or CSV."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from loverboy_stats import boundaries, compare, compare_charts
from loverboy_stats.demo import DEMO_LABEL, load_demo

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "reference"
needs_files = pytest.mark.skipif(
    not (SHARED / "gemeenten_2024.geojson").exists(),
    reason=f"CBS boundary files not found in {SHARED}",
)
MAX_MAP_BYTES = 1_500_000


@pytest.fixture(scope="module")
def tables():
    return compare.build_tables(load_demo(), level="gemeente")


def hidden_codes(table: pd.DataFrame) -> list[str]:
    return sorted(table.loc[table["gesignaleerd"].map(lambda v: isinstance(v, str)), "code"])


def test_every_demo_chart_says_fictitious_inside_and_uses_dutch_separators(tables):
    view = compare.build_view(tables, 2024, "doorverwijspercentage", "GM0363")
    blocks = compare_charts.build_blocks(view, None)
    assert set(blocks) == {"ranking", "scatter", "funnel", "series"}
    for name, block in blocks.items():
        assert DEMO_LABEL in block.fig.layout.title.text, name
        assert block.fig.layout.separators == ",."
        assert block.csv.decode().splitlines()[1].startswith(DEMO_LABEL), name
        assert block.source and block.note and block.file_name.endswith(".csv")


def test_ranking_csv_is_exactly_the_bars(tables):
    view = compare.build_view(tables, 2024, "signaleringsratio", "GM0363")
    block = compare_charts.build_blocks(view, None)["ranking"]
    csv = pd.read_csv(io.BytesIO(block.csv))
    bars = block.fig.data[0]
    assert len(csv) == len(bars.y)
    assert csv["waarde"].tolist() == pytest.approx(list(bars.y))


def test_no_hidden_area_or_count_in_any_figure_or_csv(tables):
    hidden = hidden_codes(tables.by_year[2024])
    names = set(tables.by_year[2024].set_index("code").loc[hidden, "naam"])
    view = compare.build_view(tables, 2024, "per_10000", hidden[0])
    blocks = compare_charts.build_blocks(view, None)
    for key in ("ranking", "scatter"):
        csv = pd.read_csv(io.BytesIO(blocks[key].csv))
        assert not set(hidden) & set(csv["code"]), key
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
    funnel_csv = pd.read_csv(io.BytesIO(funnel.csv), dtype=str)
    assert funnel_csv.loc[0, "aantal_tekst"] in {"<5", "x"}
    assert pd.isna(funnel_csv.loc[0, "aandeel_van_gesignaleerd"])


@needs_files
def test_municipal_map_is_local_small_and_hides_nothing(tables):
    geojson = boundaries.load_boundaries("gemeente", SHARED)
    hidden = hidden_codes(tables.by_year[2024])
    view = compare.build_view(tables, 2024, "signaleringsratio", "GM0363")
    block = compare_charts.build_blocks(view, geojson)["map"]
    payload = block.fig.to_json()
    assert len(payload.encode()) < MAX_MAP_BYTES
    figure = json.loads(payload)
    assert {t["type"] for t in figure["data"]} == {"choroplethmap"}
    assert figure["layout"]["map"]["style"] == "white-bg"
    assert figure["layout"]["map"].get("layers", []) == []  # no tile layers at all
    coloured = figure["data"][0]
    assert not set(hidden) & set(coloured["locations"])
    assert DEMO_LABEL in figure["layout"]["title"]["text"]
    csv = pd.read_csv(io.BytesIO(block.csv)).set_index("code")
    assert csv.loc[hidden, "waarde"].isna().all()


def test_user_text_is_escaped_in_figures():
    data = load_demo()
    data = data[data["jaar"] == 2024].copy()
    data["regio"] = "<b>Oost</b>"
    tables = compare.build_tables(data, level="regio", demo=False, dataset_label="x")
    view = compare.build_view(tables, 2024, "signaleringsratio", None)
    fig = compare_charts.build_blocks(view, None)["ranking"].fig
    assert "<b>Oost</b>" not in fig.to_json()
    assert "&lt;b&gt;Oost" in fig.to_json()
