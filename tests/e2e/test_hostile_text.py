"""Hostile text in a real browser: no outside image, no outside link, the text shown as text.

Streamlit renders Markdown in captions, notices, errors and labels. Names that carry Markdown
(images and links to evil.example) come from everywhere a user can put text: dataset names and
own region names (stored before the name rule, so written straight into the database), "Uw
naam", toelichting and actiehouder of a checklist, the values of a shared link, and an uploaded
file's name, column headers, sheet name, totals row and municipality cells. On every page that
shows them, Chromium must make no request to another host and the page must hold no link or
image pointing there, while the text itself is visible as typed.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from loverboy_stats.demo import load_demo
from loverboy_stats.reference import load_municipalities
from loverboy_stats.store import Store
from tests.e2e.conftest import (
    PROFILE_VIEWS,
    ROOT,
    choose_view,
    open_checklist_editor,
    start_streamlit,
    stop,
    wait_until_ready,
)
from tests.fixtures.actors import OPERATOR
from tests.fixtures.legacy import insert_checklist, insert_dataset
from tests.uploads import hostile

pytestmark = pytest.mark.browser

NAME = "![px](http://evil.example/naam.png) [Nieuwe cijfers](http://evil.example/naam)"
#: Within the name rule, yet a web address Streamlit would turn into a link.
PLAIN_NAME = "Cijfers http://evil.example/los en www.evil.example"
REGION = "![r](http://evil.example/regio.png) [Regio Noord](http://evil.example/regio)"
PERSON = "![p](http://evil.example/persoon.png) [Anna](http://evil.example/anna)"
NOTE = "Zie [notulen](http://evil.example/notulen) ![n](http://evil.example/noot.png)"


@pytest.fixture(scope="module")
def server(tmp_path_factory, boundary_dir):
    """A server of its own whose store holds the hostile datasets and checklist."""
    data_dir = tmp_path_factory.mktemp("lbs_hostile")
    store = Store(f"sqlite:///{data_dir / 'loverboy_stats.sqlite'}")
    demo = load_demo()
    # Three provinces: enough areas for every chart, and publication mode protects them in
    # seconds (all 342 municipalities take a minute per year on a busy two-core machine).
    three = load_municipalities().query("provinciecode in ['PV20', 'PV24', 'PV27']").index
    rows = demo[(demo["jaar"] >= 2023) & demo["gemeentecode"].isin(three)].copy()
    rows["regio"] = [REGION if i % 3 else "Zuid & Oost" for i in range(len(rows))]
    clean = rows.astype(object).where(rows.notna(), None).to_dict("records")
    store.datasets.save(
        PLAIN_NAME, "gewoon.csv", b"gewoon", rows.drop(columns="regio"), actor=OPERATOR
    )
    insert_dataset(store, NAME, clean)  # the newest: chosen first on 'Eigen cijfers'
    answer = {"status": "nee", "toelichting": NOTE, "actiehouder": PERSON}
    insert_checklist(
        store,
        ("GM0363", "Amsterdam"),
        "nji_loverboy",
        PERSON,
        [{"item_id": "kennis_erkenning", **answer}],
    )
    store.dispose()
    process, url = start_streamlit(
        ROOT / "app.py", data_dir, {"LBS_BOUNDARIES_DIR": str(boundary_dir)}
    )
    yield url
    stop(process)


def outside_content(page) -> list[str]:
    """Every link, image or other source in the page that points at evil.example."""
    return page.eval_on_selector_all(
        "[href], [src], [srcset]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src') || e.srcset)"
        ".filter(u => u && u.includes('evil'))",
    )


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']").replace("\u2060", "")


def assert_shown_as_text(page, outside_requests, *texts: str) -> None:
    page.wait_for_timeout(500)  # an image would be requested as soon as it is drawn
    assert outside_requests == [], f"requests to outside hosts: {outside_requests}"
    assert outside_content(page) == []
    shown = main_text(page)
    for text in texts:
        assert text in shown, text
    assert page.locator("[data-testid='stException']").count() == 0


def test_stored_names_on_eigen_cijfers(server, page, outside_requests):
    page.goto(f"{server}/eigen_cijfers")
    wait_until_ready(page)
    assert_shown_as_text(page, outside_requests, f"Ja, verwijder '{NAME}'")
    page.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name=PLAIN_NAME, exact=True).click()
    page.wait_for_function(
        "text => document.querySelector('[data-testid=stMain]').innerText"
        ".replaceAll('\u2060', '').includes(text)",
        arg=f"Ja, verwijder '{PLAIN_NAME}'",
        timeout=60_000,
    )
    wait_until_ready(page)
    assert_shown_as_text(page, outside_requests, f"Ja, verwijder '{PLAIN_NAME}'")


def test_dataset_and_region_names_and_link_values_on_vergelijken(server, page, outside_requests):
    query = {
        "dataset": NAME,
        "niveau": "Eigen regio-indeling",
        "jaar": "[Officiële cijfers](http://evil.example/jaar)",
        "indicator": "![i](http://evil.example/indicator.png)",
    }
    page.goto(f"{server}/vergelijken?" + "&".join(f"{k}={quote(v)}" for k, v in query.items()))
    wait_until_ready(page, charts=1, timeout=120_000)
    assert_shown_as_text(
        page,
        outside_requests,
        f"eigen cijfers '{NAME}'",  # the source under every chart
        "voor jaar '[Officiële cijfers](http://evil.example/jaar)'",
        "voor indicator '![i](http://evil.example/indicator.png)'",
    )
    # Plotly draws the region's name in the titles as text (wrapped over lines).
    titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
    assert any("](http://evil.example/regio)" in t for t in titles), titles
    # Every other view (tab) shows them as text too (an own grouping has no map).
    for label in ("Verwacht en gesignaleerd", "Van signaal naar behandeling", "Door de jaren"):
        choose_view(page, label)
        assert_shown_as_text(page, outside_requests, f"eigen cijfers '{NAME}'")
    choose_view(page, "Tabel")
    assert_shown_as_text(page, outside_requests, "Tabel downloaden (CSV)")


def test_uw_naam_toelichting_and_actiehouder_on_gemeenteprofiel(server, page, outside_requests):
    page.goto(f"{server}/gemeenteprofiel")
    wait_until_ready(page, charts=1, timeout=120_000)
    assert_shown_as_text(page, outside_requests, "versie 1, opgeslagen", f"door {PERSON}")
    label = list(PROFILE_VIEWS)[1]  # the other chart view: its own title and summary
    choose_view(page, label, shows=PROFILE_VIEWS[label])
    assert_shown_as_text(page, outside_requests, "versie 1, opgeslagen", f"door {PERSON}")
    open_checklist_editor(page)
    expect(page.get_by_label("Toelichting").first).to_have_value(NOTE)


def _upload(page, server, name: str, content: bytes, mime: str = "text/csv") -> None:
    page.goto(f"{server}/eigen_cijfers")
    wait_until_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.wait_for_selector("[data-testid='stStatusWidget'], [data-testid='stAlert']")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stAlert]').length > 0", timeout=60_000
    )
    wait_until_ready(page)


def test_the_contents_of_an_uploaded_file_on_eigen_cijfers(server, page, outside_requests):
    content = (
        b"gemeente;jaar;gesignaleerd;[kolom](http://evil.example/kolom)\r\n"
        b"[Amsterdam](http://evil.example/gemeente);2024;12;x\r\n"
        b"Rotterdam;2024;9;y\r\n"
        b"Totaal ![t](http://evil.example/t.png);;21;\r\n"
    )
    _upload(page, server, "![p](https:evil.example) cijfers.csv", content)
    assert_shown_as_text(
        page,
        outside_requests,
        "Kolom '[kolom](http://evil.example/kolom)' is niet bekend",
        "('Totaal ![t](http://evil.example/t.png)') is een totaalrij",
    )


def test_an_uploaded_file_name_and_sheet_name_in_a_refusal(server, page, outside_requests):
    _upload(page, server, "![p](https:evil.example/leeg).csv", b"")
    assert_shown_as_text(
        page, outside_requests, "Het bestand '![p](https:evil.example/leeg).csv' is leeg."
    )
    sheet = "![s](http:evil.example/blad.png)"
    workbook = hostile.xlsx(['<row r="30000"><c r="A30000"><v>1</v></c></row>'], sheet=sheet)
    _upload(page, server, "blad.xlsx", workbook, "application/octet-stream")
    assert_shown_as_text(page, outside_requests, f"Het tabblad '{sheet}' heeft meer rijen")


def test_the_harness_sees_an_outside_image(server, page, outside_requests):
    """The checks above can fail: an image from evil.example on the page is found both as a
    request and as a source."""
    page.goto(f"{server}/methode")
    wait_until_ready(page)
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = 'http://evil.example/x.png';"
        " document.querySelector('[data-testid=stMain]').appendChild(i); }"
    )
    page.wait_for_timeout(500)
    assert outside_requests and outside_content(page) == ["http://evil.example/x.png"]
