"""AppTest of 'Vergelijken' through the real router: every family of controls runs, shows the
highlighted area and never shows a hidden count."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loverboy_stats.views.compare import VIEWS
from loverboy_stats.views.indicators import INDICATORS
from tests.app.conftest import APP, open_app, show_view

PAGE = "pages/vergelijken.py"


def open_page() -> AppTest:
    at = open_app(PAGE)
    assert not at.exception, at.exception
    return at


def hidden_marks_only(at: AppTest) -> None:
    table = at.dataframe[0].value
    for column in ("gesignaleerd", "gemeld bij CoMensha", "doorverwezen", "in behandeling"):
        values = set(table[column])
        assert not {"1", "2", "3", "4"} & values, column


# A sample of the page's control families; tests/views/test_compare.py covers every level ×
# indicator × population in the library, which is where the numbers come from.
@pytest.mark.parametrize(
    ("level", "population"), [("gemeente", "inwoners"), ("jeugdregio", "jongeren")]
)
def test_levels_and_indicators_run_and_show_the_area(level, population):
    # A fresh page per level: AppTest cannot resend a highlighted area whose options changed.
    at = open_page()
    at.selectbox(key="populatie").select(population).run()
    at.selectbox(key="niveau").select(level).run()
    for indicator in INDICATORS:
        at.selectbox(key="indicator").select(indicator).run()
        assert not at.exception, (level, indicator, at.exception)
        area = at.selectbox(key="gebied")
        name = area.format_func(area.value)
        [chart] = at.get("plotly_chart")  # the view shown first: Rangorde
        assert name in chart.proto.spec, (level, indicator, name)
        assert "fictieve voorbeeldcijfers" in chart.proto.spec
    hidden_marks_only(show_view(at, "Tabel"))  # the counts do not depend on the indicator


def test_every_view_draws_its_own_chart_and_only_that_one(monkeypatch, boundary_dir: Path):
    monkeypatch.setenv("LBS_BOUNDARIES_DIR", str(boundary_dir))
    at = open_page()
    for value, (part, label) in VIEWS.items():
        if part == "table":
            continue
        show_view(at, label)
        [chart] = at.get("plotly_chart")
        assert chart.proto.id.endswith(f"-chart_{part}"), label
        assert at.header[0].value == label
        assert at.query_params["weergave"] == value  # a copied link opens this view
    show_view(at, "Tabel")
    assert not at.get("plotly_chart") and len(at.dataframe) == 1
    assert at.query_params["weergave"] == "tabel"


def test_an_invalid_link_value_gives_a_notice_not_an_error():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["niveau"] = "Wijk"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.selectbox(key="niveau").value == "gemeente"


def test_without_boundary_files_the_map_section_explains(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("LBS_BOUNDARIES_DIR", str(tmp_path))
    at = show_view(open_page(), "Kaart")
    notice = next(i.value for i in at.info if "boundaries download" in i.value)
    assert notice.startswith("De kaart is hier niet beschikbaar")  # the reader first
    assert not at.get("plotly_chart")


def _map(at: AppTest) -> str:
    [chart] = at.get("plotly_chart")
    assert '"choropleth"' in chart.proto.spec
    return chart.proto.spec


def test_another_highlighted_area_leaves_the_map_as_it_was(monkeypatch, boundary_dir: Path):
    # The browser redraws only a chart whose spec changed, and the map is most of the bytes:
    # a new area must give the very same map (the other views mark the area: see above).
    monkeypatch.setenv("LBS_BOUNDARIES_DIR", str(boundary_dir))
    at = show_view(open_page(), "Kaart")
    area = at.selectbox(key="gebied")
    first = area.index
    map_before = _map(at)
    area.select_index(1 if first != 1 else 2).run()
    assert not at.exception, at.exception
    assert _map(at) == map_before
    at.selectbox(key="jaar").select(2023).run()  # the map does follow the year
    assert _map(at) != map_before
