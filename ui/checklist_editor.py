"""UI pieces of the checklist editor: load the version being edited, the form, the history.

Used by the 'Gemeenteprofiel' page. Only rendering and session bookkeeping; storage and scores
are in loverboy_stats.store.checklists and loverboy_stats.checklist.

Optimistic concurrency: the version a user is editing is kept in the session (``gp_base_*``), not
re-read on every rerun, so a save made meanwhile by someone else is refused instead of being
silently taken over or overwritten.
"""

import pandas as pd
import streamlit as st

from loverboy_stats import checklist
from loverboy_stats.access import AccessDenied
from loverboy_stats.charts.checklist import comparison_blocks
from loverboy_stats.checklist import ChecklistState
from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.printable import checklist_files
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.store.checklists import ChecklistRepository
from loverboy_stats.textsafe import NAME_MAX, NOTE_MAX, escape_markdown
from loverboy_stats.views.checklist import (
    actions_display,
    checklist_source,
    completion_summary,
    history_display,
    reapply_changes,
    theme_rows,
    version_caption,
    version_changes,
)
from ui.blocks import chart_block, download, download_csv, key_figures
from ui.shell import UNEXPECTED_MESSAGE, log_unexpected
from ui.state import current_actor, session_memo

FIELDS = ("status", "toelichting", "actiehouder", "streefdatum")
MESSAGE = "gp_message"
#: The switch that shows the form. Closed by default: its ~60-76 widgets are most of a full run
#: of the page (Streamlit walks the session state for every widget), and most visits only read.
OPEN = "gp_editor_open"


def _base_key(code: str, framework_id: str) -> str:
    return f"gp_base_{code}_{framework_id}"


def _unsaved_key(code: str, framework_id: str) -> str:
    return f"gp_unsaved_{code}_{framework_id}"


def _key(code: str, framework_id: str, version: int, item_id: str, field: str) -> str:
    # The version is part of the key: after a save or restore the widgets start from it.
    return f"gp_{code}_{framework_id}_{version}_{item_id}_{field}"


def load_state(checklists: ChecklistRepository, code: str, name: str, framework_id: str):
    """The version this session is editing (the newest when the area is first opened). A
    stored version never changes, so it is read once per session (and again after any change
    to the store, see ui.state.sync_with_store)."""
    base = _base_key(code, framework_id)
    if base not in st.session_state:
        st.session_state[base] = checklists.latest_version(code, framework_id)
    version = st.session_state[base]
    return session_memo(
        "_checklist_versions",
        (code, framework_id, version, name),
        lambda: checklists.load(code, framework_id, version, area_name=name),
    )


def history_table(checklists: ChecklistRepository, state: ChecklistState, framework):
    """The saved versions of this checklist for :func:`history`, read once per session until
    the store changes (a save anywhere bumps its change counter)."""
    code, framework_id = state.area_code, framework.id
    return session_memo(
        "_checklist_history",
        (code, framework_id),
        lambda: history_display(
            checklists.history(code, framework_id),
            checklists.all_answers(code, framework_id),
            framework,
        ),
    )


def _done(code: str, framework_id: str, new: int, text: str) -> None:
    st.session_state[_base_key(code, framework_id)] = new
    st.session_state[MESSAGE] = ("success", text)


def _guarded(callback):
    """A widget callback whose unexpected error becomes the Dutch message of the next run
    (logged without data), not Streamlit's English error page: callbacks run before the
    script, outside the page's own guard in ui.shell."""

    def run(*args) -> None:
        try:
            callback(*args)
        except Exception as error:
            log_unexpected(error, callback.__name__)
            st.session_state[MESSAGE] = ("error", UNEXPECTED_MESSAGE)

    return run


@_guarded
def _save(checklists: ChecklistRepository, state: ChecklistState, framework) -> None:
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
            actor=current_actor(),
            saved_by=st.session_state.get("gp_saved_by", ""),
        )
    except (StoreError, AccessDenied) as problem:  # also: someone else saved meanwhile
        st.session_state[MESSAGE] = ("error", problem.message)
        if checklists.latest_version(code, framework.id) > version:
            # Keep what this user typed, to put it over the newer version (see editor()).
            st.session_state[_unsaved_key(code, framework.id)] = (version, pd.DataFrame(rows))
        return
    st.session_state.pop(_unsaved_key(code, framework.id), None)
    _done(code, framework.id, new, f"Checklist opgeslagen als versie {new}.")


