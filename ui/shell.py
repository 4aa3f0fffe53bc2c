"""The app around the pages: page list, navigation, the shared sidebar.

``app.py`` calls :func:`run_app`; every page script starts with :func:`page_start`.

Why :func:`page_start`: with a ``pages/`` folder beside ``app.py``, Streamlit starts each
process in its legacy "pages directory" mode. Until ``st.navigation`` has run once, a deep link
opened as the process's first request (a shared link after a restart) runs that page script on
its own: no router, no sidebar, Streamlit's file-list menu. A page that was not entered through
:func:`run_app` therefore runs the app itself; the public ``st.navigation`` call in it ends the
legacy mode for the process and routes to the same page. Within one script run the page is then
executed once by the router, which renders it; the outer, unrouted run stops.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from loverboy_stats.access import AccessDenied, Actor, Role
from ui import auth
from ui.state import (
    PUBLICATION_KEY,
    current_actor,
    remember_publication_mode,
    set_actor,
    switch_choice,
    sync_with_store,
)

#: What a user sees instead of Streamlit's English error page.
UNEXPECTED_MESSAGE = (
    "Er ging iets mis bij het tonen van deze pagina; er is niets gewijzigd. Laad de pagina "
    "opnieuw. Blijft het misgaan, meld dan aan de beheerder op welk moment het gebeurde: de "
    "fout staat (zonder gegevens) in het serverlog."
)
_LOG = logging.getLogger("loverboy_stats.app")
T = TypeVar("T")
#: Session key set by :func:`run_app` for the page it is about to run.
_ROUTED = "_lbs_routed"
#: Session key that is True while a run has made the checks of :func:`run_app`: during a full
#: run's page, and during a fragment's own rerun once :func:`page_fragment` made them.
_CHECKED = "_lbs_checked"
#: Dutch for Streamlit's own English interface texts, and lang="nl" (see the script's header).
DUTCH_SCRIPT = (Path(__file__).resolve().parent / "nl.js").read_text(encoding="utf-8")
#: Key of a page's container of select boxes, laid out as a grid by ui/look.css.
CHOICES_KEY = "keuzes"
#: Contrast and small-screen additions to the theme.
STYLE = (Path(__file__).resolve().parent / "look.css").read_text(encoding="utf-8")
#: The page scripts. Absolute, so the router works whichever script Streamlit started with.
PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
#: Page file -> menu title, in menu order; the first is the start page.
PAGE_TITLES = {
    "landelijk_beeld.py": "Landelijk beeld",
    "eigen_cijfers.py": "Eigen cijfers",
    "vergelijken.py": "Vergelijken",
    "gemeenteprofiel.py": "Gemeenteprofiel",
    "methode.py": "Methode",
    "beheer.py": "Beheer",
    "logboek.py": "Logboek",
}
#: Pages in the menu of a beheerder only (each checks the role itself as well).
ADMIN_PAGES = {"beheer.py", "logboek.py"}


def pages(actor: Actor | None) -> list:
    """The pages ``actor`` may open, in menu order (all of them, for the hidden menu behind a
    sign-in page). URL paths are the file names (``/vergelijken``)."""
    admin = actor is None or actor.role == Role.BEHEERDER
    return [
        st.Page(PAGES_DIR / name, title=title, default=index == 0)
        for index, (name, title) in enumerate(PAGE_TITLES.items())
        if admin or name not in ADMIN_PAGES
    ]


def log_unexpected(error: BaseException, where: str) -> None:
    """Log an unexpected error for the operator: its kind and where it happened (files, lines,
    code), never its message or any value, which could hold a user's figures or names."""
    chain, cause = [], error
    while cause is not None and len(chain) < 5:
        chain.append(type(cause).__qualname__)
        cause = cause.__cause__ or cause.__context__
    stack = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    _LOG.error("Unexpected %s in %s (message withheld)\n%s", " <- ".join(chain), where, stack)


def show_unexpected(error: Exception, where: str) -> None:
    """Log ``error`` without data and show the Dutch message in its place."""
    log_unexpected(error, where)
    st.error(UNEXPECTED_MESSAGE, icon=":material/error:")


def run_app() -> None:
    """Sign-in (when configured), the shared sidebar (who is signed in, publication mode),
    its banner, and the routed page.

    An exception a page does not handle is shown as a Dutch message (and logged without its
    text), not as Streamlit's English error page; Streamlit's own stop and rerun are no
    exceptions of this kind and pass. A refusal by the library (a right this user lacks) is
    shown as its own Dutch message.
    """
    with _dutch_errors("a page run"):
        _run_app()


