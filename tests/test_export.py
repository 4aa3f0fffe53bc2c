"""Exports cannot run as spreadsheet formulas under either list separator, and Dutch CSV opens
correctly in Excel.

A CSV is parsed back as a spreadsheet might: split on ``;``, on ``,`` and on tabs, each once with
quote handling (as Excel does for a well-formed file) and once ignoring quotes (the worst case);
no resulting cell may start with ``=``, ``+``, ``-`` or ``@`` (after spaces and quotes) unless
it is a plain number.
"""

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loverboy_stats.export import (
    neutralise_text,
    to_csv_bytes,
    to_spreadsheet_csv,
    to_spreadsheet_xlsx,
    to_xlsx_bytes,
)

HOSTILE = [
    "Noord;=1+1;",
    "Oost,=1+1,",
    "Zuid\t=1+1",
    'West;"=1+1"',
    "Midden; =1+1",
    "regel 1\n=1+1",
    '=HYPERLINK("http://x","klik")',
    "+31",
    "-2+3",
    "@SUM(A1)",
    '"=1+1"',
    "\t=1+1",
]
NUMBER = re.compile(r"-?\d+([.,]\d+)?([eE][+-]?\d+)?")


def risky_cells(text: str) -> list[str]:
    """Cells that would start with a formula character, however the file is split."""
    found = []
    for separator in (";", ",", "\t"):
        for line in text.splitlines():
            quote_aware = next(csv.reader([line], delimiter=separator), [])
            for cell in [*quote_aware, *line.split(separator)]:
                start = cell.lstrip(' "')
                if start[:1] in ("=", "+", "-", "@") and not NUMBER.fullmatch(cell.strip(' "')):
                    found.append(cell)
    return found


@pytest.fixture
def hostile() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "regio": HOSTILE,
            "aantal": [1, -2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "aandeel": [0.5, -0.25, None, 1.0, 2.5, 0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7],
            "gemengd": pd.Series([12, "<5", None, "x", "-1", 3, "=1", 4, 5, 6, 7, 8], dtype=object),
        }
    )


@pytest.mark.parametrize("dutch", [True, False], ids=["semicolon", "comma"])
def test_no_cell_can_become_a_formula_under_either_separator(hostile, dutch):
    text = to_csv_bytes(hostile, dutch=dutch).decode("utf-8-sig")
    assert risky_cells(text) == []


@pytest.mark.parametrize("dutch", [True, False], ids=["semicolon", "comma"])
def test_the_harness_finds_what_a_naive_writer_lets_through(hostile, dutch):
    """The check above can fail: pandas' own CSV (first character only) does not pass it."""
    plain = hostile.copy()
    plain["regio"] = plain["regio"].map(lambda t: "'" + t if t[:1] in "=+-@\t" else t)
    text = plain.to_csv(index=False, sep=";" if dutch else ",")
    assert risky_cells(text) != []


@pytest.mark.parametrize("dutch", [True, False])
def test_text_comes_back_as_written_behind_its_apostrophes_and_numbers_stay_numbers(hostile, dutch):
    text = to_csv_bytes(hostile, dutch=dutch).decode("utf-8-sig")
    back = pd.read_csv(
        io.StringIO(text), sep=";" if dutch else ",", decimal="," if dutch else ".", dtype=str
    )
    assert back["regio"].tolist() == [neutralise_text(t) for t in HOSTILE]
    assert back["regio"].tolist()[:3] == ["Noord;'=1+1;", "Oost,'=1+1,", "Zuid\t'=1+1"]
    assert back["aantal"].tolist()[:2] == ["1", "-2"]  # a negative count is not prefixed
    # A text that is a plain number stays as it is: a spreadsheet reads it as that number.
    assert back["gemengd"].fillna("").tolist()[:5] == ["12", "<5", "", "x", "-1"]
    line = next(line for line in text.splitlines() if line.startswith('"\'+31"'))
    separator = ";" if dutch else ","
    assert line.split(separator)[1:3] == ["8", "0,2" if dutch else "0.2"]  # numbers unquoted


#: Texts built from the characters that matter: formula starts, separators, quotes, digits.
RISKY_TEXT = st.text(alphabet="=+-@;,\t\r\n \"'0123456789.eEaA(", max_size=12)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(RISKY_TEXT, min_size=1, max_size=4), dutch=st.booleans())
def test_no_text_whatsoever_becomes_a_formula(texts, dutch):
    """Property: whatever the text, no cell of the CSV can start a formula under any split, and
    the text reads back unchanged apart from the apostrophes."""
    frame = pd.DataFrame({"tekst": texts})
    text = to_csv_bytes(frame, dutch=dutch).decode("utf-8-sig")
    assert risky_cells(text) == []
    back = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if dutch else ","))[1:]
    assert [row[0] if row else "" for row in back] == [neutralise_text(t) for t in texts]


def test_a_text_that_is_a_negative_number_gets_no_apostrophe():
    texts = ["-3", "-2,5", "-1e5", "a;-3", "+2", "-3;=1", "-3;b", "-1+2"]
    assert [neutralise_text(t) for t in texts] == [
        "-3",
        "-2,5",
        "-1e5",
        "a;-3",
        "'+2",
        "'-3;'=1",
        "'-3;b",
        "'-1+2",
    ]
    assert neutralise_text("-3", inside=False) == "-3"
    assert neutralise_text("-3;=1", inside=False) == "'-3;=1"


