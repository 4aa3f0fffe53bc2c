"""Expected victims: a national annual estimate apportioned to a reference population.

expected = rate × P, where P is an area's reference population and the rate a national
prevalence (METHOD.md, "Expected victims"): by inhabitants (default), by young people aged 15-25
(an approximation) or by girls aged 12-17 (the NRM prevalence, with a population the user
uploads). With a published estimate interval [L, U] the expected value gets [L, U] × P ÷
P_national; where none is published, none is made up. Always an apportioned estimate, never a
count of victims in the area.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loverboy_stats.national import load_national
from loverboy_stats.reference import NATIONAL_POPULATION_2024, load_municipalities

DEFAULT_ESTIMATE = "minderjarigen_geschat"
#: NRM prevalence among Dutch girls aged 12-17 (per 100,000), the rate of the "eigen" option.
GIRLS_RATE_FIGURE = "meisjes_12_17_per_100000_2017"

#: Population options: id -> Dutch label. "inwoners" is the default.
POPULATION_OPTIONS: dict[str, str] = {
    "inwoners": "naar inwoners",
    "jongeren": "naar jongeren van 15 tot 25 jaar (benadering)",
    "eigen": "naar meisjes van 12 tot en met 17 jaar (eigen referentiepopulatie)",
}
DEFAULT_POPULATION = "inwoners"


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
    period: str | None
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
    if figure_id not in {f.figure_id for f in data.estimate_options()}:
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


def interval_published(
    population: str = DEFAULT_POPULATION, estimate: str = DEFAULT_ESTIMATE
) -> bool:
    """Whether the expected values of this option carry a published interval (never for
    "eigen": the girls prevalence has none)."""
    return population != "eigen" and national_estimate(estimate).has_interval


def expected_victims(
    populations: pd.Series,
    population: str = DEFAULT_POPULATION,
    estimate: str = DEFAULT_ESTIMATE,
) -> pd.DataFrame:
    """Expected victims per year for reference populations ``populations`` (people).

    Returns ``verwacht``, ``verwacht_laag``, ``verwacht_hoog`` on the same index (Float64).
    The bounds are missing when the estimate has no published interval (see
    :func:`interval_published`). A missing population gives a missing expected value.

    The national denominator is the national population on 1 January 2024 for "inwoners" and
    the national sum of inhabitants × share 15-25 for "jongeren", so that summing expected over
    all 342 municipalities gives the national estimate back.
    """
    p = pd.to_numeric(populations, errors="coerce").astype("Float64")
    if population == "eigen":
        rate, low_rate, high_rate = girls_rate(), None, None
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
    missing = pd.Series(pd.NA, index=p.index, dtype="Float64")
    return pd.DataFrame(
        {
            "verwacht": p * rate,
            "verwacht_laag": p * low_rate if low_rate is not None else missing,
            "verwacht_hoog": p * high_rate if high_rate is not None else missing,
        },
        index=p.index,
    )
