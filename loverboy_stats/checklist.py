"""Checklist frameworks (data/checklists) and completion scores (METHOD.md, "Checklist completion").

A framework is one JSON file in ``data/checklists``: its themes and items, each item with an id,
theme, text, short explanation and source URL. Adding a framework is adding a file; a broken file
raises :class:`ChecklistFileError` with a Dutch message that names the file and the item.

Scores per item: ja 1, deels 0.5, nee 0, onbekend 0 (and counted as unknown), n.v.t. left out.
Theme completion = sum of scores ÷ applicable items in the theme; overall completion = sum of all
scores ÷ all applicable items, which is *not* the mean of the theme percentages (themes differ
in size). An item without an answer counts as "onbekend".
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from loverboy_stats.export import neutralise_frame
from loverboy_stats.settings import SHIPPED_DATA_DIR

if TYPE_CHECKING:
    from loverboy_stats.store import Store

CHECKLIST_DIR = SHIPPED_DATA_DIR / "checklists"
DEFAULT_FRAMEWORK = "nji_loverboy"

#: Status -> score; None means "not applicable" (left out of numerator and denominator).
STATUS_SCORES: dict[str, float | None] = {
    "ja": 1.0,
    "deels": 0.5,
    "nee": 0.0,
    "onbekend": 0.0,
    "n.v.t.": None,
}
STATUSES = tuple(STATUS_SCORES)
UNKNOWN = "onbekend"
NOT_APPLICABLE = "n.v.t."
#: Statuses of an item that still needs work (an open action point when someone owns it).
OPEN_STATUSES = ("nee", "deels", "onbekend")

#: Columns of an answers table: one row per item. ``streefdatum`` holds datetime.date or None;
#: text columns hold "" when empty.
ANSWER_COLUMNS = ["item_id", "status", "toelichting", "actiehouder", "streefdatum"]

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


# --------------------------------------------------------------------------------------------
# Answers and scores


def empty_answers(framework: Framework) -> pd.DataFrame:
    """An answers table (:data:`ANSWER_COLUMNS`) with every item "onbekend" and no text."""
    return pd.DataFrame(
        {
            "item_id": [i.id for i in framework.items],
            "status": UNKNOWN,
            "toelichting": "",
            "actiehouder": "",
            "streefdatum": None,
        },
        columns=ANSWER_COLUMNS,
    ).astype({"streefdatum": object})


def normalise_answers(framework: Framework, answers: pd.DataFrame | None) -> pd.DataFrame:
    """Answers aligned on the framework's items (in its order); missing items are "onbekend".

    Answers for items the framework no longer has are dropped. Raises ValueError (Dutch) for an
    unknown status.
    """
    base = empty_answers(framework).set_index("item_id")
    if answers is not None and len(answers):
        given = answers.drop_duplicates("item_id", keep="last").set_index("item_id")
        given = given[given.index.isin(base.index)]
        bad = sorted(set(given["status"]) - set(STATUSES)) if "status" in given else []
        if bad:
            raise ValueError(f"Onbekende status '{bad[0]}'; kies uit {', '.join(STATUSES)}.")
        for column in ANSWER_COLUMNS[1:]:
            if column in given.columns:
                values = given[column]
                if column in ("toelichting", "actiehouder"):
                    values = values.fillna("").astype(str).str.strip()
                elif column == "streefdatum":
                    values = values.map(_as_date)
                base.loc[given.index, column] = values
    return base.reset_index()[ANSWER_COLUMNS]


def _as_date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class Completion:
    """Completion of one checklist.

    ``themes`` has one row per theme: thema, thema_label, items, van_toepassing (applicable
    items), score (sum of scores), voltooiing (fraction 0-1, NaN when nothing applies), onbekend
    (items still "onbekend"), aandeel_onbekend (onbekend ÷ van_toepassing). The overall values
    are over all items together.
    """

    themes: pd.DataFrame
    score: float
    applicable: int
    unknown: int
    items: int

    @property
    def overall(self) -> float:
        """Sum of scores ÷ applicable items (fraction); NaN when no item applies."""
        return self.score / self.applicable if self.applicable else float("nan")

    @property
    def unknown_share(self) -> float:
        """Share of applicable items still "onbekend" (fraction); NaN when none applies."""
        return self.unknown / self.applicable if self.applicable else float("nan")


def completion(framework: Framework, answers: pd.DataFrame | None) -> Completion:
    """Theme and overall completion of ``answers`` (see the module docstring for the rules)."""
    table = framework.items_frame().merge(
        normalise_answers(framework, answers), on="item_id", how="left"
    )
    scores = table["status"].map(STATUS_SCORES)
    table["van_toepassing"] = table["status"] != NOT_APPLICABLE
    table["score"] = pd.to_numeric(scores, errors="coerce").fillna(0.0)
    table["onbekend"] = table["status"] == UNKNOWN
    rows = []
    for theme in framework.themes:
        part = table[table["thema"] == theme.id]
        applicable = int(part["van_toepassing"].sum())
        score = float(part["score"].sum())
        unknown = int(part["onbekend"].sum())
        rows.append(
            {
                "thema": theme.id,
                "thema_label": theme.label,
                "items": len(part),
                "van_toepassing": applicable,
                "score": score,
                "voltooiing": score / applicable if applicable else float("nan"),
                "onbekend": unknown,
                "aandeel_onbekend": unknown / applicable if applicable else float("nan"),
            }
        )
    return Completion(
        themes=pd.DataFrame(rows),
        score=float(table["score"].sum()),
        applicable=int(table["van_toepassing"].sum()),
        unknown=int(table["onbekend"].sum()),
        items=len(table),
    )


def open_actions(framework: Framework, answers: pd.DataFrame | None) -> pd.DataFrame:
    """Open action points: items not yet done (nee, deels, onbekend) that have an owner or a
    target date, soonest date first (no date last).

    Columns: thema, punt, status, actiehouder, streefdatum (date or None), toelichting.
    """
    table = framework.items_frame().merge(
        normalise_answers(framework, answers), on="item_id", how="left"
    )
    owned = (table["actiehouder"] != "") | table["streefdatum"].notna()
    table = table[table["status"].isin(OPEN_STATUSES) & owned].copy()
    table["_order"] = table["streefdatum"].map(lambda d: d or dt.date.max)
    table = table.sort_values(["_order", "item_id"], kind="stable")
    table = table.drop(columns="thema").rename(columns={"thema_label": "thema", "tekst": "punt"})
    return table[
        ["thema", "punt", "status", "actiehouder", "streefdatum", "toelichting"]
    ].reset_index(drop=True)


def export_frame(framework: Framework, answers: pd.DataFrame | None) -> pd.DataFrame:
    """The filled-in checklist as a table to download (Dutch column names; one row per item).

    ``streefdatum`` as ISO text (JJJJ-MM-DD) or empty.
    """
    table = framework.items_frame().merge(
        normalise_answers(framework, answers), on="item_id", how="left"
    )
    return pd.DataFrame(
        {
            "checklist": framework.short_title,
            "thema": table["thema_label"],
            "item": table["item_id"],
            "punt": table["tekst"],
            "status": table["status"],
            "score": table["status"].map(STATUS_SCORES).astype(object),
            "toelichting": table["toelichting"],
            "actiehouder": table["actiehouder"],
            "streefdatum": table["streefdatum"].map(lambda d: d.isoformat() if d else ""),
            "bron": table["bron"],
        }
    )


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "checklist") -> bytes:
    """XLSX bytes of ``frame`` with the same formula neutralisation as the CSV downloads.

    openpyxl would store a text starting with "=" as a formula; neutralised text is written as
    text, so a toelichting such as "=HYPERLINK(...)" cannot run.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_frame(frame).to_excel(writer, index=False, sheet_name=sheet)
        columns = writer.sheets[sheet].column_dimensions
        for index, name in enumerate(frame.columns):
            width = 60 if name in ("punt", "toelichting") else 18
            columns[writer.sheets[sheet].cell(1, index + 1).column_letter].width = width
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Across municipalities (for the "Vergelijken" page)


