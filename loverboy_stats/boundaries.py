"""CBS 2024 boundary files for the map: where they live, loading, simplification, download.

The files are not shipped (size and licence; see SOURCES.md in the reference data): they are
read from :attr:`loverboy_stats.settings.Settings.effective_boundaries_dir` (``LBS_BOUNDARIES_DIR``)
under the names of the CBS 2024 files, e.g. ``gemeenten_2024.geojson`` with the properties
``statcode`` (CBS code such as ``GM0363``) and ``statnaam``. ``python -m loverboy_stats
boundaries download`` fetches them from cartomap.github.io/nl (CBS gebiedsindelingen via PDOK).

Geometry is simplified once per file version (path + modification time) by rounding the
coordinates and the Douglas-Peucker algorithm, in numpy, so that the figure sent to the browser
stays small (the municipal map is well under 1.5 MB). At the zoom of a national map the error
(about 100 m) is invisible; the shared borders of neighbours are simplified independently, so
tiny slivers may appear when zooming in far.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from loverboy_stats.settings import PROJECT_ROOT, get_settings

#: Region level -> file name in the boundaries folder (the names of the CBS 2024 files).
LAYER_FILES: dict[str, str] = {
    "gemeente": "gemeenten_2024.geojson",
    "provincie": "provincie_2024.geojson",
    "jeugdregio": "jeugdregio_2024.geojson",
    "ggdregio": "ggdregio_2024.geojson",
    "veiligheidsregio": "veiligheidsregio_2024.geojson",
}
#: Public source of the files: cartomap/nl, generalised CBS boundaries from the PDOK WFS.
DOWNLOAD_BASE = "https://cartomap.github.io/nl/wgs84/"
#: Region level -> file name at :data:`DOWNLOAD_BASE` (cartomap calls the municipal layer
#: "gemeente"; the CBS file is "gemeenten").
SOURCE_FILES: dict[str, str] = {
    "gemeente": "gemeente_2024.geojson",
    "provincie": "provincie_2024.geojson",
    "jeugdregio": "jeugdregio_2024.geojson",
    "ggdregio": "ggdregio_2024.geojson",
    "veiligheidsregio": "veiligheidsregio_2024.geojson",
}
CODE_PROPERTY = "statcode"
NAME_PROPERTY = "statnaam"
#: Default simplification: coordinates rounded to 3 decimals (about 70-110 m in the
#: Netherlands), then Douglas-Peucker with this tolerance in degrees.
DEFAULT_DECIMALS = 3
DEFAULT_TOLERANCE = 0.0015
ATTRIBUTION = "Grenzen: CBS, gebiedsindelingen 2024 (via PDOK en cartomap)"


class BoundaryError(Exception):
    """A boundary file cannot be read or fetched. ``message`` is Dutch, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def boundaries_dir(directory: Path | str | None = None) -> Path:
    """``directory``, or the configured folder (``LBS_BOUNDARIES_DIR``, default
    ``LBS_DATA_DIR/boundaries``)."""
    return Path(directory) if directory is not None else get_settings().effective_boundaries_dir


def boundary_path(level: str, directory: Path | str | None = None) -> Path | None:
    """Where the file for ``level`` lives; None for a level without a boundary layer (``regio``)."""
    name = LAYER_FILES.get(level)
    return None if name is None else boundaries_dir(directory) / name


def available_levels(directory: Path | str | None = None) -> list[str]:
    """The levels whose boundary file exists in the folder."""
    return [level for level in LAYER_FILES if (boundary_path(level, directory)).is_file()]


def map_missing(level: str, directory: Path | str | None = None) -> str:
    """Why ``level`` has no map here (Markdown), or "" when its boundary file is in place."""
    if level not in LAYER_FILES:
        return "Voor een eigen regio-indeling is er geen kaart."
    return "" if boundary_path(level, directory).is_file() else how_to_get_text(directory)


def how_to_get_text(directory: Path | str | None = None) -> str:
    """Why there is no map, for the reader first, then what whoever runs the dashboard can do
    (Markdown)."""
    folder = boundaries_dir(directory)
    return (
        "De kaart is hier niet beschikbaar: de grenzen van gemeenten en regio's (CBS, 2024) "
        "zijn niet op deze installatie gezet. Alle andere grafieken en de tabel werken zonder "
        "kaart.\n\nVoor wie het dashboard beheert: zet de grensbestanden in de map "
        f"`{folder}`. Haal ze op met `python -m loverboy_stats boundaries download` (eenmalig, "
        "met "
        "internet), of zet bestaande bestanden (`gemeenten_2024.geojson`, "
        "`provincie_2024.geojson`, `jeugdregio_2024.geojson`, `ggdregio_2024.geojson`, "
        "`veiligheidsregio_2024.geojson`) in een map en wijs die aan met de omgevingsvariabele "
        "`LBS_BOUNDARIES_DIR`."
    )


