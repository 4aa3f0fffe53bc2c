"""The sections of 'Eigen cijfers': checking an upload, and the stored datasets."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from loverboy_stats import uploads
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.views.datasets import datasets_frame, protection_summary, published_dataset
from ui.blocks import download_csv
from ui.state import session_memo, session_patterns, stored_datasets


def stored_section(publication: bool) -> None:
    """The stored datasets with a download (as publication mode allows), rename and delete."""
    stored = stored_datasets()
    if not stored:
        st.write("Er zijn nog geen datasets opgeslagen.")
        return
    st.dataframe(datasets_frame(stored), hide_index=True)
    chosen = st.selectbox(
        "Dataset", stored, format_func=lambda info: info.name, key="chosen_dataset"
    )
    csv = session_memo(
        "_eigen_cijfers_downloads",
        (chosen.sha256, publication),
        lambda: to_csv_bytes(
            published_dataset(
                get_store().datasets.load(chosen.id), publication, get_store().protections
            ),
            dutch=True,
        ),
    )
    download_csv("Dataset downloaden (CSV)", csv, f"{chosen.name}.csv", f"dl_{chosen.id}")
    rename_col, delete_col = st.columns(2)
    with rename_col:
        new_name = st.text_input("Nieuwe naam", value=chosen.name, key=f"name_{chosen.id}")
        if st.button("Naam wijzigen", key=f"rename_{chosen.id}"):
            try:
                get_store().datasets.rename(chosen.id, new_name)
                st.rerun()
            except StoreError as problem:
                st.error(problem.message, icon=":material/error:")
    with delete_col:
        sure = st.checkbox(f"Ja, verwijder '{chosen.name}'", key=f"sure_{chosen.id}")
        if st.button("Verwijderen", disabled=not sure, key=f"delete_{chosen.id}", type="primary"):
            get_store().datasets.delete(chosen.id)
            st.rerun()


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _sheets(content: bytes, filename: str) -> list[str]:
    return uploads.list_sheets(content, filename)


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _check(content: bytes, filename: str, sheet: str | None) -> uploads.ValidationResult:
    # Session scope: one municipality's figures are never served to another session.
    return uploads.parse_upload(content, filename, sheet=sheet)


def _refuse(problem: uploads.UploadError) -> None:
    st.error(problem.message, icon=":material/error:")
    st.stop()


def check_and_save(upload, publication: bool) -> None:
    """Check an uploaded file and show the report, a published preview and the save form."""
    content = upload.getvalue()
    try:
        names = _sheets(content, upload.name)
    except uploads.UploadError as problem:
        _refuse(problem)
    sheet = None
    if len(names) > 1:
        sheet = st.selectbox("Tabblad", names, key=f"sheet_{upload.file_id}")
    with st.status("Bestand lezen en controleren…") as status:
        try:
            result = _check(content, upload.name, sheet)
        except uploads.UploadError as problem:
            status.update(label="Het bestand kan niet worden gelezen", state="error")
            _refuse(problem)
        status.update(
            label=f"Gecontroleerd: {result.rows} rijen",
            state="complete" if result.ok else "error",
            expanded=False,
        )
    for notice in result.notices:
        st.info(notice, icon=":material/info:")

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
        report = to_csv_bytes(result.issues, dutch=True)
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
                published_dataset(result.data, publication, session_patterns()),
                protection_summary(result.data, session_patterns()) if result.ok else "",
            ),
        )
    st.dataframe(preview, hide_index=True)
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
            name = st.text_input("Naam van de dataset", value=Path(upload.name).stem)
            if st.form_submit_button("Opslaan", icon=":material/save:"):
                try:
                    info = get_store().datasets.save(name, upload.name, content, result.data)
                    keep_patterns(result.data)
                except StoreError as problem:
                    st.error(problem.message, icon=":material/error:")
                else:
                    if info.already_present:
                        st.info(f"Dit bestand is al opgeslagen als '{info.name}'.")
                    else:
                        st.success(f"Opgeslagen als '{info.name}' ({info.row_count} rijen).")


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
