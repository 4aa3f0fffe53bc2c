"""Text from users, files and links is shown as text and checked before it is stored.

That the escaped text really renders without links or images in Streamlit is proven in the
browser (tests/e2e/test_hostile_text.py); here: what the functions promise.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loverboy_stats.textsafe import (
    NAME_MAX,
    NOTE_MAX,
    TextError,
    check_name,
    check_note,
    clean_filename,
    clean_name,
    escape_markdown,
    shorten,
)

HOSTILE = [
    "![px](http://evil.example/x.png) [Nieuwe cijfers](http://evil.example/)",
    "<http://evil.example/> www.evil.example iemand@evil.example",
    "# Kop\n- lijst\n> citaat\n| a | b |",
    ":red[rood] :material/warning: $x^2$ **vet** _schuin_ `code` ~~weg~~",
    "<img src=x onerror=alert(1)> &amp; \\ back",
]


def unescape(markdown: str) -> str:
    """What a CommonMark reader shows for escaped text: backslash escapes resolved, the word
    joiners invisible."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_reads_back_as_the_same_text_on_one_line(text):
    escaped = escape_markdown(text)
    assert unescape(escaped) == " ".join(text.split())
    assert "\n" not in escaped


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_has_no_unescaped_syntax_and_no_bare_address(text):
    escaped = escape_markdown(text)
    # Every ASCII punctuation character is escaped: none is left once the escapes are gone.
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", escaped))
    # The address patterns Streamlit turns into links are broken up.
    assert not re.search(r"(?i)https?\\?:|www\\?\.|\w\\?@", escaped)


def test_invisible_characters_are_shown_not_passed_on():
    assert escape_markdown("a\x00b\u202ec") == "a�b�c"


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_no_control_format_private_or_unassigned_character_survives(text):
    """Any text at all (surrogates, unassigned code points, every separator): what comes out
    has none of the characters that are never shown (but the word joiners it puts in an
    address itself), and nothing else is replaced."""
    escaped = escape_markdown(text).replace("\u2060", "")
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} for c in escaped)
    kept = unescape(escaped)
    flat = " ".join(re.split(r"\s+", text))
    assert len(kept) == len(flat)
    assert all(
        k == c or (k == "�" and unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"})
        for k, c in zip(kept, flat, strict=True)
    )


def test_shorten_keeps_a_value_on_one_line_within_the_limit():
    assert shorten("kort") == "kort"
    long = shorten("A" * 5_000_000, 40)
    assert len(long) == 40 and long.endswith("…")
    assert shorten("regel 1\nregel 2") == "regel 1 regel 2"


@pytest.mark.parametrize(
    "name",
    [
        "'s-Hertogenbosch",
        "Súdwest-Fryslân",
        "Regio Noord (2024)",
        "Holland Rijnland & Haaglanden / Zuid",
        "’s-Gravenhage, afd. Jeugd",
        "J. de Vries",
        "j.devries@gemeente.example",
        "Cijfers 2023_v2 #3 + herzien: definitief",
    ],
)
def test_ordinary_dutch_names_are_accepted(name):
    assert check_name(name, "De naam") == name


def test_whitespace_in_a_name_is_normalised():
    assert check_name("  Den\u00a0Haag \t Zuid ", "De naam") == "Den Haag Zuid"
    assert check_name("", "De naam") == ""


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("![px](http://evil.example/x.png)", "'!', '['"),
        ("Noord;=1+1;", "';', '='"),
        ("<b>vet</b>", "'<', '>'"),
        ("Nul\x00teken", "U+0000"),
        ('aan"hal', "'\"'"),
    ],
)
def test_names_with_other_characters_are_refused_naming_them(name, shown):
    with pytest.raises(TextError) as refused:
        check_name(name, "De naam van de dataset")
    message = refused.value.message
    assert message.startswith("De naam van de dataset bevat")
    assert shown in message
    assert "Gebruik letters, cijfers, spaties en" in message


def test_a_name_over_the_column_length_is_refused_with_both_lengths():
    assert check_name("a" * NAME_MAX, "De regio") == "a" * NAME_MAX
    with pytest.raises(TextError, match=r"^De regio is 300 tekens lang; hoogstens 200 tekens\.$"):
        check_name("a" * 300, "De regio")


def test_free_text_accepts_punctuation_but_not_invisible_characters_or_excess():
    text = "Zie [notulen] van 3-4; =afspraak * 2 <via> wethouder!"
    assert check_note(text, "De toelichting") == text
    with pytest.raises(TextError, match=r"U\+202E"):
        check_note("rechts\u202elinks", "De toelichting")
    with pytest.raises(TextError, match=r"U\+0000"):
        check_note("a\x00b", "De toelichting")
    with pytest.raises(TextError, match=r"1\.001 tekens lang; hoogstens 1\.000 tekens"):
        check_note("x" * (NOTE_MAX + 1), "De toelichting")


def test_a_name_suggested_from_a_file_name_is_acceptable():
    suggestion = clean_name("![px](http:evil.example) cijfers [v2]")
    assert check_name(suggestion, "De naam") == suggestion == "px (http:evil.example) cijfers v2"
    assert len(clean_name("a" * 900)) == NAME_MAX


def test_a_stored_file_name_has_no_invisible_characters_and_fits():
    assert clean_filename("cijfers\x00 2023.csv") == "cijfers 2023.csv"
    long = clean_filename("a" * 900 + ".csv")
    assert len(long) == 500 and long.endswith("a.csv")