# --------------------------------------------------------------------------------------------
# Simplification


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Boolean mask of the points of a polyline (n × 2, degrees) kept by Douglas-Peucker.

    A point is dropped when it lies within ``tolerance`` (degrees) of the segment between the
    kept points around it. The first and last points are always kept. For a closed ring (first
    point equal to the last) the distance to the degenerate segment is the distance to that
    point, so the ring keeps its farthest point and is split there.
    """
    n = len(points)
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        inner = points[first + 1 : last]
        start, end = points[first], points[last]
        seg = end - start
        length = float(np.hypot(seg[0], seg[1]))
        rel = inner - start
        if length == 0.0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / length
        index = int(np.argmax(dist))
        if dist[index] > tolerance:
            split = first + 1 + index
            keep[split] = True
            stack.append((first, split))
            stack.append((split, last))
    return keep


def simplify_ring(ring: Iterable, tolerance: float, decimals: int) -> list[list[float]] | None:
    """A closed ring rounded to ``decimals`` and simplified; None when fewer than 3 corners
    remain (the ring then vanishes at this scale)."""
    points = np.round(np.asarray(ring, dtype=float)[:, :2], decimals)
    if len(points) == 0:
        return None
    # Rounding makes neighbouring points equal; drop the repeats.
    distinct = np.ones(len(points), dtype=bool)
    distinct[1:] = np.any(points[1:] != points[:-1], axis=1)
    points = points[distinct]
    if not np.array_equal(points[0], points[-1]):
        points = np.vstack([points, points[:1]])
    if len(points) < 4:
        return None
    points = points[douglas_peucker(points, tolerance)]
    if len(points) < 4:
        return None
    return points.tolist()


def _simplify_polygon(polygon: list, tolerance: float, decimals: int) -> list | None:
    outer = simplify_ring(polygon[0], tolerance, decimals)
    if outer is None:
        return None
    holes = [simplify_ring(ring, tolerance, decimals) for ring in polygon[1:]]
    return [outer, *[hole for hole in holes if hole is not None]]


def simplify_geometry(geometry: dict, tolerance: float, decimals: int) -> dict | None:
    """A (Multi)Polygon simplified ring by ring; polygons too small for the scale are dropped,
    but a feature always keeps its largest polygon (rounded only), so no area disappears."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    kept = [p for p in (_simplify_polygon(p, tolerance, decimals) for p in polygons) if p]
    if not kept:
        largest = max(polygons, key=lambda p: len(p[0]))
        outer = np.round(np.asarray(largest[0], dtype=float)[:, :2], decimals).tolist()
        kept = [[outer]]
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


# --------------------------------------------------------------------------------------------
# Loading


