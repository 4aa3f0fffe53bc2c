"""Sign-in stacks for the browser tests: a real OpenID Connect provider and the app with
sign-in configured, both on 127.0.0.1 and on free ports.

The provider is ``oidc_provider/server.js`` (the ``oidc-provider`` package from the npm
registry, exact version and lockfile in ``oidc_provider/``) run with Node.js; its packages are
installed with ``npm ci`` the first time a test needs them. The app gets a secrets file of its
own (``--secrets.files``) with the ``[auth]`` section, and a ``HOME`` of its own so that no
``~/.streamlit`` of whoever runs the tests leaks in. Without Node.js, npm or Chromium the tests
skip with the reason, except when ``CI=true``: there a missing tool is a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, _free_port, open_checklist_editor, wait_until_ready
from tests.e2e.npm import installed as npm_installed

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "loverboy-stats"
#: The accounts the provider knows (password: the part before the @ + "-wachtwoord"). All but
#: ``onbekend@`` are registered in the dashboard by the stacks' ``prepare`` functions.
ACCOUNTS = [
    {"email": "lotte@regio.example", "sub": "u-lotte", "name": "Lotte Lezer"},
    {"email": "anna@zwolle.example", "sub": "u-anna", "name": "Anna Invoerder"},
    {"email": "bert@kampen.example", "sub": "u-bert", "name": "Bert Invoerder"},
    {"email": "hans@regio.example", "sub": "u-hans", "name": "Hans Beheerder"},
    # A sign-in that expires after 15 seconds.
    {"email": "kort@regio.example", "sub": "u-kort", "name": "Kees Kort", "id_token_ttl": 15},
    {"email": "onbekend@elders.example", "sub": "u-onbekend", "name": "Onno Onbekend"},
    # Like Microsoft Entra ID: an e-mail address in the token, but no email_verified claim.
    {"email": "eva@entra.example", "sub": "u-eva", "name": "Eva Entra", "email_verified": False},
]
for _account in ACCOUNTS:
    _account["password"] = _account["email"].split("@")[0] + "-wachtwoord"
PASSWORDS = {a["email"]: a["password"] for a in ACCOUNTS}


def missing(what: str) -> None:
    """Skip for a missing tool, or fail when CI=true (CI must never pass by skipping)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {what}")
    pytest.skip(what)


def provider_installed() -> str:
    """The node binary, with the provider's npm packages installed (see tests/e2e/npm.py)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing("Node.js and npm are not installed (apt-get install nodejs npm)")
    npm_installed(PROVIDER_DIR, npm)
    return node


def strace_binary() -> str | None:
    return shutil.which("strace")


def traced(command: list[str], trace: Path | None) -> list[str]:
    """``command`` under strace, logging every connect() and bind() of it and its children."""
    if trace is None:
        return command
    tool = strace_binary()
    if tool is None:
        missing("strace is not installed (apt-get install strace)")
    return [tool, "-f", "--seccomp-bpf", "-qq", "-e", "trace=connect,bind", "-o", str(trace),
            *command]  # fmt: skip


def _wait(url: str, process: subprocess.Popen, expect: bytes, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if expect in response.read():
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in its own session (strace and what it traces together)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def clean_environment(**extra: str) -> dict[str, str]:
    """The test's environment without proxy settings (Authlib's client would follow them)
    and without another LBS_ configuration."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if "proxy" not in k.lower() and not k.startswith(("LBS_", "STREAMLIT_"))
    }
    return {**keep, **extra}


@dataclass
class Stack:
    """A provider and one or more app replicas sharing one database and one client."""

    workdir: Path
    provider_url: str
    app_urls: list[str]
    database_url: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    traces: dict[str, Path] = field(default_factory=dict)

    @property
    def app_url(self) -> str:
        return self.app_urls[0]

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop_group(process)


