"""Exports cannot run as spreadsheet formulas, and Dutch CSV opens correctly in Excel."""

import io

import pandas as pd

from loverboy_stats.export import to_csv_bytes


def test_formula_cells_are_neutralised():
    frame = pd.DataFrame(
        {
            "naam": ['=HYPERLINK("http://x")', "+31", "-2+3", "@SUM(A1)", "Utrecht"],
            "aantal": [1, -2, 3, 4, 5],
        }
    )
    text = to_csv_bytes(frame).decode("utf-8")
    back = pd.read_csv(io.StringIO(text))
    assert back["naam"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'+31",
        "'-2+3",
        "'@SUM(A1)",
        "Utrecht",
    ]
    # Numbers are numbers, not text: a negative count stays -2 and is not prefixed.
    assert back["aantal"].tolist() == [1, -2, 3, 4, 5]


def test_formula_in_a_column_name_is_neutralised():
    text = to_csv_bytes(pd.DataFrame({"=cmd": [1]})).decode("utf-8")
    assert text.splitlines()[0] == "'=cmd"


def test_dutch_csv_has_bom_semicolons_and_decimal_commas():
    raw = to_csv_bytes(
        pd.DataFrame({"aandeel": [0.104], "gemeente": ["Súdwest-Fryslân"]}), dutch=True
    )
    assert raw.startswith("\ufeff".encode())
    assert raw.decode("utf-8-sig").splitlines() == ["aandeel;gemeente", "0,104;Súdwest-Fryslân"]


def test_mixed_object_columns_keep_numbers_and_marks():
    frame = pd.DataFrame(
        {
            "gesignaleerd": pd.Series([12, "<5", None, "-1"], dtype=object),
            "alleen_getallen": pd.Series([1, 2, 3, 4], dtype=object),
        }
    )
    back = pd.read_csv(io.StringIO(to_csv_bytes(frame).decode("utf-8")), dtype=str)
    assert back["gesignaleerd"].tolist()[:2] == ["12", "<5"]
    assert back["gesignaleerd"].tolist()[3] == "'-1"
    assert back["alleen_getallen"].tolist() == ["1", "2", "3", "4"]
