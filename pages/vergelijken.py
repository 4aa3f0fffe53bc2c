"""Page 'Vergelijken': compare areas at one region level, with a map and shareable links.

Reads widgets (each bound to the URL, so a copied link opens the same view), asks
loverboy_stats.compare for the numbers and loverboy_stats.compare_charts for the figures,
renders. A stored dataset is cached per session only.
"""

import streamlit as st

from loverboy_stats import boundaries, checklist_charts, compare, compare_charts
from loverboy_stats.demo import load_demo
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.gaps import GapInputError
from loverboy_stats.privacy import small_count_label
from loverboy_stats.store import get_store
from pages import common as ui

ui.route_guard()

# Read the link before the widgets run: they silently drop values that are not options.
link = st.query_params.to_dict()
publication = ui.publication_mode()


def _memo(key: tuple, build):
    return ui.session_memo("_vergelijken_memo", key, build)


def _dataset(key: str):
    if key == compare.DEMO_KEY:
        return load_demo(), compare.DEMO_DATASET_LABEL, True
    store = get_store()
    return store.load_dataset(int(key)), store.get_dataset(int(key)).name, False


def _tables(key: str, level: str, population: str, publish: bool):
    local, label, demo = _memo(("data", key), lambda: _dataset(key))
    return compare.build_tables(
        local,
        level=level,
        population=population,
        publication=publish,
        dataset_label=label,
        demo=demo,
    )


def _view(tables, year, indicator, area, with_map: bool):
    view = compare.build_view(tables, year, indicator, area)
    geojson = boundaries.load_boundaries(tables.level) if with_map else None
    table = compare.table_frame(view)
    csv = to_csv_bytes(table, dutch=True)
    return view, compare_charts.build_blocks(view, geojson), table, csv


def _choose(label: str, options: list, key: str, labels: dict, *, index: int = 0, **kwargs):
    return st.selectbox(
        label,
        options,
        index=index,
        format_func=lambda option: labels[option],
        key=key,
        bind="query-params",
        **kwargs,
    )


st.title("Vergelijken")
st.write(
    "Zet gemeenten of regio's naast elkaar: hoeveel is er gesignaleerd tegenover het verwachte "
    "aantal, en hoeveel kwam er bij zorg terecht? Kies hieronder wat u wilt zien. De link in de "
    "adresbalk bewaart uw keuze: wie hem opent, ziet hetzelfde beeld."
)

dataset_labels = {str(d.id): d.name for d in ui.stored_datasets()} | {
    compare.DEMO_KEY: compare.DEMO_DATASET_LABEL
}
first, second, third = st.columns(3)
with first:
    dataset = _choose("Dataset", list(dataset_labels), "dataset", dataset_labels)
local, dataset_name, is_demo = _memo(("data", dataset), lambda: _dataset(dataset))
years = compare.available_years(local)
levels = compare.available_levels(local)
populations = compare.available_populations(local)
level_labels = {level: compare.level_label(level) for level in levels}
indicator_labels = {key: spec.label for key, spec in compare.INDICATORS.items()}
population_labels = {key: compare.POPULATION_LABELS[key] for key in populations}
with second:
    year = _choose("Jaar", years, "jaar", {y: str(y) for y in years})
with third:
    level = _choose("Regioniveau", levels, "niveau", level_labels)
fourth, fifth, sixth = st.columns(3)
with fourth:
    indicator = _choose("Indicator", list(indicator_labels), "indicator", indicator_labels)
with fifth:
    population = _choose(
        "Referentiepopulatie",
        populations,
        "populatie",
        population_labels,
        help="Waarnaar de landelijke schatting wordt toegerekend; zie de pagina Methode.",
    )
selection = (dataset, level, population, publication)
try:
    with st.spinner("Cijfers berekenen…"):
        tables = _memo(("tables", *selection), lambda: _tables(*selection))
except GapInputError as problem:
    st.error(str(problem), icon=":material/error:")
    st.stop()
areas = _memo(("areas", *selection, year), lambda: compare.area_options(tables, year))
with sixth:
    area = _choose(
        "Gebied om te markeren",
        list(areas),
        "gebied",
        areas,
        index=list(areas).index(compare.default_area(tables, year)),
    )

allowed = {
    "dataset": dataset_labels.values(),
    "jaar": [str(y) for y in years],
    "niveau": level_labels.values(),
    "indicator": indicator_labels.values(),
    "populatie": population_labels.values(),
    "gebied": areas.values(),
}
for notice in compare.url_notices(link, allowed):
    st.info(notice, icon=":material/link_off:")
if is_demo:
    st.info(
        "U ziet **fictieve voorbeeldcijfers**: verzonnen aantallen om het dashboard te "
        "proberen. Laad eigen cijfers op de pagina Eigen cijfers.",
        icon=":material/science:",
    )

map_file = boundaries.boundary_path(level)
with_map = map_file is not None and map_file.is_file()
view, blocks, table, table_csv = _memo(
    ("view", dataset, level, population, publication, year, indicator, area, with_map),
    lambda: _view(tables, year, indicator, area, with_map),
)


def _block(name: str) -> None:
    fig, csv, source, note, file_name = blocks[name]
    ui.chart_block(fig, csv, source, note=note, file_name=file_name, key=name)


st.subheader("Rangorde")
_block("ranking")
st.subheader("Verwacht en gesignaleerd")
_block("scatter")
st.subheader("Van signaal naar behandeling")
_block("funnel")
if "series" in blocks:
    st.subheader("Door de jaren")
    _block("series")
st.subheader("Kaart")
if "map" in blocks:
    _block("map")
elif level == "regio":
    st.info("Voor een eigen regio-indeling is er geen kaart.", icon=":material/map:")
else:
    st.info(boundaries.how_to_get_text(), icon=":material/map:")

st.subheader("Tabel")
st.caption(
    f"Dezelfde getallen als in de grafieken, in Nederlandse notatie; '{small_count_label()}' en "
    "'x' zijn afgeschermd, '–' is niet gerapporteerd of niet te berekenen."
)
st.dataframe(table, hide_index=True, key="table")
ui.download_csv("Tabel downloaden (CSV)", table_csv, f"vergelijken_{level}_{year}.csv", "dl_table")

# ---- Issue 6 (checklist): the heat-table section goes below this line. --------------------
# Only when at least two of the areas shown filled in a checklist (Gemeenteprofiel page).
checklist_blocks = checklist_charts.comparison_blocks(
    get_store(), view.table, ratio_source=tables.source, label=compare.DEMO_LABEL if is_demo else ""
)
if checklist_blocks:
    st.subheader("Checklist en signaleringskloof")
    for number, block in enumerate(checklist_blocks):
        st.markdown(f"**{block.title}**")
        ui.chart_block(
            block.fig, block.csv, block.source, file_name=block.file_name, key=f"cl{number}"
        )
