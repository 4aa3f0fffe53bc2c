"""The national page in a real browser: figures visible, no errors, nothing loaded from outside."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import ARTIFACTS, wait_until_ready

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def test_key_figures_visible_and_no_error(app_url, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url)
    wait_until_ready(page, charts=3)

    body = page.inner_text("[data-testid='stMain']")
    for text in ("1.363", "142", "10,4 %", "1.221"):
        assert text in body, f"{text!r} is not visible on the page"
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0

    # Sensitive use: the browser may only talk to our own server.
    outside = [
        url
        for url in requests
        if urlparse(url).scheme in {"http", "https", "ws", "wss"}
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]
    assert outside == [], f"requests to third parties: {outside}"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "landelijk_beeld.png"), full_page=True)


def test_chart_shows_dutch_numbers(app_url, page):
    page.goto(app_url)
    wait_until_ready(page, charts=3)
    # The gap chart's legend and title are drawn by plotly inside the SVG.
    svg_text = page.locator(".js-plotly-plot").first.inner_text()
    assert "1.221" in svg_text and "10,4 %" in svg_text
