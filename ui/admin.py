"""The pages of a beheerder: users, organisations and the audit trail.

Every change goes through :class:`loverboy_stats.store.people.PeopleRepository` with the
signed-in actor, which refuses anyone but a beheerder (and records the refusal); the pages
only draw the forms. Names and addresses are shown as text (``escape_markdown``).
"""

from __future__ import annotations

import streamlit as st

from loverboy_stats.access import AccessDenied, Role, area_label, area_options, require_admin
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.textsafe import NAME_MAX, escape_markdown
from ui.state import current_actor

MESSAGE = "_lbs_admin_message"
ROLES = [str(r) for r in Role]


def require_beheerder() -> None:
    """Refuse the page (the router shows the Dutch refusal) unless the user is a beheerder."""
    require_admin(current_actor())


def show_message() -> None:
    """The outcome of the last change, once."""
    if MESSAGE in st.session_state:
        kind, text = st.session_state.pop(MESSAGE)
        (st.success if kind == "success" else st.error)(escape_markdown(text))


def _do(action, done: str) -> None:
    """Run a change; its outcome becomes the message of the next run."""
    try:
        action()
    except (StoreError, AccessDenied) as problem:
        st.session_state[MESSAGE] = ("error", problem.message)
    else:
        st.session_state[MESSAGE] = ("success", done)


def users_section() -> None:
    """The registered users and the forms to add, change and remove one."""
    people = get_store().people
    found = people.users()
    names = {o.id: o.name for o in people.organisations()}
    st.dataframe(
        {
            "e-mailadres": [u.email for u in found],
            "naam": [u.name for u in found],
            "rol": [str(u.role) for u in found],
            "organisatie": [u.organisation for u in found],
            "aangemeld": ["ja" if u.bound else "nog niet" for u in found],
        },
        hide_index=True,
    )
    with st.form("admin_add_user", clear_on_submit=True):
        st.markdown("**Gebruiker toevoegen**")
        email = st.text_input("E-mailadres (zoals de inlogdienst het kent)", max_chars=320)
        name = st.text_input("Naam", max_chars=NAME_MAX)
        role = st.selectbox("Rol", ROLES, key="admin_add_role")
        organisation = st.selectbox("Organisatie", list(names), format_func=names.get)
        st.caption(
            "Meldt de inlogdienst geen bevestigd e-mailadres (zoals Microsoft Entra ID), vul dan "
            "ook uitgever en subject in: de gebruiker ziet beide op de pagina 'Geen toegang'."
        )
        issuer = st.text_input("Uitgever (issuer), optioneel", max_chars=500)
        subject = st.text_input("Subject (sub), optioneel", max_chars=500)
        if st.form_submit_button("Toevoegen"):
            bound = {"issuer": issuer.strip() or None, "subject": subject.strip() or None}
            _do(
                lambda: people.add_user(
                    current_actor(), email, role, organisation, name=name, **bound
                ),
                f"{email} is toegevoegd als {role}.",
            )
            st.rerun()
    if not found:
        return
    emails = [u.email for u in found]
    with st.form("admin_change_user"):
        st.markdown("**Rol of organisatie wijzigen**")
        who = st.selectbox("Gebruiker om te wijzigen", emails, key="admin_change_who")
        role = st.selectbox("Nieuwe rol", ROLES, key="admin_change_role")
        organisation = st.selectbox(
            "Nieuwe organisatie", list(names), format_func=names.get, key="admin_change_org"
        )
        if st.form_submit_button("Wijzigen"):
            _do(
                lambda: people.change_user(
                    current_actor(), who, role=role, organisation=organisation
                ),
                f"{who} is nu {role} bij {names[organisation]}.",
            )
            st.rerun()
    with st.form("admin_remove_user"):
        st.markdown("**Gebruiker verwijderen**")
        who = st.selectbox("Gebruiker om te verwijderen", emails, key="admin_remove_who")
        sure = st.checkbox("Ja, verwijder deze gebruiker", key="admin_remove_sure")
        if st.form_submit_button("Verwijderen") and sure:
            _do(lambda: people.remove_user(current_actor(), who), f"{who} is verwijderd.")
            st.rerun()


def organisations_section() -> None:
    """The organisations with their areas, and the forms to add one or change its areas."""
    people = get_store().people
    found = people.organisations()
    options = area_options()
    st.dataframe(
        {
            "organisatie": [o.name for o in found],
            "gebieden": [", ".join(area_label(c) for c in o.areas) or "–" for o in found],
        },
        hide_index=True,
    )
    with st.form("admin_add_org", clear_on_submit=True):
        st.markdown("**Organisatie toevoegen**")
        name = st.text_input("Naam", max_chars=NAME_MAX)
        areas = st.multiselect(
            "Gebieden (gemeenten of een regio)", list(options), format_func=options.get
        )
        if st.form_submit_button("Toevoegen"):
            _do(
                lambda: people.add_organisation(current_actor(), name, areas),
                f"Organisatie {name} is toegevoegd.",
            )
            st.rerun()
    names = {o.id: o.name for o in found}
    chosen = st.selectbox(
        "Gebieden wijzigen van", list(names), format_func=names.get, key="admin_areas_org"
    )
    current = next(o.areas for o in found if o.id == chosen)
    with st.form("admin_areas"):
        areas = st.multiselect(
            "Gebieden",
            list(options),
            default=[c for c in current if c in options],
            format_func=options.get,
            key=f"admin_areas_{chosen}",
        )
        if st.form_submit_button("Gebieden opslaan"):
            _do(
                lambda: people.set_areas(current_actor(), chosen, areas),
                f"De gebieden van {names[chosen]} zijn opgeslagen.",
            )
            st.rerun()