@contextlib.contextmanager
def _dutch_errors(where: str):
    """Show what goes wrong inside as a Dutch message (see :func:`run_app`)."""
    try:
        yield
    except AccessDenied as refused:  # the library refused what this session asked for
        st.error(refused.message, icon=":material/block:")
    except Exception as error:
        show_unexpected(error, where)


def _run_app() -> None:
    # Dutch interface texts, lang="nl" and AA contrast on every page, the sign-in page too.
    with st.sidebar:
        # A fixed script of our own, no user text in it (docs/deployment.md allows it by hash).
        st.html(f"<script>{DUTCH_SCRIPT}</script>", unsafe_allow_javascript=True)
    st.html(f"<style>{STYLE}</style>")
    actor = auth.identify()
    if actor is None:
        # A sign-in or refusal page was drawn instead. The hidden menu ends Streamlit's legacy
        # page mode (see the module doc) without running, or listing, any page.
        st.navigation(pages(None), position="hidden")
        return
    set_actor(actor)
    sync_with_store()
    with st.sidebar:
        auth.identity_block(actor)
        _publication_switch(actor)
    _publication_banner(actor)
    page = st.navigation(pages(actor))
    st.session_state[_ROUTED] = True
    with _checked():
        page.run()


def _publication_switch(actor: Actor) -> None:
    """The sidebar switch as the role allows it (a lezer has none)."""
    from loverboy_stats.privacy import small_count_label

    if actor.role == Role.LEZER:
        st.caption("Publicatiemodus staat voor uw rol (lezer) altijd aan.")
        return
    own = actor.role == Role.INVOERDER
    st.toggle(
        "Publicatiemodus",
        value=switch_choice(),
        key=PUBLICATION_KEY,
        on_change=remember_publication_mode,
        help=f"Kleine aantallen ({small_count_label()} en wat nodig is om ze te beschermen) "
        "worden afgeschermd in alles wat u ziet of downloadt."
        + (
            " Uit: alleen de aantallen van de gemeenten van uw eigen organisatie onbeschermd, "
            "op de pagina Eigen cijfers; alle tabellen en grafieken blijven afgeschermd."
            if own
            else ""
        ),
    )


def _publication_banner(actor: Actor) -> None:
    """The warning above every page while the switch is off."""
    if actor.role == Role.LEZER or switch_choice():
        return
    if actor.role == Role.INVOERDER:
        st.warning(
            "Publicatiemodus staat uit voor de gemeenten van uw organisatie: hun aantallen "
            "staan onbeschermd op de pagina Eigen cijfers. Niet geschikt om te publiceren of "
            "te delen. Alle tabellen, grafieken en andere gemeenten blijven afgeschermd.",
            icon=":material/warning:",
        )
    else:
        st.warning(
            "Publicatiemodus staat uit: kleine aantallen zijn zichtbaar. Deze weergave is niet "
            "geschikt om te publiceren of te delen.",
            icon=":material/warning:",
        )


def page_fragment(body: Callable[..., T]) -> Callable[..., T | None]:
    """``st.fragment`` for the part of a page that a user's choices drive: a choice in it
    reruns only that part. The menu, the sidebar, the page's title and the app's own script and
    style then stay in the browser as they are, instead of travelling again and being redrawn
    (issue 13: on Vergelijken a tenth to a fifth of the wait after a choice).

    A fragment's rerun does not pass :func:`run_app`, so it repeats that function's checks
    before the body runs: whether the user is still the one the last full run saw (signed in,
    not expired, still known with the same role and organisation; otherwise the whole app
    reruns and shows the sign-in or refusal page instead), and whether the store changed. A
    fragment inside another one (Gemeenteprofiel's year) checks only when it reruns on its own.
    What goes wrong in the body is a Dutch message in the fragment's place, as in run_app.
    """

    @functools.wraps(body)
    def checked(*args, **kwargs) -> T | None:
        # Handled here, in the fragment: Streamlit would otherwise draw its own English error
        # inside it before run_app could show the Dutch message.
        with _dutch_errors("a fragment run"):
            if st.session_state.get(_CHECKED):
                return body(*args, **kwargs)
            actor, _ = auth.resolve()
            if actor != current_actor():
                st.rerun(scope="app")
            sync_with_store()
            with _checked():
                return body(*args, **kwargs)
        return None

    return st.fragment(checked)


@contextlib.contextmanager
def _checked():
    """Mark the checks of :func:`run_app` as made for what runs inside."""
    before = st.session_state.get(_CHECKED, False)
    st.session_state[_CHECKED] = True
    try:
        yield
    finally:
        st.session_state[_CHECKED] = before


def page_start() -> None:
    """First call of every page script: run the page inside the app (see the module doc)."""
    if st.session_state.pop(_ROUTED, False):
        return
    run_app()
    st.stop()
