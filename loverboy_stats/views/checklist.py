"""View model of the checklist panel: completion per theme, open actions and versions."""

from __future__ import annotations

import pandas as pd

from loverboy_stats.charts.checklist import framework_source
from loverboy_stats.checklist import ChecklistState, Completion, normalise_answers
from loverboy_stats.formatting import format_local_time, format_percent, is_missing
from loverboy_stats.frameworks import Framework
from loverboy_stats.textsafe import shorten


def theme_rows(done: Completion) -> list[tuple[str, float, str]]:
    """(theme label, fraction for a progress bar (0 when nothing applies), text) per theme."""
    out = []
    themes = done.themes  # the four columns zipped: itertuples() cost more than the rest
    columns = ("thema_label", "van_toepassing", "voltooiing", "onbekend")
    for label, applicable, share, unknown in zip(*(themes[c] for c in columns), strict=True):
        points = "punt" if applicable == 1 else "punten"
        text = (
            f"{format_percent(share)} van {applicable} {points}"
            if applicable
            else "niet van toepassing"
        )
        if unknown:
            text += f", {unknown} onbekend"
        fraction = 0.0 if is_missing(share) else float(share)
        out.append((label, fraction, text))
    return out


def completion_summary(done: Completion) -> list[tuple[str, str, str]]:
    """Key figures of the checklist: (label, value, help)."""
    return [
        ("Voltooid", format_percent(done.overall),
         "Som van de scores (ja 1, deels ½, nee en onbekend 0) ÷ alle punten die van "
         "toepassing zijn; n.v.t. telt niet mee."),
        ("Nog onbekend", format_percent(done.unknown_share),
         f"{done.unknown} van {done.applicable} punten die van toepassing zijn."),
    ]  # fmt: skip


def actions_display(actions: pd.DataFrame) -> pd.DataFrame:
    """Open action points with the target date as dd-mm-jjjj."""
    out = actions.copy()
    out["streefdatum"] = out["streefdatum"].map(lambda d: d.strftime("%d-%m-%Y") if d else "")
    return out


def history_display(
    history: pd.DataFrame,
    answers: dict[int, pd.DataFrame] | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """Versions with Dutch columns: versie, opgeslagen (Dutch local time), door, opmerking,
    and with ``answers`` (see ``ChecklistRepository.all_answers``) what each version changed
    compared with the one before it."""
    out = pd.DataFrame(
        {
            "versie": history["versie"],
            "opgeslagen": [format_local_time(t, seconds=True) for t in history["opgeslagen"]],
            "door": history["door"],
            "opmerking": [
                "" if is_missing(v) else f"hersteld van versie {int(v)}"
                for v in history["hersteld_van"]
            ],
        }
    )
    if answers is not None and framework is not None:
        out["wijzigingen"] = [
            version_changes(framework, answers.get(v - 1), answers.get(v))
            for v in history["versie"]
        ]
    return out


#: The answer fields a version can change, with their Dutch names.
_FIELDS = {"status": "status", "actiehouder": "actiehouder", "streefdatum": "streefdatum",
           "toelichting": "toelichting"}  # fmt: skip


def _shown(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "leeg"
    if value == "":
        return "leeg"
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return f"'{shorten(str(value), 40)}'"


def version_changes(
    framework: Framework, before: pd.DataFrame | None, after: pd.DataFrame | None
) -> str:
    """What changed from ``before`` to ``after`` (answers of two versions), in Dutch: per
    changed point its short text and each field 'oud → nieuw'; "geen wijzigingen" when
    nothing changed (a save without edits)."""
    if before is None or after is None:
        return ""
    old, new = before.set_index("item_id"), after.set_index("item_id")
    texts = {item.id: shorten(item.text, 40) for item in framework.items}
    lines = []
    for item_id in new.index:
        changed = [
            f"{name} {_shown(old.at[item_id, field])} → {_shown(new.at[item_id, field])}"
            for field, name in _FIELDS.items()
            if item_id in old.index
            and _shown(old.at[item_id, field]) != _shown(new.at[item_id, field])
        ]
        if changed:
            lines.append(f"{texts.get(item_id, item_id)}: {', '.join(changed)}")
    return "; ".join(lines) if lines else "geen wijzigingen"


def checklist_source(framework: Framework) -> str:
    """Caption under the theme bars of the checklist panel."""
    return framework_source(framework) + ". " + framework.note


def version_caption(state: ChecklistState, framework: Framework) -> str:
    """'Zwolle · versie 3, opgeslagen 01-02-2025 11:00 door Anna. <note>' (Dutch time)."""
    if state.saved_at is None:
        saved = " (nog niet opgeslagen)"
    else:
        saved = f", opgeslagen {format_local_time(state.saved_at)}"
        saved += f" door {state.saved_by}" if state.saved_by else ""
    return f"{state.area_name} · versie {state.version}{saved}. {framework.note}"


def reapply_changes(
    framework: Framework, base: pd.DataFrame, mine: pd.DataFrame, newest: pd.DataFrame
) -> pd.DataFrame:
    """``newest`` with the fields this user changed from ``base`` (the version they started
    from) set to their values in ``mine``: their edits on top of what others saved meanwhile.
    Where both changed the same field, this user's value wins (they see the result before
    saving)."""
    base, mine, newest = (
        normalise_answers(framework, frame).set_index("item_id") for frame in (base, mine, newest)
    )
    out = newest.copy()
    for item_id in out.index:
        for field in _FIELDS:
            if _shown(mine.at[item_id, field]) != _shown(base.at[item_id, field]):
                out.at[item_id, field] = mine.at[item_id, field]
    return out.reset_index()
