"""What a user sees when something goes wrong: Dutch messages in plain sight, one upload limit,
and no English error page; the log gets the kind of error, never its data."""

from __future__ import annotations

import logging

import pytest

from tests.app.conftest import open_app, shown
from ui.shell import UNEXPECTED_MESSAGE

EIGEN, PROFIEL = "pages/eigen_cijfers.py", "pages/gemeenteprofiel.py"


def upload(at, name: str, content: bytes):
    at.file_uploader(key="upload").upload(name, content, "text/csv")
    return at.run()


def test_an_unexpected_error_is_a_dutch_message_and_its_log_holds_no_data(monkeypatch, caplog):
    # A database that cannot be reached: the page cannot open its checklist store.
    url = "postgresql+psycopg://lbs:GeheimWachtwoord@127.0.0.1:1/lbs"
    monkeypatch.setenv("LBS_DATABASE_URL", url)
    caplog.set_level(logging.ERROR, logger="loverboy_stats.app")
    at = open_app(PROFIEL)
    assert not at.exception, "Streamlit's own (English) error page was shown"
    assert UNEXPECTED_MESSAGE in [e.value for e in at.error]
    logged = [r.getMessage() for r in caplog.records if r.name == "loverboy_stats.app"]
    assert logged and "OperationalError" in logged[0] and "(message withheld)" in logged[0]
    assert "GeheimWachtwoord" not in caplog.text and "127.0.0.1" not in caplog.text


def test_the_refusal_of_an_unreadable_file_is_in_plain_sight_not_in_the_status_box():
    at = upload(open_app(EIGEN), "cijfers.csv", b"\x00\x01binair")
    [status] = at.status
    assert status.label == "Het bestand kan niet worden gelezen"
    refusal = "Dit bestand is geen tekstbestand (CSV)."
    assert any(shown(e.value).startswith(refusal) for e in at.error)
    assert not any(shown(e.value).startswith(refusal) for e in status.error)


@pytest.mark.parametrize(("setting", "limit"), [("1", 1), ("5", 5), ("50", 5)])
def test_the_browser_and_the_app_check_one_upload_limit(monkeypatch, setting, limit):
    """LBS_MAX_UPLOAD_MB sets the browser's check too, up to server.maxUploadSize (5 in
    .streamlit/config.toml), beyond which the server itself refuses the request."""
    monkeypatch.setenv("LBS_MAX_UPLOAD_MB", setting)
    at = open_app(EIGEN)
    assert at.file_uploader(key="upload").proto.max_upload_size_mb == limit
    line = b"Ede;2023;4;" + b"x" * 900 + b"\r\n"
    content = b"gemeente;jaar;gesignaleerd;opmerking\r\n" + line * (limit * 1_000_000 // len(line))
    assert len(content) <= limit * 1_000_000
    assert not any("de grens is" in shown(e.value) for e in upload(at, "groot.csv", content).error)
    at = upload(open_app(EIGEN), "groter.csv", content + line * 200)
    size = f"{(len(content) + 200 * len(line)) / 1e6:.1f}".replace(".", ",")
    assert f"Het bestand is {size} MB; de grens is {limit} MB." in [
        shown(e.value) for e in at.error
    ]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, monkeypatch, tmp_path):
    """The page's store on SQLite (in the test's data folder) or on a PostgreSQL schema of its
    own (LBS_TEST_POSTGRES_URL; required when CI=true)."""
    if request.param == "sqlite":
        yield
        return
    from tests.store.test_datasets import _postgres_store

    for store in _postgres_store():
        monkeypatch.setenv("LBS_DATABASE_URL", store.url)
        yield


VALID = b"gemeente;jaar;gesignaleerd\r\nDen Haag;2023;918273\r\nAmsterdam;2023;40\r\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Nul\x00teken", "De naam van de dataset bevat een teken dat niet is toegestaan: U+0000."),
        (
            "![px](http://evil.example/x.png)",
            "De naam van de dataset bevat tekens die niet zijn toegestaan: '!', '[', ']'.",
        ),
    ],
)
def test_a_name_the_database_would_refuse_is_refused_on_the_page(database, caplog, name, message):
    from loverboy_stats.store import get_store

    caplog.set_level(logging.DEBUG)
    at = upload(open_app(EIGEN), "cijfers.csv", VALID)
    # (A name over 200 characters cannot be typed here: max_chars. The store refuses it too, on
    # both databases: tests/store/test_refusals.py.)
    at.text_input[0].set_value(name)
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception
    assert any(shown(e.value).startswith(message) for e in at.error)
    assert get_store().datasets.list() == []
    assert "918273" not in caplog.text
