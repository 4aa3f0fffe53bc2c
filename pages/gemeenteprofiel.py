"""Page 'Gemeenteprofiel': one area's signalling gap beside its checklist completion.

Reads widgets, calls loverboy_stats.profile / checklist / checklist_store, renders; the checklist
form is in pages/checklist_editor.py. Datasets are cached per session only; every CSV goes
through loverboy_stats.export.to_csv_bytes.
"""

import pandas as pd
import streamlit as st

from loverboy_stats import checklist, demo, profile
from loverboy_stats.checklist_charts import theme_completion_chart
from loverboy_stats.checklist_store import ChecklistStore
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.store import get_store
from pages import checklist_editor
from pages.common import chart_block, publication_mode, route_guard, session_memo, stored_datasets

route_guard()

DEMO = f"Demo ({demo.DEMO_LABEL})"


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _dataset(name: str, fingerprint: str) -> pd.DataFrame:
    # Session scope: one municipality's figures are never served to another session. The
    # fingerprint (sha256) is part of the key, so a new file under an old name is read anew.
    return demo.load_demo() if name == DEMO else get_store().load_dataset(name)


def _gaps(name: str, fingerprint: str, code: str, year: int, publication: bool):
    # Figures are kept as objects in the session (st.cache_data would unpickle and re-validate
    # them on every rerun, ~20 ms each).
    def build():
        local = _dataset(name, fingerprint)
        label = demo.DEMO_LABEL if name == DEMO else ""
        gp = profile.gap_profile(local, code, year, publication=publication, label=label)
        short, _ = profile.gap_source()
        if not gp.has_data:
            return gp, None
        return gp, (profile.funnel_chart(gp, short), profile.trend_chart(gp, short))

    return session_memo("_profiel_gaps", (name, fingerprint, code, year, publication), build)


checklists = ChecklistStore(get_store())
frameworks = checklist.load_frameworks()
fingerprints = {i.name: i.sha256 for i in stored_datasets()}
areas = profile.area_options()

st.title("Gemeenteprofiel")
st.write(
    "De signaleringskloof van één gemeente of jeugdregio naast die van de jeugdregio en het "
    "land, en hoe ver de aanpak is volgens een checklist die u hier zelf bijhoudt."
)
pick = st.columns([3, 3, 2, 3])
dataset = pick[1].selectbox("Cijfers", [DEMO, *fingerprints], key="gp_dataset")
fingerprint = fingerprints.get(dataset, "demo")
local = _dataset(dataset, fingerprint)
code = pick[0].selectbox(
    "Gemeente of jeugdregio",
    areas["code"],
    index=int(areas.index[areas["code"] == profile.default_area(local)][0]),
    format_func=dict(zip(areas["code"], areas["label"], strict=True)).get,
    key="gp_area",
)
year = pick[2].selectbox("Jaar", profile.years_of(local), key="gp_year")
framework_id = pick[3].selectbox(
    "Checklist", list(frameworks), format_func=lambda k: frameworks[k].short_title, key="gp_fw"
)
framework = frameworks[framework_id]
name = profile.area_info(code)[0]
gp, charts = _gaps(dataset, fingerprint, code, year, publication_mode())
state = checklist_editor.load_state(checklists, code, name, framework_id)
done = checklist.completion(framework, state.answers)
actions = checklist.open_actions(framework, state.answers)

left, right = st.columns(2, gap="large")
with left:
    st.subheader(f"Signaleringskloof {name}, {year}")
    if gp.label:
        st.warning(f"Dit zijn {gp.label}, geen echte gegevens.", icon=":material/science:")
    if not gp.has_data:
        st.info(f"Deze cijfers bevatten geen aantal gesignaleerd voor {name} in {year}.")
    else:
        for column, (label, value, tip) in zip(st.columns(2) * 2, gp.key_figures, strict=True):
            column.metric(label, value, help=tip, border=True)
        st.dataframe(gp.by_indicator, hide_index=True)
        chart_block(
            charts[0],
            to_csv_bytes(gp.csv_frame()),
            gp.source,
            note="Afgeschermde aantallen (publicatiemodus) staan als '<5' of 'x'.",
            file_name=f"kloof_{code}_{year}.csv",
            key="funnel",
        )
        chart_block(
            charts[1],
            to_csv_bytes(gp.trend_export()),
            gp.source,
            note="Een ontbrekend punt: niet gerapporteerd of afgeschermd.",
            file_name=f"trend_{code}.csv",
            key="trend",
        )
with right:
    st.subheader(f"Checklist: {framework.short_title}")
    summary = profile.completion_summary(done)
    for column, (label, value, tip) in zip(st.columns(2), summary, strict=True):
        column.metric(label, value, help=tip, border=True)
    for label, fraction, text in profile.theme_rows(done):
        st.progress(fraction, text=f"{label}: {text}")
    chart_block(
        session_memo(
            "_profiel_themes",
            (code, framework_id, state.version),
            lambda: theme_completion_chart(done, framework, area_name=name),
        ),
        to_csv_bytes(done.themes),
        profile.checklist_source(framework),
        file_name=f"checklist_{code}_{framework_id}.csv",
        key="themes",
    )
    st.markdown("**Open actiepunten**")
    if actions.empty:
        st.caption("Geen open punten met een actiehouder of streefdatum.")
    else:
        st.dataframe(profile.actions_display(actions), hide_index=True)

st.header("Checklist bijhouden")
checklist_editor.editor(checklists, state, framework)
with st.expander("Geschiedenis en eerdere versie herstellen", icon=":material/history:"):
    table = profile.history_display(checklists.history(code, framework_id))
    checklist_editor.history(checklists, state, table)

st.subheader("Downloaden")
files = session_memo(
    "_profiel_files",
    (dataset, fingerprint, code, year, publication_mode(), framework_id, state.version),
    lambda: profile.downloads(gp, framework, state, done, actions),
)
for column, download in zip(st.columns(3), files, strict=True):
    column.download_button(
        download.label,
        download.data,
        file_name=download.file_name,
        mime=download.mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"gp_download_{download.file_name.rsplit('.', 1)[-1]}",
    )
