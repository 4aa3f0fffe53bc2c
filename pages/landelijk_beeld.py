"""Page 'Landelijk beeld': the national signalling gap, sourced and explained."""

import streamlit as st

from loverboy_stats import national
from loverboy_stats.charts import national as charts
from loverboy_stats.formatting import format_count
from ui.blocks import chart_block
from ui.shell import page_start

page_start()


@st.cache_resource(show_spinner=False)
def _national():
    # Shipped, validated data and the figures built from it: the same for every visitor and
    # never changed after building, so one shared copy (building a plotly figure takes ~40 ms).
    data = national.load_national()
    return data, national.national_gap(data), charts.page_blocks(data), national.figures_table(data)


data, gap, blocks, figures_table = _national()

st.title("Landelijk beeld: de signaleringskloof")
st.write(
    "Van de minderjarigen die naar schatting slachtoffer zijn van seksuele uitbuiting door "
    "loverboys, komt maar een klein deel in gespecialiseerde zorg terecht. Deze pagina laat die "
    "kloof zien, met de bron van elk getal."
)

for column, item in zip(st.columns(4), national.gap_key_figures(gap), strict=True):
    column.metric(item.label, item.value, help=item.help, border=True)
st.info(national.GAP_CAVEAT, icon=":material/info:")


def show(name: str, **options) -> None:
    fig, csv, source, summary = blocks[name]
    chart_block(fig, csv, source, summary=summary, **options)


st.header("De kloof in één beeld")
show(
    "gap",
    note="Elk vakje is één geschat minderjarig slachtoffer; de gekleurde vakjes waren in "
    "behandeling.",
    file_name="signaleringskloof_landelijk.csv",
    key="gap",
)

st.header("Registraties bij CoMensha door de jaren heen")
show(
    "registrations",
    note="Het NRM en CoMensha tellen net iets anders; elke lijn is één reeks. Alle vormen van "
    "mensenhandel en alle leeftijden; jaren zonder gepubliceerd cijfer blijven leeg.",
    file_name="registraties_comensha.csv",
    key="registrations",
)

st.header("Landelijke schattingen")
show(
    "estimates",
    note="Schattingen met Multiple Systems Estimation (MSE), elk onderzoek een eigen punt: de "
    "onderzoeken verschillen in methode en jaren, dus de punten zijn geen reeks. Een streep toont "
    "de gepubliceerde bandbreedte; waar geen bandbreedte is gepubliceerd, staat alleen het punt.",
    file_name="schattingen_landelijk.csv",
    key="estimates",
)

st.header("Methode en bronnen", anchor="methode-en-bronnen")
st.markdown(
    f"""
- **Bereikt** = aantal in behandeling ÷ geschat aantal = {format_count(gap.treated)} ÷
  {format_count(gap.estimated)}. **Niet bereikt** = geschat − in behandeling.
- De schatting van {format_count(gap.estimated)} is een **jaarlijkse** schatting van het
  Nationaal Rapporteur Mensenhandel (NRM) met UNODC, gemaakt met Multiple Systems Estimation:
  een statistische methode die uit de overlap tussen registraties afleidt hoeveel slachtoffers
  buiten beeld blijven. De bronnen die het getal aanhalen noemen niet op welke jaren het slaat,
  en er is geen betrouwbaarheidsinterval voor gepubliceerd; het staat daarom niet in de grafiek
  van de schattingen hierboven.
- Het aantal in behandeling is een telling op één moment (voorjaar 2017) door de Inspectie
  Gezondheidszorg en Jeugd (IGJ) bij de 13 gespecialiseerde jeugdzorgaanbieders.
- Alle landelijke cijfers staan hieronder, elk met periode, reeks en bron.
"""
)
st.dataframe(figures_table, hide_index=True)
st.markdown("**Bronnen**")
st.markdown(
    "\n".join(
        f"- {s.citation()}: <{s.url}>"
        if s.url
        else f"- {s.citation()} (oorspronkelijke publicatie)"
        for s in data.sources.values()
    )
)
