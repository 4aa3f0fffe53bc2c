"""Text from users, files and links: shown as text, checked before it is stored.

Two rules, one module:

* **Shown as text.** Streamlit renders Markdown in ``st.caption``, ``st.info``, ``st.error``,
  ``st.success``, ``st.warning``, ``st.markdown`` and in widget labels, so a dataset name such
  as ``![x](http://host/x.png)`` would make every colleague's browser fetch an outside image,
  and ``[klik](http://host/)`` would show a real link. Every text that comes from a user, a
  file or a link goes through :func:`escape_markdown` before it reaches such an element: every
  ASCII punctuation character gets a backslash (CommonMark's escape, which the reader does not
  see), line breaks become spaces and an invisible word joiner breaks up web and mail
  addresses, so no link, image, autolink, heading, list, table, formula (``$``) or Streamlit
  directive (``:red[...]``, ``:material/...:``) can form.
* **Checked before stored.** Names that people type or upload (a dataset, an own region, "Uw
  naam", an actiehouder) may hold letters, digits, spaces and a few punctuation marks
  (:data:`NAME_PUNCTUATION`); free text (a toelichting) anything printable. Both have a length
  limit equal to their database column (``loverboy_stats/store/schema.py``; a test keeps them
  equal), so what SQLite accepts PostgreSQL accepts too. Problems are Dutch messages.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest name (dataset, own region, "Uw naam", actiehouder, area): ``String(200)`` columns.
NAME_MAX = 200
#: Longest stored file name: the ``datasets.filename`` column.
FILENAME_MAX = 500
#: Longest toelichting of a checklist item (a Text column: the limit is ours).
NOTE_MAX = 1_000
#: Punctuation allowed in names, besides letters, digits and the space.
NAME_PUNCTUATION = "-–'’‘.,()&/+_:#@"

#: The rule, as the refusal of a name states it.
NAME_RULE = "Gebruik letters, cijfers, spaties en " + " ".join(NAME_PUNCTUATION) + "."

_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_WHITESPACE = re.compile(r"\s+")
#: Where Streamlit's Markdown would still see a web or mail address after the escapes (it looks
#: for "http://", "www." and "name@host" in the text itself): a word joiner (U+2060, invisible)
#: goes in between, so the address shows as text and never becomes a link.
_ADDRESS_START = re.compile(r"(?i)(https?|ftp|www)(?=[:.])|(?=@)")
#: Letters, digits and spaces (any width: a no-break space copied from a web page is a space).
_LETTERS_DIGITS_SPACES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Nd", "Zs"}
#: Unicode categories never accepted in stored text: control and format characters (NUL,
#: escape codes, zero-width and bidirectional marks), surrogates, private use, unassigned.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


class TextError(ValueError):
    """A text that may not be stored; ``message`` is Dutch and fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def escape_markdown(text: object) -> str:
    """``text`` as Markdown that renders exactly as the text, on one line.

    Use it for every text from a user, a file or a link that goes into a Streamlit element
    that renders Markdown; the library's own fixed texts need it not.
    """
    flat = _WHITESPACE.sub(" ", str(text))
    flat = "".join("�" if unicodedata.category(c) in _INVISIBLE else c for c in flat)
    flat = _ADDRESS_START.sub(lambda found: (found.group(1) or "") + "\u2060", flat)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def shorten(text: object, limit: int = 80) -> str:
    """``text`` on one line and at most ``limit`` characters ("…" marks a cut), for echoing
    a value from a file or a link in a message."""
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _normalise(text: str) -> str:
    """Runs of any whitespace (tab, no-break space, line break) as one space, stripped."""
    return _WHITESPACE.sub(" ", text).strip()


def _shown(character: str) -> str:
    if unicodedata.category(character) in _INVISIBLE | {"Zs", "Zl", "Zp"}:
        return f"U+{ord(character):04X}"
    return f"'{character}'"


def _is_name_character(character: str) -> bool:
    return (
        character in NAME_PUNCTUATION or unicodedata.category(character) in _LETTERS_DIGITS_SPACES
    )


def _length_problem(text: str, label: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return f"{label} is {len(text):,} tekens lang; hoogstens {limit:,} tekens.".replace(",", ".")


def _characters_problem(text: str, label: str, allowed) -> str | None:
    bad = list(dict.fromkeys(c for c in text if not allowed(c)))
    if not bad:
        return None
    shown = ", ".join(_shown(c) for c in bad[:5]) + (" en meer" if len(bad) > 5 else "")
    if len(bad) == 1:
        return f"{label} bevat een teken dat niet is toegestaan: {shown}."
    return f"{label} bevat tekens die niet zijn toegestaan: {shown}."


def name_problem(text: str, label: str, limit: int = NAME_MAX) -> str | None:
    """The Dutch reason why ``text`` is no acceptable name (with the rule), or None."""
    length = _length_problem(text, label, limit)
    if length:
        return length
    characters = _characters_problem(text, label, _is_name_character)
    return f"{characters} {NAME_RULE}" if characters else None


def check_name(text: str | None, label: str, limit: int = NAME_MAX) -> str:
    """``text`` with its whitespace normalised, if it is an acceptable name (may be empty);
    else :class:`TextError` naming the problem and the rule. ``label`` starts the message
    ("De naam van de dataset")."""
    clean = _normalise(text or "")
    problem = name_problem(clean, label, limit)
    if problem:
        raise TextError(problem)
    return clean


def check_note(text: str | None, label: str, limit: int = NOTE_MAX) -> str:
    """``text`` with its whitespace normalised, if it is acceptable free text (any printable
    character; may be empty); else :class:`TextError`."""
    clean = _normalise(text or "")
    problem = _length_problem(clean, label, limit) or _characters_problem(
        clean, label, lambda c: unicodedata.category(c) not in _INVISIBLE
    )
    if problem:
        raise TextError(problem)
    return clean


def clean_name(text: str, limit: int = NAME_MAX) -> str:
    """A name suggestion made from ``text`` (a file name): characters a name may not hold
    become spaces, and it is cut to ``limit`` characters."""
    kept = "".join(c if _is_name_character(c) else " " for c in text)
    return _normalise(kept)[:limit].strip()


def clean_filename(text: str, limit: int = FILENAME_MAX) -> str:
    """A file name as it may be stored: invisible characters dropped, whitespace normalised,
    at most ``limit`` characters (the end, with the extension, is kept)."""
    kept = _normalise("".join(c for c in text if unicodedata.category(c) not in _INVISIBLE))
    return kept if len(kept) <= limit else "…" + kept[-(limit - 1) :]
