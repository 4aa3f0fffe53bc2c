"""Page 'Gemeenteprofiel': one area's signalling gap beside its checklist completion.

Reads widgets, calls loverboy_stats.views (profile, checklist) and the store, renders; the
checklist form and panel are in ui/checklist_editor.py. Datasets and their tables are kept per
session only; every CSV goes through loverboy_stats.export.to_spreadsheet_csv.
"""

import streamlit as st

from loverboy_stats.charts.frozen import freeze
from loverboy_stats.charts.profile import funnel_chart, trend_chart
from loverboy_stats.frameworks import load_frameworks
from loverboy_stats.printable import downloads
from loverboy_stats.store import get_store
from loverboy_stats.views import profile
from loverboy_stats.views.checklist import history_display
from loverboy_stats.views.compare import DEMO_KEY
from ui import checklist_editor
from ui.blocks import download
from ui.links import PageLink
from ui.profile import gap_section
from ui.shell import page_start
from ui.state import (
    dataset_choices,
    level_tables,
    load_dataset,
    publication_mode,
    session_memo,
    shared_memo,
)

page_start()
link = PageLink("gemeenteprofiel")  # reads the URL before the widgets run
publication = publication_mode()


def _gaps(dataset: str, fingerprint: str, code: str, year: int):
    # Frozen figures, once for every visitor (st.cache_data would unpickle them on each rerun).
    def build():
        tables = level_tables(dataset, fingerprint, "inwoners", publication)
        gp = profile.gap_profile(tables.sets, code, year, demo=tables.demo)
        short, _ = profile.gap_source()
        charts = freeze(funnel_chart(gp, short)), freeze(trend_chart(gp, short))
        return gp, charts if gp.has_data else None

    return shared_memo("gemeenteprofiel", (fingerprint, code, year, publication), build)


checklists = get_store().checklists
frameworks = load_frameworks()
choices = dataset_choices()
dataset_labels = {key: choices[key][0] for key in [DEMO_KEY, *choices] if key in choices}
areas = profile.area_options()

st.title("Gemeenteprofiel")
st.write(
    "De signaleringskloof van één gemeente of jeugdregio naast die van haar regio, alle "
    "gemeenten in de dataset en het land, en hoe ver de aanpak is volgens een checklist die u "
    "hier zelf bijhoudt."
)
pick = st.columns([3, 3, 2, 3])
with pick[1]:
    dataset = link.select(
        "Cijfers", list(dataset_labels), "dataset", dataset_labels, key="gp_dataset"
    )
fingerprint = choices[dataset][1]
local, _, _ = load_dataset(dataset, fingerprint)
with pick[0]:
    code = link.select(
        "Gemeente of jeugdregio",
        list(areas["code"]),
        "gebied",
        dict(zip(areas["code"], areas["label"], strict=True)),
        default=profile.default_area(local),
        key="gp_area",
    )
years = profile.years_of(local)
with pick[2]:
    year = link.select("Jaar", years, "jaar", {y: str(y) for y in years}, key="gp_year")
with pick[3]:
    framework_id = link.select(
        "Checklist",
        list(frameworks),
        "checklist",
        {k: f.short_title for k, f in frameworks.items()},
        key="gp_fw",
    )
link.finish()
framework = frameworks[framework_id]
name = profile.area_info(code)[0]
with st.spinner("Cijfers berekenen…"):
    gp, charts = _gaps(dataset, fingerprint, code, year)
state = checklist_editor.load_state(checklists, code, name, framework_id)

left, right = st.columns(2, gap="large")
with left:
    gap_section(gp, charts, name, code, year)
with right:
    done, actions = checklist_editor.panel(state, framework)

st.header("Checklist bijhouden")
checklist_editor.editor(checklists, state, framework)
with st.expander("Geschiedenis en eerdere versie herstellen", icon=":material/history:"):
    table = history_display(
        checklists.history(code, framework_id),
        checklists.all_answers(code, framework_id),
        framework,
    )
    checklist_editor.history(checklists, state, table)

st.header("Downloaden")
files = session_memo(
    "_profiel_files",
    (dataset, fingerprint, code, year, publication, framework_id, state.version),
    lambda: downloads(gp, framework, state, done, actions),
)
for column, item in zip(st.columns(3), files, strict=True):
    with column:
        suffix = item.file_name.rsplit(".", 1)[-1]
        download(item.label, item.data, item.file_name, item.mime, f"gp_download_{suffix}")
