"""The server talks to nobody outside this computer: it listens on 127.0.0.1 only and opens no
connection to a non-loopback address, at start-up or later (no usage statistics, no probe for
its own IP address), in the local single-user mode and with sign-in configured.

Each server runs under ``strace``, which logs every connect() and bind() of the process and its
children; the tests read those calls back. A test first asserts that the trace holds the calls
it expects (the server's own listening socket, the app's requests to the sign-in provider), so
an empty or broken trace cannot pass.
"""

from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, _free_port, wait_for_health, wait_until_ready
from tests.e2e.oidc import clean_environment, sign_in, start_stack, stop_group, traced

pytestmark = pytest.mark.browser

CALL = re.compile(r"^\d+\s+(connect|bind)\((\d+), \{sa_family=(AF_INET6?),\s*(.*)$")
PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6?, "([^"]+)"')


@dataclass(frozen=True)
class Call:
    kind: str  # "connect" or "bind"
    address: str
    port: int

    @property
    def loopback(self) -> bool:
        address = ipaddress.ip_address(self.address)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return address.is_loopback


def network_calls(trace: Path) -> list[Call]:
    """Every connect() and bind() to an IPv4 or IPv6 address in an strace log."""
    found = []
    for line in trace.read_text(errors="replace").splitlines():
        match = CALL.match(line)
        if not match:
            continue
        rest = match.group(4)
        port, address = PORT.search(rest), ADDRESS.search(rest)
        assert port and address, f"an strace line the test cannot read: {line}"
        found.append(Call(match.group(1), address.group(1) or address.group(2), int(port[1])))
    return found


def test_the_trace_reader_sees_an_outside_connection():
    """The reader flags what a default Streamlit start does (logged by strace 6.1 here)."""
    trace = Path(__file__).with_name("artifacts") / "sample.strace"
    trace.parent.mkdir(exist_ok=True)
    trace.write_text(
        '41 connect(7, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("8.8.8.8")}'
        ", 16) = 0\n"
        "41 bind(5, {sa_family=AF_INET6, sin6_port=htons(8501), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "::", &sin6_addr), sin6_scope_id=0}, 28) = 0\n'
        '42 connect(9, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("127.0.0.1")}'
        ", 16) = 0\n"
        '42 connect(3, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\n'
    )
    calls = network_calls(trace)
    assert [(c.kind, c.address, c.port, c.loopback) for c in calls] == [
        ("connect", "8.8.8.8", 1, False),
        ("bind", "::", 8501, False),
        ("connect", "127.0.0.1", 5432, True),
    ]


def test_the_local_mode_started_as_the_readme_says_listens_on_loopback_and_calls_nobody(
    tmp_path, page
):
    """`streamlit run app.py` with no configuration but the repository's own (a free port
    instead of 8501), its first page shown in Chromium."""
    (tmp_path / "home").mkdir()
    port = _free_port()
    trace = tmp_path / "app.strace"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    process = subprocess.Popen(
        traced(command, trace),
        cwd=ROOT,
        env=clean_environment(HOME=str(tmp_path / "home"), LBS_DATA_DIR=str(tmp_path)),
        stdout=(tmp_path / "streamlit.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, process)
        page.goto(url)
        wait_until_ready(page, timeout=120_000)
        assert "Lokale modus: zonder inlog" in page.inner_text("[data-testid='stSidebar']")
        time.sleep(2)  # anything the server does after the page was sent
    finally:
        stop_group(process)
    calls = network_calls(trace)
    assert Call("bind", "127.0.0.1", port) in calls
    assert [c for c in calls if not c.loopback] == []
    log = (tmp_path / "streamlit.log").read_text()
    assert "external IP" not in log and "Network URL" not in log


def test_with_sign_in_app_and_provider_listen_on_loopback_and_call_nobody(
    tmp_path, page, warm_browsers
):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    stack = start_stack(tmp_path, url, trace=True)
    try:
        sign_in(page, stack, "onbekend@elders.example")  # not registered: a "geen toegang" page
        page.get_by_text("Geen toegang").first.wait_for()
        time.sleep(2)
    finally:
        warm_browsers.forget(page)  # before its servers stop (the fixture comes after)
        stack.stop()
    app, provider = (network_calls(stack.traces[name]) for name in ("app0", "provider"))
    provider_port = int(stack.provider_url.rsplit(":", 1)[1])
    app_port = int(stack.app_url.rsplit(":", 1)[1])
    assert Call("bind", "127.0.0.1", app_port) in app
    assert Call("bind", "127.0.0.1", provider_port) in provider
    # The app fetched the provider's metadata, keys and tokens, all on loopback.
    assert Call("connect", "127.0.0.1", provider_port) in app
    assert [c for c in app + provider if not c.loopback] == []
