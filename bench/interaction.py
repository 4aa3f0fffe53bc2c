"""Interaction latency in headless Chromium, against a one-select one-chart page in the same run.

What a user waits for after changing a control: from the click on a select's option until the
server's rerun has finished and the last chart has redrawn. Measured inside the page (so
Playwright's own round trips do not count): a capturing click listener stamps the start, a
MutationObserver stamps every change of the app's script state and every DOM change inside (or
adding) a plotly chart; the end is the later of the last script-state change and the last chart
change, taken once the page has been quiet for ``QUIET_MS``. Every chart, the map too, is SVG,
so its last change is in the DOM and counted. (Before the map was SVG, MapLibre painted it on a
canvas without DOM changes and its last paint was not counted.)

Each interaction also counts plotly's own "drawn" events (``plotly_afterplot``): Streamlit
1.67 draws every changed chart twice, the one-chart page too (first at plotly's automatic
width, then again once it has measured the width; see docs/prestaties.md).

Each select is changed ``--repeat`` times (alternating between two options); medians and 95th
percentiles are divided by those of the baseline (bench/minimal_select_page.py). Targets
(issue 13): median <= 1.5x, p95 <= 2x.

    python bench/interaction.py [--repeat 12]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import boundary_folder  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    start_streamlit,
    stop,
    wait_until_ready,
)

BASELINE = ROOT / "bench" / "minimal_select_page.py"
APP_SCRIPT = ROOT / "app.py"
QUIET_MS = 750
#: (URL path, charts drawn, select labels to change). Vergelijken shows one view at a
#: time: its default (Rangorde) and the map, the heaviest one to redraw.
COMPARE = ["Regioniveau", "Jaar", "Indicator", "Gebied om te markeren"]
PAGES = [
    ("vergelijken", 1, COMPARE),
    ("vergelijken?weergave=kaart", 1, COMPARE),
    ("gemeenteprofiel", 1, ["Gemeente of jeugdregio", "Jaar"]),
]

INSTRUMENT = """
(() => {
  const lbs = (window.__lbs = {armed: false, t0: null, lastPlot: 0, lastUrl: 0, states: []});
  lbs.changed = new Set();  // the chart elements that changed since the click
  // Every choice is written to the link at the end of its run: a sure sign the run came, also
  // when it flipped the script state within one render and changed no chart (another area on
  // the map view).
  // Until the last change of the script state or of a chart after the click; the link's
  // update only when neither changed (it comes a moment after the run, on every page).
  window.__lbsElapsed = () => {
    const after = lbs.states.filter(([t]) => t >= lbs.t0);
    const last = Math.max(lbs.lastPlot, after.length ? after[after.length - 1][0] : 0);
    return (last > lbs.t0 ? last : lbs.lastUrl) - lbs.t0;
  };
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function (...args) {
      lbs.lastUrl = performance.now();
      return original.apply(this, args);
    };
  }
  document.addEventListener('click', () => {
    if (lbs.armed) { lbs.t0 = performance.now(); lbs.armed = false; }
  }, true);
  const inPlot = (node) => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    return !!(element && element.closest('.js-plotly-plot'));
  };
  const plot = '.js-plotly-plot';
  const addsPlot = (record) => Array.from(record.addedNodes).some(
    (n) => n.nodeType === 1 && (n.matches(plot) || n.querySelector(plot)));
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      if (record.attributeName === 'data-test-script-state') {
        lbs.states.push([now, record.target.getAttribute('data-test-script-state')]);
      } else if (inPlot(record.target) || (record.type === 'childList' && addsPlot(record))) {
        lbs.lastPlot = now;
        const element = record.target.nodeType === 1 ? record.target : record.target.parentElement;
        const chart = element && element.closest('[data-testid="stPlotlyChart"]');
        if (chart && lbs.t0 !== null) lbs.changed.add(chart);
      }
    }
  });
  // Plotly's own "drawn" event, counted per interaction: plotly assigns gd.emit on the chart's
  // element, so a setter on the prototype sees every chart and wraps its emit.
  lbs.draws = 0;
  Object.defineProperty(HTMLElement.prototype, 'emit', {
    configurable: true,
    set(fn) { this.__lbsEmit = fn; },
    get() {
      const emit = this.__lbsEmit;
      return emit && ((name, data) => {
        if (name === 'plotly_afterplot' && lbs.t0 !== null) lbs.draws += 1;
        return emit.call(this, name, data);
      });
    },
  });
  const start = () => observer.observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();
