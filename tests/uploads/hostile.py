"""Hostile upload files, made on the fly (no large blobs in the repository).

Each is small or quick to make and was, before the reader was bounded, enough to take the
server down: an XLSX that claims or reaches a far corner of the sheet, a line of millions of
separators, hundreds of thousands of columns or rows, a cell of megabytes. The sheets are
written as raw SpreadsheetML, so a file can say exactly what an attacker's file would say.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(reference: str, value: object) -> str:
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, cells: Iterable[tuple[str, object]]) -> str:
    return f'<row r="{number}">' + "".join(_cell(f"{c}{number}", v) for c, v in cells) + "</row>"


def xlsx(rows: Iterable[str], *, dimension: str | None = None, sheet: str = "Blad1") -> bytes:
    """A workbook with one sheet whose ``<sheetData>`` is ``rows`` (``<row>`` elements)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(name=sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            chunk: list[str] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 10_000:
                    part.write("".join(chunk).encode())
                    chunk.clear()
            part.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return buffer.getvalue()


HEADER = [("A", "gemeente"), ("B", "jaar"), ("C", "gesignaleerd")]
VALID_ROW = [("A", "Amsterdam"), ("B", 2023), ("C", 4)]


def only_cell_far_away() -> bytes:
    """~1.5 kB: the only data cell is XFD1048576, the last cell a sheet can have."""
    return xlsx([_row(1_048_576, [("XFD", "x")])], dimension="XFD1048576")


def claims_whole_sheet() -> bytes:
    """~1.6 kB: a valid two-row table, but ``<dimension>`` claims A1:XFD1048576."""
    return xlsx([_row(1, HEADER), _row(2, VALID_ROW)], dimension="A1:XFD1048576")


def far_column_on_every_row(rows: int = 3_000) -> bytes:
    """A table of ``rows`` rows under its header, every row with a cell in column XFD too (the
    years repeat after 25 rows)."""
    body = [_row(1, [*HEADER, ("XFD", "x")])]
    body += [
        _row(n, [*VALID_ROW[:1], ("B", 2000 + n % 25), ("C", n), ("XFD", n)])
        for n in range(2, rows + 2)
    ]
    return xlsx(body)


def million_rows() -> bytes:
    """~4-5 MB: a header and 1,048,575 numbered rows, under the size and zip-ratio guards."""
    rows = (f'<row r="{n}"><c><v>1</v></c></row>' for n in range(2, 1_048_576))
    return xlsx(itertools.chain([_row(1, HEADER)], rows))


def csv_separator_line(separators: int = 2_000_000) -> bytes:
    """~2 MB: a valid header, then one line of two million separators ending in a value."""
    return b"gemeente;jaar;gesignaleerd\r\nAmsterdam" + b";" * separators + b"x\r\n"


def csv_wide(columns: int = 200_000) -> bytes:
    """~1.4 MB: a header of 200,000 columns."""
    header = "gemeente;jaar;gesignaleerd;" + ";".join(f"k{i}" for i in range(columns))
    return (header + "\r\nAmsterdam;2023;4\r\n").encode()


def csv_rows(rows: int = 400_000) -> bytes:
    """~4.8 MB of short rows: about as many as the size limit alone let through."""
    return b"gemeente;jaar;gesignaleerd\r\n" + b"Ede;2023;4\r\n" * rows


def csv_long_name(length: int = 4_900_000) -> bytes:
    """A valid code next to a 'name' of 4.9 million A's."""
    return b"gemeentecode;gemeente;jaar;gesignaleerd\r\nGM0363;" + b"A" * length + b";2023;4\r\n"
