"""Uploading own figures in a real browser: an Excel-style CSV is read, checked and stored."""

from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from loverboy_stats.store import Store
from tests.e2e.conftest import wait_until_ready

pytestmark = pytest.mark.browser

GOOD = (
    "Gemeente;Jaar;Gesignaleerd;Gemeld CoMensha;Doorverwezen;In behandeling\r\n"
    "Den Haag;2024;41;12;9;6\r\n"
    "Súdwest-Fryslân;2024;3;;1;\r\n"
    "Totaal;;44;12;10;6\r\n"
)
BAD = "gemeentecode;jaar;gesignaleerd\r\nGM0518;2024;-3\r\nGM9999;2024;4\r\n"


def _upload(page, app_url, tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))  # what Dutch Excel writes as "CSV (;)"
    page.goto(f"{app_url}/eigen_cijfers")
    wait_until_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.wait_for_selector("text=Gecontroleerd:", timeout=60_000)
    wait_until_ready(page)


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def test_cp1252_upload_is_read_checked_and_stored(app_url, server_data_dir, page, tmp_path):
    _upload(page, app_url, tmp_path, "signalen_2024.csv", GOOD)
    main = page.inner_text("[data-testid='stMain']")
    assert "Gecontroleerd: 2 rijen" in main  # the totals row was dropped
    assert "Het totaal" in main or "Totaal" in main  # ... with a notice saying so
    assert page.locator("[data-testid='stException']").count() == 0

    page.get_by_role("button", name="Opslaan").click()
    saved = page.get_by_text("Opgeslagen als 'signalen_2024'")
    try:
        saved.wait_for(timeout=90_000)
    except PlaywrightTimeout:  # say what the page showed instead
        pytest.fail("no 'Opgeslagen als' after saving; the page showed:\n" + main_text(page))
    wait_until_ready(page)
    page.reload()
    wait_until_ready(page)
    assert "signalen_2024" in page.inner_text("[data-testid='stMain']")

    # What was stored, read back from the server's own SQLite file.
    store = Store(f"sqlite:///{server_data_dir / 'loverboy_stats.sqlite'}")
    rows = store.datasets.load("signalen_2024").set_index("gemeentecode")
    assert rows.loc["GM0518", "gesignaleerd"] == 41  # "Den Haag" is 's-Gravenhage
    assert rows.loc["GM1900", "gesignaleerd"] == 3  # Súdwest-Fryslân, written in cp1252
    assert pd.isna(rows.loc["GM1900", "in_behandeling"])  # empty stays "not reported"


def test_errors_are_reported_with_excel_row_numbers(app_url, page, tmp_path):
    _upload(page, app_url, tmp_path, "fout.csv", BAD)
    report = page.inner_text("[data-testid='stMain']")
    assert "Controleverslag" in report
    assert "Het bestand bevat 2 fout(en)" in report
    assert page.get_by_role("button", name="Opslaan").count() == 0


def test_an_old_excel_file_is_refused_in_dutch_with_what_to_do(app_url, page, tmp_path):
    """The browser lets .xls through, so the library's Dutch advice is shown (Streamlit's own
    refusal was an English tooltip only)."""
    path = tmp_path / "cijfers_2024.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)  # an OLE2 header
    page.goto(f"{app_url}/eigen_cijfers")
    wait_until_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.wait_for_selector("text=wordt niet ondersteund", timeout=60_000)
    main = page.inner_text("[data-testid='stMain']")
    assert "Bestandstype '.xls' wordt niet ondersteund" in main
    assert "opslaan als .xlsx" in main
    assert "not allowed" not in page.inner_text("body")
    assert page.locator("[title*='not allowed'], [aria-label*='not allowed']").count() == 0
