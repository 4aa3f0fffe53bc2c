"""AppTest helpers: run the real app.py (router and sidebar included) on a page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def app_data_dir(tmp_path, monkeypatch):
    """An empty data folder for the store, so tests never touch var/."""
    monkeypatch.setenv("LBS_DATA_DIR", str(tmp_path))
    return tmp_path


def open_app(
    page: str | None = None, *, secrets: dict | None = None, user: dict | None = None, **session
) -> AppTest:
    """AppTest of app.py, switched to ``page`` (a path like 'pages/methode.py') if given;
    ``secrets`` and the signed-in ``user`` (AppTest's own fakes of st.secrets and st.user) and
    ``session`` values are set before the first run."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def show_view(at: AppTest, label: str, key: str = "weergave") -> AppTest:
    """Choose the view ``label`` in the row "Weergave" (as a click on its button would) and
    run: Vergelijken's row has the key ``weergave``, Gemeenteprofiel's ``gp_view``."""
    from loverboy_stats.views.compare import VIEWS
    from ui.profile import VIEWS as PROFILE_VIEWS

    labels = {label: value for value, (_, label) in VIEWS.items()}
    labels |= {label: value for value, label in PROFILE_VIEWS.items()}
    at.session_state[key] = labels[label]
    at.run()
    assert not at.exception, at.exception
    return at


def open_checklist_editor(at: AppTest) -> AppTest:
    """Switch on 'Checklist invullen of wijzigen' on Gemeenteprofiel: the form's widgets are
    only there once the user opened it."""
    at.toggle(key="gp_editor_open").set_value(True).run()
    assert not at.exception, at.exception
    return at


def shown(markdown: str) -> str:
    """The text a reader sees of an element's Markdown source: CommonMark's backslash escapes
    resolved and the invisible word joiners (textsafe.escape_markdown) left out. AppTest gives
    the source; the browser tests check the rendering itself."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
