"""Reference table loader and the shared municipality matcher."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from loverboy_stats.reference import (
    MUNICIPALITIES_FILE,
    NATIONAL_POPULATION_2024,
    REGION_LEVELS,
    ReferenceDataError,
    load_municipalities,
    match_municipalities,
    normalise_code,
    normalise_name,
    read_municipalities,
)


def test_shipped_table_is_complete():
    table = load_municipalities()
    assert len(table) == 342
    assert table["gemeentecode"].is_unique
    assert table["gemeentecode"].str.fullmatch(r"GM\d{4}").all()
    assert int(table["inwoners"].sum()) == NATIONAL_POPULATION_2024
    assert table["provinciecode"].nunique() == 12
    assert table["jeugdregiocode"].nunique() == 42
    assert table["ggdregiocode"].nunique() == 25
    assert table["veiligheidsregiocode"].nunique() == 25
    assert table.loc["GM0363", "gemeentenaam"] == "Amsterdam"
    assert table.loc["GM0363", "inwoners"] == 931298


def test_region_levels_point_at_reference_columns():
    table = load_municipalities()
    for level, spec in REGION_LEVELS.items():
        if level in ("regio", "totaal"):
            assert spec.code_column is None
            continue
        assert spec.code_column in table.columns and spec.name_column in table.columns
        assert spec.label


def test_load_returns_a_copy():
    table = load_municipalities()
    table.loc["GM0363", "inwoners"] = 0
    assert load_municipalities().loc["GM0363", "inwoners"] == 931298


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda t: t.drop(index=5), "342 unieke"),
        (lambda t: t.assign(inwoners=t["inwoners"].where(t.index != 0, 1)), "tellen op"),
        (
            lambda t: t.assign(jeugdregiocode=t["jeugdregiocode"].where(t.index != 3, "")),
            "lege waarden",
        ),
        (
            lambda t: t.assign(gemeentecode=t["gemeentecode"].str.replace("GM0014", "G0014")),
            "ongeldig",
        ),
        (lambda t: t.drop(columns=["ggdregionaam"]), "ontbreken"),
    ],
)
def test_broken_copy_is_rejected_with_the_file_name(tmp_path, change, fragment):
    table = pd.read_csv(MUNICIPALITIES_FILE, dtype=str, keep_default_na=False)
    broken = tmp_path / "kapot.csv"
    change(table).to_csv(broken, index=False)
    with pytest.raises(ReferenceDataError) as caught:
        read_municipalities(broken)
    assert "kapot.csv" in str(caught.value)
    assert fragment in str(caught.value)


def test_intact_copy_is_accepted(tmp_path):
    copy = tmp_path / "gemeenten.csv"
    shutil.copy(MUNICIPALITIES_FILE, copy)
    assert len(read_municipalities(copy)) == 342


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ReferenceDataError, match=r"bestaat_niet\.csv"):
        read_municipalities(tmp_path / "bestaat_niet.csv")


@pytest.mark.parametrize("raw", ["GM0363", "gm363", "363", "0363", 363, 363.0, " GM 0363 "])
def test_code_forms(raw):
    assert normalise_code(raw) == "GM0363"


@pytest.mark.parametrize("raw", [None, float("nan"), "", "GM12345", "abc", 363.5])
def test_code_rejects(raw):
    assert normalise_code(raw) is None


def test_normalise_name():
    assert normalise_name("'s-Gravenhage") == "sgravenhage"
    assert normalise_name("’S GRAVENHAGE") == "sgravenhage"
    assert normalise_name("Súdwest-Fryslân") == normalise_name("sudwest fryslan")
    assert normalise_name(None) == ""


def _one(code=None, name=None) -> pd.Series:
    result = match_municipalities(
        pd.Series([code], dtype=object) if code is not None or name is None else None,
        pd.Series([name], dtype=object) if name is not None else None,
    )
    return result.iloc[0]


@pytest.mark.parametrize("code", ["GM0363", "gm363", "363", "0363", 363, 363.0])
def test_match_codes(code):
    row = _one(code=code)
    assert (row["gemeentecode"], row["gemeentenaam"], row["status"]) == (
        "GM0363",
        "Amsterdam",
        "ok",
    )
    assert row["message"] == ""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("'s-Gravenhage", "GM0518"),
        ("’s-Gravenhage", "GM0518"),
        ("s Gravenhage", "GM0518"),
        ("Den Haag", "GM0518"),
        ("den haag", "GM0518"),
        ("'s-Hertogenbosch", "GM0796"),
        ("Den Bosch", "GM0796"),
        ("Súdwest-Fryslân", "GM1900"),
        ("Sudwest Fryslan", "GM1900"),
        ("SÚDWEST FRYSLÂN", "GM1900"),
        ("Bergen (NH.)", "GM0373"),
        ("Bergen NH", "GM0373"),
        ("Bergen (Noord-Holland)", "GM0373"),
        ("Bergen (L.)", "GM0893"),
        ("Bergen L", "GM0893"),
        ("Bergen (Limburg)", "GM0893"),
        ("Bergen op Zoom", "GM0748"),
        ("Nuenen", "GM0820"),
    ],
)
def test_match_names(name, code):
    row = _one(name=name)
    assert row["status"] == "ok"
    assert row["gemeentecode"] == code


def test_bergen_alone_is_ambiguous_and_lists_both():
    row = _one(name="Bergen")
    assert row["status"] == "dubbelzinnig"
    assert pd.isna(row["gemeentecode"])
    assert "Bergen (NH.) (GM0373)" in row["message"]
    assert "Bergen (L.) (GM0893)" in row["message"]


def test_code_settles_an_ambiguous_name():
    row = _one(code="GM0893", name="Bergen")
    assert (row["gemeentecode"], row["status"]) == ("GM0893", "ok")


def test_conflicting_code_and_name():
    row = _one(code="GM0363", name="Rotterdam")
    assert row["status"] == "tegenstrijdig"
    assert pd.isna(row["gemeentecode"])
    assert "Amsterdam" in row["message"] and "Rotterdam" in row["message"]


def test_unknown_name_gets_a_suggestion():
    row = _one(name="Gravenhage")
    assert row["status"] == "onbekend"
    assert row["suggestion"] == "'s-Gravenhage (GM0518)"
    assert "'s-Gravenhage (GM0518)" in row["message"]


def test_unknown_code():
    row = _one(code="GM9999")
    assert row["status"] == "onbekend"
    assert "GM9999" in row["message"]


def test_matcher_keeps_the_input_index_and_repeats():
    codes = pd.Series(
        ["GM0363", None, "363", 363.0, None], index=[10, 11, 12, 13, 14], dtype=object
    )
    names = pd.Series([None, "Den Haag", None, None, None], index=codes.index, dtype=object)
    result = match_municipalities(codes, names)
    assert list(result.index) == [10, 11, 12, 13, 14]
    assert list(result.columns) == [
        "gemeentecode",
        "gemeentenaam",
        "status",
        "message",
        "suggestion",
    ]
    assert result["gemeentecode"].tolist()[:4] == ["GM0363", "GM0518", "GM0363", "GM0363"]
    assert result.loc[14, "status"] == "onbekend"
    assert result["gemeentecode"].isna().tolist() == [False, False, False, False, True]


def test_matcher_on_all_official_names_and_a_long_table():
    table = load_municipalities()
    names = pd.concat([table["gemeentenaam"]] * 20, ignore_index=True)
    result = match_municipalities(None, names)
    assert (result["status"] == "ok").all()
    assert result["gemeentecode"].tolist() == pd.concat([table["gemeentecode"]] * 20).tolist()
