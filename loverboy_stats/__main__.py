"""Command line: ``python -m loverboy_stats <command>``.

Commands: ``validate FILE`` (exit 0 valid, 1 invalid, 2 unreadable or misused), ``import FILE
--name NAME`` and ``datasets``. Other modules add commands by being listed in
:data:`COMMAND_MODULES`: each provides ``add_parser(subparsers)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from loverboy_stats.formatting import format_count
from loverboy_stats.store import Store, StoreError, get_store
from loverboy_stats.uploads import (
    UploadError,
    ValidationResult,
    describe_errors,
    parse_upload,
    read_file_bytes,
)

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2

#: Modules that contribute a subcommand (registration point for e.g. the gaps command).
COMMAND_MODULES = ("loverboy_stats.cli_gaps", "loverboy_stats.cli_boundaries")


def _read(path: str, sheet: str | None) -> tuple[bytes, ValidationResult]:
    content = read_file_bytes(path)
    return content, parse_upload(content, Path(path).name, sheet=sheet)


def _issue_list(issues) -> list[dict[str, object]]:
    return [
        {"row": int(i.rij), "column": i.kolom, "value": i.waarde, "message": i.melding}
        for i in issues.itertuples()
    ]


def _report_text(result: ValidationResult) -> str:
    lines = [f"{result.filename}: {format_count(result.rows)} rijen gelezen."]
    lines += [f"Let op: {notice}" for notice in result.notices]
    for row in result.issues.itertuples():
        value = f" (waarde '{row.waarde}')" if row.waarde else ""
        lines.append(f"{row.niveau}: rij {row.rij}, kolom '{row.kolom}': {row.melding}{value}")
    errors, warnings = len(result.errors), len(result.warnings)
    verdict = "geldig" if result.ok else "ongeldig"
    lines.append(f"Resultaat: {verdict} ({errors} fout(en), {warnings} waarschuwing(en)).")
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a file; print a report (text or JSON)."""
    try:
        _, result = _read(args.file, args.sheet)
    except UploadError as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "rows": 0, "error": exc.message}, ensure_ascii=False))
        else:
            print(exc.message, file=sys.stderr)
        return EXIT_UNUSABLE
    if args.format == "json":
        report = {
            "ok": result.ok,
            "rows": result.rows,
            "errors": _issue_list(result.errors),
            "warnings": _issue_list(result.warnings),
            "notices": result.notices,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(_report_text(result))
    return EXIT_OK if result.ok else EXIT_INVALID


def _store(args: argparse.Namespace) -> Store:
    return Store(args.database_url) if args.database_url else get_store()


def cmd_import(args: argparse.Namespace) -> int:
    """Validate a file and store it under a name when it has no errors."""
    try:
        content, result = _read(args.file, args.sheet)
    except UploadError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_UNUSABLE
    if not result.ok:
        print(describe_errors(result), file=sys.stderr)
        print("Er is niets opgeslagen.", file=sys.stderr)
        return EXIT_INVALID
    try:
        info = _store(args).save_dataset(args.name, result.filename, content, result.data)
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_UNUSABLE
    if info.already_present:
        print(f"Dit bestand is al opgeslagen als '{info.name}' (id {info.id}); niets toegevoegd.")
    else:
        print(f"Opgeslagen als '{info.name}' (id {info.id}): {format_count(info.row_count)} rijen.")
    return EXIT_OK


def cmd_datasets(args: argparse.Namespace) -> int:
    """List stored datasets."""
    found = _store(args).list_datasets()
    if args.format == "json":
        print(json.dumps([d.model_dump(mode="json") for d in found], ensure_ascii=False))
        return EXIT_OK
    if not found:
        print("Nog geen datasets opgeslagen.")
    for d in found:
        when = d.uploaded_at.strftime("%d-%m-%Y %H:%M")
        print(f"{d.id}\t{d.name}\t{d.filename}\t{format_count(d.row_count)} rijen\t{when} UTC")
    return EXIT_OK


BUILTIN_COMMANDS = ("validate", "import", "datasets")


def build_parser(*, with_modules: bool = True) -> argparse.ArgumentParser:
    """The argument parser with every subcommand (including those of :data:`COMMAND_MODULES`).

    ``with_modules=False`` leaves the contributed commands out; :func:`main` does so for the
    built-in commands, which then start without importing scipy and the like.
    """
    parser = argparse.ArgumentParser(
        prog="python -m loverboy_stats",
        description="Signaleringskloof loverboyslachtoffers: eigen cijfers controleren en opslaan.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")

    def file_command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("file", metavar="BESTAND", help="CSV- of XLSX-bestand")
        sub.add_argument("--sheet", help="tabblad in een XLSX-bestand (standaard het eerste)")
        sub.set_defaults(run=run)
        return sub

    validate = file_command("validate", "controleer een bestand met eigen cijfers", cmd_validate)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    load = file_command("import", "controleer en sla een bestand op", cmd_import)
    load.add_argument("--name", required=True, help="naam van de dataset")
    load.add_argument("--database-url", help="SQLAlchemy-URL (standaard uit LBS_DATABASE_URL)")
    listing = commands.add_parser("datasets", help="toon de opgeslagen datasets")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument("--database-url", help="SQLAlchemy-URL (standaard uit LBS_DATABASE_URL)")
    listing.set_defaults(run=cmd_datasets)

    for module_name in COMMAND_MODULES if with_modules else ():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        before = set(commands.choices)
        module.add_parser(commands)
        for name in set(commands.choices) - before:
            commands.choices[name].set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    builtin = bool(argv) and argv[0] in BUILTIN_COMMANDS
    args = build_parser(with_modules=not builtin).parse_args(argv)
    try:
        return int(args.run(args))
    except (StoreError, UploadError) as exc:
        print(exc.message, file=sys.stderr)
    except SQLAlchemyError as exc:
        print(
            f"De database is niet bereikbaar of weigert: {exc.__class__.__name__}.", file=sys.stderr
        )
    return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