def _apply_unsaved(checklists: ChecklistRepository, code: str, framework_id: str) -> None:
    """Open the newest version with the kept answers as the form's starting values."""
    latest = checklists.latest_version(code, framework_id)
    st.session_state[_base_key(code, framework_id)] = latest
    st.session_state[f"{_unsaved_key(code, framework_id)}_on"] = latest


def _drop_unsaved(code: str, framework_id: str) -> None:
    st.session_state.pop(_unsaved_key(code, framework_id), None)


def _kept_answers(checklists: ChecklistRepository, state: ChecklistState, framework):
    """The form's starting answers: the version's own, or the kept unsaved ones once the user
    chose to put them over this (newer) version; offers that choice after a refusal."""
    code, framework_id = state.area_code, framework.id
    kept = st.session_state.get(_unsaved_key(code, framework_id))
    if kept is None:
        return state.answers
    started_from, mine = kept
    base = checklists.load(code, framework_id, started_from).answers
    if st.session_state.get(f"{_unsaved_key(code, framework_id)}_on") == state.version:
        return reapply_changes(framework, base, mine, state.answers)
    latest = checklists.load(code, framework_id)
    changes = version_changes(framework, base, checklist.normalise_answers(framework, mine))
    st.warning(
        escape_markdown(
            f"Uw antwoorden zijn niet opgeslagen, maar wel bewaard. Uw wijzigingen: {changes}. "
            f"U kunt ze op de nieuwste versie ({latest.version}) zetten, met wat anderen "
            "intussen opsloegen, en dan opnieuw opslaan."
        ),
        icon=":material/edit_note:",
    )
    apply, drop = st.columns(2)
    apply.button(
        "Mijn antwoorden op de nieuwste versie zetten",
        on_click=_apply_unsaved,
        args=(checklists, code, framework_id),
    )
    drop.button("Mijn antwoorden weggooien", on_click=_drop_unsaved, args=(code, framework_id))
    return state.answers


@_guarded
def _restore(checklists: ChecklistRepository, state: ChecklistState) -> None:
    chosen = st.session_state["gp_restore_version"]
    try:
        new = checklists.restore(
            state.area_code,
            state.framework_id,
            chosen,
            based_on=state.version,
            actor=current_actor(),
        )
    except (StoreError, AccessDenied) as problem:
        st.session_state[MESSAGE] = ("error", problem.message)
        return
    _done(state.area_code, state.framework_id, new, f"Versie {chosen} hersteld als versie {new}.")


def may_edit(checklists: ChecklistRepository, area_code: str, framework_id: str) -> bool:
    """Whether this session's user may save the checklist: what the buttons show. Kept in the
    session until the store changes (a first save makes an owner, a role can change); the
    repository checks again on every save, whatever a browser sends."""
    actor = current_actor()
    return session_memo(
        "_checklist_rights",
        (actor, area_code, framework_id),
        lambda: checklists.may_edit(actor, area_code, framework_id),
    )


def editor(checklists: ChecklistRepository, state: ChecklistState, framework) -> None:
    """Messages, a reload button, a switch that opens the form, and the form: one tab per
    theme, per item its status, toelichting, actiehouder and streefdatum, and one save button.
    The form is only drawn while the switch is on; after a save it stays on."""
    if MESSAGE in st.session_state:
        kind, text = st.session_state.pop(MESSAGE)
        (st.success if kind == "success" else st.error)(escape_markdown(text))
    # The caption holds the area and "Uw naam" as typed: shown as text, never as Markdown.
    st.caption(escape_markdown(version_caption(state, framework)))
    allowed = may_edit(checklists, state.area_code, framework.id)
    if not allowed:
        st.info(
            f"U kunt deze checklist lezen, niet wijzigen: {escape_markdown(state.area_name)} "
            "hoort niet bij de gebieden van uw organisatie.",
            icon=":material/lock:",
        )
    if st.button("Opnieuw laden", icon=":material/refresh:"):
        st.session_state[_base_key(state.area_code, framework.id)] = checklists.latest_version(
            state.area_code, framework.id
        )
        st.rerun()
    if not st.toggle(
        "Checklist invullen of wijzigen",
        key=OPEN,
        help="Toont de vragen van de checklist. Wat u invult en niet opslaat, vervalt als u "
        "dit weer uitzet.",
    ):
        return
    answers = _kept_answers(checklists, state, framework).set_index("item_id")
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
                cells[1].text_input(
                    "Toelichting", row["toelichting"], max_chars=NOTE_MAX, key=key("toelichting")
                )
                cells[2].text_input(
                    "Actiehouder", row["actiehouder"], max_chars=NAME_MAX, key=key("actiehouder")
                )
                cells[3].date_input(
                    "Streefdatum", row["streefdatum"], format="DD-MM-YYYY", key=key("streefdatum")
                )
        if current_actor().user_id is None:  # signed in: the name comes from the sign-in
            st.text_input(
                "Uw naam (optioneel, komt in de geschiedenis)",
                max_chars=NAME_MAX,
                key="gp_saved_by",
            )
        st.form_submit_button(
            "Checklist opslaan",
            type="primary",
            icon=":material/save:",
            on_click=_save,
            args=(checklists, state, framework),
            disabled=not allowed,
        )


