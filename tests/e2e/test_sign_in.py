"""Sign-in with a real OpenID Connect provider, in Chromium: who sees what, and what the
browser never receives.

One provider and one app (sign-in configured, an SQLite store) for the module. The store holds
two organisations (Zwolle and Kampen, one municipality each) and one dataset of Kampen's with
the eleven municipalities of jeugdregio IJsselland. The server protects counts below k = 100
(``LBS_SUPPRESSION_K``) in strict mode, as a shared server should: so every hidden count is a
two-digit number that appears nowhere else, and a test can look for it in every websocket frame
(decoded, tests/e2e/wire.py) and every download the browser was given.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from loverboy_stats.access import local_operator
from loverboy_stats.store import Store
from loverboy_stats.uploads import parse_upload
from loverboy_stats.views.compare import VIEWS
from tests.e2e.conftest import (
    PROFILE_VIEWS,
    ROOT,
    choose_view,
    open_checklist_editor,
    wait_until_ready,
    wait_until_still,
)
from tests.e2e.oidc import ACCOUNTS, choose, main_text, save_checklist_answer, sign_in, start_stack
from tests.e2e.wire import equals_any, file_values, media_urls, values_in

pytestmark = pytest.mark.browser

OPERATOR = local_operator("e2e")
#: Zwolle (Anna's own municipality) and the peers in the same dataset, with their hidden counts.
CSV = (
    b"gemeente;jaar;gesignaleerd;doorverwezen\n"
    b"Zwolle;2024;57;33\nKampen;2024;53;39\nDeventer;2024;410;150\nDalfsen;2024;62;\n"
    b"Hardenberg;2024;250;120\nOmmen;2024;67;\nRaalte;2024;180;0\nStaphorst;2024;83;\n"
    b"Steenwijkerland;2024;300;110\nOlst-Wijhe;2024;0;0\nZwartewaterland;2024;200;130\n"
)
OWN = {57, 33}
PEERS = {53, 39, 62, 67, 83}
DATASET = "Kampen 2024"
REGISTERED = {
    "lotte@regio.example": ("lezer", "Gemeente Zwolle"),
    "anna@zwolle.example": ("invoerder", "Gemeente Zwolle"),
    "bert@kampen.example": ("invoerder", "Gemeente Kampen"),
    "hans@regio.example": ("beheerder", "Gemeente Zwolle"),
    "kort@regio.example": ("lezer", "Gemeente Zwolle"),
    # Registered by e-mail, but her provider does not report the address as verified.
    "eva@entra.example": ("invoerder", "Gemeente Zwolle"),
}
SHARED_SERVER = {"LBS_SUPPRESSION_K": "100", "LBS_STRICT_PUBLICATION": "true"}


def prepare(url: str) -> None:
    """Organisations, users registered by e-mail (bound at their first sign-in), one dataset."""
    store = Store(url)
    people = store.people
    people.add_organisation(OPERATOR, "Gemeente Zwolle", ["GM0193"])
    people.add_organisation(OPERATOR, "Gemeente Kampen", ["GM0166"])
    names = {a["email"]: a["name"] for a in ACCOUNTS}
    for email, (role, organisation) in REGISTERED.items():
        people.add_user(OPERATOR, email, role, organisation, name=names[email])
    kampen = people.organisation_actor(OPERATOR, "Gemeente Kampen")
    store.datasets.save(DATASET, "kampen.csv", CSV, parse_upload(CSV, "k.csv").data, actor=kampen)
    store.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sign_in")
    url = f"sqlite:///{workdir / 'gedeeld.sqlite'}"
    prepare(url)
    started = start_stack(workdir, url, env=SHARED_SERVER)
    yield started
    started.stop()


@pytest.fixture
def visitor(person, stack):
    """A page without cookies or site storage (a warm browser: tests/e2e/conftest.py) that
    records every websocket frame it receives, and fetches every download a frame offers the
    moment it arrives (a file lives only as long as the script run that offered it)."""
    page = person(0)
    page.frames_received = []
    page.downloads = {}

    def arrived(payload) -> None:
        page.frames_received.append(payload)
        for path in media_urls(values_in([payload])) - set(page.downloads):
            with urllib.request.urlopen(stack.app_url + path, timeout=20) as response:
                page.downloads[path] = response.read()

    page.on("websocket", lambda ws: ws.on("framereceived", arrived))
    return page


def public_whole_numbers() -> set[int]:
    """Whole numbers any page may show for other reasons: expected values of every area at
    every level (shown without decimals from 10 up) and the national figures."""
    import csv

    from loverboy_stats.reference import NATIONAL_POPULATION_2024, load_municipalities
    from loverboy_stats.settings import SHIPPED_DATA_DIR

    table, found = load_municipalities(), set()
    for column in ("gemeentecode", "provinciecode", "jeugdregiocode", "ggdregiocode",
                   "veiligheidsregiocode"):  # fmt: skip
        for population in table.groupby(column)["inwoners"].sum():
            expected = 1363 * population / NATIONAL_POPULATION_2024
            found |= {round(expected), int(expected)}
    with (SHIPPED_DATA_DIR / "national" / "figures.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for key in ("value", "interval_low", "interval_high"):
                if row[key].replace(".", "", 1).isdigit():
                    found.add(int(float(row[key])))
    return found


def test_the_hidden_counts_are_numbers_no_page_shows_otherwise():
    # Otherwise finding one in a frame would prove nothing.
    assert not (OWN | PEERS) & public_whole_numbers()


def store_of(stack) -> Store:
    return Store(stack.database_url)


def received(page, stack, numbers: set[int]) -> set[int]:
    """Which of ``numbers`` reached the browser: in a websocket frame or a download."""
    values = list(values_in(page.frames_received))
    for content in page.downloads.values():
        values += list(file_values(content))
    return {n for n in numbers if any(equals_any(v, {n}) for v in values)}


def downloads_offered(page) -> int:
    return len(page.downloads)


def visit_every_view_of_the_dataset(page, stack, *, switch_off: bool = False) -> None:
    """Eigen cijfers (the list and its download), Vergelijken and Gemeenteprofiel of the
    dataset, Zwolle chosen. Each is a new page load, so a new session: ``switch_off`` turns
    publication mode off again on each."""
    base = stack.app_url

    def loaded(**charts) -> None:
        wait_until_ready(page, **charts)
        if switch_off:
            page.get_by_text("Publicatiemodus", exact=True).click()
            page.get_by_text("Publicatiemodus staat uit").first.wait_for()
            wait_until_ready(page, **charts)

    page.goto(f"{base}/eigen_cijfers")
    loaded()
    page.get_by_text(DATASET).first.wait_for(state="attached")
    page.goto(f"{base}/vergelijken?dataset={DATASET.replace(' ', '+')}")
    loaded(charts=1, timeout=120_000)
    for _, label in list(VIEWS.values())[1:]:  # each view (tab) sends its own figures and files
        choose_view(page, label, chart=False)
    page.goto(f"{base}/gemeenteprofiel")
    loaded(timeout=120_000)
    choose(page, "Cijfers", DATASET)
    choose(page, "Gemeente of jeugdregio", "Zwolle")
    page.get_by_text("Signaleringskloof Zwolle, 2024").wait_for(timeout=60_000)
    wait_until_ready(page, charts=1, timeout=120_000)
    label = list(PROFILE_VIEWS)[1]  # the other chart view sends its own figure and file
    choose_view(page, label, shows=PROFILE_VIEWS[label])


def test_signed_out_a_visitor_sees_only_the_sign_in_page(stack, visitor):
    for path in ("", "vergelijken", "eigen_cijfers", "gemeenteprofiel", "beheer", "logboek"):
        visitor.goto(f"{stack.app_url}/{path}")
        wait_until_ready(visitor)
        visitor.get_by_role("button", name="Inloggen").wait_for()
        main = main_text(visitor)
        assert "Meld u aan met het account van uw organisatie" in main, path
        assert visitor.locator("[data-testid='stSidebarNav']").count() == 0, path
        assert DATASET not in visitor.content() and "Publicatiemodus" not in main
    values = list(values_in(visitor.frames_received))
    assert not any(DATASET in str(v) for v in values)
    assert received(visitor, stack, OWN | PEERS) == set()


def test_an_unknown_account_gets_no_access_and_is_recorded(stack, visitor):
    sign_in(visitor, stack, "onbekend@elders.example")
    visitor.get_by_text("Geen toegang").first.wait_for()
    main = main_text(visitor)
    assert "onbekend@elders.example" in main and "heeft geen toegang" in main
    assert visitor.locator("[data-testid='stSidebarNav']").count() == 0
    assert received(visitor, stack, OWN | PEERS) == set()
    log = store_of(stack).audit.entries(OPERATOR)
    refused = log[log["wie"] == "onbekend@elders.example"]
    assert list(refused["handeling"]) == ["toegang geweigerd"]


def test_an_unverified_address_never_signs_in_but_issuer_and_subject_do(
    stack, person, warm_browsers
):
    """Eva's provider (like Microsoft Entra ID) sends no email_verified. Her registration by
    e-mail must not let her in; the no-access page gives her issuer and subject, and once the
    beheerder registers those (the documented command line), she is in."""
    eva = person(0)
    try:
        sign_in(eva, stack, "eva@entra.example")
        eva.get_by_text("subject (sub): u-eva").wait_for()
        wait_until_ready(eva)
        main = main_text(eva)
        assert "niet dat dit e-mailadres geverifieerd is" in main
        assert f"uitgever (issuer): {stack.provider_url}" in main
        assert "subject (sub): u-eva" in main
        assert eva.locator("[data-testid='stSidebarNav']").count() == 0
    finally:
        warm_browsers.forget(eva)  # she signs in again below, without the provider's cookie
    store = store_of(stack)
    assert not store.people.user("eva@entra.example").bound
    store.dispose()

    def command(*words: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "loverboy_stats", "gebruikers", *words, "--operator", "e2e",
             "--database-url", stack.database_url],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    issuer = re.search(r"uitgever \(issuer\): (\S+)", main).group(1)
    subject = re.search(r"subject \(sub\): (\S+)", main).group(1)
    command("verwijder", "eva@entra.example")
    register = ["--rol", "invoerder", "--organisatie", "Gemeente Zwolle", "--naam", "Eva Entra"]
    command("nieuw", "eva@entra.example", *register, "--issuer", issuer, "--subject", subject)
    eva = person(0)
    try:
        sign_in(eva, stack, "eva@entra.example")
        sidebar = eva.inner_text("[data-testid='stSidebar']")
        assert "Aangemeld als Eva Entra (invoerder, Gemeente Zwolle)" in sidebar
        assert "Geen toegang" not in main_text(eva)
    finally:
        warm_browsers.forget(eva)


def test_a_lezer_cannot_switch_publication_off_and_receives_no_small_count(stack, visitor):
    sign_in(visitor, stack, "lotte@regio.example")
    sidebar = visitor.inner_text("[data-testid='stSidebar']")
    assert "Aangemeld als Lotte Lezer (lezer, Gemeente Zwolle)" in sidebar
    assert "Publicatiemodus staat voor uw rol (lezer) altijd aan." in sidebar
    assert visitor.get_by_role("checkbox", name="Publicatiemodus").count() == 0
    assert "Beheer" not in visitor.inner_text("[data-testid='stSidebarNav']")
    visitor.frames_received.clear()
    visit_every_view_of_the_dataset(visitor, stack)
    assert "<100" in main_text(visitor)
    assert received(visitor, stack, OWN | PEERS) == set()
    open_checklist_editor(visitor)
    assert visitor.get_by_role("button", name="Checklist opslaan").is_disabled()


def test_an_invoerder_sees_its_own_counts_never_its_peers(stack, visitor):
    sign_in(visitor, stack, "anna@zwolle.example")
    visitor.get_by_text("Publicatiemodus", exact=True).click()  # switched off
    visitor.get_by_text("Publicatiemodus staat uit voor de gemeenten van uw organisatie").wait_for()
    visitor.frames_received.clear()
    visitor.goto(f"{stack.app_url}/eigen_cijfers")  # a new session: the switch is on again
    wait_until_ready(visitor)
    visitor.get_by_text("Publicatiemodus", exact=True).click()
    visitor.get_by_text("Uw eigen gemeenten, zonder afscherming").wait_for(timeout=60_000)
    wait_until_ready(visitor)
    # The check can see a count when it is there: Zwolle's own ones are.
    assert received(visitor, stack, OWN) == OWN
    assert visitor.get_by_role("button", name="Naam wijzigen").is_disabled()
    assert visitor.get_by_role("button", name="Verwijderen", exact=True).is_disabled()
    assert "hoort bij Gemeente Kampen" in main_text(visitor)
    visit_every_view_of_the_dataset(visitor, stack)
    assert received(visitor, stack, PEERS) == set()
    choose(visitor, "Gemeente of jeugdregio", "Kampen")
    visitor.get_by_text("U kunt deze checklist lezen, niet wijzigen: Kampen hoort niet").wait_for()
    wait_until_ready(visitor)  # until the run ends, Zwolle's button may still be on the page
    open_checklist_editor(visitor)
    assert visitor.get_by_role("button", name="Checklist opslaan").is_disabled()
    assert received(visitor, stack, PEERS) == set()


def test_an_expired_sign_in_signs_out(stack, visitor):
    sign_in(visitor, stack, "kort@regio.example")  # an ID token of 15 seconds
    visitor.get_by_text("Aangemeld als Kees Kort").wait_for()
    time.sleep(16)
    visitor.reload()
    wait_until_ready(visitor)
    visitor.get_by_text("Uw aanmelding is verlopen. Meld u opnieuw aan.").wait_for()
    assert visitor.get_by_role("button", name="Opnieuw inloggen").count() == 1
    assert visitor.locator("[data-testid='stSidebarNav']").count() == 0
    assert "Kees Kort" not in visitor.inner_text("body")
    # Signing in again gives a fresh token and the app back.
    visitor.get_by_role("button", name="Opnieuw inloggen").click()
    visitor.wait_for_url(f"{stack.provider_url}/**")
    visitor.get_by_role("button", name="Inloggen").wait_for()


@pytest.mark.parametrize(
    ("path", "control", "option"),
    [("vergelijken", "combobox", "Provincie"), ("gemeenteprofiel", "radio", "Door de jaren")],
)
def test_a_choice_after_the_sign_in_expired_gets_the_sign_in_page(
    stack, visitor, path, control, option
):
    """A choice on Vergelijken, or a view on Gemeenteprofiel, reruns only its part of the page
    (ui/shell.py: page_fragment), not the checks of a whole run. That part checks the sign-in
    itself: once the token has expired, the next choice shows the sign-in page, no new view."""
    sign_in(visitor, stack, "kort@regio.example")  # an ID token of 15 seconds
    signed_in = time.monotonic()
    visitor.goto(f"{stack.app_url}/{path}")
    wait_until_ready(visitor, charts=1)
    assert "Aangemeld als Kees Kort" in visitor.inner_text("[data-testid='stSidebar']")
    time.sleep(max(0.0, 16 - (time.monotonic() - signed_in)))
    if control == "radio":
        visitor.get_by_role("radio", name=option, exact=True).click()
    else:
        choose(visitor, "Regioniveau", option)
    visitor.get_by_text("Uw aanmelding is verlopen. Meld u opnieuw aan.").wait_for()
    wait_until_ready(visitor)
    assert visitor.locator("[data-testid='stSidebarNav']").count() == 0
    assert "Kees Kort" not in visitor.inner_text("body")
    assert visitor.locator(".js-plotly-plot").count() == 0


def test_the_check_finds_hidden_counts_when_they_are_sent(stack, visitor):
    """The same views for a beheerder who switched publication mode off: every hidden count
    is found, so the checks above would see a leak."""
    sign_in(visitor, stack, "hans@regio.example")
    visitor.get_by_text("Publicatiemodus", exact=True).click()
    visitor.get_by_text("Publicatiemodus staat uit: kleine aantallen zijn zichtbaar").wait_for()
    visitor.frames_received.clear()
    visit_every_view_of_the_dataset(visitor, stack, switch_off=True)
    assert received(visitor, stack, PEERS) == PEERS


UPLOAD = b"gemeente;jaar;gesignaleerd\nZwolle;2023;120\n"


def test_the_log_lists_each_action_with_who_and_when(stack, person, warm_browsers):
    def signed_in(email):
        """One after the other, each starting without the previous one's cookies."""
        page = person(0, viewport={"width": 1400, "height": 1100})
        sign_in(page, stack, email)
        return page

    anna = signed_in("anna@zwolle.example")
    try:
        anna.goto(f"{stack.app_url}/eigen_cijfers")
        wait_until_ready(anna)
        anna.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            files=[{"name": "zwolle.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
        )
        anna.get_by_text("Gecontroleerd: 1 rij").wait_for(timeout=60_000)
        anna.get_by_role("textbox", name="Naam van de dataset").fill("Zwolle 2023")
        anna.get_by_role("button", name="Opslaan").click()
        anna.get_by_text("Opgeslagen als 'Zwolle 2023'").wait_for(timeout=30_000)
        wait_until_ready(anna)  # the dataset list of this run, not one being replaced
        choose(anna, "Dataset", "Zwolle 2023")
        anna.get_by_role("textbox", name="Nieuwe naam").fill("Zwolle, eerste versie")
        anna.get_by_role("button", name="Naam wijzigen").click()
        anna.get_by_text("Ja, verwijder 'Zwolle, eerste versie'").click()
        wait_until_ready(anna)
        expect(anna.get_by_role("button", name="Verwijderen", exact=True)).to_be_enabled(
            timeout=30_000
        )
        anna.get_by_role("button", name="Verwijderen", exact=True).click()
        anna.get_by_text("Ja, verwijder 'Zwolle, eerste versie'").wait_for(state="detached")
        wait_until_ready(anna)
        anna.get_by_text("Publicatiemodus", exact=True).click()
        anna.get_by_text("Publicatiemodus staat uit voor de gemeenten").wait_for()
        # (the restore button below must come from the run that knows version 1)
        save_checklist_answer(anna, stack.app_url, "Zwolle", "ja", version=1)
        anna.get_by_text("Geschiedenis en eerdere versie herstellen").click()
        restore = anna.get_by_role("button", name="Deze versie herstellen")
        expect(restore).to_be_enabled(timeout=30_000)
        # The history table above the button draws late (its code loads on first use) and
        # pushes the button down: click once it has drawn and stays put.
        anna.locator("[data-testid='stDataFrame'] canvas").first.wait_for(timeout=60_000)
        wait_until_still(restore)
        restore.click()
        # The run after the click says what happened: the restore, or why it was refused.
        said = anna.get_by_text("Versie 1 hersteld als versie 2").or_(
            anna.locator("[data-testid='stAlertContentError'], [data-testid='stException']")
        )
        try:
            said.first.wait_for(timeout=60_000)
        except PlaywrightTimeoutError:
            pytest.fail(f"no answer to the restore in 60 s; the page: {main_text(anna)[-800:]}")
        assert "Versie 1 hersteld als versie 2" in main_text(anna), main_text(anna)[-600:]
    finally:
        warm_browsers.forget(anna)
    stranger = signed_in("onbekend@elders.example")
    stranger.get_by_text("Geen toegang").first.wait_for()
    warm_browsers.forget(stranger)

    hans = signed_in("hans@regio.example")
    try:
        hans.goto(f"{stack.app_url}/beheer")
        wait_until_ready(hans)
        choose(hans, "Gebruiker om te wijzigen", "lotte@regio.example")
        choose(hans, "Nieuwe rol", "invoerder")
        choose(hans, "Nieuwe organisatie", "Gemeente Zwolle")
        hans.get_by_role("button", name="Wijzigen").click()
        hans.get_by_text("is nu invoerder bij Gemeente Zwolle").wait_for(timeout=30_000)
        hans.goto(f"{stack.app_url}/logboek")
        wait_until_ready(hans)
        with hans.expect_download(timeout=60_000) as download:
            hans.get_by_role("button", name="Logboek downloaden (CSV)").click()
        content = Path(download.value.path()).read_bytes()
    finally:
        warm_browsers.forget(hans)
        store_of(stack).people.change_user(OPERATOR, "lotte@regio.example", role="lezer")
    rows = [r.split(";") for r in content.decode("utf-8-sig").splitlines()]
    assert rows[0] == ["tijd (UTC)", "wie", "rol", "organisatie", "handeling", "wat",
                       "toelichting"]  # fmt: skip
    done = [(r[1].strip('"'), r[4].strip('"')) for r in rows[1:]]
    for who, action in [
        ("anna@zwolle.example", "dataset opgeslagen"),
        ("anna@zwolle.example", "dataset hernoemd"),
        ("anna@zwolle.example", "dataset verwijderd"),
        ("anna@zwolle.example", "publicatiemodus uitgezet"),
        ("anna@zwolle.example", "checklistversie opgeslagen"),
        ("anna@zwolle.example", "checklistversie hersteld"),
        ("onbekend@elders.example", "toegang geweigerd"),
        ("hans@regio.example", "rol of organisatie gewijzigd"),
        ("anna@zwolle.example", "eerste aanmelding gekoppeld"),
    ]:
        assert (who, action) in done, (who, action)
    role_change = next(r for r in rows if r[4].strip('"') == "rol of organisatie gewijzigd")
    assert role_change[5].strip('"') == "lotte@regio.example"
    assert role_change[6].strip('"') == "rol lezer → invoerder"
