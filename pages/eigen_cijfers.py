"""Page 'Eigen cijfers': upload local referral figures, check them, store them.

Reads widgets, calls loverboy_stats.uploads and the store, renders. Uploaded data is cached per
session only; every download goes through loverboy_stats.export.to_csv_bytes.
"""

import streamlit as st

from loverboy_stats import uploads
from loverboy_stats.access import may_upload
from ui.blocks import download, download_csv
from ui.datasets import check_and_save, stored_section, uploader
from ui.shell import page_start
from ui.state import current_actor, publication_mode

page_start()
PUBLICATION = publication_mode()


st.title("Eigen cijfers")
st.write(
    "Laad de cijfers van uw gemeente of regio: per gemeente en jaar het aantal gesignaleerde "
    "mogelijke slachtoffers en, als u die heeft, hoeveel er zijn gemeld bij CoMensha, "
    "doorverwezen en in behandeling. De app controleert het bestand en laat elke fout zien met "
    "het rijnummer zoals in Excel. Een leeg vakje betekent 'niet gerapporteerd', nooit 0."
)

with st.expander("Bestandsformaat en sjabloon", icon=":material/table:"):
    st.dataframe(uploads.format_description(), hide_index=True)
    left, right = st.columns(2)
    with left:
        template = uploads.template_csv_bytes()
        download_csv("Sjabloon (CSV)", template, "sjabloon_eigen_cijfers.csv", "t_csv")
    with right:
        download(
            "Sjabloon met uitleg (Excel)",
            uploads.template_xlsx_bytes(),
            "sjabloon_eigen_cijfers.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "t_xlsx",
        )

st.header("Bestand controleren")
if not may_upload(current_actor()):
    st.info("Bestanden controleren en opslaan kan een invoerder of beheerder.")
elif (upload := uploader()) is not None:
    check_and_save(upload, PUBLICATION)

st.header("Opgeslagen datasets")
stored_section(PUBLICATION)
