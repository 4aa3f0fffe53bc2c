"""Dutch notation as users read it (METHOD.md, 'Number notation')."""

import math

import pandas as pd
import pytest

from loverboy_stats.formatting import (
    MISSING,
    format_count,
    format_expected,
    format_interval,
    format_number,
    format_percent,
    format_ratio,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1363, "1.363"), (142, "142"), (17942942, "17.942.942"), (0, "0"), (1221.0, "1.221")],
)
def test_counts_use_a_thousands_dot(value, text):
    assert format_count(value) == text


def test_percent_has_one_decimal_and_a_decimal_comma():
    assert format_percent(142 / 1363) == "10,4 %"
    assert format_percent(0.5) == "50,0 %"
    assert format_percent(1) == "100,0 %"


def test_expected_values_have_one_decimal_below_ten_and_none_from_ten():
    assert format_expected(9.46) == "9,5"
    assert format_expected(0.04) == "0,0"
    assert format_expected(10.0) == "10"
    assert format_expected(72.49) == "72"
    assert format_expected(1363.2) == "1.363"


def test_rounding_is_half_up_as_by_hand():
    assert format_number(2.5) == "3"
    assert format_number(0.125, 2) == "0,13"
    assert format_percent(0.1045) == "10,5 %"


def test_no_negative_zero():
    assert format_number(-0.01, 1) == "0,0"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, math.inf])
def test_missing_is_a_dash_never_zero(missing):
    for formatter in (format_count, format_percent, format_expected, format_ratio):
        assert formatter(missing) == MISSING


def test_interval_text():
    assert format_interval(0.05, 0.5, format_ratio) == "0,05 – 0,50"
    assert format_interval(None, 3) == ""


def test_rows_are_counted_in_dutch():
    from loverboy_stats.formatting import format_rows

    assert [format_rows(n) for n in (0, 1, 2, 1363)] == [
        "0 rijen",
        "1 rij",
        "2 rijen",
        "1.363 rijen",
    ]


def test_stored_utc_times_are_shown_as_dutch_clock_time_in_summer_and_winter():
    import datetime as dt

    from loverboy_stats.formatting import format_local_time

    assert format_local_time(dt.datetime(2025, 7, 1, 10, 0, tzinfo=dt.UTC)) == "01-07-2025 12:00"
    assert format_local_time(dt.datetime(2025, 1, 15, 23, 30)) == "16-01-2025 00:30"  # naive: UTC
    assert format_local_time(dt.datetime(2025, 3, 30, 1, 0, 5), seconds=True) == (
        "30-03-2025 03:00:05"  # the night the clocks go forward
    )
