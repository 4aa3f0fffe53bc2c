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
    """The cells of ``data`` (a text file as UTF-8), stripped, as a frame of ``str`` columns
    labelled 0..n-1, indexed by the row number Excel shows (one per record, the first is 1),
    without the empty rows: exactly the frame :func:`loverboy_stats.uploads.read.read_table`
    makes of the rows of the row-by-row reader. Columns past the last one with a non-blank cell
    are left out, as that reader leaves out blank cells at the end of a row. None when this
    reader cannot vouch for that (see the module doc); then read the text row by row."""
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
            # a file of a few MB.
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                # pandas keeps text as large_string: read it so, not copied on the way.
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    rows = table.num_rows
    if rows > limits.rows:
        return None
    columns = table.columns
    del table
    for i, column in enumerate(columns):
        # A cell's length counts before stripping, as the row-by-row reader counts it; bytes
        # are at least characters, so only a column with a long cell in bytes is counted in
        # characters. (A long blank cell past the last filled column declines too: rare.)
        long_bytes = _longest(column, pc.binary_length) > limits.cell_chars
        if long_bytes and _longest(column, pc.utf8_length) > limits.cell_chars:
            return None
        columns[i] = pc.utf8_trim_whitespace(column)  # the raw column is let go at once
    filled = [pc.not_equal(column, "") for column in columns]
    width = max((i + 1 for i, full in enumerate(filled) if pc.any(full).as_py()), default=0)
    if width > limits.columns or width * rows > limits.cells:
        return None
    if width == 0:  # only blank cells
        return pd.DataFrame(index=pd.RangeIndex(1, 1), columns=pd.RangeIndex(0))
    table = pa.table(columns[:width], names=names[:width])
    del columns
    numbers = pa.array(np.arange(1, rows + 1))
    any_filled = functools.reduce(pc.or_, filled[:width])
    if not pc.all(any_filled).as_py():
        table, numbers = table.filter(any_filled), numbers.filter(any_filled)
    frame = table.to_pandas()
    frame.columns = pd.RangeIndex(width)
    frame.index = pd.Index(numbers.to_numpy())
    return frame


def _longest(column: pa.ChunkedArray, measure) -> int:
    return pc.max(measure(column)).as_py() or 0
