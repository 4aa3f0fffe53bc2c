"""The national page through Streamlit's AppTest: runs, and shows Dutch-formatted figures."""

from tests.app.conftest import open_app, shown


def test_page_shows_key_figures_without_exception():
    at = open_app()
    assert not at.exception
    assert [m.value for m in at.metric] == ["1.363", "142", "10,4 %", "1.221"]
    assert len(at.get("plotly_chart")) == 3
    captions = " ".join(shown(c.value) for c in at.caption)
    assert captions.count("Bron:") >= 3
    assert "Methode en bronnen" in [h.value for h in at.header]


def test_publication_mode_is_on_by_default_and_warns_when_off():
    at = open_app()
    assert at.toggle(key="publication_mode").value is True
    assert not any("Publicatiemodus staat uit" in w.value for w in at.warning)
    at.toggle(key="publication_mode").set_value(False).run()
    assert any("Publicatiemodus staat uit" in w.value for w in at.warning)
