"""Configuration from environment variables (prefix ``LBS_``), with offline-safe defaults.

The defaults need nothing but a fresh clone: an SQLite file under ``var/`` in the project folder
and the data shipped in ``data/``. Everything can be pointed elsewhere for a real deployment.
"""

from __future__ import annotations

import os
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATA_DIR = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    """Runtime settings. Read once per process through :func:`get_settings`."""

    model_config = SettingsConfigDict(env_prefix="LBS_", extra="ignore")

    data_dir: Path = Field(
        default=PROJECT_ROOT / "var",
        description="Folder for the SQLite database and other files the app writes.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default an SQLite file in data_dir.",
    )
    boundaries_dir: Path | None = Field(
        default=None,
        description="Folder with CBS 2024 boundary files (gemeenten_2024.geojson, ...). "
        "Default: data_dir/boundaries.",
    )
    suppression_k: int = Field(
        default=5,
        ge=2,
        le=100,
        description="Publication mode: counts from 1 to k-1 are shown as '<k'.",
    )
    max_upload_mb: int = Field(default=5, ge=1, le=200, description="Largest accepted upload.")
    auth_provider: str | None = Field(
        default=None,
        description="Sign-in: the name of the provider section [auth.NAME] in secrets.toml; "
        "default the [auth] section itself.",
    )
    strict_publication: bool = Field(
        default=False,
        description="Publication mode also safe against a municipality that knows its own "
        "counts (a shared server); hides almost every region total.",
    )

    @cached_property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'loverboy_stats.sqlite').as_posix()}"

    @cached_property
    def effective_boundaries_dir(self) -> Path:
        return self.boundaries_dir or (self.data_dir / "boundaries")


#: The environment variables behind :class:`Settings` (others with the prefix are ignored).
_VARIABLES = tuple(f"LBS_{name.upper()}" for name in Settings.model_fields)


def get_settings() -> Settings:
    """Settings from the current environment.

    Built once per distinct value of the ``LBS_`` variables (building takes ~2 ms and pages ask
    dozens of times per rerun), so a test that changes the environment still gets new
    settings. Only the variables of the fields are read: scanning the whole environment on
    every call was a few per cent of a page's rerun.
    """
    return _settings_for(tuple(os.environ.get(name) for name in _VARIABLES))


@lru_cache(maxsize=16)
def _settings_for(_environment: tuple[str | None, ...]) -> Settings:
    return Settings()
