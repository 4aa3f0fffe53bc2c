"""The ``boundaries`` command: ``python -m loverboy_stats boundaries download [--dir DIR]``.

Fetches the CBS 2024 boundary files for the map (see :mod:`loverboy_stats.boundaries`). Exit
code 0 when every file was written, 2 when they could not be fetched (e.g. offline).
"""

from __future__ import annotations

import argparse
import sys

from loverboy_stats.boundaries import BoundaryError, boundaries_dir, download, download_plan

EXIT_OK, EXIT_UNUSABLE = 0, 2


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``boundaries`` subcommand with its action ``download``."""
    parser = subparsers.add_parser(
        "boundaries",
        help="grensbestanden (CBS 2024) voor de kaart ophalen",
        description="Grensbestanden van gemeenten en regio's (CBS 2024, via PDOK/cartomap) "
        "ophalen voor de kaart op de pagina Vergelijken.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTIE")
    fetch = actions.add_parser("download", help="haal de grensbestanden op (internet nodig)")
    fetch.add_argument(
        "--dir",
        metavar="MAP",
        help="doelmap (standaard LBS_BOUNDARIES_DIR of LBS_DATA_DIR/boundaries)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Download the files; print what was written, or a Dutch error on stderr."""
    folder = boundaries_dir(args.dir)
    print(f"Grensbestanden ophalen naar {folder} …")
    for url, target in download_plan(folder):
        print(f"  {url} -> {target.name}")
    try:
        written = download(folder)
    except BoundaryError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"{len(written)} bestanden opgeslagen in {folder}.")
    return EXIT_OK
