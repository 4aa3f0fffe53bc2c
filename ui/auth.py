"""Sign-in: who uses this session, or a page that says why nobody does.

Without an ``[auth]`` section in the secrets (``.streamlit/secrets.toml``, or the file named by
``STREAMLIT_SECRETS_FILES``) the app is the single-user tool it always was: its user is
:data:`loverboy_stats.access.LOCAL_USER`, and it refuses to run on any address but the
computer's own (127.0.0.1), where nobody else can reach it. With the section, every page needs
a sign-in through Streamlit's ``st.login`` (OpenID Connect), and the identity must be known in
the database (:meth:`loverboy_stats.store.people.PeopleRepository.actor_for`).

Streamlit keeps its sign-in cookie for 30 days, whatever the identity provider said; the app
therefore compares the ID token's expiry (``exp``, in ``st.user``) with the clock on every run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from loverboy_stats.access import LOCAL_USER, Actor
from loverboy_stats.settings import get_settings
from loverboy_stats.store import get_store
from loverboy_stats.textsafe import escape_markdown

TITLE = "Signaleringskloof loverboyproblematiek"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_REFUSAL_LOGGED = "_lbs_refusal_logged"


def configured() -> bool:
    """Whether sign-in is configured (an ``[auth]`` section in the secrets). A secrets file
    that cannot be read is an error, never a silent fall-back to the local mode."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def expired(claims, now: float) -> bool:
    """Whether the ID token behind this sign-in has expired (claim ``exp``, seconds). A
    sign-in without ``exp`` counts as expired: the app cannot tell how old it is."""
    moment = claims.get("exp")
    return not isinstance(moment, int | float) or now >= moment


def _login() -> None:
    provider = get_settings().auth_provider
    st.login(provider) if provider else st.login()


def _sign_in_page(message: str = "") -> None:
    st.title(TITLE)
    if message:
        st.warning(message, icon=":material/lock_clock:")
    st.write(
        "Dit dashboard bevat gevoelige cijfers en is alleen voor medewerkers van de "
        "deelnemende organisaties. Meld u aan met het account van uw organisatie."
    )
    label = "Opnieuw inloggen" if message else "Inloggen"
    st.button(label, type="primary", icon=":material/login:", on_click=_login)


def _no_access_page(claims) -> None:
    """Who is signed in, why the dashboard does not know them, and what to give the beheerder:
    the issuer and subject that identify this account (for a provider that does not report a
    verified e-mail address, such as Microsoft Entra ID, the only way to be registered)."""
    issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
    email = str(claims.get("email") or "")
    who = email or subject or "onbekend"
    st.title("Geen toegang")
    st.error(
        f"U bent aangemeld als {escape_markdown(who)}, maar dit account heeft geen toegang tot "
        "dit dashboard.",
        icon=":material/block:",
    )
    if email and claims.get("email_verified") is not True:
        st.info(
            "Uw inlogdienst meldt niet dat dit e-mailadres geverifieerd is (Microsoft Entra ID "
            "meldt dat nooit). Het dashboard herkent u daarom niet aan uw e-mailadres, ook niet "
            "als de beheerder u op dat adres heeft toegevoegd.",
            icon=":material/info:",
        )
    st.write(
        "Vraag de beheerder van het dashboard in uw regio om u toe te voegen met de uitgever "
        "en het subject hieronder. Daaraan herkent het dashboard uw account bij elke aanmelding."
    )
    st.code(f"uitgever (issuer): {issuer}\nsubject (sub): {subject}", language=None)
    st.button("Afmelden", icon=":material/logout:", on_click=st.logout)
    if not st.session_state.get(_REFUSAL_LOGGED):
        get_store().audit.unknown_identity(who, issuer)
        st.session_state[_REFUSAL_LOGGED] = True


def _local_refused() -> None:
    st.title(TITLE)
    st.error(
        "Deze server is zonder inlog ingesteld en luistert op een ander adres dan 127.0.0.1: "
        "iedereen in het netwerk zou alle cijfers kunnen zien en wijzigen. Stel inlog in (zie "
        "docs/deployment.md) of start de app met --server.address 127.0.0.1.",
        icon=":material/gpp_bad:",
    )


def identify() -> Actor | None:
    """The actor of this session; None after drawing the page that takes its place (sign in,
    sign in again, no access)."""
    actor, refusal = resolve()
    if refusal is not None:
        refusal()
    return actor


def resolve() -> tuple[Actor | None, Callable[[], None] | None]:
    """(actor, None) for who uses this session, or (None, the function that draws the page in
    its place). Draws nothing: a fragment's rerun asks it whether its user is still the one the
    last full run saw (:func:`ui.shell.page_fragment`)."""
    if not configured():
        address = str(st.get_option("server.address") or "")
        if address not in LOOPBACK:
            return None, _local_refused
        return LOCAL_USER, None
    claims = st.user
    if not claims.get("is_logged_in"):
        return None, _sign_in_page
    if expired(claims, time.time()):
        return None, lambda: _sign_in_page("Uw aanmelding is verlopen. Meld u opnieuw aan.")
    actor = get_store().people.actor_for(
        str(claims.get("iss") or ""),
        str(claims.get("sub") or ""),
        str(claims.get("email") or ""),
        claims.get("email_verified") is True,
    )
    if actor is None:
        return None, lambda: _no_access_page(claims)
    return actor, None


def identity_block(actor: Actor) -> None:
    """Sidebar: who is signed in (with role and organisation) and the sign-out, or that this
    is the local single-user mode."""
    if not configured():
        st.caption(
            "Lokale modus: zonder inlog, voor één gebruiker op deze computer (alleen bereikbaar "
            "via 127.0.0.1)."
        )
        return
    st.caption(
        f"Aangemeld als {escape_markdown(actor.shown_name)} ({actor.role}, "
        f"{escape_markdown(actor.organisation_name)})"
    )
    st.button("Afmelden", icon=":material/logout:", on_click=st.logout, key="lbs_logout")
