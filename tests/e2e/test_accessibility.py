"""Every page and state, on a desktop screen and on a phone, as a Dutch policy officer meets it:
no axe-core violation of any impact level, ``lang="nl"``, no English word in what is shown or
read aloud, nothing wider than the screen, and no chart text cut off.

One server of its own (an empty store, the project's small boundary files), so that what other
browser tests store does not change what is checked here.
"""

from __future__ import annotations

import pytest

from loverboy_stats.views.compare import VIEWS as VIEWS_OF_VERGELIJKEN
from tests.e2e.accessibility import (
    CHART_OVERLAPS,
    CHART_TEXT_CLIPPED,
    OVERFLOW,
    axe_violations,
    describe,
    english_words,
    page_texts,
)
from tests.e2e.conftest import (
    PROFILE_VIEWS,
    ROOT,
    choose_view,
    open_checklist_editor,
    save_screenshot,
    start_streamlit,
    stop,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1440, "height": 900}, "telefoon": {"width": 390, "height": 844}}
#: The phone screen is a narrow touch screen (``touch=True``). Not emulated as a mobile
#: browser: Streamlit then closes the sidebar by itself, while a narrow desktop window (or a
#: tablet) kept it over the page until app.py asked for "auto".

GOOD = (
    "Gemeente;Jaar;Gesignaleerd;Gemeld CoMensha;Doorverwezen;In behandeling\r\n"
    "Den Haag;2024;41;12;9;6\r\n"
    "Súdwest-Fryslân;2024;3;;1;\r\n"
    "Totaal;;44;12;10;6\r\n"
)
#: Errors and warnings of several kinds, so the check report shows each of its parts.
BAD = (
    "gemeentecode;jaar;gesignaleerd;doorverwezen\r\n"
    "GM0518;2024;-3;2\r\n"
    "GM9999;2024;4;\r\n"
    "GM0363;2024;5;9\r\n"
)


