"""Charts whose margins plotly had to widen, in the running app in headless Chromium.

Every chart asks for its margins (loverboy_stats.charts.style.finish) and keeps plotly's
automatic margins on, so a label that does not fit still gets room. But when plotly widens a
margin it lays the whole chart out a second time, and Streamlit already draws every changed
chart twice (see bench/interaction.py): a margin that is too small makes a redraw up to twice
as slow. This bench opens every chart of Vergelijken (each level, indicator and chart view),
Landelijk beeld and Gemeenteprofiel (both views) with the demo data, at desktop and phone width,
and compares the margins each chart asked for with those plotly used.

    python bench/margins.py [--phone]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import boundary_folder  # noqa: E402
from loverboy_stats.demo import load_demo  # noqa: E402
from loverboy_stats.views import compare  # noqa: E402
from loverboy_stats.views.indicators import INDICATORS  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    start_streamlit,
    stop,
    wait_until_ready,
)

#: Per chart on the page: the margins asked for and those plotly used (l, r, t, b).
MARGINS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const asked = gd.layout.margin || {}, used = gd._fullLayout._size;
  return {title: ((gd._fullLayout.title || {}).text || '').replace(/<br>/g, ' ').slice(0, 70),
          asked: ['l', 'r', 't', 'b'].map((side) => asked[side]),
          used: ['l', 'r', 't', 'b'].map((side) => Math.round(used[side]))};
})
"""
CHART_VIEWS = [view for view, (part, _) in compare.VIEWS.items() if part != "table"]


def paths() -> list[tuple[str, int]]:
    """(URL path, charts on it) for every chart the demo data has."""
    _, levels, _ = compare.selection_options(load_demo())
    found = [("", 3), ("gemeenteprofiel?weergave=doorstroom", 1)]
    found.append(("gemeenteprofiel?weergave=jaren", 1))
    for level in levels:
        for indicator in INDICATORS:
            for view in CHART_VIEWS:
                if view == "kaart" and level != "gemeente":
                    continue  # the map has no axes; one level shows it
                found.append(
                    (f"vergelijken?niveau={level}&indicator={indicator}&weergave={view}", 1)
                )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phone", action="store_true", help="390 px wide instead of 1440")
    args = parser.parse_args()
    if chromium_path() is None:
        print("no Chromium: skipped")
        return 0
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("LBS_BOUNDARIES_DIR", str(boundary_folder(Path(tempfile.mkdtemp()))))
    viewport = {"width": 390, "height": 844} if args.phone else {"width": 1440, "height": 900}
    charts = widened = 0
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        process, url = start_streamlit(ROOT / "app.py", Path(tmp))
        try:
            page = browser.new_page(viewport=viewport)
            for path, count in paths():
                page.goto(f"{url}/{path}")
                wait_until_ready(page, charts=count, timeout=120_000)
                for chart in page.evaluate(MARGINS):
                    charts += 1
                    grown = [
                        f"{side} {asked} -> {used}"
                        for side, asked, used in zip(
                            "lrtb", chart["asked"], chart["used"], strict=True
                        )
                        if asked is not None and used > asked
                    ]
                    if grown:
                        widened += 1
                        print(f"  widened: /{path} '{chart['title']}': {', '.join(grown)}")
        finally:
            stop(process)
        browser.close()
    print(
        f"{viewport['width']} px wide: plotly widened a margin of {widened} of {charts} charts "
        "(each of those is laid out twice on every draw)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
