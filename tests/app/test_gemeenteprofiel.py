"""AppTest of the 'Gemeenteprofiel' page: figures, checklist panel, saving and conflicts."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from loverboy_stats import checklist, demo
from loverboy_stats.frameworks import get_framework
from loverboy_stats.store import CONFLICT_MESSAGE, get_store
from loverboy_stats.views import compare, profile
from tests.app.conftest import open_app, open_checklist_editor, show_view, shown
from tests.fixtures.actors import OPERATOR

PAGE = "pages/gemeenteprofiel.py"


def open_profile() -> AppTest:
    return open_app(PAGE)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [shown(c.value) for c in at.caption]
    parts += [str(m.value) + str(m.label) for m in at.metric]
    parts += [h.value for h in [*at.header, *at.subheader]] + [w.value for w in at.warning]
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_shows_the_default_municipality_with_dutch_figures():
    at = open_profile()
    assert not at.exception, at.exception
    assert at.selectbox(key="gp_area").value == "GM0363"
    shown = texts(at)
    assert "Signaleringskloof Amsterdam, 2024" in shown
    assert demo.DEMO_LABEL in shown
    expected_row = profile.gap_profile(
        compare.build_tables(demo.load_demo()).sets, "GM0363", 2024, demo=True
    )
    verwacht = dict((lbl, val) for lbl, val, _ in expected_row.key_figures)["Verwacht per jaar"]
    assert metric(at, "Verwacht per jaar") == verwacht
    assert "." in verwacht or len(verwacht) <= 3  # Dutch thousands dot when ≥ 1.000
    table = at.dataframe[0].value.set_index("kenmerk")
    country = "Nederland (landelijke cijfers)"
    assert list(table.columns) == [
        "Amsterdam",
        "Amsterdam-Amstelland (jeugdregio)",
        "Alle gemeenten in de dataset",
        country,
    ]
    assert set(table.loc["cijfers"]) == {demo.DEMO_LABEL}
    # The country is the sourced national figure, not the sum of the dataset.
    assert table.loc["verwacht", country] == "1.363"
    assert table.loc["in behandeling", country] == "142"
    assert table.loc["verwacht", "Amsterdam"] == verwacht
    assert metric(at, "Voltooid") == "0,0 %"
    assert metric(at, "Nog onbekend") == "100,0 %"


def test_choosing_a_small_municipality_hides_small_counts():
    at = open_profile()
    at.selectbox(key="gp_area").set_value("GM0193").run()  # Zwolle
    assert not at.exception
    assert "Signaleringskloof Zwolle, 2024" in texts(at)
    assert at.dataframe[0].value.set_index("kenmerk").loc["gesignaleerd", "Zwolle"] == "<5"
    shown = [i.value.replace("\\", "") for i in at.info]  # as text: Markdown escapes removed
    notice = next(text for text in shown if "Publicatiemodus schermt" in text)
    assert "Bij Zwolle geldt dat voor: gesignaleerd" in notice
    assert "'<5' betekent 1 tot en met 4" in notice
    assert "publicatiemodus in de zijbalk uitzetten" in notice  # the local user may


def test_editing_a_status_and_saving_changes_the_completion():
    at = open_profile()
    at.selectbox(key="gp_fw").set_value("ccv_basisniveau").run()
    assert metric(at, "Voltooid") == "0,0 %"
    open_checklist_editor(at)
    base = "gp_GM0363_ccv_basisniveau_0_"
    at.radio(key=base + "basis_signalering_status").set_value("ja")
    at.radio(key=base + "basis_beleid_status").set_value("deels")
    at.radio(key=base + "basis_aanspreekpunt_status").set_value("n.v.t.")
    # An actiehouder is a name: formula and HTML characters are refused, in Dutch, and nothing
    # is saved (the refusal itself is shown as text, see tests/e2e/test_hostile_text.py).
    at.text_input(key=base + "basis_beleid_actiehouder").set_value("=team <b>beleid</b>")
    next(b for b in at.button if b.label == "Checklist opslaan").click().run()
    assert not at.exception, at.exception
    assert any("bevat tekens die niet zijn toegestaan" in shown(e.value) for e in at.error)
    assert get_store().checklists.latest_version("GM0363", "ccv_basisniveau") == 0
    at.text_input(key=base + "basis_beleid_actiehouder").set_value("Team beleid & jeugd")
    next(b for b in at.button if b.label == "Checklist opslaan").click().run()
    # (1 + 0.5) ÷ 2 applicable items
    assert metric(at, "Voltooid") == "75,0 %"
    assert any("opgeslagen als versie 1" in shown(s.value) for s in at.success)
    # The form stays open after a save, now on the saved version.
    assert at.radio(key="gp_GM0363_ccv_basisniveau_1_basis_signalering_status").value == "ja"
    stored = get_store().checklists.load("GM0363", "ccv_basisniveau")
    assert stored.version == 1
    answers = stored.answers.set_index("item_id")
    assert answers.loc["basis_beleid", "actiehouder"] == "Team beleid & jeugd"
    [actions] = [d.value for d in at.dataframe if "actiehouder" in d.value.columns]
    assert "Team beleid & jeugd" in set(actions["actiehouder"])


def test_the_checklist_form_is_closed_until_opened_and_then_shows_the_stored_answers():
    stored = pd.DataFrame(
        {"item_id": ["basis_beleid"], "status": ["deels"], "toelichting": ["Nota in de raad"]}
    )
    get_store().checklists.save(
        "GM0363", "Amsterdam", "ccv_basisniveau", stored, based_on=0, actor=OPERATOR
    )
    at = open_profile()
    at.selectbox(key="gp_fw").set_value("ccv_basisniveau").run()
    # Closed: the completion panel and the history are there, the form's widgets are not.
    assert metric(at, "Voltooid") == "16,7 %"  # 0.5 of 3 items
    assert at.toggle(key="gp_editor_open").value is False
    assert not [r for r in at.radio if r.label == "Status"]
    assert not [t for t in at.text_input if t.label == "Toelichting"]
    assert not [b for b in at.button if b.label == "Checklist opslaan"]
    open_checklist_editor(at)
    base = "gp_GM0363_ccv_basisniveau_1_"
    assert at.radio(key=base + "basis_beleid_status").value == "deels"
    assert at.text_input(key=base + "basis_beleid_toelichting").value == "Nota in de raad"
    assert at.radio(key=base + "basis_signalering_status").value == "onbekend"
    assert len([r for r in at.radio if r.label == "Status"]) == 3


def test_each_area_shows_its_own_completion_when_walking_through_areas():
    # Areas without a stored checklist share one computation of the panel (all "onbekend");
    # an area with one must never show another's figures, in either order.
    for code, name, status in [("GM0599", "Rotterdam", "ja"), ("GM0344", "Utrecht", "deels")]:
        stored = pd.DataFrame({"item_id": ["basis_beleid"], "status": [status]})
        get_store().checklists.save(
            code, name, "ccv_basisniveau", stored, based_on=0, actor=OPERATOR
        )
    at = open_profile()
    at.selectbox(key="gp_fw").set_value("ccv_basisniveau").run()
    seen = []
    for code in ["GM0363", "GM0599", "GM0193", "GM0599", "GM0344", "GM0363"]:
        at.selectbox(key="gp_area").set_value(code).run()
        assert not at.exception, at.exception
        seen.append(metric(at, "Voltooid"))
    assert seen == ["0,0 %", "33,3 %", "0,0 %", "33,3 %", "16,7 %", "0,0 %"]


def refused_save() -> AppTest:
    """A session edits version 0 and saves after someone else saved version 1."""
    at = open_profile()
    at.selectbox(key="gp_fw").set_value("ccv_basisniveau").run()
    # Someone else saves version 1 while this session still edits version 0.
    other = pd.DataFrame({"item_id": ["basis_beleid"], "status": ["nee"]})
    get_store().checklists.save(
        "GM0363", "Amsterdam", "ccv_basisniveau", other, based_on=0, actor=OPERATOR
    )
    open_checklist_editor(at)
    at.radio(key="gp_GM0363_ccv_basisniveau_0_basis_signalering_status").set_value("ja")
    next(b for b in at.button if b.label == "Checklist opslaan").click().run()
    return at


def test_a_save_after_someone_else_saved_is_refused():
    at = refused_save()
    assert any(CONFLICT_MESSAGE in shown(e.value) for e in at.error)
    assert get_store().checklists.latest_version("GM0363", "ccv_basisniveau") == 1
    next(b for b in at.button if b.label == "Opnieuw laden").click().run()
    assert "versie 1" in texts(at)


def test_after_a_refusal_the_unsaved_answers_can_be_put_over_the_newer_version():
    at = refused_save()
    kept = next(shown(w.value) for w in at.warning if "niet opgeslagen" in shown(w.value))
    assert "status 'onbekend' → 'ja'" in kept  # the user's edit, against version 1
    next(b for b in at.button if "nieuwste versie zetten" in b.label).click().run()
    mine = at.radio(key="gp_GM0363_ccv_basisniveau_1_basis_signalering_status")
    assert mine.value == "ja"  # the user's answer, now on top of version 1
    next(b for b in at.button if b.label == "Checklist opslaan").click().run()
    assert not at.exception
    saved = get_store().checklists.load("GM0363", "ccv_basisniveau").answers.set_index("item_id")
    assert saved.loc["basis_signalering", "status"] == "ja"
    assert saved.loc["basis_beleid", "status"] == "nee"  # the other person's answer stays
    assert not [w for w in at.warning if "niet opgeslagen" in shown(w.value)]


def test_restore_an_earlier_version():
    store = get_store().checklists
    yes = pd.DataFrame({"item_id": ["basis_beleid"], "status": ["ja"]})
    store.save("GM0363", "Amsterdam", "ccv_basisniveau", yes, based_on=0, actor=OPERATOR)
    store.save(
        "GM0363",
        "Amsterdam",
        "ccv_basisniveau",
        yes.assign(status="nee"),
        based_on=1,
        actor=OPERATOR,
    )
    at = open_profile()
    at.selectbox(key="gp_fw").set_value("ccv_basisniveau").run()
    assert metric(at, "Voltooid") == "0,0 %"
    assert not [d for d in at.dataframe if "versie" in d.value.columns]  # the history is closed
    assert all(s.key != "gp_restore_version" for s in at.selectbox)
    at.session_state["gp_history"] = True  # as a click on it would
    at.run()
    at.selectbox(key="gp_restore_version").set_value(1)
    next(b for b in at.button if b.label == "Deze versie herstellen").click().run()
    assert not at.exception
    # Version 1: basis_beleid "ja", the other two "onbekend" -> 1 ÷ 3.
    done = checklist.completion(get_framework("ccv_basisniveau"), yes)
    assert done.overall == 1 / 3
    assert metric(at, "Voltooid") == "33,3 %"
    assert store.load("GM0363", "ccv_basisniveau").restored_from == 1


def test_vergelijken_shows_the_checklist_section_once_two_areas_filled_it_in():
    store = get_store().checklists
    yes = pd.DataFrame({"item_id": ["basis_beleid"], "status": ["ja"]})
    store.save("GM0363", "Amsterdam", "ccv_basisniveau", yes, based_on=0, actor=OPERATOR)
    at = open_app("pages/vergelijken.py")
    assert not at.exception, at.exception
    assert "Checklist en signaleringskloof" not in [s.value for s in at.header]
    store.save(
        "GM0599",
        "Rotterdam",
        "ccv_basisniveau",
        yes.assign(status="nee"),
        based_on=0,
        actor=OPERATOR,
    )
    at.run()
    assert not at.exception, at.exception
    assert "Checklist en signaleringskloof" in [s.value for s in at.header]


def _chart(at: AppTest) -> str:
    """The one gap chart drawn: its tab's, never both (another area redraws one chart)."""
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert len(specs) == 1, len(specs)
    return specs[0]


def test_another_year_redraws_the_funnel_keeps_the_trend_and_is_in_the_link():
    # The year and the views are in a fragment: they must still change the figures and the
    # link, and the trend (all years) must stay byte for byte the same, so the browser does not
    # redraw it.
    at = open_profile()
    funnel = _chart(at)
    assert "Van verwacht tot in behandeling" in funnel
    show_view(at, "Door de jaren", key="gp_view")
    trend = _chart(at)
    assert "Signaleringsratio door de jaren" in trend
    assert at.query_params["weergave"] in (["jaren"], "jaren")
    at.selectbox(key="gp_year").select(2023).run()
    assert not at.exception, at.exception
    assert _chart(at) == trend
    show_view(at, "Van signaal naar behandeling", key="gp_view")
    funnel_2023 = _chart(at)
    assert "2023" in funnel_2023 and funnel_2023 != funnel
    assert at.query_params["jaar"] in (["2023"], "2023")  # AppTest keeps lists
    assert at.query_params["weergave"] in (["doorstroom"], "doorstroom")
    assert "Signaleringskloof Amsterdam, 2023" in texts(at)
    assert {b.label for b in at.get("download_button")} >= {
        "Gegevens van deze grafiek downloaden (CSV)"
    }