"""

DONE = """
(quiet) => {
  const lbs = window.__lbs;
  if (lbs.t0 === null) return false;
  const after = lbs.states.filter(([t]) => t >= lbs.t0);
  const app = document.querySelector("[data-testid='stApp']");
  // A fast rerun may flip the script state within one render, so no change of it is seen:
  // then a chart that changed after the click shows that the rerun came.
  const seen = after.length || lbs.lastPlot > lbs.t0 || lbs.lastUrl > lbs.t0;
  if (!seen || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return performance.now() - (lbs.t0 + window.__lbsElapsed()) > quiet;
}
"""

ELAPSED = "() => window.__lbsElapsed()"


def change(page, label: str) -> float:
    """Choose another option of the select ``label``; milliseconds until all is redrawn (the
    number of charts that changed is kept in ``REDRAWN``)."""
    box = page.get_by_role("combobox", name=label)
    current = box.input_value()
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=30_000)
    texts = options.all_inner_texts()
    target = next(text for text in texts if text.strip() and text != current)
    page.evaluate(
        "() => { const l = window.__lbs; l.armed = true; l.t0 = null; l.changed.clear();"
        " l.draws = 0;"
        f" l.before = new Set(document.querySelectorAll({CHARTS!r})); }}"
    )
    page.get_by_role("option", name=target, exact=True).first.click()
    page.mouse.move(1, 1)  # no hover labels on a chart under the pointer
    page.wait_for_function(DONE, arg=QUIET_MS, timeout=60_000, polling=50)
    REDRAWN.append(int(page.evaluate(REDRAWN_NOW, CHARTS)))
    DRAWS.append(int(page.evaluate("window.__lbs.draws")))
    return float(page.evaluate(ELAPSED))


#: How many charts changed in each interaction (an unchanged spec is not redrawn).
REDRAWN: list[int] = []
#: How many times plotly drew a chart in each interaction (Streamlit 1.67 draws a changed chart
#: twice: first at plotly's automatic width, then again at the width it measured).
DRAWS: list[int] = []
CHARTS = "[data-testid='stPlotlyChart']"
#: The charts now on the page that are new (remounted) or changed inside since the click.
REDRAWN_NOW = """
(selector) => Array.from(document.querySelectorAll(selector))
  .filter((chart) => !window.__lbs.before.has(chart) || window.__lbs.changed.has(chart)).length
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(url: str, charts: int, labels: list[str], repeat: int, browser) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(INSTRUMENT)
    page = context.new_page()
    page.goto(url)
    wait_until_ready(page, charts=charts, timeout=180_000)
    results = {}
    for label in labels:
        change(page, label)  # warm: this option's tables and figures built once
        change(page, label)
        REDRAWN.clear()
        DRAWS.clear()
        results[label] = [change(page, label) for _ in range(repeat)]
        results[label, "redrawn"] = statistics.median(REDRAWN)
        results[label, "draws"] = statistics.median(DRAWS)
    context.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=12)
    parser.add_argument(
        "--pages", nargs="*", default=[], help="only the page paths starting with these"
    )
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.pages or p[0].startswith(tuple(args.pages))]
    if chromium_path() is None:
        print("no Chromium: skipped")
        return 0
    from playwright.sync_api import sync_playwright

    folder = boundary_folder(Path(tempfile.mkdtemp()))
    os.environ.setdefault("LBS_BOUNDARIES_DIR", str(folder))
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        process, url = start_streamlit(BASELINE, Path(tmp))
        try:
            baseline = measure(url, 1, ["Reeks"], args.repeat, browser)
            base, base_draws = baseline["Reeks"], baseline["Reeks", "draws"]
        finally:
            stop(process)
        base_median, base_p95 = statistics.median(base), p95(base)
        print(
            f"Select changed until every chart redrawn, {args.repeat} interactions each; "
            f"baseline one-chart page: median {base_median:.0f} ms, p95 {base_p95:.0f} ms, "
            f"{base_draws:.0f} plotly draws"
        )
        process, url = start_streamlit(APP_SCRIPT, Path(tmp))
        try:
            for path, charts, labels in pages:
                results = measure(f"{url}/{path}", charts, labels, args.repeat, browser)
                for label in labels:
                    times, redrawn = results[label], results[label, "redrawn"]
                    draws = results[label, "draws"]
                    median, high = statistics.median(times), p95(times)
                    print(
                        f"  {path:26s} {label:22s} {redrawn:3.0f}/{charts} charts redrawn "
                        f"({draws:.0f} plotly draws), "
                        f"median {median:6.0f} ms "
                        f"ratio {median / base_median:5.2f} (target <= 1.5)  "
                        f"p95 {high:6.0f} ms ratio {high / base_p95:5.2f} (target <= 2)"
                    )
        finally:
            stop(process)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
