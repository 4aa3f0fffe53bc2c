"""``logboek``: the audit trail (who did what, when), as text or as a formula-safe CSV.

Named ``logboek`` because ``audit`` is the intruder audit of publication mode.
"""

from __future__ import annotations

import argparse
import datetime as dt

from loverboy_stats.cli.common import (
    EXIT_OK,
    EXIT_UNUSABLE,
    add_database_option,
    add_format_option,
    argument_groups,
    error,
    store_for,
    write,
)


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``logboek`` command."""
    parser = commands.add_parser(
        "logboek",
        help="toon het logboek: wie wat deed en wanneer",
        description="Het logboek van de opgeslagen gegevens: datasets opslaan, hernoemen en "
        "verwijderen, checklistversies, publicatiemodus uitzetten, gebruikers en rollen, en "
        "geweigerde toegang. Nieuwste eerst; tijden in UTC.",
    )
    _, options = argument_groups(parser)
    options.add_argument("--sinds", metavar="DD-MM-JJJJ", help="alleen vanaf deze datum")
    add_format_option(options, ("text", "csv"), "text")
    add_database_option(options)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the trail; CSV through the project's formula-safe writer."""
    from loverboy_stats.access import local_operator
    from loverboy_stats.export import to_csv_bytes

    since = None
    if args.sinds:
        try:
            day = dt.datetime.strptime(args.sinds, "%d-%m-%Y")
        except ValueError:
            error(f"--sinds: '{args.sinds}' is geen datum als 31-12-2025.")
            return EXIT_UNUSABLE
        since = day.replace(tzinfo=dt.UTC)
    entries = store_for(args).audit.entries(local_operator(), since=since)
    if args.format == "csv":
        write(to_csv_bytes(entries, dutch=True).decode("utf-8"))
        return EXIT_OK
    if entries.empty:
        write("Het logboek is leeg.\n")
    for row in entries.itertuples(index=False):
        write("\t".join(str(value) for value in row) + "\n")
    return EXIT_OK
