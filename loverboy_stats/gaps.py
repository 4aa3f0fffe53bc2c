"""The signalling-gap model (METHOD.md): one aggregation into a gap table for every level.

Every number about the local signalling gap is computed here, once, for pages, exports and the
command line. Definitions, with S signalled, M reported to CoMensha, R referred, T in treatment
and P the reference population:

* expected = rate × P, an *apportioned estimate* of the national figure
  (:mod:`loverboy_stats.estimates`);
* signalling ratio S ÷ expected, interval [S ÷ expected_U, S ÷ expected_L];
* per 10,000: S ÷ P × 10,000 with the exact Poisson (Garwood) 95 % interval;
* referral share R ÷ S with the Wilson 95 % interval (:mod:`loverboy_stats.intervals`);
* treatment reach T ÷ expected; not reached max(expected − T, 0), flagged when T > expected.

Regions are ratios of sums over the municipalities that reported the count (one aggregation for
every level, municipalities being groups of one). Missing counts stay missing, never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loverboy_stats.estimates import (
    DEFAULT_ESTIMATE,
    DEFAULT_POPULATION,
    GIRLS_RATE_FIGURE,
    GapInputError,
    expected_victims,
    girls_rate,
    interval_published,
    national_estimate,
    reference_population,
)
from loverboy_stats.intervals import divide, rate_per_10000, signalling_ratio, wilson_interval
from loverboy_stats.reference import (
    NATIONAL_POPULATION_2024,
    REGION_LEVELS,
    TOTAL_CODE,
    TOTAL_NAME,
    load_municipalities,
)
from loverboy_stats.schema import (
    BASE_COLUMNS,
    COUNT_COLUMNS,
    COVERAGE_COLUMNS,
    EXTRA_COLUMNS,
    FLAG_COLUMN,
    GAP_COLUMNS,
    MEMBER_COLUMNS,
    PROTECTED_COLUMNS,
    REFERRAL_BASE_COLUMN,
    STATUS_COLUMNS,
    CellStatus,
    GapTable,
    TableMeta,
    status_column,
)

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


def _member_frame(local: pd.DataFrame, level: str, population: str, estimate: str) -> pd.DataFrame:
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
        if "regio" not in local.columns or local["regio"].isna().all():
            raise GapInputError("Voor het niveau 'regio' is een kolom regio nodig in de upload.")
        members = local[["gemeentecode"]].copy()
        members["groep_code"] = local["regio"].astype("string")
        members["groep_naam"] = members["groep_code"]
        members = members[members["groep_code"].notna()]
    elif level == "totaal":
        members = local[["gemeentecode"]].copy()
        members["groep_code"] = TOTAL_CODE
        members["groep_naam"] = TOTAL_NAME
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
    return members.join(expected_victims(members["referentiepopulatie"], population, estimate))


def aggregate(members: pd.DataFrame) -> pd.DataFrame:
    """Ratio-of-sums aggregation of municipal rows into groups (``groep_code``/``groep_naam``).

    The one aggregation for every level (a municipality is a group of one). Every figure is a
    ratio of sums over the members that reported its numerator, and the denominator shown beside
    it is that same sum (METHOD.md, "Regions"):

    * a count is Σ over the members that reported it (missing when none did);
    * ``verwacht`` and ``referentiepopulatie`` sum over the members that reported S, and are the
      denominators of ``signaleringsratio`` and ``per_10000`` (missing, and the ratio with them,
      when such a member's population is unknown); ``*_hele_regio`` sum over all members;
    * ``doorverwijspercentage`` = R ÷ ``basis_doorverwijspercentage`` (Σ S over the members that
      reported R); the bases of M and T likewise, for the funnel;
    * ``bereik_behandeling`` = T ÷ ``verwacht_behandeling`` (Σ expected over the members that
      reported T), ``niet_bereikt`` = that expected value − T, not below 0;
    * ``dekking_*``: the share of the group's reference population in members that reported the
      count (missing when a member's population is unknown);
    * ``gemeenten``: the number of members, ``gemeenten_*`` of those that reported each count.

    Returns :data:`GAP_COLUMNS`, :data:`EXTRA_COLUMNS` and :data:`STATUS_COLUMNS`.
    """
    m = members
    population = m["referentiepopulatie"]
    unknown_p = population.isna()
    reported = {column: m[column].notna() for column in COUNT_COLUMNS}
    signalled = reported["gesignaleerd"]
    treated = reported["in_behandeling"]
    expected = ("verwacht", "verwacht_laag", "verwacht_hoog")

    # Columns are collected in dicts and made into a frame once: inserting ~60 columns one by
    # one cost most of the time of a table set (six levels per year).
    parts: dict[str, pd.Series | int] = {"code": m["groep_code"], "naam": m["groep_naam"]}
    for column in COUNT_COLUMNS:
        parts[column] = m[column]
        parts[f"p|{column}"] = population.where(reported[column])
    for column, base in BASE_COLUMNS.items():
        parts[base] = m["gesignaleerd"].where(reported[column] & signalled)
    for column in expected:
        parts[f"{column}|s"] = m[column].where(signalled)
        parts[f"{column}|alle"] = m[column]
    parts["verwacht|t"] = m["verwacht"].where(treated)
    parts["p|alle"] = population
    parts["n|alle"] = 1
    for column in COUNT_COLUMNS:
        parts[f"n|{column}"] = reported[column].astype(int)
    # Members whose population is unknown make a denominator over them unknown as well.
    parts["?|s"] = (unknown_p & signalled).astype(int)
    parts["?|t"] = (unknown_p & treated).astype(int)
    parts["?|alle"] = unknown_p.astype(int)

    grouped = pd.DataFrame(parts, index=m.index).groupby(["code", "naam"], sort=True, dropna=False)
    sums = grouped.sum(min_count=1).reset_index()

    def known(column: str, over: str) -> pd.Series:
        values = pd.to_numeric(sums[column], errors="coerce").astype("float64")
        return values.where(sums[f"?|{over}"].fillna(0) == 0)

    out: dict[str, pd.Series] = {"code": sums["code"], "naam": sums["naam"]}
    for column in COUNT_COLUMNS:
        out[column] = sums[column].astype("Int64")
    out["referentiepopulatie"] = known("p|gesignaleerd", "s")
    for column in expected:
        out[column] = known(f"{column}|s", "s")
    ratio, ratio_low, ratio_high = signalling_ratio(
        out["gesignaleerd"], out["verwacht"], out["verwacht_laag"], out["verwacht_hoog"]
    )
    out["signaleringsratio"] = ratio
    out["signaleringsratio_laag"] = ratio_low
    out["signaleringsratio_hoog"] = ratio_high
    rate, rate_low, rate_high = rate_per_10000(out["gesignaleerd"], out["referentiepopulatie"])
    out["per_10000"] = rate
    out["per_10000_laag"] = rate_low
    out["per_10000_hoog"] = rate_high
    for base in BASE_COLUMNS.values():
        out[base] = sums[base].astype("Int64")
    share, share_low, share_high = wilson_interval(out["doorverwezen"], out[REFERRAL_BASE_COLUMN])
    out["doorverwijspercentage"] = share
    expected_t = known("verwacht|t", "t")
    out["bereik_behandeling"] = divide(out["in_behandeling"], expected_t)
    gap = expected_t - pd.to_numeric(out["in_behandeling"], errors="coerce").astype("float64")
    out["niet_bereikt"] = gap.clip(lower=0)
    whole = known("p|alle", "alle")
    for column, coverage in COVERAGE_COLUMNS.items():
        out[coverage] = divide(sums[f"p|{column}"].fillna(0), whole)
    out["doorverwijspercentage_laag"] = share_low
    out["doorverwijspercentage_hoog"] = share_high
    out[FLAG_COLUMN] = (gap < 0).astype("boolean").where(gap.notna(), pd.NA)
    out["verwacht_hele_regio"] = known("verwacht|alle", "alle")
    out["referentiepopulatie_hele_regio"] = whole
    out["verwacht_behandeling"] = expected_t
    for over, column in MEMBER_COLUMNS.items():
        out[column] = sums[f"n|{over}"].astype("int64")
    for column in PROTECTED_COLUMNS:
        reported_sum = out[column].notna().to_numpy()
        status = np.where(reported_sum, CellStatus.SHOWN.value, CellStatus.NOT_REPORTED.value)
        out[status_column(column)] = pd.Series(status, index=sums.index, dtype="str")
    columns = [*GAP_COLUMNS, *EXTRA_COLUMNS, *STATUS_COLUMNS]
    if all(out[c].index.equals(sums.index) for c in columns):
        # All made from ``sums``: the bare arrays spare pandas aligning ~60 indexes.
        return pd.DataFrame({c: out[c].array for c in columns}, index=sums.index)
    return pd.DataFrame({c: out[c] for c in columns})


def gap_table(
    local: pd.DataFrame,
    *,
    level: str = "gemeente",
    year: int | None = None,
    population: str = DEFAULT_POPULATION,
    estimate: str = DEFAULT_ESTIMATE,
) -> GapTable:
    """The signalling-gap table for local counts at ``level`` (see :class:`GapTable`).

    ``local`` has columns ``gemeentecode`` (CBS code), ``jaar``, ``gesignaleerd``,
    ``gemeld_comensha``, ``doorverwezen``, ``in_behandeling`` (nullable Int64; missing = not
    reported), optional ``referentiepopulatie`` (people, needed for population "eigen") and
    optional ``regio`` (own grouping, needed for level "regio"). ``year`` None takes the most
    recent year in ``local``. Level "totaal" is one row for all municipalities in ``local``.

    Rows are sorted by code. Ratios and shares are unrounded fractions. Every figure covers the
    members that reported its count, and the denominator beside it is that same sum (see
    :func:`aggregate`), so a ratio is always the row's shown numerator ÷ shown denominator. No
    count is hidden here: publication mode is :mod:`loverboy_stats.privacy`.
    """
    chosen, year = _select_year(local, year)
    members = _member_frame(chosen, level, population, estimate)
    meta = TableMeta(
        level=level,
        year=year,
        population=population,
        estimate=GIRLS_RATE_FIGURE if population == "eigen" else estimate,
        interval_published=interval_published(population, estimate),
    )
    return GapTable(aggregate(members), meta)


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
    row = gap_table(counts, estimate=estimate).frame.iloc[0].copy()
    chosen = national_estimate(estimate)
    row["landelijke_schatting"] = chosen.value
    row["schatting_laag"] = chosen.interval_low if chosen.has_interval else float("nan")
    row["schatting_hoog"] = chosen.interval_high if chosen.has_interval else float("nan")
    row["landelijke_bevolking"] = float(NATIONAL_POPULATION_2024)
    row["meisjes_per_100000"] = girls_rate() * 100_000
    return row
