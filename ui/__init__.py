"""Shared Streamlit pieces of the pages: the router, widget state, chart blocks, the editor.

Only rendering and session bookkeeping live here; every number comes from ``loverboy_stats``.

Caching policy (one for the whole app):

* shipped, validated data and figures built only from it (national figures, the demo's tables,
  boundary files) are the same for every visitor: ``st.cache_resource`` / ``st.cache_data``
  at global scope;
* anything built from a user's data (a stored dataset, an upload, its tables and figures) is
  kept per browser session only (:func:`ui.state.session_memo` or ``st.cache_data(scope=
  "session")``), keyed by the dataset's content hash so a replaced file is read anew; never in a
  global cache, so one municipality's figures never reach another session;
* figures are kept as objects in the session rather than in ``st.cache_data``, which would
  pickle and unpickle them on every rerun.
"""
