"""The nginx configuration of docs/deployment.md, run for real in front of a real app server
(here as both replicas of its upstream; tests/e2e/test_proxy_replicas.py runs two).

The ``nginx`` block is taken from the document itself; only its ports, certificate paths and
the address of the sign-in service are replaced (each replacement must find its text, so the
document and this test cannot drift apart). A self-signed certificate is made with openssl and
the sign-in service is a small stand-in: it accepts a request that carries the cookie
``_oauth2_proxy=aangemeld``. Checked: the security headers on every response, that /media/
downloads (which Streamlit serves to anyone with the address) need the sign-in, that another
site cannot frame the dashboard, and that every page, the map, an upload and a download work
under the Content-Security-Policy without a single violation.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from loverboy_stats.views.compare import VIEWS
from tests.e2e.conftest import ROOT, is_third_party, start_streamlit, stop
from tests.e2e.conftest import wait_until_ready as _ready
from ui.profile import VIEWS as PROFILE_VIEWS

pytestmark = pytest.mark.browser

DOC = ROOT / "docs" / "deployment.md"
COOKIE = ("_oauth2_proxy", "aangemeld")
GOOD_CSV = "gemeente;jaar;gesignaleerd\r\nDen Haag;2024;41\r\nAmsterdam;2024;12\r\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def documented_config() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
    assert len(blocks) == 1, "docs/deployment.md should hold exactly one nginx configuration"
    return blocks[0]


class _SignIn(http.server.BaseHTTPRequestHandler):
    """Stand-in for oauth2-proxy: /oauth2/auth says 202 with the cookie, 401 without."""

    def do_GET(self):
        if self.path.startswith("/oauth2/auth"):
            signed_in = f"{COOKIE[0]}={COOKIE[1]}" in (self.headers.get("Cookie") or "")
            self.send_response(202 if signed_in else 401)
            self.end_headers()
        elif self.path.startswith("/oauth2/start"):
            body = b"<html><body>Aanmelden bij de gemeente</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/frame":  # another site that tries to frame the dashboard
            body = f'<iframe id="lbs" src="{self.server.target}/"></iframe>'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@dataclass
class Proxy:
    """nginx with the documented configuration, the stand-in sign-in service and another site."""

    base: str  # https://127.0.0.1:PORT, nginx
    other_site: str  # the stand-in's own address, also "another site" (/frame)
    folder: Path
    process: subprocess.Popen
    sign_in: http.server.ThreadingHTTPServer

    @property
    def access_log(self) -> Path:
        """One line per request: ``hash key|upstream addresses|status|request``."""
        return self.folder / "access.log"

    def replicas_of(self, key: str) -> list[str]:
        """The replica ("host:port") that answered each request with sticky-session ``key``,
        in the order nginx finished them (after a failover: the last one tried)."""
        answered = []
        for line in self.access_log.read_text().splitlines():
            hashed, upstream, _status, _request = line.split("|", 3)
            if hashed == key and upstream != "-":
                answered.append(upstream.split(", ")[-1])
        return answered

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.sign_in.shutdown()


def start_proxy(folder: Path, replicas: list[str], https_port: int | None = None) -> Proxy:
    """nginx as docs/deployment.md configures it, in front of ``replicas`` (two "host:port"
    addresses, the same one twice for a single server), on ``https_port``. Skips (fails with
    CI=true) without nginx."""
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but nginx is not installed (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    sign_in = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SignIn)
    threading.Thread(target=sign_in.serve_forever, daemon=True).start()
    https_port, http_port = https_port or _free_port(), _free_port()
    sign_in.target = f"https://127.0.0.1:{https_port}"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    first, second = replicas
    site = documented_config()
    for text, replacement in {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/ssl/certs/dashboard.gemeente.example.pem": str(folder / "cert.pem"),
        "/etc/ssl/private/dashboard.gemeente.example.key": str(folder / "key.pem"),
        "server 127.0.0.1:8501;": f"server {first};",
        "server 127.0.0.1:8502;": f"server {second};",
        "127.0.0.1:4180": f"127.0.0.1:{sign_in.server_address[1]}",
    }.items():
        assert text in site, f"docs/deployment.md no longer has {text!r}"
        site = site.replace(text, replacement)
    (folder / "site.conf").write_text(site)
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  client_body_temp_path {temp['body']}; proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']}; uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        "  include /etc/nginx/mime.types;\n"
        f"  include {folder}/site.conf;\n"
        "  log_format lbs '$lbs_replica|$upstream_addr|$status|$request';\n"
        f"  access_log {folder}/access.log lbs;\n"
        "}\n"
    )
    nginx = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    other_site = f"http://127.0.0.1:{sign_in.server_address[1]}"
    proxy = Proxy(f"https://127.0.0.1:{https_port}", other_site, folder, nginx, sign_in)
    try:
        _wait_for(proxy.base, nginx)
    except BaseException:
        proxy.stop()
        raise
    return proxy


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, boundary_dir):
    """(https base URL of nginx, http base URL of the app itself, base URL of the other site):
    one app server, as both replicas of the configuration, with the project's own boundary
    files (so the map fetches its geometry through the proxy too)."""
    folder = tmp_path_factory.mktemp("proxy")
    extra = {"LBS_BOUNDARIES_DIR": str(boundary_dir)}
    app, app_url = start_streamlit(ROOT / "app.py", folder, extra)
    try:
        address = app_url.removeprefix("http://")
        started = start_proxy(folder, [address, address])
        yield started.base, app_url, started.other_site
        started.stop()
    finally:
        stop(app)


def _wait_for(base: str, nginx: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            raise RuntimeError(f"nginx stopped: {nginx.stderr.read().decode()}")
        try:
            get(base + "/_stcore/health", signed_in=True)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not answer")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, *, signed_in: bool):
    """(status, headers, body) of a GET without following redirects."""
    request = urllib.request.Request(url)
    if signed_in:
        request.add_header("Cookie", f"{COOKIE[0]}={COOKIE[1]}")
    context = ssl._create_unverified_context()  # the test's own self-signed certificate
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read()


def assert_security_headers(headers) -> None:
    assert headers.get_all("X-Frame-Options") == ["DENY"]
    [policy] = headers.get_all("Content-Security-Policy")
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers.get_all("Referrer-Policy") == ["no-referrer"]


@pytest.mark.parametrize("path", ["/", "/vergelijken", "/_stcore/health", "/bestaat-niet"])
def test_every_response_carries_the_security_headers_signed_in_or_not(proxy, path):
    base, _, _ = proxy
    status, headers, _ = get(base + path, signed_in=True)
    assert status in (200, 404)
    assert_security_headers(headers)
    # A browser without the replica cookie gets one, for HTTPS only and out of scripts' reach.
    [replica] = [c for c in headers.get_all("Set-Cookie") if c.startswith("lbs_replica=")]
    assert replica.startswith("lbs_replica=") and "Secure" in replica and "HttpOnly" in replica
    status, headers, _ = get(base + path, signed_in=False)
    assert status == 302 and "/oauth2/start?rd=" in headers["Location"]
    assert_security_headers(headers)


def https_page(person, slot: int = 0, height: int = 1200):
    """``person(slot)`` (tests/e2e/conftest.py) in a browser that accepts the test's
    self-signed certificate: a page without cookies or site storage."""
    return person(slot, ignore_https_errors=True, viewport={"width": 1400, "height": height})


@pytest.fixture
def visitor(person):
    """A page that accepts the self-signed certificate, without cookies or site storage."""
    return https_page(person)


def signed_in_page(page, base: str):
    """``page`` with the sign-in cookie, recording violations of the Content-Security-Policy
    (``window.__csp``); returns (page, the URLs it requested from outside)."""
    # SameSite=None, as a sign-in cookie may be: sent in another site's frame too, so only the
    # headers can keep the dashboard out of it.
    cookie = {"name": COOKIE[0], "value": COOKIE[1], "url": base}
    page.context.add_cookies([{**cookie, "sameSite": "None", "secure": True}])
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if is_third_party(r.url) else None)
    return page, outside


def test_a_download_under_media_needs_the_sign_in(proxy, visitor):
    base, app_url, _ = proxy
    page, _ = signed_in_page(visitor, base)
    page.goto(f"{base}/eigen_cijfers")
    _ready(page)
    page.get_by_text("Bestandsformaat en sjabloon").click()
    button = page.get_by_role("button", name="Sjabloon (CSV)")
    button.wait_for(state="visible")
    page.wait_for_timeout(500)  # the expander's opening animation
    with page.expect_download(timeout=60_000) as download:
        button.click()
    url = download.value.url
    assert url.startswith(f"{base}/media/")
    status, headers, body = get(url, signed_in=True)
    assert status == 200 and b"gemeentecode" in body
    assert headers.get_all("Cache-Control") == ["no-store"]
    assert_security_headers(headers)
    status, headers, body = get(url, signed_in=False)
    assert status == 302 and b"gemeentecode" not in body  # to the sign-in, not the file
    # (Streamlit itself would hand it to anyone: the app listens on 127.0.0.1 only.)
    assert get(url.replace(base, app_url), signed_in=False)[0] == 200


def test_another_site_cannot_frame_the_dashboard(proxy, visitor):
    base, _, other_site = proxy
    page, _ = signed_in_page(visitor, base)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{other_site}/frame")
    page.wait_for_timeout(5_000)
    assert page.frame_locator("#lbs").locator("[data-testid='stApp']").count() == 0
    assert any("frame-ancestors 'none'" in text for text in refused), refused


def test_every_page_works_under_the_policy_with_nothing_from_outside(proxy, visitor):
    base, _, _ = proxy
    page, outside = signed_in_page(visitor, base)
    refused: list[str] = []  # the browser's own report, kept across pages
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    geometry = []
    page.on("response", lambda r: geometry.append(r.status) if "/kaart/" in r.url else None)
    # Every view with its own kind of element: each chart view, the map, the table (a canvas
    # grid), both chart views of the profile, the method page.
    compare = [(f"/vergelijken?weergave={view}", 0 if view == "tabel" else 1) for view in VIEWS]
    profile = [(f"/gemeenteprofiel?weergave={view}", 1) for view in PROFILE_VIEWS]
    views = [("/", 3), *compare, *profile, ("/methode", 0)]
    for path, charts in views:
        page.goto(base + path)
        _ready(page, charts=charts, timeout=120_000)
        if path.endswith("tabel"):  # the grid is drawn (it could need a worker)
            page.locator("[data-testid='stDataFrame'] canvas").first.wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0, path
        # Per page: the list starts empty on every navigation.
        assert page.evaluate("window.__csp") == [], path
        # ui/nl.js ran under the policy (it is allowed by its hash).
        assert page.evaluate("document.documentElement.lang") == "nl", path
    page.goto(f"{base}/eigen_cijfers")
    _ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": "cijfers.csv", "mimeType": "text/csv", "buffer": GOOD_CSV.encode()}]
    )
    page.wait_for_selector("text=Gecontroleerd: 2 rijen", timeout=60_000)  # upload + XSRF
    assert page.evaluate("window.__csp") == []
    assert refused == []
    assert outside == []
    assert geometry == [200]  # the map's boundaries, from the app's own server via the proxy