def test_a_download_for_people_has_dutch_headers_yes_no_and_rounded_numbers():
    frame = pd.DataFrame(
        {
            "code": ["GM0363", "GM0599"],
            "gemeld_comensha": [3, None],
            "laag": [0.123456789, 2.0],
            "referentiepopulatie": [12345.0, float("nan")],
            "gemarkeerd": [True, False],
            "aantal_tekst": ["<5", "=1+1"],
        }
    )
    raw = to_spreadsheet_csv(frame)
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "CBS-code;gemeld bij CoMensha;ondergrens 95%-interval;referentiepopulatie;gemarkeerd;aantal"
    )
    assert lines[1:] == [
        '"GM0363";3;0,1235;12345;"ja";"<5"',
        '"GM0599";;2;;"nee";"\'=1+1"',
    ]
    book = openpyxl.load_workbook(io.BytesIO(to_spreadsheet_xlsx(frame)))
    rows = list(book["Gegevens"].iter_rows(values_only=True))
    assert rows[0][:3] == ("CBS-code", "gemeld bij CoMensha", "ondergrens 95%-interval")
    assert rows[1] == ("GM0363", 3, 0.1235, 12345, "ja", "<5")
    assert rows[2] == ("GM0599", None, 2, None, "nee", "'=1+1")


def test_ordinary_text_is_only_quoted():
    frame = pd.DataFrame({"gemeente": ["Súdwest-Fryslân", "'s-Gravenhage", "Leiden, Oost"]})
    text = to_csv_bytes(frame).decode("utf-8")
    assert text.splitlines() == [
        "gemeente",
        '"Súdwest-Fryslân"',
        '"\'s-Gravenhage"',
        '"Leiden, Oost"',
    ]


def test_formula_in_a_column_name_is_neutralised():
    text = to_csv_bytes(pd.DataFrame({"=cmd": [1], "a;b": [2]})).decode("utf-8")
    assert text.splitlines()[0] == "'=cmd,a;b"
    assert (
        to_csv_bytes(pd.DataFrame({"a;=b": [2]}), dutch=True)
        .decode("utf-8-sig")
        .startswith('"a;\'=b"')
    )


def test_dutch_csv_has_bom_semicolons_and_decimal_commas():
    raw = to_csv_bytes(
        pd.DataFrame({"aandeel": [0.104], "gemeente": ["Súdwest-Fryslân"]}), dutch=True
    )
    assert raw.startswith("\ufeff".encode())
    assert raw.decode("utf-8-sig").splitlines() == ["aandeel;gemeente", '0,104;"Súdwest-Fryslân"']


def test_xlsx_writes_text_as_text_without_control_characters():
    frame = pd.DataFrame(
        {"toelichting": ["=1+1", "Noord;=1+1", "bel\x07 ons", "+31"], "aantal": [1, -2, 3, 4]}
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"blad": frame})))
    cells = [row for row in book["blad"].iter_rows(min_row=2)]
    assert [c[0].value for c in cells] == ["'=1+1", "Noord;=1+1", "bel ons", "'+31"]
    assert all(c[0].data_type == "s" for c in cells)
    assert [c[1].value for c in cells] == [1, -2, 3, 4]


# ------------------------------------------------------------------------------------------
# Every file the app and the command line write goes through loverboy_stats/export.py

WRITERS = ("to_csv(", "csv.writer", "to_excel(", "ExcelWriter", "openpyxl.Workbook", "Workbook()")


def test_export_py_is_the_only_writer_of_csv_and_xlsx():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sources = [
        root / "app.py",
        *(p for f in ("loverboy_stats", "ui", "pages") for p in (root / f).rglob("*.py")),
    ]
    writers = [
        f"{path.relative_to(root)}: {writer}"
        for path in sources
        if path.name != "export.py"
        for writer in WRITERS
        if writer in path.read_text("utf-8")
    ]
    assert writers == []


def test_the_checklist_downloads_are_formula_safe():
    from loverboy_stats.checklist import ChecklistState
    from loverboy_stats.frameworks import get_framework
    from loverboy_stats.printable import checklist_files

    framework = get_framework("nji_loverboy")
    answers = pd.DataFrame(
        {
            "item_id": ["kennis_erkenning", "kennis_bestuur"],
            "status": ["nee", "deels"],
            "toelichting": ["Noord;=1+1;", "Oost,=1+1,"],
            "actiehouder": ["@team", "Wethouder"],
            "streefdatum": ["2025-12-31", None],
        }
    )
    state = ChecklistState("GM0363", "Amsterdam", framework.id, 1, None, "", None, answers)
    files = checklist_files(framework, state)
    csv_file, xlsx_file = files[0].data.decode("utf-8-sig"), files[1].data
    assert "Noord;'=1+1;" in csv_file and risky_cells(csv_file) == []
    book = openpyxl.load_workbook(io.BytesIO(xlsx_file))
    assert not [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize("dutch", [True, False], ids=["semicolon", "comma"])
def test_the_check_report_of_a_hostile_upload_is_formula_safe(dutch):
    from loverboy_stats.uploads import parse_upload

    content = (
        b"gemeente;jaar;gesignaleerd;regio\r\n"
        b'"Noord;=1+1;";2023;4;"Oost,=1+1,"\r\n'
        b"=HYPERLINK(1);2023;4;Zuid\r\n"
    )
    report = to_csv_bytes(parse_upload(content, "a.csv").issues, dutch=dutch).decode("utf-8-sig")
    assert "Noord;'=1+1;" in report and "Oost,'=1+1," in report
    assert risky_cells(report) == []
