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

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from loverboy_stats.uploads.cells import HEAD_CHARS
from loverboy_stats.uploads.spec import Limits

#: Arrow makes a column for every field of the first line. Empty cells at the end of a row do
#: not count towards the column bound, so a first line may have more fields than that, but
#: not this many times more: a line of two million separators is left to the row-by-row reader.
FIRST_LINE_SLACK = 4


def plain_encoding(content: bytes) -> str | None:
    """The encoding :func:`~loverboy_stats.uploads.cells.decode_text` would read ``content``
    in when it is plain text without a byte-order mark: "utf-8" when all of it is valid UTF-8,
    else "cp1252". None for anything else (a byte-order mark, UTF-16, a NUL, a zip): such
    content is decoded whole.

    UTF-8 is checked by Arrow on the bytes as they are (no decoded copy of a large file)."""
    special = content.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"))
    if special or b"\x00" in content:
        return None
    offsets = pa.py_buffer(np.array([0, len(content)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(content)])
    try:
        whole.validate(full=True)
    except pa.ArrowInvalid:
        return "cp1252"
    return "utf-8"


def head_text(content: bytes, encoding: str) -> str:
    """The first :data:`HEAD_CHARS` characters of ``content`` in ``encoding`` (from
    :func:`plain_encoding`), decoded from no more bytes than they can take: the same text as
    ``decode_text(content)[:HEAD_CHARS]``."""
    if encoding == "cp1252":  # one byte per character
        return content[:HEAD_CHARS].decode("cp1252", errors="replace")
    # At most four bytes per character; a character cut in two at the end is dropped.
    return content[: 4 * HEAD_CHARS + 4].decode("utf-8", errors="ignore")[:HEAD_CHARS]


#: Bytes Arrow parses at a time: a large file is never held twice, parsed (cells, offsets) and
#: as it came; the parsed blocks' dictionaries are unified afterwards.
BLOCK_BYTES = 1 << 20


def _first_line_fields(data: bytes, delimiter: str, limits: Limits, encoding: str) -> int | None:
    """Fields in the first line as Python's csv module splits it, or None when the line has
    far more separators than the column bound allows."""
    ends = [position for position in (data.find(b"\n"), data.find(b"\r")) if position >= 0]
    line = data[: min(ends)] if ends else data
    if line.count(delimiter.encode()) >= FIRST_LINE_SLACK * limits.columns:
        return None
    text = line.decode(encoding, errors="replace")
    return len(next(csv.reader([text], delimiter=delimiter), []))


def csv_frame(
    data: bytes, delimiter: str, limits: Limits, encoding: str = "utf-8"
) -> pd.DataFrame | None:
    """The cells of ``data`` (a text file in ``encoding``: "utf-8", valid throughout, or
    "cp1252"; see :func:`plain_encoding`), stripped, as a frame of
    categorical text
    columns labelled 0..n-1, indexed by the row number Excel shows (one per record, the first
    is 1), without the empty rows: exactly the frame
    :func:`loverboy_stats.uploads.read.read_table` makes of the rows of the row-by-row reader.
    Columns past the last one with a non-blank cell are left out, as that reader leaves out
    blank cells at the end of a row. None when this reader cannot vouch for that (see the
    module doc); then read the text row by row.

    Arrow dictionary-encodes every column while parsing, so each distinct text is held, stripped
    and measured once, and a row is a few integers. Arrow reads ``data`` as it is, without a
    decoded copy: every separator, quote and line end is one ASCII byte in both encodings, and
    no byte of a multi-byte character is ASCII, so the cells are the same as in the decoded
    text; only each column's distinct texts are decoded."""
    if not data or b"\x00" in data or data.startswith(b"\xef\xbb\xbf"):
        return None
    fields = _first_line_fields(data, delimiter, limits, encoding)
    if not fields:
        return None
    names = [str(i) for i in range(fields)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),  # the bytes themselves, not a copy
            # One thread: on a shared server the pool's hand-offs cost more than they gain for
            # a file of a few MB.
            read_options=pacsv.ReadOptions(
                column_names=names, use_threads=False, block_size=BLOCK_BYTES
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
                column_types=dict.fromkeys(names, pa.dictionary(pa.int32(), pa.binary())),
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
    for _ in names:
        # Column by column, each let go once read: never the whole table twice.
        codes, texts = _codes_and_texts(table.column(0), encoding)
        table = table.remove_column(0)
        # A cell's length counts before stripping, as the row-by-row reader counts it; bytes
        # are at least characters, so only a long text in bytes is counted in characters.
        # (A long blank cell past the last filled column declines too: rare.)
        long_bytes = _longest(texts, pc.binary_length) > limits.cell_chars
        if long_bytes and _longest(texts, pc.utf8_length) > limits.cell_chars:
            return None
        stripped = pc.dictionary_encode(pc.utf8_trim_whitespace(texts))
        kind = _code_type(len(stripped.dictionary))
        if len(stripped.dictionary) == len(texts):
            # No two texts became one by stripping: the positions stay (no gather of the rows).
            columns.append((codes.astype(kind), stripped.dictionary))
            continue
        positions = stripped.indices.to_numpy().astype(kind)
        columns.append((positions[codes], stripped.dictionary))
    del table
    # Arrow's allocator keeps what the parse used for its next one; give it back, so the
    # validation that follows can use it (a million rows: some 30 MB).
    pa.default_memory_pool().release_unused()
    # Every text of a column occurs in it, so a column has a filled cell if one of its texts
    # is not empty.
    filled = [pc.not_equal(texts, "").to_numpy(zero_copy_only=False) for _, texts in columns]
    width = max((i + 1 for i, full in enumerate(filled) if full.any()), default=0)
    if width > limits.columns or width * rows > limits.cells:
        return None
    numbers = pd.RangeIndex(1, rows + 1)
    keep = np.ones(rows, dtype=bool) if width else np.zeros(rows, dtype=bool)
    if width:
        # The empty rows: those with an empty first cell, of them those with an empty second
        # cell, and so on (most rows drop out at the first column).
        empty = np.flatnonzero(~filled[0][columns[0][0]])
        for full, (codes, _) in zip(filled[1:width], columns[1:width], strict=True):
            empty = empty[~full[codes[empty]]]
        keep[empty] = False
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
        index=numbers,
        columns=pd.RangeIndex(width),
    )


def _codes_and_texts(column: pa.ChunkedArray, encoding: str) -> tuple[np.ndarray, pa.Array]:
    """A dictionary-encoded column of bytes as (the position of every cell's text, the texts
    decoded from ``encoding``)."""
    if column.num_chunks > 1:
        column = column.unify_dictionaries()
    if column.num_chunks:
        codes = np.concatenate([chunk.indices.to_numpy() for chunk in column.chunks])
        texts = column.chunk(0).dictionary
    else:
        codes, texts = np.zeros(0, dtype=np.int32), pa.array([], pa.binary())
    if encoding == "utf-8":  # valid throughout (checked before), so each text is too
        return codes, texts.cast(pa.string())
    return codes, _from_cp1252(texts)


#: UTF-8 bytes of each Windows-1252 byte (five undefined bytes become U+FFFD, as
#: ``bytes.decode("cp1252", errors="replace")`` makes them).
_CP1252_WIDTHS = np.array(
    [len(bytes([byte]).decode("cp1252", errors="replace").encode()) for byte in range(256)]
)


def _from_cp1252(texts: pa.Array) -> pa.Array:
    """Binary texts in Windows-1252 as UTF-8 strings, all decoded at once: one byte is one
    character, so each text's place in the decoded whole follows from the bytes before it."""
    texts = texts.cast(pa.large_binary())
    start = texts.offset
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[start : start + len(texts) + 1]
    data = texts.buffers()[2]
    raw = b"" if data is None else data.to_pybytes()[offsets[0] : offsets[-1]]
    decoded = raw.decode("cp1252", errors="replace").encode("utf-8")
    ends = np.concatenate([[0], np.cumsum(_CP1252_WIDTHS[np.frombuffer(raw, dtype=np.uint8)])])
    starts = pa.py_buffer(ends[offsets - offsets[0]].astype(np.int64))
    return pa.Array.from_buffers(
        pa.large_string(), len(texts), [None, starts, pa.py_buffer(decoded)]
    ).cast(pa.string())


def _code_type(categories: int) -> type:
    """The integer type pandas keeps the codes of this many categories in (no copy then)."""
    for kind in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(kind).max:
            return kind
    return np.int64


def _longest(texts: pa.Array, measure) -> int:
    return pc.max(measure(texts)).as_py() or 0
