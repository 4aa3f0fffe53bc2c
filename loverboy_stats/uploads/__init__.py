"""Uploaded tables of local figures: the format, reading, validating and the template.

* :mod:`~loverboy_stats.uploads.spec` - the columns, their spellings, the limits;
* :mod:`~loverboy_stats.uploads.cells` - bytes -> rows of text, within the limits;
* :mod:`~loverboy_stats.uploads.read` - bytes -> :class:`~loverboy_stats.uploads.read.RawTable`;
* :mod:`~loverboy_stats.uploads.validate` - RawTable ->
  :class:`~loverboy_stats.uploads.report.ValidationResult` (clean rows and every problem);
* :mod:`~loverboy_stats.uploads.template` - the format as a table and as a workbook.

The page, the store and the command line use this one parser, so a file accepted in one place is
accepted everywhere.
"""

from loverboy_stats.uploads.read import RawTable, list_sheets, read_file_bytes, read_table
from loverboy_stats.uploads.report import ValidationResult
from loverboy_stats.uploads.spec import (
    CLEAN_COLUMNS,
    COLUMN_SPECS,
    ERROR,
    TEXT_SUFFIXES,
    WARNING,
    XLSX_SUFFIXES,
    UploadError,
)
from loverboy_stats.uploads.template import (
    format_description,
    template_csv_bytes,
    template_frame,
    template_xlsx_bytes,
)
from loverboy_stats.uploads.validate import (
    describe_errors,
    parse_upload,
    read_source,
    validate_table,
)

__all__ = [
    "CLEAN_COLUMNS",
    "COLUMN_SPECS",
    "ERROR",
    "TEXT_SUFFIXES",
    "WARNING",
    "XLSX_SUFFIXES",
    "RawTable",
    "UploadError",
    "ValidationResult",
    "describe_errors",
    "format_description",
    "list_sheets",
    "parse_upload",
    "read_file_bytes",
    "read_source",
    "read_table",
    "template_csv_bytes",
    "template_frame",
    "template_xlsx_bytes",
    "validate_table",
]
