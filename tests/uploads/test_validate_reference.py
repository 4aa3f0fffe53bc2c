"""Validation, vectorised over distinct texts and numpy arrays, reports exactly what a plain
row-by-row reference says it must: every problem (row, column, value, message, level), in
order, and the clean rows.

The reference covers the checks whose outcome depends on several rows or columns (duplicate
municipality-years, a count above ``gesignaleerd``) and the number checks, on small generated
tables; the texts come from small pools so that duplicates and repeated values are common.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loverboy_stats.reference import REFERENCE_YEAR
from loverboy_stats.uploads import ERROR, WARNING, parse_upload

CURRENT_YEAR = 2026
COUNTS = ("gesignaleerd", "gemeld_comensha", "doorverwezen")
CODES = {"GM0014": "Groningen", "GM0363": "Amsterdam", "GM0518": "'s-Gravenhage"}
UNKNOWN = "GM9999"
NUMBERS = ["", "0", "3", "7", "12", "1.234", "12,0", "2,5", "-3", "abc"]
YEARS = ["2023", "2024", "1999", "", "x"]


def number(text: str, column: str) -> tuple[float | None, str | None]:
    """(value, problem) of one count or year cell, as the format describes it."""
    if text == "":
        return None, "Verplichte waarde ontbreekt." if column in ("jaar", "gesignaleerd") else None
    plain = text.replace(".", "") if text == "1.234" else text
    try:
        value = float(plain.replace(",", "."))
    except ValueError:
        return None, "Geen getal."
    if value < 0:
        return None, "Mag niet negatief zijn."
    if value % 1:
        return None, "Moet een geheel getal zijn."
    if column == "jaar" and not 2000 <= value <= CURRENT_YEAR:
        return None, f"Jaar moet tussen 2000 en {CURRENT_YEAR} liggen."
    return value, None


def reference(rows: list[list[str]]) -> tuple[list[tuple], list[tuple]]:
    """(problems in report order, clean rows) of a table with the header
    gemeentecode;jaar;<COUNTS>; data row i is Excel row i + 2."""
    problems: dict[int, list[tuple]] = defaultdict(list)
    parsed = []
    for excel, (code, year_text, *count_texts) in enumerate(rows, start=2):
        if code == UNKNOWN:
            message = f"Gemeentecode '{code}' bestaat niet in de gemeentelijke indeling "
            problems[excel].append(("gemeentecode", code, message + f"{REFERENCE_YEAR}.", ERROR))
        year, problem = number(year_text, "jaar")
        if problem:
            problems[excel].append(("jaar", year_text, problem, ERROR))
        counts = []
        for column, text in zip(COUNTS, count_texts, strict=True):
            value, problem = number(text, column)
            if problem:
                problems[excel].append((column, text, problem, ERROR))
            counts.append(value)
        parsed.append((excel, code if code in CODES else None, year, counts))
    groups = defaultdict(list)
    for excel, code, year, _ in parsed:
        if code is not None and year is not None:
            groups[code, year].append(excel)
    for group in groups.values():
        for excel in group if len(group) > 1 else ():
            other = group[1] if excel == group[0] else group[0]
            message = (
                f"Deze gemeente en dit jaar komen {len(group)} keer voor; zie ook rij {other}."
            )
            problems[excel].append(("gemeentecode", rows[excel - 2][0], message, ERROR))
    for excel, _, _, counts in parsed:
        for column, value, text in zip(COUNTS[1:], counts[1:], rows[excel - 2][3:], strict=True):
            if value is not None and counts[0] is not None and value > counts[0]:
                message = (
                    f"Groter dan gesignaleerd ({int(counts[0])}). Dat kan (iemand kan via een "
                    "andere route in zorg komen), maar controleer het."
                )
                problems[excel].append((column, text, message, WARNING))
    report = [
        (excel, *problem)
        for excel in sorted(problems)
        for problem in sorted(problems[excel], key=lambda problem: problem[3] == WARNING)
    ]
    errors = {excel for excel, *_, level in report if level == ERROR}
    clean = [
        # in_behandeling is not uploaded: not reported.
        (code, CODES[code], int(year), *(None if v is None else int(v) for v in counts), None)
        for excel, code, year, counts in parsed
        if excel not in errors
    ]
    return report, clean


ROW = st.tuples(
    st.sampled_from([*CODES, UNKNOWN]),
    st.sampled_from(YEARS),
    *(st.sampled_from(NUMBERS) for _ in COUNTS),
).map(list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=25))
def test_validation_reports_what_a_row_by_row_reference_reports(rows):
    text = "\r\n".join([";".join(["gemeentecode", "jaar", *COUNTS])] + [";".join(r) for r in rows])
    result = parse_upload(text.encode(), "cijfers.csv", current_year=CURRENT_YEAR)
    expected_report, expected_clean = reference(rows)
    # Within a row, problems of one level keep the order the checks run in; compare per row
    # and level as sets, and the order of rows and levels exactly.
    report = list(result.issues.astype(object).itertuples(index=False, name=None))
    assert [(r[0], r[4]) for r in report] == [(r[0], r[4]) for r in expected_report]
    assert sorted(report) == sorted(expected_report)
    data = result.data.astype(object).where(result.data.notna(), None)
    clean = list(data.itertuples(index=False, name=None))
    assert clean == expected_clean