def read_geojson(path: Path | str) -> dict:
    """Read a GeoJSON FeatureCollection; :class:`BoundaryError` with a Dutch message when the
    file is unreadable or lacks ``statcode`` properties."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"Grensbestand {path} kan niet worden gelezen: {exc}") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"Grensbestand {path} bevat geen gebieden (geen GeoJSON-features).")
    if any(CODE_PROPERTY not in (f.get("properties") or {}) for f in features):
        raise BoundaryError(f"Grensbestand {path}: niet elk gebied heeft de eigenschap statcode.")
    return data


@lru_cache(maxsize=16)
def _load_simplified(path: str, mtime_ns: int, tolerance: float, decimals: int) -> dict:
    # mtime_ns is part of the key only: a replaced file is read again.
    data = read_geojson(path)
    features = []
    for feature in data["features"]:
        geometry = simplify_geometry(feature.get("geometry") or {}, tolerance, decimals)
        if geometry is None:
            continue
        properties = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "id": str(properties[CODE_PROPERTY]),
                "properties": {
                    CODE_PROPERTY: str(properties[CODE_PROPERTY]),
                    NAME_PROPERTY: str(properties.get(NAME_PROPERTY, "")),
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def load_boundaries(
    level: str,
    directory: Path | str | None = None,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    decimals: int = DEFAULT_DECIMALS,
) -> dict | None:
    """The simplified GeoJSON FeatureCollection of ``level`` (lon/lat, WGS84), or None when the
    level has no layer or its file is missing.

    Each feature keeps only ``statcode`` and ``statnaam`` (also as ``id``). Loaded and simplified
    once per file version and process; a deep copy is returned so callers may change it.
    Raises :class:`BoundaryError` when the file exists but cannot be used.
    """
    path = boundary_path(level, directory)
    if path is None or not path.is_file():
        return None
    cached = _load_simplified(str(path.resolve()), path.stat().st_mtime_ns, tolerance, decimals)
    return copy.deepcopy(cached)


#: Streamlit serves ``static/`` beside app.py under ``app/static/`` (server.enableStaticServing
#: in .streamlit/config.toml). The map's geometry is written there once per file version, so a
#: map refers to it by address instead of carrying it in every rerun's message.
STATIC_DIR = PROJECT_ROOT / "static"
STATIC_URL = "app/static"


def map_geometry(
    level: str, directory: Path | str | None = None, static_dir: Path = STATIC_DIR
) -> str | dict | None:
    """What the map's traces take as ``geojson`` for ``level``: the address (relative to the
    page, so it also works under a proxy's path prefix) of the simplified file on the app's own
    server, or the FeatureCollection itself when it cannot be written there (a read-only
    install). None without a boundary file. The browser fetches the file once per page and
    keeps it, so a rerun sends a map of a few kB instead of its whole geometry."""
    path = boundary_path(level, directory)
    if path is None or not path.is_file():
        return None
    name, text = _serialised(str(path.resolve()), path.stat().st_mtime_ns, level)
    target = Path(static_dir) / "kaart" / name
    try:
        if not target.is_file():  # written once; checked each time in case it was cleared
            target.parent.mkdir(parents=True, exist_ok=True)
            # Several servers may publish at once: each renames its own file into place.
            temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
            temporary.write_bytes(text)
            os.replace(temporary, target)
    except OSError:
        return load_boundaries(level, directory)
    return f"{STATIC_URL}/kaart/{name}"


@lru_cache(maxsize=16)
def _serialised(path: str, mtime_ns: int, level: str) -> tuple[str, bytes]:
    """The simplified boundaries of ``path`` as JSON, and a file name made of the level and a
    hash of that content (so a copy a browser kept is never stale)."""
    data = _load_simplified(path, mtime_ns, DEFAULT_TOLERANCE, DEFAULT_DECIMALS)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return f"{level}-{hashlib.sha256(text).hexdigest()[:16]}.json", text


def subset(geojson: dict, codes: Iterable[str]) -> dict:
    """The features of ``geojson`` whose ``statcode`` is in ``codes`` (same order as the file)."""
    wanted = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"][CODE_PROPERTY] in wanted],
    }


# --------------------------------------------------------------------------------------------
# Download


def download_plan(directory: Path | str | None = None) -> list[tuple[str, Path]]:
    """(URL, target file) for every layer: cartomap's file names mapped to the CBS names."""
    folder = boundaries_dir(directory)
    return [
        (DOWNLOAD_BASE + SOURCE_FILES[level], folder / LAYER_FILES[level]) for level in LAYER_FILES
    ]


def _keep_code_and_name(data: dict, source: str) -> dict:
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"{source} bevat geen gebieden; er is niets opgeslagen.")
    out = []
    for feature in features:
        properties = feature.get("properties") or {}
        if CODE_PROPERTY not in properties:
            raise BoundaryError(f"{source}: een gebied mist statcode; er is niets opgeslagen.")
        out.append(
            {
                "type": "Feature",
                "properties": {
                    CODE_PROPERTY: properties[CODE_PROPERTY],
                    NAME_PROPERTY: properties.get(NAME_PROPERTY, ""),
                },
                "geometry": feature.get("geometry"),
            }
        )
    return {"type": "FeatureCollection", "features": out}


def download(
    directory: Path | str | None = None,
    *,
    opener: Callable | None = None,
    timeout: float = 30,
) -> list[Path]:
    """Fetch every layer of :func:`download_plan` and write it (only code and name kept).

    All files are fetched before any is written, so an interrupted download leaves the folder
    as it was. Raises :class:`BoundaryError` with a Dutch message when offline or refused.
    """
    opener = opener or urllib.request.urlopen  # looked up now, so tests can stand in for it
    fetched: list[tuple[Path, dict]] = []
    for url, target in download_plan(directory):
        try:
            with opener(url, timeout=timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BoundaryError(
                f"De grensbestanden konden niet worden opgehaald van {url} ({reason}). "
                "Is deze computer verbonden met internet? Zonder internet: kopieer de bestanden "
                "(zoals gemeenten_2024.geojson) van een andere computer naar de map en zet "
                "LBS_BOUNDARIES_DIR. Er is niets opgeslagen."
            ) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BoundaryError(f"{url} gaf geen geldige GeoJSON; er is niets opgeslagen.") from exc
        fetched.append((target, _keep_code_and_name(data, url)))
    written = []
    for target, data in fetched:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(target)
        written.append(target)
    return written
