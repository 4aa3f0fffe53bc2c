"""Boundary files: naming, simplification by hand, loading, and the offline download error."""

from __future__ import annotations

import json
import os
import urllib.error

import numpy as np
import pytest

from loverboy_stats import boundaries
from loverboy_stats.__main__ import main
from tests.fixtures.boundaries import shared_reference


def test_file_names_follow_the_cbs_2024_files(tmp_path):
    assert boundaries.boundary_path("gemeente", tmp_path) == tmp_path / "gemeenten_2024.geojson"
    assert boundaries.boundary_path("ggdregio", tmp_path).name == "ggdregio_2024.geojson"
    assert boundaries.boundary_path("regio", tmp_path) is None
    plan = dict((target.name, url) for url, target in boundaries.download_plan(tmp_path))
    # cartomap calls the municipal layer "gemeente"; it is saved under the CBS name.
    assert plan["gemeenten_2024.geojson"].endswith("/wgs84/gemeente_2024.geojson")
    assert plan["provincie_2024.geojson"].startswith("https://cartomap.github.io/nl/")
    assert len(plan) == 5


def test_configured_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("LBS_BOUNDARIES_DIR", str(tmp_path))
    assert boundaries.boundaries_dir() == tmp_path
    assert boundaries.available_levels() == []
    (tmp_path / "provincie_2024.geojson").write_text("{}")
    assert boundaries.available_levels() == ["provincie"]


def test_douglas_peucker_by_hand():
    # A straight line with one point 0.5 off: kept at tolerance 0.4, dropped at 0.6.
    line = np.array([[0, 0], [1, 0.0], [2, 0.5], [3, 0], [4, 0]], dtype=float)
    assert boundaries.douglas_peucker(line, 0.4).tolist() == [True, False, True, False, True]
    assert boundaries.douglas_peucker(line, 0.6).tolist() == [True, False, False, False, True]


def test_ring_is_rounded_simplified_and_closed():
    ring = [[0, 0], [0.5, 0.0001], [1, 0], [1, 1], [0, 1], [0, 0]]
    out = boundaries.simplify_ring(ring, tolerance=0.001, decimals=3)
    assert out == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    # A sliver smaller than the rounding vanishes.
    assert boundaries.simplify_ring([[0, 0], [0.0001, 0], [0, 0.0001], [0, 0]], 0.001, 3) is None


def test_a_feature_keeps_its_largest_polygon_even_when_tiny():
    tiny = {"type": "Polygon", "coordinates": [[[0, 0], [1e-4, 0], [0, 1e-4], [0, 0]]]}
    out = boundaries.simplify_geometry(tiny, 0.001, 3)
    assert out is not None and out["type"] == "Polygon"


def test_missing_file_gives_none_and_bad_file_a_dutch_error(tmp_path):
    assert boundaries.load_boundaries("gemeente", tmp_path) is None
    (tmp_path / "gemeenten_2024.geojson").write_text("geen json")
    with pytest.raises(boundaries.BoundaryError, match="kan niet worden gelezen"):
        boundaries.load_boundaries("gemeente", tmp_path)


def test_the_map_geometry_is_published_once_on_the_apps_own_server(tmp_path, boundary_dir):
    static = tmp_path / "static"
    address = boundaries.map_geometry("gemeente", boundary_dir, static)
    assert isinstance(address, str) and address.startswith("app/static/kaart/gemeente-")
    published = static / "kaart" / address.rsplit("/", 1)[1]
    # The simplified boundaries, and nothing else: a code and a name per area, no figures.
    geometry = json.loads(published.read_text(encoding="utf-8"))
    assert geometry == boundaries.load_boundaries("gemeente", boundary_dir)
    assert len(geometry["features"]) == 342
    assert {key for f in geometry["features"] for key in f["properties"]} == {
        "statcode",
        "statnaam",
    }
    # Asked again, the same address and file; no temporary files are left behind.
    written = published.stat().st_mtime_ns
    assert boundaries.map_geometry("gemeente", boundary_dir, static) == address
    assert published.stat().st_mtime_ns == written
    assert [p.name for p in (static / "kaart").iterdir()] == [published.name]
    # A file that was cleared away is written again.
    published.unlink()
    assert boundaries.map_geometry("gemeente", boundary_dir, static) == address
    assert published.is_file()
    # Another level, another file.
    other = boundaries.map_geometry("provincie", boundary_dir, static)
    assert other.startswith("app/static/kaart/provincie-") and other != address


def test_new_boundaries_get_a_new_address_so_no_browser_keeps_the_old_ones(tmp_path):
    folder, static = tmp_path / "grenzen", tmp_path / "static"
    square = [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]]
    path = folder / "provincie_2024.geojson"
    addresses = []
    folder.mkdir()
    for code in ("PV20", "PV21"):
        feature = {
            "type": "Feature",
            "properties": {"statcode": code, "statnaam": code},
            "geometry": {"type": "Polygon", "coordinates": square},
        }
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
        os.utime(path, ns=(len(addresses) + 1, len(addresses) + 1))  # a new version
        addresses.append(boundaries.map_geometry("provincie", folder, static))
    assert addresses[0] != addresses[1]
    newest = json.loads((static / "kaart" / addresses[1].rsplit("/", 1)[1]).read_text())
    assert newest["features"][0]["properties"]["statcode"] == "PV21"


def test_without_a_writable_static_folder_the_map_carries_its_geometry(tmp_path, boundary_dir):
    blocked = tmp_path / "static"
    blocked.write_text("a file where the folder should be")
    geometry = boundaries.map_geometry("gemeente", boundary_dir, blocked)
    assert geometry == boundaries.load_boundaries("gemeente", boundary_dir)
    assert boundaries.map_geometry("gemeente", tmp_path / "leeg") is None  # no boundary file


def test_a_replaced_file_is_read_again(tmp_path):
    path = tmp_path / "provincie_2024.geojson"
    square = [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]]

    def write(code: str) -> None:
        feature = {
            "type": "Feature",
            "properties": {"statcode": code, "statnaam": code},
            "geometry": {"type": "Polygon", "coordinates": square},
        }
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))

    write("PV20")
    assert boundaries.load_boundaries("provincie", tmp_path)["features"][0]["id"] == "PV20"
    write("PV21")
    import os

    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert boundaries.load_boundaries("provincie", tmp_path)["features"][0]["id"] == "PV21"


def test_offline_download_says_so_in_dutch_and_writes_nothing(tmp_path):
    def offline(url, timeout):
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(boundaries.BoundaryError, match="internet"):
        boundaries.download(tmp_path, opener=offline)
    assert list(tmp_path.iterdir()) == []


def test_command_reports_offline_with_exit_code_2(tmp_path, monkeypatch, capsys):
    def offline(url, timeout):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    assert main(["boundaries", "download", "--dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "konden niet worden opgehaald" in captured.err
    assert "gemeenten_2024.geojson" in captured.out


def test_real_files_load_small_with_all_areas():
    shared = shared_reference()  # skips without ../shared, fails under CI=true
    municipal = boundaries.load_boundaries("gemeente", shared)
    assert len(municipal["features"]) == 342
    assert all(f["properties"]["statcode"].startswith("GM") for f in municipal["features"])
    assert len(json.dumps(municipal)) < 600_000
    for level, count in (("provincie", 12), ("jeugdregio", 42), ("veiligheidsregio", 25)):
        assert len(boundaries.load_boundaries(level, shared)["features"]) == count
