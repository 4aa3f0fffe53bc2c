"""Checklist frameworks: the files in ``data/checklists`` as validated models.

A framework is one JSON file: its themes and items, each item with an id, theme, text, short
explanation and source URL, written in the project's own words. Adding a framework is adding a
file; a broken file raises :class:`ChecklistFileError` with a Dutch message that names the file
and the item.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from loverboy_stats.settings import SHIPPED_DATA_DIR

CHECKLIST_DIR = SHIPPED_DATA_DIR / "checklists"
DEFAULT_FRAMEWORK = "nji_loverboy"

_ID = r"^[a-z0-9_]+$"
_URL = r"^https?://\S+$"


class ChecklistFileError(ValueError):
    """A checklist file cannot be used. ``message`` is Dutch and names the file and item."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChecklistTheme(BaseModel):
    """A theme of a framework."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID, description="Stable id, used by items.")
    label: str = Field(min_length=1, description="Dutch name shown to users.")


class ChecklistItem(BaseModel):
    """One point a municipality can tick off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID, description="Stable id; answers are stored under it.")
    theme: str = Field(pattern=_ID, description="Id of the theme it belongs to.")
    text: str = Field(min_length=5, description="What the municipality has or does (Dutch).")
    explanation: str = Field(min_length=5, description="Short explanation why it matters.")
    source: str = Field(pattern=_URL, description="URL of the source the item is based on.")
    plateau: Literal["basis", "verdieping"] | None = Field(
        default=None, description="VNG plateau, for frameworks that have plateaus."
    )


class Framework(BaseModel):
    """A checklist framework: themes and items, with where it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID, description="Stable id; equals the file name without .json.")
    title: str = Field(min_length=1, description="Full title of the framework.")
    short_title: str = Field(min_length=1, description="Short title for menus and charts.")
    publisher: str = Field(min_length=1, description="Who published the framework.")
    year: int | None = Field(default=None, ge=2000, le=2100, description="Year, when known.")
    note: str = Field(min_length=1, description="How the items were written (own words etc.).")
    sources: list[str] = Field(min_length=1, description="URLs of the sources.")
    themes: list[ChecklistTheme] = Field(min_length=1, description="Themes, in display order.")
    items: list[ChecklistItem] = Field(min_length=1, description="Items, in display order.")

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        theme_ids = [t.id for t in self.themes]
        if len(set(theme_ids)) != len(theme_ids):
            raise ValueError("thema-id's zijn niet uniek")
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"item '{item.id}': id komt meer dan eens voor")
            seen.add(item.id)
            if item.theme not in theme_ids:
                raise ValueError(
                    f"item '{item.id}': onbekend thema '{item.theme}' "
                    f"(bekend: {', '.join(theme_ids)})"
                )
        empty = [t.id for t in self.themes if not any(i.theme == t.id for i in self.items)]
        if empty:
            raise ValueError(f"thema('s) zonder items: {', '.join(empty)}")
        return self

    def theme_label(self, theme_id: str) -> str:
        """Dutch label of a theme id."""
        return next(t.label for t in self.themes if t.id == theme_id)

    def items_frame(self) -> pd.DataFrame:
        """Items as a table: item_id, thema (id), thema_label, tekst, uitleg, bron, plateau."""
        labels = {t.id: t.label for t in self.themes}
        return pd.DataFrame(
            {
                "item_id": [i.id for i in self.items],
                "thema": [i.theme for i in self.items],
                "thema_label": [labels[i.theme] for i in self.items],
                "tekst": [i.text for i in self.items],
                "uitleg": [i.explanation for i in self.items],
                "bron": [i.source for i in self.items],
                "plateau": [i.plateau or "" for i in self.items],
            }
        )


# --------------------------------------------------------------------------------------------
# Loading


def _where_in_file(raw: object, loc: tuple) -> str:
    """'item 'x' (nr. 3), veld 'text'' for a pydantic error location, using the raw data."""
    parts: list[str] = []
    if len(loc) >= 2 and loc[0] in ("items", "themes") and isinstance(loc[1], int):
        kind = "item" if loc[0] == "items" else "thema"
        entries = raw.get(loc[0]) if isinstance(raw, dict) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        ident = entry.get("id") if isinstance(entry, dict) else None
        label = f"{kind} '{ident}'" if ident else kind
        parts.append(f"{label} (nr. {loc[1] + 1})")
        loc = loc[2:]
    if loc:
        parts.append(f"veld '{'.'.join(str(p) for p in loc)}'")
    return ", ".join(parts)


def read_framework(path: Path | str) -> Framework:
    """Read and validate one framework file (uncached; tests feed broken copies).

    Raises :class:`ChecklistFileError` naming the file, the item (id and position) and field.
    """
    path = Path(path)
    where = f"Checklistbestand {path.name}"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChecklistFileError(f"{where} kan niet worden gelezen: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ChecklistFileError(f"{where} is geen geldige JSON: {exc}") from exc
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            spot = _where_in_file(raw, tuple(error["loc"]))
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{spot}: {message}" if spot else message)
        raise ChecklistFileError(f"{where}: " + "; ".join(problems)) from exc
    if framework.id != path.stem:
        raise ChecklistFileError(
            f"{where}: id '{framework.id}' moet gelijk zijn aan de bestandsnaam ('{path.stem}')"
        )
    return framework


def read_frameworks(folder: Path | str) -> dict[str, Framework]:
    """Every ``*.json`` framework in ``folder`` by id, in file-name order (uncached)."""
    return {f.id: f for f in (read_framework(p) for p in sorted(Path(folder).glob("*.json")))}


@lru_cache(maxsize=1)
def load_frameworks() -> dict[str, Framework]:
    """The shipped frameworks (validated once per process), NJi first."""
    found = read_frameworks(CHECKLIST_DIR)
    order = sorted(found, key=lambda k: (k != DEFAULT_FRAMEWORK, k))
    return {k: found[k] for k in order}


def get_framework(framework_id: str) -> Framework:
    """A shipped framework by id; :class:`ChecklistFileError` when there is none."""
    frameworks = load_frameworks()
    if framework_id not in frameworks:
        raise ChecklistFileError(
            f"Checklist '{framework_id}' bestaat niet; kies uit {', '.join(frameworks)}."
        )
    return frameworks[framework_id]
