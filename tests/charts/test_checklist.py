"""Checklist figures: Dutch percentages, escaped names, the comparison section's conditions."""

from __future__ import annotations

import pandas as pd
import pytest

from loverboy_stats.charts import checklist as checklist_charts
from loverboy_stats.checklist import completion, completion_matrices
from loverboy_stats.formatting import format_percent
from loverboy_stats.frameworks import get_framework
from loverboy_stats.store import Store
from loverboy_stats.views.checklist import theme_rows
from tests.fixtures.actors import OPERATOR


@pytest.fixture
def store(tmp_path):
    created = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield created
    created.dispose()


def _save(store, code, name, **statuses):
    frame = pd.DataFrame({"item_id": list(statuses), "status": list(statuses.values())})
    store.checklists.save(code, name, "ccv_basisniveau", frame, based_on=0, actor=OPERATOR)


def test_theme_bars_show_dutch_percentages_and_what_does_not_apply():
    framework = get_framework("ccv_basisniveau")
    answers = pd.DataFrame(
        {"item_id": ["basis_signalering", "basis_beleid", "basis_aanspreekpunt"],
         "status": ["deels", "n.v.t.", "ja"]}
    )  # fmt: skip
    done = completion(framework, answers)
    rows = theme_rows(done)
    assert [label for label, _, _ in rows] == [t.label for t in framework.themes]
    texts = [text for _, _, text in rows]
    assert texts == ["50,0 % van 1 punt", "100,0 % van 1 punt", "niet van toepassing"]
    assert [fraction for _, fraction, _ in rows] == [0.5, 1.0, 0.0]
    assert format_percent(done.overall) == "75,0 %"


def test_comparison_needs_two_filled_in_areas_and_shows_their_ratio(store):
    rows = pd.DataFrame(
        {"code": ["GM0193", "GM0363", "GM0599"], "naam": ["Zwolle", "Amsterdam", "Rotterdam"],
         "signaleringsratio": [0.5, 0.2, float("nan")]}
    )  # fmt: skip
    _save(store, "GM0193", "Zwolle", basis_signalering="ja")
    matrices = completion_matrices(store.checklists.latest_all)
    assert checklist_charts.comparison_blocks(matrices, rows, ratio_source="Bron: x") == []
    _save(store, "GM0363", "Amsterdam", basis_signalering="deels", basis_beleid="ja")
    _save(store, "JZ01", "Groningen", basis_signalering="ja")  # other level: left out
    matrices = completion_matrices(store.checklists.latest_all)
    blocks = checklist_charts.comparison_blocks(
        matrices, rows, ratio_source="Bron: x", label="fictieve voorbeeldcijfers"
    )
    assert [b.file_name for b in blocks] == [
        "checklist_ccv_basisniveau_per_thema.csv",
        "checklist_ccv_basisniveau_en_ratio.csv",
    ]
    heat = blocks[0].fig.data[0]
    assert list(heat.y) == ["Amsterdam", "Zwolle"]
    assert heat.text[0][-1] == "50,0 %"  # Amsterdam: (0.5 + 1) ÷ 3
    assert heat.text[1][-1] == "33,3 %"
    scatter = blocks[1].fig
    assert list(scatter.data[0].y) == [0.2, 0.5]
    assert "fictieve voorbeeldcijfers" in scatter.layout.title.text.replace("<br>", " ")
    assert b"fictieve voorbeeldcijfers" in blocks[1].csv
    assert len(matrices["ccv_basisniveau"]) == 3
