"""Command line: ``python -m loverboy_stats <command>``.

Commands (each in its own module, registered explicitly below, so that renaming a module breaks
loudly instead of silently dropping a command):

* ``validate FILE`` - check an upload (exit 0 valid, 1 invalid, 2 unreadable or misused);
* ``import FILE --name NAME`` - check and store it; ``datasets`` - list the stored datasets;
* ``gaps SOURCE`` - the signalling-gap table, from the same published tables as the pages;
* ``audit SOURCE`` - the intruder audit of what publication mode publishes (exit 1 if unsafe);
* ``boundaries download`` - fetch the boundary files for the map;
* ``organisaties``, ``gebruikers`` - who may use a shared server (a named local operator);
* ``logboek`` - the audit trail of the store (text or CSV).

Every command uses the exit codes of :mod:`loverboy_stats.cli.common`; every command that
touches the store takes ``--database-url``. Heavy libraries are imported inside the commands, so
``validate`` starts without loading scipy or SQLAlchemy.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from loverboy_stats.cli import audit, boundaries, datasets, gaps, logboek, people
from loverboy_stats.cli.common import (
    EXIT_UNUSABLE,
    DutchArgumentParser,
    argument_groups,
    error,
)

COMMAND_MODULES = (datasets, gaps, audit, boundaries, people, logboek)


def build_parser() -> DutchArgumentParser:
    """The argument parser with every subcommand."""
    parser = DutchArgumentParser(
        prog="python -m loverboy_stats",
        description="Signaleringskloof loverboyslachtoffers: eigen cijfers controleren, opslaan "
        "en de kloof per gemeente of regio berekenen.",
    )
    argument_groups(parser)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="OPDRACHT", title="opdrachten", help="een van:"
    )
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. A problem the user can fix is one Dutch
    line on standard error and exit code 2, never a traceback."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from loverboy_stats.access import AccessDenied
    from loverboy_stats.store import StoreError
    from loverboy_stats.uploads import UploadError

    try:
        return int(args.run(args))
    except (StoreError, UploadError, AccessDenied) as exc:
        error(exc.message)
    except Exception as exc:  # a database that cannot be reached, and nothing else expected
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError):
            raise
        print(
            f"De database is niet bereikbaar of weigert: {exc.__class__.__name__}.", file=sys.stderr
        )
    return EXIT_UNUSABLE
