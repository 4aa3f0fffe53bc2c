"""The sections of 'Eigen cijfers': checking an upload, and the stored datasets.

Everything a user or a file supplies (dataset and file names, sheet names, column headers,
refusal messages that quote them) goes through ``escape_markdown`` before it reaches an
element that renders Markdown.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from loverboy_stats import uploads
from loverboy_stats.access import AccessDenied, may_change_dataset
from loverboy_stats.export import to_csv_bytes, to_spreadsheet_csv
from loverboy_stats.formatting import format_rows
from loverboy_stats.settings import get_settings
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.textsafe import NAME_MAX, clean_name, escape_markdown
from loverboy_stats.uploads.cells import MEGABYTE
from loverboy_stats.views.datasets import (
    as_shown,
    dataset_for,
    datasets_frame,
    own_rows,
    protection_summary,
    published_dataset,
)
from ui.blocks import download_csv
from ui.state import (
    current_actor,
    own_unprotected,
    session_memo,
    session_patterns,
    stored_datasets,
    sync_with_store,
)

#: Spreadsheet files people have that the library refuses with advice.
REFUSED_SPREADSHEETS = (".xls", ".ods")


def upload_limit_mb() -> int:
    """The one upload limit in MB (of 10^6 bytes): ``LBS_MAX_UPLOAD_MB``, but never above the
    server's ``server.maxUploadSize``, which refuses a larger request before the app sees it.
    The browser checks the same number (see docs/deployment.md)."""
    return min(get_settings().max_upload_mb, int(st.get_option("server.maxUploadSize")))


def uploader():
    """The file upload widget, limited to :func:`upload_limit_mb`."""
    limit = upload_limit_mb()
    return st.file_uploader(
        "Kies een CSV- of Excel-bestand",
        # .xls and .ods pass the browser so that the library refuses them with a Dutch
        # explanation ("sla op als .xlsx") instead of Streamlit's English tooltip.
        type=[
            suffix.lstrip(".")
            for suffix in (*uploads.TEXT_SUFFIXES, *uploads.XLSX_SUFFIXES, *REFUSED_SPREADSHEETS)
        ],
        max_upload_size=limit,
        help=f"Hoogstens {limit} MB, 20.000 rijen en 50 kolommen; zie het bestandsformaat.",
        key="upload",
    )


def stored_section(publication: bool) -> None:
    """The stored datasets with a download (as publication mode and the role allow), and a
    rename and delete for those the user's organisation may change."""
    stored = stored_datasets()
    if not stored:
        st.write("Er zijn nog geen datasets opgeslagen.")
        return
    st.dataframe(datasets_frame(stored), hide_index=True)
    chosen = st.selectbox(
        "Dataset", stored, format_func=lambda info: info.name, key="chosen_dataset"
    )
    actor, unprotected = current_actor(), not publication or own_unprotected()
    csv = session_memo(
        "_eigen_cijfers_downloads",
        (chosen.sha256, unprotected, actor),
        lambda: to_csv_bytes(
            dataset_for(
                get_store().datasets.load(chosen.id), actor, unprotected, get_store().protections
            ),
            dutch=True,
        ),
    )
    file_name = (clean_name(chosen.name).replace("/", "-") or "dataset") + ".csv"
    download_csv("Dataset downloaden (CSV)", csv, file_name, f"dl_{chosen.id}")
    if own_unprotected():
        own_section(chosen)
    _change_section(chosen, may_change_dataset(actor, chosen.organisation_id))


def own_section(chosen) -> None:
    """An invoerder's own municipalities in the chosen dataset, unprotected."""
    st.subheader("Uw eigen gemeenten, zonder afscherming")
    own = own_rows(get_store().datasets.load(chosen.id), current_actor())
    if own.empty:
        st.caption("Deze dataset heeft geen rijen van de gemeenten van uw organisatie.")
    else:
        st.dataframe(own, hide_index=True)


def _change_section(chosen, allowed: bool) -> None:
    """Rename and delete; for a dataset of another organisation the buttons are off, and the
    store refuses them anyway (a crafted click gets the Dutch refusal)."""
    if not allowed:
        st.caption(
            f"Deze dataset hoort bij {escape_markdown(chosen.organisation)}: alleen die "
            "organisatie of een beheerder kan hem hernoemen of verwijderen."
        )
    rename_col, delete_col = st.columns(2)
    with rename_col:
        new_name = st.text_input(
            "Nieuwe naam",
            value=chosen.name,
            max_chars=NAME_MAX,
            key=f"name_{chosen.id}",
            disabled=not allowed,
        )
        if st.button("Naam wijzigen", key=f"rename_{chosen.id}", disabled=not allowed):
            _change(lambda: get_store().datasets.rename(chosen.id, new_name, actor=current_actor()))
    with delete_col:
        sure = st.checkbox(
            f"Ja, verwijder '{escape_markdown(chosen.name)}'",
            key=f"sure_{chosen.id}",
            disabled=not allowed,
        )
        if st.button(
            "Verwijderen",
            disabled=not (sure and allowed),
            key=f"delete_{chosen.id}",
            type="primary",
        ):
            _change(lambda: get_store().datasets.delete(chosen.id, actor=current_actor()))


