"""Write the upload test corpus: tests/data/bad/ and tests/data/good/ with their expected.json.

    python tests/data/make_corpus.py

The files are committed, except the few marked ``"generated"`` (see :data:`GENERATED`), which
the tests make on the fly; run this again only to change the corpus (and commit the result).
Every file is what a user could really upload. The expectations are written here by hand, in
plain terms independent of the file's notation (``"1.234"`` in a file is ``1234`` here), and
``tests/test_corpus.py`` checks every file against them through the same functions the page and
the command line use.

Bad cases: ``refused`` is the exact message for a file that is not read at all; otherwise
``errors`` and ``warnings`` list every issue exactly as ``[row, column, value, message]``
(``{year}`` stands for the current year). ``notices`` lists notices that must be among those
shown. Good cases: ``rows`` are the exact clean rows (``None`` = not reported).
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
BAD, GOOD = HERE / "bad", HERE / "good"

H = "gemeente;jaar;gesignaleerd"
NOT_FOUND = "Gemeente '{}' niet gevonden in de gemeentelijke indeling 2024."
REFUSED_TYPE = (
    "Bestandstype {} wordt niet ondersteund. Lever een CSV-bestand (.csv, .txt, .tsv) of een "
    "Excel-bestand (.xlsx) aan. Een oud .xls-bestand kunt u in Excel opslaan als .xlsx, een "
    ".ods-bestand in LibreOffice ook."
)
NOT_TEXT = (
    "Dit bestand is geen tekstbestand (CSV). Is het misschien een Excel-bestand? Geef het dan "
    "de extensie .xlsx."
)
BROKEN_XLSX = (
    "Het Excel-bestand is beschadigd of geen echt .xlsx-bestand. Sla het in Excel opnieuw op als "
    "'Excel-werkmap (.xlsx)'."
)
NO_HEADER = (
    "Geen kopregel gevonden in de eerste 10 gevulde rijen. Verwacht een rij met de kolomnamen "
    "gemeentecode en/of gemeente, jaar en gesignaleerd (en eventueel gemeld_comensha, "
    "doorverwezen, in_behandeling, referentiepopulatie, regio). Staat de tabel op een ander "
    "tabblad, kies dat tabblad dan."
)


def csv_bytes(*lines: str, encoding: str = "cp1252", newline: str = "\r\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def too_large() -> bytes:
    """A 1.1 MB table (over a limit of 1 MB). Not committed: tests make it with this function."""
    return csv_bytes(H, *[f"Amsterdam;{2000 + i % 24};{i}" for i in range(52_000)])


#: Cases whose bytes are not committed (too large to keep in the repository) -> their maker.
GENERATED = {"te_groot.csv": too_large}


def bad_cases() -> list[dict]:
    """(file name, bytes, expectation) for every way a user can get an upload wrong."""
    rng = random.Random(20240601)
    junk = bytes(rng.randrange(256) for _ in range(2048))
    good_xlsx = xlsx_bytes(
        {"Blad1": [["gemeente", "jaar", "gesignaleerd"], ["Amsterdam", 2023, 4]]}
    )
    cases = [
        # -- municipality ------------------------------------------------------------------
        (
            "onbekende_gemeente.csv",
            csv_bytes(H, "Amsterdam;2023;4", "Atlantis;2023;5"),
            {"errors": [[3, "gemeente", "Atlantis", NOT_FOUND.format("Atlantis")]]},
        ),
        (
            "onbekende_code.csv",
            csv_bytes("gemeentecode;jaar;gesignaleerd", "GM0363;2023;4", "GM9999;2023;5"),
            {
                "errors": [
                    [
                        3,
                        "gemeentecode",
                        "GM9999",
                        "Gemeentecode 'GM9999' bestaat niet in de gemeentelijke indeling 2024.",
                    ]
                ]
            },
        ),
        (
            "dubbelzinnige_naam.csv",
            csv_bytes(H, "Bergen;2023;4"),
            {
                "errors": [
                    [
                        2,
                        "gemeente",
                        "Bergen",
                        "'Bergen' kan meerdere gemeenten zijn: Bergen (NH.) (GM0373) of Bergen "
                        "(L.) (GM0893). Geef de gemeentecode of de volledige naam.",
                    ]
                ]
            },
        ),
        (
            "bijna_goede_naam.csv",
            csv_bytes(H, "Gravenhage;2023;4"),
            {
                "errors": [
                    [
                        2,
                        "gemeente",
                        "Gravenhage",
                        NOT_FOUND.format("Gravenhage") + " Bedoelt u 's-Gravenhage (GM0518)?",
                    ]
                ]
            },
        ),
        (
            "code_en_naam_tegenstrijdig.csv",
            csv_bytes("gemeentecode;gemeente;jaar;gesignaleerd", "GM0363;Rotterdam;2023;4"),
            {
                "errors": [
                    [
                        2,
                        "gemeentecode",
                        "GM0363 / Rotterdam",
                        "Gemeentecode GM0363 hoort bij Amsterdam, maar de naam 'Rotterdam' hoort "
                        "bij Rotterdam (GM0599). Controleer code en naam.",
                    ]
                ]
            },
        ),
        (
            "geen_gemeente.csv",
            csv_bytes("gemeentecode;gemeente;jaar;gesignaleerd", ";;2023;4"),
            {"errors": [[2, "gemeentecode", "", "Gemeentecode of gemeente ontbreekt."]]},
        ),
        (
            "html_in_naam.csv",
            csv_bytes(H, "<script>alert('x')</script>;2023;4", '<b onmouseover="x()">A</b>;2023;4'),
            {
                "errors": [
                    [
                        2,
                        "gemeente",
                        "<script>alert('x')</script>",
                        NOT_FOUND.format("<script>alert('x')</script>"),
                    ],
                    [
                        3,
                        "gemeente",
                        '<b onmouseover="x()">A</b>',
                        NOT_FOUND.format('<b onmouseover="x()">A</b>'),
                    ],
                ]
            },
        ),
        (
            "formule_injectie.csv",
            csv_bytes(
                H,
                '=HYPERLINK("http://x.invalid","klik");2023;4',
                "+1+1;2023;4",
                "-2+3;2023;4",
                "@SUM(A1);2023;4",
            ),
            {
                "errors": [
                    [
                        2,
                        "gemeente",
                        '=HYPERLINK("http://x.invalid","klik")',
                        NOT_FOUND.format('=HYPERLINK("http://x.invalid","klik")'),
                    ],
                    [3, "gemeente", "+1+1", NOT_FOUND.format("+1+1")],
                    [4, "gemeente", "-2+3", NOT_FOUND.format("-2+3")],
                    [5, "gemeente", "@SUM(A1)", NOT_FOUND.format("@SUM(A1)")],
                ]
            },
        ),
        # -- values ------------------------------------------------------------------------
        (
            "jaar_ontbreekt.csv",
            csv_bytes(H, "Amsterdam;;4"),
            {"errors": [[2, "jaar", "", "Verplichte waarde ontbreekt."]]},
        ),
        (
            "gesignaleerd_ontbreekt.csv",
            csv_bytes(H + ";doorverwezen", "Amsterdam;2023;;2"),
            {"errors": [[2, "gesignaleerd", "", "Verplichte waarde ontbreekt."]]},
        ),
        (
            "geen_getal.csv",
            csv_bytes(H, "Amsterdam;2023;vijf"),
            {"errors": [[2, "gesignaleerd", "vijf", "Geen getal."]]},
        ),
        (
            "negatief.csv",
            csv_bytes(H, "Amsterdam;2023;-3"),
            {"errors": [[2, "gesignaleerd", "-3", "Mag niet negatief zijn."]]},
        ),
        (
            "gebroken_getal.csv",
            csv_bytes(H + ";gemeld_comensha", "Amsterdam;2023;4;2,5"),
            {"errors": [[2, "gemeld_comensha", "2,5", "Moet een geheel getal zijn."]]},
        ),
        (
            "gebroken_getal.xlsx",
            xlsx_bytes({"Blad1": [["gemeente", "jaar", "gesignaleerd"], ["Amsterdam", 2023, 2.5]]}),
            {"errors": [[2, "gesignaleerd", "2,5", "Moet een geheel getal zijn."]]},
        ),
        (
            "onwaarschijnlijk_groot.csv",
            csv_bytes(H, "Amsterdam;2023;9.999.999.999.999"),
            {
                "errors": [
                    [2, "gesignaleerd", "9.999.999.999.999", "Dit getal is onwaarschijnlijk groot."]
                ]
            },
        ),
        (
            "jaar_te_vroeg.csv",
            csv_bytes(H, "Amsterdam;1999;4"),
            {"errors": [[2, "jaar", "1999", "Jaar moet tussen 2000 en {year} liggen."]]},
        ),
        (
            "jaar_in_de_toekomst.csv",
            csv_bytes(H, "Amsterdam;2999;4"),
            {"errors": [[2, "jaar", "2999", "Jaar moet tussen 2000 en {year} liggen."]]},
        ),
        (
            "referentiepopulatie_nul.csv",
            csv_bytes(H + ";referentiepopulatie", "Amsterdam;2023;4;0"),
            {"errors": [[2, "referentiepopulatie", "0", "Moet minstens 1 zijn."]]},
        ),
        (
            "dubbele_gemeente_jaar.csv",
            csv_bytes(
                "gemeentecode;gemeente;jaar;gesignaleerd",
                "GM0796;'s-Hertogenbosch;2022;4",
                "GM0363;Amsterdam;2022;5",
                "796;Den Bosch;2022;6",
            ),
            {
                "errors": [
                    [
                        2,
                        "gemeentecode",
                        "GM0796 / 's-Hertogenbosch",
                        "Deze gemeente en dit jaar komen 2 keer voor; zie ook rij 4.",
                    ],
                    [
                        4,
                        "gemeentecode",
                        "796 / Den Bosch",
                        "Deze gemeente en dit jaar komen 2 keer voor; zie ook rij 2.",
                    ],
                ]
            },
        ),
        # -- columns and layout ------------------------------------------------------------
        (
            "kolom_jaar_ontbreekt.csv",
            csv_bytes("gemeente;gesignaleerd", "Amsterdam;4"),
            {"errors": [[1, "jaar", "", "Verplichte kolom 'jaar' ontbreekt."]]},
        ),
        (
            "kolom_gesignaleerd_ontbreekt.csv",
            csv_bytes("gemeente;jaar;aantal", "Amsterdam;2023;4"),
            {
                "errors": [[1, "gesignaleerd", "", "Verplichte kolom 'gesignaleerd' ontbreekt."]],
                "notices": ["Kolom 'aantal' is niet bekend en wordt niet ingelezen."],
            },
        ),
        (
            "kolom_gemeente_ontbreekt.csv",
            csv_bytes("plaats;jaar;gesignaleerd", "Amsterdam;2023;4"),
            {
                "errors": [
                    [
                        1,
                        "gemeentecode of gemeente",
                        "",
                        "Verplichte kolom 'gemeentecode of gemeente' ontbreekt.",
                    ]
                ]
            },
        ),
        (
            "kolom_twee_keer.csv",
            csv_bytes("gemeente;jaar;year;gesignaleerd", "Amsterdam;2023;2023;4"),
            {
                "refused": "De kolom 'jaar' komt twee keer voor ('jaar' en 'year'). Houd er één "
                "over."
            },
        ),
        (
            "alleen_kopregel.csv",
            csv_bytes(H),
            {
                "errors": [
                    [
                        1,
                        "kopregel",
                        "",
                        "Het bestand bevat een kopregel maar geen gegevensrijen; er is niets om "
                        "op te slaan.",
                    ]
                ]
            },
        ),
        (
            "kop_op_rij_3_onder_titels.csv",
            csv_bytes(
                "Signaleringscijfers regio Fryslân, 2023;;",
                "Bron: eigen registratie;;",
                H,
                "Leeuwarden;2023;14",
                "Súdwest-Fryslân;2023;-1",
            ),
            {
                "errors": [[5, "gesignaleerd", "-1", "Mag niet negatief zijn."]],
                "notices": [
                    "Rijen 1 en 2 boven de kopregel (rij 3) zijn overgeslagen: daar staat een "
                    "titel of toelichting, geen gegevens."
                ],
            },
        ),
        (
            "kop_te_laag.csv",
            csv_bytes(*[f"Toelichting regel {i};;" for i in range(1, 12)], H, "Amsterdam;2023;4"),
            {"errors": [[1, "kopregel", "", NO_HEADER]]},
        ),
        (
            "verkeerd_tabblad.xlsx",
            xlsx_bytes(
                {
                    "Uitleg": [["Vul de cijfers in op het tabblad Cijfers."]],
                    "Cijfers": [["gemeente", "jaar", "gesignaleerd"], ["Amsterdam", 2023, 4]],
                }
            ),
            {"errors": [[1, "kopregel", "", NO_HEADER]]},
        ),
        (
            "tabblad_bestaat_niet.xlsx",
            good_xlsx,
            {
                "sheet": "Cijfers 2023",
                "refused": "Het tabblad 'Cijfers 2023' bestaat niet. Kies uit: Blad1.",
            },
        ),
        # -- warnings (each file also has one error, so it cannot be stored) ---------------
        (
            "waarschuwing_meer_dan_gesignaleerd.csv",
            csv_bytes(
                H + ";gemeld_comensha;doorverwezen;in_behandeling",
                "Amsterdam;2023;10;11;12;13",
                "Rotterdam;2023;-1;;;",
            ),
            {
                "warnings": [
                    [
                        2,
                        column,
                        value,
                        "Groter dan gesignaleerd (10). Dat kan (iemand kan via een "
                        "andere route in zorg komen), maar controleer het.",
                    ]
                    for column, value in (
                        ("gemeld_comensha", "11"),
                        ("doorverwezen", "12"),
                        ("in_behandeling", "13"),
                    )
                ],
                "errors": [[3, "gesignaleerd", "-1", "Mag niet negatief zijn."]],
            },
        ),
        (
            "waarschuwing_samengevoegde_gemeente.csv",
            csv_bytes(
                "gemeentecode;gemeente;jaar;gesignaleerd",
                "GM0140;Leeuwarden;2017;4",
                "GM0080;Leeuwarden;2018;x",
            ),
            {
                "warnings": [
                    [
                        2,
                        "gemeentecode",
                        "GM0140",
                        "Gemeentecode GM0140 bestaat niet in de gemeentelijke indeling 2024; de "
                        "rij is op naam gekoppeld aan Leeuwarden (GM0080).",
                    ]
                ],
                "errors": [[3, "gesignaleerd", "x", "Geen getal."]],
            },
        ),
        # -- files that are refused --------------------------------------------------------
        (
            "rapport.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            {"refused": REFUSED_TYPE.format("'.pdf'")},
        ),
        (
            "oud_excel.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            {"refused": REFUSED_TYPE.format("'.xls'")},
        ),
        (
            "cijfers",
            csv_bytes(H, "Amsterdam;2023;4"),
            {"refused": REFUSED_TYPE.format("zonder extensie")},
        ),
        ("leeg.csv", b"", {"refused": "Het bestand 'leeg.csv' is leeg."}),
        (
            "alleen_lege_regels.csv",
            b"\r\n;;\r\n \t \r\n",
            {"refused": "Het bestand 'alleen_lege_regels.csv' bevat alleen lege regels."},
        ),
        ("binaire_rommel.csv", junk, {"refused": NOT_TEXT}),
        ("excel_met_csv_naam.csv", good_xlsx, {"refused": NOT_TEXT}),
        (
            "te_groot.csv",
            too_large(),
            {
                "max_upload_mb": 1,
                "generated": True,
                "refused": "Het bestand is 1,1 MB; de grens is 1 MB.",
            },
        ),
        ("kapot.xlsx", good_xlsx[: len(good_xlsx) // 2], {"refused": BROKEN_XLSX}),
        ("geen_zip.xlsx", b"gemeente;jaar;gesignaleerd\r\n", {"refused": BROKEN_XLSX}),
        (
            "geen_werkmap.xlsx",
            zip_bytes({"readme.txt": b"hallo"}),
            {"refused": "Dit is geen Excel-werkmap (.xlsx): het werkblad ontbreekt."},
        ),
        (
            "zip_bom.xlsx",
            zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "xl/workbook.xml": b"<workbook/>",
                    "xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024),
                }
            ),
            {
                "refused": "Het Excel-bestand wordt niet geopend: uitgepakt zou het onredelijk "
                "groot worden (mogelijk een 'zip-bom'). Lever de gegevens als CSV aan of "
                "verwijder overbodige tabbladen."
            },
        ),
    ]
    return [{"file": name, **expect, "_bytes": content} for name, content, expect in cases]


# Canonical rows of the good dialects: what every good file must import as, exactly.
ROWS = [
    # gemeentecode, gemeente, jaar, gesignaleerd, gemeld_comensha, doorverwezen, in_behandeling
    ("GM0518", "'s-Gravenhage", 2023, 1234, 12, None, 6),
    ("GM1900", "Súdwest-Fryslân", 2023, 12, None, 3, 0),
    ("GM0796", "'s-Hertogenbosch", 2022, 0, 0, 0, None),
]
COLUMNS = (
    "gemeentecode",
    "gemeente",
    "jaar",
    "gesignaleerd",
    "gemeld_comensha",
    "doorverwezen",
    "in_behandeling",
)


def _dutch(value: int | None, decimal: bool = False) -> str:
    """A count as Dutch Excel writes it: thousands dot, optionally a decimal comma ('12,0')."""
    if value is None:
        return ""
    text = f"{value:,}".replace(",", ".")
    return text + ",0" if decimal else text


def good_cases() -> list[dict]:
    names = ["Den Haag", "Súdwest-Fryslân", "’s-Hertogenbosch"]
    dutch_rows = [
        f"{name};{y};{_dutch(s, decimal=True)};{_dutch(c)};{_dutch(d)};{_dutch(b)}"
        for name, (_, _, y, s, c, d, b) in zip(names, ROWS, strict=True)
    ]
    plain = [[None if v is None else v for v in row[2:]] for row in ROWS]

    def delimited(sep: str, header: list[str]) -> list[str]:
        lines = [sep.join(header)]
        for code, _, *values in ROWS:
            lines.append(sep.join([code, *("" if v is None else str(v) for v in values)]))
        return lines

    code_header = [
        "gemeentecode",
        "jaar",
        "gesignaleerd",
        "gemeld_comensha",
        "doorverwezen",
        "in_behandeling",
    ]
    xlsx_rows = [code_header] + [
        [code, *values] for (code, *_), values in zip(ROWS, plain, strict=True)
    ]
    cases = [
        (
            "puntkomma_cp1252_decimale_komma.csv",
            csv_bytes(
                "Gemeente;Jaar;Gesignaleerd;Gemeld CoMensha;Doorverwezen;In behandeling",
                *dutch_rows,
            ),
            {},
        ),
        (
            "utf8_bom_komma.csv",
            b"\xef\xbb\xbf"
            + csv_bytes(*delimited(",", code_header), encoding="utf-8", newline="\n"),
            {},
        ),
        ("tab_gescheiden.tsv", csv_bytes(*delimited("\t", code_header), encoding="utf-8"), {}),
        ("eerste_tabblad.xlsx", xlsx_bytes({"Cijfers": xlsx_rows, "Uitleg": [["uitleg"]]}), {}),
        (
            "gekozen_tabblad.xlsx",
            xlsx_bytes({"Uitleg": [["Zie het tabblad Cijfers 2023"]], "Cijfers 2023": xlsx_rows}),
            {"sheet": "Cijfers 2023"},
        ),
        (
            "engelse_koppen.csv",
            csv_bytes(
                *delimited(
                    ",",
                    [
                        "Municipality code",
                        "Year",
                        "Signalled",
                        "Reported",
                        "Referred",
                        "In treatment",
                    ],
                ),
                encoding="utf-8",
            ),
            {},
        ),
        (
            "accenten_en_krulapostrof.csv",
            csv_bytes(
                "gemeente;jaar;gesignaleerd;gemeld_comensha;doorverwezen;in_behandeling",
                "’s-Gravenhage;2023;1234;12;;6",
                "SÚDWEST-FRYSLÂN;2023;12;;3;0",
                "‘s Hertogenbosch;2022;0;0;0;",
                encoding="utf-8",
            ),
            {},
        ),
        (
            "totaalrij.csv",
            csv_bytes(
                "Gemeentecode;Jaar;Gesignaleerd;Gemeld CoMensha;Doorverwezen;In behandeling",
                *[
                    f"{row[0]};{line.split(';', 1)[1]}"
                    for row, line in zip(ROWS, dutch_rows, strict=True)
                ],
                "Totaal;;1.246;12;3;6",
            ),
            {
                "notices": [
                    "Rij 5 ('Totaal') is een totaalrij en is niet ingelezen; de app telt zelf op."
                ]
            },
        ),
        (
            "titelregels_boven_kop.xlsx",
            xlsx_bytes(
                {"Blad1": [["Eigen cijfers 2022-2023"], [], ["Bron: jeugdzorgregio"], *xlsx_rows]}
            ),
            {
                "notices": [
                    "Rijen 1 en 3 boven de kopregel (rij 4) zijn overgeslagen: daar staat "
                    "een titel of toelichting, geen gegevens."
                ]
            },
        ),
    ]
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in ROWS]
    return [
        {"file": name, **expect, "rows": rows, "_bytes": content} for name, content, expect in cases
    ]


def write(folder: Path, cases: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for case in cases:
        content = case.pop("_bytes")
        if not case.get("generated"):
            (folder / case["file"]).write_bytes(content)
    text = json.dumps(cases, ensure_ascii=False, indent=1) + "\n"
    (folder / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write(BAD, bad_cases())
    write(GOOD, good_cases())
    print(f"{len(list(BAD.iterdir())) - 1} bad and {len(list(GOOD.iterdir())) - 1} good files")
