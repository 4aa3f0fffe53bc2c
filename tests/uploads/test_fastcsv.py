"""Arrow's CSV parser is used only where it reads exactly what the row-by-row reader reads.

The row-by-row reader (Python's csv module, :func:`text_rows`) defines the cells of a file; the
fast reader (:func:`csv_frame`) must give the same cells or decline. Generated texts mix the
characters that make CSV hard: separators, quotes, every kind of line end, blanks that strip and
characters that look blank but are not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loverboy_stats.uploads import UploadError, parse_upload
from loverboy_stats.uploads.cells import HEAD_CHARS, decode_text, text_rows
from loverboy_stats.uploads.fastcsv import _from_cp1252, csv_frame, head_text, plain_encoding
from loverboy_stats.uploads.read import _rows_frame
from loverboy_stats.uploads.spec import LIMITS, Limits
from tests.uploads.test_corpus import corpus_bytes

CORPUS = Path(__file__).resolve().parents[1] / "data"

ALPHABET = ['"', ";", ",", "\t", "\r", "\n", "\r\n", " ", "a", "1", "é", "\u00a0", "\u200b", "\x1c"]


def row_by_row(text: str, delimiter: str, limits: Limits = LIMITS) -> pd.DataFrame | None:
    """The frame read_table makes of the row-by-row reader's rows; None when it refuses."""
    try:
        return _rows_frame(text_rows(text, delimiter, limits), "a.csv")
    except UploadError:
        return None


def same_cells(fast: pd.DataFrame, slow: pd.DataFrame) -> bool:
    """The same cells in the same rows (Excel numbers) and columns."""
    if fast.shape != slow.shape or list(fast.index) != list(slow.index):
        return False
    return fast.astype(object).values.tolist() == slow.astype(object).values.tolist()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join),
    st.sampled_from([";", ",", "\t"]),
)
def test_the_fast_reader_reads_the_same_cells_or_declines(text, delimiter):
    fast = csv_frame(text.encode(), delimiter, LIMITS)
    if fast is None:
        return
    slow = row_by_row(text, delimiter)
    assert slow is not None, "the fast reader accepted a text the row-by-row reader refuses"
    assert same_cells(fast, slow), (fast.values.tolist(), slow.values.tolist())


def uniform(rows: int, cells: list[str]) -> str:
    return "\r\n".join([";".join(cells)] * rows) + "\r\n"


def test_a_table_as_excel_saves_it_is_read_by_the_fast_reader():
    """The fast reader does take the common case: equal rows, quoted cells, empty rows."""
    text = 'gemeente;jaar;"gesignaleerd"\r\n"Ede";2023;"1.234"\r\n;;\r\n"Bergen (NH.)";2022;4\r\n'
    fast = csv_frame(text.encode(), ";", LIMITS)
    assert fast is not None and same_cells(fast, row_by_row(text, ";"))


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        (uniform(11, ["Ede", "2023", "4"]), Limits(rows=10)),  # one row too many
        (uniform(2, ["a"] * 5), Limits(columns=4)),  # one column too many
        (uniform(4, ["a"] * 3), Limits(cells=11)),  # one cell too many
        (uniform(2, ["Ede", "x" * 11]), Limits(cell_chars=10)),  # one character too many
    ],
)
def test_past_a_limit_the_fast_reader_declines_so_the_refusal_names_the_row(text, limits):
    assert csv_frame(text.encode(), ";", limits) is None
    assert row_by_row(text, ";", limits) is None


def test_blank_cells_at_the_end_do_not_count_towards_the_column_limit():
    text = uniform(3, ["Ede", "2023", "4", " ", ""])
    fast = csv_frame(text.encode(), ";", Limits(columns=3))
    assert fast is not None and fast.shape == (3, 3) and list(fast.index) == [1, 2, 3]
    assert same_cells(fast, row_by_row(text, ";", Limits(columns=3)))


def test_a_hostile_first_line_is_left_to_the_row_by_row_reader():
    assert csv_frame(b"a" + b";" * 100_000 + b"\r\n", ";", LIMITS) is None


