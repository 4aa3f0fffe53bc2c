"""Page speed against a baseline measured in the same run (these machines are noisy).

For each page: the warm rerun time in AppTest and the time from opening the page in headless
Chromium until every chart has drawn, each divided by the same measure of a minimal one-chart
page (bench/minimal_page.py). Prints medians and ratios, and the target where an issue set
one (the national page: rerun within 5x, browser within 2x). AppTest starts every run of the
app as a first request (Streamlit's pages-folder mode, routed by ui.shell.page_start), so its
rerun times include that small detour; a running server takes it only once per process.

    python bench/run.py [--repeat 15] [--rounds 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    start_streamlit,
    stop,
    wait_until_ready,
)

MINIMAL = ROOT / "bench" / "minimal_page.py"
APP_SCRIPT = ROOT / "app.py"
#: (name, page file, number of charts it draws, URL path, view: the tab of Vergelijken or None)
PAGES = [
    ("Landelijk beeld", "pages/landelijk_beeld.py", 3, "", None),
    # Demo data (342 municipalities x 5 years) at municipal level, one view (tab) at a time:
    # the first (Rangorde), the map (with boundary files) and the table.
    ("Vergelijken", "pages/vergelijken.py", 1, "vergelijken", None),
    ("Vergelijken, kaart", "pages/vergelijken.py", 1, "vergelijken?weergave=kaart", "Kaart"),
    ("Vergelijken, tabel", "pages/vergelijken.py", 0, "vergelijken?weergave=tabel", "Tabel"),
    ("Gemeenteprofiel", "pages/gemeenteprofiel.py", 1, "gemeenteprofiel", None),
    ("Eigen cijfers", "pages/eigen_cijfers.py", 0, "eigen_cijfers", None),
    ("Methode", "pages/methode.py", 0, "methode", None),
]
#: Targets (rerun ratio, browser ratio) set by issues: every page reruns within 5x the one-chart
#: page (issue 13); the national page draws within 2x. None: no target set.
TARGETS = {name: (5, 2 if name == "Landelijk beeld" else None) for name, *_ in PAGES}


def _target(page: str, which: int) -> str:
    target = TARGETS[page][which]
    return f"(target <= {target})" if target else "(no target set)"


SHARED_BOUNDARIES = ROOT.parent / "shared" / "data" / "reference"


def boundary_folder(tmp: Path) -> Path:
    """The CBS files when they are beside the project, else the project's own test files."""
    if (SHARED_BOUNDARIES / "gemeenten_2024.geojson").exists():
        return SHARED_BOUNDARIES
    from tests.fixtures.boundaries import write_boundaries

    return write_boundaries(tmp / "boundaries")


def map_figure_bytes(folder: Path) -> tuple[int, int, int]:
    """Bytes of the municipal map figure's JSON as sent to the browser on every rerun: with its
    geometry inside (a read-only install) and by address; and of the geometry file the browser
    fetches once in the second case."""
    from loverboy_stats import boundaries
    from loverboy_stats.charts.blocks import build_blocks
    from loverboy_stats.demo import load_demo
    from loverboy_stats.views import compare

    tables = compare.build_tables(load_demo())
    view = compare.build_view(tables, 2024, "gemeente", "signaleringsratio", None)
    inside = boundaries.load_boundaries("gemeente", folder)
    static = Path(tempfile.mkdtemp())
    address = boundaries.map_geometry("gemeente", folder, static)
    file_size = (static / "kaart" / address.rsplit("/", 1)[1]).stat().st_size
    sizes = [len(build_blocks(view, g)["map"].fig.to_json().encode()) for g in (inside, address)]
    return sizes[0], sizes[1], file_size


def warm_app(script: Path, page: str | None, view: str | None = None) -> AppTest:
    """An AppTest of ``script`` (switched to ``page``, its tab ``view`` chosen) whose caches
    are filled."""
    at = AppTest.from_file(str(script), default_timeout=120).run()
    if page:
        at.switch_page(page).run()
    if view:
        at.session_state["weergave"] = view
        at.run()
    assert not at.exception, at.exception
    at.run()
    return at


def rerun_seconds(at: AppTest, repeat: int) -> tuple[float, float]:
    """Medians of (wall-clock, CPU) seconds of ``repeat`` warm reruns. CPU is this process's
    (AppTest runs the script in a thread of it): on a busy, shared machine the clock also
    counts waiting for a core, the CPU time much less so."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def rerun_ratios(repeat: int, rounds: int) -> tuple[list[tuple[float, float]], dict]:
    """Per round: the baseline's medians, then each page's; a page's ratio is taken against
    the baseline of its own round, so a machine that slows down or speeds up during the run
    shifts both alike. Returns the baseline's medians per round and, per page, its (clock,
    CPU) ratios per round."""
    base_app = warm_app(MINIMAL, None)
    apps = {name: warm_app(APP_SCRIPT, page, view) for name, page, _, _, view in PAGES}
    bases, ratios = [], {page: [] for page in apps}
    for _ in range(rounds):
        base, base_cpu = rerun_seconds(base_app, repeat)
        bases.append((base, base_cpu))
        for page, at in apps.items():
            seconds, cpu = rerun_seconds(at, repeat)
            ratios[page].append((seconds / base, cpu / base_cpu))
    return bases, ratios


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f} ({min(values):.2f}-{max(values):.2f})"


def browser_seconds(url: str, charts: int, repeat: int) -> float:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for i in range(repeat + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            wait_until_ready(page, charts=charts, timeout=120_000)
            if i:  # the first load warms the server's caches
                times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=5, help="rerun rounds (AppTest part)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    folder = boundary_folder(Path(tempfile.mkdtemp()))
    os.environ.setdefault("LBS_BOUNDARIES_DIR", str(folder))
    inside, by_address, file_size = map_figure_bytes(folder)
    print(
        f"Map figure JSON, municipal level ({folder}): {inside / 1e6:.2f} MB with its geometry "
        f"(limit 1,5 MB); {by_address / 1e3:.0f} kB by address, file fetched once "
        f"{file_size / 1e6:.2f} MB"
    )

    bases, ratios = rerun_ratios(args.repeat, args.rounds)
    base = statistics.median(b for b, _ in bases)
    base_cpu = statistics.median(c for _, c in bases)
    print(
        f"AppTest warm rerun: {args.rounds} rounds of {args.repeat} reruns per page, each "
        f"page against the baseline of its round; baseline minimal page {base * 1000:.1f} ms "
        f"(CPU {base_cpu * 1000:.1f} ms). Ratio: median over the rounds (lowest-highest)"
    )
    for page, found in ratios.items():
        print(
            f"  {page:32s} clock {_spread([r for r, _ in found])}  "
            f"CPU {_spread([c for _, c in found])}  {_target(page, 0)}"
        )

    if args.no_browser or chromium_path() is None:
        print("browser: skipped (no Chromium or --no-browser)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_streamlit(MINIMAL, Path(tmp))
        try:
            base = browser_seconds(url, 1, args.repeat)
        finally:
            stop(process)
        print(
            f"Browser open until all charts drawn, median of {args.repeat}; "
            f"baseline {base * 1000:.0f} ms"
        )
        process, url = start_streamlit(APP_SCRIPT, Path(tmp))
        try:
            for name, _, charts, path, _ in PAGES:
                seconds = browser_seconds(f"{url}/{path}", charts, args.repeat)
                print(
                    f"  {name:32s} {seconds * 1000:8.0f} ms  ratio {seconds / base:5.2f}  "
                    f"{_target(name, 1)}"
                )
        finally:
            stop(process)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
