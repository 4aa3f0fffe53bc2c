"""Baseline for interaction latency: one select driving one plotly chart (bench/interaction.py)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Minimale pagina")
choice = st.selectbox("Reeks", ["a", "b", "c"], key="reeks")
values = {"a": [1, 3, 2], "b": [2, 1, 3], "c": [3, 2, 1]}[choice]
st.plotly_chart(go.Figure(go.Bar(x=["x", "y", "z"], y=values)), theme=None)
