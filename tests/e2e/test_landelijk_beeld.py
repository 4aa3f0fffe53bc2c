"""The national page in a real browser: figures visible, no errors, nothing loaded from outside."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import save_screenshot, wait_until_ready

pytestmark = pytest.mark.browser


def test_key_figures_visible_and_no_error(app_url, page, outside_requests):
    page.goto(app_url)
    wait_until_ready(page, charts=3)

    body = page.inner_text("[data-testid='stMain']")
    for text in ("1.363", "142", "10,4 %", "1.221"):
        assert text in body, f"{text!r} is not visible on the page"
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0

    # Sensitive use: the browser may only talk to our own server.
    assert outside_requests == [], f"requests to third parties: {outside_requests}"

    save_screenshot(page, "landelijk_beeld")


def test_chart_shows_dutch_numbers(app_url, page):
    page.goto(app_url)
    wait_until_ready(page, charts=3)
    # The gap chart's legend and title are drawn by plotly inside the SVG.
    svg_text = page.locator(".js-plotly-plot").first.inner_text()
    assert "1.221" in svg_text and "10,4 %" in svg_text
