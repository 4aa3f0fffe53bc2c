"""``validate``, ``import`` and ``datasets`` as a user runs them: exit codes, reports, storage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ROOT, run_process

VALID = "gemeente;jaar;gesignaleerd;doorverwezen\nDen Haag;2023;12;15\nAmsterdam;2023;4;\n"
INVALID = "gemeente;jaar;gesignaleerd\nAmsterdam;2023;-2\nAtlantis;1999;4\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "valid": tmp_path / "geldig.csv",
        "invalid": tmp_path / "ongeldig.csv",
        "pdf": tmp_path / "rapport.pdf",
        "empty": tmp_path / "leeg.csv",
    }
    paths["valid"].write_text(VALID, encoding="utf-8")
    paths["invalid"].write_text(INVALID, encoding="cp1252")
    paths["pdf"].write_bytes(b"%PDF-1.4")
    paths["empty"].write_bytes(b"")
    return paths


def test_validate_valid_file_exits_0_with_warnings_in_json(files, tmp_path, cli):
    done = cli("validate", str(files["valid"]), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"ok", "rows", "errors", "warnings"}
    assert report["ok"] is True and report["rows"] == 2 and report["errors"] == []
    assert report["warnings"] == [
        {
            "row": 2,
            "column": "doorverwezen",
            "value": "15",
            "message": report["warnings"][0]["message"],
        }
    ]
    assert "Groter dan gesignaleerd (12)" in report["warnings"][0]["message"]


def test_validate_invalid_file_exits_1_and_lists_every_error(files, tmp_path, cli):
    done = cli("validate", str(files["invalid"]), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["rows"] == 2
    found = {(e["row"], e["column"], e["value"]) for e in report["errors"]}
    assert found == {(2, "gesignaleerd", "-2"), (3, "gemeente", "Atlantis"), (3, "jaar", "1999")}
    assert all(set(e) == {"row", "column", "value", "message"} for e in report["errors"])


def test_validate_text_report_is_dutch(files, tmp_path, cli):
    done = cli("validate", str(files["invalid"]))
    assert done.returncode == 1
    assert "fout: rij 2, kolom 'gesignaleerd': Mag niet negatief zijn." in done.stdout
    assert "Resultaat: ongeldig (3 fout(en), 0 waarschuwing(en))." in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "{pdf}"], "niet ondersteund"),
        (["validate", "{empty}"], "is leeg"),
        (["validate", "{missing}"], "bestaat niet"),
        (["validate"], "deze argumenten ontbreken: BESTAND"),
        (["onbekend"], "ongeldige keuze 'onbekend'"),
        (["validate", "{valid}", "--format", "xml"], "ongeldige keuze 'xml'"),
    ],
)
def test_unreadable_file_or_misuse_exits_2(files, tmp_path, args, message, cli):
    names = {key: str(path) for key, path in files.items()} | {"missing": str(tmp_path / "x.csv")}
    done = cli(*[a.format(**names) for a in args])
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_file_in_json_mode_is_still_json(files, tmp_path, cli):
    done = cli("validate", str(files["pdf"]), "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["ok"] is False


def test_import_then_list_and_import_again(files, tmp_path, cli):
    done = cli("import", str(files["valid"]), "--name", "Proef 2023")
    assert done.returncode == 0, done.stderr
    assert "Opgeslagen als 'Proef 2023'" in done.stdout
    again = cli("import", str(files["valid"]), "--name", "Nog eens")
    assert again.returncode == 0
    assert "al opgeslagen als 'Proef 2023'" in again.stdout
    listed = cli("datasets", "--format", "json")
    assert listed.returncode == 0
    [only] = json.loads(listed.stdout)
    assert (only["name"], only["filename"], only["row_count"]) == ("Proef 2023", "geldig.csv", 2)
    text = cli("datasets")
    assert "Proef 2023" in text.stdout and "2 rijen" in text.stdout


def test_import_of_invalid_file_stores_nothing(files, tmp_path, cli):
    done = cli("import", str(files["invalid"]), "--name", "Fout")
    assert done.returncode == 1
    assert "rij 2, kolom 'gesignaleerd'" in done.stderr and "niets opgeslagen" in done.stderr
    listed = cli("datasets")
    assert "Nog geen datasets opgeslagen." in listed.stdout


def test_import_requires_a_name(files, tmp_path, cli):
    done = cli("import", str(files["valid"]))
    assert done.returncode == 2 and "deze argumenten ontbreken: --name" in done.stderr


@pytest.mark.parametrize(
    "command", [[], ["validate"], ["import"], ["datasets"], ["gaps"], ["boundaries", "download"]]
)
def test_help_is_dutch_for_every_command(command, cli):
    done = cli(*command, "--help")
    assert done.returncode == 0 and done.stdout.startswith("gebruik: ")
    english = ("usage", "positional arguments", "options:", "show this help", "optional")
    assert not [word for word in english if word in done.stdout], done.stdout


def test_every_option_of_every_command_has_a_dutch_explanation():
    from loverboy_stats.cli import build_parser

    def parsers(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action.choices, dict):  # the subcommands
                for sub in action.choices.values():
                    yield from parsers(sub)

    for parser in parsers(build_parser()):
        for action in parser._actions:
            assert action.help, f"{parser.prog}: {action.option_strings or action.dest}"


def test_the_entry_point_lists_every_command(tmp_path):
    done = run_process("--help", data_dir=tmp_path)
    assert done.returncode == 0
    for command in ("validate", "import", "datasets", "gaps", "boundaries"):
        assert command in done.stdout


def test_imported_data_survives_a_restart(tmp_path):
    """Import in one process, read back in another (same LBS_DATA_DIR): every value intact."""
    source = ROOT / "tests" / "data" / "good" / "puntkomma_cp1252_decimale_komma.csv"
    done = run_process("import", str(source), "--name", "Blijvend", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Opgeslagen als 'Blijvend'" in done.stdout
    load = (
        "import json; from loverboy_stats.store import get_store; "
        "frame = get_store().datasets.load('Blijvend'); "
        "print(frame.astype(object).where(frame.notna(), None).to_json(orient='records'))"
    )
    env = {**os.environ, "LBS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("LBS_DATABASE_URL", None)
    loaded = subprocess.run(
        [sys.executable, "-c", load], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert loaded.returncode == 0, loaded.stderr
    [case] = [
        c
        for c in json.loads((source.parent / "expected.json").read_text("utf-8"))
        if c["file"] == source.name
    ]
    expected = [{**row, "referentiepopulatie": None, "regio": None} for row in case["rows"]]
    assert json.loads(loaded.stdout) == expected
    listed = json.loads(run_process("datasets", "--format", "json", data_dir=tmp_path).stdout)
    assert [(d["name"], d["row_count"]) for d in listed] == [("Blijvend", 3)]


def test_escape_sequences_in_a_file_never_reach_the_terminal(tmp_path, cli):
    path = tmp_path / "esc.csv"
    path.write_bytes(b"gemeente;jaar;gesignaleerd\r\n\x1b[2J\x1b[31mEde\x07;2023;4\r\n")
    result = cli("validate", str(path))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "�[2J�[31mEde�" in result.stdout  # shown, as text
    result = cli("import", str(path), "--name", "x")
    assert result.returncode == 1 and "\x1b" not in result.stderr
