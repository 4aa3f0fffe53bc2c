"""The upload template: the format as a table, a CSV example row and an XLSX workbook.

The template files depend on nothing but the format, so each is made once per process: the
page 'Eigen cijfers' offers both on every rerun, and writing the workbook alone took most of
that rerun.
"""

from __future__ import annotations

from functools import cache

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


@cache
def template_csv_bytes() -> bytes:
    """The CSV template (Dutch separators): the header and :func:`template_frame`'s row."""
    from loverboy_stats.export import to_csv_bytes

    return to_csv_bytes(template_frame(), dutch=True)


@cache
def template_xlsx_bytes() -> bytes:
    """An XLSX template: sheet 'Cijfers' with the header and an example row, sheet 'Uitleg'."""
    from loverboy_stats.export import to_xlsx_bytes

    # Numbers as numbers ("14.210" is written 14210), so Excel shows them as the user will.
    example = template_frame().map(
        lambda value: int(value.replace(".", "")) if value.replace(".", "").isdigit() else value
    )
    return to_xlsx_bytes(
        {"Cijfers": example, "Uitleg": format_description()},
        widths={"uitleg": 80, "ook herkend": 40},
    )