def history(checklists: ChecklistRepository, state: ChecklistState, table: pd.DataFrame) -> None:
    """The saved versions (``table`` from loverboy_stats.views.checklist.history_display) and a
    restore."""
    if table.empty:
        st.caption("Nog geen opgeslagen versies.")
        return
    st.dataframe(table, hide_index=True)
    st.selectbox("Versie om te herstellen", table["versie"], key="gp_restore_version")
    allowed = may_edit(checklists, state.area_code, state.framework_id)
    st.button(
        "Deze versie herstellen",
        on_click=_restore,
        args=(checklists, state),
        disabled=not allowed,
    )


def checklist_comparison(gap_rows: pd.DataFrame, ratio_source: str, label: str, key: tuple) -> None:
    """Heat table and completion-versus-ratio per checklist, for the areas of ``gap_rows``
    (a published gap table) of which at least two filled in that checklist. ``key`` names
    ``gap_rows`` (the page's view): the blocks are made once per view in this session, and
    again after any change to the store (ui.state.sync_with_store)."""

    def build():
        matrices = session_memo(
            "_checklist_matrices",
            (),
            lambda: checklist.completion_matrices(get_store().checklists.latest_all),
        )
        return comparison_blocks(matrices, gap_rows, ratio_source=ratio_source, label=label)

    blocks = session_memo("_checklist_comparison", (*key, ratio_source, label), build)
    if blocks:
        st.header("Checklist en signaleringskloof")
    for number, block in enumerate(blocks):
        st.markdown(f"**{block.title}**")
        chart_block(
            block.fig, block.csv, block.source, file_name=block.file_name, key=f"cl{number}"
        )


def _panel_parts(state: ChecklistState, framework):
    done = checklist.completion(framework, state.answers)
    actions = checklist.open_actions(framework, state.answers)
    csv, rows = to_spreadsheet_csv(done.themes), theme_rows(done)
    return done, actions, csv, actions_display(actions), rows


def panel(state: ChecklistState, framework) -> tuple[checklist.Completion, pd.DataFrame]:
    """Completion overall and per theme (a bar each, with its source and data download) and
    the open action points; returns the completion and the open actions (the downloads use
    them too). Computed once per stored version in this session; every area without a stored
    checklist (version 0: all "onbekend") shares one computation, ~25 ms that a visitor walking
    through municipalities paid for each.

    The themes are progress bars, not a plotly chart as well: the chart said the same (issue
    13), and another area then redraws no chart on this side of the page."""
    stored = (state.area_code, state.area_name) if state.version else ()
    done, actions, themes_csv, shown_actions, rows = session_memo(
        "_profiel_checklist",
        (framework.id, state.version, *stored),
        lambda: _panel_parts(state, framework),
    )
    files = checklist_files(framework, state)  # made when someone downloads one
    st.header(f"Checklist: {framework.short_title}")
    key_figures(completion_summary(done))
    st.markdown("**Voltooiing per thema**")
    for label, fraction, text in rows:
        st.progress(fraction, text=f"{label}: {text}")
    st.caption(escape_markdown(checklist_source(framework)))
    download_csv(
        "Voltooiing per thema downloaden (CSV)",
        themes_csv,
        f"checklist_{state.area_code}_{framework.id}.csv",
        "download_themes",
    )
    for item in files:  # the answers themselves, the same for every year
        suffix = item.file_name.rsplit(".", 1)[-1]
        download(item.label, item.build, item.file_name, item.mime, f"gp_download_{suffix}")
    st.markdown("**Open actiepunten**")
    if actions.empty:
        st.caption("Geen open punten met een actiehouder of streefdatum.")
    else:
        st.dataframe(shown_actions, hide_index=True)
    return done, actions
