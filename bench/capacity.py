"""Capacity: N browser sessions at once against one loopback server, on a stored dataset.

The server gets a store holding the demo's 342 municipalities x 5 years as a *stored* dataset
(what a municipality that saved its figures has), with its protection patterns persisted as
saving on Eigen cijfers does. Then:

1. **first visitor**: one session opens Vergelijken alone (the process builds the dataset's
   publication-mode tables and figures: the cold cost);
2. **N visitors at once**: N headless Chromium sessions open Vergelijken together (every other
   one on a link to the map view, the heaviest; the others on the first view) and each
   changes ``--interactions`` selects (year, indicator, highlighted area, level in turn).

Printed: sessions served, first render and interaction latency (median, p95), errors or
exceptions shown in any session, and the server's CPU seconds (from /proc, user + system) per
session. Target (issue 13): all served, no error, <= 1 CPU-second per new session on a stored
dataset. Interaction latency is measured as in bench/interaction.py.

    python bench/capacity.py [--sessions 20] [--interactions 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.interaction import DONE, ELAPSED, INSTRUMENT, QUIET_MS, p95  # noqa: E402
from bench.run import boundary_folder  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    DRAWN,
    chromium_path,
    start_streamlit,
    stop,
)

APP_SCRIPT = ROOT / "app.py"
#: Vergelijken draws the chart of one view (tab) at a time; visitors alternate between these.
CHARTS = 1
VIEWS = ["rangorde", "kaart"]
LABELS = ["Jaar", "Indicator", "Gebied om te markeren", "Regioniveau"]
TIMEOUT_MS = 300_000
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: A map counts once its areas are drawn (tests.e2e.conftest.DRAWN).
CHARTS_DRAWN = (
    f"n => Array.from(document.querySelectorAll('.js-plotly-plot')).filter({DRAWN}).length >= n"
)


def store_demo(data_dir: Path) -> None:
    """The demo as a stored dataset, its patterns persisted (as saving an upload does)."""
    os.environ["LBS_DATA_DIR"] = str(data_dir)
    from loverboy_stats.access.actor import LOCAL_USER
    from loverboy_stats.demo import demo_patterns, load_demo
    from loverboy_stats.store import get_store
    from loverboy_stats.views.compare import build_tables

    store = get_store()
    rows = load_demo()
    content = rows.to_csv(index=False, sep=";").encode()
    info = store.datasets.save(
        "Alle gemeenten (opgeslagen)", "demo.csv", content, rows, actor=LOCAL_USER
    )

    class Persist:
        def pattern(self, local_year, k):
            pattern = demo_patterns().pattern(local_year, k)
            store.protections.put(pattern)
            return pattern

    build_tables(store.datasets.load(info.id), demo=False, patterns=Persist())


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def change(page, label: str) -> float:
    box = page.get_by_role("combobox", name=label)
    current = await box.input_value()
    await box.click()
    options = page.get_by_role("option")
    await options.first.wait_for(timeout=TIMEOUT_MS)
    texts = await options.all_inner_texts()
    target = next(text for text in texts if text.strip() and text != current)
    await page.evaluate("() => { window.__lbs.armed = true; window.__lbs.t0 = null; }")
    await page.get_by_role("option", name=target, exact=True).first.click()
    await page.mouse.move(1, 1)
    await page.wait_for_function(DONE, arg=QUIET_MS, timeout=TIMEOUT_MS, polling=100)
    return float(await page.evaluate(ELAPSED))


async def session(browser, url: str, interactions: int, view: str = VIEWS[0]) -> dict:
    result: dict = {"first": None, "latencies": [], "errors": [], "view": view}
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(INSTRUMENT)
    page = await context.new_page()
    page.on("pageerror", lambda error: result["errors"].append(f"pageerror: {error}"))
    try:
        started = time.perf_counter()
        await page.goto(f"{url}/vergelijken?weergave={view}", timeout=TIMEOUT_MS)
        await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
        await page.wait_for_function(CHARTS_DRAWN, arg=CHARTS, timeout=TIMEOUT_MS)
        result["first"] = time.perf_counter() - started
        for i in range(interactions):
            result["latencies"].append(await change(page, LABELS[i % len(LABELS)]))
        shown = await page.locator("[data-testid='stException']").count()
        if shown:
            result["errors"].append(f"{shown} exception(s) shown")
    except Exception as problem:  # a session that gave up is reported, not fatal
        result["errors"].append(f"{type(problem).__name__}: {str(problem)[:120]}")
    finally:
        await context.close()
    return result


async def visitors(url: str, count: int, interactions: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            return await asyncio.gather(
                *(session(browser, url, interactions, VIEWS[i % len(VIEWS)]) for i in range(count))
            )
        finally:
            await browser.close()


def report(name: str, results: list[dict], cpu: float) -> None:
    served = [r for r in results if r["first"] is not None and not r["errors"]]
    firsts = [r["first"] for r in results if r["first"] is not None]
    latencies = [ms for r in results for ms in r["latencies"]]
    print(f"{name}: {len(served)}/{len(results)} served without error")
    for view in sorted({r["view"] for r in results}):
        of_view = [r for r in results if r["view"] == view]
        print(f"  view {view}: {sum(r in served for r in of_view)}/{len(of_view)} served")
    if firsts:
        print(
            f"  first render  median {statistics.median(firsts):6.1f} s   "
            f"p95 {p95(firsts):6.1f} s   max {max(firsts):6.1f} s"
        )
    if latencies:
        print(
            f"  interaction   median {statistics.median(latencies):6.0f} ms  "
            f"p95 {p95(latencies):6.0f} ms  ({len(latencies)} interactions)"
        )
    print(f"  server CPU    {cpu:6.1f} s in all, {cpu / len(results):5.2f} s per session")
    for problem in sorted({e for r in results for e in r["errors"]})[:5]:
        print(f"  ! {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--interactions", type=int, default=10)
    args = parser.parse_args()
    if chromium_path() is None:
        print("no Chromium: skipped")
        return 0
    folder = boundary_folder(Path(tempfile.mkdtemp()))
    os.environ.setdefault("LBS_BOUNDARIES_DIR", str(folder))
    with tempfile.TemporaryDirectory() as tmp:
        store_demo(Path(tmp))
        process, url = start_streamlit(APP_SCRIPT, Path(tmp))
        try:
            before = cpu_seconds(process.pid)
            first = asyncio.run(visitors(url, 1, args.interactions))
            middle = cpu_seconds(process.pid)
            report("First visitor (cold process)", first, middle - before)
            many = asyncio.run(visitors(url, args.sessions, args.interactions))
            report(f"{args.sessions} visitors at once", many, cpu_seconds(process.pid) - middle)
            print(f"  server peak memory (VmHWM) {peak_memory_mb(process.pid):.0f} MB")
        finally:
            stop(process)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
