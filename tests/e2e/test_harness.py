"""The browser harness's own checks must be able to fail."""

from tests.e2e.conftest import is_third_party


def test_outside_hosts_are_recognised():
    assert is_third_party("https://cdn.plot.ly/plotly-topojson.json")
    assert is_third_party("https://tiles.openfreemap.org/styles/x.json")
    assert is_third_party("wss://example.org/socket")


def test_own_server_and_inline_data_are_local():
    assert not is_third_party("http://127.0.0.1:8501/_stcore/health")
    assert not is_third_party("ws://localhost:8501/_stcore/stream")
    assert not is_third_party("data:image/png;base64,AAAA")
    assert not is_third_party("blob:http://127.0.0.1:8501/abc")
