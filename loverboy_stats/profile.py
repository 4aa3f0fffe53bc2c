"""The municipality profile: gap figures beside the jeugdregio and the country, checklist
completion, and a printable one-page HTML version.

View-model functions for ``pages/gemeenteprofiel.py``: every number and every text the page
shows is made here, so the page only renders. Gap figures come from
:func:`loverboy_stats.gaps.gap_table` and, in publication mode, pass through
:func:`loverboy_stats.privacy.publish_gap_table` before anything is formatted.

The printable HTML loads nothing from outside (no scripts, fonts or images from elsewhere):
tables and simple inline SVG bars drawn here. Every text that can come from a user (names,
toelichting, actiehouder) goes through :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from loverboy_stats import gaps
from loverboy_stats.charts import FILLED, PALETTE, SYMBOLS, finish, plain
from loverboy_stats.checklist import Completion, Framework, export_frame, to_xlsx_bytes
from loverboy_stats.checklist_charts import framework_source
from loverboy_stats.checklist_store import ChecklistState
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.formatting import (
    MISSING,
    format_count,
    format_expected,
    format_interval,
    format_number,
    format_percent,
    format_ratio,
    is_missing,
)
from loverboy_stats.national import load_national
from loverboy_stats.privacy import publish_gap_table
from loverboy_stats.reference import load_municipalities

#: Levels an area can be: a municipality or a jeugdregio.
AREA_LEVELS = ("gemeente", "jeugdregio")
#: Default area when a dataset has no municipalities the reference table knows.
DEFAULT_AREA = "GM0363"  # Amsterdam
NATIONAL_NAME = "Nederland"
FUNNEL_STEPS = {
    "gesignaleerd": "gesignaleerd",
    "gemeld_comensha": "gemeld bij CoMensha",
    "doorverwezen": "doorverwezen",
    "in_behandeling": "in behandeling",
}


# --------------------------------------------------------------------------------------------
# Areas


def area_options() -> pd.DataFrame:
    """Areas to choose from: municipalities A-Z, then jeugdregio's A-Z.

    Columns: code, naam, niveau ("gemeente"/"jeugdregio"), label (shown in the menu).
    """
    table = load_municipalities()
    municipalities = pd.DataFrame(
        {"code": table["gemeentecode"], "naam": table["gemeentenaam"], "niveau": "gemeente"}
    ).sort_values("naam")
    regions = (
        table[["jeugdregiocode", "jeugdregionaam"]]
        .drop_duplicates()
        .rename(columns={"jeugdregiocode": "code", "jeugdregionaam": "naam"})
        .assign(niveau="jeugdregio")
        .sort_values("naam")
    )
    out = pd.concat([municipalities, regions], ignore_index=True)
    out["label"] = [
        n if lvl == "gemeente" else f"{n} (jeugdregio)"
        for n, lvl in zip(out["naam"], out["niveau"], strict=True)
    ]
    return out


def default_area(local: pd.DataFrame) -> str:
    """The most populous municipality in the dataset (its figures are least often hidden in
    publication mode); :data:`DEFAULT_AREA` when the dataset has none."""
    table = load_municipalities()
    codes = [c for c in local["gemeentecode"].astype(str).unique() if c in table.index]
    if not codes:
        return DEFAULT_AREA
    return str(table.loc[codes, "inwoners"].idxmax())


def area_info(code: str) -> tuple[str, str, str | None, str | None]:
    """(naam, niveau, jeugdregio code, jeugdregio name) of an area code; the region is None for
    a jeugdregio itself. Raises KeyError for an unknown code."""
    table = load_municipalities()
    if code in table.index:
        row = table.loc[code]
        return row["gemeentenaam"], "gemeente", row["jeugdregiocode"], row["jeugdregionaam"]
    regions = table.drop_duplicates("jeugdregiocode").set_index("jeugdregiocode")
    return regions.loc[code, "jeugdregionaam"], "jeugdregio", None, None


def years_of(local: pd.DataFrame) -> list[int]:
    """Years in a dataset, newest first."""
    return sorted({int(y) for y in pd.to_numeric(local["jaar"]).dropna()}, reverse=True)


# --------------------------------------------------------------------------------------------
# Gap figures


def _published(table: pd.DataFrame, local: pd.DataFrame, publication: bool) -> pd.DataFrame:
    return publish_gap_table(table, local) if publication else table


def comparison_rows(
    local: pd.DataFrame, code: str, year: int, *, publication: bool
) -> pd.DataFrame:
    """Gap-table rows (raw numbers, or published when ``publication``) for the area, its
    jeugdregio (for a municipality) and the whole dataset ("Nederland"), in that order.

    The municipal row is taken from the full municipal table, so secondary suppression has
    seen every municipality. An area without figures in ``local`` has no row. Column
    ``rol`` says which is which: gebied, jeugdregio, nederland.
    """
    _, level, region_code, _ = area_info(code)
    rows = []
    if level == "gemeente":
        municipal = _published(gaps.gap_table(local, year=year), local, publication)
        rows.append(municipal[municipal["code"] == code].assign(rol="gebied"))
    regions = _published(gaps.gap_table(local, level="jeugdregio", year=year), local, publication)
    wanted = code if level == "jeugdregio" else region_code
    rows.append(
        regions[regions["code"] == wanted].assign(
            rol="gebied" if level == "jeugdregio" else "jeugdregio"
        )
    )
    country = local.assign(regio=NATIONAL_NAME)
    national = _published(gaps.gap_table(country, level="regio", year=year), country, publication)
    rows.append(national.assign(rol="nederland"))
    return pd.concat(rows, ignore_index=True)


def _count_text(value: object) -> str:
    # Published count columns hold whole numbers, "<k" or "x"; missing means "not reported".
    if isinstance(value, str):
        return value
    return MISSING if is_missing(value) else format_count(value)


def _two_decimals(value: object) -> str:
    return format_number(value, 2)


def display_table(rows: pd.DataFrame, label: str = "") -> pd.DataFrame:
    """The comparison as text in Dutch notation, one row per area (to show and to print).

    ``label`` (e.g. :data:`loverboy_stats.demo.DEMO_LABEL`) is added as a column so that the
    table itself says the figures are fictitious.
    """
    out = pd.DataFrame(
        {
            "gebied": rows["naam"].astype(str),
            "gesignaleerd": rows["gesignaleerd"].map(_count_text),
            "verwacht": rows["verwacht"].map(format_expected),
            "signaleringsratio": rows["signaleringsratio"].map(format_ratio),
            "bandbreedte ratio": [
                format_interval(lo, hi, format_ratio) or "niet gepubliceerd"
                for lo, hi in zip(
                    rows["signaleringsratio_laag"], rows["signaleringsratio_hoog"], strict=True
                )
            ],
            "per 10.000 inwoners (95%-interval)": [
                MISSING
                if is_missing(r)
                else f"{format_number(r, 2)} ({format_interval(lo, hi, _two_decimals)})"
                for r, lo, hi in zip(
                    rows["per_10000"], rows["per_10000_laag"], rows["per_10000_hoog"], strict=True
                )
            ],
            "gemeld bij CoMensha": rows["gemeld_comensha"].map(_count_text),
            "doorverwezen": rows["doorverwezen"].map(_count_text),
            "in behandeling": rows["in_behandeling"].map(_count_text),
            "dekking": rows["dekking"].map(format_percent),
        }
    )
    if label:
        out.insert(0, "cijfers", label)
    return out


def indicator_table(rows: pd.DataFrame, label: str = "") -> pd.DataFrame:
    """:func:`display_table` turned a quarter: one row per indicator, one column per area
    (reads better in a narrow column and on paper). A jeugdregio's column says so, which also
    keeps a municipality and a jeugdregio of the same name apart."""
    table = display_table(rows, label)
    names = [
        f"{n} (jeugdregio)"
        if role == "jeugdregio" or (role == "gebied" and not code.startswith("GM"))
        else n
        for n, role, code in zip(
            table["gebied"], rows["rol"], rows["code"].astype(str), strict=True
        )
    ]
    out = table.drop(columns="gebied").T
    out.columns = names
    return out.rename_axis("kenmerk").reset_index()


@dataclass
class GapProfile:
    """Everything the profile shows about the signalling gap of one area in one year."""

    code: str
    name: str
    level: str
    year: int
    rows: pd.DataFrame
    table: pd.DataFrame
    by_indicator: pd.DataFrame
    key_figures: list[tuple[str, str, str]]
    source: str
    label: str
    has_data: bool
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)

    def csv_frame(self) -> pd.DataFrame:
        """The comparison table as downloaded (the same text the page shows)."""
        return self.table.assign(jaar=self.year)

    def trend_export(self) -> pd.DataFrame:
        """The trend as downloaded, with the dataset label (e.g. fictitious) on every row."""
        return self.trend.assign(cijfers=self.label) if self.label else self.trend


def gap_source(estimate: str = gaps.DEFAULT_ESTIMATE) -> tuple[str, str]:
    """(short source for inside a figure, full citation) of the expected values."""
    data = load_national()
    return data.short_citation(estimate), data.citation(estimate)


def gap_profile(
    local: pd.DataFrame, code: str, year: int, *, publication: bool, label: str = ""
) -> GapProfile:
    """The gap figures of area ``code`` in ``year`` beside its jeugdregio and the country,
    with the signalling ratio over all years of ``local`` (``trend``)."""
    name, level, _, _ = area_info(code)
    rows = comparison_rows(local, code, year, publication=publication)
    area = rows[rows["rol"] == "gebied"]
    signalled = None if area.empty else area.iloc[0]["gesignaleerd"]
    # A hidden count ("<5") is data too: the area reported, the value is only protected.
    has_data = isinstance(signalled, str) or not is_missing(signalled)
    key: list[tuple[str, str, str]] = []
    if has_data:
        first = area.iloc[0]
        interval = format_interval(
            first["signaleringsratio_laag"], first["signaleringsratio_hoog"], format_ratio
        )
        key = [
            ("Verwacht per jaar", format_expected(first["verwacht"]),
             "Landelijke schatting naar rato van het aantal inwoners."),
            ("Gesignaleerd", _count_text(first["gesignaleerd"]),
             "Gesignaleerde mogelijke slachtoffers in dit jaar."),
            ("Signaleringsratio", format_ratio(first["signaleringsratio"]),
             "Gesignaleerd ÷ verwacht"
             + (f"; bandbreedte {interval}." if interval else "; geen bandbreedte gepubliceerd.")),
            ("In behandeling", _count_text(first["in_behandeling"]),
             "Aantal in gespecialiseerde behandeling."),
        ]  # fmt: skip
    trend = trend_frame(local, code, publication=publication)
    return GapProfile(
        code=code,
        name=name,
        level=level,
        year=year,
        rows=rows,
        table=display_table(rows, label),
        by_indicator=indicator_table(rows, label),
        key_figures=key,
        source=gap_source()[1],
        label=label,
        has_data=has_data,
        trend=trend,
    )


def trend_frame(local: pd.DataFrame, code: str, *, publication: bool) -> pd.DataFrame:
    """Signalling ratio per year for the area, its jeugdregio and the country.

    Columns: jaar, reeks (name), rol, signaleringsratio (NaN where hidden or not reported).
    """
    parts = []
    for year in sorted(years_of(local)):
        rows = comparison_rows(local, code, year, publication=publication)
        parts.append(
            pd.DataFrame(
                {
                    "jaar": year,
                    "reeks": rows["naam"].astype(str),
                    "rol": rows["rol"],
                    "signaleringsratio": pd.to_numeric(
                        rows["signaleringsratio"], errors="coerce"
                    ).astype("float64"),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _with_label(title: str, label: str) -> str:
    return f"{title} ({label})" if label else title


def funnel_chart(profile: GapProfile, source: str) -> go.Figure:
    """Bars from expected to in treatment for the area; hidden counts show their mark, bars
    of unreported counts are absent with the text "niet gerapporteerd"."""
    row = profile.rows[profile.rows["rol"] == "gebied"].iloc[0]
    labels = ["verwacht", *FUNNEL_STEPS.values()]
    raw = [row["verwacht"], *[row[c] for c in FUNNEL_STEPS]]
    values, texts = [], []
    for i, value in enumerate(raw):
        if isinstance(value, str):
            values.append(0.0)
            texts.append(f"{value} (afgeschermd)")
        elif is_missing(value):
            values.append(0.0)
            texts.append("niet gerapporteerd")
        else:
            values.append(float(value))
            texts.append(format_expected(value) if i == 0 else format_count(value))
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=[FILLED] * (len(labels) - 1) + [PALETTE[1]],
            text=texts[::-1],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    top = max([v for v in values if v == v] + [1.0])
    fig.update_xaxes(title="personen per jaar", range=[0, top * 1.3], tickformat=",d")
    title = _with_label(
        f"Van verwacht tot in behandeling: {profile.name}, {profile.year}", profile.label
    )
    return finish(fig, title=title, source=source, height=280, legend_rows=0, narrow=True)


def trend_chart(profile: GapProfile, source: str) -> go.Figure:
    """Signalling ratio per year: the area, its jeugdregio and the country (one line each)."""
    fig = go.Figure()
    trend = profile.trend
    for i, role in enumerate(("gebied", "jeugdregio", "nederland")):
        part = trend[trend["rol"] == role]
        if part.empty:
            continue
        name = plain(part["reeks"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=part["jaar"],
                y=part["signaleringsratio"],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line=dict(color=PALETTE[i], width=3 if role == "gebied" else 1.5),
                marker=dict(symbol=SYMBOLS[i], size=9),
                hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>",
            )
        )
    fig.add_hline(
        y=1, line_dash="dot", line_color="#4a5561", annotation_text="verwacht = gesignaleerd"
    )
    fig.update_xaxes(title="jaar", dtick=1, tickformat="d")
    fig.update_yaxes(title="signaleringsratio", rangemode="tozero", tickformat=".2f")
    title = _with_label(f"Signaleringsratio door de jaren: {profile.name}", profile.label)
    return finish(fig, title=title, source=source, height=320, narrow=True)


# --------------------------------------------------------------------------------------------
# Checklist panel


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


# --------------------------------------------------------------------------------------------
# Printable profile


def _svg_bars(rows: list[tuple[str, float | None, str]], colour: str = FILLED) -> str:
    """Inline SVG with one horizontal bar per row: (label, fraction of the longest, text)."""
    height, label_w, bar_w, text_w = 19, 265, 235, 230
    total_w, total_h = label_w + bar_w + text_w, height * len(rows) + 4
    # A viewBox with width 100 %: the drawing scales to the printable width instead of
    # running off the right edge of the A4 page.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" '
        f'width="100%" role="img" font-family="sans-serif" font-size="12">'
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
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False)
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
        row = profile.rows[profile.rows["rol"] == "gebied"].iloc[0]
        expected = row["verwacht"]
        funnel = [("verwacht", 1.0, format_expected(expected))]
        for column, step in FUNNEL_STEPS.items():
            value = row[column]
            if isinstance(value, str):
                funnel.append((step, 0.0, f"{value} (afgeschermd)"))
            elif is_missing(value):
                funnel.append((step, None, "niet gerapporteerd"))
            else:
                top = max(float(expected), float(row["gesignaleerd"] or 0), 1.0)
                funnel.append((step, float(value) / top, format_count(value)))
        gap_part = (
            f"<table class='figures'><tr>{figures}</tr></table>"
            f"<h2>Vergeleken met jeugdregio en land ({profile.year})</h2>"
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
<body>
<h1>Gemeenteprofiel {esc(profile.name)}</h1>
<p class="meta">Signaleringskloof loverboyproblematiek · jaar {profile.year} ·
gemaakt op {generated.strftime("%d-%m-%Y %H:%M")} UTC</p>
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
</body></html>
"""


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


@dataclass(frozen=True)
class Download:
    """A file offered for download."""

    label: str
    data: bytes
    file_name: str
    mime: str


def downloads(
    gp: GapProfile,
    framework: Framework,
    state: ChecklistState,
    done: Completion,
    actions: pd.DataFrame,
) -> list[Download]:
    """The checklist as CSV and XLSX (formula-neutralised) and the printable profile (HTML)."""
    export = export_frame(framework, state.answers)
    stem = f"gemeenteprofiel_{state.area_code}_{framework.id}"
    page = profile_html(gp, framework, done, actions, version=state.version)
    return [
        Download("Checklist (CSV)", to_csv_bytes(export, dutch=True), f"{stem}.csv", "text/csv"),
        Download(
            "Checklist (Excel)",
            to_xlsx_bytes(export),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Download(
            "Afdrukbaar profiel (HTML, af te drukken als PDF)",
            page.encode("utf-8"),
            f"{stem}.html",
            "text/html",
        ),
    ]
