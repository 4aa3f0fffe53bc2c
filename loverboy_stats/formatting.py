"""Dutch number notation, the one formatter for pages, charts, exports and the command line.

Rules (METHOD.md, "Number notation"): thousands dot and decimal comma (1.363; 10,4 %);
percentages with one decimal; expected values with no decimals from 10 upwards and one decimal
below 10. A missing value is shown as an en dash, never as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from numbers import Real
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import parse_pattern

LOCALE = "nl_NL"
#: Times are stored in UTC and shown as a Dutch reader's clock shows them.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
MISSING = "–"
#: plotly's ``layout.separators``: decimal separator first, then the thousands separator.
PLOTLY_SEPARATORS = ",."


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas' NA and infinity (not reported, or not computable)."""
    if value is None:
        return True
    try:
        return bool(value != value) or math.isinf(value)  # NaN compares unequal to itself
    except (TypeError, ValueError):
        return True  # pd.NA refuses to be a bool


def format_number(value: Real | None, decimals: int = 0) -> str:
    """A number in Dutch notation with a fixed number of decimals: 1363 -> '1.363'."""
    if is_missing(value):
        return MISSING
    return _format(float(value), decimals)


@lru_cache(maxsize=16_384)
def _format(value: float, decimals: int) -> str:
    """The text of one value (remembered: a page shows the same counts and shares many times)."""
    # Round half up, as people do by hand (Python's round() rounds 2.5 to 2).
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    pattern, locale = _pattern(decimals)
    return pattern.apply(rounded, locale)


@lru_cache(maxsize=8)
def _pattern(decimals: int):
    """babel's Dutch number pattern with ``decimals`` fixed decimals, parsed once (pages format
    thousands of numbers per view)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return parse_pattern(pattern), Locale.parse(LOCALE)


def format_count(value: Real | None) -> str:
    """A count (whole number): 1363 -> '1.363'."""
    return format_number(value, 0)


def format_rows(count: int) -> str:
    """'1 rij', '2 rijen', '1.363 rijen'."""
    return f"{format_count(count)} {'rij' if count == 1 else 'rijen'}"


def format_percent(fraction: Real | None, decimals: int = 1) -> str:
    """A fraction as a percentage with one decimal: 0.10418 -> '10,4 %'."""
    if is_missing(fraction):
        return MISSING
    return f"{format_number(float(fraction) * 100, decimals)} %"


def format_expected(value: Real | None) -> str:
    """An expected (apportioned) number: no decimals from 10 upwards, one below: 9.46 -> '9,5'."""
    if is_missing(value):
        return MISSING
    return format_number(value, 0 if abs(float(value)) >= 10 else 1)


def format_ratio(value: Real | None, decimals: int = 2) -> str:
    """A ratio such as the signalling ratio: 0.1042 -> '0,10'."""
    return format_number(value, decimals)


def format_interval(low: Real | None, high: Real | None, formatter=format_number) -> str:
    """An interval as 'low – high' with the given formatter; empty text when not available."""
    if is_missing(low) or is_missing(high):
        return ""
    return f"{formatter(low)} – {formatter(high)}"


def format_local_time(moment: dt.datetime | None, *, seconds: bool = False) -> str:
    """A stored UTC time as Dutch local time (summer and winter time): '01-07-2025 12:00'.
    A time without zone is taken as UTC (how the store keeps it)."""
    if moment is None:
        return MISSING
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M" + (":%S" if seconds else ""))
