"""What every command shares: exit codes, options, where a dataset comes from, safe output."""

from __future__ import annotations

import argparse
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Exit codes of every command: done / the input has errors / the input cannot be used.
EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


class DutchHelpFormatter(argparse.HelpFormatter):
    """argparse's layout with a Dutch heading for the usage line."""

    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix "" when it builds a subcommand's name: keep that as it is.
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


#: argparse's own messages (in English) and how the command line says them in Dutch.
_MESSAGES = [
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (
        r"argument (.*): invalid choice: (.*) \(choose from (.*)\)",
        r"\1: ongeldige keuze \2 (kies uit \3)",
    ),
    (r"argument (.*): expected one argument", r"\1: hier hoort één waarde bij"),
    (r"argument (.*): invalid (\w+) value: (.*)", r"\1: ongeldige waarde \3"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
]


class DutchArgumentParser(argparse.ArgumentParser):
    """An argument parser whose help and errors are Dutch.

    Arguments go into the groups made by :func:`argument_groups` ("argumenten", "opties"), so
    argparse's English group headings stay empty and are not shown.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        for pattern, dutch in _MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, dutch, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}: fout: {message}\n")


def argument_groups(parser: argparse.ArgumentParser) -> tuple:
    """(positional arguments, options) groups with Dutch headings, and ``-h`` in the latter."""
    positionals = parser.add_argument_group("argumenten")
    options = parser.add_argument_group("opties")
    options.add_argument("-h", "--help", action="help", help="toon deze uitleg en stop")
    return positionals, options


def add_database_option(parser) -> None:
    """``--database-url``, on every command that reads or writes the store."""
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="SQLAlchemy-URL van de database (standaard uit LBS_DATABASE_URL, anders het "
        "SQLite-bestand in LBS_DATA_DIR)",
    )


def add_operator_option(parser, *, organisation: bool = False) -> None:
    """``--operator`` (and ``--organisatie``) on every command that changes the store: the
    audit trail records who ran it, as "opdrachtregel: NAAM"."""
    parser.add_argument(
        "--operator",
        metavar="NAAM",
        help="uw naam voor het logboek (standaard de inlognaam van dit account)",
    )
    if organisation:
        parser.add_argument(
            "--organisatie",
            metavar="ORGANISATIE",
            help="de organisatie waar de dataset bij hoort (standaard de standaardorganisatie)",
        )


def operator_for(args: argparse.Namespace, store):
    """The local operator named by ``--operator``, acting for ``--organisatie`` if given."""
    from loverboy_stats.access import local_operator

    actor = local_operator(getattr(args, "operator", None))
    return store.people.organisation_actor(actor, getattr(args, "organisatie", None))


def add_format_option(parser, choices: tuple[str, ...], default: str) -> None:
    """``--format``, the same name on every command that prints a result."""
    parser.add_argument(
        "--format",
        choices=choices,
        default=default,
        help=f"uitvoerformaat (standaard {default})",
    )


def store_for(args: argparse.Namespace):
    """The store named by ``--database-url``, else the configured one."""
    from loverboy_stats.store import Store, get_store  # SQLAlchemy only for commands using it

    url = getattr(args, "database_url", None)
    return Store(url) if url else get_store()


class SourceNotFound(Exception):
    """SOURCE is neither ``demo``, a readable file, nor a stored dataset."""


@dataclass
class Source:
    """A dataset named on the command line, with where its protection patterns come from."""

    local: pd.DataFrame
    label: str
    fictitious: bool
    patterns: object


def load_source(source: str, args: argparse.Namespace) -> Source:
    """SOURCE: ``demo``, an upload file, or the name or id of a stored dataset (whose patterns
    are read from and kept in the store). Raises :class:`SourceNotFound`; an upload with
    errors raises :class:`loverboy_stats.uploads.UploadError` listing them."""
    from loverboy_stats.demo import DEMO_LABEL, demo_patterns, load_demo
    from loverboy_stats.privacy.sources import Remembered
    from loverboy_stats.store import StoreError
    from loverboy_stats.uploads import read_source

    if source == "demo":
        return Source(load_demo(), DEMO_LABEL, True, demo_patterns())
    path = Path(source)
    if path.exists() and not path.is_dir():  # a device or pipe is read within the limit too
        return Source(read_source(path), path.name, False, Remembered())
    try:
        key: int | str = int(source) if source.isdigit() else source
        store = store_for(args)
        return Source(store.datasets.load(key), source, False, store.protections)
    except StoreError as exc:
        raise SourceNotFound(source) from exc


@contextmanager
def solver_output_to_stderr():
    """Send what the MILP solver prints straight to standard output (from C++, around
    Python) to standard error instead, so that standard output stays a clean table."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


#: Control characters other than tab and line breaks (escape sequences could rewrite or hide
#: what a terminal shows), as a file or a stored name might hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """``text`` with its control characters shown as '�' (see :data:`_CONTROL`)."""
    return _CONTROL.sub("�", text)


def error(text: str) -> None:
    """A Dutch message on standard error, as text a terminal only shows."""
    print(terminal_text(text), file=sys.stderr)


def write(text: str) -> None:
    """Write to standard output (control characters shown as '�'); a reader that stops early
    (``| head``) is not an error."""
    try:
        sys.stdout.write(terminal_text(text))
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the broken pipe again when it flushes at exit: point stdout at
        # nothing so the command ends quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
