"""Page 'Vergelijken': compare areas at one region level, with a map and shareable links.

Reads widgets (each bound to the URL, so a copied link opens the same view), asks
loverboy_stats.views for the numbers and loverboy_stats.charts for the figures, renders.
"""

import streamlit as st

from loverboy_stats import boundaries
from loverboy_stats.charts.blocks import build_block, map_block
from loverboy_stats.demo import DEMO_LABEL, DEMO_NOTICE
from loverboy_stats.estimates import GapInputError
from loverboy_stats.export import to_spreadsheet_xlsx
from loverboy_stats.privacy import small_count_label
from loverboy_stats.textsafe import escape_markdown
from loverboy_stats.views import compare, frames
from loverboy_stats.views.indicators import INDICATORS
from ui.blocks import chart_section, table_section
from ui.checklist_editor import checklist_comparison
from ui.links import PageLink
from ui.shell import CHOICES_KEY, page_fragment, page_start
from ui.state import dataset_choices, level_tables, load_dataset, publication_mode, shared_memo

page_start()

st.title("Vergelijken")
st.write(
    "Zet gemeenten of regio's naast elkaar: hoeveel is er gesignaleerd tegenover het verwachte "
    "aantal, en hoeveel kwam er bij zorg terecht? Kies hieronder wat u wilt zien. De link in de "
    "adresbalk legt al uw keuzes vast: wie hem opent, ziet dezelfde cijfers, ook als er "
    "intussen andere datasets zijn opgeslagen."
)


@page_fragment
def comparison() -> None:
    """The choices and the view they drive. A fragment: a choice reruns only this part."""
    link = PageLink("vergelijken")  # reads the URL before the widgets run
    publication = publication_mode()
    choices = dataset_choices()
    dataset_labels = {key: label for key, (label, _) in choices.items()}
    # One block that wraps (ui/look.css), in reading order: two rows of columns were eight blocks.
    choosing = st.container(horizontal=True, key=CHOICES_KEY)
    with choosing:
        dataset = link.select("Dataset", list(dataset_labels), "dataset", dataset_labels)
    fingerprint = choices[dataset][1]
    local, dataset_name, is_demo = load_dataset(dataset, fingerprint)
    years, level_labels, population_labels = shared_memo(  # by content, for every visitor
        "keuzes", (fingerprint,), lambda: compare.selection_options(local)
    )
    indicator_labels = {key: spec.label for key, spec in INDICATORS.items()}
    with choosing:
        year = link.select("Jaar", years, "jaar", {y: str(y) for y in years})
        level = link.select("Regioniveau", list(level_labels), "niveau", level_labels)
        indicator = link.select("Indicator", list(indicator_labels), "indicator", indicator_labels)
        population = link.select(
            "Referentiepopulatie",
            list(population_labels),
            "populatie",
            population_labels,
            help="Waarnaar de landelijke schatting wordt toegerekend; zie de pagina Methode.",
        )
    try:
        tables = level_tables(dataset, fingerprint, population, publication)  # spinner if built
    except GapInputError as problem:
        st.error(escape_markdown(problem), icon=":material/error:")
        st.stop()
    areas, default = shared_memo(  # the tables' own key, without indicator and area
        "gebieden",
        (fingerprint, population, publication, year, level),
        lambda: compare.highlight_options(tables, year, level),
    )
    with choosing:
        area = link.select("Gebied om te markeren", list(areas), "gebied", areas, default=default)
    if is_demo:
        st.info(DEMO_NOTICE, icon=":material/science:")
    notices = st.container()  # the link's notices, above the views
    shown = link.views({value: label for value, (_, label) in compare.VIEWS.items()}, "weergave")
    link.finish(notices)

    key = (fingerprint, dataset_name, population, publication, year, level, indicator, area)
    view = shared_memo(  # once for every visitor: stored or demo data
        "vergelijken", key, lambda: compare.build_view(tables, year, level, indicator, area)
    )
    part, heading = compare.VIEWS[shown]
    if part == "table":
        table, table_csv, shown_table = shared_memo(
            "vergelijken_tabel", key, lambda: frames.table_outputs(view)
        )
        table_section(
            compare.table_caption(small_count_label()),
            shown_table,
            table_csv,
            lambda: shared_memo(
                "vergelijken_xlsx", key, lambda: to_spreadsheet_xlsx(table, "Vergelijken")
            ),
            f"vergelijken_{level}_{year}",
        )
    elif part == "map":  # keyed without the area: another area leaves the map alone
        missing, where = boundaries.map_missing(level), boundaries.boundary_path(level)
        geo = None
        if not missing:
            geo = shared_memo(
                "kaart", (*key[:-1], where), lambda: map_block(view, boundaries.map_geometry(level))
            )
        chart_section(geo, heading, missing, key=part)
    else:
        block = shared_memo("vergelijken_blok", (*key, part), lambda: build_block(view, part))
        chart_section(block, heading, compare.MISSING.get(part, ""), key=part)

    # Only when at least two of the areas shown filled in a checklist (Gemeenteprofiel page).
    checklist_comparison(view.table.frame, tables.source, DEMO_LABEL if is_demo else "", key)


comparison()
