"""Shared links: a deep link opened first on a freshly started server shows the right page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, launch_streamlit, stop, wait_for_health, wait_until_ready

pytestmark = pytest.mark.browser

#: URL path of each page and a heading it shows (the start page lives at the root URL).
PAGES = [
    ("", "Landelijk beeld"),
    ("methode", "Methode"),
    ("eigen_cijfers", "Eigen cijfers"),
    ("vergelijken", "Vergelijken"),
    ("gemeenteprofiel", "Gemeenteprofiel"),
]


@pytest.fixture(scope="module")
def fresh_servers(tmp_path_factory):
    """One new server per page, started side by side; each test is its server's first visitor."""
    started = {
        path: launch_streamlit(ROOT / "app.py", tmp_path_factory.mktemp(f"fresh_{path or 'root'}"))
        for path, _ in PAGES
    }
    try:
        for process, url in started.values():
            wait_for_health(url, process)
        yield {path: url for path, (_, url) in started.items()}
    finally:
        for process, _ in started.values():
            stop(process)


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_deep_link_as_first_request_opens_the_page_inside_the_app(
    fresh_servers, page, path, heading
):
    page.goto(f"{fresh_servers[path]}/{path}")
    page.wait_for_selector(f"h1:has-text('{heading}')", timeout=60_000)
    wait_until_ready(page)
    assert page.get_by_text("Page not found").count() == 0
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    # Our router's menu, not Streamlit's legacy file list (which would show 'app', 'common').
    assert "Landelijk beeld" in nav and "Eigen cijfers" in nav
    assert "common" not in nav
    assert "app" not in nav.split()
    # The sidebar of app.py is there too (waited for: on a loaded machine the last frames of
    # the first run can arrive a moment after the script state says it finished).
    expect(page.get_by_text("Publicatiemodus").first).to_be_visible(timeout=30_000)
    # And the app goes on working after that first run: the menu leads to another page.
    target = "Methode" if heading != "Methode" else "Eigen cijfers"
    page.locator("[data-testid='stSidebarNav']").get_by_text(target, exact=True).click()
    page.wait_for_selector(f"h1:has-text('{target}')", timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
