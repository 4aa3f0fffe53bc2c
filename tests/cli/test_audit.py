"""``audit``: the exact intruder audit of what publication mode publishes, as an operator runs it
before sharing a dataset; it must pass on what the app publishes and catch what it should not."""

from __future__ import annotations

import pytest

from loverboy_stats import privacy
from loverboy_stats.privacy.pattern import data_key, pattern_from_status
from loverboy_stats.privacy.problem import primary_status

#: Two municipalities of Flevoland: the province total (3 + 12) would give Almere's "<5" away
#: if only the small count itself were hidden.
UPLOAD = "gemeentecode;gemeente;jaar;gesignaleerd\nGM0034;Almere;2024;3\nGM0050;Zeewolde;2024;12\n"


@pytest.fixture
def run(cli):
    return lambda *args, env=None: cli("audit", *args, env=env)


def test_the_demo_as_published_passes(run):
    result = run("demo", "--year", "2024")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2024: ")
    assert "terug te rekenen: 0 " in result.stdout
    assert result.stdout.rstrip().endswith("niets terug te rekenen.")


def test_a_stored_dataset_passes_and_a_forged_pattern_is_caught(cli, run, tmp_path):
    upload = tmp_path / "flevoland.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    assert cli("import", str(upload), "--name", "Flevoland").returncode == 0
    result = run("Flevoland")
    assert result.returncode == 0, result.stdout + result.stderr

    # Replace the stored protection by one that hides only the small count itself (the rule
    # the dashboard used to have): the audit must say the publication is not safe.
    from loverboy_stats.store import get_store

    store = get_store()
    local = store.datasets.load("Flevoland")
    problem = privacy.year_problem(local, 5)
    key = data_key(local, 5, privacy.design_in_use())
    with store.protections.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM protections")
    store.protections.put(pattern_from_status(problem, primary_status(problem), key, "naive"))
    result = run("Flevoland")
    assert result.returncode == 1
    assert "terug te rekenen: 1 (gesignaleerd 1" in result.stdout
    assert result.stdout.rstrip().endswith("NIET veilig.")


def test_insider_and_unusable_input(run, tmp_path):
    upload = tmp_path / "flevoland.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    result = run(str(upload), "--insider", "gm0050")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run(str(upload), "--insider", "GM9999")
    assert result.returncode == 2
    assert "GM9999" in result.stderr and "staat niet in deze gegevens" in result.stderr
    result = run(str(upload), "--year", "2019")
    assert result.returncode == 2 and "Geen gegevens voor jaar 2019" in result.stderr
    result = run("geen\x1b[2Jbron")
    assert result.returncode == 2 and "\x1b" not in result.stderr