def test_the_limits_can_be_raised_to_measure_beyond_them():
    rows = [f"Ede;{2000 + i % 24};{i}" for i in range(LIMITS.rows + 5)]
    content = ("gemeente;jaar;gesignaleerd\r\n" + "\r\n".join(rows) + "\r\n").encode()
    with pytest.raises(UploadError, match=r"meer rijen dan de grens van 20\.000"):
        parse_upload(content, "a.csv")
    larger = Limits(rows=30_000, cells=100_000)
    assert parse_upload(content, "a.csv", limits=larger).rows == LIMITS.rows + 5


# --------------------------------------------------------------------------------------------
# Plain files are parsed as their bytes, without a decoded copy: the same cells and texts as
# decoding the whole file first (Windows-1252 as Dutch Excel saves it, or UTF-8).

# Characters Windows-1252 holds beyond ASCII (é, the curly apostrophe, the euro sign).
CP1252_ALPHABET = [*ALPHABET[:-3], "\u2019", "€", "â", "\x1c"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(CP1252_ALPHABET), max_size=40).map("".join),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["cp1252", "utf-8"]),
    st.sampled_from([b"", b"\x81", b"\x9d"]),  # bytes Windows-1252 leaves undefined
)
def test_bytes_parsed_as_they_are_give_the_cells_of_the_decoded_text(
    text, delimiter, encoding, undefined
):
    content = text.encode(encoding) + (undefined if encoding == "cp1252" else b"")
    if not content:
        return
    kind = plain_encoding(content)
    assert kind == ("utf-8" if _is_utf8(content) else "cp1252")
    decoded = decode_text(content)
    assert head_text(content, kind) == decoded[:HEAD_CHARS]
    fast = csv_frame(content, delimiter, LIMITS, kind)
    if fast is None:
        return
    slow = row_by_row(decoded, delimiter)
    assert slow is not None, "the fast reader accepted a text the row-by-row reader refuses"
    assert same_cells(fast, slow), (fast.values.tolist(), slow.values.tolist())


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("character", ["é", "\u2019", "😀"])
def test_the_head_of_a_utf8_file_is_cut_between_characters(character):
    """A multi-byte character at the edge of the bytes decoded for the delimiter search."""
    for before in range(4):
        content = ("a" * before + character * (HEAD_CHARS + 3)).encode()
        assert head_text(content, "utf-8") == content.decode()[:HEAD_CHARS]


def test_byte_order_marks_and_utf16_are_decoded_whole():
    for content in ["gemeente;jaar".encode("utf-8-sig"), "gemeente;jaar".encode("utf-16")]:
        assert plain_encoding(content) is None
    assert plain_encoding(b"a;\x00b") is None


def test_the_dictionary_of_a_cp1252_column_is_decoded_like_bytes_decode():
    texts = [b"", b"Fryslan", bytes(range(1, 256)), b"\x81\x8d", "’s-Gravenhage".encode("cp1252")]
    array = pa.array(texts, pa.binary())
    expected = [text.decode("cp1252", errors="replace") for text in texts]
    assert _from_cp1252(array).to_pylist() == expected
    assert _from_cp1252(array.slice(2, 2)).to_pylist() == expected[2:4]


@pytest.mark.parametrize("folder", ["good", "bad"])
def test_every_corpus_text_file_reads_as_the_row_by_row_reader_reads_it(folder, monkeypatch):
    """The frame read_table makes of every CSV in the upload corpus is the one the row-by-row
    reader makes (the fast reader is switched off for the second read)."""
    import loverboy_stats.uploads.read as read

    cases = json.loads((CORPUS / folder / "expected.json").read_text("utf-8"))
    compared = 0
    for case in cases:
        if not case["file"].endswith((".csv", ".txt", ".tsv")):
            continue
        content = corpus_bytes(case, folder)
        with monkeypatch.context() as patched:
            patched.setenv("LBS_MAX_UPLOAD_MB", "100")
            fast = _read_or_refusal(read, content, case["file"])
            patched.setattr(read, "csv_frame", lambda *_args: None)
            slow = _read_or_refusal(read, content, case["file"])
        assert type(fast) is type(slow), case["file"]
        if isinstance(fast, str):
            assert fast == slow, case["file"]
        else:
            assert same_cells(fast.frame, slow.frame), case["file"]
            assert (fast.headers, fast.notices) == (slow.headers, slow.notices), case["file"]
        compared += 1
    assert compared >= 5


def _read_or_refusal(read, content: bytes, filename: str):
    try:
        return read.read_table(content, filename)
    except UploadError as refused:
        return refused.message
