"""A short Dutch text per chart: what it shows, its highest and lowest value and the highlighted
area. Shown under each chart, so a screen reader (and anyone who would rather read) gets what
the picture says. Built from the same frames as the charts, so the text never says more than
the chart: a hidden value is absent here too."""

from __future__ import annotations

import math

import pandas as pd

from loverboy_stats.formatting import format_count, format_expected, format_percent, format_ratio
from loverboy_stats.views.compare import CompareView

#: Each level's plural in running text.
PLURALS = {
    "gemeente": "gemeenten",
    "provincie": "provincies",
    "jeugdregio": "jeugdregio's",
    "ggdregio": "GGD-regio's",
    "veiligheidsregio": "veiligheidsregio's",
    "regio": "eigen regio's",
}


def _plural(level: str) -> str:
    return PLURALS[level]


def ranking_summary(ranking: pd.DataFrame, view: CompareView) -> str:
    """'<indicator> voor 12 provincies. Hoogste: A (0,95); laagste: B (0,12). C: 0,40, plaats 4
    van 12.' ``ranking`` is :func:`loverboy_stats.views.frames.ranking_frame`."""
    label = view.indicator.label
    if ranking.empty:
        return f"{label}: geen enkel gebied heeft een getoonde waarde."
    first, last = ranking.iloc[0], ranking.iloc[-1]
    parts = [
        f"{label} voor {format_count(len(ranking))} {_plural(view.level)} met een getoonde "
        f"waarde. Hoogste: {first['naam']} ({first['waarde_tekst']}); laagste: {last['naam']} "
        f"({last['waarde_tekst']})."
    ]
    marked = ranking.index[ranking["gemarkeerd"]]
    if len(marked):
        row = ranking.loc[marked[0]]
        parts.append(
            f"{row['naam']}: {row['waarde_tekst']}, plaats {format_count(int(marked[0]) + 1)} "
            f"van {format_count(len(ranking))}."
        )
    else:
        parts.append(f"{view.area_name} heeft geen getoonde waarde.")
    return " ".join(parts)


def scatter_summary(scatter: pd.DataFrame, view: CompareView) -> str:
    """How many areas signalled more than expected, and the highlighted area's two numbers."""
    if scatter.empty:
        return "Geen enkel gebied heeft een getoond aantal gesignaleerd."
    above = int((scatter["gesignaleerd"] > scatter["verwacht"]).sum())
    parts = [
        f"Bij {format_count(above)} van de {format_count(len(scatter))} {_plural(view.level)} "
        "is meer gesignaleerd dan verwacht."
    ]
    marked = scatter[scatter["gemarkeerd"]]
    if len(marked):
        row = marked.iloc[0]
        parts.append(
            f"{row['naam']}: {format_count(row['gesignaleerd'])} gesignaleerd, "
            f"{format_expected(row['verwacht'])} verwacht."
        )
    return " ".join(parts)


def funnel_summary(funnel: pd.DataFrame) -> str:
    """Each area's steps as text: 'A: gesignaleerd 40, gemeld bij CoMensha x, ...'."""
    sentences = []
    for area, steps in funnel.groupby("gebied", sort=False):
        listed = ", ".join(
            f"{step[:1].lower()}{step[1:]} {text}"
            for step, text in zip(steps["stap"], steps["aantal_tekst"], strict=True)
        )
        sentences.append(f"{area}: {listed}.")
    return " ".join(sentences) + " 'x' en '<k' zijn afgeschermd, '–' is niet gerapporteerd."


def series_summary(series: pd.DataFrame, view: CompareView) -> str:
    """The highlighted area's first and last shown value over the years."""
    own = series[(series["gebied"] == view.area_name) & series["waarde"].notna()]
    if own.empty:
        return f"{view.area_name} heeft in geen enkel jaar een getoonde waarde."
    own = own.sort_values("jaar")
    first, last = own.iloc[0], own.iloc[-1]
    if len(own) == 1:
        only = f"alleen in {first['jaar']} een getoonde waarde ({first['waarde_tekst']})"
        return f"{view.area_name}: {only}."
    return (
        f"{view.indicator.label} van {view.area_name}: {first['waarde_tekst']} in "
        f"{first['jaar']}, {last['waarde_tekst']} in {last['jaar']} "
        f"({format_count(len(own))} jaren met een getoonde waarde)."
    )


