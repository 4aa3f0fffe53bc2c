"""The command line run in-process (its own code path, exit codes and output streams); the
tests that are about a real process (entry point, data surviving a restart) start one."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from loverboy_stats.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """``cli(*args, env={...})`` runs ``python -m loverboy_stats *args`` in this process, with
    an empty data folder of its own."""
    monkeypatch.setenv("LBS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LBS_DATABASE_URL", raising=False)

    def run(*args: str, env: dict | None = None) -> Done:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse refuses misuse this way
            code = stop.code
        captured = capsys.readouterr()
        return Done(int(code), captured.out, captured.err)

    return run


def run_process(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``python -m loverboy_stats *args`` as a real process."""
    env = {
        **os.environ,
        "LBS_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("LBS_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "loverboy_stats", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )
