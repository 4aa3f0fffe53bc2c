"""The upload corpus (tests/data/bad, tests/data/good; made by tests/data/make_corpus.py).

Every bad file gets its exact Dutch message (or every issue exactly: row, column, value,
message) and nothing is stored; every good dialect imports exactly the same rows and stores and
loads back unchanged. The command line reports the same as the library function the page calls.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from loverboy_stats.cli import main
from loverboy_stats.export import to_csv_bytes
from loverboy_stats.store import Store, StoreError
from loverboy_stats.uploads import CLEAN_COLUMNS, ERROR, UploadError, parse_upload
from tests.data.make_corpus import GENERATED
from tests.fixtures.actors import OPERATOR

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BAD = json.loads((DATA / "bad" / "expected.json").read_text("utf-8"))
GOOD = json.loads((DATA / "good" / "expected.json").read_text("utf-8"))
BY_FILE = {case["file"]: case for case in BAD}


def check(case: dict, folder: str, monkeypatch) -> tuple[bytes, object]:
    """Read a corpus file as the page does: (bytes, ValidationResult or UploadError)."""
    if case.get("max_upload_mb"):
        monkeypatch.setenv("LBS_MAX_UPLOAD_MB", str(case["max_upload_mb"]))
    content = corpus_bytes(case, folder)
    try:
        return content, parse_upload(content, case["file"], sheet=case.get("sheet"))
    except UploadError as refused:
        return content, refused


def corpus_bytes(case: dict, folder: str) -> bytes:
    """A corpus file's bytes: from disk, or made by make_corpus.py when it is not committed."""
    if case.get("generated"):
        return GENERATED[case["file"]]()
    return (DATA / folder / case["file"]).read_bytes()


def issues(result, level: str) -> list[list[object]]:
    found = result.issues[result.issues["niveau"] == level]
    return [[int(i.rij), i.kolom, i.waarde, i.melding] for i in found.itertuples()]


def expected_issues(case: dict, key: str) -> list[list[object]]:
    year = str(dt.date.today().year)
    return [[r, c, v, m.replace("{year}", year)] for r, c, v, m in case.get(key, [])]


@pytest.fixture
def store(tmp_path):
    created = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield created
    created.dispose()


def test_the_corpus_covers_every_case_the_issue_names():
    assert len(BAD) >= 30
    assert all(
        (DATA / "bad" / case["file"]).exists() != bool(case.get("generated")) for case in BAD
    )
    # Nothing large is committed: the big files are made by the tests.
    assert max(path.stat().st_size for path in DATA.rglob("*") if path.is_file()) < 100_000
    assert (DATA / "bad" / "leeg.csv").stat().st_size == 0
    refused = [case for case in BAD if "refused" in case]
    with_warnings = [case for case in BAD if case.get("warnings")]
    assert len(refused) >= 10 and len(with_warnings) == 2


@pytest.mark.parametrize("case", BAD, ids=[case["file"] for case in BAD])
def test_bad_file_gets_its_exact_message_and_stores_nothing(case, store, monkeypatch):
    _, result = check(case, "bad", monkeypatch)
    if "refused" in case:
        assert isinstance(result, UploadError), f"read, not refused: {result}"
        assert result.message == case["refused"]
        assert "Traceback" not in result.message
    else:
        assert not isinstance(result, UploadError), result
        assert issues(result, ERROR) == expected_issues(case, "errors")
        assert issues(result, "waarschuwing") == expected_issues(case, "warnings")
        for notice in case.get("notices", []):
            assert notice in result.notices
        assert not result.ok
        # The page offers "Opslaan" only when ok; rows with an error never reach the clean data.
        assert set(result.data.index) <= set(range(result.rows))
        if not result.data.empty:
            bad_rows = set(result.errors["rij"])
            assert len(result.data) == result.rows - len(bad_rows)
    assert store.datasets.list() == []


def test_html_in_a_name_is_reported_as_plain_text(monkeypatch):
    _, result = check(BY_FILE["html_in_naam.csv"], "bad", monkeypatch)
    assert "<script>alert('x')</script>" in list(result.issues["waarde"])
    # The page shows it with st.dataframe and st.error/st.info, which never render HTML; the page
    # source must not switch that off anywhere.
    for script in (ROOT / "pages" / "eigen_cijfers.py", ROOT / "ui" / "datasets.py"):
        source = script.read_text("utf-8")
        assert "unsafe_allow_html" not in source and "st.html" not in source


