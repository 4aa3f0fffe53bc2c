"""scripts/build_reference.py: says what it needs, and rebuilds the shipped table exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.fixtures.boundaries import shared_reference

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_reference.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_without_its_input_files_it_names_them(tmp_path):
    done = run(str(tmp_path))
    assert done.returncode == 2
    assert "gebieden_2024.csv" in done.stderr and "bevolking_2024.csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_it_rebuilds_the_shipped_table_byte_for_byte(tmp_path):
    output = tmp_path / "gemeenten_2024.csv"
    done = run(str(shared_reference()), "--output", str(output))
    assert done.returncode == 0, done.stderr
    shipped = ROOT / "data" / "reference" / "gemeenten_2024.csv"
    assert output.read_bytes() == shipped.read_bytes()
