"""Widget and session state shared by the pages: the actor, publication mode, per-session memory
that follows the database (also when another replica changed it), datasets, and the caching
policy (see :mod:`ui`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from loverboy_stats.access import LOCAL_USER, Actor, Role, require_unprotected
from loverboy_stats.demo import load_demo
from loverboy_stats.estimates import DEFAULT_ESTIMATE
from loverboy_stats.memo import SharedMemo
from loverboy_stats.models import DatasetInfo
from loverboy_stats.privacy import design_in_use, suppression_k
from loverboy_stats.privacy.sources import Remembered
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.views.compare import (
    DEMO_DATASET_LABEL,
    DEMO_KEY,
    LevelTables,
    build_tables,
    source_text,
)

PUBLICATION_KEY = "publication_mode"
#: The switch's value kept apart from the widget: Streamlit forgets a widget's value when the
#: widget is drawn from another script than before (the first run of a deep link draws the
#: sidebar from the page, later runs from app.py).
_PUBLICATION_CHOICE = "_publication_choice"


_ACTOR = "_lbs_actor"
#: The change counters of the store as this session last saw them.
_SEEN = "_lbs_seen_changes"
#: Names of the session memories (see session_memo); dropped when the store changed.
_MEMOS = "_lbs_memos"


def set_actor(actor: Actor) -> None:
    """The actor of this run (the router sets it before any page runs)."""
    st.session_state[_ACTOR] = actor


def current_actor() -> Actor:
    """Who uses this session (the local user without sign-in)."""
    return st.session_state.get(_ACTOR, LOCAL_USER)


def switch_choice() -> bool:
    """The sidebar switch: True (on) unless the user switched it off."""
    if _PUBLICATION_CHOICE in st.session_state:
        return bool(st.session_state[_PUBLICATION_CHOICE])
    return bool(st.session_state.get(PUBLICATION_KEY, True))


def publication_mode() -> bool:
    """Whether the tables of this session are protected: always, unless a beheerder switched
    publication mode off. A lezer has no switch, and an invoerder's switch only opens its own
    municipalities (:func:`own_unprotected`); a value sent for a widget that is not there
    changes nothing (and the library refuses unprotected tables to them anyway)."""
    return current_actor().role != Role.BEHEERDER or switch_choice()


def own_unprotected() -> bool:
    """Whether an invoerder switched publication mode off for its own municipalities."""
    return current_actor().role == Role.INVOERDER and not switch_choice()


def remember_publication_mode() -> None:
    """The switch's ``on_change``: keep the user's choice for the rest of the session, and
    record in the audit trail when it is switched off."""
    st.session_state[_PUBLICATION_CHOICE] = bool(st.session_state[PUBLICATION_KEY])
    actor = current_actor()
    if not st.session_state[_PUBLICATION_CHOICE] and actor.role != Role.LEZER:
        scope = "alle cijfers" if actor.role == Role.BEHEERDER else "eigen gemeenten"
        get_store().audit.append(actor, "publication_off", scope)


def sync_with_store() -> None:
    """Drop what this session kept from the store when the store changed since its last run
    (in this replica or another one): read the change counters once per run."""
    try:
        current = get_store().changes.current()
    except SQLAlchemyError:
        return  # stored_datasets() says the store is unreachable
    seen = st.session_state.get(_SEEN)
    if seen is not None and seen != current:
        for name in st.session_state.get(_MEMOS, ()):
            st.session_state.pop(name, None)
    st.session_state[_SEEN] = current


def session_memo(name: str, key: tuple, build, keep: int = 12):
    """``build()`` once per ``key`` in this browser session, kept as the object itself.

    For objects built from a user's data (figures, tables): never in a global cache, so one
    municipality's figures never reach another session, and not pickled on every rerun as
    st.cache_data would. Only the ``keep`` most recent keys are held, and all are dropped when
    the store changed (:func:`sync_with_store`), so a rename in another replica shows here.
    """
    st.session_state.setdefault(_MEMOS, set()).add(name)
    memory = st.session_state.setdefault(name, {})
    if key not in memory:
        if len(memory) >= keep:
            memory.pop(next(iter(memory)))
        memory[key] = build()
    return memory[key]


def stored_datasets() -> list[DatasetInfo]:
    """The stored datasets; an unreachable store gives a warning and none (the demo still works).

    Kept in the session until the store changes (:func:`sync_with_store` reads the change
    counters at the start of every run; a page that changes the store in the middle of a run
    calls it again): the list was a query on every rerun of every page."""
    try:
        return session_memo("_stored_datasets", (), get_store().datasets.list)
    except (StoreError, SQLAlchemyError) as problem:
        st.warning(f"De opgeslagen datasets zijn niet bereikbaar ({problem.__class__.__name__}).")
        return []


def dataset_choices() -> dict[str, tuple[str, str]]:
    """Dataset key -> (label, fingerprint): the stored datasets, newest first, then the demo.

    Keys are the stable ids (as text, the value in a link) and :data:`DEMO_KEY` for the demo;
    the fingerprint is the content hash, so a replaced file is never served from memory.
    """
    choices = {str(info.id): (info.name, info.sha256) for info in stored_datasets()}
    choices[DEMO_KEY] = (DEMO_DATASET_LABEL, "demo")
    return choices


def _frame_bytes(frame: pd.DataFrame) -> int:
    return int(frame.memory_usage(deep=True).sum())


def _tables_bytes(tables: LevelTables) -> int:
    return sum(
        _frame_bytes(table.frame)
        for table_set in tables.sets.values()
        for table in table_set.tables.values()
    )


#: Estimated memory of a figure, measured on the demo's municipal view (bench/run.py): the map
#: holds its boundaries (~3 MB for 342 municipalities), a chart a few hundred kB at most.
MAP_FIGURE_BYTES, FIGURE_BYTES = 3_000_000, 300_000


def _approximate_bytes(value: object) -> int:
    """A rough size of a page's view: figures by kind, frames and bytes by their size."""
    if isinstance(value, go.Figure):
        has_map = any(trace.type == "choropleth" for trace in value.data)
        return MAP_FIGURE_BYTES if has_map else FIGURE_BYTES
    if isinstance(value, pd.DataFrame):
        return _frame_bytes(value)
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        return sum(map(_approximate_bytes, value))
    if isinstance(value, dict):
        return sum(map(_approximate_bytes, value.values()))
    return 1_000


