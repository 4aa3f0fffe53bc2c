"""Two replicas behind the nginx of docs/deployment.md, for real: one browser, one replica,
and a failover to the other with the sign-in and the saved work intact.

Two app servers (sign-in configured, both with ``redirect_uri`` on the proxy's one HTTPS
address and the same ``cookie_secret``) share one PostgreSQL schema; a real OpenID Connect
provider signs people in; nginx runs the documented configuration (tests/e2e/test_proxy.py,
``start_proxy``) with both replicas in its upstream, a self-signed certificate, and an access
log that names the replica behind each request. Chromium goes through nginx over HTTPS.
"""

from __future__ import annotations

import pytest

from loverboy_stats.access import local_operator
from loverboy_stats.frameworks import DEFAULT_FRAMEWORK
from loverboy_stats.store import Store
from tests.e2e.conftest import _free_port, open_checklist_editor, wait_until_ready
from tests.e2e.oidc import (
    choose,
    main_text,
    save_checklist_answer,
    sign_in,
    start_stack,
    stop_group,
)
from tests.e2e.test_proxy import get, https_page, signed_in_page, start_proxy

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

OPERATOR = local_operator("e2e")


@pytest.fixture(scope="module")
def served(tmp_path_factory, database):
    """(stack, proxy): the provider and two replicas on ``database``, nginx in front."""
    store = Store(database)
    people = store.people
    people.add_organisation(OPERATOR, "Gemeente Zwolle", ["GM0193"])
    people.add_organisation(OPERATOR, "Gemeente Kampen", ["GM0166"])
    people.add_user(
        OPERATOR, "anna@zwolle.example", "invoerder", "Gemeente Zwolle", name="Anna Invoerder"
    )
    people.add_user(
        OPERATOR, "hans@regio.example", "beheerder", "Gemeente Zwolle", name="Hans Beheerder"
    )
    store.dispose()
    folder = tmp_path_factory.mktemp("proxy_replicas")
    (folder / "nginx").mkdir()
    https_port = _free_port()
    public = f"https://127.0.0.1:{https_port}"
    stack = start_stack(folder, database, replicas=2, public_url=public)
    try:
        replicas = [url.removeprefix("http://") for url in stack.app_urls]
        proxy = start_proxy(folder / "nginx", replicas, https_port)
    except BaseException:
        stack.stop()
        raise
    yield stack, proxy
    proxy.stop()
    stack.stop()


def replica_cookie(context) -> str:
    [cookie] = [c["value"] for c in context.cookies() if c["name"] == "lbs_replica"]
    return cookie


def test_browsers_are_spread_over_both_replicas(served):
    _, proxy = served
    # Sixteen visitors without a replica cookie: each gets a random one. That all sixteen hash
    # to the same replica has a chance of 2 in 65,536.
    keys = []
    for _ in range(16):
        status, headers, _ = get(proxy.base + "/_stcore/health", signed_in=True)
        assert status == 200
        [cookie] = [c for c in headers.get_all("Set-Cookie") if c.startswith("lbs_replica=")]
        keys.append(cookie.split(";")[0].removeprefix("lbs_replica="))
    answered = {replica for key in keys for replica in proxy.replicas_of(key)}
    assert len(answered) == 2, answered


def test_one_browser_sticks_to_one_replica_and_survives_its_failure(served, person, warm_browsers):
    stack, proxy = served
    anna, _ = signed_in_page(https_page(person, 0, height=1100), proxy.base)
    sign_in(anna, stack, "anna@zwolle.example", app_url=proxy.base)
    save_checklist_answer(anna, proxy.base, "Zwolle", "ja", version=1)

    # Every request of this browser so far (the sign-in, pages, scripts, uploads of state)
    # went to one replica.
    key = replica_cookie(anna.context)
    before = proxy.replicas_of(key)
    assert len(before) > 10 and len(set(before)) == 1, before
    [sticky] = set(before)

    # That replica dies. The same browser, with the same cookies, goes on at the other one.
    stop_group(stack.processes[1 + stack.app_urls.index(f"http://{sticky}")])
    anna.reload()
    wait_until_ready(anna, timeout=120_000)
    sidebar = anna.inner_text("[data-testid='stSidebar']")
    assert "Aangemeld als Anna Invoerder (invoerder, Gemeente Zwolle)" in sidebar
    assert anna.get_by_role("button", name="Inloggen").count() == 0
    after = proxy.replicas_of(key)[len(before) :]
    assert after and sticky not in set(after[1:]), after  # the first may be the dropped socket

    # What was saved is there, read from PostgreSQL by the other replica.
    choose(anna, "Gemeente of jeugdregio", "Zwolle")
    anna.get_by_text("Zwolle · versie 1, opgeslagen").wait_for(timeout=30_000)
    wait_until_ready(anna)
    open_checklist_editor(anna)  # a new session after the reload: the form is closed again

    # Meanwhile Hans saves version 2; Anna, still on version 1, is refused as stale.
    hans, _ = signed_in_page(https_page(person, 1, height=1100), proxy.base)
    try:
        sign_in(hans, stack, "hans@regio.example", app_url=proxy.base)
        save_checklist_answer(hans, proxy.base, "Zwolle", "deels", version=2)
    finally:
        warm_browsers.forget(hans)
    anna.get_by_test_id("stRadio").nth(0).get_by_text("nee", exact=True).click()
    anna.get_by_role("button", name="Checklist opslaan").click()
    anna.get_by_text("Deze checklist is intussen door iemand anders gewijzigd").wait_for(
        timeout=30_000
    )
    store = Store(stack.database_url)
    try:
        latest = store.checklists.load("GM0193", DEFAULT_FRAMEWORK)
    finally:
        store.dispose()
    assert latest.version == 2 and latest.answers.iloc[0]["status"] == "deels"

    # Her rights come with her: Kampen's checklist is read-only on this replica too.
    choose(anna, "Gemeente of jeugdregio", "Kampen")
    anna.get_by_text("U kunt deze checklist lezen, niet wijzigen: Kampen hoort niet").wait_for()
    wait_until_ready(anna)  # until the run ends, Zwolle's button may still be on the page
    assert anna.get_by_role("button", name="Checklist opslaan").is_disabled()
    assert "Checklist opgeslagen" not in main_text(anna)
