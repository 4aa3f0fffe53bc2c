"""Browser test harness: a real `streamlit run` server and headless Debian Chromium.

The server starts once per test session on a free port with its own empty data folder; tests
open pages through Playwright. Without Chromium the tests skip with the reason, except when
CI=true: there a missing browser is a failure, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.fixtures.postgres import own_schema, require_postgres

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium (or LBS_CHROMIUM); Playwright's own browser download is not used."""
    candidate = os.environ.get("LBS_CHROMIUM") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit stopped early with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer at {url} within {timeout:.0f} s")


def start_streamlit(script: Path, data_dir: Path, extra_env: dict | None = None):
    """Start `streamlit run script` headless on a free port; returns (process, base URL)."""
    process, url = launch_streamlit(script, data_dir, extra_env)
    try:
        wait_for_health(url, process)
    except Exception:
        process.terminate()
        raise
    return process, url


def launch_streamlit(script: Path, data_dir: Path, extra_env: dict | None = None):
    """Start the server without waiting for it (see :func:`wait_for_health`); several can start
    side by side."""
    port = _free_port()
    env = {**os.environ, "LBS_DATA_DIR": str(data_dir), **(extra_env or {})}
    log = (data_dir / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory) -> Path:
    """The data folder (LBS_DATA_DIR) of the session's app server: its SQLite store lives here."""
    return tmp_path_factory.mktemp("lbs_data")


@pytest.fixture(scope="session")
def app_url(server_data_dir, boundary_dir) -> Iterator[str]:
    """One app server for the browser tests, with the project's own small boundary files."""
    extra = {"LBS_BOUNDARIES_DIR": str(boundary_dir)}
    process, url = start_streamlit(ROOT / "app.py", server_data_dir, extra)
    yield url
    stop(process)


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright driving Debian's Chromium (skips, or fails under CI=true, without it)."""
    if chromium_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium at /usr/bin/chromium: install Debian's chromium")
        pytest.skip("no Chromium found at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


class WarmBrowsers:
    """Chromium with a profile on disk per context, kept for the whole worker: one per person a
    test needs at the same time (``slot``) and per kind of context (touch screen or not,
    accepting a self-signed certificate or not). A page starts with no cookies and no site
    storage, as in a fresh context, but its browser keeps its HTTP and compiled-script cache.
    Streamlit's front end is ~20 MB of JavaScript; compiling it again for every page was about
    a third of the browser's CPU time on a text-only page, and a fresh context cost the machine
    ~1.3 CPU-s more per first page load than a warm one.

    Each context has one page at a time (two pages would share its cookies): people signed in
    at the same moment take different slots."""

    def __init__(self, playwright, folder: Path) -> None:
        self._playwright = playwright
        self._folder = folder
        self._contexts: dict[tuple[int, bool, bool], object] = {}
        self._pages: dict[object, tuple[object, set[str]]] = {}  # page -> context, sites seen

    def context(self, slot: int = 0, touch: bool = False, ignore_https_errors: bool = False):
        key = (slot, touch, ignore_https_errors)
        if key not in self._contexts:
            name = "touch" if touch else "desktop"
            name += "-https" if ignore_https_errors else ""
            name += f"-{slot}" if slot else ""
            self._contexts[key] = self._playwright.chromium.launch_persistent_context(
                str(self._folder / name),
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_ARGS,
                locale="nl-NL",
                has_touch=touch,
                ignore_https_errors=ignore_https_errors,
                viewport={"width": 1400, "height": 1000},
            )
        return self._contexts[key]

    def new_page(self, viewport: dict | None = None, touch: bool = False):
        """A page with no cookies and no storage of any site it will visit (slot 0)."""
        return self.person(0, viewport=viewport, touch=touch)

    def person(
        self,
        slot: int,
        viewport: dict | None = None,
        touch: bool = False,
        ignore_https_errors: bool = False,
    ):
        """A page for one of several people at once: each ``slot`` (with the same options) is
        a browser of its own, so people in different slots share no cookies. The page starts
        with no cookies and no storage of any site it will visit; ``forget`` it afterwards.
        ``viewport`` is the page's (1400 x 1000 when not given), the others the context's."""
        context = self.context(slot, touch, ignore_https_errors)
        open_here = [page for page, (owner, _) in self._pages.items() if owner is context]
        assert not open_here, f"slot {slot} already has a page open: take another slot"
        assert not context.cookies(), "a page was not forgotten: its cookies are still there"
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        origins: set[str] = set()
        self._pages[page] = (context, origins)
        page.on("framenavigated", lambda frame: origins.add(_origin(frame.url)))
        return page

    def forget(self, page) -> None:
        """Close ``page`` and clear what its sites stored (cookies of every site, also the
        sign-in provider's; local and session storage, IndexedDB of each site its frames
        visited); the cache of scripts stays. A page already forgotten is left alone."""
        if page not in self._pages:
            return
        context, origins = self._pages.pop(page)
        session = context.new_cdp_session(page)
        for origin in origins - {""}:
            session.send(
                "Storage.clearDataForOrigin",
                {"origin": origin, "storageTypes": "cookies,local_storage,indexeddb,websql"},
            )
        session.detach()
        page.close()  # session storage lives as long as the page
        context.clear_cookies()

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()


def _origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} else ""


