"""Hostile files cannot hurt the server: each is read under a memory cap and answered in Dutch.

Every file is parsed in a fresh process limited to 1 GB of address space (RLIMIT_AS), as the page
and the command line parse it; before the reader was bounded, these files took 1.4 to 22 GB, ran
for minutes or ended in a MemoryError. A file must now end in a Dutch refusal that names the
limit (or, for a file that only *claims* to be huge, in the small table it really holds), with
no MemoryError and no traceback. The timeout only guards against a hang; how fast it goes is
measured in bench/uploads.py.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.uploads import hostile

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 2**30  # 1 GB of address space for the whole interpreter
HANG_GUARD_SECONDS = 120

PARSE = """
import json, sys
from pathlib import Path
from loverboy_stats.uploads import UploadError, parse_upload
path = Path(sys.argv[1])
try:
    result = parse_upload(path.read_bytes(), path.name)
except UploadError as refused:
    print(json.dumps({"refused": refused.message}))
else:
    print(json.dumps({"rows": result.rows, "ok": result.ok}))
"""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh process under the memory cap."""
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})},
        preexec_fn=_cap_memory,
        timeout=HANG_GUARD_SECONDS,
    )
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    return done


def parse_capped(path: Path) -> dict:
    done = run_capped("-c", PARSE, str(path))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


ROWS = "heeft meer rijen dan de grens van 20.000 (lege rijen en titelregels tellen mee)"
COLUMNS = "heeft gevulde cellen tot voorbij kolom AX; de grens is 50 kolommen"

CASES = {
    # name: (maker, file name, what must be in the refusal)
    "only_cell_XFD1048576": (hostile.only_cell_far_away, "cel.xlsx", "'Blad1' " + ROWS),
    "a_million_rows": (
        hostile.million_rows,
        "rijen.xlsx",
        "uitgepakt is het 38,7 MB, meer dan de grens van 10 MB",
    ),
    "two_million_separators": (hostile.csv_separator_line, "scheiding.csv", "Rij 2 " + COLUMNS),
    "200000_columns": (hostile.csv_wide, "breed.csv", "Rij 1 " + COLUMNS),
    "400000_rows": (hostile.csv_rows, "lang.csv", "Het bestand " + ROWS),
    "name_of_4.9_MB": (
        hostile.csv_long_name,
        "naam.csv",
        "Een cel in rij 2 is langer dan de grens van 1.000 tekens per cel.",
    ),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_refused_in_dutch_under_a_memory_cap(case, folder):
    make, name, refusal = CASES[case]
    path = folder / name
    path.write_bytes(make())
    assert path.stat().st_size <= 5_000_000  # each passes the upload size limit
    outcome = parse_capped(path)
    assert refusal in outcome.get("refused", ""), outcome


def test_a_sheet_claiming_every_cell_is_read_as_the_small_table_it_holds(folder):
    path = folder / "claim.xlsx"
    path.write_bytes(hostile.claims_whole_sheet())
    assert path.stat().st_size < 2_000
    assert parse_capped(path) == {"rows": 1, "ok": True}


def test_thousands_of_rows_with_a_cell_in_column_XFD_are_read_without_the_far_cells(folder):
    path = folder / "ver.xlsx"
    path.write_bytes(hostile.far_column_on_every_row(3_000))
    assert parse_capped(path) == {"rows": 3_000, "ok": False}  # (the years repeat: duplicates)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/dev/zero"],
        ["validate", "/dev/zero", "--format", "json"],
        ["import", "/dev/zero", "--name", "nul"],
        ["gaps", "/dev/zero"],
    ],
)
def test_the_command_line_reads_an_endless_file_only_up_to_the_limit(args, tmp_path):
    done = run_capped("-m", "loverboy_stats", *args, env={"LBS_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    message = "'/dev/zero' is geen gewoon bestand en levert meer dan de grens van 5 MB."
    assert message in done.stderr + done.stdout


def test_gaps_refuses_a_50_MB_file_by_the_same_limit_as_the_page(tmp_path):
    path = tmp_path / "groot.csv"
    with path.open("wb") as handle:
        handle.write(b"gemeente;jaar;gesignaleerd\n")
        for _ in range(50):
            handle.write(b"Ede;2023;4\n" * 95_000)
    assert path.stat().st_size > 50_000_000
    done = run_capped(
        "-m", "loverboy_stats", "gaps", str(path), env={"LBS_DATA_DIR": str(tmp_path)}
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "Het bestand is 52,3 MB; de grens is 5 MB."
