"""``python -m loverboy_stats gaps SOURCE``: the signalling-gap table on the command line.

SOURCE is ``demo`` (the fictitious demo data), a CSV/XLSX file in the upload format, or the
name or id of a stored dataset. The table is the one from :func:`loverboy_stats.gaps.gap_table`
with publication mode applied unless ``--no-suppress`` is given.

CSV output: comma-separated, numbers unrounded with a dot decimal, an empty cell where a value
is not available, suppressed counts as "<k" (secondary ones as "x") with their derived values
empty, ratios and shares as fractions. Notes (fictitious data, publication mode off) go to
standard error so that standard output stays a clean table.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd

from loverboy_stats.demo import DEMO_LABEL, load_demo
from loverboy_stats.export import neutralise_frame, to_csv_bytes
from loverboy_stats.gaps import (
    DEFAULT_ESTIMATE,
    DEFAULT_POPULATION,
    POPULATION_OPTIONS,
    GapInputError,
    gap_table,
)
from loverboy_stats.privacy import publish_gap_table
from loverboy_stats.reference import REGION_LEVELS

EXIT_OK, EXIT_UNUSABLE = 0, 2
NOT_FOR_PUBLICATION = (
    "Let op: publicatiemodus staat uit. Kleine aantallen zijn zichtbaar; "
    "deze cijfers zijn niet geschikt voor publicatie."
)


class SourceNotFound(Exception):
    """SOURCE is neither ``demo``, a readable file, nor a stored dataset."""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``gaps`` subcommand."""
    parser = subparsers.add_parser(
        "gaps",
        help="bereken de signaleringskloof per gemeente of regio",
        description="Verwachte aantallen slachtoffers (toegerekende schatting), "
        "signaleringsratio, doorverwijzing en bereik per gemeente of regio.",
    )
    parser.add_argument(
        "source",
        metavar="BRON",
        help="'demo' (fictieve voorbeeldcijfers), een CSV/XLSX-bestand of een opgeslagen dataset",
    )
    parser.add_argument("--level", choices=list(REGION_LEVELS), default="gemeente")
    parser.add_argument("--year", type=int, help="jaar (standaard het meest recente)")
    parser.add_argument(
        "--population", choices=list(POPULATION_OPTIONS), default=DEFAULT_POPULATION
    )
    parser.add_argument(
        "--estimate",
        default=DEFAULT_ESTIMATE,
        metavar="FIGURE_ID",
        help=f"landelijke schatting uit data/national/figures.csv (standaard {DEFAULT_ESTIMATE})",
    )
    parser.add_argument(
        "--no-suppress",
        action="store_true",
        help="publicatiemodus uit: kleine aantallen tonen (niet geschikt voor publicatie)",
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)
    return parser


def load_source(source: str) -> tuple[pd.DataFrame, str]:
    """Local counts for SOURCE and a label for it. Raises :class:`SourceNotFound`."""
    if source == "demo":
        return load_demo(), DEMO_LABEL
    path = Path(source)
    if path.is_file():
        # Imported here so that the demo works even if the uploads module is unavailable.
        from loverboy_stats.uploads import read_source

        return read_source(path), path.name
    try:
        from loverboy_stats.store import StoreError, get_store
    except ImportError as exc:  # pragma: no cover - the store ships with the project
        raise SourceNotFound(source) from exc
    try:
        key: int | str = int(source) if source.isdigit() else source
        return get_store().load_dataset(key), source
    except StoreError as exc:
        raise SourceNotFound(source) from exc


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def render(table: pd.DataFrame, output_format: str) -> str:
    """The table as CSV (dot decimals, empty cells for missing) or as JSON with metadata."""
    if output_format == "csv":
        return to_csv_bytes(table).decode("utf-8")
    safe = neutralise_frame(table)
    rows = [
        {column: _json_value(value) for column, value in zip(safe.columns, row, strict=True)}
        for row in safe.itertuples(index=False, name=None)
    ]
    meta = {key: _json_value(value) for key, value in table.attrs.items()}
    return json.dumps({**meta, "kolommen": list(safe.columns), "rijen": rows}, ensure_ascii=False)


def run(args: argparse.Namespace) -> int:
    """Compute and print the gap table; 0 on success, 2 when the input cannot be used."""
    try:
        local, label = load_source(args.source)
    except SourceNotFound:
        print(
            f"Bron niet gevonden: '{args.source}'. Gebruik 'demo', een CSV/XLSX-bestand "
            "of de naam of het id van een opgeslagen dataset.",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    try:
        table = gap_table(
            local,
            level=args.level,
            year=args.year,
            population=args.population,
            estimate=args.estimate,
        )
    except GapInputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNUSABLE
    table.attrs["bron"] = label
    if args.no_suppress:
        table.attrs["publicatiemodus"] = False
        print(NOT_FOR_PUBLICATION, file=sys.stderr)
    else:
        table = publish_gap_table(table, local)
        table.attrs["bron"] = label
    if label == DEMO_LABEL:
        print(f"Let op: {DEMO_LABEL}, geen echte gegevens.", file=sys.stderr)
    if not table.attrs.get("interval_gepubliceerd", False):
        print(
            "Voor deze schatting is geen interval gepubliceerd; verwacht_laag/verwacht_hoog "
            "blijven leeg.",
            file=sys.stderr,
        )
    sys.stdout.write(render(table, args.format))
    if args.format == "json":
        sys.stdout.write("\n")
    return EXIT_OK
