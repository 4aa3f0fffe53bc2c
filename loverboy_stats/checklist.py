"""Checklist answers and completion scores (METHOD.md, "Checklist completion").

The frameworks themselves (themes, items) are :mod:`loverboy_stats.frameworks`.

Scores per item: ja 1, deels 0.5, nee 0, onbekend 0 (and counted as unknown), n.v.t. left out.
Theme completion = sum of scores ÷ applicable items in the theme; overall completion = sum of all
scores ÷ all applicable items, which is *not* the mean of the theme percentages (themes differ
in size). An item without an answer counts as "onbekend".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from loverboy_stats.frameworks import Framework, load_frameworks
from loverboy_stats.textsafe import check_name, check_note, shorten

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

# --------------------------------------------------------------------------------------------
# Answers and scores


@dataclass(frozen=True)
class ChecklistState:
    """One stored version of a checklist (version 0: nothing stored yet, all "onbekend").

    ``saved_at`` is UTC (None for version 0); ``answers`` has :data:`ANSWER_COLUMNS`.
    """

    area_code: str
    area_name: str
    framework_id: str
    version: int
    saved_at: dt.datetime | None
    saved_by: str
    restored_from: int | None
    answers: pd.DataFrame


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


def checked_texts(framework: Framework, answers: pd.DataFrame) -> pd.DataFrame:
    """``answers`` (normalised) with each toelichting and actiehouder checked and whitespace
    normalised, as they may be stored: raises :class:`loverboy_stats.textsafe.TextError` with a
    Dutch message naming the item (an actiehouder is a name; a toelichting free text of at most
    :data:`~loverboy_stats.textsafe.NOTE_MAX` characters)."""
    items = {item.id: item for item in framework.items}
    out = answers.copy()
    for column, check, what in (
        ("toelichting", check_note, "De toelichting"),
        ("actiehouder", check_name, "De actiehouder"),
    ):
        out[column] = [
            check(text, f"{what} bij '{shorten(items[item].text, 50)}'")
            for item, text in zip(out["item_id"], out[column], strict=True)
        ]
    return out


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


# --------------------------------------------------------------------------------------------
# Across municipalities (for the "Vergelijken" page)


def completion_matrix(framework: Framework, states: list[ChecklistState]) -> pd.DataFrame:
    """Completion per area and theme for the saved checklists ``states`` of ``framework``.

    One row per area (its latest version, as the store's ``latest_all`` returns them), columns:
    code, naam, one column per theme label (fraction 0-1, NaN when nothing in the theme
    applies), ``totaal`` (overall completion, sum of scores ÷ applicable items),
    ``aandeel_onbekend``, ``versie`` and ``opgeslagen`` (UTC). Sorted by name. Empty (same
    columns) when nobody filled in the checklist.
    """
    labels = [t.label for t in framework.themes]
    rows = []
    for state in states:
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


def completion_matrices(latest_all) -> dict[str, pd.DataFrame]:
    """:func:`completion_matrix` of every shipped framework; ``latest_all(framework_id)``
    returns the latest saved checklists (the store's ``checklists.latest_all``)."""
    return {
        framework_id: completion_matrix(framework, latest_all(framework_id))
        for framework_id, framework in load_frameworks().items()
    }