#: What lies on top of the middle of the page's title, when that is not the title itself (an
#: open sidebar on a phone); empty when the title can be read.
COVERED_TITLE = """() => {
  const title = document.querySelector('[data-testid="stMain"] h1');
  if (!title) return 'no title';
  const box = title.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + 20, box.top + box.height / 2);
  if (!top || title.contains(top)) return '';
  return (top.closest('[data-testid]') || top).getAttribute('data-testid') || top.tagName;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, boundary_dir):
    data_dir = tmp_path_factory.mktemp("lbs_a11y")
    process, url = start_streamlit(
        ROOT / "app.py", data_dir, {"LBS_BOUNDARIES_DIR": str(boundary_dir)}
    )
    yield url
    stop(process)


def _open(page, url: str, charts: int) -> None:
    page.goto(url)
    wait_until_ready(page, charts=charts, timeout=120_000)


def _upload(page, url: str, tmp_path, name: str, text: str) -> None:
    _open(page, f"{url}/eigen_cijfers", 0)
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.wait_for_selector("text=Gecontroleerd:", timeout=60_000)
    wait_until_ready(page)


def landelijk(page, url, tmp_path):
    _open(page, url, 2)


def methode(page, url, tmp_path):
    _open(page, f"{url}/methode", 0)


def eigen_cijfers(page, url, tmp_path):
    _open(page, f"{url}/eigen_cijfers", 0)


def controleverslag(page, url, tmp_path):
    _upload(page, url, tmp_path, "fouten.csv", BAD)


def geldig_bestand(page, url, tmp_path):
    _upload(page, url, tmp_path, "signalen.csv", GOOD)


def _every_view(page) -> list:
    """After the first view (tab) of Vergelijken: one step per other view, to check each."""
    labels = [label for _, label in VIEWS_OF_VERGELIJKEN.values()][1:]
    return [(label, lambda label=label: choose_view(page, label)) for label in labels]


def vergelijken(page, url, tmp_path):
    _open(page, f"{url}/vergelijken", 1)
    return _every_view(page)


def vergelijken_provincie(page, url, tmp_path):
    _open(page, f"{url}/vergelijken?niveau=Provincie&indicator=Doorverwijspercentage", 1)
    return _every_view(page)


def gemeenteprofiel(page, url, tmp_path):
    _open(page, f"{url}/gemeenteprofiel", 1)
    label = list(PROFILE_VIEWS)[1]  # the other chart view
    return [(label, lambda: choose_view(page, label, shows=PROFILE_VIEWS[label]))]


def gemeenteprofiel_geschiedenis(page, url, tmp_path):
    """The profile with the checklist's history opened, the editor opened and its second theme
    shown."""
    _open(page, f"{url}/gemeenteprofiel", 1)
    open_checklist_editor(page)
    page.get_by_text("Geschiedenis en eerdere versie herstellen").click()
    page.get_by_text("Nog geen opgeslagen versies.").wait_for()  # drawn once it is open
    page.get_by_test_id("stForm").get_by_role("tab").nth(1).click()
    wait_until_ready(page)


def beheer(page, url, tmp_path):
    _open(page, f"{url}/beheer", 0)


def logboek(page, url, tmp_path):
    _open(page, f"{url}/logboek", 0)


VIEWS = [
    landelijk,
    methode,
    eigen_cijfers,
    controleverslag,
    geldig_bestand,
    vergelijken,
    vergelijken_provincie,
    gemeenteprofiel,
    gemeenteprofiel_geschiedenis,
    beheer,
    logboek,
]


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("view", VIEWS, ids=[v.__name__ for v in VIEWS])
def test_page_is_accessible_in_dutch_and_fits_the_screen(
    server, warm_browsers, view, screen, tmp_path, outside_requests_of
):
    page = warm_browsers.new_page(SCREENS[screen], touch=screen == "telefoon")
    outside = outside_requests_of(page)
    try:
        steps = view(page, server, tmp_path) or []
        # Right away: what a user sees first (a sidebar that closes a moment later still hid
        # the page on arrival).
        covered = page.evaluate(COVERED_TITLE)
        problems = [f"the page title is covered by {covered}"] if covered else []
        if page.evaluate("document.documentElement.lang") != "nl":
            problems.append(f"lang={page.evaluate('document.documentElement.lang')!r}")
        problems += _problems(page)
        # The page as it first appears, then each further state (a tab of Vergelijken).
        _picture(page, screen, f"toegankelijk_{view.__name__}_{screen}")
        for name, step in steps:
            step()
            problems += [f"{name}: {problem}" for problem in _problems(page)]
        if outside:
            problems.append(f"requests to other hosts: {outside}")
        assert not problems, f"{view.__name__} on {screen}:\n" + "\n".join(problems)
    finally:
        warm_browsers.forget(page)


def _problems(page) -> list[str]:
    """What axe-core and the page's own checks find on the page as it is now."""
    # Elements of an earlier run fade out while a rerun finishes; check the settled page.
    page.wait_for_function(
        "document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=30_000
    )
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append("axe-core:\n" + describe(violations))
    english = english_words(page_texts(page))
    if english:
        problems.append(f"English words: {sorted(english)}")
    overflow = page.evaluate(OVERFLOW)
    if overflow["page"] > 0 or overflow["elements"]:
        problems.append(f"wider than the screen: {overflow}")
    clipped = page.evaluate(CHART_TEXT_CLIPPED)
    if clipped:
        problems.append(f"chart text cut off: {clipped}")
    overlaps = page.evaluate(CHART_OVERLAPS)
    if overlaps:
        problems.append(f"chart parts on top of each other: {overlaps}")
    if page.locator("[data-testid='stException']").count():
        problems.append("an exception is shown")
    return problems


def _picture(page, screen: str, name: str) -> None:
    """The whole page in one picture, for a person to look at (the app scrolls inside); the
    screen is the same size again afterwards."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": SCREENS[screen]["width"], "height": min(height, 12_000)})
    save_screenshot(page, name)
    page.set_viewport_size(SCREENS[screen])
