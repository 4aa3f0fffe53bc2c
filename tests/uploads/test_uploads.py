"""Uploading local figures: real files as a municipality would make them, read and validated.

Every case writes a real file in tmp_path (CSV in the encodings Excel produces, XLSX through
openpyxl) and reads it through the same entry point the page and the command line use.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loverboy_stats.export import to_csv_bytes
from loverboy_stats.uploads import (
    CLEAN_COLUMNS,
    ERROR,
    WARNING,
    UploadError,
    list_sheets,
    parse_upload,
    read_source,
    template_frame,
    template_xlsx_bytes,
)

HEADER = "gemeentecode;gemeente;jaar;gesignaleerd;gemeld_comensha;doorverwezen;in_behandeling"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, sheets: dict[str, list[list[object]]], name="cijfers.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def parse(path: Path, **kwargs):
    return parse_upload(path.read_bytes(), path.name, **kwargs)


def issue(result, row: int, column: str) -> pd.Series:
    """The one issue at (Excel row, user's column header); fails when there is none or more."""
    found = result.issues[(result.issues["rij"] == row) & (result.issues["kolom"] == column)]
    assert len(found) == 1, result.issues.to_string()
    return found.iloc[0]


# ------------------------------------------------------------------------------------------
# Reading: encodings, delimiters, number notation, xlsx


def test_cp1252_semicolon_with_decimal_comma_and_thousands_dot(tmp_path):
    text = (
        "Gemeente;Jaar;Gesignaleerd;Doorverwezen;Referentiepopulatie\r\n"
        "Súdwest-Fryslân;2023;12,0;3;1.234\r\n"
        "Den Haag;2023;1.234;;55.000\r\n"
    )
    result = parse(write(tmp_path, "cijfers.csv", text, "cp1252"))
    assert result.ok, result.issues.to_string()
    data = result.data.set_index("gemeentecode")
    assert data.loc["GM1900", "gemeente"] == "Súdwest-Fryslân"
    assert data.loc["GM1900", "gesignaleerd"] == 12
    assert data.loc["GM1900", "referentiepopulatie"] == 1234
    assert data.loc["GM0518", "gemeente"] == "'s-Gravenhage"
    assert data.loc["GM0518", "gesignaleerd"] == 1234
    # An empty cell is "not reported", never 0.
    assert pd.isna(data.loc["GM0518", "doorverwezen"])
    assert pd.isna(data.loc["GM0518", "in_behandeling"])


def test_utf8_bom_comma_with_english_headers(tmp_path):
    text = (
        "\ufeffMunicipality,Year,Signalled,Reported,Referred,In_Treatment,Population,Region\n"
        "Amsterdam,2022,40,10,8,5,921402,Noord\n"
    )
    result = parse(write(tmp_path, "english.csv", text))
    assert result.ok, result.issues.to_string()
    row = result.data.iloc[0]
    assert (row["gemeentecode"], row["jaar"], row["gesignaleerd"]) == ("GM0363", 2022, 40)
    assert (row["gemeld_comensha"], row["doorverwezen"], row["in_behandeling"]) == (10, 8, 5)
    assert row["referentiepopulatie"] == 921402
    assert row["regio"] == "Noord"


def test_tab_separated_with_short_codes_and_header_variants(tmp_path):
    text = (
        "Gemeente Code\tJAAR\tGe-signaleerd\tGemeld bij CoMensha\tin-behandeling\n"
        "363\t2021\t7\t2\t1\n"
        "0518\t2021\t9\t\t\n"
        "gm1900\t2021\t0\t0\t0\n"
    )
    result = parse(write(tmp_path, "tab.txt", text))
    assert result.ok, result.issues.to_string()
    assert list(result.data["gemeentecode"]) == ["GM0363", "GM0518", "GM1900"]
    assert list(result.data.columns) == list(CLEAN_COLUMNS)
    assert all(str(result.data[c].dtype) == "Int64" for c in CLEAN_COLUMNS[2:])


def test_xlsx_first_sheet_or_chosen_sheet(tmp_path):
    path = write_xlsx(
        tmp_path,
        {
            "Toelichting": [["Dit tabblad is uitleg"]],
            "Cijfers": [
                ["gemeente", "jaar", "gesignaleerd", "doorverwezen"],
                ["Leeuwarden", 2023, 14.0, None],
                ["Súdwest-Fryslân", 2023, 3, 1],
            ],
        },
    )
    assert list_sheets(path.read_bytes(), path.name) == ["Toelichting", "Cijfers"]
    first = parse(path)
    assert not first.ok  # the explanation sheet is not a table of figures
    result = parse(path, sheet="Cijfers")
    assert result.ok, result.issues.to_string()
    assert result.sheet_names == ["Toelichting", "Cijfers"]
    assert list(result.data["gesignaleerd"]) == [14, 3]
    assert pd.isna(result.data.loc[0, "doorverwezen"])
    with pytest.raises(UploadError, match="tabblad 'Bestaat niet' bestaat niet"):
        parse(path, sheet="Bestaat niet")


def test_xlsx_fractional_number_is_reported_as_the_user_sees_it(tmp_path):
    path = write_xlsx(
        tmp_path, {"Blad1": [["gemeente", "jaar", "gesignaleerd"], ["Amsterdam", 2023, 2.5]]}
    )
    found = issue(parse(path), 2, "gesignaleerd")
    assert found["waarde"] == "2,5"
    assert found["melding"] == "Moet een geheel getal zijn."


def test_totals_row_and_empty_rows(tmp_path):
    text = (
        "\n"  # row 1 empty: the header is on row 2
        "gemeente;jaar;gesignaleerd\n"
        "Amsterdam;2023;5\n"
        ";;\n"  # row 4: empty, skipped
        "\n"  # row 5: empty
        "Rotterdam;2023;x\n"  # row 6
        "Totaal;;5\n"
    )
    result = parse(write(tmp_path, "leeg.csv", text))
    assert result.rows == 2
    assert any("Rij 7" in n and "totaalrij" in n for n in result.notices)
    found = issue(result, 6, "gesignaleerd")
    assert (found["waarde"], found["melding"], found["niveau"]) == ("x", "Geen getal.", ERROR)
    assert list(result.data["gemeente"]) == ["Amsterdam"]


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    text = (
        "Signaleringscijfers loverboyslachtoffers, regio Haaglanden;;;\r\n"  # row 1: a title
        "Bron: eigen registratie, peildatum 1-3-2024;;;\r\n"  # row 2: a note
        ";;;\r\n"  # row 3: empty
        "Gemeente;Jaar;Gesignaleerd;Doorverwezen\r\n"  # row 4: the header
        "Den Haag;2023;12;3\r\n"
        "Amsterdam;2023;-1;\r\n"  # row 6
    )
    result = parse(write(tmp_path, "titel.csv", text, "cp1252"))
    assert result.notices == [
        "Rijen 1 en 2 boven de kopregel (rij 4) zijn overgeslagen: daar staat een titel of "
        "toelichting, geen gegevens."
    ]
    assert result.rows == 2
    found = issue(result, 6, "Gesignaleerd")
    assert (found["waarde"], found["melding"]) == ("-1", "Mag niet negatief zijn.")
    assert list(result.data["gemeente"]) == ["'s-Gravenhage"]
    assert result.data.loc[0, "doorverwezen"] == 3


def test_title_row_with_commas_does_not_fool_the_delimiter(tmp_path):
    text = (
        "Cijfers 2023, per gemeente, voorlopig\ngemeente;jaar;gesignaleerd\nDen Haag;2023;1.234\n"
    )
    result = parse(write(tmp_path, "komma_titel.csv", text))
    assert result.ok, result.issues.to_string()
    assert result.notices[0].startswith("Rij 1 boven de kopregel (rij 2) is overgeslagen")
    assert result.data.loc[0, "gesignaleerd"] == 1234


def test_xlsx_header_on_row_3_under_title_rows(tmp_path):
    path = write_xlsx(
        tmp_path,
        {
            "Blad1": [
                ["Eigen cijfers gemeente Leeuwarden"],
                ["Stand per 31 december", None, "2023"],
                ["gemeentecode", "jaar", "gesignaleerd"],
                ["GM0080", 2023, 14],
                ["GM0080", 2022, "veertien"],
            ]
        },
    )
    result = parse(path)
    assert result.notices[0].startswith("Rijen 1 en 2 boven de kopregel (rij 3)")
    assert issue(result, 5, "gesignaleerd")["melding"] == "Geen getal."
    assert list(result.data["gesignaleerd"]) == [14]


def test_no_header_row_anywhere_is_one_clear_error_naming_the_columns(tmp_path):
    text = "Toelichting bij de cijfers\nZie tabblad 2\n1;2;3\n"
    result = parse(write(tmp_path, "geen_kop.csv", text))
    assert not result.ok
    [only] = result.issues.to_dict("records")
    assert (only["rij"], only["kolom"], only["niveau"]) == (1, "kopregel", ERROR)
    assert only["melding"].startswith("Geen kopregel gevonden in de eerste 10 gevulde rijen.")
    for column in ("gemeentecode", "gemeente", "jaar", "gesignaleerd"):
        assert column in only["melding"]


def test_den_haag_is_matched_and_a_near_miss_gets_a_suggestion(tmp_path):
    text = "gemeente;jaar;gesignaleerd\nDen Haag;2023;4\nGravenhage;2023;4\n"
    result = parse(write(tmp_path, "namen.csv", text))
    assert result.data.loc[0, "gemeentecode"] == "GM0518"
    found = issue(result, 3, "gemeente")
    assert found["niveau"] == ERROR
    assert "'s-Gravenhage (GM0518)" in found["melding"]


# ------------------------------------------------------------------------------------------
# Files that are refused


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cijfers.pdf", b"%PDF-1.4", "niet ondersteund"),
        ("cijfers.xls", b"\xd0\xcf\x11\xe0", "als .xlsx"),
        ("cijfers", b"a;b", "zonder extensie"),
        ("leeg.csv", b"", "is leeg"),
        ("alleen_leeg.csv", b"\r\n;;\r\n\r\n", "alleen lege regels"),
        ("kapot.xlsx", b"dit is geen zip", "beschadigd"),
        ("verkeerd.csv", b"PK\x03\x04\x14\x00rest", "geen tekstbestand"),
    ],
)
def test_unusable_files_get_a_dutch_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UploadError, match=message) as caught:
        parse(path)
    assert "Traceback" not in caught.value.message


