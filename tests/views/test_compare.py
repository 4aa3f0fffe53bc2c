"""The comparison view model: hand-checked values, publication mode, link validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loverboy_stats.demo import load_demo
from loverboy_stats.export import read_spreadsheet_csv
from loverboy_stats.reference import NATIONAL_POPULATION_2024, load_municipalities
from loverboy_stats.views import compare, frames
from tests.fixtures.actors import OPERATOR

ZWOLLE, KAMPEN = "GM0193", "GM0166"  # both in jeugdregio IJsselland (JZ07)


def local() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gemeentecode": [ZWOLLE, KAMPEN, ZWOLLE, KAMPEN],
            "jaar": [2023, 2023, 2024, 2024],
            "gesignaleerd": pd.array([8, 10, 6, 12], dtype="Int64"),
            "gemeld_comensha": pd.array([5, 6, 2, 6], dtype="Int64"),
            "doorverwezen": pd.array([5, 5, 3, 6], dtype="Int64"),
            "in_behandeling": pd.array([5, 5, 2, pd.NA], dtype="Int64"),
        }
    )


def expected(code: str) -> float:
    return 1363 * load_municipalities().loc[code, "inwoners"] / NATIONAL_POPULATION_2024


def view(publication: bool, indicator="signaleringsratio", level="gemeente", area=ZWOLLE):
    tables = compare.build_tables(
        local(), publication=publication, dataset_label="test", demo=False, viewer=OPERATOR
    )
    return compare.build_view(tables, 2024, level, indicator, area)


def test_options_follow_the_dataset():
    data = local()
    assert compare.available_years(data) == [2024, 2023]
    assert "regio" not in compare.available_levels(data)
    assert "eigen" not in compare.available_populations(data)
    data["regio"] = "Oost"
    data["referentiepopulatie"] = 1000
    assert compare.available_levels(data)[-1] == "regio"
    assert compare.available_populations(data) == ["inwoners", "jongeren", "eigen"]


def test_ranking_and_reference_lines_by_hand():
    v = view(publication=False)
    ranking = frames.ranking_frame(v).set_index("code")
    assert ranking.loc[ZWOLLE, "waarde"] == pytest.approx(6 / expected(ZWOLLE))
    assert ranking.loc[KAMPEN, "waarde"] == pytest.approx(12 / expected(KAMPEN))
    assert list(ranking.index) == [KAMPEN, ZWOLLE]  # Kampen's ratio is higher
    lines = frames.reference_lines(v).set_index("rol")
    total = 18 / (expected(ZWOLLE) + expected(KAMPEN))
    assert lines.loc["alle", "waarde"] == pytest.approx(total)
    # Only these two members of IJsselland reported: the region ratio is the same sum.
    assert lines.loc["regio", "naam"] == "IJsselland"
    assert lines.loc["regio", "waarde"] == pytest.approx(total)


def test_funnel_shares_by_hand_and_hidden_counts_stay_marks():
    raw = frames.funnel_frame(view(publication=False)).set_index(["rol", "stap"])
    assert raw.loc[("gebied", "Gemeld bij CoMensha"), "aandeel_van_gesignaleerd"] == 2 / 6
    assert raw.loc[("gebied", "Doorverwezen"), "aandeel_tekst"] == "50,0 %"
    assert raw.loc[("alle", "Gesignaleerd"), "aantal"] == 18

    shown = frames.funnel_frame(view(publication=True)).set_index(["rol", "stap"])
    reported = shown.loc[("gebied", "Gemeld bij CoMensha")]
    assert reported["aantal_tekst"] == "<5"
    assert np.isnan(reported["aantal"]) and np.isnan(reported["aandeel_van_gesignaleerd"])
    assert shown.loc[("gebied", "Gesignaleerd"), "aantal"] == 6


def test_series_has_area_region_and_total_per_year():
    v = view(publication=False, indicator="per_10000")
    series = frames.series_frame(v)
    assert sorted(series["rol"].unique()) == ["alle", "gebied", "regio"]
    zwolle_2023 = series[(series["rol"] == "gebied") & (series["jaar"] == 2023)].iloc[0]
    inhabitants = load_municipalities().loc[ZWOLLE, "inwoners"]
    assert zwolle_2023["waarde"] == pytest.approx(8 / inhabitants * 10_000)
    assert zwolle_2023["laag"] < zwolle_2023["waarde"] < zwolle_2023["hoog"]


def test_region_level_uses_the_province_as_parent():
    v = view(publication=False, level="jeugdregio", area="JZ07")
    assert v.area_name == "IJsselland"
    assert v.parent_row["naam"] == "Overijssel"


def test_unknown_selection_falls_back_to_defaults():
    tables = compare.build_tables(local(), publication=False, demo=False, viewer=OPERATOR)
    v = compare.build_view(tables, 1999, "gemeente", "onzin", "GM9999")
    assert v.year == 2024 and v.indicator_id == "signaleringsratio"
    populations = load_municipalities().loc[[ZWOLLE, KAMPEN], "inwoners"]
    assert v.area == populations.idxmax()


@pytest.fixture(scope="module")
def demo_tables():
    return compare.build_tables(load_demo())


def test_no_hidden_value_in_any_frame_with_demo_data(demo_tables):
    table = demo_tables.table(2024, "gemeente").frame
    hidden_s = set(table.loc[table["gesignaleerd_status"].isin(["klein", "afgeschermd"]), "code"])
    assert hidden_s, "the demo should have small counts to hide"
    for indicator in compare.INDICATORS:
        v = compare.build_view(demo_tables, 2024, "gemeente", indicator, sorted(hidden_s)[0])
        ranking = frames.ranking_frame(v)
        scatter = frames.scatter_frame(v)
        mapped = frames.map_frame(v).set_index("code")
        if indicator != "bereik_behandeling":
            assert not hidden_s & set(ranking["code"])
            assert mapped.loc[sorted(hidden_s), "waarde"].isna().all()
        assert not hidden_s & set(scatter["code"])
        funnel = frames.funnel_frame(v)
        area = funnel[funnel["rol"] == "gebied"].set_index("stap")
        assert np.isnan(area.loc["Gesignaleerd", "aantal"])
        assert area.loc["Gesignaleerd", "aantal_tekst"] in {"<5", "x"}
        assert area["aandeel_van_gesignaleerd"].isna().all()
        text = frames.table_frame(v).set_index("code")
        assert text.loc[sorted(hidden_s)[0], "gesignaleerd"] in {"<5", "x"}


def test_table_says_fictitious_and_uses_dutch_notation(demo_tables):
    v = compare.build_view(demo_tables, 2024, "gemeente", "signaleringsratio", "GM0363")
    text = frames.table_frame(v)
    assert (text["gegevens"] == "fictieve voorbeeldcijfers").all()
    amsterdam = text.set_index("code").loc["GM0363"]
    assert "." in amsterdam["referentiepopulatie"]  # 931.298 style thousands dot
    assert amsterdam["gemarkeerd"] == "ja"


@pytest.fixture(scope="module", params=["inwoners", "jongeren"])
def population_tables(request):
    return compare.build_tables(load_demo(), population=request.param)


@pytest.mark.parametrize(
    "level", ["gemeente", "jeugdregio", "ggdregio", "veiligheidsregio", "provincie"]
)
def test_every_level_indicator_and_population_hides_what_the_table_hides(population_tables, level):
    """The full matrix of the page's controls, in the library: no hidden count reaches a frame,
    a chart or the table, and every frame names the highlighted area."""
    from loverboy_stats.charts.blocks import build_blocks
    from loverboy_stats.views.indicators import INDICATORS

    table = population_tables.table(2024, level).frame
    hidden = table["gesignaleerd_status"].isin(["klein", "afgeschermd"])
    area = str(table.loc[hidden, "code"].iloc[0]) if hidden.any() else None
    for indicator in INDICATORS:
        v = compare.build_view(population_tables, 2024, level, indicator, area)
        hidden_codes = set(table.loc[hidden, "code"])
        if indicator != "bereik_behandeling":
            assert not hidden_codes & set(frames.ranking_frame(v)["code"]), (level, indicator)
        assert not hidden_codes & set(frames.scatter_frame(v)["code"]), (level, indicator)
        text = frames.table_frame(v).set_index("code")
        for code in hidden_codes:
            assert text.loc[code, "gesignaleerd"] in {"<5", "x"}
        blocks = build_blocks(v, None)
        # Long titles wrap at spaces or after hyphens; compare without the line breaks.
        title = blocks["ranking"].fig.layout.title.text
        assert _unwrapped(v.area_name) in _unwrapped(title)
        for name in ("ranking", "scatter") if indicator != "bereik_behandeling" else ("scatter",):
            csv_codes = set(read_spreadsheet_csv(blocks[name].csv)["CBS-code"])
            assert not hidden_codes & csv_codes, (level, indicator, name)


def _unwrapped(text: str) -> str:
    return text.replace("<br>", "").replace(" ", "")
