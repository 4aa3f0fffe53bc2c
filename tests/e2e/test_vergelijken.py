"""The 'Vergelijken' page in a real browser: controls change the charts, a copied link opens
the same view, the map draws from local GeoJSON, and nothing is loaded from outside."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import (
    ROOT,
    choose_view,
    chosen_view,
    save_screenshot,
    start_streamlit,
    stop,
    wait_until_ready,
)
from tests.e2e.conftest import wait_until_ready as _wait

pytestmark = pytest.mark.browser

#: One view at a time: its one chart (Rangorde unless the link asks for another).
CHARTS = 1


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


def test_the_view_chosen_is_in_the_link_and_a_copied_link_opens_it(server, page, warm_browsers):
    page.goto(f"{server}/vergelijken?niveau=provincie")
    wait_ready(page)
    choose_view(page, "Door de jaren")
    assert "door de jaren" in first_chart_title(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("weergave") == ["jaren"] and query.get("niveau") == ["provincie"]
    other = warm_browsers.person(1)  # someone who gets the link
    try:
        other.goto(page.url)
        wait_ready(other)
        assert chosen_view(other) == "Door de jaren"
        assert first_chart_title(other) == first_chart_title(page)
        assert other.locator(".js-plotly-plot").count() == 1  # the other views are not sent
    finally:
        warm_browsers.forget(other)


def test_an_invalid_link_value_falls_back_with_a_notice(server, page):
    page.goto(f"{server}/vergelijken?niveau=Wijk&gebied=Nergenshuizen")
    wait_ready(page)
    body = page.inner_text("[data-testid='stMain']")
    assert "voor regioniveau 'Wijk'; die keuze is er hier niet" in body
    assert selected(page, "Regioniveau") == "Gemeente"
    assert page.locator("[data-testid='stException']").count() == 0


#: Per map trace, how many areas plotly found a shape for in the geometry it was given.
MAP_AREAS_DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter((g) => g.data && g.data[0].type === 'choropleth')
  .map((g) => g.calcdata.map((trace) => trace.filter((area) => area.fOut).length))"""


def test_map_draws_locally_and_nothing_is_loaded_from_outside(server, page, outside_requests):
    page.set_viewport_size({"width": 1400, "height": 1200})
    geometry, outline = [], []
    page.on("response", lambda r: geometry.append(r) if "/app/static/kaart/" in r.url else None)
    page.on("response", lambda r: outline.append(r) if "world_110m" in r.url else None)
    page.goto(f"{server}/vergelijken?weergave=kaart")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=60_000)
    # The boundaries come from the app's own server, once, and every municipality (coloured
    # or grey) has its shape on the map.
    assert [(r.url.startswith(f"{server}/app/static/kaart/gemeente-"), r.status)
            for r in geometry] == [(True, 200)]  # fmt: skip
    page.wait_for_function(f"() => ({MAP_AREAS_DRAWN})().flat().length === 2", timeout=30_000)
    assert sum(page.evaluate(MAP_AREAS_DRAWN)[0]) == 342
    # The outline file plotly's geo asks for comes from here too, not from plotly's CDN.
    assert [(r.url, r.status) for r in outline] == [
        (f"{server}/app/static/topojson/world_110m.json", 200)
    ]
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert outside_requests == [], f"requests to third parties: {outside_requests}"
    save_screenshot(page, "vergelijken")


#: A browser without WebGL (switched off by policy or an old graphics driver), as the page
#: and plotly see it: the canvas hands out no WebGL context at all.
NO_WEBGL = """
const original = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
  if (String(kind).startsWith("webgl") || kind === "experimental-webgl") return null;
  return original.call(this, kind, ...rest);
};
"""


def test_without_webgl_the_map_is_drawn_all_the_same(server, page):
    # The map is SVG: a browser without WebGL (switched off by policy, a remote desktop without
    # a graphics card) draws every municipality.
    page.set_viewport_size({"width": 1400, "height": 1200})
    page.add_init_script(NO_WEBGL)  # for this page only
    page.goto(f"{server}/vergelijken?weergave=kaart")
    wait_until_ready(page, timeout=120_000)
    assert page.evaluate("() => document.createElement('canvas').getContext('webgl2')") is None
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=60_000)
    page.wait_for_function(f"() => ({MAP_AREAS_DRAWN})().flat().length === 2", timeout=60_000)
    assert sum(page.evaluate(MAP_AREAS_DRAWN)[0]) == 342
    assert page.locator(".js-plotly-plot .choroplethlocation").count() == 342
    save_screenshot(page, "vergelijken_zonder_webgl")
