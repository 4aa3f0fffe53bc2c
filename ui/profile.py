"""The signalling-gap half of 'Gemeenteprofiel': the year, key figures, table and charts of one
area and the printable profile, as a fragment: another year or chart tab reruns only this
part, not the checklist editor beside it (most of the page's widgets)."""

from __future__ import annotations

import pyarrow as pa
import streamlit as st

from loverboy_stats.charts.frozen import freeze
from loverboy_stats.charts.profile import funnel_chart, trend_chart
from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.printable import profile_file
from loverboy_stats.privacy import small_count_label, suppression_k
from loverboy_stats.textsafe import escape_markdown
from loverboy_stats.views import profile, summaries
from loverboy_stats.views.compare import MEMBERS_NOTE
from loverboy_stats.views.profile import GapProfile
from ui.blocks import chart_block, download, key_figures
from ui.links import PageLink
from ui.shell import page_fragment
from ui.state import current_actor, level_tables, publication_mode, shared_memo

#: The two charts of an area, as views of which only the chosen one is drawn (issue 13: another
#: area then redraws one chart here, not two): link value (``?weergave=``) -> button label. The
#: values are those of the same charts on Vergelijken.
VIEWS = {"doorstroom": "Van signaal naar behandeling", "jaren": "Door de jaren"}


def gaps(dataset: str, fingerprint: str, code: str, year: int, publication: bool):
    """(profile, charts, table) of stored or shipped data, once for every visitor (charts and
    table None without data). ``charts`` is (funnel, trend), each as (frozen figure, CSV,
    summary in words): st.cache_data would unpickle the figures on every rerun, and the CSVs
    and summaries cost as much as the rest of a rerun together."""

    def build():  # the spinner only while building (it starts a thread)
        with st.spinner("Cijfers berekenen…"):
            return _build()

    def _build():
        tables = level_tables(dataset, fingerprint, "inwoners", publication)
        gp = profile.gap_profile(tables.sets, code, year, demo=tables.demo)
        if not gp.has_data:
            return gp, None, None
        short, _ = profile.gap_source()
        name = profile.area_info(code)[0]
        funnel = (
            freeze(funnel_chart(gp, short)),
            to_spreadsheet_csv(gp.csv_frame()),
            summaries.profile_funnel_summary(name, year, profile.funnel_steps(gp)),
        )
        trend = (
            freeze(trend_chart(gp, short)),
            to_spreadsheet_csv(gp.trend_export()),
            summaries.profile_trend_summary(name, gp.trend),
        )
        # As Arrow once, not converted from pandas on every rerun.
        table = pa.Table.from_pandas(gp.by_indicator, preserve_index=False)
        return gp, (funnel, trend), table

    return shared_memo("gemeenteprofiel", (fingerprint, code, year, publication), build)


@page_fragment
def gap_part(
    link: PageLink, years: list[int], dataset: str, fingerprint: str, code: str, checklist
):
    """The year select, the gap section and the printable profile. A fragment: a new year or
    chart tab reruns this alone, and :meth:`PageLink.pin` keeps them in the URL. ``checklist``
    is (framework, state, done, actions) of the checklist panel, which only a run of the page's
    own fragment (another area, checklist or save) changes."""
    year = link.select("Jaar", years, "jaar", {y: str(y) for y in years}, key="gp_year")
    publication = publication_mode()
    name = profile.area_info(code)[0]
    gp, charts, table = gaps(dataset, fingerprint, code, year, publication)
    gap_section(link, gp, charts, table, name, code, year)
    link.pin()
    framework, state, done, actions = checklist
    # Made on click; the checklist's own files are beside the checklist.
    item = profile_file(gp, framework, state, done, actions)
    download(item.label, item.build, item.file_name, item.mime, "gp_download_html")


def gap_section(
    link: PageLink, gp: GapProfile, charts, table, name: str, code: str, year: int
) -> None:
    """The area's gap beside its region, the dataset and the country, with its two charts as
    views (only the chosen one drawn; the view is in the link as ``weergave``)."""
    st.header(f"Signaleringskloof {name}, {year}")
    if gp.label:
        st.warning(f"Dit zijn {gp.label}, geen echte gegevens.", icon=":material/science:")
    if not gp.has_data:
        st.info(f"Deze cijfers bevatten geen aantal gesignaleerd voor {name} in {year}.")
    else:
        key_figures(gp.key_figures)
        st.dataframe(table, hide_index=True)
        st.caption(MEMBERS_NOTE)
        notice = profile.protection_notice(
            name, gp.hidden_counts, gp.k or suppression_k(), current_actor().role
        )
        if notice:
            st.info(escape_markdown(notice), icon=":material/shield_lock:")
        (funnel, funnel_csv, funnel_words), (trend, trend_csv, trend_words) = charts
        shown = link.views(VIEWS, "weergave", key="gp_view")
        if shown == "doorstroom":
            chart_block(
                funnel,
                funnel_csv,
                gp.source,
                note=f"Afgeschermd (publicatiemodus): '{small_count_label()}' en 'x'.",
                summary=funnel_words,
                file_name=f"kloof_{code}_{year}.csv",
                key="funnel",
            )
        else:
            chart_block(
                trend,
                trend_csv,
                gp.source,
                note="Een ontbrekend punt: niet gerapporteerd of afgeschermd.",
                summary=trend_words,
                file_name=f"trend_{code}.csv",
                key="trend",
            )
