"""The signalling-gap model (METHOD.md): expected victims, ratios, intervals, region aggregation.

Every number about the local signalling gap is computed here, once, for pages, exports and the
command line. Definitions, with S signalled, M reported to CoMensha, R referred, T in treatment
and P the reference population:

* expected = rate × P, an *apportioned estimate* of the national figure (see
  :data:`POPULATION_OPTIONS`); with a published estimate interval [L, U]: [L, U] × P ÷ P_national;
* signalling ratio S ÷ expected, interval [S ÷ expected_U, S ÷ expected_L];
* per 10,000: S ÷ P × 10,000 with the exact Poisson (Garwood) 95 % interval;
* referral share R ÷ S with the Wilson 95 % interval;
* treatment reach T ÷ expected; not reached max(expected − T, 0), flagged when T > expected.

Regions are ratios of sums over the municipalities that reported the count (one aggregation for
every level, municipalities being groups of one). Missing counts stay missing, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from loverboy_stats.national import load_national
from loverboy_stats.reference import (
    NATIONAL_POPULATION_2024,
    REGION_LEVELS,
    load_municipalities,
)

DEFAULT_ESTIMATE = "minderjarigen_geschat"
#: NRM prevalence among Dutch girls aged 12-17 (per 100,000), the rate of the "eigen" option.
GIRLS_RATE_FIGURE = "meisjes_12_17_per_100000_2017"
ESTIMATE_UNIT = "slachtoffers per jaar"

#: Population options: id -> Dutch label. "inwoners" is the default.
POPULATION_OPTIONS: dict[str, str] = {
    "inwoners": "naar inwoners",
    "jongeren": "naar jongeren van 15 tot 25 jaar (benadering)",
    "eigen": "naar meisjes van 12 tot en met 17 jaar (eigen referentiepopulatie)",
}
DEFAULT_POPULATION = "inwoners"

COUNT_COLUMNS = ["gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling"]

#: Columns of the gap table, in this order. Ratios and shares are fractions, unrounded;
#: a missing value (NaN / pd.NA) means "not available", never 0.
GAP_COLUMNS = [
    "code",
    "naam",
    "gesignaleerd",
    "gemeld_comensha",
    "doorverwezen",
    "in_behandeling",
    "referentiepopulatie",
    "verwacht",
    "verwacht_laag",
    "verwacht_hoog",
    "signaleringsratio",
    "signaleringsratio_laag",
    "signaleringsratio_hoog",
    "per_10000",
    "per_10000_laag",
    "per_10000_hoog",
    "doorverwijspercentage",
    "bereik_behandeling",
    "niet_bereikt",
    "dekking",
]
#: True where T > expected (then ``niet_bereikt`` is 0): "meer in behandeling dan verwacht".
FLAG_COLUMN = "meer_in_behandeling_dan_verwacht"
#: Columns after :data:`GAP_COLUMNS`: the Wilson 95 % interval of the referral share (fractions)
#: and the flag. Kept after the fixed 20 so that consumers relying on that order are unaffected.
#: The denominator of a region's referral share: Σ S over the members that also reported R.
#: It can be a small count even when the region's total S is not, so publication mode needs it
#: (and does not show it).
REFERRAL_BASE_COLUMN = "basis_doorverwijspercentage"
EXTRA_COLUMNS = [
    "doorverwijspercentage_laag",
    "doorverwijspercentage_hoog",
    FLAG_COLUMN,
    REFERRAL_BASE_COLUMN,
]

_Z95 = float(norm.ppf(0.975))


class GapInputError(ValueError):
    """The local counts or the chosen options cannot be used (message in Dutch)."""


# --------------------------------------------------------------------------------------------
# National estimate and expected victims


@dataclass(frozen=True)
class NationalEstimate:
    """A national estimate of victims per year, with its published interval if there is one."""

    figure_id: str
    value: float
    interval_low: float | None
    interval_high: float | None
    period: str
    label: str

    @property
    def has_interval(self) -> bool:
        return self.interval_low is not None and self.interval_high is not None


def national_estimate(figure_id: str = DEFAULT_ESTIMATE) -> NationalEstimate:
    """The figure ``figure_id`` from data/national as an estimate (victims per year).

    Raises :class:`GapInputError` when the figure does not exist or is not an annual estimate.
    """
    data = load_national()
    try:
        figure = data.figure(figure_id)
    except KeyError as exc:
        raise GapInputError(f"Landelijke schatting '{figure_id}' bestaat niet.") from exc
    if figure.unit != ESTIMATE_UNIT or figure.value is None:
        options = ", ".join(f.figure_id for f in data.estimate_options())
        raise GapInputError(
            f"'{figure_id}' is geen landelijke schatting van slachtoffers per jaar. "
            f"Kies uit: {options}."
        )
    return NationalEstimate(
        figure_id=figure.figure_id,
        value=float(figure.value),
        interval_low=figure.interval_low,
        interval_high=figure.interval_high,
        period=figure.period,
        label=figure.indicator,
    )


def girls_rate() -> float:
    """The NRM prevalence among Dutch girls 12-17 as a fraction (257 per 100,000 -> 0.00257)."""
    return float(load_national().figure(GIRLS_RATE_FIGURE).value) / 100_000


def reference_population(
    codes: pd.Series,
    population: str = DEFAULT_POPULATION,
    own: pd.Series | None = None,
) -> pd.Series:
    """Reference population P (people) for each municipality code in ``codes``.

    * "inwoners": inhabitants on 1 January 2024;
    * "jongeren": inhabitants × CBS share aged 15-25 (whole percents, so an approximation);
    * "eigen": ``own`` (aligned on ``codes``), the user's own column, e.g. girls 12-17.

    Float64 on the index of ``codes``; missing where the code is unknown or ``own`` is missing.
    """
    if population not in POPULATION_OPTIONS:
        raise GapInputError(
            f"Onbekende referentiepopulatie '{population}'; kies uit "
            + ", ".join(POPULATION_OPTIONS)
            + "."
        )
    if population == "eigen":
        if own is None:
            raise GapInputError(
                "Voor de optie 'eigen' is een kolom referentiepopulatie nodig in de upload."
            )
        return pd.to_numeric(own, errors="coerce").astype("Float64").reindex(codes.index)
    table = load_municipalities()
    people = table["inwoners"].astype("float64")
    if population == "jongeren":
        people = people * table["pct_15_25"] / 100
    return pd.Series(codes.map(people).to_numpy(), index=codes.index, dtype="Float64")


def expected_victims(
    populations: pd.Series,
    population: str = DEFAULT_POPULATION,
    estimate: str = DEFAULT_ESTIMATE,
) -> pd.DataFrame:
    """Expected victims per year for reference populations ``populations`` (people).

    Returns ``verwacht``, ``verwacht_laag``, ``verwacht_hoog`` on the same index (Float64).
    The bounds are missing when the estimate has no published interval (and always for
    "eigen": the girls prevalence has none); ``attrs["interval_gepubliceerd"]`` says which.
    A missing population gives a missing expected value.

    The national denominator is the national population on 1 January 2024 for "inwoners" and
    the national sum of inhabitants × share 15-25 for "jongeren", so that summing expected over
    all 342 municipalities gives the national estimate back.
    """
    p = pd.to_numeric(populations, errors="coerce").astype("Float64")
    if population == "eigen":
        rate, low_rate, high_rate = girls_rate(), None, None
        figure_id = GIRLS_RATE_FIGURE
    else:
        chosen = national_estimate(estimate)
        if population == "inwoners":
            national = float(NATIONAL_POPULATION_2024)
        elif population == "jongeren":
            table = load_municipalities()
            national = float((table["inwoners"] * table["pct_15_25"] / 100).sum())
        else:
            reference_population(pd.Series(dtype=str), population)  # raises a clear error
            raise AssertionError("unreachable")
        rate = chosen.value / national
        low_rate = chosen.interval_low / national if chosen.has_interval else None
        high_rate = chosen.interval_high / national if chosen.has_interval else None
        figure_id = chosen.figure_id
    missing = pd.Series(pd.NA, index=p.index, dtype="Float64")
    out = pd.DataFrame(
        {
            "verwacht": p * rate,
            "verwacht_laag": p * low_rate if low_rate is not None else missing,
            "verwacht_hoog": p * high_rate if high_rate is not None else missing,
        },
        index=p.index,
    )
    out.attrs.update(
        schatting=figure_id,
        populatie=population,
        interval_gepubliceerd=low_rate is not None,
    )
    return out


# --------------------------------------------------------------------------------------------
# Ratios and intervals (vectorised; inputs are aligned Series, missing stays missing)


def _div(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator ÷ denominator as float64, NaN where either is missing or the divisor is 0."""
    num = pd.to_numeric(numerator, errors="coerce").astype("float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("float64")
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
        _div(counts, populations) * 10_000,
        _div(low, populations) * 10_000,
        _div(high, populations) * 10_000,
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
    share = _div(x, n)
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
    return _div(counts, expected), _div(counts, expected_high), _div(counts, expected_low)


# --------------------------------------------------------------------------------------------
# Local counts -> gap table


def _select_year(local: pd.DataFrame, year: int | None) -> tuple[pd.DataFrame, int | None]:
    if "jaar" not in local.columns:
        return local, year
    years = pd.to_numeric(local["jaar"], errors="coerce")
    if year is None:
        if years.notna().any():
            year = int(years.max())  # the most recent year when none is chosen
        else:
            return local, None
    chosen = local[years == year]
    if chosen.empty:
        available = ", ".join(str(int(y)) for y in sorted(years.dropna().unique()))
        raise GapInputError(f"Geen gegevens voor jaar {year}. Beschikbaar: {available}.")
    return chosen, year


def _member_frame(
    local: pd.DataFrame, level: str, population: str, estimate: str
) -> tuple[pd.DataFrame, dict]:
    """One row per municipality of interest with its counts, P, expected and group code/name."""
    if "gemeentecode" not in local.columns or "gesignaleerd" not in local.columns:
        raise GapInputError("De lokale cijfers missen de kolom gemeentecode of gesignaleerd.")
    if local["gemeentecode"].duplicated().any():
        dup = local.loc[local["gemeentecode"].duplicated(), "gemeentecode"].iloc[0]
        raise GapInputError(f"Gemeente {dup} komt meer dan eens voor in hetzelfde jaar.")
    reference = load_municipalities()
    local = local.set_index(local["gemeentecode"].astype(str), drop=False)
    unknown = sorted(set(local.index) - set(reference.index))
    if unknown:
        raise GapInputError(f"Onbekende gemeentecodes: {', '.join(unknown[:5])}.")
    spec = REGION_LEVELS.get(level)
    if spec is None:
        raise GapInputError(f"Onbekend niveau '{level}'; kies uit {', '.join(REGION_LEVELS)}.")

    if level == "regio":
        if "regio" not in local.columns:
            raise GapInputError("Voor het niveau 'regio' is een kolom regio nodig in de upload.")
        members = local[["gemeentecode"]].copy()
        members["groep_code"] = local["regio"].astype("string")
        members["groep_naam"] = members["groep_code"]
        members = members[members["groep_code"].notna()]
    elif level == "gemeente":
        members = local[["gemeentecode"]].copy()
        members["groep_code"] = members["gemeentecode"]
        members["groep_naam"] = reference.loc[members.index, "gemeentenaam"]
    else:
        # Every municipality of a region counts for coverage, also those not in the upload.
        shown = reference[spec.code_column].isin(reference.loc[local.index, spec.code_column])
        members = reference.loc[shown, ["gemeentecode"]].copy()
        members["groep_code"] = reference.loc[shown, spec.code_column]
        members["groep_naam"] = reference.loc[shown, spec.name_column]

    for column in COUNT_COLUMNS:
        values = local[column] if column in local.columns else pd.Series(pd.NA, index=local.index)
        members[column] = (
            pd.to_numeric(values, errors="coerce").astype("Int64").reindex(members.index)
        )
    own = local["referentiepopulatie"] if "referentiepopulatie" in local.columns else None
    if own is not None:
        own = own.reindex(members.index)
    members["referentiepopulatie"] = reference_population(members["gemeentecode"], population, own)
    expected = expected_victims(members["referentiepopulatie"], population, estimate)
    members = members.join(expected)
    return members, dict(expected.attrs)


def aggregate(members: pd.DataFrame) -> pd.DataFrame:
    """Ratio-of-sums aggregation of municipal rows into groups (``groep_code``/``groep_naam``).

    The one aggregation for every level (a municipality is a group of one). Each ratio sums
    numerator and denominator over the members that reported the count and have a reference
    population: Σ S ÷ Σ expected, never the mean of municipal ratios. ``dekking`` is the share
    of the group's reference population in members that reported ``gesignaleerd`` (missing when
    a member's population is unknown). Returns :data:`GAP_COLUMNS` + :data:`EXTRA_COLUMNS`.
    """
    m = members
    has_p = m["referentiepopulatie"].notna()
    rep_s = m["gesignaleerd"].notna() & has_p
    rep_r = m["doorverwezen"].notna() & m["gesignaleerd"].notna()
    rep_t = m["in_behandeling"].notna() & m["verwacht"].notna()

    parts = pd.DataFrame(index=m.index)
    parts["code"] = m["groep_code"]
    parts["naam"] = m["groep_naam"]
    for column in COUNT_COLUMNS:
        parts[column] = m[column]
    parts["p_s"] = m["referentiepopulatie"].where(rep_s)
    parts["s_s"] = m["gesignaleerd"].where(rep_s)
    for column in ("verwacht", "verwacht_laag", "verwacht_hoog"):
        parts[f"{column}_s"] = m[column].where(rep_s)
    parts["r_r"] = m["doorverwezen"].where(rep_r)
    parts["s_r"] = m["gesignaleerd"].where(rep_r)
    parts["t_t"] = m["in_behandeling"].where(rep_t)
    parts["e_t"] = m["verwacht"].where(rep_t)
    parts["p_all"] = m["referentiepopulatie"]
    for column in ("verwacht", "verwacht_laag", "verwacht_hoog"):
        parts[column] = m[column]
    parts["p_unknown"] = (~has_p).astype(int)

    grouped = parts.groupby(["code", "naam"], sort=True, dropna=False)
    sums = grouped.sum(min_count=1).reset_index()

    out = pd.DataFrame({"code": sums["code"], "naam": sums["naam"]})
    for column in COUNT_COLUMNS:
        out[column] = sums[column].astype("Int64")
    # P and expected describe the whole group (how many victims the region would have at the
    # national prevalence), whether or not every member reported; the ratios below use only the
    # reporting members and ``dekking`` says how much of the group that is.
    out["referentiepopulatie"] = sums["p_all"].astype("float64")
    out["verwacht"] = sums["verwacht"].astype("float64")
    out["verwacht_laag"] = sums["verwacht_laag"].astype("float64")
    out["verwacht_hoog"] = sums["verwacht_hoog"].astype("float64")
    ratio, ratio_low, ratio_high = signalling_ratio(
        sums["s_s"], sums["verwacht_s"], sums["verwacht_laag_s"], sums["verwacht_hoog_s"]
    )
    out["signaleringsratio"] = ratio
    out["signaleringsratio_laag"] = ratio_low
    out["signaleringsratio_hoog"] = ratio_high
    rate, rate_low, rate_high = rate_per_10000(sums["s_s"], sums["p_s"])
    out["per_10000"] = rate
    out["per_10000_laag"] = rate_low
    out["per_10000_hoog"] = rate_high
    share, share_low, share_high = wilson_interval(sums["r_r"], sums["s_r"])
    out["doorverwijspercentage"] = share
    out["bereik_behandeling"] = _div(sums["t_t"], sums["e_t"])
    treated = pd.to_numeric(sums["t_t"], errors="coerce").astype("float64")
    expected_t = pd.to_numeric(sums["e_t"], errors="coerce").astype("float64")
    gap = expected_t - treated
    out["niet_bereikt"] = gap.clip(lower=0)
    coverage = _div(sums["p_s"].fillna(0), sums["p_all"])
    out["dekking"] = coverage.where(sums["p_unknown"] == 0)
    out["doorverwijspercentage_laag"] = share_low
    out["doorverwijspercentage_hoog"] = share_high
    out[FLAG_COLUMN] = (gap < 0).astype("boolean").where(gap.notna(), pd.NA)
    out[REFERRAL_BASE_COLUMN] = sums["s_r"].astype("Int64")
    return out[[*GAP_COLUMNS, *EXTRA_COLUMNS]]


def gap_table(
    local: pd.DataFrame,
    *,
    level: str = "gemeente",
    year: int | None = None,
    population: str = DEFAULT_POPULATION,
    estimate: str = DEFAULT_ESTIMATE,
) -> pd.DataFrame:
    """The signalling-gap table for local counts at ``level`` (see :data:`GAP_COLUMNS`).

    ``local`` has columns ``gemeentecode`` (CBS code), ``jaar``, ``gesignaleerd``,
    ``gemeld_comensha``, ``doorverwezen``, ``in_behandeling`` (nullable Int64; missing = not
    reported), optional ``referentiepopulatie`` (people, needed for population "eigen") and
    optional ``regio`` (own grouping, needed for level "regio"). ``year`` None takes the most
    recent year in ``local``.

    Rows are sorted by code. Ratios and shares are unrounded fractions. Counts and ratios of a
    region sum over the municipalities that reported the count; ``referentiepopulatie`` and
    ``verwacht`` cover the whole region (all its municipalities with a known population), so
    with ``dekking`` below 1 the ratio is not ``gesignaleerd ÷ verwacht``.
    ``attrs`` holds ``jaar``, ``niveau``, ``populatie``, ``schatting`` and
    ``interval_gepubliceerd`` (False: no interval for the estimate is published, so the
    ``*_laag``/``*_hoog`` columns of ``verwacht`` and ``signaleringsratio`` are empty).
    """
    chosen, year = _select_year(local, year)
    members, attrs = _member_frame(chosen, level, population, estimate)
    table = aggregate(members)
    table.attrs.update(attrs, jaar=year, niveau=level)
    return table


def municipal_groups(local: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """Every grouping whose totals could be published next to municipal rows ``codes``.

    One column per reference level, the own ``regio`` (when ``local`` has it) and the whole
    country; used for secondary suppression so that no region total reveals a suppressed
    municipality, whichever region table is shown or exported beside it.
    """
    reference = load_municipalities()
    groups = pd.DataFrame(index=codes.index)
    for level, spec in REGION_LEVELS.items():
        if spec.code_column is None or level == "gemeente":
            continue
        groups[level] = codes.map(reference[spec.code_column])
    if "regio" in local.columns:
        regions = local.drop_duplicates("gemeentecode").set_index("gemeentecode")["regio"]
        groups["regio"] = codes.map(regions)
    groups["nederland"] = "NL"
    return groups


#: Invented counts for the worked example on the "Methode" page (a real municipality's
#: population, made-up counts, so the page can show every step without real data).
EXAMPLE_CODE = "GM0193"  # Zwolle
EXAMPLE_COUNTS = {"gesignaleerd": 6, "gemeld_comensha": 2, "doorverwezen": 3, "in_behandeling": 2}


def worked_example(estimate: str = DEFAULT_ESTIMATE) -> pd.Series:
    """One row of the gap table for :data:`EXAMPLE_CODE` with the invented
    :data:`EXAMPLE_COUNTS` (publication mode does not apply: the counts are fictitious).

    The row also carries ``landelijke_schatting`` (victims per year), ``landelijke_bevolking``
    (people) and the interval bounds of the estimate (NaN when none is published).
    """
    counts = pd.DataFrame([{"gemeentecode": EXAMPLE_CODE, "jaar": 2024, **EXAMPLE_COUNTS}])
    row = gap_table(counts, estimate=estimate).iloc[0].copy()
    chosen = national_estimate(estimate)
    row["landelijke_schatting"] = chosen.value
    row["schatting_laag"] = chosen.interval_low if chosen.has_interval else float("nan")
    row["schatting_hoog"] = chosen.interval_high if chosen.has_interval else float("nan")
    row["landelijke_bevolking"] = float(NATIONAL_POPULATION_2024)
    row["meisjes_per_100000"] = girls_rate() * 100_000
    return row
