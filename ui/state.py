"""Widget and session state shared by the pages: the actor, publication mode, per-session memory
that follows the database (also when another replica changed it), datasets."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from loverboy_stats.access import LOCAL_USER, Actor, Role, require_unprotected
from loverboy_stats.demo import load_demo
from loverboy_stats.models import DatasetInfo
from loverboy_stats.privacy import suppression_k
from loverboy_stats.privacy.sources import Remembered
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.views.compare import DEMO_DATASET_LABEL, DEMO_KEY, LevelTables, build_tables

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
    """The stored datasets; an unreachable store gives a warning and none (the demo still works)."""
    try:
        return get_store().datasets.list()
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


def load_dataset(key: str, fingerprint: str) -> tuple[pd.DataFrame, str, bool]:
    """(rows, label, fictitious) of a dataset key, kept for this session only."""

    def build():
        if key == DEMO_KEY:
            return load_demo(), DEMO_DATASET_LABEL, True
        store = get_store()
        return store.datasets.load(int(key)), store.datasets.get(int(key)).name, False

    return session_memo("_datasets", (key, fingerprint), build, keep=4)


@st.cache_resource(show_spinner=False, max_entries=8)
def _demo_tables(population: str, publication: bool, k: int, _viewer: Actor) -> LevelTables:
    # Shipped data: the same for every visitor, so built once per process (k is in the key
    # because LBS_SUPPRESSION_K can change between tests).
    return build_tables(
        load_demo(), population=population, publication=publication, k=k, viewer=_viewer
    )


def level_tables(key: str, fingerprint: str, population: str, publication: bool) -> LevelTables:
    """The published table sets of every year of a dataset (the expensive step): once per
    process for the shipped demo, once per session for anything a user stored."""
    if key == DEMO_KEY:
        if not publication:  # checked before the shared cache, which may already hold it
            require_unprotected(current_actor())
        return _demo_tables(population, publication, suppression_k(), current_actor())

    def build():
        local, label, demo = load_dataset(key, fingerprint)
        return build_tables(
            local,
            population=population,
            publication=publication,
            dataset_label=label,
            demo=demo,
            patterns=get_store().protections,
            viewer=current_actor(),
        )

    return session_memo("_tables", (key, fingerprint, population, publication), build, keep=6)


def session_patterns() -> Remembered:
    """Publication mode's patterns of data that is not stored (an upload being checked), kept
    in this browser session only."""
    return st.session_state.setdefault("_patterns", Remembered(keep=16))