def test_file_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("LBS_MAX_UPLOAD_MB", "1")
    rows = "".join(f"Amsterdam;{2000 + i % 20};{i}\n" for i in range(80_000))
    path = write(tmp_path, "groot.csv", "gemeente;jaar;gesignaleerd\n" + rows)
    assert path.stat().st_size > 1024 * 1024
    with pytest.raises(UploadError, match=r"Het bestand is 1,\d MB; de grens is 1 MB\.$"):
        parse(path)


def test_zip_bomb_xlsx_is_not_opened(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    path = tmp_path / "bom.xlsx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(UploadError, match="zip-bom"):
        parse(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    path = tmp_path / "niet_excel.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UploadError, match="geen Excel-werkmap"):
        parse(path)


# ------------------------------------------------------------------------------------------
# Validation: every error and warning with its Excel row and the user's column


@pytest.fixture
def faulty(tmp_path):
    rows = [
        "Code;Naam;Jaar;Gesignaleerd;Gemeld CoMensha;Doorverwezen;In behandeling;Populatie",
        "GM0363;Amsterdam;2023;10;11;12;13;",  # 2: three warnings (above gesignaleerd)
        "GM9999;;2023;5;;;;",  # 3: unknown code
        ";Atlantis;2023;5;;;;",  # 4: unknown name
        ";;2023;5;;;;",  # 5: no municipality at all
        "GM0014;Groningen;;5;;;;",  # 6: missing year
        "GM0034;Almere;2023;;;;;",  # 7: missing gesignaleerd
        "GM0080;Leeuwarden;2023;vijf;;;;",  # 8: not a number
        "GM0518;Den Haag;2023;-3;;;;",  # 9: negative
        "GM1900;Súdwest-Fryslân;2023;4;2,5;;;",  # 10: fractional
        "GM0344;Utrecht;1999;4;;;;",  # 11: year too early
        "GM0599;Rotterdam;2999;4;;;;",  # 12: year in the future
        "",  # 13: empty
        "GM0796;'s-Hertogenbosch;2022;4;;;;",  # 14: duplicate of 15
        "796;Den Bosch;2022;6;;;;",  # 15: duplicate of 14
        "GM0140;Leeuwarden;2022;3;;;;",  # 16: code not in 2024, name is clear -> warning
        "GM0363;Rotterdam;2022;3;;;;",  # 17: code and name contradict
        "GM0363;Amsterdam;2022;3;;;;0",  # 18: population must be > 0
    ]
    return parse(write(tmp_path, "fouten.csv", "\n".join(rows) + "\n"), current_year=2026)


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (3, "Code", "GM9999", "bestaat niet"),
        (4, "Code", "Atlantis", "niet gevonden"),
        (5, "Code", "", "ontbreekt"),
        (6, "Jaar", "", "Verplichte waarde ontbreekt"),
        (7, "Gesignaleerd", "", "Verplichte waarde ontbreekt"),
        (8, "Gesignaleerd", "vijf", "Geen getal"),
        (9, "Gesignaleerd", "-3", "niet negatief"),
        (10, "Gemeld CoMensha", "2,5", "geheel getal"),
        (11, "Jaar", "1999", "tussen 2000 en 2026"),
        (12, "Jaar", "2999", "tussen 2000 en 2026"),
        (14, "Code", "GM0796 / 's-Hertogenbosch", "komen 2 keer voor; zie ook rij 15."),
        (15, "Code", "796 / Den Bosch", "komen 2 keer voor; zie ook rij 14."),
        (17, "Code", "GM0363 / Rotterdam", "hoort bij Amsterdam"),
        (18, "Populatie", "0", "minstens 1"),
    ],
)
def test_each_error_has_its_excel_row_column_and_value(faulty, row, column, value, message):
    found = issue(faulty, row, column)
    assert found["niveau"] == ERROR
    assert found["waarde"] == value
    assert message in found["melding"]


