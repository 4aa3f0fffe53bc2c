"""Load and validate the national figures in ``data/national`` and compute the national gap.

``figures.csv`` holds one published figure per row, ``sources.csv`` the sources they cite. Both
are checked on load: a wrong row stops the load with a Dutch message that names the file, the
row (as a spreadsheet shows it: the header is row 1) and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd

from loverboy_stats.formatting import MISSING, format_count, format_number, format_percent
from loverboy_stats.models import NationalFigure, Source
from loverboy_stats.rowfiles import RowFileError, read_models
from loverboy_stats.settings import SHIPPED_DATA_DIR

NATIONAL_DIR = SHIPPED_DATA_DIR / "national"
FIGURES_FILE = "figures.csv"
SOURCES_FILE = "sources.csv"

#: Topics whose figures are estimates (the others are counts of registered people).
ESTIMATES = ("kloof", "schatting")
#: The unit of an estimate the gap model can apportion.
ESTIMATE_UNIT = "slachtoffers per jaar"
#: The two figures behind the headline gap.
ESTIMATE_ID = "minderjarigen_geschat"
TREATED_ID = "minderjarigen_in_behandeling"

#: A national data file that cannot be used (the message names file and row).
NationalDataError = RowFileError

GAP_CAVEAT = (
    "De twee getallen komen uit verschillende bronnen en perioden: een jaarlijkse schatting van "
    "het NRM tegenover een telling van cliënten in behandeling in het voorjaar van 2017. De "
    "verhouding is daarom een indicator van de kloof, geen gemeten percentage."
)


@dataclass(frozen=True)
class NationalData:
    """The validated national figures and the sources they cite."""

    figures: tuple[NationalFigure, ...]
    sources: dict[str, Source]

    def figure(self, figure_id: str) -> NationalFigure:
        for item in self.figures:
            if item.figure_id == figure_id:
                return item
        raise KeyError(f"onbekend landelijk cijfer '{figure_id}'")

    def sources_of(self, figure: NationalFigure) -> list[Source]:  # the pages it was read on
        return [self.sources[source_id] for source_id in figure.source_ids]

    def publications_of(self, figure: NationalFigure) -> list[Source]:
        """The original publications ``figure`` comes from, when its pages quote them."""
        return [self.sources[source_id] for source_id in figure.publication_ids]

    def _cited(self, figure_ids: tuple[str, ...]) -> tuple[list[Source], list[Source]]:
        """(publications, pages) behind ``figure_ids``, each once, in order of first use. A
        page is listed as 'via' when the figure names its original publication."""
        publications: dict[str, Source] = {}
        pages: dict[str, Source] = {}
        for figure_id in figure_ids:
            figure = self.figure(figure_id)
            for source in self.publications_of(figure):
                publications.setdefault(source.source_id, source)
            for source in self.sources_of(figure):
                pages.setdefault(source.source_id, source)
        return list(publications.values()), list(pages.values())

    def citation(self, *figure_ids: str, prefix: str = "Bron: ") -> str:
        """'Bron: publication (via page)' for the given figures: the original publications
        first, the pages that quote them after 'via'; a page that is itself the publication
        is cited as such."""
        publications, pages = self._cited(figure_ids)
        via = "; ".join(s.citation() for s in pages)
        if not publications:
            return prefix + via
        return f"{prefix}{'; '.join(s.citation() for s in publications)} (via {via})"

    def short_citation(self, *figure_ids: str) -> str:
        """'Bron: publisher (year); ...' for inside a chart; the full citation goes below it."""
        publications, pages = self._cited(figure_ids)
        names = dict.fromkeys(s.short() for s in publications or pages)
        return "Bron: " + "; ".join(names)

    def frame(self, topic: str | None = None) -> pd.DataFrame:
        """The figures as a table (one row per figure) with their source citations and URLs."""
        rows = []
        for item in self.figures:
            if topic is not None and item.topic != topic:
                continue
            sources = self.publications_of(item) + self.sources_of(item)
            rows.append(
                {
                    **item.model_dump(exclude={"source_ids", "publication_ids"}),
                    "start_year": item.start_year,
                    "end_year": item.end_year,
                    "source_ids": ";".join(item.source_ids),
                    "publication_ids": ";".join(item.publication_ids),
                    "bronnen": self.citation(item.figure_id, prefix=""),
                    "bron_urls": " ".join(s.url for s in sources if s.url),
                }
            )
        return pd.DataFrame(rows)

    def estimate_options(self) -> list[NationalFigure]:
        """Figures usable as a national estimate of victims per year (for the gap model): only
        estimates, never a count of registered or observed victims."""
        return [
            f
            for f in self.figures
            if f.unit == ESTIMATE_UNIT and f.value is not None and f.topic in ESTIMATES
        ]


def load_national(directory: Path | str = NATIONAL_DIR) -> NationalData:
    """Read and validate ``figures.csv`` and ``sources.csv`` in ``directory``.

    Raises :class:`NationalDataError` naming the file and row of the first problem. The shipped
    folder is read once per process.
    """
    path = Path(directory)
    return _load_cached(_resolved(path) if path.is_absolute() else path.resolve())


@lru_cache(maxsize=8)
def _resolved(directory: Path) -> Path:
    """An absolute folder's real path, found once: a chart's source asks on every rerun."""
    return directory.resolve()


@lru_cache(maxsize=8)
def _load_cached(directory: Path) -> NationalData:
    sources = {s.source_id: s for s in read_models(directory / SOURCES_FILE, Source, "source_id")}
    figures = read_models(directory / FIGURES_FILE, NationalFigure, "figure_id")
    for number, item in enumerate(figures, start=2):
        unknown = [s for s in (*item.source_ids, *item.publication_ids) if s not in sources]
        if unknown:
            raise NationalDataError(
                FIGURES_FILE,
                number,
                f"({item.figure_id}) onbekende bron '{unknown[0]}' (niet in {SOURCES_FILE})",
            )
    for number, item in enumerate(figures, start=2):
        if not any(sources[s].url for s in item.source_ids):
            raise NationalDataError(
                FIGURES_FILE,
                number,
                f"({item.figure_id}) geen bron met een adres: noem de pagina waar het staat",
            )
    return NationalData(figures=tuple(figures), sources=sources)


@dataclass(frozen=True)
class NationalGap:
    """The headline signalling gap: how many estimated minor victims reach specialised care.

    ``reach`` is a fraction (0.104, not 10.4). ``not_reached`` can be negative only if more
    people were in treatment than estimated, which the shipped data does not have.
    """

    estimated: float
    treated: float
    reach: float
    not_reached: float
    estimated_per_treated: float
    estimate: NationalFigure
    treatment: NationalFigure


def national_gap(
    data: NationalData, estimate_id: str = ESTIMATE_ID, treated_id: str = TREATED_ID
) -> NationalGap:
    """Reach = treated ÷ estimated; not reached = estimated − treated; estimated per treated."""
    estimate, treatment = data.figure(estimate_id), data.figure(treated_id)
    if not estimate.value or treatment.value is None:
        raise ValueError("de kloof vraagt een geschat aantal > 0 en een aantal in behandeling")
    estimated, treated = estimate.value, treatment.value
    return NationalGap(
        estimated=estimated,
        treated=treated,
        reach=treated / estimated,
        not_reached=estimated - treated,
        estimated_per_treated=estimated / treated if treated else float("inf"),
        estimate=estimate,
        treatment=treatment,
    )


def gap_table(gap: NationalGap) -> pd.DataFrame:
    """The gap's figures as a table for download: each row names its source figure."""
    return pd.DataFrame(
        [
            ("geschat aantal minderjarige slachtoffers", gap.estimated, gap.estimate.figure_id),
            ("in behandeling", gap.treated, gap.treatment.figure_id),
            ("niet bereikt (geschat − in behandeling)", gap.not_reached, "berekend"),
            ("bereikt (in behandeling ÷ geschat)", gap.reach, "berekend"),
            (
                "geschatte slachtoffers per slachtoffer in behandeling",
                gap.estimated_per_treated,
                "berekend",
            ),
        ],
        columns=["grootheid", "waarde", "cijfer_id"],
    )


def registrations(data: NationalData) -> pd.DataFrame:
    """Registrations of possible victims, all forms and ages: year, series, value, source.

    Only rows of the total count (not the age subgroups) so each series is one line.
    """
    frame = data.frame("registraties")
    frame = frame[frame["population_group"] == "alle vormen en leeftijden"]
    return (
        frame.assign(jaar=frame["start_year"])
        .loc[:, ["jaar", "series", "value", "figure_id", "bronnen", "bron_urls"]]
        .rename(columns={"series": "reeks", "value": "registraties"})
        .sort_values(["reeks", "jaar"], ignore_index=True)
    )


#: Which estimates make one comparable line over time, with the Dutch label of each line.
ESTIMATE_LINES = {
    "mh_geschat_2017": "mensenhandel, alle vormen",
    "mh_geschat_2021": "mensenhandel, alle vormen",
    "bsu_geschat_2017": "seksuele uitbuiting (binnenlands)",
    "bsu_nl_geschat_2019": "seksuele uitbuiting (binnenlands)",
    "minderjarigen_geschat": "minderjarigen, seksuele uitbuiting",
    "meisjes_minderjarig_geschat_2017": "minderjarige meisjes, seksuele uitbuiting",
    "bsu_minderjarig_geschat_2019": "minderjarigen, seksuele uitbuiting",
}


