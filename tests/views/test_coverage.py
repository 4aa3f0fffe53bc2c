"""A region's figure says how many of its municipalities it rests on, in the chart itself:
"Overijssel (3 van 11)", hatched bars and pale map areas for partial regions, for every
level, region and indicator."""

from __future__ import annotations

import pytest

from loverboy_stats.access import LOCAL_USER
from loverboy_stats.charts.blocks import build_blocks
from loverboy_stats.reference import CBS_REGION_LEVELS, REGION_LEVELS, load_municipalities
from loverboy_stats.views import compare, frames
from loverboy_stats.views.indicators import INDICATORS
from tests.fixtures.datasets import partial_upload


@pytest.fixture(scope="module")
def tables():
    return compare.build_tables(partial_upload(), publication=False, demo=False, viewer=LOCAL_USER)


@pytest.mark.parametrize("level", CBS_REGION_LEVELS)
@pytest.mark.parametrize("indicator", list(INDICATORS))
def test_every_region_counts_its_members_and_those_that_reported(tables, level, indicator):
    reference = load_municipalities()
    data = partial_upload()
    data = data[data["jaar"] == 2024].set_index("gemeentecode")
    count = INDICATORS[indicator].count
    column = REGION_LEVELS[level].code_column
    view = compare.build_view(tables, 2024, level, indicator, None)
    complete, members = frames.members_reporting(view)
    for i, row in view.table.frame.iterrows():
        in_region = reference.index[reference[column] == row["code"]]
        reported = data.reindex(in_region)[count].notna().sum()
        assert members[i] == f"{reported} van {len(in_region)} gemeenten", (level, row["naam"])
        assert complete[i] == (reported == len(in_region))


def test_a_partial_region_is_hatched_and_labelled_in_the_ranking(tables):
    view = compare.build_view(tables, 2024, "provincie", "signaleringsratio", None)
    ranking = frames.ranking_frame(view)
    assert not ranking["volledig"].all()  # about forty of the three provinces' municipalities
    fig = build_blocks(view, None)["ranking"].fig
    bars = {trace.name.replace("<br>", " "): trace for trace in fig.data if trace.type == "bar"}
    hatched = bars["niet alle gemeenten leverden aan (gearceerd)"]
    assert hatched.marker.pattern.shape == "/"
    for name, members in zip(ranking["naam"], ranking["gemeenten"], strict=True):
        short = members.removesuffix(" gemeenten")
        assert f"{name} ({short})" in hatched.y
    assert "Gearceerd" in build_blocks(view, None)["ranking"].note


def test_municipal_bars_carry_no_member_counts(tables):
    view = compare.build_view(tables, 2024, "gemeente", "signaleringsratio", None)
    ranking = frames.ranking_frame(view)
    assert (ranking["gemeenten"] == "").all()
    assert "Gearceerd" not in build_blocks(view, None)["ranking"].note
