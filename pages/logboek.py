"""Page 'Logboek': the audit trail (who did what, when), for a beheerder, with a CSV export."""

import datetime as dt

import streamlit as st

from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.store import get_store
from ui import admin
from ui.blocks import download_csv
from ui.shell import page_start
from ui.state import current_actor

page_start()
admin.require_beheerder()

st.title("Logboek")
st.write(
    "Wie wat deed en wanneer: datasets opslaan, hernoemen en verwijderen, checklistversies "
    "opslaan en herstellen, publicatiemodus uitzetten, gebruikers en rollen wijzigen, en "
    "geweigerde toegang. Het logboek kan alleen groeien: niemand kan een regel wijzigen of "
    "verwijderen, ook niet via de database."
)
since = st.date_input(
    "Vanaf", value=dt.date.today() - dt.timedelta(days=30), format="DD-MM-YYYY", key="log_since"
)
start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC) if since else None
entries = get_store().audit.entries(current_actor(), since=start)
st.caption(f"{len(entries)} regels; tijden in UTC.")
st.dataframe(entries, hide_index=True)
download_csv("Logboek downloaden (CSV)", to_spreadsheet_csv(entries), "logboek.csv", "dl_logboek")
