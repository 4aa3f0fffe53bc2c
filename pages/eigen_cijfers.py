"""Page 'Eigen cijfers': upload local referral figures, check them, store them.

Reads widgets, calls loverboy_stats.uploads and loverboy_stats.store, renders. Uploaded data is
cached per session only; every download goes through loverboy_stats.export.to_csv_bytes.
"""

from pathlib import Path

import streamlit as st

from loverboy_stats import uploads
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.store import StoreError, datasets_frame, get_store
from pages.common import download_csv, publication_mode, route_guard, stored_datasets

route_guard()
PUBLICATION = publication_mode()


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _sheets(content: bytes, filename: str) -> list[str]:
    return uploads.list_sheets(content, filename)


@st.cache_data(scope="session", show_spinner=False, max_entries=5)
def _check(content: bytes, filename: str, sheet: str | None) -> uploads.ValidationResult:
    # Session scope: one municipality's figures are never served to another session.
    return uploads.parse_upload(content, filename, sheet=sheet)


def _download(label: str, frame, file_name: str, key: str) -> None:
    download_csv(label, to_csv_bytes(frame, dutch=True), file_name, key)


def _refuse(problem: uploads.UploadError) -> None:
    st.error(problem.message, icon=":material/error:")
    st.stop()


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
        _download("Sjabloon (CSV)", uploads.template_frame(), "sjabloon_eigen_cijfers.csv", "t_csv")
    with right:
        st.download_button(
            "Sjabloon met uitleg (Excel)",
            data=uploads.template_xlsx_bytes(),
            file_name="sjabloon_eigen_cijfers.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="t_xlsx",
            on_click="ignore",
            icon=":material/download:",
        )

st.header("Bestand controleren")
upload = st.file_uploader(
    "Kies een CSV- of Excel-bestand",
    type=[suffix.lstrip(".") for suffix in uploads.TEXT_SUFFIXES + uploads.XLSX_SUFFIXES],
    key="upload",
)

if upload is not None:
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
    first, second, third = st.columns(3)
    first.metric("Rijen gelezen", result.rows, border=True)
    second.metric("Fouten", errors, border=True)
    third.metric("Waarschuwingen", warnings, border=True)
    if errors or warnings:
        st.subheader("Controleverslag")
        st.dataframe(result.issues, hide_index=True)
        _download("Controleverslag downloaden (CSV)", result.issues, "controleverslag.csv", "rep")

    st.subheader("Voorbeeld van de ingelezen gegevens")
    if PUBLICATION:
        st.caption("Publicatiemodus: kleine aantallen zijn afgeschermd.")
    st.dataframe(uploads.publication_preview(result.data, PUBLICATION), hide_index=True)

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
                    info = get_store().save_dataset(name, upload.name, content, result.data)
                except StoreError as problem:
                    st.error(problem.message, icon=":material/error:")
                else:
                    if info.already_present:
                        st.info(f"Dit bestand is al opgeslagen als '{info.name}'.")
                    else:
                        st.success(f"Opgeslagen als '{info.name}' ({info.row_count} rijen).")

st.header("Opgeslagen datasets")
stored = stored_datasets()
if not stored:
    st.write("Er zijn nog geen datasets opgeslagen.")
else:
    st.dataframe(datasets_frame(stored), hide_index=True)
    chosen = st.selectbox(
        "Dataset", stored, format_func=lambda info: info.name, key="chosen_dataset"
    )
    _download(
        "Dataset downloaden (CSV)",
        uploads.publication_preview(get_store().load_dataset(chosen.id), PUBLICATION),
        f"{chosen.name}.csv",
        f"dl_{chosen.id}",
    )
    rename_col, delete_col = st.columns(2)
    with rename_col:
        new_name = st.text_input("Nieuwe naam", value=chosen.name, key=f"name_{chosen.id}")
        if st.button("Naam wijzigen", key=f"rename_{chosen.id}"):
            try:
                get_store().rename_dataset(chosen.id, new_name)
                st.rerun()
            except StoreError as problem:
                st.error(problem.message, icon=":material/error:")
    with delete_col:
        sure = st.checkbox(f"Ja, verwijder '{chosen.name}'", key=f"sure_{chosen.id}")
        if st.button("Verwijderen", disabled=not sure, key=f"delete_{chosen.id}", type="primary"):
            get_store().delete_dataset(chosen.id)
            st.rerun()
