"""pytest plugin for bench/suite.py: one JSON line per test phase (worker, module, test, phase,
start, stop) appended to the file named by LBS_SUITE_TIMELINE. Loaded only by bench/suite.py
(``-p``)."""

from __future__ import annotations

import json
import os


def pytest_runtest_makereport(item, call) -> None:
    target = os.environ.get("LBS_SUITE_TIMELINE")
    if not target:
        return
    line = {
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "module": item.nodeid.split("::")[0],
        "test": item.nodeid,
        "phase": call.when,
        "start": call.start,
        "stop": call.stop,
    }
    with open(target, "a") as timeline:
        timeline.write(json.dumps(line) + "\n")