@pytest.fixture(scope="session")
def warm_browsers(playwright_driver, tmp_path_factory) -> Iterator[WarmBrowsers]:
    warm = WarmBrowsers(playwright_driver, tmp_path_factory.mktemp("chromium_profiles"))
    yield warm
    warm.close()


@pytest.fixture
def page(warm_browsers):
    """A desktop page (1400 x 1000, Dutch) that starts without cookies or site storage."""
    page = warm_browsers.new_page()
    yield page
    warm_browsers.forget(page)


@pytest.fixture
def person(warm_browsers):
    """``person(slot, **options)``: a page of :meth:`WarmBrowsers.person`, for tests with
    several people signed in at once (each in a slot of its own; a test that also uses
    ``page`` has slot 0 taken). Every page it gave is forgotten after the test; a test that
    lets the next person take the same slot forgets the page itself
    (``warm_browsers.forget``)."""
    given = []

    def open_page(slot: int = 0, **options):
        given.append(warm_browsers.person(slot, **options))
        return given[-1]

    yield open_page
    for page in given:
        warm_browsers.forget(page)


LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def is_third_party(url: str) -> bool:
    """A network request to anything but our own server (data: and blob: URLs are local)."""
    parts = urlparse(url)
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS


@pytest.fixture
def outside_requests(page) -> list[str]:
    """URLs of every request ``page`` makes to a host other than our own server.

    Sensitive use on closed municipal networks: tests assert this stays empty.
    """
    urls: list[str] = []
    page.on(
        "request", lambda request: urls.append(request.url) if is_third_party(request.url) else None
    )
    return urls


@pytest.fixture
def outside_requests_of():
    """``outside_requests_of(page)``: the list, filled as ``page`` loads, of its requests to
    hosts other than our own server (for pages of a context a test makes itself)."""

    def attach(page) -> list[str]:
        urls: list[str] = []
        page.on(
            "request",
            lambda request: urls.append(request.url) if is_third_party(request.url) else None,
        )
        return urls

    return attach


def save_screenshot(page, name: str) -> None:
    """Keep a screenshot in tests/e2e/artifacts for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_checklist_editor(page) -> None:
    """On Gemeenteprofiel: switch on 'Checklist invullen of wijzigen' (the checklist's form is
    only drawn once opened) and wait until the run that drew it has ended and the form has
    settled. On a busy machine the browser can show the new form a moment before its stored
    answers, after the script has ended: a click or a read then would be too early. Settled:
    every status has a choice, and the choices and texts were the same for 0,75 s."""
    page.get_by_text("Checklist invullen of wijzigen", exact=True).click()
    page.get_by_role("button", name="Checklist opslaan").wait_for(timeout=60_000)
    wait_until_ready(page)
    page.wait_for_function(_FORM_SETTLED, polling=250, timeout=60_000)


_FORM_SETTLED = """() => {
    const radios = Array.from(document.querySelectorAll('[data-testid=stRadio]'));
    const texts = Array.from(document.querySelectorAll('[data-testid=stTextInput] input'));
    const chosen = radios.map(
        g => Array.from(g.querySelectorAll('input')).findIndex(i => i.checked));
    if (!radios.length || chosen.includes(-1)) { window.__lbsForm = null; return false; }
    const now = chosen.join() + '|' + texts.map(i => i.value).join('|');
    const before = window.__lbsForm;
    window.__lbsForm = {now, same: before && before.now === now ? before.same + 1 : 0};
    return window.__lbsForm.same >= 3;
}"""


def wait_until_still(locator, timeout: float = 30) -> None:
    """Wait until ``locator``'s box has stayed the same for 0,75 s. Something drawn late above
    an element (a table whose code loads on first use) moves it; a click sent during the move
    lands beside it, and nothing happens."""
    deadline = time.monotonic() + timeout
    last, same = None, 0
    while same < 3:
        box = locator.bounding_box()
        same = same + 1 if box and box == last else 0
        last = box
        assert time.monotonic() < deadline, f"{locator} kept moving: {box}"
        locator.page.wait_for_timeout(250)


#: Whether a plotly graph div has drawn: plotly sets _fullLayout and makes its SVG at once, but
#: a map draws its areas only after fetching their boundaries, so a map counts once it has.
DRAWN = (
    "(g) => Boolean(g._fullLayout && g.querySelector('.main-svg') && "
    "(!(g.data || []).some((t) => t.type === 'choropleth') || "
    "g.querySelector('.choroplethlocation')))"
)


def wait_until_ready(page, charts: int = 0, timeout: float = 60_000) -> None:
    """Wait until the script finished and ``charts`` plotly charts have drawn (see DRAWN)."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    if charts:
        page.wait_for_function(
            f"n => Array.from(document.querySelectorAll('.js-plotly-plot')).filter({DRAWN})"
            ".length >= n",
            arg=charts,
            timeout=timeout,
        )