#: Shared by every session of this process; only shipped data and stored datasets go in.
_ROWS = SharedMemo(64 * 2**20, size=_frame_bytes)
_TABLES = SharedMemo(512 * 2**20, size=_tables_bytes)
_VIEWS = SharedMemo(256 * 2**20, size=_approximate_bytes)


def shared_tables() -> SharedMemo:
    """The process-wide memo of published table sets (its ``builds`` count is observable)."""
    return _TABLES


def shared_views() -> SharedMemo:
    """The process-wide memo of the pages' figures of shipped and stored data."""
    return _VIEWS


def load_dataset(key: str, fingerprint: str) -> tuple[pd.DataFrame, str, bool]:
    """(rows, label, fictitious) of a dataset key. The rows are the same for every visitor and
    are kept once per process by content: the demo's, or a stored dataset's by its SHA-256
    (``fingerprint``; a dataset replaced meanwhile is refused, not cached under the old hash).
    The label is read fresh, so a rename shows at once. Callers must not modify the rows."""
    if key == DEMO_KEY:
        return _ROWS.get(("demo",), load_demo), DEMO_DATASET_LABEL, True
    store = get_store()
    try:
        rows = _ROWS.get((fingerprint,), lambda: store.datasets.load(int(key), sha256=fingerprint))
        return rows, store.datasets.get(int(key)).name, False
    except StoreError as problem:  # deleted or replaced in another session meanwhile
        st.warning(problem.message, icon=":material/sync_problem:")
        st.stop()


def level_tables(key: str, fingerprint: str, population: str, publication: bool) -> LevelTables:
    """The published table sets of every year of a dataset (the expensive step), built once per
    process for every visitor: for the shipped demo and for stored datasets alike, keyed by
    content, option, publication mode, threshold k and design. The dataset's current name is
    put on per call (it is not part of the tables)."""
    if not publication:  # checked before the shared memo, which may already hold the tables
        require_unprotected(current_actor())
    k, design = suppression_k(), design_in_use()
    local, label, demo = load_dataset(key, fingerprint)

    def build() -> LevelTables:
        # The spinner only while building: a spinner starts a timer thread, on every rerun.
        with st.spinner("Cijfers berekenen…"):
            return build_tables(
                local,
                population=population,
                publication=publication,
                dataset_label="",
                demo=demo,
                k=k,
                patterns=None if demo else get_store().protections,
                viewer=current_actor(),
            )

    tables = _TABLES.get((fingerprint, population, DEFAULT_ESTIMATE, publication, k, design), build)
    return replace(tables, dataset_label=label, source=source_text(label, population, demo))


def shared_memo(name: str, key: tuple, build):
    """``build()`` once per ``key`` in this server process, for every session, kept as the
    object itself. Only for what is built from shipped data or a stored dataset alone (the
    figures of Vergelijken and Gemeenteprofiel); ``key`` must hold everything it depends on:
    the content hash, every option, the name it shows, publication mode; a file in it (a
    map's boundaries) counts with its modification time. An upload being checked uses
    :func:`session_memo`."""
    key = tuple(_file_key(part) if isinstance(part, Path) else part for part in key)
    return _VIEWS.get((name, suppression_k(), design_in_use(), *key), build)


def _file_key(path: Path) -> tuple[str, int]:
    return str(path), path.stat().st_mtime_ns if path.is_file() else -1


def session_patterns() -> Remembered:
    """Publication mode's patterns of data that is not stored (an upload being checked), kept
    in this browser session only."""
    return st.session_state.setdefault("_patterns", Remembered(keep=16))