@pytest.mark.parametrize("column", ["Gemeld CoMensha", "Doorverwezen", "In behandeling"])
def test_counts_above_signalled_are_warnings(faulty, column):
    found = issue(faulty, 2, column)
    assert found["niveau"] == WARNING
    assert "Groter dan gesignaleerd (10)" in found["melding"]


def test_code_missing_from_reference_year_is_a_warning_when_the_name_is_clear(faulty):
    found = issue(faulty, 16, "Code")
    assert found["niveau"] == WARNING
    assert "bestaat niet in de gemeentelijke indeling 2024" in found["melding"]
    assert "Leeuwarden (GM0080)" in found["melding"]


def test_only_rows_without_errors_are_clean(faulty):
    assert not faulty.ok
    assert faulty.rows == 16  # rows 2-18 less the empty row 13
    clean = faulty.data
    assert len(clean) == 2
    assert set(clean["gemeentecode"]) == {"GM0363", "GM0080"}  # rows 2 and 16
    error_rows = set(faulty.errors["rij"])
    assert error_rows == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 18}


def test_issue_rows_are_sorted_and_none_for_the_empty_row(faulty):
    rows = list(faulty.issues["rij"])
    assert rows == sorted(rows)
    assert 13 not in rows
    assert set(faulty.issues.columns) == {"rij", "kolom", "waarde", "melding", "niveau"}


