"""loverboy_stats: the computational core of the signalling-gap dashboard.

Everything that computes, loads, validates or formats lives here; the Streamlit pages only read
widgets, call these functions and render. Nothing in this package imports streamlit.
"""

__version__ = "0.1.0"