def map_summary(mapped: pd.DataFrame, view: CompareView) -> str:
    """How many areas are coloured and which have the highest and lowest value."""
    shown = mapped[mapped["waarde"].notna()].sort_values(
        ["waarde", "naam"], ascending=[False, True]
    )
    grey = len(mapped) - len(shown)
    if shown.empty:
        return f"Kaart van {format_count(len(mapped))} {_plural(view.level)}: geen enkele waarde."
    first, last = shown.iloc[0], shown.iloc[-1]
    return (
        f"Kaart van {format_count(len(mapped))} {_plural(view.level)}; "
        f"{format_count(grey)} grijs (geen getoonde waarde). Donkerst: {first['naam']} "
        f"({first['waarde_tekst']}); lichtst: {last['naam']} ({last['waarde_tekst']})."
    )


def gap_summary(estimated: float, treated: float) -> str:
    """The national gap in words."""
    share = treated / estimated if estimated and not math.isnan(estimated) else float("nan")
    return (
        f"{format_count(round(estimated))} vakjes, één per geschat minderjarig slachtoffer; "
        f"{format_count(round(treated))} daarvan zijn gekleurd: in behandeling "
        f"({format_percent(share)}). De overige {format_count(round(estimated - treated))} "
        "werden niet bereikt."
    )


def registrations_summary(registrations: pd.DataFrame) -> str:
    """Per series: the years it covers, its highest count and its last one."""
    sentences = []
    for series, rows in registrations.dropna(subset=["registraties"]).groupby("reeks", sort=True):
        rows = rows.sort_values("jaar")
        top, last = rows.loc[rows["registraties"].idxmax()], rows.iloc[-1]
        sentences.append(
            f"{series}: {format_count(len(rows))} jaren tussen {rows['jaar'].iloc[0]} en "
            f"{last['jaar']}; het hoogst {format_count(top['registraties'])} in {top['jaar']}, "
            f"het laatst {format_count(last['registraties'])} in {last['jaar']}."
        )
    return " ".join(sentences)


def estimates_summary(estimates: pd.DataFrame) -> str:
    """Each published estimate with its period and, where published, its range."""
    parts = []
    for _, row in estimates.iterrows():
        value = f"{row['kwalificatie']} {format_count(row['schatting'])}"
        text = f"{row['reeks']} ({row['periode']}): {value}"
        low, high = row["ondergrens"], row["bovengrens"]
        if not (pd.isna(low) or pd.isna(high)):
            text += f" (bandbreedte {format_count(low)}–{format_count(high)})"
        parts.append(text)
    return f"{format_count(len(parts))} schattingen: " + "; ".join(parts) + "."


def profile_funnel_summary(name: str, year: int, steps: list[tuple[str, object, str]]) -> str:
    """The profile's funnel in words: 'Zwolle, 2024: verwacht 10, gesignaleerd <5, ...'.
    ``steps`` is :func:`loverboy_stats.views.profile.funnel_steps` (label, value, text)."""
    listed = ", ".join(f"{label} {text}" for label, _, text in steps)
    return f"{name}, {year}: {listed}."


def profile_trend_summary(name: str, trend: pd.DataFrame) -> str:
    """The area's signalling ratio over the years of the dataset, with the years without a
    shown value named as such."""
    own = trend[trend["rol"] == "gebied"].sort_values("jaar")
    shown = own[own["signaleringsratio"].notna()]
    if shown.empty:
        return f"{name} heeft in geen enkel jaar een getoonde signaleringsratio."
    values = "; ".join(
        f"{row.jaar}: {format_ratio(row.signaleringsratio)}" for row in shown.itertuples()
    )
    missing = [str(year) for year in own.loc[own["signaleringsratio"].isna(), "jaar"]]
    gaps = f" Zonder getoonde waarde: {', '.join(missing)}." if missing else ""
    return f"Signaleringsratio van {name} per jaar: {values}.{gaps}"
