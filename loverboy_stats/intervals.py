"""Ratios and their 95 % intervals, vectorised; inputs are aligned Series, missing stays missing.

* exact Poisson (Garwood) interval for a rate per 10,000;
* Wilson score interval for a share;
* the signalling ratio's interval from a published estimate interval (S held fixed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm


def _floats(values: pd.Series) -> pd.Series:
    """``values`` as float64, missing as NaN; float64 input as is (a gap table divides about
    twenty times, and the conversion cost more than the division)."""
    if values.dtype == np.float64:
        return values
    return pd.to_numeric(values, errors="coerce").astype("float64")


def divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator ÷ denominator as float64, NaN where either is missing or the divisor is 0."""
    num, den = _floats(numerator), _floats(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return out.where(den > 0)


def garwood_interval(counts: pd.Series, level: float = 0.95) -> tuple[pd.Series, pd.Series]:
    """Exact Poisson (Garwood) interval for the expected count behind observed ``counts``.

    Lower bound chi2(α/2; 2S) / 2 (0 when S = 0), upper chi2(1 − α/2; 2S + 2) / 2. NaN where
    the count is missing.
    """
    s = pd.to_numeric(counts, errors="coerce").astype("float64")
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        low = pd.Series(chi2.ppf(alpha / 2, 2 * s) / 2, index=s.index)
        high = pd.Series(chi2.ppf(1 - alpha / 2, 2 * (s + 1)) / 2, index=s.index)
    low = low.where(s > 0, 0.0).where(s.notna())
    return low, high.where(s.notna())


def rate_per_10000(
    counts: pd.Series, populations: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """S ÷ P × 10,000 with its Garwood 95 % interval (people per 10,000; NaN when missing)."""
    low, high = garwood_interval(counts)
    return (
        divide(counts, populations) * 10_000,
        divide(low, populations) * 10_000,
        divide(high, populations) * 10_000,
    )


def wilson_interval(
    successes: pd.Series, trials: pd.Series, level: float = 0.95
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Share x ÷ n with the Wilson score interval; NaN where n is 0 or missing.

    When x > n (allowed in the data: someone can be referred by another route) the share is
    still given, but the interval is not, because a binomial interval does not apply.
    """
    x = pd.to_numeric(successes, errors="coerce").astype("float64")
    n = pd.to_numeric(trials, errors="coerce").astype("float64")
    z = float(norm.ppf(1 - (1 - level) / 2))
    share = divide(x, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z**2 / n
        centre = (share + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2))
    valid = share.notna() & (x <= n)
    return (
        share,
        (centre - half).clip(lower=0).where(valid),
        (centre + half).clip(upper=1).where(valid),
    )


def signalling_ratio(
    counts: pd.Series, expected: pd.Series, expected_low: pd.Series, expected_high: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """S ÷ expected and its interval [S ÷ expected_high, S ÷ expected_low] (S held fixed)."""
    s = _floats(counts)  # once, not in each division
    return divide(s, expected), divide(s, expected_high), divide(s, expected_low)
