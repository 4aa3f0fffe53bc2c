"""Each chart in words: the text names what the chart shows, and never an area or value the
chart hides (publication mode), for every level and indicator."""

from __future__ import annotations

import re

import pytest

from loverboy_stats.charts.blocks import build_blocks
from loverboy_stats.charts.national import page_blocks
from loverboy_stats.demo import load_demo
from loverboy_stats.national import load_national
from loverboy_stats.reference import CBS_REGION_LEVELS
from loverboy_stats.views import compare, frames
from loverboy_stats.views.indicators import INDICATORS


@pytest.fixture(scope="module")
def tables():
    demo = load_demo()
    return compare.build_tables(demo[demo["jaar"] >= 2023])


def test_the_national_gap_in_words_uses_the_sourced_figures():
    summary = page_blocks(load_national())["gap"][3]
    assert summary == (
        "1.363 vakjes, één per geschat minderjarig slachtoffer; 142 daarvan zijn gekleurd: in "
        "behandeling (10,4 %). De overige 1.221 werden niet bereikt."
    )


@pytest.mark.parametrize("level", ["gemeente", *CBS_REGION_LEVELS])
@pytest.mark.parametrize("indicator", list(INDICATORS))
def test_summaries_name_only_what_the_charts_show(tables, level, indicator):
    table = tables.table(2024, level).frame
    hidden = table["gesignaleerd_status"].isin(["klein", "afgeschermd"])
    area = str(table.loc[hidden, "code"].iloc[0]) if hidden.any() else None
    view = compare.build_view(tables, 2024, level, indicator, area)
    blocks = build_blocks(view, None)
    ranking = frames.ranking_frame(view)
    said = blocks["ranking"].summary
    if len(ranking):
        top, bottom = ranking.iloc[0], ranking.iloc[-1]
        assert f"Hoogste: {top['naam']} ({top['waarde_tekst']})" in said
        assert f"laagste: {bottom['naam']} ({bottom['waarde_tekst']})" in said
    if area is not None and area not in set(ranking["code"]):
        assert f"{view.area_name} heeft geen getoonde waarde." in said
    shown = set(ranking["naam"]) | {view.area_name}
    for name, block in blocks.items():
        mentioned = {n for n in table["naam"] if re.search(rf"\b{re.escape(n)}\b", block.summary)}
        assert mentioned <= shown | set(frames.funnel_frame(view)["gebied"]), (name, mentioned)
    # The funnel's text quotes exactly the marks and counts its table shows.
    funnel = frames.funnel_frame(view)
    for _, step in funnel.iterrows():
        text = f"{step['stap'][:1].lower()}{step['stap'][1:]} {step['aantal_tekst']}"
        assert text in blocks["funnel"].summary


def test_the_highlighted_area_is_placed_where_its_bar_is(tables):
    view = compare.build_view(tables, 2024, "provincie", "signaleringsratio", "PV23")
    ranking = frames.ranking_frame(view)
    place = int(ranking.index[ranking["code"] == "PV23"][0]) + 1
    assert "Overijssel: " in build_blocks(view, None)["ranking"].summary
    assert f"plaats {place} van {len(ranking)}." in build_blocks(view, None)["ranking"].summary


def test_the_profile_charts_in_words_quote_the_shown_texts(tables):
    from loverboy_stats.views import profile, summaries

    gp = profile.gap_profile(tables.sets, "GM0193", 2024, demo=True)  # Zwolle: small counts
    funnel = summaries.profile_funnel_summary(gp.name, 2024, profile.funnel_steps(gp))
    assert funnel.startswith("Zwolle, 2024: verwacht ")
    for label, _, text in profile.funnel_steps(gp):
        assert f"{label} {text}" in funnel
    assert "gesignaleerd <5" in funnel  # the mark, never the hidden count
    trend = summaries.profile_trend_summary(gp.name, gp.trend)
    assert trend.startswith("Signaleringsratio van Zwolle per jaar") or "geen enkel jaar" in trend
