"""Shared links keep their meaning and downloads open in Dutch Excel, in a real browser.

A link copied from Vergelijken or Gemeenteprofiel names every choice by a stable value; after a
newer upload it still opens the same dataset; when its dataset is gone the page says so. The
table and chart downloads are semicolon CSV with a BOM, decimal commas, Dutch headers and
ja/nee, and the table also comes as a workbook.
"""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest

from loverboy_stats.demo import load_demo
from loverboy_stats.export import read_spreadsheet_csv
from loverboy_stats.reference import load_municipalities
from loverboy_stats.store import Store
from tests.e2e.conftest import (
    PROFILE_VIEWS,
    ROOT,
    choose_view,
    chosen_view,
    start_streamlit,
    stop,
    wait_until_ready,
)
from tests.fixtures.actors import OPERATOR

pytestmark = pytest.mark.browser

OLDER, NEWER = "Drie provincies 2023-2024", "Twee provincies 2024"
#: Every choice on each page, by the name of its link parameter.
COMPARE_PARAMETERS = {"dataset", "jaar", "niveau", "indicator", "populatie", "gebied", "weergave"}
PROFILE_PARAMETERS = {"dataset", "gebied", "jaar", "checklist", "weergave"}


def _rows(provinces: list[str], years: list[int]):
    demo = load_demo()
    chosen = load_municipalities().query("provinciecode in @provinces").index
    return demo[demo["jaar"].isin(years) & demo["gemeentecode"].isin(chosen)].copy()


@pytest.fixture(scope="module")
def site(tmp_path_factory, boundary_dir):
    """A server whose store holds one dataset (three provinces: protected in seconds)."""
    data_dir = tmp_path_factory.mktemp("lbs_links")
    store = Store(f"sqlite:///{data_dir / 'loverboy_stats.sqlite'}")
    older = store.datasets.save(
        OLDER, "drie.csv", b"drie", _rows(["PV21", "PV22", "PV23"], [2023, 2024]), actor=OPERATOR
    )
    process, url = start_streamlit(
        ROOT / "app.py", data_dir, {"LBS_BOUNDARIES_DIR": str(boundary_dir)}
    )
    yield url, store, older.id
    stop(process)
    store.dispose()


