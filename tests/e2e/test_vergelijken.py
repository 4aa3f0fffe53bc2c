"""The 'Vergelijken' page in a real browser: controls change the charts, a copied link opens
the same view, the map draws from local GeoJSON, and nothing is loaded from outside."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import ROOT, save_screenshot, start_streamlit, stop
from tests.e2e.conftest import wait_until_ready as _wait

pytestmark = pytest.mark.browser

#: Demo data, several years, boundaries present: ranking, scatter, funnel, series, map.
CHARTS = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory, boundary_dir):
    """A server of its own with an empty store (so the demo is the default dataset) and the
    project's own boundary files for the map."""
    data_dir = tmp_path_factory.mktemp("lbs_compare")
    process, url = start_streamlit(
        ROOT / "app.py", data_dir, {"LBS_BOUNDARIES_DIR": str(boundary_dir)}
    )
    yield url
    stop(process)


def wait_ready(page) -> None:
    _wait(page, charts=CHARTS, timeout=120_000)


def first_chart_title(page) -> str:
    return page.locator(".js-plotly-plot .gtitle").first.text_content() or ""


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def selected(page, label: str) -> str:
    return page.get_by_role("combobox", name=label).input_value()


def test_changing_the_level_changes_the_chart_and_the_link(server, page):
    page.goto(f"{server}/vergelijken")
    wait_ready(page)
    before = first_chart_title(page)
    assert "gemeente" in before and "[fictieve voorbeeldcijfers]" in before
    choose(page, "Regioniveau", "Provincie")
    page.wait_for_function(
        "() => (document.querySelector('.js-plotly-plot .gtitle') || {}).textContent"
        "?.includes('provincie')",
        timeout=60_000,
    )
    wait_ready(page)
    assert first_chart_title(page) != before
    query = parse_qs(urlparse(page.url).query)
    assert query.get("niveau") == ["provincie"]  # the stable value, not the label


def test_a_copied_link_opens_the_same_view(server, page):
    link = f"{server}/vergelijken?niveau=Jeugdregio&indicator=Doorverwijspercentage&gebied=Twente"
    page.goto(link)
    wait_ready(page)
    assert selected(page, "Regioniveau") == "Jeugdregio"
    assert selected(page, "Indicator") == "Doorverwijspercentage"
    assert selected(page, "Gebied om te markeren") == "Twente"
    title = first_chart_title(page)
    assert "Doorverwijspercentage per jeugdregio" in title and "Twente" in title


def test_an_invalid_link_value_falls_back_with_a_notice(server, page):
    page.goto(f"{server}/vergelijken?niveau=Wijk&gebied=Nergenshuizen")
    wait_ready(page)
    body = page.inner_text("[data-testid='stMain']")
    assert "voor regioniveau 'Wijk'; die keuze is er hier niet" in body
    assert selected(page, "Regioniveau") == "Gemeente"
    assert page.locator("[data-testid='stException']").count() == 0


def test_map_draws_locally_and_nothing_is_loaded_from_outside(server, page, outside_requests):
    page.set_viewport_size({"width": 1400, "height": 1200})
    page.goto(f"{server}/vergelijken")
    wait_ready(page)
    page.wait_for_selector(".maplibregl-canvas", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert outside_requests == [], f"requests to third parties: {outside_requests}"
    save_screenshot(page, "vergelijken")
