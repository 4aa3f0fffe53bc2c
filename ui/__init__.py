"""Shared Streamlit pieces of the pages: the router, widget state, chart blocks, the editor.

Only rendering and session bookkeeping live here; every number comes from ``loverboy_stats``.

Caching policy (one for the whole app, in :mod:`ui.state`):

* shipped, validated data (national figures, boundary files) is the same for every visitor:
  ``st.cache_resource`` / ``st.cache_data`` at global scope;
* the tables and figures of the demo and of a *stored* dataset are the same for every visitor
  too (there are no per-user rights; publication mode is part of every key): they are built
  once per server process in a bounded memo (:class:`loverboy_stats.memo.SharedMemo`), keyed by
  content (a stored dataset's SHA-256, never its id or name), threshold k and design, so a
  dataset renamed, deleted or replaced in another process is never served from memory;
* an *unsaved* upload (being checked on Eigen cijfers) and anything built from it is kept per
  browser session only (:func:`ui.state.session_memo` or ``st.cache_data(scope="session")``):
  never in a global cache, so one municipality's unpublished figures never reach another
  session;
* figures are kept as objects rather than in ``st.cache_data``, which would pickle and
  unpickle them on every rerun.
"""
