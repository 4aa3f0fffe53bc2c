"""What the server sent a browser: every websocket frame decoded into the values it carries.

Streamlit's websocket frames are ``ForwardMsg`` protocol buffers (Streamlit's own message
format, as its frontend reads them). :func:`values_in` walks every field of every frame and
yields the values a user's browser received: texts (and, where a text is JSON, such as a plotly
figure, the values inside it), numbers, and every cell of an Arrow table (``st.dataframe``).
Tests look for values that must never arrive, such as a count that publication mode hides.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

import pyarrow as pa
from google.protobuf.descriptor import FieldDescriptor
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def values_in(frames: Iterable[bytes | str]) -> Iterator[object]:
    """Every value in the binary frames (text frames are not Streamlit's)."""
    for frame in frames:
        if isinstance(frame, bytes | bytearray):
            yield from _message(ForwardMsg.FromString(bytes(frame)))


def _message(message) -> Iterator[object]:
    for field, value in message.ListFields():
        if field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
            items = [value[key] for key in value]  # a map: its values
        elif field.is_repeated:
            items = list(value)
        else:
            items = [value]
        for item in items:
            yield from _value(item)


def _value(item) -> Iterator[object]:
    if hasattr(item, "ListFields"):
        yield from _message(item)
    elif isinstance(item, str):
        yield from _text(item)
    elif isinstance(item, bytes):
        yield from _bytes(item)
    else:
        yield item


def _text(text: str) -> Iterator[object]:
    yield text
    if text[:1] not in ("[", "{"):
        return
    try:
        parsed = json.loads(text)
    except ValueError:
        return
    yield from _json(parsed)


#: Plotly layout keys that hold only styling (margins, font sizes, sizes in pixels); their
#: numbers say nothing about the data and would only blur a search for data values.
STYLE_KEYS = {"margin", "font", "tickfont", "height", "width", "pad", "borderwidth", "size",
              "tickangle", "opacity", "standoff", "xgap", "ygap"}  # fmt: skip


def _json(value) -> Iterator[object]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in STYLE_KEYS:
                yield from _json(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json(item)
    else:
        yield value


def _bytes(data: bytes) -> Iterator[object]:
    try:
        table = pa.ipc.open_stream(data).read_all()
    except (pa.ArrowInvalid, OSError):
        return
    for column in table.columns:
        yield from column.to_pylist()


def file_values(content: bytes) -> Iterator[object]:
    """Every cell of a download: an Excel workbook, an HTML page (the text of each element) or
    a CSV file (Dutch semicolons or commas, BOM or not)."""
    if content[:2] == b"PK":
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield from row
        return
    text = content.decode("utf-8-sig")
    if text.lstrip()[:1] == "<":
        yield from (cell.strip() for cell in re.findall(r">([^<]*)<", text))
        return
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield from row


def equals_any(value: object, numbers: set[int]) -> bool:
    """Whether ``value`` is one of ``numbers``, as a number or as a text showing only it."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value in numbers
    if isinstance(value, str):
        text = value.strip()
        return text.isdigit() and int(text) in numbers
    return False


def media_urls(values: Iterable[object]) -> set[str]:
    """The download and media addresses the browser was given."""
    return {v for v in values if isinstance(v, str) and v.startswith("/media/")}
