"""The printable profile: one A4 page of HTML for the council, self-contained.

Loads nothing from outside (no scripts, fonts or images from elsewhere): tables and simple inline
SVG bars drawn here. Every text that can come from a user (names, toelichting, actiehouder) goes
through :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from loverboy_stats.charts.style import FILLED, PALETTE
from loverboy_stats.checklist import ChecklistState, Completion, export_frame
from loverboy_stats.export import to_spreadsheet_csv, to_xlsx_bytes
from loverboy_stats.formatting import format_local_time, format_percent, is_missing
from loverboy_stats.frameworks import Framework
from loverboy_stats.views.checklist import actions_display, theme_rows
from loverboy_stats.views.profile import GapProfile, funnel_steps


def _svg_bars(rows: list[tuple[str, float | None, str]], colour: str = FILLED) -> str:
    """Inline SVG with one horizontal bar per row: (label, fraction of the longest, text).

    Its text alternative (``aria-label`` and ``<title>``) lists every row as "label: text", so a
    screen reader reads the same figures the bars show."""
    height, label_w, bar_w, text_w = 19, 265, 235, 230
    total_w, total_h = label_w + bar_w + text_w, height * len(rows) + 4
    said = html.escape("; ".join(f"{label}: {text}" for label, _, text in rows), quote=True)
    # A viewBox with width 100 %: the drawing scales to the printable width instead of
    # running off the right edge of the A4 page.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" '
        f'width="100%" role="img" aria-label="{said}" font-family="sans-serif" font-size="12">'
        f"<title>{said}</title>"
    ]
    for i, (label, fraction, text) in enumerate(rows):
        y = i * height + 2
        width = 0 if fraction is None or is_missing(fraction) else max(0.0, min(1.0, fraction))
        parts.append(
            f'<text x="0" y="{y + 14}">{html.escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{height - 8}" '
            f'fill="#eef1f4"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width * bar_w:.1f}" '
            f'height="{height - 8}" fill="{colour}"/>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    # Plain arrays, not where() and itertuples(): the same cells at a third of the cost.
    cells, missing = frame.astype(object).to_numpy(), frame.isna().to_numpy()
    body = "".join(
        "<tr>"
        + "".join(
            "<td></td>" if gone else f"<td>{html.escape(str(v))}</td>"
            for v, gone in zip(row, gaps, strict=True)
        )
        + "</tr>"
        for row, gaps in zip(cells, missing, strict=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
@page { size: A4; margin: 12mm; }
body { font-family: sans-serif; font-size: 10pt; color: #1b1f24; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 1.5mm 0; } h2 { font-size: 11.5pt; margin: 3mm 0 1mm 0; }
p { margin: 1mm 0; } .meta { color: #4a5561; font-size: 9pt; }
.notice { border: 1px solid #E69F00; padding: 1.5mm 3mm; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0; }
th, td { border-bottom: 1px solid #d5dbe1; padding: 0.7mm 1.5mm; text-align: left; }
td { overflow-wrap: anywhere; }
th { background: #eef1f4; } .figures td { font-size: 11pt; }
.sources { font-size: 8pt; color: #4a5561; } section { break-inside: avoid; }
"""


