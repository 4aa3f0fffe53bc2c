"""``organisaties``, ``gebruikers``, ``logboek`` and ``import --organisatie`` as a beheerder
runs them from the command line: Dutch output and errors, exit codes, the audit trail."""

from __future__ import annotations

import csv
import io
import json

from loverboy_stats.store import get_store

VALID = "gemeente;jaar;gesignaleerd\nZwolle;2023;12\nKampen;2023;4\n"


def test_a_beheerder_sets_up_organisations_and_users(cli):
    assert cli("organisaties", "nieuw", "Gemeente Zwolle", "--gebied", "gm0193").returncode == 0
    done = cli("organisaties", "nieuw", "Jeugdregio X", "--gebied", "JZ07", "--gebied", "GM0166")
    assert done.returncode == 0 and "toegevoegd" in done.stdout
    listing = json.loads(cli("organisaties", "lijst", "--format", "json").stdout)
    assert [(o["naam"], o["gebieden"]) for o in listing] == [
        ("Gemeente Zwolle", ["GM0193"]),
        ("Jeugdregio X", ["GM0166", "JZ07"]),
        ("Standaardorganisatie", []),
    ]
    done = cli(
        "gebruikers", "nieuw", "Anna@Zwolle.example", "--rol", "invoerder",
        "--organisatie", "Gemeente Zwolle", "--naam", "Anna de Vries", "--operator", "Piet",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "anna@zwolle.example toegevoegd als invoerder bij Gemeente Zwolle.\n"
    assert cli("gebruikers", "wijzig", "anna@zwolle.example", "--rol", "lezer").returncode == 0
    [user] = json.loads(cli("gebruikers", "lijst", "--format", "json").stdout)
    assert (user["rol"], user["gekoppeld"]) == ("lezer", False)
    assert cli("organisaties", "gebieden", "Gemeente Zwolle").returncode == 0
    assert "Gemeente Zwolle\tgeen gebieden" in cli("organisaties", "lijst").stdout
    assert cli("gebruikers", "verwijder", "anna@zwolle.example").returncode == 0
    assert cli("gebruikers", "lijst").stdout == "Nog geen gebruikers.\n"
    log = cli("logboek").stdout.splitlines()
    assert [line.split("\t")[4] for line in log] == [
        "gebruiker verwijderd",
        "gebieden van organisatie gewijzigd",
        "rol of organisatie gewijzigd",
        "gebruiker toegevoegd",
        "organisatie toegevoegd",
        "organisatie toegevoegd",
    ]
    assert "\topdrachtregel: Piet\tbeheerder\tGemeente Zwolle\tgebruiker toegevoegd" in log[3]


def test_mistakes_are_one_dutch_line_and_exit_code_2(cli):
    for args, message in [
        (("organisaties", "nieuw", "X", "--gebied", "GM9999"), "Onbekende gebiedscode 'GM9999'"),
        (
            ("gebruikers", "nieuw", "a@b.example", "--rol", "lezer", "--organisatie", "Nergens"),
            "Organisatie 'Nergens' bestaat niet.",
        ),
        (("gebruikers", "wijzig", "niemand@b.example", "--rol", "lezer"), "Er is geen gebruiker"),
        (("logboek", "--sinds", "gisteren"), "geen datum als 31-12-2025"),
    ]:
        done = cli(*args)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    done = cli("gebruikers", "nieuw", "a@b.example", "--rol", "baas", "--organisatie", "X")
    assert done.returncode == 2 and "ongeldige keuze" in done.stderr


def test_import_for_an_organisation_and_the_log_as_safe_csv(cli, tmp_path):
    cli("organisaties", "nieuw", "Gemeente Zwolle", "--gebied", "GM0193")
    source = tmp_path / "cijfers.csv"
    source.write_text(VALID, encoding="utf-8")
    name = "=HYPERLINK(1)"  # refused as a name: a formula cannot even get into the log this way
    assert cli("import", str(source), "--name", name).returncode == 2
    done = cli(
        "import", str(source), "--name", "Zwolle 2023", "--organisatie", "Gemeente Zwolle",
        "--operator", "=1+1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [info] = get_store().datasets.list()
    assert info.organisation == "Gemeente Zwolle"
    assert "Gemeente Zwolle" in cli("datasets").stdout
    exported = cli("logboek", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["tijd (UTC)", "wie", "rol", "organisatie", "handeling", "wat", "toelichting"]
    imported = next(r for r in rows if r[4] == "dataset opgeslagen")
    # The operator's name as given, but never as a formula a spreadsheet would run.
    assert imported[1] == "opdrachtregel: =1+1" and imported[5] == "Zwolle 2023"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert '"opdrachtregel: \'=1+1"' not in exported  # only a separator's neighbour is touched
