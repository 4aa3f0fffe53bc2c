"""``validate FILE``, ``import FILE --name NAME`` and ``datasets``: checking and storing uploads."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from loverboy_stats.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    add_database_option,
    add_format_option,
    add_operator_option,
    argument_groups,
    error,
    operator_for,
    store_for,
    write,
)
from loverboy_stats.formatting import format_rows


def register(commands: argparse._SubParsersAction) -> None:
    """Add the three commands."""

    def file_command(name: str, help_text: str):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        positionals, options = argument_groups(sub)
        positionals.add_argument("file", metavar="BESTAND", help="CSV- of XLSX-bestand")
        options.add_argument(
            "--sheet", metavar="TABBLAD", help="tabblad in een XLSX-bestand (standaard het eerste)"
        )
        return sub, options

    validate, options = file_command("validate", "controleer een bestand met eigen cijfers")
    add_format_option(options, ("text", "json"), "text")
    validate.set_defaults(run=cmd_validate)

    load, options = file_command("import", "controleer een bestand en sla het op als dataset")
    options.add_argument("--name", metavar="NAAM", required=True, help="naam van de dataset")
    add_operator_option(options, organisation=True)
    add_database_option(options)
    load.set_defaults(run=cmd_import)

    listing = commands.add_parser(
        "datasets", help="toon de opgeslagen datasets", description="toon de opgeslagen datasets"
    )
    _, options = argument_groups(listing)
    add_format_option(options, ("text", "json"), "text")
    add_database_option(options)
    listing.set_defaults(run=cmd_datasets)


def _read(path: str, sheet: str | None):
    from loverboy_stats.uploads import parse_upload, read_file_bytes

    content = read_file_bytes(path)
    return content, parse_upload(content, Path(path).name, sheet=sheet)


def _issue_list(issues) -> list[dict[str, object]]:
    return [
        {"row": int(i.rij), "column": i.kolom, "value": i.waarde, "message": i.melding}
        for i in issues.itertuples()
    ]


def _report_text(result) -> str:
    lines = [f"{result.filename}: {format_rows(result.rows)} gelezen."]
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
    from loverboy_stats.uploads import UploadError

    try:
        _, result = _read(args.file, args.sheet)
    except UploadError as exc:
        if args.format == "json":
            write(json.dumps({"ok": False, "rows": 0, "error": exc.message}, ensure_ascii=False))
            write("\n")
            return EXIT_UNUSABLE
        raise
    if args.format == "json":
        report = {
            "ok": result.ok,
            "rows": result.rows,
            "errors": _issue_list(result.errors),
            "warnings": _issue_list(result.warnings),
            "notices": result.notices,
        }
        write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        write(_report_text(result) + "\n")
    return EXIT_OK if result.ok else EXIT_INVALID


def cmd_import(args: argparse.Namespace) -> int:
    """Validate a file and store it under a name when it has no errors."""
    from loverboy_stats.uploads import describe_errors

    content, result = _read(args.file, args.sheet)
    if not result.ok:
        error(describe_errors(result))
        error("Er is niets opgeslagen.")
        return EXIT_INVALID
    store = store_for(args)
    actor = operator_for(args, store)
    info = store.datasets.save(args.name, result.filename, content, result.data, actor=actor)
    if info.already_present:
        write(f"Dit bestand is al opgeslagen als '{info.name}' (id {info.id}); niets toegevoegd.\n")
    else:
        write(f"Opgeslagen als '{info.name}' (id {info.id}): {format_rows(info.row_count)}.\n")
    return EXIT_OK


def cmd_datasets(args: argparse.Namespace) -> int:
    """List stored datasets."""
    found = store_for(args).datasets.list()
    if args.format == "json":
        write(json.dumps([d.model_dump(mode="json") for d in found], ensure_ascii=False) + "\n")
        return EXIT_OK
    if not found:
        write("Nog geen datasets opgeslagen.\n")
    for d in found:
        when = d.uploaded_at.strftime("%d-%m-%Y %H:%M")
        rows = format_rows(d.row_count)
        write(f"{d.id}\t{d.name}\t{d.filename}\t{rows}\t{when} UTC\t{d.organisation}\n")
    return EXIT_OK
