"""Page 'Methode': how every figure is computed, in plain Dutch, with a worked example.

The text and the example's numbers come from loverboy_stats.views.method; this page renders.
"""

import streamlit as st

from loverboy_stats.views.method import method_blocks
from ui.shell import page_start

page_start()


@st.cache_data(show_spinner=False)
def _blocks():
    # Shipped data and invented example counts: the same for every visitor.
    return method_blocks()


render = {
    "title": st.title,
    "header": st.header,
    "text": st.markdown,
    "info": st.info,
    "caption": st.caption,
}
for kind, text in _blocks():
    render[kind](text)
