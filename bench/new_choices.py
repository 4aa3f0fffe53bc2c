"""Server time of a rerun when the choice is new: an area nobody in this process chose before.

bench/run.py and bench/interaction.py repeat the same few choices, so after the first round
every figure, table and file comes from a memo. A visitor who walks through municipalities
pays for what is built per choice: the highlighted figures, the table and its downloads, the
checklist panel. Here one AppTest session per page (view) picks ``--areas`` different
municipalities in turn, each for the first time in this process; the median rerun is divided by
the warm rerun of the one-chart page (bench/minimal_page.py), measured in the same run, before
and after the pages. Target (issue 13): every page within 5x, as for warm reruns.

    python bench/new_choices.py [--areas 15]
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

from bench.run import MINIMAL, boundary_folder, rerun_seconds, warm_app  # noqa: E402

APP_SCRIPT = ROOT / "app.py"
#: (name, page file, view (its value in the link) or None, the area select's widget key)
PAGES = [
    ("Vergelijken", "pages/vergelijken.py", None, "gebied"),
    ("Vergelijken, kaart", "pages/vergelijken.py", "kaart", "gebied"),
    ("Vergelijken, tabel", "pages/vergelijken.py", "tabel", "gebied"),
    ("Gemeenteprofiel", "pages/gemeenteprofiel.py", None, "gp_area"),
]
TARGET = 5


def new_area_seconds(page: str, view: str | None, key: str, areas: list[str]) -> list[float]:
    """Wall-clock seconds of each rerun that picks the next of ``areas`` (all new)."""
    at = warm_app(APP_SCRIPT, page, view)
    times = []
    for code in areas:
        start = time.perf_counter()
        at.selectbox(key=key).set_value(code).run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("LBS_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("LBS_BOUNDARIES_DIR", str(boundary_folder(Path(tempfile.mkdtemp()))))
    from loverboy_stats.demo import load_demo

    codes = sorted(load_demo()["gemeentecode"].astype(str).unique())
    step = max(1, len(codes) // (args.areas * len(PAGES) + 1))
    pool = iter(codes[1::step])  # each page its own areas: new to the process as well
    base_app = warm_app(MINIMAL, None)
    before, _ = rerun_seconds(base_app, 15)
    results = {}
    for name, page, view, key in PAGES:
        areas = [next(pool) for _ in range(args.areas)]
        results[name] = new_area_seconds(page, view, key, areas)
    after, _ = rerun_seconds(base_app, 15)
    base = statistics.median([before, after])
    print(
        f"Rerun after choosing an area for the first time, {args.areas} areas per page; "
        f"baseline warm one-chart page {base * 1000:.1f} ms (before {before * 1000:.1f}, "
        f"after {after * 1000:.1f})"
    )
    for name, times in results.items():
        median = statistics.median(times)
        print(
            f"  {name:22s} median {median * 1000:6.1f} ms ({min(times) * 1000:.0f}-"
            f"{max(times) * 1000:.0f})  ratio {median / base:5.2f} (target <= {TARGET})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