def completion_matrix(store: Store, framework_id: str) -> pd.DataFrame:
    """Completion per area and theme for every area with a saved checklist of ``framework_id``.

    One row per area (latest version), columns: code, naam, one column per theme label
    (fraction 0-1, NaN when nothing in the theme applies), ``totaal`` (overall completion, sum
    of scores ÷ applicable items), ``aandeel_onbekend``, ``versie`` and ``opgeslagen`` (UTC).
    Sorted by name. Empty (same columns) when nobody filled in the checklist.
    """
    from loverboy_stats.checklist_store import ChecklistStore

    framework = get_framework(framework_id)
    labels = [t.label for t in framework.themes]
    rows = []
    for state in ChecklistStore(store).latest_all(framework_id):
        done = completion(framework, state.answers)
        per_theme = done.themes.set_index("thema_label")["voltooiing"]
        rows.append(
            {
                "code": state.area_code,
                "naam": state.area_name,
                **{label: per_theme[label] for label in labels},
                "totaal": done.overall,
                "aandeel_onbekend": done.unknown_share,
                "versie": state.version,
                "opgeslagen": state.saved_at,
            }
        )
    columns = ["code", "naam", *labels, "totaal", "aandeel_onbekend", "versie", "opgeslagen"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("naam", kind="stable").reset_index(drop=True)