def start_stack(
    workdir: Path,
    database_url: str,
    *,
    replicas: int = 1,
    env: dict[str, str] | None = None,
    trace: bool = False,
    public_url: str | None = None,
) -> Stack:
    """Start the provider and ``replicas`` app servers on ``database_url``. With ``trace``,
    each runs under strace (``stack.traces``: "provider", "app0", ...). With ``public_url``
    (a proxy in front of them all) every replica signs in at that one address, as in
    production; otherwise each at its own."""
    node = provider_installed()
    provider_port = _free_port()
    app_ports = [_free_port() for _ in range(replicas)]
    if public_url:
        redirects = [f"{public_url}/oauth2callback"] * replicas
    else:
        redirects = [f"http://127.0.0.1:{p}/oauth2callback" for p in app_ports]
    client_secret = secrets.token_urlsafe(32)
    config = {
        "client": {"client_id": CLIENT_ID, "client_secret": client_secret,
                   "redirect_uris": sorted(set(redirects))},
        "accounts": ACCOUNTS,
    }  # fmt: skip
    (workdir / "provider.json").write_text(json.dumps(config))
    stack = Stack(
        workdir=workdir,
        provider_url=f"http://127.0.0.1:{provider_port}",
        app_urls=[f"http://127.0.0.1:{p}" for p in app_ports],
        database_url=database_url,
    )
    cookie_secret = secrets.token_urlsafe(48)
    try:
        trace_file = workdir / "provider.strace" if trace else None
        provider_command = [node, "server.js", "--port", str(provider_port), "--config",
                            str(workdir / "provider.json")]  # fmt: skip
        stack.processes.append(
            subprocess.Popen(
                traced(provider_command, trace_file),
                cwd=PROVIDER_DIR,
                env=clean_environment(),
                stdout=(workdir / "provider.log").open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        if trace_file:
            stack.traces["provider"] = trace_file
        for number, (port, redirect) in enumerate(zip(app_ports, redirects, strict=True)):
            stack.processes.append(
                _start_app(stack, number, port, redirect, client_secret, cookie_secret, env, trace)
            )
        _wait(f"{stack.provider_url}/.well-known/openid-configuration", stack.processes[0],
              b'"issuer"')  # fmt: skip
        for url, process in zip(stack.app_urls, stack.processes[1:], strict=True):
            _wait(f"{url}/_stcore/health", process, b"ok")
    except BaseException:
        stack.stop()
        raise
    return stack


def _start_app(
    stack: Stack,
    number: int,
    port: int,
    redirect: str,
    client_secret: str,
    cookie_secret: str,
    env: dict[str, str] | None,
    trace: bool,
) -> subprocess.Popen:
    folder = stack.workdir / f"app{number}"
    (folder / "home").mkdir(parents=True, exist_ok=True)
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect}"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{stack.provider_url}/.well-known/openid-configuration"\n'
    )
    secrets_file.chmod(0o600)
    trace_file = stack.workdir / f"app{number}.strace" if trace else None
    if trace_file:
        stack.traces[f"app{number}"] = trace_file
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
               "--server.port", str(port), "--secrets.files", str(secrets_file)]  # fmt: skip
    environment = clean_environment(
        HOME=str(folder / "home"),
        LBS_DATA_DIR=str(folder),
        LBS_DATABASE_URL=stack.database_url,
        PYTHONPATH=os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(ROOT)) if p),
        **(env or {}),
    )
    return subprocess.Popen(
        traced(command, trace_file),
        cwd=ROOT,
        env=environment,
        stdout=(folder / "streamlit.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def sign_in(page, stack: Stack, email: str, app_url: str | None = None) -> None:
    """Through the app's sign-in page and the provider's form, back into the app."""
    base = app_url or stack.app_url
    page.goto(base)
    wait_until_ready(page)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{stack.provider_url}/interaction/**", timeout=30_000)
    page.fill("#login", email)
    page.fill("#password", PASSWORDS[email])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/**", timeout=30_000)
    wait_until_ready(page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in a select box (typed first: long lists only draw what is in view)."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_ready(page)


def main_text(page) -> str:
    """The main area as a reader sees it (without the invisible word joiners that keep an
    address from becoming a link)."""
    return page.inner_text("[data-testid='stMain']").replace("\u2060", "")


def save_checklist_answer(page, base: str, area: str, answer: str, version: int) -> None:
    """On Gemeenteprofiel at ``base``: the checklist's form opened, the first item of ``area``
    answered ``answer`` and saved, which the page confirms as ``version``."""
    page.goto(f"{base}/gemeenteprofiel")
    wait_until_ready(page, timeout=120_000)
    choose(page, "Gemeente of jeugdregio", area)
    open_checklist_editor(page)
    page.get_by_test_id("stRadio").nth(0).get_by_text(answer, exact=True).click()
    page.get_by_role("button", name="Checklist opslaan").click()
    page.get_by_text(f"Checklist opgeslagen als versie {version}").wait_for(timeout=30_000)
    wait_until_ready(page)  # later steps read this run's widgets, not the previous run's
