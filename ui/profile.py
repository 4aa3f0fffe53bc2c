"""The signalling-gap half of 'Gemeenteprofiel': key figures, table and charts of one area."""

from __future__ import annotations

import streamlit as st

from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.privacy import small_count_label, suppression_k
from loverboy_stats.textsafe import escape_markdown
from loverboy_stats.views import profile, summaries
from loverboy_stats.views.compare import MEMBERS_NOTE
from loverboy_stats.views.profile import GapProfile
from ui.blocks import chart_block
from ui.state import current_actor


def gap_section(gp: GapProfile, charts, name: str, code: str, year: int) -> None:
    """The area's gap beside its region, the dataset and the country, with its two charts."""
    st.header(f"Signaleringskloof {name}, {year}")
    if gp.label:
        st.warning(f"Dit zijn {gp.label}, geen echte gegevens.", icon=":material/science:")
    if not gp.has_data:
        st.info(f"Deze cijfers bevatten geen aantal gesignaleerd voor {name} in {year}.")
    else:
        for column, (label, value, tip) in zip(st.columns(2) * 2, gp.key_figures, strict=True):
            column.metric(label, value, help=tip, border=True)
        st.dataframe(gp.by_indicator, hide_index=True)
        st.caption(MEMBERS_NOTE)
        notice = profile.protection_notice(
            name, gp.hidden_counts, gp.k or suppression_k(), current_actor().role
        )
        if notice:
            st.info(escape_markdown(notice), icon=":material/shield_lock:")
        chart_block(
            charts[0],
            to_spreadsheet_csv(gp.csv_frame()),
            gp.source,
            note=f"Afgeschermd (publicatiemodus): '{small_count_label()}' en 'x'.",
            summary=summaries.profile_funnel_summary(name, year, profile.funnel_steps(gp)),
            file_name=f"kloof_{code}_{year}.csv",
            key="funnel",
        )
        chart_block(
            charts[1],
            to_spreadsheet_csv(gp.trend_export()),
            gp.source,
            note="Een ontbrekend punt: niet gerapporteerd of afgeschermd.",
            summary=summaries.profile_trend_summary(name, gp.trend),
            file_name=f"trend_{code}.csv",
            key="trend",
        )
