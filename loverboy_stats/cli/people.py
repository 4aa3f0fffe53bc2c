"""``organisaties`` and ``gebruikers``: who may use a shared server, managed from the command
line as a named local operator (``--operator``), with a beheerder's rights. Every change is in
the audit trail, exactly as when a beheerder makes it on the page 'Beheer'.
"""

from __future__ import annotations

import argparse
import json

from loverboy_stats.cli.common import (
    EXIT_OK,
    add_database_option,
    add_format_option,
    add_operator_option,
    argument_groups,
    operator_for,
    store_for,
    write,
)

ROLES = ("lezer", "invoerder", "beheerder")


def _action(actions, name: str, help_text: str, run, *, changes: bool = True):
    sub = actions.add_parser(name, help=help_text, description=help_text)
    positionals, options = argument_groups(sub)
    if changes:
        add_operator_option(options)
    add_database_option(options)
    sub.set_defaults(run=run)
    return positionals, options


def _group(commands, name: str, help_text: str):
    parser = commands.add_parser(name, help=help_text, description=help_text)
    argument_groups(parser)
    return parser.add_subparsers(
        dest="action", required=True, metavar="ACTIE", title="acties", help="een van:"
    )


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``organisaties`` and ``gebruikers`` with their actions."""
    actions = _group(commands, "organisaties", "organisaties en hun gebieden beheren")
    _, options = _action(
        actions, "lijst", "toon de organisaties", list_organisations, changes=False
    )
    add_format_option(options, ("text", "json"), "text")
    positionals, options = _action(actions, "nieuw", "voeg een organisatie toe", add_organisation)
    positionals.add_argument("name", metavar="NAAM", help="naam van de organisatie")
    _area_option(options)
    positionals, options = _action(
        actions, "gebieden", "vervang de gebieden van een organisatie", set_areas
    )
    positionals.add_argument("name", metavar="NAAM", help="naam van de organisatie")
    _area_option(options)

    actions = _group(commands, "gebruikers", "gebruikers en hun rollen beheren")
    _, options = _action(actions, "lijst", "toon de gebruikers", list_users, changes=False)
    add_format_option(options, ("text", "json"), "text")
    positionals, options = _action(actions, "nieuw", "voeg een gebruiker toe", add_user)
    positionals.add_argument("email", metavar="E-MAILADRES", help="zoals de inlogdienst het kent")
    options.add_argument(
        "--rol", choices=ROLES, required=True, help="lezer, invoerder of beheerder"
    )
    options.add_argument("--organisatie", metavar="ORGANISATIE", required=True, help="naam")
    options.add_argument("--naam", metavar="NAAM", default="", help="naam van de persoon")
    options.add_argument(
        "--issuer", metavar="URL", help="uitgever (iss) van de inlogdienst, samen met --subject"
    )
    options.add_argument("--subject", metavar="SUB", help="vaste gebruikerscode (sub) daarbinnen")
    positionals, options = _action(actions, "wijzig", "geef een andere rol of organisatie", change)
    positionals.add_argument("email", metavar="E-MAILADRES", help="e-mailadres van de gebruiker")
    options.add_argument("--rol", choices=ROLES, help="nieuwe rol")
    options.add_argument("--organisatie", metavar="ORGANISATIE", help="nieuwe organisatie")
    positionals, _ = _action(actions, "verwijder", "verwijder een gebruiker", remove)
    positionals.add_argument("email", metavar="E-MAILADRES", help="e-mailadres van de gebruiker")


def _area_option(options) -> None:
    options.add_argument(
        "--gebied",
        action="append",
        default=[],
        metavar="CODE",
        help="gemeente (GM0363) of regio (JZ17, PV27, GG...., VR..); herhaal voor meer",
    )


def list_organisations(args: argparse.Namespace) -> int:
    """Print the organisations and their areas."""
    from loverboy_stats.access import area_label

    found = store_for(args).people.organisations()
    if args.format == "json":
        rows = [{"id": o.id, "naam": o.name, "gebieden": list(o.areas)} for o in found]
        write(json.dumps(rows, ensure_ascii=False) + "\n")
        return EXIT_OK
    for o in found:
        areas = ", ".join(area_label(c) for c in o.areas) or "geen gebieden"
        write(f"{o.id}\t{o.name}\t{areas}\n")
    return EXIT_OK


def add_organisation(args: argparse.Namespace) -> int:
    store = store_for(args)
    found = store.people.add_organisation(operator_for(args, store), args.name, args.gebied)
    write(f"Organisatie '{found.name}' toegevoegd (id {found.id}).\n")
    return EXIT_OK


def set_areas(args: argparse.Namespace) -> int:
    store = store_for(args)
    found = store.people.set_areas(operator_for(args, store), args.name, args.gebied)
    write(f"Organisatie '{found.name}': {len(found.areas)} gebied(en).\n")
    return EXIT_OK


def list_users(args: argparse.Namespace) -> int:
    """Print the registered users."""
    found = store_for(args).people.users()
    if args.format == "json":
        rows = [
            {"email": u.email, "naam": u.name, "rol": str(u.role), "organisatie": u.organisation,
             "gekoppeld": u.bound}
            for u in found
        ]  # fmt: skip
        write(json.dumps(rows, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not found:
        write("Nog geen gebruikers.\n")
    for u in found:
        bound = "aangemeld" if u.bound else "nog niet aangemeld"
        write(f"{u.email}\t{u.name}\t{u.role}\t{u.organisation}\t{bound}\n")
    return EXIT_OK


def add_user(args: argparse.Namespace) -> int:
    store = store_for(args)
    user = store.people.add_user(
        operator_for(args, store),
        args.email,
        args.rol,
        args.organisatie,
        name=args.naam,
        issuer=args.issuer,
        subject=args.subject,
    )
    write(f"{user.email} toegevoegd als {user.role} bij {user.organisation}.\n")
    return EXIT_OK


def change(args: argparse.Namespace) -> int:
    store = store_for(args)
    user = store.people.change_user(
        operator_for(args, store), args.email, role=args.rol, organisation=args.organisatie
    )
    write(f"{user.email} is nu {user.role} bij {user.organisation}.\n")
    return EXIT_OK


def remove(args: argparse.Namespace) -> int:
    store = store_for(args)
    store.people.remove_user(operator_for(args, store), args.email)
    write(f"{args.email} verwijderd.\n")
    return EXIT_OK