def query_of(page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def selected(page, label: str) -> str:
    return page.get_by_role("combobox", name=label).input_value()


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def test_a_link_pins_every_choice_and_survives_a_newer_upload(site, page):
    url, store, older_id = site
    page.goto(f"{url}/vergelijken")
    wait_until_ready(page, charts=1, timeout=180_000)
    link = query_of(page)
    assert set(link) == COMPARE_PARAMETERS, link  # defaults included
    assert link["dataset"] == str(older_id) and link["niveau"] == "gemeente"
    choose(page, "Regioniveau", "Jeugdregio")
    page.wait_for_url(lambda url: "niveau=jeugdregio" in url, timeout=180_000)
    wait_until_ready(page, charts=1, timeout=180_000)
    choose_view(page, "Verwacht en gesignaleerd")
    link = query_of(page)
    assert link["niveau"] == "jeugdregio" and link["gebied"].startswith("JZ")
    assert link["weergave"] == "verwacht"
    shared = page.url

    newer = store.datasets.save(
        NEWER, "twee.csv", b"twee", _rows(["PV24", "PV25"], [2024]), actor=OPERATOR
    )
    try:
        page.goto(f"{url}/vergelijken")  # without a link: the newest dataset
        wait_until_ready(page, charts=1, timeout=180_000)
        assert selected(page, "Dataset") == NEWER
        page.goto(shared)  # the shared link: still the older dataset and the same view
        wait_until_ready(page, charts=1, timeout=180_000)
        assert selected(page, "Dataset") == OLDER
        assert selected(page, "Regioniveau") == "Jeugdregio"
        assert chosen_view(page) == "Verwacht en gesignaleerd"
        assert query_of(page) == link
        assert "De link wijst" not in main_text(page)
    finally:
        store.datasets.delete(newer.id, actor=OPERATOR)


def test_a_link_to_a_deleted_dataset_says_so_and_shows_what_it_shows_instead(site, page):
    url, store, _ = site
    gone = store.datasets.save(
        "Verdwijnt", "weg.csv", b"weg", _rows(["PV21"], [2024]), actor=OPERATOR
    )
    store.datasets.delete(gone.id, actor=OPERATOR)
    page.goto(f"{url}/vergelijken?dataset={gone.id}&niveau=provincie")
    wait_until_ready(page, charts=1, timeout=180_000)
    text = main_text(page)
    assert f"De link wijst naar dataset nummer '{gone.id}', maar die bestaat hier niet" in text
    assert f"U ziet nu '{OLDER}'" in text
    assert selected(page, "Dataset") == OLDER
    assert selected(page, "Regioniveau") == "Provincie"  # the rest of the link still holds
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_reloaded_profile_keeps_its_dataset_municipality_and_year(site, page):
    url, _, older_id = site
    page.goto(f"{url}/gemeenteprofiel")
    wait_until_ready(page, charts=1, timeout=180_000)
    assert set(query_of(page)) == PROFILE_PARAMETERS
    choose(page, "Cijfers", OLDER)
    page.wait_for_url(lambda url: f"dataset={older_id}" in url, timeout=180_000)
    wait_until_ready(page, timeout=180_000)
    choose(page, "Gemeente of jeugdregio", "Kampen")
    page.wait_for_url(lambda url: "gebied=GM0166" in url, timeout=180_000)
    wait_until_ready(page, charts=1, timeout=180_000)
    choose(page, "Jaar", "2023")
    page.wait_for_url(lambda url: "jaar=2023" in url, timeout=180_000)
    wait_until_ready(page, charts=1, timeout=180_000)
    trend = list(PROFILE_VIEWS)[1]
    choose_view(page, trend, shows=PROFILE_VIEWS[trend])
    assert query_of(page) | {"checklist": "-"} == {
        "dataset": str(older_id),
        "gebied": "GM0166",
        "jaar": "2023",
        "checklist": "-",
        "weergave": "jaren",
    }
    page.reload()
    wait_until_ready(page, charts=1, timeout=180_000)
    assert selected(page, "Cijfers") == OLDER
    assert selected(page, "Gemeente of jeugdregio").startswith("Kampen")
    assert selected(page, "Jaar") == "2023"
    assert chosen_view(page) == trend
    assert (
        "fictieve voorbeeldcijfers"
        not in page.locator(".js-plotly-plot .gtitle").first.text_content()
    )


def _download(page, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=name).first.click()
    return open(info.value.path(), "rb").read()


def test_downloads_open_in_dutch_excel(site, page):
    url, _, older_id = site
    page.goto(f"{url}/vergelijken?dataset={older_id}&niveau=gemeente&indicator=per_10000")
    wait_until_ready(page, charts=1, timeout=180_000)
    ranking = _download(page, "Gegevens van deze grafiek downloaden (CSV)")

    choose_view(page, "Tabel")
    table = _download(page, "Tabel downloaden (CSV)")
    assert table.startswith("\ufeff".encode())
    header = table.decode("utf-8-sig").splitlines()[0]
    assert ";" in header and "," not in header and "_" not in header, header
    frame = read_spreadsheet_csv(table, dtype=str)
    assert {"CBS-code", "gebied", "Signaleringsratio", "gemeld bij CoMensha"} <= set(frame.columns)
    assert frame["Gesignaleerd per 10.000"].str.fullmatch(r"\d+,\d+|–|<5|x").all()

    book = openpyxl.load_workbook(io.BytesIO(_download(page, "Tabel downloaden (Excel)")))
    rows = list(book["Vergelijken"].iter_rows(values_only=True))
    assert list(rows[0]) == list(frame.columns)
    assert len(rows) - 1 == len(frame)

    chart = read_spreadsheet_csv(ranking)
    assert {"CBS-code", "waarde", "ondergrens 95%-interval", "gemarkeerd"} <= set(chart.columns)
    assert set(chart["gemarkeerd"]) == {"ja", "nee"}
    assert re.search(r";\d+,\d+;", ranking.decode("utf-8-sig"))  # decimal commas
