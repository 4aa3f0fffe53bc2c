"""The Methode page explains each definition with a worked example computed by the library."""

from loverboy_stats.formatting import format_expected, format_ratio
from loverboy_stats.gaps import worked_example
from tests.app.conftest import open_app


def test_methode_page_shows_the_worked_example():
    at = open_app("pages/methode.py")
    assert not at.exception
    assert at.title[0].value == "Methode"
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    example = worked_example()
    # The page's numbers are the library's numbers, in Dutch notation.
    assert format_expected(example["verwacht"]) in text
    assert format_ratio(example["signaleringsratio"]) in text
    assert "toegerekende schatting" in text
