"""The fast way to read a CSV upload: Arrow's C++ parser, used only where it reads exactly what
the row-by-row reader would.

:func:`loverboy_stats.uploads.cells.text_rows` reads a file with Python's csv module, one row at
a time, and refuses it at the first row past a bound with a message that names that row. That
is the floor for a hostile file but costs a Python list per row and a Python string per cell.
:func:`csv_frame` parses the same text with ``pyarrow.csv`` into string columns at once and
returns the same cells (after stripping, the same frame). Whenever it cannot vouch for that it
returns None and the caller reads the file row by row, so every refusal message stays the
row-by-row reader's:

* rows of unequal length (Arrow needs one width; Excel writes every row equally wide), an
  unterminated quote, a byte-order mark left in the text, a NUL: Arrow would refuse or read
  differently;
* a file past any of the :class:`~loverboy_stats.uploads.spec.Limits`: the refusal must name
  the row where it happened.

tests/uploads/test_fastcsv.py checks on generated texts that both readers agree cell for cell.
"""

from __future__ import annotations

import csv
import functools
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from loverboy_stats.uploads.spec import Limits

#: Arrow makes a column for every field of the first line. Empty cells at the end of a row do
#: not count towards the column bound, so a first line may have more fields than that, but
#: not this many times more: a line of two million separators is left to the row-by-row reader.
FIRST_LINE_SLACK = 4


def _first_line_fields(data: bytes, delimiter: str, limits: Limits) -> int | None:
    """Fields in the first line as Python's csv module splits it, or None when the line has
    far more separators than the column bound allows."""
    ends = [position for position in (data.find(b"\n"), data.find(b"\r")) if position >= 0]
    line = data[: min(ends)] if ends else data
    if line.count(delimiter.encode()) >= FIRST_LINE_SLACK * limits.columns:
        return None
    return len(next(csv.reader([line.decode("utf-8")], delimiter=delimiter), []))


def csv_frame(data: bytes, delimiter: str, limits: Limits) -> pd.DataFrame | None:
    """The cells of ``data`` (a text file as UTF-8), stripped, as a frame of categorical text
    columns labelled 0..n-1, indexed by the row number Excel shows (one per record, the first
    is 1), without the empty rows: exactly the frame
    :func:`loverboy_stats.uploads.read.read_table` makes of the rows of the row-by-row reader.
    Columns past the last one with a non-blank cell are left out, as that reader leaves out
    blank cells at the end of a row. None when this reader cannot vouch for that (see the
    module doc); then read the text row by row.

    Arrow dictionary-encodes every column while parsing, so each distinct text is held, stripped
    and measured once, and a row is a few integers."""
    if not data or b"\x00" in data or data.startswith(b"\xef\xbb\xbf"):
        return None
    fields = _first_line_fields(data, delimiter, limits)
    if not fields:
        return None
    names = [str(i) for i in range(fields)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            # One thread: on a shared server the pool's hand-offs cost more than they gain for
            # a file of a few MB. One block: each column gets one dictionary, none to unify.
            read_options=pacsv.ReadOptions(
                column_names=names, use_threads=False, block_size=max(len(data) + 1, 1 << 20)
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.dictionary(pa.int32(), pa.string())),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    rows = table.num_rows
    if rows > limits.rows:
        return None
    columns: list[tuple[np.ndarray, pa.Array]] = []
    for column in table.columns:
        codes, texts = _codes_and_texts(column)
        # A cell's length counts before stripping, as the row-by-row reader counts it; bytes
        # are at least characters, so only a long text in bytes is counted in characters.
        # (A long blank cell past the last filled column declines too: rare.)
        long_bytes = _longest(texts, pc.binary_length) > limits.cell_chars
        if long_bytes and _longest(texts, pc.utf8_length) > limits.cell_chars:
            return None
        stripped = pc.dictionary_encode(pc.utf8_trim_whitespace(texts))
        columns.append((stripped.indices.to_numpy()[codes], stripped.dictionary))
    del table
    # Every text of a column occurs in it, so a column has a filled cell if one of its texts
    # is not empty.
    filled = [pc.not_equal(texts, "").to_numpy(zero_copy_only=False) for _, texts in columns]
    width = max((i + 1 for i, full in enumerate(filled) if full.any()), default=0)
    if width > limits.columns or width * rows > limits.cells:
        return None
    numbers = np.arange(1, rows + 1)
    if width:
        keep = functools.reduce(
            np.logical_or, (filled[i][codes] for i, (codes, _) in enumerate(columns[:width]))
        )
    else:  # only blank cells
        keep = np.zeros(rows, dtype=bool)
    if not keep.all():
        numbers = numbers[keep]
        columns = [(codes[keep], texts) for codes, texts in columns]
    return pd.DataFrame(
        {
            i: pd.Categorical.from_codes(
                codes, categories=pd.Index(pd.array(texts, dtype="str")), validate=False
            )
            for i, (codes, texts) in enumerate(columns[:width])
        },
        index=pd.Index(numbers),
        columns=pd.RangeIndex(width),
    )


def _codes_and_texts(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """A dictionary-encoded column as (the position of every cell's text, the texts)."""
    if column.num_chunks > 1:
        column = column.unify_dictionaries()
    codes = np.concatenate([chunk.indices.to_numpy() for chunk in column.chunks])
    return codes, column.chunk(0).dictionary


def _longest(texts: pa.Array, measure) -> int:
    return pc.max(measure(texts)).as_py() or 0
