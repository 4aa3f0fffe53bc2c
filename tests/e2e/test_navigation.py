"""Shared links: a deep link opened first on a freshly started server shows the right page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ROOT, start_streamlit, stop, wait_until_ready

pytestmark = pytest.mark.browser

#: URL path of each page and a heading it shows.
PAGES = [
    ("landelijk_beeld", "Landelijk beeld"),
    ("methode", "Methode"),
    ("eigen_cijfers", "Eigen cijfers"),
    ("vergelijken", "Vergelijken"),
    ("gemeenteprofiel", "Gemeenteprofiel"),
]


@pytest.fixture
def fresh_server(tmp_path):
    process, url = start_streamlit(ROOT / "app.py", tmp_path)
    yield url
    stop(process)


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_deep_link_as_first_request_opens_the_page_inside_the_app(
    fresh_server, page, path, heading
):
    page.goto(f"{fresh_server}/{path}")
    page.wait_for_selector(f"h1:has-text('{heading}')", timeout=60_000)
    wait_until_ready(page)
    assert page.get_by_text("Page not found").count() == 0
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    # Our router's menu, not Streamlit's legacy file list (which would show 'app', 'common').
    assert "Landelijk beeld" in nav and "Eigen cijfers" in nav
    assert "common" not in nav
    # The sidebar of app.py is there too.
    assert page.get_by_text("Publicatiemodus").count() >= 1
