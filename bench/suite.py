"""The test suite's own cost (issue 9: the README's test command within 4 minutes on 2 cores).

Runs ``python -m pytest`` (the README's test command, pytest's options from pyproject.toml) and
reads, once a second, the machine's busy CPU time from /proc/stat: a browser test spends most
of its CPU in Chromium and Streamlit processes that a process-tree timer (``/usr/bin/time``)
misses. A small pytest plugin (``bench/suite_timeline.py``) records when each test ran on which
xdist worker, so every second's CPU is shared among the test modules running in it.

Printed: where pytest's whole output and the per-test timeline were kept (pass e.g.
``--durations=50`` to see the slowest tests there), wall time, busy CPU-seconds, mean busy
cores, when each worker finished, and the modules that cost the most CPU. Run it on a machine
that does nothing else; runs on the same machine differ by up to ~10 % in CPU-seconds, so
compare runs made back to back.

    python bench/suite.py [pytest arguments ...]
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def busy_and_total() -> tuple[int, int]:
    """Busy and total jiffies of all cores (idle and iowait are not busy)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def sample(samples: list, stop: threading.Event) -> None:
    while not stop.is_set():
        samples.append((time.time(), *busy_and_total()))
        stop.wait(1.0)
    samples.append((time.time(), *busy_and_total()))


def costs_by(samples: list, tests: list[dict], key: str = "module") -> dict[str, float]:
    """CPU-seconds per test module (or per test, ``key="test"``): each second's busy CPU shared
    among what the workers were running in it."""
    hz = os.sysconf("SC_CLK_TCK")
    by_worker = defaultdict(list)
    for test in tests:
        by_worker[test["worker"]].append((test["start"], test["stop"], test.get(key, "?")))
    costs: dict[str, float] = defaultdict(float)
    for (t0, busy0, _), (t1, busy1, _) in itertools.pairwise(samples):
        running = []
        for spans in by_worker.values():
            overlap, module = max(
                ((min(stop, t1) - max(start, t0), name) for start, stop, name in spans),
                default=(0, None),
            )
            if overlap > 0:
                running.append(module)
        for module in running:
            costs[module] += (busy1 - busy0) / hz / len(running)
    return costs


def main() -> int:
    log = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    samples: list = []
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(samples, stop), daemon=True)
    env = {
        **os.environ,
        "LBS_SUITE_TIMELINE": str(log),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")])
        ),
    }
    sampler.start()
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "suite_timeline", "-q", *sys.argv[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wall = time.time() - started
    stop.set()
    sampler.join()
    print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(no output)")
    output = log.with_suffix(".out")
    output.write_text(result.stdout)
    tests = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    print(f"pytest's output: {output}; each test's span: {log}")
    hz = os.sysconf("SC_CLK_TCK")
    busy = (samples[-1][1] - samples[0][1]) / hz
    cores = (samples[-1][1] - samples[0][1]) / (samples[-1][2] - samples[0][2]) * os.cpu_count()
    print(
        f"wall {wall:.0f} s, busy CPU {busy:.0f} s, mean busy cores {cores:.2f} of {os.cpu_count()}"
    )
    if tests:
        first = min(t["start"] for t in tests)
        for worker in sorted({t["worker"] for t in tests}):
            end = max(t["stop"] for t in tests if t["worker"] == worker)
            print(f"  worker {worker} ran its last test until {end - first:.0f} s")
        for key, count in (("module", 20), ("test", 40)):
            costs = costs_by(samples, tests, key)
            print(f"CPU-seconds per test {key} (the {count} costliest; setup and teardown count):")
            for name, cost in sorted(costs.items(), key=lambda item: -item[1])[:count]:
                print(f"  {cost:7.1f}  {name}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
