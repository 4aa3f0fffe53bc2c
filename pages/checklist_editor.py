"""UI pieces of the checklist editor: load the version being edited, the form, the history.

Used by the 'Gemeenteprofiel' page. Only rendering and session bookkeeping; storage and scores
are in loverboy_stats.checklist_store and loverboy_stats.checklist.

Optimistic concurrency: the version a user is editing is kept in the session (``gp_base_*``), not
re-read on every rerun, so a save made meanwhile by someone else is refused instead of being
silently taken over or overwritten.
"""

import pandas as pd
import streamlit as st

from loverboy_stats import checklist, profile
from loverboy_stats.checklist_store import ChecklistState, ChecklistStore
from loverboy_stats.store import StoreError

FIELDS = ("status", "toelichting", "actiehouder", "streefdatum")
MESSAGE = "gp_message"


def _base_key(code: str, framework_id: str) -> str:
    return f"gp_base_{code}_{framework_id}"


def _key(code: str, framework_id: str, version: int, item_id: str, field: str) -> str:
    # The version is part of the key: after a save or restore the widgets start from it.
    return f"gp_{code}_{framework_id}_{version}_{item_id}_{field}"


def load_state(checklists: ChecklistStore, code: str, name: str, framework_id: str):
    """The version this session is editing (the newest when the area is first opened)."""
    base = _base_key(code, framework_id)
    if base not in st.session_state:
        st.session_state[base] = checklists.latest_version(code, framework_id)
    return checklists.load(code, framework_id, st.session_state[base], area_name=name)


def _done(code: str, framework_id: str, new: int, text: str) -> None:
    st.session_state[_base_key(code, framework_id)] = new
    st.session_state[MESSAGE] = ("success", text)


def _save(checklists: ChecklistStore, state: ChecklistState, framework) -> None:
    code, version = state.area_code, state.version
    rows = [
        {f: st.session_state.get(_key(code, framework.id, version, i.id, f)) for f in FIELDS}
        | {"item_id": i.id}
        for i in framework.items
    ]
    try:
        new = checklists.save(
            code,
            state.area_name,
            framework.id,
            pd.DataFrame(rows),
            based_on=version,
            saved_by=st.session_state.get("gp_saved_by", ""),
        )
    except StoreError as problem:  # includes the refusal when someone else saved meanwhile
        st.session_state[MESSAGE] = ("error", problem.message)
        return
    _done(code, framework.id, new, f"Checklist opgeslagen als versie {new}.")


def _restore(checklists: ChecklistStore, state: ChecklistState) -> None:
    chosen = st.session_state["gp_restore_version"]
    try:
        new = checklists.restore(
            state.area_code, state.framework_id, chosen, based_on=state.version
        )
    except StoreError as problem:
        st.session_state[MESSAGE] = ("error", problem.message)
        return
    _done(state.area_code, state.framework_id, new, f"Versie {chosen} hersteld als versie {new}.")


def editor(checklists: ChecklistStore, state: ChecklistState, framework) -> None:
    """Messages, a reload button and the form: one tab per theme, per item its status,
    toelichting, actiehouder and streefdatum, and one save button."""
    if MESSAGE in st.session_state:
        kind, text = st.session_state.pop(MESSAGE)
        (st.success if kind == "success" else st.error)(text)
    st.caption(profile.version_caption(state, framework))
    if st.button("Opnieuw laden", icon=":material/refresh:"):
        st.session_state[_base_key(state.area_code, framework.id)] = checklists.latest_version(
            state.area_code, framework.id
        )
        st.rerun()
    answers = state.answers.set_index("item_id")
    with st.form(f"gp_form_{state.area_code}_{framework.id}_{state.version}"):
        tabs = st.tabs([t.label for t in framework.themes])
        for tab, theme in zip(tabs, framework.themes, strict=True):
            for item in (i for i in framework.items if i.theme == theme.id):
                row = answers.loc[item.id]

                def key(field: str, item_id: str = item.id) -> str:
                    return _key(state.area_code, framework.id, state.version, item_id, field)

                tab.markdown(f"**{item.text}**")
                tab.caption(f"{item.explanation} [Bron]({item.source})")
                cells = tab.columns([4, 3, 2, 2])
                cells[0].radio(
                    "Status",
                    checklist.STATUSES,
                    index=checklist.STATUSES.index(row["status"]),
                    horizontal=True,
                    key=key("status"),
                )
                cells[1].text_input("Toelichting", row["toelichting"], key=key("toelichting"))
                cells[2].text_input("Actiehouder", row["actiehouder"], key=key("actiehouder"))
                cells[3].date_input(
                    "Streefdatum", row["streefdatum"], format="DD-MM-YYYY", key=key("streefdatum")
                )
        st.text_input("Uw naam (optioneel, komt in de geschiedenis)", key="gp_saved_by")
        st.form_submit_button(
            "Checklist opslaan",
            type="primary",
            icon=":material/save:",
            on_click=_save,
            args=(checklists, state, framework),
        )


def history(checklists: ChecklistStore, state: ChecklistState, table: pd.DataFrame) -> None:
    """The saved versions (``table`` from loverboy_stats.profile.history_display) and a restore."""
    if table.empty:
        st.caption("Nog geen opgeslagen versies.")
        return
    st.dataframe(table, hide_index=True)
    st.selectbox("Versie om te herstellen", table["versie"], key="gp_restore_version")
    st.button("Deze versie herstellen", on_click=_restore, args=(checklists, state))
