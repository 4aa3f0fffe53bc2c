"""Page 'Eigen cijfers' through Streamlit's AppTest: upload, check, save, manage datasets.

The store is an SQLite file in the test's own data folder (see conftest.app_data_dir).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from loverboy_stats.store import get_store
from tests.app.conftest import open_app, shown
from tests.fixtures.actors import OPERATOR

PAGE = "pages/eigen_cijfers.py"

VALID = (
    "Gemeente;Jaar;Gesignaleerd;Doorverwezen\r\nDen Haag;2023;3;1\r\nAmsterdam;2023;40;12\r\n"
).encode("cp1252")
INVALID = b"gemeente;jaar;gesignaleerd\nAmsterdam;2023;-2\nAtlantis;2023;4\n"


def page(publication: bool | None = None) -> AppTest:
    session = {} if publication is None else {"publication_mode": publication}
    return open_app(PAGE, **session)


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="upload").upload(name, content, "text/csv")
    return at.run()


def texts(elements) -> str:
    return " ".join(shown(e.value) for e in elements)


def test_empty_page_offers_format_and_templates():
    at = page()
    assert not at.exception
    assert at.title[0].value == "Eigen cijfers"
    assert "gesignaleerd" in list(at.dataframe[0].value["kolom"])
    assert "Er zijn nog geen datasets opgeslagen." in texts(at.markdown)


def test_valid_upload_is_previewed_in_publication_mode_and_saved():
    at = upload(page(), "cijfers.csv", VALID)
    assert not at.exception
    assert [m.value for m in at.metric] == ["2", "0", "0"]
    preview = at.dataframe[-1].value
    assert list(preview["gemeente"]) == ["'s-Gravenhage", "Amsterdam"]
    # Small counts never reach the screen in publication mode (on by default).
    assert preview.loc[0, "gesignaleerd"] == "<5" and preview.loc[0, "doorverwezen"] == "<5"
    assert 3 not in list(preview["gesignaleerd"])

    at.text_input[0].set_value("Haaglanden 2023")
    at.button[0].click().run()
    assert "Opgeslagen als 'Haaglanden 2023' (2 rijen)." in texts(at.success)
    [stored] = get_store().datasets.list()
    assert (stored.name, stored.filename, stored.row_count) == ("Haaglanden 2023", "cijfers.csv", 2)
    assert "Haaglanden 2023" in list(at.dataframe[-1].value["naam"])


def test_publication_mode_off_shows_the_figures_as_uploaded():
    at = upload(page(publication=False), "cijfers.csv", VALID)
    preview = at.dataframe[-1].value
    assert list(preview["gesignaleerd"]) == ["3", "40"]  # as uploaded, not "<5"


def test_invalid_upload_shows_every_error_and_cannot_be_saved():
    at = upload(page(), "fout.csv", INVALID)
    assert not at.exception
    assert [m.value for m in at.metric] == ["2", "2", "0"]
    [report] = [d.value for d in at.dataframe if "melding" in d.value.columns]
    assert list(zip(report["rij"], report["kolom"], strict=True)) == [
        (2, "gesignaleerd"),
        (3, "gemeente"),
    ]
    assert "opslaan kan pas als er geen fouten meer zijn" in texts(at.error)
    assert not [b for b in at.button if b.label == "Opslaan"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("leeg.csv", b"", "is leeg"), ("kapot.xlsx", b"geen zip", "beschadigd")],
)
def test_unreadable_upload_gets_a_dutch_message_not_a_traceback(name, content, message):
    at = upload(page(), name, content)
    assert not at.exception
    assert message in texts(at.error)


def test_xlsx_with_several_sheets_lets_the_user_pick_one():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Uitleg"
    workbook.active.append(["Hier staat uitleg"])
    figures = workbook.create_sheet("Cijfers")
    figures.append(["gemeente", "jaar", "gesignaleerd"])
    figures.append(["Leeuwarden", 2023, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    at = upload(page(), "cijfers.xlsx", buffer.getvalue())
    assert at.selectbox[0].options == ["Uitleg", "Cijfers"]
    assert [m.value for m in at.metric][1] != "0"  # the first sheet is not a table of figures
    at.selectbox[0].select("Cijfers").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    assert list(at.dataframe[-1].value["gemeente"]) == ["Leeuwarden"]


def test_same_file_again_is_reported_as_already_present():
    get_store().datasets.save("Eerder", "cijfers.csv", VALID, _clean(), actor=OPERATOR)
    at = upload(page(), "kopie.csv", VALID)
    at.button[0].click().run()
    assert "al opgeslagen als 'Eerder'" in texts(at.info)
    assert len(get_store().datasets.list()) == 1


def test_rename_and_confirmed_delete():
    get_store().datasets.save("Oud", "cijfers.csv", VALID, _clean(), actor=OPERATOR)
    at = page()
    at.text_input(key=f"name_{_only_id()}").set_value("Nieuw").run()
    at.button(key=f"rename_{_only_id()}").click().run()
    assert [d.name for d in get_store().datasets.list()] == ["Nieuw"]

    delete = at.button(key=f"delete_{_only_id()}")
    assert delete.disabled  # nothing is deleted without the confirmation tick
    at.checkbox(key=f"sure_{_only_id()}").check().run()
    at.button(key=f"delete_{_only_id()}").click().run()
    assert get_store().datasets.list() == []
    assert "Er zijn nog geen datasets opgeslagen." in texts(at.markdown)


def _clean():
    from loverboy_stats.uploads import parse_upload

    return parse_upload(VALID, "cijfers.csv").data


def _only_id() -> int:
    [info] = get_store().datasets.list()
    return info.id


# ------------------------------------------------------------------------------------------
# Corpus files through the page: the same messages as the library and the command line

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"


def _corpus(name: str) -> tuple[bytes, dict]:
    import json

    cases = json.loads((CORPUS / "expected.json").read_text("utf-8"))
    return (CORPUS / name).read_bytes(), next(c for c in cases if c["file"] == name)


@pytest.mark.parametrize(
    "name",
    [
        "html_in_naam.csv",
        "kop_op_rij_3_onder_titels.csv",
        "waarschuwing_samengevoegde_gemeente.csv",
        "binaire_rommel.csv",
        "zip_bom.xlsx",
        "kolom_twee_keer.csv",
    ],
)
def test_corpus_file_on_the_page_shows_its_exact_message_and_stores_nothing(name):
    content, case = _corpus(name)
    at = upload(page(), name, content)
    assert not at.exception
    if "refused" in case:
        assert case["refused"] in [shown(e.value) for e in at.error]
    else:
        [report] = [d.value for d in at.dataframe if "melding" in d.value.columns]
        rows = [[int(r.rij), r.kolom, r.waarde, r.melding] for r in report.itertuples(index=False)]
        assert rows == sorted(case.get("errors", []) + case.get("warnings", []))
        for notice in case.get("notices", []):
            assert notice in [shown(i.value) for i in at.info]
        assert not [b for b in at.button if b.label == "Opslaan"]
    # Nothing on the page renders HTML: the raw text stays text.
    assert not any(m.proto.allow_html for m in at.markdown)
    assert get_store().datasets.list() == []