@pytest.mark.parametrize("dutch", [True, False])
def test_downloaded_report_neutralises_formulas(monkeypatch, dutch):
    _, result = check(BY_FILE["formule_injectie.csv"], "bad", monkeypatch)
    report = to_csv_bytes(result.issues, dutch=dutch).decode("utf-8-sig")
    separator = ";" if dutch else ","
    cells = [cell for line in report.splitlines()[1:] for cell in _split(line, separator)]
    risky = [cell for cell in cells if cell.lstrip('"').startswith(("=", "+", "-", "@"))]
    assert risky == []
    for start in ("=HYPERLINK(", "+1+1", "-2+3", "@SUM(A1)"):
        assert f"'{start}" in report


def _split(line: str, separator: str) -> list[str]:
    import csv

    return next(csv.reader([line], delimiter=separator))


@pytest.mark.parametrize("case", GOOD, ids=[case["file"] for case in GOOD])
def test_good_dialect_imports_exactly_and_stores_unchanged(case, store, monkeypatch):
    content, result = check(case, "good", monkeypatch)
    assert not isinstance(result, UploadError), result
    assert result.ok, result.issues.to_string()
    assert result.issues.empty
    for notice in case.get("notices", []):
        assert notice in result.notices
    got = result.data[list(CLEAN_COLUMNS)]
    records = got.astype(object).where(got.notna(), None).to_dict(orient="records")
    assert records == case["rows"]
    assert all(str(got[c].dtype) == "Int64" for c in CLEAN_COLUMNS[2:])

    info = store.datasets.save(case["file"], case["file"], content, result.data, actor=OPERATOR)
    assert info.row_count == len(case["rows"])
    pd.testing.assert_frame_equal(store.datasets.load(info.id)[got.columns], got)


def test_every_good_dialect_gives_the_same_data(monkeypatch):
    frames = [check(case, "good", monkeypatch)[1].data for case in GOOD]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])


def test_an_identical_file_stored_twice_is_recognised_not_duplicated(store, monkeypatch):
    case = GOOD[0]
    content, result = check(case, "good", monkeypatch)
    first = store.datasets.save("eerste", case["file"], content, result.data, actor=OPERATOR)
    again = store.datasets.save("tweede", case["file"], content, result.data, actor=OPERATOR)
    assert again.already_present and again.name == "eerste" and again.id == first.id
    with pytest.raises(StoreError, match="al een dataset met de naam 'eerste'"):
        store.datasets.save("eerste", "ander.csv", content + b"\r\n", result.data, actor=OPERATOR)
    assert len(store.datasets.list()) == 1


# ------------------------------------------------------------------------------------------
# The command line and the page give the same report

PARITY = [
    "onbekende_gemeente.csv",
    "dubbelzinnige_naam.csv",
    "dubbele_gemeente_jaar.csv",
    "kop_op_rij_3_onder_titels.csv",
    "waarschuwing_meer_dan_gesignaleerd.csv",
    "waarschuwing_samengevoegde_gemeente.csv",
    "formule_injectie.csv",
    "html_in_naam.csv",
    "gebroken_getal.xlsx",
    "verkeerd_tabblad.xlsx",
    "kolom_twee_keer.csv",
    "binaire_rommel.csv",
    "zip_bom.xlsx",
]


def _cli_validate(path: Path, sheet: str | None = None, *, capsys) -> tuple[int, dict]:
    # In-process: the command's own code path; tests/cli starts it as a real process.
    args = ["validate", str(path), "--format", "json"] + (["--sheet", sheet] if sheet else [])
    code = main(args)
    return code, json.loads(capsys.readouterr().out)


def _as_cli(issue_list: list[list[object]]) -> list[dict[str, object]]:
    return [{"row": r, "column": c, "value": v, "message": m} for r, c, v, m in issue_list]


@pytest.mark.parametrize("name", PARITY)
def test_command_line_reports_what_the_page_shows(name, monkeypatch, capsys):
    case = BY_FILE[name]
    code, report = _cli_validate(DATA / "bad" / name, case.get("sheet"), capsys=capsys)
    _, result = check(case, "bad", monkeypatch)
    if isinstance(result, UploadError):
        assert (code, report) == (2, {"ok": False, "rows": 0, "error": result.message})
        return
    assert code == (0 if result.ok else 1)
    assert report == {
        "ok": result.ok,
        "rows": result.rows,
        "errors": _as_cli(issues(result, ERROR)),
        "warnings": _as_cli(issues(result, "waarschuwing")),
        "notices": result.notices,
    }


def test_command_line_reads_a_good_chosen_sheet_like_the_page(monkeypatch, capsys):
    case = next(c for c in GOOD if c.get("sheet"))
    code, report = _cli_validate(DATA / "good" / case["file"], case["sheet"], capsys=capsys)
    _, result = check(case, "good", monkeypatch)
    assert code == 0 and report["ok"] and report["rows"] == result.rows == len(case["rows"])