def profile_html(
    profile: GapProfile,
    framework: Framework,
    done: Completion,
    actions: pd.DataFrame,
    *,
    version: int,
    generated: dt.datetime | None = None,
) -> str:
    """A printable one-page profile (A4) as a self-contained HTML document.

    Contains the key figures, the comparison table, the funnel as SVG bars, the checklist
    completion per theme as SVG bars, the open action points, sources and the date. Loads
    nothing from outside; every text is escaped.
    """
    generated = generated or dt.datetime.now(dt.UTC)
    esc = html.escape
    notice = (
        f'<p class="notice">Let op: {esc(profile.label)} — geen echte gegevens.</p>'
        if profile.label
        else ""
    )
    if profile.has_data:
        figures = "".join(
            f"<td><b>{esc(value)}</b><br><span class='meta'>{esc(label)}</span></td>"
            for label, value, _ in profile.key_figures
        )
        steps = funnel_steps(profile)
        top = max([value for _, value, _ in steps if value is not None] + [1.0])
        funnel = [
            (step, None if value is None else value / top, text) for step, value, text in steps
        ]
        gap_part = (
            f"<table class='figures'><tr>{figures}</tr></table>"
            f"<h2>Vergeleken met regio, dataset en land ({profile.year})</h2>"
            f"{_table(profile.by_indicator)}"
            f"<h2>Van verwacht tot in behandeling</h2>{_svg_bars(funnel)}"
        )
    else:
        gap_part = f"<p>Geen cijfers voor {esc(profile.name)} in {profile.year}.</p>"
    bars = [(label, fraction, text) for label, fraction, text in theme_rows(done)]
    bars.insert(
        0, ("Totaal", done.overall if done.applicable else None, format_percent(done.overall))
    )
    action_part = (
        _table(actions_display(actions))
        if len(actions)
        else "<p>Geen open actiepunten met actiehouder of streefdatum.</p>"
    )
    sources = [
        profile.source,
        f"{framework.title} ({framework.publisher}): " + ", ".join(framework.sources),
    ]
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Gemeenteprofiel {esc(profile.name)}</title><style>{_CSS}</style></head>
<body><main>
<h1>Gemeenteprofiel {esc(profile.name)}</h1>
<p class="meta">Signaleringskloof loverboyproblematiek · jaar {profile.year} ·
gemaakt op {format_local_time(generated)}</p>
{notice}
<section><h2>Signaleringskloof</h2>{gap_part}</section>
<section><h2>Checklist: {esc(framework.short_title)} (versie {version})</h2>
<p>Voltooid: <b>{esc(format_percent(done.overall))}</b> · nog onbekend:
{esc(format_percent(done.unknown_share))} ({done.unknown} van {done.applicable} punten)</p>
{_svg_bars(bars, PALETTE[2])}
<h2>Open actiepunten</h2>{action_part}</section>
<section class="sources"><h2>Bronnen en methode</h2>
<p>Verwacht = landelijke schatting naar rato van het aantal inwoners; signaleringsratio =
gesignaleerd ÷ verwacht. Checklistscore: ja 1, deels ½, nee en onbekend 0, n.v.t. telt niet mee;
totaal = som van de scores ÷ alle punten die van toepassing zijn.</p>
<ul>{"".join(f"<li>{esc(s)}</li>" for s in sources)}</ul>
<p>{esc(framework.note)}</p></section>
</main></body></html>
"""


@dataclass(frozen=True)
class Download:
    """A file offered for download, made by ``build()`` when someone asks for it."""

    label: str
    build: Callable[[], bytes]
    file_name: str
    mime: str

    @property
    def data(self) -> bytes:
        return self.build()


def checklist_files(framework: Framework, state: ChecklistState) -> list[Download]:
    """The checklist's answers as CSV and XLSX (formula-neutralised). They do not depend on
    the year, so the page offers them beside the checklist, not with the year's figures."""
    stem = f"gemeenteprofiel_{state.area_code}_{framework.id}"

    def export() -> pd.DataFrame:
        return export_frame(framework, state.answers)

    return [
        Download(
            "Checklist downloaden (CSV)",
            lambda: to_spreadsheet_csv(export()),
            f"{stem}.csv",
            "text/csv",
        ),
        Download(
            "Checklist downloaden (Excel)",
            lambda: to_xlsx_bytes({"checklist": export()}, widths={"punt": 60, "toelichting": 60}),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]


def profile_file(
    gp: GapProfile,
    framework: Framework,
    state: ChecklistState,
    done: Completion,
    actions: pd.DataFrame,
) -> Download:
    """The printable profile (HTML) of one area and year with its checklist."""
    return Download(
        "Afdrukbaar profiel downloaden (HTML, af te drukken als PDF)",
        lambda: profile_html(gp, framework, done, actions, version=state.version).encode("utf-8"),
        f"gemeenteprofiel_{state.area_code}_{framework.id}_{gp.year}.html",
        "text/html",
    )
