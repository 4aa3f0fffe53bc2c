"""A stored dataset's tables are built once for every visitor of a server process, and what a
visitor sees still follows the store: a new name at once, new content after a re-import."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from loverboy_stats.store import get_store
from loverboy_stats.uploads import parse_upload
from tests.app.conftest import open_app, show_view
from tests.fixtures.actors import OPERATOR
from ui.state import shared_tables

PAGE = "pages/vergelijken.py"


def csv(amsterdam: int) -> bytes:
    rows = [
        "gemeente;jaar;gesignaleerd;doorverwezen",
        f"Amsterdam;2023;{amsterdam};12",
        "Rotterdam;2023;35;10",
        "Utrecht;2023;22;8",
        "Den Haag;2023;30;9",
    ]
    return "\n".join(rows).encode()


def store(name: str, content: bytes) -> int:
    return (
        get_store()
        .datasets.save(
            name, "cijfers.csv", content, parse_upload(content, "cijfers.csv").data, actor=OPERATOR
        )
        .id
    )


def visit() -> AppTest:
    """A new browser session on Vergelijken (the newest stored dataset is the default)."""
    at = open_app(PAGE)
    assert not at.exception, at.exception
    return at


def shown_signalled(at: AppTest) -> str:
    table = show_view(at, "Tabel").dataframe[0].value
    return str(table.loc[table.iloc[:, 0] == "Amsterdam", "gesignaleerd"].iloc[0])


def spec(at: AppTest) -> str:
    return " ".join(chart.proto.spec for chart in show_view(at, "Rangorde").get("plotly_chart"))


def test_a_second_visitor_gets_the_stored_tables_without_building_them_again():
    store("Vier steden", csv(amsterdam=40))
    builds = shared_tables().builds
    first = visit()
    assert shared_tables().builds == builds + 1  # publication mode's protection: once
    second = visit()
    assert shared_tables().builds == builds + 1
    assert shown_signalled(first) == shown_signalled(second) == "40"
    assert "eigen cijfers 'Vier steden'" in spec(second)


def test_a_renamed_dataset_shows_its_new_name_without_a_rebuild():
    dataset = store("Oude naam", csv(amsterdam=41))
    visit()
    builds = shared_tables().builds
    get_store().datasets.rename(dataset, "Nieuwe naam", actor=OPERATOR)
    at = visit()
    assert "eigen cijfers 'Nieuwe naam'" in spec(at)
    assert "Oude naam" not in spec(at)
    assert shared_tables().builds == builds  # the name is not part of the tables


def test_a_dataset_deleted_and_imported_again_with_other_figures_shows_the_new_ones():
    dataset = store("Cijfers", csv(amsterdam=42))
    assert shown_signalled(visit()) == "42"
    get_store().datasets.delete(dataset, actor=OPERATOR)
    store("Cijfers", csv(amsterdam=57))
    assert shown_signalled(visit()) == "57"


def test_a_dataset_of_one_year_says_why_there_is_no_line_through_the_years():
    store("Eén jaar", csv(amsterdam=43))
    at = show_view(visit(), "Door de jaren")
    assert not at.get("plotly_chart")
    assert any("heeft cijfers over één jaar" in notice.value for notice in at.info)
