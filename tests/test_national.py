"""The national figures: loaded from data/national, checked, and the gap computed by hand."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from loverboy_stats.national import (
    ESTIMATE_ID,
    FIGURE_KEY,
    NATIONAL_DIR,
    TREATED_ID,
    NationalDataError,
    estimates,
    figures_table,
    gap_key_figures,
    gap_table,
    load_national,
    national_gap,
    registrations,
)


def test_headline_figures_are_the_sourced_ones():
    data = load_national()
    assert data.figure(ESTIMATE_ID).value == 1363
    assert data.figure(TREATED_ID).value == 142
    urls = [s.url for s in data.sources_of(data.figure(ESTIMATE_ID))]
    assert "https://www.nji.nl/mensenhandel/rol-gemeente-bij-aanpak" in urls


def test_gap_against_hand_computed_values():
    gap = national_gap(load_national())
    assert gap.reach == pytest.approx(142 / 1363)
    assert round(gap.reach * 100, 2) == 10.42
    assert gap.not_reached == 1221
    assert gap.estimated_per_treated == pytest.approx(9.5986, abs=1e-4)


def test_key_figures_are_dutch_text():
    values = [item.value for item in gap_key_figures(national_gap(load_national()))]
    assert values == ["1.363", "142", "10,4 %", "1.221"]


def test_gap_table_names_its_source_figures():
    table = gap_table(national_gap(load_national()))
    assert set(table["cijfer_id"]) >= {ESTIMATE_ID, TREATED_ID}


def test_every_figure_cites_a_known_source_and_a_period_or_why_not():
    data = load_national()
    frame = data.frame()
    dated = frame["period"].notna()
    assert frame.loc[dated, "period"].str.match(r"^\d{4}(-\d{4})?$").all()
    # Only the headline estimate lacks a period: its sources do not say which years it covers.
    assert list(frame.loc[~dated, "figure_id"]) == [ESTIMATE_ID]
    assert "noemen niet op welke jaren" in frame.loc[~dated, "note"].iloc[0]
    assert frame["bron_urls"].str.startswith("http").all()
    assert len(frame) == len(data.figures) >= 30


def test_registrations_keep_series_apart():
    reg = registrations(load_national())
    both = reg[reg["jaar"] == 2019].set_index("reeks")["registraties"]
    assert both.to_dict() == {"CoMensha-telling": 1372, "NRM-telling": 1334}
    assert reg["jaar"].is_unique is False  # two series in 2019 and 2020


def test_estimates_carry_published_ranges_only():
    est = estimates(load_national()).set_index("figure_id")
    assert (est.loc["mh_geschat_2017", ["ondergrens", "bovengrens"]] == [5000, 7500]).all()
    assert est.loc["bsu_geschat_2017", ["ondergrens", "bovengrens"]].isna().all()
    # A figure without a period has no place on the time axis of the estimates chart.
    assert ESTIMATE_ID not in est.index


def test_approximate_values_keep_their_wording():
    table = figures_table(load_national()).set_index(FIGURE_KEY)
    assert table.loc["mh_per_100000_2017", "waarde"] == "ongeveer 37"
    assert table.loc["bsu_geschat_2017", "waarde"] == "bijna 3.000"
    assert table.loc["mh_geschat_2021", "bandbreedte"] == "ongeveer 4.000 – 7.000"
    assert table.loc[ESTIMATE_ID, ["periode", "waarde"]].tolist() == ["–", "1.363"]
    # Every figure whose note quotes "ongeveer"/"bijna" carries that word in its value.
    data = load_national()
    for figure in data.figures:
        for word in ("ongeveer", "bijna"):
            if f"'{word}" in figure.note:
                assert figure.qualifier == word, figure.figure_id


def test_only_estimates_can_be_apportioned():
    options = {f.figure_id for f in load_national().estimate_options()}
    assert "mh_waargenomen_2021" not in options  # observed by CoMensha: a count, not an estimate
    assert {ESTIMATE_ID, "mh_geschat_2017", "mh_geschat_2021"} <= options


# --- broken files ------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "national"
    shutil.copytree(NATIONAL_DIR, target)
    return target


def _edit(path: Path, row: int, **changes: str) -> None:
    """Change cells of data row ``row`` (1 = first data row) of a CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 1].update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_ids": "bestaat_niet"}, "onbekende bron 'bestaat_niet'"),
        ({"value": "-5"}, "value mag niet negatief zijn"),
        ({"period": "", "note": ""}, "geen periode en geen toelichting"),
        ({"period": "voorjaar"}, "periode 'voorjaar' heeft niet de vorm JJJJ of JJJJ-JJJJ"),
        (
            {"value": "9000", "interval_low": "5000", "interval_high": "7500"},
            "waarde 9000 ligt niet in het interval [5000, 7500]",
        ),
        ({"value": "veel"}, "'veel' is geen getal"),
        ({"interval_low": "5000", "interval_high": ""}, "interval heeft maar één grens"),
    ],
)
def test_broken_figures_file_names_file_and_row(tmp_path, changes, message):
    folder = _copy(tmp_path)
    _edit(folder / "figures.csv", 3, **changes)
    with pytest.raises(NationalDataError) as caught:
        load_national(folder)
    assert caught.value.file == "figures.csv"
    assert caught.value.row == 4  # data row 3 is spreadsheet row 4 (header is row 1)
    assert message in str(caught.value)


def test_duplicate_figure_id_is_rejected(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "figures.csv", 2, figure_id=ESTIMATE_ID)
    with pytest.raises(NationalDataError, match=r"figures.csv, rij 3: .*komt dubbel voor"):
        load_national(folder)


def test_broken_source_url_is_rejected(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "sources.csv", 1, url="geen adres")
    with pytest.raises(NationalDataError, match=r"sources.csv, rij 2: \(hgw_2018\) url"):
        load_national(folder)


def test_missing_file_is_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "sources.csv").unlink()
    with pytest.raises(NationalDataError, match=r"sources\.csv: bestand ontbreekt"):
        load_national(folder)


def test_the_headline_cites_the_original_publications_via_the_pages_that_quote_them():
    data = load_national()
    text = data.citation("minderjarigen_geschat", "minderjarigen_in_behandeling")
    assert text.startswith(
        "Bron: Nationaal Rapporteur Mensenhandel (2017), Slachtoffermonitor mensenhandel "
        "2012-2016; Inspectie Gezondheidszorg en Jeugd (IGJ) (2018), "
    )
    assert "(via Huiselijkgeweld.nl (2018), Hulp slachtoffers loverboys goed" in text
    assert data.short_citation("minderjarigen_geschat") == (
        "Bron: Nationaal Rapporteur Mensenhandel (2017)"
    )
    # A figure read on the publisher's own page has no 'via'.
    assert "via" not in data.citation("mh_geschat_2021")
    # Every figure can be found: at least one of its sources has an address.
    frame = data.frame()
    assert frame["bron_urls"].str.len().gt(0).all()


def test_a_figure_without_any_page_to_read_it_on_is_refused(tmp_path):
    for name in ("figures.csv", "sources.csv"):
        shutil.copy(NATIONAL_DIR / name, tmp_path / name)
    figures = (tmp_path / "figures.csv").read_text(encoding="utf-8")
    (tmp_path / "figures.csv").write_text(
        figures.replace("hgw_2018;nji_rol_gemeente,nrm_monitor_2017", "nrm_monitor_2017,"),
        encoding="utf-8",
    )
    with pytest.raises(NationalDataError, match="geen bron met een adres"):
        load_national(tmp_path)
