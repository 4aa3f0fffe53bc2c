"""Entry point: page set-up, navigation over the pages and the shared sidebar. Nothing else."""

import streamlit as st

from pages.common import PUBLICATION_KEY

st.set_page_config(
    page_title="Signaleringskloof loverboyproblematiek",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page("pages/landelijk_beeld.py", title="Landelijk beeld", default=True),
    # URL paths stay the file names (the default): a shared link must name the same page in
    # Streamlit's legacy pages-folder mode and in st.navigation mode (see route_guard).
    st.Page("pages/eigen_cijfers.py", title="Eigen cijfers"),
    st.Page("pages/vergelijken.py", title="Vergelijken"),
    st.Page("pages/gemeenteprofiel.py", title="Gemeenteprofiel"),
    st.Page("pages/methode.py", title="Methode"),
]

with st.sidebar:
    st.toggle(
        "Publicatiemodus",
        value=True,
        key=PUBLICATION_KEY,
        help="Kleine aantallen (1 tot 5) worden afgeschermd in alles wat u ziet of downloadt.",
    )

if not st.session_state[PUBLICATION_KEY]:
    st.warning(
        "Publicatiemodus staat uit: kleine aantallen zijn zichtbaar. Deze weergave is niet "
        "geschikt om te publiceren of te delen.",
        icon=":material/warning:",
    )

st.navigation(pages).run()
