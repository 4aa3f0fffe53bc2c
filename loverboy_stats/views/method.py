"""The text of the page 'Methode': how every figure is computed, with a worked example.

The example numbers come from :func:`loverboy_stats.gaps.worked_example`; this module formats
them into Dutch text blocks that the page renders one by one, so the page does no arithmetic.
"""

from __future__ import annotations

from loverboy_stats.formatting import (
    format_count,
    format_expected,
    format_interval,
    format_number,
    format_percent,
    format_ratio,
)
from loverboy_stats.gaps import worked_example
from loverboy_stats.privacy import small_count_label, suppression_k

#: Kinds of block: "title", "header", "text" (Markdown), "info" (a highlighted example),
#: "caption".
Block = tuple[str, str]


def _two_decimals(value: object) -> str:
    return format_number(value, 2)


def method_blocks() -> list[Block]:
    """The page's blocks in order: (kind, Dutch text)."""
    blocks: list[Block] = []

    def _add(kind: str, text: str) -> None:
        blocks.append((kind, text))

    ex, ex_interval = worked_example(), worked_example("mh_geschat_2017")
    name = ex["naam"]
    estimate_band = format_interval(ex_interval["schatting_laag"], ex_interval["schatting_hoog"])
    expected_band = format_interval(
        ex_interval["verwacht_laag"], ex_interval["verwacht_hoog"], format_expected
    )
    referral_band = format_interval(
        ex["doorverwijspercentage_laag"], ex["doorverwijspercentage_hoog"], format_percent
    )

    _add("title", "Methode")
    _add(
        "text",
        "Hoe het dashboard zijn cijfers berekent. Elke pagina, download en de opdrachtregel "
        "gebruiken dezelfde rekenregels. Het voorbeeld hieronder gebruikt het echte inwonertal van "
        f"{name} en **verzonnen** aantallen.",
    )

    _add("header", "De tellingen van de gemeente")
    _add(
        "text",
        "- **gesignaleerd**: mogelijke slachtoffers die in beeld kwamen (wijkteam, school, "
        "politie, zorg, meldpunt). Deze telling is verplicht.\n"
        "- **gemeld bij CoMensha**: hoeveel daarvan gemeld zijn bij CoMensha.\n"
        "- **doorverwezen**: hoeveel naar gespecialiseerde jeugdzorg zijn doorverwezen.\n"
        "- **in behandeling**: hoeveel bij een gespecialiseerde aanbieder in behandeling zijn.\n\n"
        "Een leeg vak betekent *niet gerapporteerd* en telt nooit als 0.",
    )

    _add("header", "Verwacht aantal slachtoffers")
    _add(
        "text",
        "Er bestaan geen officiële slachtoffercijfers per gemeente. Het dashboard verdeelt daarom "
        "een landelijke schatting naar rato over de gemeenten: een **toegerekende schatting**, "
        "geen meting. Standaard is dat de schatting van "
        f"{format_count(ex['landelijke_schatting'])} minderjarige slachtoffers per jaar "
        "(NRM), verdeeld naar inwonertal.",
    )
    _add(
        "info",
        f"**Voorbeeld.** {name} heeft {format_count(ex['referentiepopulatie'])} inwoners van de "
        f"{format_count(ex['landelijke_bevolking'])} in Nederland (1 januari 2024). Verwacht: "
        f"{format_count(ex['landelijke_schatting'])} × {format_count(ex['referentiepopulatie'])} ÷ "
        f"{format_count(ex['landelijke_bevolking'])} = **{format_expected(ex['verwacht'])}** "
        "slachtoffers per jaar.",
    )
    _add(
        "text",
        "Andere keuzes voor de referentiepopulatie:\n"
        "- **naar jongeren**: inwoners × het aandeel 15- tot 25-jarigen. CBS rondt dat aandeel af "
        "op hele procenten, dus dit is een benadering.\n"
        f"- **naar meisjes van 12 tot en met 17 jaar**: {format_count(ex['meisjes_per_100000'])} "
        "per 100.000 (NRM) maal een aantal dat u zelf aanlevert, bijvoorbeeld uit CBS StatLine.",
    )
    _add(
        "text",
        "Voor de schatting van 1.363 is geen betrouwbaarheidsinterval gepubliceerd; het dashboard "
        "verzint er geen. Kiest u een schatting met een gepubliceerde bandbreedte, dan krijgt het "
        "verwachte aantal die bandbreedte mee.",
    )
    _add(
        "info",
        f"**Voorbeeld met bandbreedte.** De schatting van alle slachtoffers van mensenhandel "
        f"({format_count(ex_interval['landelijke_schatting'])}, bandbreedte "
        f"{estimate_band}"
        f") geeft voor {name} verwacht {format_expected(ex_interval['verwacht'])} "
        f"({expected_band}).",
    )

    _add("header", "Verhoudingen")
    _add(
        "text",
        f"Stel: {name} signaleerde {format_count(ex['gesignaleerd'])} mogelijke slachtoffers, "
        f"verwees er {format_count(ex['doorverwezen'])} door en "
        f"{format_count(ex['in_behandeling'])} zijn in behandeling (verzonnen aantallen).",
    )
    _add(
        "text",
        "- **Signaleringsratio** = gesignaleerd ÷ verwacht: "
        f"**{format_ratio(ex['signaleringsratio'])}**. Onder de 1 betekent: minder in beeld dan de "
        "landelijke schatting doet verwachten. Met de schatting voor alle mensenhandel hierboven "
        f"is de ratio {format_ratio(ex_interval['signaleringsratio'])}, met een bandbreedte "
        f"van {format_ratio(ex_interval['signaleringsratio_laag'])} tot "
        f"{format_ratio(ex_interval['signaleringsratio_hoog'])}; hoe hoger de schatting, hoe lager "
        "de ratio.\n"
        "- **Per 10.000 inwoners** = gesignaleerd ÷ referentiepopulatie × 10.000: "
        f"**{format_number(ex['per_10000'], 2)}**, met een 95%-interval van "
        f"{format_interval(ex['per_10000_laag'], ex['per_10000_hoog'], _two_decimals)}"
        " (exacte Poisson-methode; bij 0 gesignaleerd is de ondergrens 0).\n"
        "- **Doorverwijspercentage** = doorverwezen ÷ gesignaleerd: "
        f"**{format_percent(ex['doorverwijspercentage'])}** (95%-interval volgens Wilson: "
        f"{referral_band}).\n"
        "- **Bereik van de behandeling** = in behandeling ÷ verwacht: "
        f"**{format_percent(ex['bereik_behandeling'])}**.\n"
        "- **Niet bereikt** = verwacht − in behandeling: "
        f"**{format_expected(ex['niet_bereikt'])}**. Zijn er meer mensen in behandeling dan "
        "verwacht, dan toont het dashboard 0 en een melding.",
    )

    _add("header", "Regio's")
    _add(
        "text",
        "Voor een provincie, jeugdregio, GGD-regio, veiligheidsregio of een eigen indeling telt "
        "het dashboard eerst op en deelt dan: alle gesignaleerden samen gedeeld door alle "
        "verwachte slachtoffers samen, alleen over de gemeenten die de telling aanleverden. Het is "
        "dus geen gemiddelde van gemeentelijke ratio's; een kleine gemeente weegt niet even zwaar "
        "als een grote.\n\n"
        "Naast elke verhouding staan haar eigen teller en noemer, zodat u kunt narekenen: het "
        "**verwacht** naast de signaleringsratio is dat van de gemeenten die gesignaleerd "
        "aanleverden; het doorverwijspercentage deelt door de **basis** (gesignaleerd bij de "
        "gemeenten die doorverwezen aanleverden); het bereik gaat uit van **verwacht bij in "
        "behandeling**. Het verwachte aantal van de **hele** regio staat er apart bij. De "
        "**dekking** per aantal laat zien welk deel van de bevolking van de regio woont in "
        "gemeenten die dat aantal aanleverden.",
    )

    _add("header", "Publicatiemodus")
    _add(
        "text",
        f"Standaard aan. Kleine aantallen (vanaf 1, onder de {suppression_k()}) ziet u als "
        f"'{small_count_label()}', en "
        "verhoudingen die op zo'n klein aantal rusten worden niet getoond. Is in een groep maar "
        "één gemeente afgeschermd, dan schermt het dashboard ook de eerstvolgende kleinste af "
        "(getoond als 'x'), zodat niemand het verborgen aantal kan terugrekenen uit een "
        "regiototaal. Zet u de publicatiemodus uit, dan ziet u een waarschuwing dat de cijfers "
        "niet geschikt zijn voor publicatie.",
    )

    _add("header", "Wat de cijfers wel en niet zeggen")
    _add(
        "text",
        "- Het verwachte aantal gaat ervan uit dat slachtofferschap overal in Nederland even vaak "
        "voorkomt. Dat is niet zo: stad en platteland, of gemeenten met een jeugdzorginstelling, "
        "kunnen verschillen. Lees het als een grootteorde, niet als het echte aantal.\n"
        "- De landelijke schattingen zijn jaarschattingen uit eerdere jaren (2012-2016 en later); "
        "ze worden niet elk jaar vernieuwd.\n"
        "- Een lage signaleringsratio kan betekenen dat slachtoffers niet gezien worden, maar ook "
        "dat er ter plaatse minder slachtoffers zijn, of dat tellingen onvolledig zijn.\n"
        "- Bij kleine aantallen schommelen ratio's sterk van jaar tot jaar; kijk naar de "
        "intervallen en naar meerdere jaren.\n"
        "- Een gemeente kan meer doorverwijzingen of behandelingen tellen dan signaleringen "
        "(iemand kan via een andere route in zorg komen). Het dashboard meldt dat, maar "
        "verandert niets.",
    )
    _add(
        "caption",
        "Bronnen: NRM/UNODC-schatting (Slachtoffermonitor mensenhandel 2012-2016, aangehaald door "
        "de IGJ in 2018); CBS, 2024: Kerncijfers wijken en buurten 2024 en CBS gebiedsindelingen "
        "2024. De indeling van gemeenten in regio's is afgeleid uit de CBS-grenzen.",
    )
    return blocks
