"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.boundaries import write_boundaries


@pytest.fixture(scope="session")
def boundary_dir(tmp_path_factory) -> Path:
    """A folder with the project's own small boundary files for every level."""
    return write_boundaries(tmp_path_factory.mktemp("boundaries"))