def estimates(data: NationalData) -> pd.DataFrame:
    """National estimates of victims per year with their published ranges (may be empty)."""
    frame = data.frame()
    # A figure whose sources name no period cannot be placed on a time axis.
    frame = frame[frame["figure_id"].isin(ESTIMATE_LINES) & frame["start_year"].notna()].copy()
    frame["reeks"] = frame["figure_id"].map(ESTIMATE_LINES)
    frame["midden_jaar"] = (frame["start_year"] + frame["end_year"]) / 2
    return (
        frame.loc[
            :,
            [
                "reeks",
                "period",
                "midden_jaar",
                "value",
                "qualifier",
                "interval_low",
                "interval_high",
                "population_group",
                "series",
                "figure_id",
                "bronnen",
                "bron_urls",
            ],
        ]
        .rename(
            columns={
                "period": "periode",
                "value": "schatting",
                "qualifier": "kwalificatie",
                "interval_low": "ondergrens",
                "interval_high": "bovengrens",
                "population_group": "groep",
                "series": "schatter",
            }
        )
        .sort_values(["reeks", "midden_jaar"], ignore_index=True)
    )


@dataclass(frozen=True)
class KeyFigure:
    """A headline figure ready for display: Dutch label, Dutch-formatted value, explanation."""

    label: str
    value: str
    help: str


def gap_key_figures(gap: NationalGap) -> list[KeyFigure]:
    """The four headline figures of the national gap, formatted in Dutch notation."""
    est, treated = format_count(gap.estimated), format_count(gap.treated)
    return [
        KeyFigure(
            "Geschatte slachtoffers",
            est,
            "Geschat aantal minderjarige slachtoffers (schatting NRM): jaarlijkse schatting van "
            "minderjarige slachtoffers van seksuele uitbuiting "
            + (
                f"(periode {gap.estimate.period}); "
                if gap.estimate.period
                else "(de bronnen noemen niet op welke jaren ze slaat); "
            )
            + "geen interval gepubliceerd.",
        ),
        KeyFigure(
            "In behandeling",
            treated,
            "(Vermoedelijke) minderjarige slachtoffers in behandeling: telling van de IGJ "
            "bij de 13 "
            "gespecialiseerde jeugdzorgaanbieders, voorjaar 2017.",
        ),
        KeyFigure(
            "Bereikt",
            format_percent(gap.reach),
            f"{treated} ÷ {est} = {format_percent(gap.reach)}: het deel van de geschatte "
            "slachtoffers dat in behandeling was.",
        ),
        KeyFigure(
            "Niet bereikt",
            format_count(gap.not_reached),
            f"{est} − {treated} = {format_count(gap.not_reached)}; op elke minderjarige in "
            f"behandeling komen er ongeveer {format_number(gap.estimated_per_treated, 1)} geschat.",
        ),
    ]


#: The last column of :func:`figures_table`: each figure's id in ``data/national/figures.csv``.
FIGURE_KEY = "regel in figures.csv"


def figures_table(data: NationalData) -> pd.DataFrame:
    """Every national figure as the page lists it, in Dutch notation: the value as the source
    words it ("ongeveer 37"), the published range, period ("–" where the sources name none),
    unit, series, citation and note."""
    rows = []
    for item in data.figures:
        whole = all(v is None or float(v).is_integer() for v in (item.value, item.interval_low))
        number = format_count if whole else partial(format_number, decimals=2)
        rows.append(
            {
                "indicator": item.indicator,
                "groep": item.population_group,
                "periode": item.period or MISSING,
                "waarde": item.value_text(number) if item.value is not None else MISSING,
                "bandbreedte": (
                    f"{item.qualifier + ' ' if item.qualifier else ''}"
                    f"{number(item.interval_low)} – {number(item.interval_high)}"
                    if item.has_interval
                    else MISSING
                ),
                "eenheid": item.unit,
                "reeks / schatter": item.series,
                "bronnen": "; ".join(s.citation() for s in data.sources_of(item)),
                "toelichting": item.note,
                FIGURE_KEY: item.figure_id,
            }
        )
    return pd.DataFrame(rows)
