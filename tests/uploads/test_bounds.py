"""The bounds of a file, exactly at and just past each limit, and the checks on text cells.

The hostile files themselves (a far corner cell, millions of separators) run under a memory cap
in tests/uploads/test_hostile.py; here the limits are pinned in process, quickly.
"""

from __future__ import annotations

import pytest

from loverboy_stats.reference import MAX_SUGGESTIONS
from loverboy_stats.uploads import UploadError, parse_upload
from loverboy_stats.uploads.spec import MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from tests.uploads import hostile

H = "gemeente;jaar;gesignaleerd"


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def refused(content: bytes, name: str = "cijfers.csv") -> str:
    with pytest.raises(UploadError) as caught:
        parse_upload(content, name)
    return caught.value.message


def test_a_file_of_exactly_the_row_limit_is_read_and_one_more_row_is_refused():
    rows = [f"Ede;{2000 + i % 24};{i}" for i in range(MAX_ROWS - 1)]
    assert parse_upload(csv(H, *rows), "a.csv").rows == MAX_ROWS - 1
    message = refused(csv(H, *rows, ""))  # an empty row counts, as in Excel
    assert message.startswith("Het bestand heeft meer rijen dan de grens van 20.000 (lege")


def test_columns_up_to_the_limit_are_read_and_empty_cells_at_the_end_do_not_count():
    extra = ";".join(f"k{i}" for i in range(MAX_COLUMNS - 3))
    wide = parse_upload(csv(f"{H};{extra}", "Ede;2023;4" + ";" * 500), "a.csv")
    assert wide.ok and len(wide.notices) == MAX_COLUMNS - 3  # each unknown column noticed
    message = refused(csv(f"{H};{extra};nog een"))
    assert message.startswith("Rij 1 heeft gevulde cellen tot voorbij kolom AX; de grens is 50")


def test_a_cell_of_the_limit_is_read_and_a_longer_one_is_refused_with_its_place():
    ok = parse_upload(csv(f"{H};opmerking", f"Ede;2023;4;{'x' * MAX_CELL_CHARS}"), "a.csv")
    assert ok.ok
    message = refused(csv(f"{H};opmerking", f"Ede;2023;4;{'x' * (MAX_CELL_CHARS + 1)}"))
    assert message == (
        "De cel in rij 2, kolom D, bevat 1.001 tekens; de grens is 1.000 tekens per cel. Zo'n "
        "lange tekst hoort niet in een tabel met cijfers."
    )


def test_rows_times_columns_over_the_cell_limit_are_refused():
    width = MAX_CELLS // 15_000 + 1  # 17 columns of 15,000 rows
    extra = ";".join(f"k{i}" for i in range(width - 3))
    rows = [f"Ede;2023;{i};" + ";".join("1" * (width - 3)) for i in range(15_000)]
    assert refused(csv(f"{H};{extra}", *rows)).startswith(
        "Het bestand is te groot: 14.706 rijen van 17 kolommen zijn meer dan 250.000 cellen"
    )


def test_an_xlsx_row_past_the_limit_is_refused_and_a_claimed_size_is_not_believed():
    rows = [hostile._row(1, hostile.HEADER)]
    rows += [f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, MAX_ROWS + 2)]
    assert refused(hostile.xlsx(rows), "a.xlsx").startswith(
        "Het tabblad 'Blad1' heeft meer rijen dan de grens van 20.000"
    )
    claimed = parse_upload(hostile.claims_whole_sheet(), "a.xlsx")
    assert claimed.ok and claimed.rows == 1


def test_xlsx_cells_beyond_the_columns_read_are_left_out_but_one_just_past_is_refused():
    far = parse_upload(hostile.far_column_on_every_row(20), "a.xlsx")
    assert far.ok and far.rows == 20 and far.notices == []
    near = hostile.xlsx([hostile._row(1, [*hostile.HEADER, ("AY", "x")])])
    assert refused(near, "a.xlsx").startswith("Rij 1 heeft gevulde cellen tot voorbij kolom AX")


def test_a_valid_code_next_to_an_absurdly_long_name_is_an_error():
    result = parse_upload(
        csv("gemeentecode;gemeente;jaar;gesignaleerd", f"GM0363;{'A' * 500};2023;4"), "a.csv"
    )
    assert not result.ok
    [(column, message)] = result.errors[["kolom", "melding"]].itertuples(index=False)
    assert (column, message) == ("gemeente", "Deze naam is 500 tekens lang; hoogstens 200 tekens.")


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("Noord;=1+1;", "Deze regio bevat tekens die niet zijn toegestaan: ';', '='."),
        ("[Nieuw](http://evil.example)", "Deze regio bevat tekens die niet zijn toegestaan: '['"),
        ("R" * 300, "Deze regio is 300 tekens lang; hoogstens 200 tekens."),
    ],
)
def test_own_region_names_that_cannot_be_names_are_errors(region, message):
    quoted = '"' + region + '"'
    content = csv(f"{H};regio", f"Ede;2023;4;{quoted}", "Ede;2022;4;Veluwe")
    result = parse_upload(content, "a.csv")
    [(row, column, shown)] = result.errors[["rij", "kolom", "melding"]].itertuples(index=False)
    assert (row, column) == (2, "regio") and shown.startswith(message)
    assert list(result.data["regio"]) == ["Veluwe"]  # the good row is kept


def test_a_file_full_of_unknown_names_gets_every_error_and_the_first_ones_a_suggestion():
    names = [f"Amsterdm{i}" for i in range(MAX_SUGGESTIONS + 50)]
    result = parse_upload(csv(H, *(f"{n};2023;4" for n in names)), "a.csv")
    messages = list(result.errors["melding"])
    assert len(messages) == len(names)
    assert all("Bedoelt u Amsterdam (GM0363)?" in m for m in messages[:MAX_SUGGESTIONS])
    assert all(m.endswith("indeling 2024.") for m in messages[MAX_SUGGESTIONS:])
