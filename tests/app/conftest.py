"""AppTest helpers: run the real app.py (router and sidebar included) on a page."""

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

_original_init = PagesManager.__init__


def _init_as_the_server_does(self, *args, **kwargs):
    # AppTest resets PagesManager.uses_pages_directory before every run, so with a pages/
    # folder beside app.py a rerun falls back to the legacy "pages directory" mode and runs the
    # page script alone (no router, no sidebar). The real server keeps the flag False once
    # st.navigation has run; do the same here so reruns test what users get.
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch):
    monkeypatch.setattr(PagesManager, "__init__", _init_as_the_server_does)


@pytest.fixture(autouse=True)
def app_data_dir(tmp_path, monkeypatch):
    """An empty data folder for the store, so tests never touch var/."""
    monkeypatch.setenv("LBS_DATA_DIR", str(tmp_path))
    return tmp_path


def open_app(page: str | None = None) -> AppTest:
    """AppTest of app.py, switched to ``page`` (a path like 'pages/methode.py') if given."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page is not None:
        at.switch_page(page).run()
    return at
