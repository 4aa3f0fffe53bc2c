"""``gaps SOURCE``: the signalling-gap table on the command line.

SOURCE is ``demo`` (the fictitious demo data), a CSV/XLSX file in the upload format, or the
name or id of a stored dataset. The table is the one the pages show, from the same published
table set (:func:`loverboy_stats.tableset.build_table_set`), with publication mode on unless
``--no-suppress`` is given.

CSV output: comma-separated, a dot decimal, numbers rounded to :data:`CSV_DECIMALS` decimals (a
ratio needs no more; JSON keeps full precision for further calculation), an empty cell where a
value is not available, hidden counts as "<k" (or "x") with their derived values empty, ratios
and shares as fractions. With the demo data every row says so in a last column ``gegevens``
(the file itself must carry it). Notes (fictitious data, publication mode off) also go to
standard error, so that standard output stays a clean table.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import pandas as pd

from loverboy_stats.cli.common import (
    EXIT_OK,
    EXIT_UNUSABLE,
    SourceNotFound,
    add_database_option,
    add_format_option,
    argument_groups,
    error,
    load_source,
    solver_output_to_stderr,
    write,
)
from loverboy_stats.estimates import DEFAULT_ESTIMATE, DEFAULT_POPULATION, POPULATION_OPTIONS
from loverboy_stats.reference import REGION_LEVELS

#: Decimals of the numbers in the CSV output (full precision in JSON).
CSV_DECIMALS = 6
NOT_FOR_PUBLICATION = (
    "Let op: publicatiemodus staat uit. Kleine aantallen zijn zichtbaar; "
    "deze cijfers zijn niet geschikt voor publicatie."
)


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``gaps`` command."""
    parser = commands.add_parser(
        "gaps",
        help="bereken de signaleringskloof per gemeente of regio",
        description="Verwachte aantallen slachtoffers (toegerekende schatting), "
        "signaleringsratio, doorverwijzing en bereik per gemeente of regio.",
    )
    positionals, options = argument_groups(parser)
    positionals.add_argument(
        "source",
        metavar="BRON",
        help="'demo' (fictieve voorbeeldcijfers), een CSV/XLSX-bestand of een opgeslagen dataset",
    )
    options.add_argument(
        "--level",
        choices=list(REGION_LEVELS),
        default="gemeente",
        metavar="NIVEAU",
        help="gemeente, provincie, jeugdregio, ggdregio, veiligheidsregio, regio (de eigen "
        "indeling uit de upload) of totaal (alle gemeenten samen); standaard gemeente",
    )
    options.add_argument(
        "--year", type=int, metavar="JAAR", help="jaar (standaard het meest recente)"
    )
    options.add_argument(
        "--population",
        choices=list(POPULATION_OPTIONS),
        default=DEFAULT_POPULATION,
        metavar="POPULATIE",
        help="waarnaar de landelijke schatting wordt verdeeld: inwoners (standaard), jongeren "
        "(15-25 jaar, benadering) of eigen (kolom referentiepopulatie uit de upload)",
    )
    options.add_argument(
        "--estimate",
        default=DEFAULT_ESTIMATE,
        metavar="CIJFER",
        help=f"landelijke schatting uit data/national/figures.csv (standaard {DEFAULT_ESTIMATE})",
    )
    options.add_argument(
        "--no-suppress",
        action="store_true",
        help="publicatiemodus uit: kleine aantallen tonen (niet geschikt voor publicatie)",
    )
    add_format_option(options, ("csv", "json"), "csv")
    add_database_option(options)
    parser.set_defaults(run=run)


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def render(table, output_format: str, source_label: str, fictitious: bool = False) -> str:
    """The table as CSV (dot decimals, empty cells for missing) or as JSON with metadata."""
    from loverboy_stats.export import neutralise_frame, to_csv_bytes
    from loverboy_stats.schema import marked_frame

    frame = marked_frame(table)
    if output_format == "csv":
        floats = frame.select_dtypes("float").columns
        frame[floats] = frame[floats].round(CSV_DECIMALS)
        if fictitious:
            frame["gegevens"] = source_label
        return to_csv_bytes(frame).decode("utf-8")
    safe = neutralise_frame(frame)
    rows = [
        {column: _json_value(value) for column, value in zip(safe.columns, row, strict=True)}
        for row in safe.itertuples(index=False, name=None)
    ]
    meta = {key: _json_value(value) for key, value in table.meta.as_dict().items()}
    meta["bron"] = source_label
    meta["fictief"] = fictitious
    return json.dumps({**meta, "kolommen": list(safe.columns), "rijen": rows}, ensure_ascii=False)


def run(args: argparse.Namespace) -> int:
    """Compute and print the gap table; 0 on success, 2 when the input cannot be used."""
    from loverboy_stats.estimates import GapInputError
    from loverboy_stats.tableset import build_table_set

    try:
        source = load_source(args.source, args)
    except SourceNotFound:
        error(
            f"Bron niet gevonden: '{args.source}'. Gebruik 'demo', een CSV/XLSX-bestand "
            "of de naam of het id van een opgeslagen dataset."
        )
        return EXIT_UNUSABLE
    label, fictitious = source.label, source.fictitious
    try:
        with solver_output_to_stderr():
            tables = build_table_set(
                source.local,
                year=args.year,
                population=args.population,
                estimate=args.estimate,
                publication=not args.no_suppress,
                patterns=source.patterns,
            )
        table = tables[args.level]
    except GapInputError as exc:
        error(str(exc))
        return EXIT_UNUSABLE
    if args.no_suppress:
        print(NOT_FOR_PUBLICATION, file=sys.stderr)
    if fictitious:
        error(f"Let op: {label}, geen echte gegevens.")
    if not table.meta.interval_published:
        print(
            "Voor deze schatting is geen interval gepubliceerd; verwacht_laag/verwacht_hoog "
            "blijven leeg.",
            file=sys.stderr,
        )
    write(render(table, args.format, label, fictitious))
    if args.format == "json":
        write("\n")
    return EXIT_OK
