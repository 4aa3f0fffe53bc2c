"""Page 'Gemeenteprofiel': one area's signalling gap beside its checklist completion.

Reads widgets, calls loverboy_stats.views (profile, checklist) and the store, renders; the
checklist form (drawn only once the user opens it) and panel are in ui/checklist_editor.py,
the year with the gap and the printable profile in ui/profile.py (a fragment inside the
page's own fragment); the checklist's own files download beside its panel. Figures of stored
and shipped data are shared by content (ui.state.shared_memo), the checklist per session;
every CSV goes through loverboy_stats.export.to_spreadsheet_csv.
"""

import streamlit as st

from loverboy_stats.frameworks import load_frameworks
from loverboy_stats.store import get_store
from loverboy_stats.views import profile
from loverboy_stats.views.compare import DEMO_KEY
from ui import checklist_editor
from ui.links import PageLink
from ui.profile import gap_part
from ui.shell import page_fragment, page_start
from ui.state import dataset_choices, load_dataset, shared_memo

page_start()

st.title("Gemeenteprofiel")
st.write(
    "De signaleringskloof van één gemeente of jeugdregio naast die van haar regio, alle "
    "gemeenten in de dataset en het land, en hoe ver de aanpak is volgens een checklist die u "
    "hier zelf bijhoudt."
)


@page_fragment
def area_profile() -> None:
    """The choices, the gap and the checklist of one area. A fragment: another area or checklist
    reruns only this part (and another year only its own, inner fragment)."""
    link = PageLink("gemeenteprofiel")  # reads the URL before the widgets run

    checklists = get_store().checklists
    frameworks = load_frameworks()
    choices = dataset_choices()
    dataset_labels = {key: choices[key][0] for key in [DEMO_KEY, *choices] if key in choices}
    areas = profile.area_labels()  # code -> label, once per process
    pick = st.columns(3)
    with pick[1]:
        dataset = link.select(
            "Cijfers", list(dataset_labels), "dataset", dataset_labels, key="gp_dataset"
        )
    fingerprint = choices[dataset][1]
    local, _, _ = load_dataset(dataset, fingerprint)
    years, default_area = shared_memo(  # by content: the same for every visitor
        "profielkeuzes",
        (fingerprint,),
        lambda: (profile.years_of(local), profile.default_area(local)),
    )
    with pick[0]:
        code = link.select(
            "Gemeente of jeugdregio",
            list(areas),
            "gebied",
            areas,
            default=default_area,
            key="gp_area",
        )
    with pick[2]:
        framework_id = link.select(
            "Checklist",
            list(frameworks),
            "checklist",
            {k: f.short_title for k, f in frameworks.items()},
            key="gp_fw",
        )
    notices = st.container()  # the link's notices, shown above the columns
    framework = frameworks[framework_id]
    name = profile.area_info(code)[0]
    state = checklist_editor.load_state(checklists, code, name, framework_id)

    left, right = st.columns(2, gap="large")
    with right:
        done, actions = checklist_editor.panel(state, framework)
    with left:  # a fragment: another year reruns only this column (and keeps it in the link)
        gap_part(link, years, dataset, fingerprint, code, (framework, state, done, actions))
    link.finish(notices)

    st.header("Checklist bijhouden")
    checklist_editor.editor(checklists, state, framework)
    # Drawn only while open: the table, select and button were most of a rerun's work otherwise.
    history = st.expander(
        "Geschiedenis en eerdere versie herstellen",
        icon=":material/history:",
        key="gp_history",
        on_change="rerun",
    )
    if history.open:
        with history:
            table = checklist_editor.history_table(checklists, state, framework)
            checklist_editor.history(checklists, state, table)


area_profile()
