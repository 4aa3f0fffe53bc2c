"""Sign-in, roles and the audit trail through AppTest, with sign-in configured (an ``[auth]``
section in the secrets) and ``st.user`` set as Streamlit sets it after a sign-in.

AppTest cannot drive ``st.login`` itself (tests/e2e/test_sign_in.py does, with a real
provider); what it can do is send a value for a widget the page drew disabled, as a crafted
websocket message would. Streamlit 1.67 drops such a value itself; behind that, the store
refuses the change for this user (called here directly, with the actor the app resolved), in
Dutch, and records the refusal.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loverboy_stats.access import AccessDenied
from loverboy_stats.store import StoreError, get_store
from loverboy_stats.uploads import parse_upload
from tests.app.conftest import APP, open_app, open_checklist_editor, shown
from tests.fixtures.actors import OPERATOR

ROOT = Path(APP).parent
ISSUER = "https://login.regio.example"
USERS = {
    "anna@zwolle.example": ("invoerder", "Gemeente Zwolle", "Anna de Vries"),
    "bert@kampen.example": ("invoerder", "Gemeente Kampen", "Bert"),
    "lotte@regio.example": ("lezer", "Gemeente Zwolle", "Lotte"),
    "hans@regio.example": ("beheerder", "Gemeente Zwolle", "Hans"),
}
#: Kampen's dataset: Zwolle 3 and Kampen 2 signalled (small), Deventer 40.
CSV = b"gemeente;jaar;gesignaleerd\nZwolle;2024;3\nKampen;2024;2\nDeventer;2024;40\n"


@pytest.fixture(autouse=True)
def registered(app_data_dir):
    people = get_store().people
    people.add_organisation(OPERATOR, "Gemeente Zwolle", ["GM0193"])
    people.add_organisation(OPERATOR, "Gemeente Kampen", ["GM0166"])
    for email, (role, organisation, name) in USERS.items():
        people.add_user(
            OPERATOR, email, role, organisation, name=name, issuer=ISSUER, subject=email
        )


def kampen_dataset() -> int:
    kampen = get_store().people.actor_for(ISSUER, "bert@kampen.example")
    data = parse_upload(CSV, "kampen.csv").data
    return get_store().datasets.save("Kampen 2024", "kampen.csv", CSV, data, actor=kampen).id


def claims(email: str, *, expires_in: float = 600) -> dict:
    return {
        "is_logged_in": True,
        "iss": ISSUER,
        "sub": email,
        "email": email,
        "email_verified": True,
        "exp": time.time() + expires_in,
    }


def signed_in(user: dict, page: str | None = None, **session) -> AppTest:
    auth = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback"}}
    return open_app(page, secrets=auth, user=user, **session)


def everything(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "warning", "error", "info")
             for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(shown(str(p)) for p in parts)


def crafted(widget):
    """``widget`` as a crafted client sends it: the page drew it disabled, the client does not
    care (AppTest itself refuses to touch a disabled widget, as a browser would)."""
    widget.disabled = False
    widget.proto.disabled = False
    return widget


def trail() -> pd.DataFrame:
    return get_store().audit.entries(OPERATOR)


def test_signed_out_the_app_shows_only_the_sign_in_page():
    at = signed_in({"is_logged_in": False}, "pages/vergelijken.py")
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen"]
    assert [t.value for t in at.title] == ["Signaleringskloof loverboyproblematiek"]
    assert not at.dataframe and not at.metric and not at.toggle and not at.selectbox
    assert "Vergelijken" not in everything(at)


def test_an_expired_sign_in_counts_as_signed_out():
    at = signed_in(claims("hans@regio.example", expires_in=-1))
    assert [b.label for b in at.button] == ["Opnieuw inloggen"]
    assert "Uw aanmelding is verlopen. Meld u opnieuw aan." in everything(at)
    assert not at.dataframe and not at.metric and not at.toggle
    assert "hans@" not in everything(at)


def test_an_unknown_account_gets_no_access_and_one_audit_entry():
    at = signed_in(claims("onbekend@elders.example"))
    assert [t.value for t in at.title] == ["Geen toegang"]
    assert "onbekend@elders.example" in everything(at)
    assert [b.label for b in at.button] == ["Afmelden"]
    assert not at.dataframe and not at.metric
    at.run()
    refused = trail()
    refused = refused[refused["wie"] == "onbekend@elders.example"]
    assert len(refused) == 1 and refused.iloc[0]["rol"] == "onbekend"
    assert ISSUER in refused.iloc[0]["toelichting"]


def test_a_lezer_has_no_switch_and_a_crafted_one_changes_nothing():
    dataset = kampen_dataset()
    lezer = claims("lotte@regio.example")
    at = signed_in(lezer, "pages/eigen_cijfers.py", publication_mode=False)
    assert not at.exception, at.exception
    assert not at.toggle and "altijd aan" in everything(at)
    assert "Publicatiemodus staat uit" not in everything(at)
    assert "Bestanden controleren en opslaan kan een invoerder of beheerder." in everything(at)
    assert not at.file_uploader
    at = signed_in(lezer, "pages/gemeenteprofiel.py", publication_mode=False)
    at.selectbox(key="gp_dataset").set_value(str(dataset)).run()
    at.selectbox(key="gp_area").set_value("GM0193").run()
    table = at.dataframe[0].value.set_index("kenmerk")
    assert table.loc["gesignaleerd", "Zwolle"] == "<5"
    assert not trail()["handeling"].eq("publicatiemodus uitgezet").any()


def test_an_invoerder_cannot_rename_or_delete_another_organisations_dataset():
    dataset = kampen_dataset()
    at = signed_in(claims("anna@zwolle.example"), "pages/eigen_cijfers.py")
    assert not at.exception, at.exception
    assert at.button(key=f"rename_{dataset}").disabled
    assert at.button(key=f"delete_{dataset}").disabled
    assert "hoort bij Gemeente Kampen" in everything(at)
    # Crafted clicks on the disabled buttons change nothing.
    crafted(at.text_input(key=f"name_{dataset}")).set_value("Van Zwolle")
    crafted(at.button(key=f"rename_{dataset}")).click().run()
    crafted(at.checkbox(key=f"sure_{dataset}")).check().run()
    crafted(at.button(key=f"delete_{dataset}")).click().run()
    assert not at.exception, at.exception
    assert [d.name for d in get_store().datasets.list()] == ["Kampen 2024"]
    # And the store refuses Anna, whoever asks it.
    anna = get_store().people.actor_for(ISSUER, "anna@zwolle.example")
    with pytest.raises(AccessDenied, match="hoort bij Gemeente Kampen"):
        get_store().datasets.rename(dataset, "Van Zwolle", actor=anna)
    with pytest.raises(AccessDenied):
        get_store().datasets.delete(dataset, actor=anna)
    assert [d.name for d in get_store().datasets.list()] == ["Kampen 2024"]
    refused = trail()
    refused = refused[refused["handeling"] == "toegang geweigerd"]
    assert list(refused["wie"]) == ["anna@zwolle.example"] * 2


def test_an_invoerder_keeps_its_own_checklist_and_not_a_neighbours():
    at = signed_in(claims("anna@zwolle.example"), "pages/gemeenteprofiel.py")
    at.selectbox(key="gp_fw").set_value("ccv_basisniveau").run()
    at.selectbox(key="gp_area").set_value("GM0166").run()  # Kampen
    open_checklist_editor(at)
    save = next(b for b in at.button if b.label == "Checklist opslaan")
    assert save.disabled and "U kunt deze checklist lezen, niet wijzigen" in everything(at)
    at.radio(key="gp_GM0166_ccv_basisniveau_0_basis_beleid_status").set_value("ja")
    crafted(next(b for b in at.button if b.label == "Checklist opslaan")).click().run()
    assert get_store().checklists.latest_version("GM0166", "ccv_basisniveau") == 0
    anna = get_store().people.actor_for(ISSUER, "anna@zwolle.example")
    answers = pd.DataFrame({"item_id": ["basis_beleid"], "status": ["ja"]})
    with pytest.raises(AccessDenied, match="checklist van Kampen niet wijzigen"):
        get_store().checklists.save(
            "GM0166", "Kampen", "ccv_basisniveau", answers, based_on=0, actor=anna
        )
    assert get_store().checklists.latest_version("GM0166", "ccv_basisniveau") == 0
    at.selectbox(key="gp_area").set_value("GM0193").run()  # Zwolle, her own
    assert not next(b for b in at.button if b.label == "Checklist opslaan").disabled
    assert not [t for t in at.text_input if t.label.startswith("Uw naam")]
    at.radio(key="gp_GM0193_ccv_basisniveau_0_basis_beleid_status").set_value("ja")
    next(b for b in at.button if b.label == "Checklist opslaan").click().run()
    saved = get_store().checklists.load("GM0193", "ccv_basisniveau")
    assert saved.version == 1 and saved.saved_by == "Anna de Vries"
    assert list(trail()["handeling"][:2]) == ["checklistversie opgeslagen", "toegang geweigerd"]


def test_an_invoerder_switched_off_sees_only_its_own_counts_unprotected():
    dataset = kampen_dataset()
    at = signed_in(claims("anna@zwolle.example"), "pages/eigen_cijfers.py")
    at.toggle(key="publication_mode").set_value(False).run()
    assert not at.exception, at.exception
    assert "Publicatiemodus staat uit voor de gemeenten van uw organisatie" in everything(at)
    own = at.dataframe[-1].value
    assert list(own["gemeente"]) == ["Zwolle"] and list(own["gesignaleerd"]) == [3]
    # Every other table is still protected: Kampen's 2 is nowhere.
    listing = pd.concat([d.value.astype(str) for d in at.dataframe[:-1]])
    assert "2" not in set(listing.get("gesignaleerd", pd.Series(dtype=str)))
    [entry] = trail()[lambda t: t["handeling"] == "publicatiemodus uitgezet"].to_dict("records")
    assert entry["wie"] == "anna@zwolle.example" and entry["wat"] == "eigen gemeenten"
    at = signed_in(claims("anna@zwolle.example"), "pages/gemeenteprofiel.py")
    at.toggle(key="publication_mode").set_value(False).run()
    at.selectbox(key="gp_dataset").set_value(str(dataset)).run()
    at.selectbox(key="gp_area").set_value("GM0193").run()
    assert at.dataframe[0].value.set_index("kenmerk").loc["gesignaleerd", "Zwolle"] == "<5"


def test_a_beheerder_manages_users_and_reads_the_log_others_cannot():
    at = signed_in(claims("hans@regio.example"), "pages/beheer.py")
    assert not at.exception, at.exception
    assert "Hans (beheerder, Gemeente Zwolle)" in everything(at)
    form = "admin_add_user"
    at.text_input[0].set_value("nieuw@zwolle.example")
    at.text_input[1].set_value("Nina")
    at.selectbox(key="admin_add_role").set_value("invoerder")
    next(b for b in at.button if b.label == "Toevoegen" and form in b.form_id).click().run()
    assert get_store().people.user("nieuw@zwolle.example").role == "invoerder"
    at.switch_page("pages/logboek.py").run()
    log = at.dataframe[0].value
    assert log.iloc[0]["handeling"] == "gebruiker toegevoegd"
    assert (
        log.iloc[0]["wie"] == "hans@regio.example" and log.iloc[0]["wat"] == "nieuw@zwolle.example"
    )
    for email in ("anna@zwolle.example", "lotte@regio.example"):
        # Not in their menu; the page opened directly (a deep link) shows the start page.
        at = AppTest.from_file(str(ROOT / "pages" / "beheer.py"), default_timeout=120)
        at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback"}
        at.user = claims(email)
        at.run()
        assert not at.exception, at.exception
        assert [t.value for t in at.title] == ["Landelijk beeld: de signaleringskloof"]
        assert not at.text_input and "nieuw@zwolle.example" not in everything(at)


def test_a_role_change_counts_from_the_next_run():
    at = signed_in(claims("lotte@regio.example"))
    assert not at.toggle
    get_store().people.change_user(OPERATOR, "lotte@regio.example", role="invoerder")
    at.run()
    assert at.toggle(key="publication_mode").value is True


def test_a_beheerder_registers_an_account_without_a_verified_address_by_issuer_and_subject():
    """As for Microsoft Entra ID, which reports no verified e-mail address: the beheerder copies
    issuer and subject from the user's 'Geen toegang' page into the form."""
    entra = {**claims("eva@entra.example"), "sub": "eva-oid-7f3a"}
    del entra["email_verified"]
    refused = signed_in(entra)
    assert "Geen toegang" in everything(refused) and "eva-oid-7f3a" in str(
        [c.value for c in refused.code]
    )
    at = signed_in(claims("hans@regio.example"), "pages/beheer.py")

    def add(email: str, issuer: str, subject: str) -> None:
        at.text_input[0].set_value(email)
        at.text_input[1].set_value("Eva")
        at.text_input[2].set_value(issuer)
        at.text_input[3].set_value(subject)
        next(b for b in at.button if b.label == "Toevoegen").click().run()

    add("eva@entra.example", ISSUER, "")  # half a binding is refused, in Dutch
    assert "Geef uitgever (issuer) en subject samen" in everything(at)
    with pytest.raises(StoreError):  # nothing stored
        get_store().people.user("eva@entra.example")
    add("eva@entra.example", ISSUER, "eva-oid-7f3a")
    assert get_store().people.user("eva@entra.example").bound
    welcome = signed_in(entra)
    assert not welcome.exception, welcome.exception
    assert "Geen toegang" not in everything(welcome)
    sidebar = [shown(c.value) for c in welcome.sidebar.caption]
    assert any(line.startswith("Aangemeld als Eva (lezer, Gemeente ") for line in sidebar)
