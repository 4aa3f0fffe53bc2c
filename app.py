"""Entry point: page set-up and the router (navigation over the pages, shared sidebar)."""

import streamlit as st

from ui.shell import run_app

st.set_page_config(
    page_title="Signaleringskloof loverboyproblematiek",
    layout="wide",
    # Open on a wide screen, closed on a phone, where it would cover the page.
    initial_sidebar_state="auto",
)
run_app()
