"""``audit SOURCE [--year Y]``: the intruder audit of what publication mode would publish.

Builds the published table set of every year (or one), exactly as the pages and ``gaps`` do,
and runs the exact integer-programming audit of :mod:`loverboy_stats.privacy.audit` on it: per
year and count, how many cells shown as "<k" an intruder can narrow below 1..k-1 (beyond what
any publication gives away: a hidden total of n "<k" members is at least n). Exit code 1 when
any cell is narrowed, 0 when none, 2 when the source cannot be used.
"""

from __future__ import annotations

import argparse

from loverboy_stats.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    SourceNotFound,
    add_database_option,
    argument_groups,
    error,
    load_source,
    solver_output_to_stderr,
    write,
)
from loverboy_stats.schema import COUNT_LABELS


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``audit`` command."""
    parser = commands.add_parser(
        "audit",
        help="controleer of afgeschermde kleine aantallen terug te rekenen zijn",
        description="Controleert met geheeltallige optimalisatie of iemand die alles ziet wat "
        "de publicatiemodus toont, een als '<k' getoond aantal kan terugrekenen.",
    )
    positionals, options = argument_groups(parser)
    positionals.add_argument(
        "source", metavar="BRON", help="'demo', een CSV/XLSX-bestand of een opgeslagen dataset"
    )
    options.add_argument("--year", type=int, metavar="JAAR", help="alleen dit jaar")
    options.add_argument(
        "--insider",
        metavar="GEMEENTECODE",
        help="ook een aanvaller die de eigen aantallen van deze gemeente kent (duurt langer)",
    )
    add_database_option(options)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Audit every year (or ``--year``); print a line per year and count."""
    import pandas as pd

    from loverboy_stats import privacy
    from loverboy_stats.estimates import GapInputError
    from loverboy_stats.tableset import build_table_set

    try:
        source = load_source(args.source, args)
    except SourceNotFound:
        error(f"Bron niet gevonden: '{args.source}'.")
        return EXIT_UNUSABLE
    local = source.local
    years = sorted(int(y) for y in pd.to_numeric(local["jaar"], errors="coerce").dropna().unique())
    if args.year is not None:
        if args.year not in years:
            error(f"Geen gegevens voor jaar {args.year}.")
            return EXIT_UNUSABLE
        years = [args.year]
    if args.insider is not None:
        args.insider = args.insider.strip().upper()
        if args.insider not in set(local["gemeentecode"].astype(str)):
            error(
                f"Gemeente '{args.insider}' staat niet in deze gegevens; gebruik een "
                "gemeentecode uit de bron, zoals GM0363."
            )
            return EXIT_UNUSABLE
    narrowed_any = False
    for year in years:
        try:
            with solver_output_to_stderr():
                tables = build_table_set(local, year=year, patterns=source.patterns)
                local_year = local[pd.to_numeric(local["jaar"], errors="coerce") == year]
                problem, result = privacy.audit_published(
                    local_year, tables.tables, tables.k, args.insider
                )
        except GapInputError as exc:
            error(str(exc))
            return EXIT_UNUSABLE
        by_count = privacy.narrowed_by_count(problem, result)
        narrowed_any |= not result.passed
        parts = ", ".join(f"{COUNT_LABELS[c]} {n}" for c, n in by_count.items())
        write(
            f"{year}: {result.n_targets} kleine aantallen (1 tot {tables.k - 1}) gecontroleerd; "
            f"terug te rekenen: {len(result.narrowed)} ({parts}); {result.seconds:.1f} s\n"
        )
    write("Resultaat: " + ("NIET veilig.\n" if narrowed_any else "niets terug te rekenen.\n"))
    return EXIT_INVALID if narrowed_any else EXIT_OK
