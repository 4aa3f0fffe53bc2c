"""The upload template: the format as a table, a CSV example row and an XLSX workbook."""

from __future__ import annotations

import io

import pandas as pd

from loverboy_stats.uploads.spec import COLUMN_SPECS


def format_description() -> pd.DataFrame:
    """The upload format as a table for the page and the template (Dutch column names)."""
    return pd.DataFrame(
        {
            "kolom": [spec.name for spec in COLUMN_SPECS],
            "verplicht": [spec.required for spec in COLUMN_SPECS],
            "uitleg": [spec.explanation for spec in COLUMN_SPECS],
            "voorbeeld": [spec.example for spec in COLUMN_SPECS],
            "ook herkend": [", ".join(spec.aliases[1:]) for spec in COLUMN_SPECS],
        }
    )


def template_frame() -> pd.DataFrame:
    """One example row in the upload format."""
    return pd.DataFrame([{spec.name: spec.example for spec in COLUMN_SPECS}])


def template_xlsx_bytes() -> bytes:
    """An XLSX template: sheet 'Cijfers' with the header and an example row, sheet 'Uitleg'."""
    import openpyxl

    workbook = openpyxl.Workbook()
    data_sheet = workbook.active
    data_sheet.title = "Cijfers"
    template = template_frame()
    data_sheet.append(list(template.columns))
    data_sheet.append(
        [
            int(value.replace(".", "")) if value.replace(".", "").isdigit() else value
            for value in template.iloc[0]
        ]
    )
    explanation = workbook.create_sheet("Uitleg")
    description = format_description()
    explanation.append(list(description.columns))
    for row in description.itertuples(index=False):
        explanation.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
