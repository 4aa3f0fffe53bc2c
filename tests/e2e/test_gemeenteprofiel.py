"""The 'Gemeenteprofiel' page in a real browser: statuses survive a reload, the completion is
right, and the printable profile prints to PDF in Chromium without loading anything."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import expect

from loverboy_stats import checklist, demo
from loverboy_stats.frameworks import get_framework
from loverboy_stats.printable import profile_html
from loverboy_stats.views import compare, profile
from tests.e2e.accessibility import axe_violations, describe
from tests.e2e.conftest import (
    ARTIFACTS,
    PROFILE_VIEWS,
    choose_view,
    chosen_view,
    open_checklist_editor,
    save_screenshot,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

PAGE = "pages/gemeenteprofiel.py"


@pytest.fixture(scope="module")
def profile_url(app_url) -> str:
    return app_url + "/gemeenteprofiel"


def completion_metric(page) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text="Voltooid")
    return card.get_by_test_id("stMetricValue").inner_text()


def test_statuses_survive_a_reload_and_give_the_right_completion(
    profile_url, page, outside_requests
):
    page.goto(profile_url)
    wait_until_ready(page, charts=1)
    body = page.inner_text("[data-testid='stMain']")
    assert "Signaleringskloof Amsterdam, 2024" in body
    assert demo.DEMO_LABEL in body
    assert completion_metric(page) == "0,0 %"
    assert page.get_by_test_id("stRadio").count() == 0  # the form opens on request

    open_checklist_editor(page)
    radios = page.get_by_test_id("stRadio")
    radios.nth(0).get_by_text("ja", exact=True).click()  # kennis_erkenning
    radios.nth(1).get_by_text("deels", exact=True).click()  # kennis_bestuur
    radios.nth(2).get_by_text("n.v.t.", exact=True).click()  # kennis_schatting
    page.get_by_role("button", name=re.compile("Checklist opslaan")).click()
    page.get_by_text("Checklist opgeslagen als versie 1").wait_for(timeout=30_000)
    wait_until_ready(page)
    # (1 + 0.5) ÷ 19 applicable items = 7,9 %
    assert completion_metric(page) == "7,9 %"

    page.reload()
    wait_until_ready(page, charts=1)
    assert completion_metric(page) == "7,9 %"
    open_checklist_editor(page)
    radios = page.get_by_test_id("stRadio")
    expect(radios.nth(0).get_by_role("radio", name="ja", exact=True)).to_be_checked()
    expect(radios.nth(1).get_by_role("radio", name="deels", exact=True)).to_be_checked()
    expect(radios.nth(2).get_by_role("radio", name="n.v.t.", exact=True)).to_be_checked()
    expect(radios.nth(3).get_by_role("radio", name="onbekend", exact=True)).to_be_checked()
    assert completion_metric(page) == "7,9 %"
    assert page.locator("[data-testid='stException']").count() == 0

    # The saved answers download beside the checklist; the printable profile has both halves.
    name, data = _download(page, "Checklist downloaden (CSV)")
    assert name == "gemeenteprofiel_GM0363_nji_loverboy.csv"
    answers = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    assert answers.set_index("item")["status"].iloc[:4].tolist() == [
        "ja",
        "deels",
        "n.v.t.",
        "onbekend",
    ]
    name, data = _download(page, "Afdrukbaar profiel downloaden")
    assert name == "gemeenteprofiel_GM0363_nji_loverboy_2024.html"
    printed = data.decode("utf-8")
    assert "Gemeenteprofiel Amsterdam" in printed and "jaar 2024" in printed
    assert "7,9 %" in printed

    assert outside_requests == [], f"requests to third parties: {outside_requests}"
    save_screenshot(page, "gemeenteprofiel")


def _download(page, label: str) -> tuple[str, bytes]:
    """Click the download button whose label starts with ``label``: (file name, bytes)."""
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("^" + re.escape(label))).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def _chart_titles(page) -> list[str]:
    return page.locator(".js-plotly-plot .gtitle").all_text_contents()


def test_one_chart_view_at_a_time_and_a_copied_link_opens_it(profile_url, page):
    # A link to the trend: that view chosen, and only its chart sent and drawn.
    page.goto(f"{profile_url}?gebied=GM0193&weergave=jaren")
    wait_until_ready(page, charts=1)
    assert chosen_view(page) == "Door de jaren"
    [title] = _chart_titles(page)
    assert "door de jaren" in title and "Zwolle" in title
    # The other view and another year: the link keeps area, year and view.
    funnel_view = next(iter(PROFILE_VIEWS))
    choose_view(page, funnel_view, shows=PROFILE_VIEWS[funnel_view])
    # Scrolled up first: a select box scrolled into view while it opens closes again.
    year = page.get_by_role("combobox", name="Jaar")
    year.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    year.click()
    page.get_by_role("option", name="2023", exact=True).click()
    page.get_by_text("Signaleringskloof Zwolle, 2023").wait_for(timeout=60_000)
    wait_until_ready(page, charts=1)
    [title] = _chart_titles(page)
    assert "2023" in title and "door de jaren" not in title
    query = parse_qs(urlparse(page.url).query)
    assert query.get("weergave") == ["doorstroom"] and query.get("jaar") == ["2023"]
    assert query.get("gebied") == ["GM0193"]
    # The printable profile follows the chosen year (it is built in the same fragment).
    name, data = _download(page, "Afdrukbaar profiel downloaden")
    assert name.endswith("_2023.html") and "jaar 2023" in data.decode("utf-8")
    page.goto(page.url)  # as someone opening the copied link
    wait_until_ready(page, charts=1)
    assert chosen_view(page) == funnel_view
    assert _chart_titles(page) == [title]


def test_printable_profile_prints_to_pdf(page):
    framework = get_framework("nji_loverboy")
    answers = pd.DataFrame(
        {
            "item_id": ["kennis_erkenning", "kennis_bestuur"],
            "status": ["ja", "nee"],
            "actiehouder": ["", "<script>alert(1)</script> Wethouder"],
            "streefdatum": [None, "2025-12-31"],
        }
    )
    gp = profile.gap_profile(compare.build_tables(demo.load_demo()).sets, "GM0363", 2024, demo=True)
    done = checklist.completion(framework, answers)
    document = profile_html(
        gp, framework, done, checklist.open_actions(framework, answers), version=1
    )
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_content(document, wait_until="load")
    assert page.locator("script").count() == 0
    assert "<script>alert(1)</script> Wethouder" in page.inner_text("body")
    assert "Gemeenteprofiel Amsterdam" in page.inner_text("h1")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    assert requests == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "gemeenteprofiel.pdf").write_bytes(pdf)
    page.set_viewport_size({"width": 900, "height": 1300})
    page.screenshot(path=str(ARTIFACTS / "gemeenteprofiel_print.png"), full_page=True)
    # The printed page is as accessible as the app: its bar drawings say their figures.
    labels = page.locator("svg").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert labels and all(labels), labels
    assert any("gesignaleerd: " in label for label in labels), labels
    violations = axe_violations(page)
    assert not violations, describe(violations)