#: A text that only each chart view of Gemeenteprofiel shows (the note under its chart).
PROFILE_VIEWS = {
    "Van signaal naar behandeling": "Afgeschermd (publicatiemodus)",
    "Door de jaren": "Een ontbrekend punt",
}


def views(page):
    """The row of view buttons ("Weergave") of Vergelijken or Gemeenteprofiel."""
    return page.get_by_role("radiogroup", name="Weergave")


def chosen_view(page) -> str:
    """The label of the view chosen in the row "Weergave"."""
    return views(page).get_by_role("radio", checked=True).inner_text()


def choose_view(
    page, label: str, chart: bool = True, timeout: float = 120_000, shows: str | None = None
) -> None:
    """Choose the view ``label`` (a button of the row "Weergave") and wait until it is drawn:
    ``shows`` (a text only that view has; by default its heading, as on Vergelijken), the
    finished run (so every frame of it has arrived) and, if ``chart``, its chart."""
    views(page).get_by_role("radio", name=label, exact=True).click()
    if shows is None:
        page.locator("h2:visible", has_text=label).first.wait_for(timeout=timeout)
    else:
        page.get_by_text(shows).locator("visible=true").first.wait_for(timeout=timeout)
    wait_until_ready(page, timeout=timeout)
    if chart and label != "Tabel":
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
            f".some(g => ({DRAWN})(g) && g.offsetParent)",
            timeout=timeout,
        )


@pytest.fixture(scope="module")
def database():
    """A schema of its own on the test server, dropped afterwards."""
    with own_schema(require_postgres("replicas were"), prefix="r") as url:
        yield url


#: Modules whose servers cost much to start (a sign-in provider, replicas on PostgreSQL, nginx,
#: fresh servers per page, a prepared store): each runs whole on one xdist worker, so its
#: module fixtures start once. The other browser tests spread over the workers like any test;
#: each worker starts its own app server and Chromium once.
WHOLE_MODULES = {
    "test_sign_in.py",
    "test_replicas.py",
    "test_proxy.py",
    "test_navigation.py",
    "test_network.py",
    "test_hostile_text.py",
    "test_links_and_downloads.py",
    "test_crafted_widgets.py",
    "test_proxy_replicas.py",
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks into the test ids
def pytest_collection_modifyitems(items):
    whole = []
    for item in items:
        path = Path(str(item.fspath))
        if path.parent.name == "e2e" and path.name in WHOLE_MODULES:
            item.add_marker(pytest.mark.xdist_group(f"browser-{path.stem}"))
            whole.append(item)
    # The long groups first, so the many short tests fill in beside them at the end.
    chosen = set(whole)
    items[:] = whole + [item for item in items if item not in chosen]


@pytest.fixture(autouse=True)
def _whole_module_runs_on_one_worker(request):
    """Fail, not slow down, when xdist stops keeping a module whole (pytest 9.2 with xdist 3.8
    did so silently: pytest-xdist issue #1386); its module's servers then start per worker."""
    path = request.node.path
    if path.name in WHOLE_MODULES and getattr(request.config.option, "loadgroup", False):
        assert request.node.nodeid.endswith(f"@browser-{path.stem}"), (
            f"{request.node.nodeid} is not in its module's xdist group"
        )