def test_missing_required_columns_are_reported_at_the_header(tmp_path):
    result = parse(write(tmp_path, "kolommen.csv", "naam;aantal\nAmsterdam;4\n"))
    assert not result.ok
    kinds = set(result.issues.loc[result.issues["rij"] == 1, "kolom"])
    assert kinds == {"jaar", "gesignaleerd"}
    assert any("'aantal' is niet bekend" in n for n in result.notices)


def test_a_column_named_twice_is_refused(tmp_path):
    with pytest.raises(UploadError, match="komt twee keer voor"):
        parse(write(tmp_path, "dubbel.csv", "gemeente;jaar;year;gesignaleerd\nA;1;2;3\n"))


def test_read_source_returns_the_clean_frame_or_a_dutch_error(tmp_path):
    good = write(tmp_path, "goed.csv", "gemeente;jaar;gesignaleerd\nAmsterdam;2023;5\n")
    assert read_source(good).loc[0, "gemeentecode"] == "GM0363"
    bad = write(tmp_path, "fout.csv", "gemeente;jaar;gesignaleerd\nAmsterdam;2023;-5\n")
    with pytest.raises(UploadError, match="rij 2, kolom 'gesignaleerd'"):
        read_source(bad)
    with pytest.raises(UploadError, match="bestaat niet"):
        read_source(tmp_path / "weg.csv")


# ------------------------------------------------------------------------------------------
# Template, export and scale


