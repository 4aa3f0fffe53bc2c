"""A crafted client: Chromium's websocket to the app, with a hand in the middle.

:class:`Crafter` routes a page's Streamlit websocket (``/_stcore/stream``) through Playwright
(``page.route_web_socket``): every message passes unchanged both ways, and the test can send the
server a message of its own. Such a message is what a modified browser could send: the page's
own latest ``rerun_script`` request (a ``BackMsg``, Streamlit's protocol buffer), with widget
values the test puts in, such as a click on a button the page drew disabled. The server's
answer reaches the page as any answer would, so the page shows what the server made of it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import wait_until_ready

STREAM = re.compile(r"/_stcore/stream$")
#: ForwardMsg.script_finished: a run that ended normally (not stopped for a rerun), of the
#: whole app or of a fragment (a choice on Vergelijken or Gemeenteprofiel reruns only its part).
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass(frozen=True)
class Widget:
    """A widget as the server described it to the browser."""

    id: str
    kind: str
    label: str
    disabled: bool


class Crafter:
    """Sits on ``page``'s Streamlit websocket; install before the page opens the app."""

    def __init__(self, page) -> None:
        self.page = page
        #: Binary frames the server sent (ForwardMsg), as tests/e2e/wire.py reads them.
        self.frames_received: list[bytes] = []
        self.runs_finished = 0
        self._rerun: BackMsg | None = None
        self._server = None
        page.route_web_socket(STREAM, self._route)

    def _route(self, page_side) -> None:
        server = page_side.connect_to_server()
        self._server = server

        def from_page(message) -> None:
            if isinstance(message, bytes):
                back = BackMsg.FromString(message)
                if back.WhichOneof("type") == "rerun_script":
                    self._rerun = back
            server.send(message)

        def from_server(message) -> None:
            if isinstance(message, bytes):
                self.frames_received.append(message)
                forward = ForwardMsg.FromString(message)
                if (
                    forward.WhichOneof("type") == "script_finished"
                    and forward.script_finished in FINISHED
                ):
                    self.runs_finished += 1
            page_side.send(message)

        page_side.on_message(from_page)
        server.on_message(from_server)

    def after_run(self, action, timeout: float = 120) -> None:
        """Do ``action`` (a click that makes the page ask for a run), then wait until the
        server finished that run and the page drew it: only then are all its widgets known."""
        before = self.runs_finished
        action()
        self._wait_past(before, timeout)

    def _wait_past(self, before: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.runs_finished <= before:
            assert time.monotonic() < deadline, "the server did not finish the run"
            self.page.wait_for_timeout(100)  # lets Playwright deliver the server's frames
        wait_until_ready(self.page)

    def widgets(self) -> list[Widget]:
        """Every widget the server drew for this page so far, latest description last."""
        found = []
        for frame in self.frames_received:
            forward = ForwardMsg.FromString(frame)
            if forward.WhichOneof("type") != "delta":
                continue
            if forward.delta.WhichOneof("type") != "new_element":
                continue
            element = forward.delta.new_element
            kind = element.WhichOneof("type")
            inner = getattr(element, kind) if kind else None
            if inner is not None and hasattr(inner, "id") and hasattr(inner, "label") and inner.id:
                found.append(Widget(inner.id, kind, inner.label, bool(inner.disabled)))
        return found

    def widget(self, *, key: str | None = None, label: str | None = None) -> Widget:
        """The latest widget with this ``key`` (the end of its id) or ``label``."""
        matching = [
            w
            for w in self.widgets()
            if (key is None or w.id.endswith(f"-{key}")) and (label is None or w.label == label)
        ]
        assert matching, f"no widget with key {key!r} and label {label!r} was drawn"
        return matching[-1]

    def send(self, values: dict[str, object], timeout: float = 120) -> None:
        """Ask the server for a run with the page's latest widget values and these: a widget
        id -> True for a click (``trigger_value``), a bool (``bool_value``, a checkbox or
        toggle) or a str (``string_value``). Then wait until that run (and any rerun it asks
        for) finished and the page drew it."""
        assert self._rerun is not None and self._server is not None, "the page sent no run yet"
        message = BackMsg()
        message.CopyFrom(self._rerun)
        states = message.rerun_script.widget_states
        kept = [s for s in states.widgets if s.id not in values]
        del states.widgets[:]
        states.widgets.extend(kept)
        for widget_id, value in values.items():
            state = states.widgets.add(id=widget_id)
            if isinstance(value, Trigger):
                state.trigger_value = True
            elif isinstance(value, bool):
                state.bool_value = value
            else:
                state.string_value = str(value)
        self.after_run(lambda: self._server.send(message.SerializeToString()), timeout)


class Trigger:
    """The value of a click on a button."""


CLICK = Trigger()
