"""Shareable links: every choice that decides what a page shows, pinned in the URL by a stable
value, and a Dutch notice for each value a link asks for that is not available here.

A link written by the app holds option values that do not change when a dataset is renamed or
another one is uploaded: the dataset's number in the store, the year, the level, indicator and
population ids and the area's CBS code (``?dataset=12&jaar=2024&niveau=jeugdregio&...``).
Links from earlier versions held the labels shown in the select boxes ("Jeugdregio",
"Twente"); those still open the same view. A stored dataset is only ever found by its number:
a name can be reused for other figures.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from loverboy_stats.textsafe import shorten

#: The Dutch name of each link parameter, for notices.
PARAMETERS: dict[str, str] = {
    "dataset": "dataset",
    "jaar": "jaar",
    "niveau": "regioniveau",
    "indicator": "indicator",
    "populatie": "referentiepopulatie",
    "gebied": "gebied",
    "checklist": "checklist",
    "weergave": "weergave",
}
#: Parameters matched by their stored value only (a label can be reused).
BY_VALUE_ONLY = frozenset({"dataset"})


@dataclass(frozen=True)
class Choice:
    """What a link parameter resolves to: the option to show and, when the link asked for
    something else, why not (Dutch, the link's value quoted as plain text)."""

    option: Hashable
    notice: str = ""


def link_value(raw: Mapping[str, str | Sequence[str]], parameter: str) -> str | None:
    """The value of ``parameter`` in a query string as read (the last one when repeated)."""
    if parameter not in raw:
        return None
    value = raw[parameter]
    if isinstance(value, str):
        return value
    return str(value[-1]) if len(value) else ""


def resolve(
    raw: Mapping[str, str | Sequence[str]],
    parameter: str,
    options: Sequence[Hashable],
    labels: Mapping[Hashable, str],
    default: Hashable,
) -> Choice:
    """The option a link asks for: matched on the option's value (what the app writes), then,
    except for :data:`BY_VALUE_ONLY`, on its label (older links). Absent: ``default``
    without notice. Not available: ``default`` with a notice."""
    value = link_value(raw, parameter)
    if value is None:
        return Choice(default)
    for option in options:
        if str(option) == value:
            return Choice(option)
    if parameter not in BY_VALUE_ONLY:
        for option in options:
            if labels.get(option) == value:
                return Choice(option)
    return Choice(default, _notice(parameter, value, labels.get(default, str(default))))


def _notice(parameter: str, value: str, shown: str) -> str:
    quoted = shorten(value, 60)
    if parameter == "dataset":
        return (
            f"De link wijst naar dataset nummer '{quoted}', maar die bestaat hier niet (meer) "
            f"of u mag hem niet zien. U ziet nu '{shorten(shown, 60)}'; vraag wie de link "
            "deelde om een nieuwe."
        )
    name = PARAMETERS.get(parameter, parameter)
    return (
        f"In de link staat voor {name} '{quoted}'; die keuze is er hier niet, dus ziet u "
        f"'{shorten(shown, 60)}'."
    )


def link_parameters(choices: Mapping[str, Hashable]) -> dict[str, str]:
    """The query string that pins ``choices`` (parameter -> option), in a fixed order."""
    return {parameter: str(option) for parameter, option in choices.items()}
