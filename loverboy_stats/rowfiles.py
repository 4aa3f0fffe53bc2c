"""Shipped CSV files of one model per row (pydantic), read with Dutch messages.

A wrong row stops the load with a message that names the file, the row as a spreadsheet shows
it (the header is row 1) and the problem in Dutch.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import ValidationError

_PYDANTIC_DUTCH = {
    "missing": "ontbreekt",
    "greater_than_equal": "mag niet negatief zijn",
    "string_pattern_mismatch": "heeft niet de verwachte vorm",
    "string_too_short": "is leeg",
    "too_short": "is leeg",
    "literal_error": "heeft geen toegestane waarde",
    "int_parsing": "is geen geheel getal",
    "float_parsing": "is geen getal",
    "extra_forbidden": "is een onbekende kolom",
    "less_than_equal": "is te groot",
}


class RowFileError(ValueError):
    """A data file that cannot be used; the message names file and row."""

    def __init__(self, file: str, row: int | None, message: str) -> None:
        self.file, self.row, self.problem = file, row, message
        where = f"{file}, rij {row}" if row is not None else file
        super().__init__(f"{where}: {message}")


def _dutch(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "rij"
        if item["type"] == "value_error":
            parts.append(
                f"{field}: {item['ctx']['error']!s}"
                if field != "rij"
                else str(item["ctx"]["error"])
            )
        else:
            parts.append(f"{field} {_PYDANTIC_DUTCH.get(item['type'], item['msg'])}")
    return "; ".join(parts)


def _read_rows(path: Path) -> list[dict[str, str | None]]:
    if not path.is_file():
        raise RowFileError(path.name, None, "bestand ontbreekt")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            if None in row:  # more cells than header columns
                raise RowFileError(path.name, reader.line_num, "meer cellen dan kolommen")
            # An empty cell means "not published": leave it out so the model's default applies
            # and a required field is reported as missing.
            rows.append({k: v for k, v in row.items() if v != ""})
        return rows


def read_models(path: Path, model: type, id_field: str) -> list:
    """Every row of ``path`` as ``model``; ``id_field`` must be unique and names a bad row."""
    items, seen = [], set()
    for number, row in enumerate(_read_rows(path), start=2):
        try:
            item = model.model_validate(row)
        except ValidationError as error:
            label = row.get(id_field) or "?"
            raise RowFileError(path.name, number, f"({label}) {_dutch(error)}") from None
        key = getattr(item, id_field)
        if key in seen:
            raise RowFileError(path.name, number, f"{id_field} '{key}' komt dubbel voor")
        seen.add(key)
        items.append(item)
    if not items:
        raise RowFileError(path.name, None, "bevat geen rijen")
    return items
