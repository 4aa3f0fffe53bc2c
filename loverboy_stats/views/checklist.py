"""View model of the checklist panel: completion per theme, open actions and versions."""

from __future__ import annotations

import pandas as pd

from loverboy_stats.charts.checklist import framework_source
from loverboy_stats.checklist import ChecklistState, Completion
from loverboy_stats.formatting import format_percent, is_missing
from loverboy_stats.frameworks import Framework


def theme_rows(done: Completion) -> list[tuple[str, float, str]]:
    """(theme label, fraction for a progress bar (0 when nothing applies), text) per theme."""
    out = []
    for row in done.themes.itertuples():
        applicable = row.van_toepassing
        points = "punt" if applicable == 1 else "punten"
        text = (
            f"{format_percent(row.voltooiing)} van {applicable} {points}"
            if applicable
            else "niet van toepassing"
        )
        if row.onbekend:
            text += f", {row.onbekend} onbekend"
        fraction = 0.0 if is_missing(row.voltooiing) else float(row.voltooiing)
        out.append((row.thema_label, fraction, text))
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


def history_display(history: pd.DataFrame) -> pd.DataFrame:
    """Versions with Dutch columns: versie, opgeslagen (UTC), door, opmerking."""
    return pd.DataFrame(
        {
            "versie": history["versie"],
            "opgeslagen (UTC)": [t.strftime("%d-%m-%Y %H:%M:%S") for t in history["opgeslagen"]],
            "door": history["door"],
            "opmerking": [
                "" if is_missing(v) else f"hersteld van versie {int(v)}"
                for v in history["hersteld_van"]
            ],
        }
    )


def checklist_source(framework: Framework) -> str:
    """Caption under the checklist chart."""
    return framework_source(framework) + ". " + framework.note


def version_caption(state: ChecklistState, framework: Framework) -> str:
    """'Zwolle · versie 3, opgeslagen 01-02-2025 10:00 UTC door Anna. <note>'."""
    if state.saved_at is None:
        saved = " (nog niet opgeslagen)"
    else:
        saved = f", opgeslagen {state.saved_at:%d-%m-%Y %H:%M} UTC"
        saved += f" door {state.saved_by}" if state.saved_by else ""
    return f"{state.area_name} · versie {state.version}{saved}. {framework.note}"
