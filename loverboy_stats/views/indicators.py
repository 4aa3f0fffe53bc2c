"""The indicators a user can compare areas on, and how each is written in Dutch."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loverboy_stats.formatting import MISSING, format_number, format_percent, format_ratio


@dataclass(frozen=True)
class Indicator:
    """An indicator that can be compared: Dutch label, gap-table columns and kind of number.

    ``kind`` is "ratio" (a plain ratio, 2 decimals), "rate" (people per 10,000 of the
    reference population, 2 decimals) or "share" (a fraction shown as a percentage).
    ``low``/``high`` name the interval columns, None when the indicator has no interval.
    """

    label: str
    column: str
    low: str | None
    high: str | None
    kind: str
    axis: str
    explanation: str
    #: The count whose reporting members the value covers ("3 van 11 gemeenten").
    count: str = "gesignaleerd"


INDICATORS: dict[str, Indicator] = {
    "signaleringsratio": Indicator(
        "Signaleringsratio",
        "signaleringsratio",
        "signaleringsratio_laag",
        "signaleringsratio_hoog",
        "ratio",
        "gesignaleerd ÷ verwacht",
        "Gesignaleerd gedeeld door het verwachte aantal slachtoffers (toegerekende landelijke "
        "schatting). 1 betekent: evenveel gesignaleerd als verwacht.",
    ),
    "per_10000": Indicator(
        "Gesignaleerd per 10.000",
        "per_10000",
        "per_10000_laag",
        "per_10000_hoog",
        "rate",
        "gesignaleerd per 10.000 in de referentiepopulatie",
        "Gesignaleerd per 10.000 personen van de referentiepopulatie, met het exacte "
        "Poisson-interval (95 %).",
    ),
    "doorverwijspercentage": Indicator(
        "Doorverwijspercentage",
        "doorverwijspercentage",
        "doorverwijspercentage_laag",
        "doorverwijspercentage_hoog",
        "share",
        "doorverwezen ÷ gesignaleerd",
        "Het deel van de gesignaleerden dat is doorverwezen naar gespecialiseerde jeugdzorg, "
        "met het Wilson-interval (95 %).",
        "doorverwezen",
    ),
    "bereik_behandeling": Indicator(
        "Bereik behandeling",
        "bereik_behandeling",
        None,
        None,
        "share",
        "in behandeling ÷ verwacht",
        "In behandeling gedeeld door het verwachte aantal slachtoffers; geen interval.",
        "in_behandeling",
    ),
}
DEFAULT_INDICATOR = "signaleringsratio"


def format_value(value: object, kind: str) -> str:
    """An indicator value in Dutch notation for its kind ("ratio", "rate", "share")."""
    if kind == "share":
        return format_percent(value)
    if kind == "rate":
        return format_number(value, 2) if not pd.isna(value) else MISSING
    return format_ratio(value)


def value_formatter(kind: str):
    """:func:`format_value` for one kind, as a one-argument function."""
    return lambda value: format_value(value, kind)
