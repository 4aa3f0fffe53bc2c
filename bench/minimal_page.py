"""Baseline for the benchmarks: the smallest sensible Streamlit page with one plotly chart."""

import plotly.graph_objects as go
import streamlit as st

st.title("Minimale pagina")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), theme=None)
