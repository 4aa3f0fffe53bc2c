"""``boundaries download [--dir DIR]``: fetch the CBS 2024 boundary files for the map.

Exit code 0 when every file was written, 2 when they could not be fetched (e.g. offline).
"""

from __future__ import annotations

import argparse
import sys

from loverboy_stats.cli.common import EXIT_OK, EXIT_UNUSABLE, argument_groups, write


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``boundaries`` command with its action ``download``."""
    parser = commands.add_parser(
        "boundaries",
        help="grensbestanden (CBS 2024) voor de kaart ophalen",
        description="Grensbestanden van gemeenten en regio's (CBS 2024, via PDOK/cartomap) "
        "ophalen voor de kaart op de pagina Vergelijken.",
    )
    argument_groups(parser)
    actions = parser.add_subparsers(
        dest="action", required=True, metavar="ACTIE", title="acties", help="een van:"
    )
    fetch = actions.add_parser(
        "download",
        help="haal de grensbestanden op (internet nodig)",
        description="haal de grensbestanden op (internet nodig)",
    )
    _, options = argument_groups(fetch)
    options.add_argument(
        "--dir",
        metavar="MAP",
        help="doelmap (standaard LBS_BOUNDARIES_DIR of LBS_DATA_DIR/boundaries)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Download the files; print what was written, or a Dutch error on stderr."""
    from loverboy_stats.boundaries import BoundaryError, boundaries_dir, download, download_plan

    folder = boundaries_dir(args.dir)
    write(f"Grensbestanden ophalen naar {folder} …\n")
    for url, target in download_plan(folder):
        write(f"  {url} -> {target.name}\n")
    try:
        written = download(folder)
    except BoundaryError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_UNUSABLE
    write(f"{len(written)} bestanden opgeslagen in {folder}.\n")
    return EXIT_OK