def test_templates_are_valid_uploads(tmp_path):
    csv_path = tmp_path / "sjabloon.csv"
    csv_path.write_bytes(to_csv_bytes(template_frame(), dutch=True))
    from_csv = parse(csv_path)
    assert from_csv.ok, from_csv.issues.to_string()
    xlsx_path = tmp_path / "sjabloon.xlsx"
    xlsx_path.write_bytes(template_xlsx_bytes())
    from_xlsx = parse(xlsx_path)
    assert from_xlsx.ok, from_xlsx.issues.to_string()
    assert from_xlsx.sheet_names == ["Cijfers", "Uitleg"]
    pd.testing.assert_frame_equal(from_csv.data, from_xlsx.data)
    assert from_csv.data.loc[0, "gemeentecode"] == "GM0518"
    assert from_csv.data.loc[0, "referentiepopulatie"] == 14210


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_exported_issue_report_neutralises_formulas(tmp_path, start):
    text = f"gemeente;jaar;gesignaleerd\n{start}HYPERLINK(1);2023;5\n"
    result = parse(write(tmp_path, "formule.csv", text))
    exported = to_csv_bytes(result.issues).decode("utf-8")
    assert f"'{start}HYPERLINK(1)" in exported
    assert f",{start}HYPERLINK" not in exported


def test_a_large_table_keeps_every_row_and_value(tmp_path):
    # Speed is measured in bench/uploads.py (as a ratio to pandas.read_csv), not asserted here.
    codes = pd.read_csv("data/reference/gemeenten_2024.csv", dtype=str)["gemeentecode"]
    years = range(2000, 2025)
    lines = [
        f"{c};{y};{i % 50};{i % 7};"
        for i, (c, y) in enumerate((c, y) for c in codes for y in years)
    ]
    path = write(
        tmp_path, "groot.csv", "code;jaar;gesignaleerd;doorverwezen;regio\n" + "\n".join(lines)
    )
    result = parse(path)
    assert result.ok and len(result.data) == len(codes) * 25
    assert result.data["gesignaleerd"].tolist() == [i % 50 for i in range(len(lines))]
    assert result.data["doorverwezen"].tolist() == [i % 7 for i in range(len(lines))]


# ------------------------------------------------------------------------------------------
# Property: what a Dutch spreadsheet writes, we read back exactly

CODES = ["GM0363", "GM0518", "GM1900", "GM0014", "GM0080", "GM0796"]
count = st.one_of(st.none(), st.integers(min_value=0, max_value=5_000_000))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(CODES),
            st.integers(2000, 2025),
            st.integers(0, 5_000_000),
            count,
            count,
            count,
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda r: (r[0], r[1]),
    ),
    encoding=st.sampled_from(["utf-8-sig", "cp1252", "utf-8"]),
)
def test_dutch_csv_round_trip(tmp_path, rows, encoding):
    def dutch(value):
        return "" if value is None else f"{value:,}".replace(",", ".")

    lines = [HEADER] + [
        ";".join([c, "", str(y), *(dutch(v) for v in counts)]) for c, y, *counts in rows
    ]
    path = write(tmp_path, "rondje.csv", "\r\n".join(lines) + "\r\n", encoding)
    result = parse(path, current_year=2025)
    assert result.ok, result.issues.to_string()
    expected = pd.DataFrame(rows, columns=["gemeentecode", "jaar", *CLEAN_COLUMNS[3:]])
    for column in CLEAN_COLUMNS[2:]:
        expected[column] = expected[column].astype("Int64")
    got = result.data[["gemeentecode", "jaar", *CLEAN_COLUMNS[3:]]]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert all(str(got[c].dtype) == "Int64" for c in CLEAN_COLUMNS[2:])


def test_every_column_and_alias_is_documented():
    from loverboy_stats.uploads import COLUMN_SPECS

    text = (Path(__file__).resolve().parents[2] / "docs" / "dataformaat.md").read_text("utf-8")
    for spec in COLUMN_SPECS:
        assert f"`{spec.name}`" in text, spec.name


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_templates_example_row_is_valid_but_called_out_as_made_up(kind):
    from loverboy_stats.export import to_csv_bytes
    from loverboy_stats.uploads.template import template_frame, template_xlsx_bytes

    content = to_csv_bytes(template_frame(), dutch=True) if kind == "csv" else template_xlsx_bytes()
    result = parse_upload(content, f"sjabloon.{kind}")
    assert result.ok and len(result.data) == 1
    assert result.warnings["melding"].tolist() == [
        "Dit is de voorbeeldrij uit het sjabloon ('s-Gravenhage, 2023) met verzonnen aantallen. "
        "Verwijder de rij, of vul de echte cijfers in."
    ]
    real = b"gemeentecode;jaar;gesignaleerd;in_behandeling\r\nGM0518;2023;37;5\r\n"
    assert parse_upload(real, "echt.csv").warnings.empty
