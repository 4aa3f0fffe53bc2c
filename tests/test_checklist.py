"""Checklist frameworks and completion scores, computed by hand (METHOD.md)."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import shutil

import openpyxl
import pandas as pd
import pytest

from loverboy_stats.checklist import completion, export_frame, open_actions
from loverboy_stats.export import to_csv_bytes, to_xlsx_bytes
from loverboy_stats.frameworks import (
    CHECKLIST_DIR,
    ChecklistFileError,
    Framework,
    get_framework,
    load_frameworks,
    read_framework,
    read_frameworks,
)

NJI_THEMES = [
    "Kennis en bewustwording",
    "Preventie en voorlichting",
    "Signaleren en melden",
    "Samenwerken in de zorg- en veiligheidsketen",
    "Opvang, behandeling en nazorg",
]


def answers(rows: dict[str, str], **extra) -> pd.DataFrame:
    return pd.DataFrame([{"item_id": k, "status": v, **extra.get(k, {})} for k, v in rows.items()])


@pytest.fixture
def nji() -> Framework:
    return get_framework("nji_loverboy")


# -- framework files -------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(CHECKLIST_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_shipped_file_is_valid(path):
    framework = read_framework(path)
    assert framework.id == path.stem
    for item in framework.items:
        assert item.source.startswith("http")
        assert item.source in framework.sources


def test_shipped_frameworks_have_the_required_shape():
    frameworks = load_frameworks()
    assert next(iter(frameworks)) == "nji_loverboy"
    nji = frameworks["nji_loverboy"]
    assert [t.label for t in nji.themes] == NJI_THEMES
    for theme in nji.themes:
        assert sum(i.theme == theme.id for i in nji.items) >= 4
    assert "niet beschikbaar" in nji.note and "eigen woorden" in nji.note
    assert len(frameworks["ccv_basisniveau"].items) == 3
    vng = frameworks["vng_kader"]
    assert len(vng.themes) == 5
    for theme in vng.themes:
        plateaus = {i.plateau for i in vng.items if i.theme == theme.id}
        assert plateaus == {"basis", "verdieping"}


def _broken_copy(tmp_path, change) -> object:
    data = json.loads((CHECKLIST_DIR / "nji_loverboy.json").read_text(encoding="utf-8"))
    change(data)
    target = tmp_path / "nji_loverboy.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_a_missing_field_names_file_item_and_field(tmp_path):
    path = _broken_copy(tmp_path, lambda d: d["items"][2].pop("text"))
    with pytest.raises(ChecklistFileError) as error:
        read_framework(path)
    message = error.value.message
    assert "nji_loverboy.json" in message
    assert "item 'kennis_schatting' (nr. 3)" in message
    assert "veld 'text'" in message


def test_a_bad_url_is_named(tmp_path):
    path = _broken_copy(tmp_path, lambda d: d["items"][5].update(source="geen url"))
    with pytest.raises(ChecklistFileError) as error:
        read_framework(path)
    assert "item 'preventie_ouders' (nr. 6), veld 'source'" in error.value.message


def test_unknown_theme_is_named(tmp_path):
    path = _broken_copy(tmp_path, lambda d: d["items"][0].update(theme="onzin"))
    with pytest.raises(ChecklistFileError, match="item 'kennis_erkenning': onbekend thema 'onzin'"):
        read_framework(path)


def test_duplicate_id_and_invalid_json(tmp_path):
    path = _broken_copy(tmp_path, lambda d: d["items"][1].update(id="kennis_erkenning"))
    with pytest.raises(ChecklistFileError, match="'kennis_erkenning': id komt meer dan eens voor"):
        read_framework(path)
    broken = tmp_path / "kapot.json"
    broken.write_text("{ geen json", encoding="utf-8")
    with pytest.raises(ChecklistFileError, match=r"kapot\.json is geen geldige JSON"):
        read_framework(broken)


def test_adding_a_framework_is_adding_a_file(tmp_path):
    for path in CHECKLIST_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    data = json.loads((CHECKLIST_DIR / "ccv_basisniveau.json").read_text(encoding="utf-8"))
    data["id"] = "eigen_lijst"
    (tmp_path / "eigen_lijst.json").write_text(json.dumps(data), encoding="utf-8")
    assert "eigen_lijst" in read_frameworks(tmp_path)


# -- scores ------------------------------------------------------------------------------------


def test_scores_by_hand(nji):
    # Kennis (4 items): ja, deels, nee, n.v.t. -> (1 + 0.5 + 0) / 3 applicable = 0.5
    # Preventie (4): ja, ja, ja, ja -> 4 / 4 = 1
    # Signaleren (4): onbekend ×2 (one answered, one missing), deels, n.v.t. -> 0.5 / 3
    # Samenwerken (4): n.v.t. ×4 -> nothing applicable: NaN
    # Opvang (4): nee ×4 -> 0 / 4 = 0
    given = answers(
        {
            "kennis_erkenning": "ja",
            "kennis_bestuur": "deels",
            "kennis_schatting": "nee",
            "kennis_professionals": "n.v.t.",
            "preventie_jongeren": "ja",
            "preventie_ouders": "ja",
            "preventie_risicogroepen": "ja",
            "preventie_online": "ja",
            "signaleren_wijkteams": "onbekend",
            "signaleren_comensha": "deels",
            "signaleren_registratie": "n.v.t.",
            "samenwerken_regie": "n.v.t.",
            "samenwerken_convenant": "n.v.t.",
            "samenwerken_partners": "n.v.t.",
            "samenwerken_regio": "n.v.t.",
            "opvang_aanbod": "nee",
            "opvang_doorlopend": "nee",
            "opvang_nazorg": "nee",
            "opvang_ouders": "nee",
        }
    )  # signaleren_meldpunt has no answer: counts as onbekend
    done = completion(nji, given)
    themes = done.themes.set_index("thema")
    assert themes.loc["kennis", "voltooiing"] == pytest.approx(0.5)
    assert themes.loc["preventie", "voltooiing"] == 1
    assert themes.loc["signaleren", "voltooiing"] == pytest.approx(0.5 / 3)
    assert math.isnan(themes.loc["samenwerken", "voltooiing"])
    assert themes.loc["opvang", "voltooiing"] == 0
    assert themes.loc["signaleren", "onbekend"] == 2
    assert themes.loc["signaleren", "aandeel_onbekend"] == pytest.approx(2 / 3)
    # Overall: scores 1.5 + 4 + 0.5 + 0 + 0 = 6 over 3 + 4 + 3 + 0 + 4 = 14 applicable items.
    assert done.score == 6
    assert done.applicable == 14
    assert done.overall == pytest.approx(6 / 14)
    assert done.unknown_share == pytest.approx(2 / 14)
    mean_of_themes = themes["voltooiing"].dropna().mean()
    assert mean_of_themes == pytest.approx((0.5 + 1 + 0.5 / 3 + 0) / 4)
    assert done.overall != pytest.approx(mean_of_themes)


def test_nothing_filled_in_is_all_unknown(nji):
    done = completion(nji, None)
    assert done.overall == 0
    assert done.unknown_share == 1
    assert done.applicable == len(nji.items) == 20


def test_all_not_applicable_gives_no_percentage(nji):
    done = completion(nji, answers({i.id: "n.v.t." for i in nji.items}))
    assert math.isnan(done.overall) and math.isnan(done.unknown_share)


def test_unknown_status_is_refused(nji):
    with pytest.raises(ValueError, match="Onbekende status 'misschien'"):
        completion(nji, answers({"kennis_erkenning": "misschien"}))


def test_open_actions_are_owned_unfinished_items_by_date(nji):
    given = answers(
        {
            "kennis_erkenning": "ja",
            "kennis_bestuur": "nee",
            "opvang_nazorg": "deels",
            "preventie_ouders": "onbekend",
            "opvang_ouders": "nee",
        },
        kennis_erkenning={"actiehouder": "Piet"},  # done: not open
        kennis_bestuur={"actiehouder": "Wethouder", "streefdatum": dt.date(2025, 12, 1)},
        opvang_nazorg={"actiehouder": "", "streefdatum": "2025-06-30"},
        preventie_ouders={"actiehouder": "GGD"},
    )  # opvang_ouders "nee" without owner or date: not an action point
    table = open_actions(nji, given)
    assert list(table.columns) == [
        "thema", "punt", "status", "actiehouder", "streefdatum", "toelichting"
    ]  # fmt: skip
    assert table.loc[1, "thema"] == "Kennis en bewustwording"
    assert list(table["actiehouder"]) == ["", "Wethouder", "GGD"]
    assert list(table["streefdatum"]) == [dt.date(2025, 6, 30), dt.date(2025, 12, 1), None]


def test_exports_neutralise_formulas(nji):
    given = answers(
        {"kennis_erkenning": "ja"},
        kennis_erkenning={"toelichting": '=HYPERLINK("http://x")', "actiehouder": "@team"},
    )
    frame = export_frame(nji, given)
    assert len(frame) == 20 and frame.loc[0, "score"] == 1
    assert b"'=HYPERLINK" in to_csv_bytes(frame)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"checklist": frame})))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["toelichting"].value.startswith("'=HYPERLINK")
    assert row["toelichting"].data_type == "s"
    assert row["actiehouder"].value == "'@team"


def test_unsaved_edits_go_on_top_of_what_others_saved_meanwhile():
    from loverboy_stats.checklist import normalise_answers
    from loverboy_stats.frameworks import get_framework
    from loverboy_stats.views.checklist import reapply_changes

    framework = get_framework("ccv_basisniveau")
    base = normalise_answers(framework, None)
    ids = base["item_id"].tolist()
    mine = base.copy()
    mine.loc[0, "status"], mine.loc[2, "actiehouder"] = "ja", "Anna"
    newest = base.copy()
    newest.loc[1, "status"], newest.loc[2, "actiehouder"] = "nee", "Bram"
    merged = reapply_changes(framework, base, mine, newest).set_index("item_id")
    assert merged.loc[ids[0], "status"] == "ja"  # my edit
    assert merged.loc[ids[1], "status"] == "nee"  # theirs, which I did not touch
    assert merged.loc[ids[2], "actiehouder"] == "Anna"  # both changed it: mine, shown to me
    untouched = [i for i in ids[3:]]
    assert (merged.loc[untouched, "status"] == "onbekend").all()
