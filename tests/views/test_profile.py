"""The profile view model for every area, year, population and publication setting, and the
printable profile: no area makes the page fail, whatever publication mode hides."""

from __future__ import annotations

import pytest

from loverboy_stats import checklist
from loverboy_stats.demo import load_demo
from loverboy_stats.frameworks import get_framework
from loverboy_stats.printable import profile_html
from loverboy_stats.schema import COUNT_LABELS
from loverboy_stats.views import compare, profile
from tests.fixtures.actors import OPERATOR
from tests.fixtures.datasets import partial_upload
from tests.fixtures.patterns import SHARED

AREAS = profile.area_options()
FRAMEWORK = get_framework("nji_loverboy")
DONE = checklist.completion(FRAMEWORK, None)
ACTIONS = checklist.open_actions(FRAMEWORK, None)


def render_every_area(tables, demo: bool) -> int:
    """Every municipality and jeugdregio in every year: the view model, its funnel and the
    printable page; the trend once per area (it is the same for every year)."""
    rendered = 0
    for code in AREAS["code"]:
        for year in tables.years:
            gp = profile.gap_profile(tables.sets, code, year, demo=demo)
            assert gp.table["gebied"].iloc[-1].startswith("Nederland")
            # The notice names exactly the counts the area's row shows as "<k" or "x".
            # The area's own row comes first when it is in the dataset.
            own = gp.table.head(1 if gp.comparison.area is not None else 0)
            marked = [
                c for c in COUNT_LABELS.values() if len(own) and own[c].iloc[0] in {"<5", "x"}
            ]
            assert gp.hidden_counts == marked, (code, year)
            notice = profile.protection_notice(gp.name, gp.hidden_counts, 5, "lezer")
            assert bool(notice) == bool(marked)
            if gp.has_data:
                steps = profile.funnel_steps(gp)
                assert len(steps) == 5 and steps[0][0] == "verwacht"
                assert len(gp.key_figures) == 4
            if year == tables.years[0]:
                assert set(gp.trend["jaar"]) <= set(tables.years)
                html = profile_html(gp, FRAMEWORK, DONE, ACTIONS, version=0)
                assert "Gemeenteprofiel" in html
            rendered += 1
    return rendered


@pytest.mark.parametrize("publication", [True, False])
@pytest.mark.parametrize("population", ["inwoners", "jongeren"])
def test_every_demo_area_renders(population, publication):
    tables = compare.build_tables(
        load_demo(), population=population, publication=publication, viewer=OPERATOR
    )
    assert render_every_area(tables, demo=True) == len(AREAS) * 5


@pytest.mark.parametrize("publication", [True, False])
@pytest.mark.parametrize("population", ["inwoners", "jongeren", "eigen"])
def test_every_area_of_a_partial_upload_renders(population, publication):
    tables = compare.build_tables(
        partial_upload(),
        population=population,
        publication=publication,
        demo=False,
        patterns=SHARED,
        viewer=OPERATOR,
    )
    assert render_every_area(tables, demo=False) == len(AREAS) * 2


def test_a_hidden_signalled_count_with_a_shown_treatment_count():
    """The case that used to end in the crash screen: S hidden ("<5"), T shown."""
    demo = load_demo()
    tables = compare.build_tables(demo)
    municipal = tables.table(2024, "gemeente").frame
    case = municipal[
        (municipal["gesignaleerd_status"] == "klein") & (municipal["in_behandeling"].notna())
    ]
    assert len(case), "the demo should have such a municipality"
    gp = profile.gap_profile(tables.sets, case["code"].iloc[0], 2024, demo=True)
    steps = dict((step, (value, text)) for step, value, text in profile.funnel_steps(gp))
    assert steps["gesignaleerd"] == (None, "<5 (afgeschermd)")
    assert steps["in behandeling"][0] is not None
    assert gp.by_indicator.set_index("kenmerk").iloc[:, 0].loc["gesignaleerd"] == "<5"


def test_the_country_is_the_sourced_national_figure_not_the_dataset():
    tables = compare.build_tables(partial_upload(), demo=False)
    gp = profile.gap_profile(
        tables.sets, tables.table(2024, "gemeente").frame["code"][0], 2024, demo=False
    )
    table = gp.table.set_index("gebied")
    assert "Alle gemeenten in de dataset" in table.index
    country = table.loc["Nederland (landelijke cijfers)"]
    assert (country["verwacht"], country["in behandeling"]) == ("1.363", "142")
    assert (country["bereik behandeling"], country["niet bereikt"]) == ("10,4 %", "1.221")
    assert table.loc["Alle gemeenten in de dataset", "verwacht"] != "1.363"
