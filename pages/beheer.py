"""Page 'Beheer': users and organisations, for a beheerder (forms in ui/admin.py)."""

import streamlit as st

from ui import admin
from ui.auth import configured
from ui.shell import page_start

page_start()
admin.require_beheerder()

st.title("Beheer")
if not configured():
    st.info(
        "Inloggen is niet ingesteld: de app draait voor één gebruiker op deze computer. "
        "Gebruikers en hun rollen tellen pas als inloggen is ingesteld (docs/deployment.md); "
        "u kunt ze hier alvast klaarzetten.",
        icon=":material/info:",
    )
st.write(
    "Een gebruiker krijgt toegang met het e-mailadres dat de inlogdienst van de organisatie "
    "kent. Bij de eerste aanmelding (met een door de inlogdienst bevestigd adres) koppelt het "
    "dashboard het account vast aan die inlogdienst; daarna telt alleen die koppeling."
)
admin.show_message()
users, organisations = st.tabs(["Gebruikers", "Organisaties"])
with users:
    admin.users_section()
with organisations:
    admin.organisations_section()