def _change(action) -> None:
    try:
        action()
    except (StoreError, AccessDenied) as problem:
        st.error(escape_markdown(problem.message), icon=":material/error:")
    else:
        st.rerun()


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _sheets(content: bytes, filename: str, max_bytes: int) -> list[str]:
    return uploads.list_sheets(content, filename, max_bytes)


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _check(
    content: bytes, filename: str, sheet: str | None, max_bytes: int
) -> uploads.ValidationResult:
    # Session scope: one municipality's figures are never served to another session. The read
    # is bounded (uploads/cells.py), so it ends quickly even if the user has left meanwhile.
    return uploads.parse_upload(content, filename, sheet=sheet, max_bytes=max_bytes)


def _refuse(problem: uploads.UploadError) -> None:
    """The reason a file cannot be read, in plain sight (its names shown as text)."""
    st.error(escape_markdown(problem.message), icon=":material/error:")
    st.stop()


def check_and_save(upload, publication: bool) -> None:
    """Check an uploaded file and show the report, a published preview and the save form."""
    content = upload.getvalue()
    max_bytes = upload_limit_mb() * MEGABYTE
    try:
        names = _sheets(content, upload.name, max_bytes)
    except uploads.UploadError as problem:
        _refuse(problem)
    sheet = None
    if len(names) > 1:
        sheet = st.selectbox("Tabblad", names, key=f"sheet_{upload.file_id}")
    refusal = None
    with st.status("Bestand lezen en controleren…") as status:
        try:
            result = _check(content, upload.name, sheet, max_bytes)
        except uploads.UploadError as problem:
            status.update(label="Het bestand kan niet worden gelezen", state="error")
            refusal = problem
        else:
            status.update(
                label=f"Gecontroleerd: {format_rows(result.rows)}",
                state="complete" if result.ok else "error",
                expanded=False,
            )
    if refusal is not None:
        _refuse(refusal)  # outside the status box, which the user would have to open
    for notice in result.notices:
        st.info(escape_markdown(notice), icon=":material/info:")

    errors, warnings = len(result.errors), len(result.warnings)
    for column, (label, value) in zip(
        st.columns(3),
        (("Rijen gelezen", result.rows), ("Fouten", errors), ("Waarschuwingen", warnings)),
        strict=True,
    ):
        column.metric(label, value, border=True)
    if errors or warnings:
        st.subheader("Controleverslag")
        st.dataframe(result.issues, hide_index=True)
        report = to_spreadsheet_csv(result.issues)
        download_csv("Controleverslag downloaden (CSV)", report, "controleverslag.csv", "rep")

    st.subheader("Voorbeeld van de ingelezen gegevens")
    if publication:
        st.caption("Publicatiemodus: kleine aantallen zijn afgeschermd.")
    with st.spinner(
        "Publicatiemodus: de cijfers worden beschermd (bij veel gemeenten even geduld)…"
    ):
        preview, summary = session_memo(
            "_upload_preview",
            (upload.file_id, sheet, publication),
            lambda: (
                published_dataset(
                    result.data, publication, session_patterns(), viewer=current_actor()
                ),
                protection_summary(result.data, session_patterns()) if result.ok else "",
            ),
        )
    st.dataframe(as_shown(preview), hide_index=True)
    if summary:
        st.text(summary)

    if not result.ok:
        st.error(
            f"Het bestand bevat {errors} fout(en). Verbeter ze en laad het bestand opnieuw; "
            "opslaan kan pas als er geen fouten meer zijn.",
            icon=":material/error:",
        )
    else:
        with st.form("save"):
            name = st.text_input(
                "Naam van de dataset",
                value=clean_name(Path(upload.name).stem),
                max_chars=NAME_MAX,
                help="Letters, cijfers, spaties en - – ' ’ ‘ . , ( ) & / + _ : # @.",
            )
            if st.form_submit_button("Opslaan", icon=":material/save:"):
                try:
                    info = get_store().datasets.save(
                        name, upload.name, content, result.data, actor=current_actor()
                    )
                    keep_patterns(result.data)
                except (StoreError, AccessDenied) as problem:
                    st.error(escape_markdown(problem.message), icon=":material/error:")
                else:
                    sync_with_store()  # the list below shows the new dataset in this run
                    shown = escape_markdown(info.name)
                    if info.already_present:
                        st.info(f"Dit bestand is al opgeslagen als '{shown}'.")
                    else:
                        st.success(f"Opgeslagen als '{shown}' ({format_rows(info.row_count)}).")


def keep_patterns(data) -> None:
    """Store the patterns this session computed for ``data`` (now stored itself), so no later
    visitor computes them again."""
    from loverboy_stats.privacy import data_key, design_in_use, suppression_k

    remembered = session_patterns().found
    years = data["jaar"].dropna().unique()
    for year in years:
        key = data_key(data[data["jaar"] == year], suppression_k(), design_in_use())
        if key in remembered:
            get_store().protections.put(remembered[key])
