"""A page's shareable link: select boxes that start from the URL, and a URL that always pins
every choice (see :mod:`loverboy_stats.views.links`)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import streamlit as st

from loverboy_stats.textsafe import escape_markdown
from loverboy_stats.views import links

#: The label of every page's row of view buttons (:meth:`PageLink.views`).
VIEW_LABEL = "Weergave"


class PageLink:
    """Create one per page run, before its select boxes; call :meth:`finish` after the last.

    A select box takes its first value from the link (its stable value, or for older links
    its label); later runs keep what the user chose. :meth:`finish` writes every choice to
    the URL, defaults included, so a copied link opens the same view even after another
    upload, and shows a notice for each value the link asked for that is not available.
    """

    def __init__(self, page: str) -> None:
        self.page = page
        self.raw = st.query_params.to_dict()  # before any widget runs
        self.choices: dict[str, Hashable] = {}
        self.notices: list[str] = []

    def select(
        self,
        label: str,
        options: Sequence[Hashable],
        parameter: str,
        labels: Mapping[Hashable, str],
        *,
        default: Hashable | None = None,
        key: str | None = None,
        **kwargs,
    ):
        """A select box bound to ``parameter`` of the link; returns the chosen option."""
        options = list(options)
        key = key or parameter
        default = options[0] if default is None else default
        value = st.selectbox(
            label,
            options,
            index=options.index(self._asked(key, parameter, options, labels, default)),
            format_func=lambda option: labels[option],
            key=key,
            **kwargs,
        )
        self.choices[parameter] = value
        return value

    def views(self, labels: Mapping[str, str], parameter: str, *, key: str | None = None) -> str:
        """A row of buttons "Weergave", one per view, bound to ``parameter`` of the link; one
        is always chosen. Returns the chosen option: the page draws only that view. Choosing
        another reruns the page, and :meth:`finish` pins it in the URL like a select box. Pages
        with the same parameter need their own ``key``: the session state is shared by every
        page.

        Buttons rather than tabs: only one view is drawn at a time anyway, and Streamlit's tab
        bar (a container with a block per tab) cost the browser ~20 ms of every rerun of
        Vergelijken, for a chart that was ~120 ms in all (docs/prestaties.md)."""
        options, key = list(labels), key or parameter
        asked = self._asked(key, parameter, options, labels, options[0])
        chosen = st.segmented_control(
            VIEW_LABEL,
            options,
            default=asked,
            required=True,
            format_func=lambda option: labels[option],
            key=key,
        )
        self.choices[parameter] = chosen
        return chosen

    def _asked(
        self,
        key: str,
        parameter: str,
        options: list,
        labels: Mapping[Hashable, str],
        default: Hashable,
    ) -> Hashable:
        """The option the link asks for (noting why when it is not available), or ``default``.
        Only a widget drawn for the first time reads the link; afterwards the URL is what this
        page wrote, and an option that disappeared (another dataset) is no news."""
        fresh = key not in st.session_state
        choice = links.resolve(self.raw if fresh else {}, parameter, options, labels, default)
        if choice.notice:
            self.notices.append(choice.notice)
        return choice.option

    def pin(self) -> None:
        """Write every choice so far to the URL. A select box in a fragment calls this after
        it, so a fragment's rerun (which does not reach :meth:`finish`) still updates the link."""
        pinned = links.link_parameters(self.choices)
        if st.query_params.to_dict() != pinned:
            st.query_params.from_dict(pinned)

    def finish(self, where=None) -> None:
        """Pin every choice in the URL and show the link's notices (until a choice changes),
        in ``where`` (a container made above, when a fragment's select comes after it)."""
        pinned = links.link_parameters(self.choices)
        remembered = f"_link_notices_{self.page}"
        if self.notices:
            st.session_state[remembered] = (pinned, self.notices)
        else:
            before = st.session_state.get(remembered)
            self.notices = before[1] if before and before[0] == pinned else []
        self.pin()
        for notice in self.notices:  # quotes the link: shown as text
            (where or st).warning(escape_markdown(notice), icon=":material/link_off:")
