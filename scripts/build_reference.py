"""Build the project's own municipality table ``data/reference/gemeenten_2024.csv``.

Inputs (not shipped with the project, see /work/shared/data/reference/SOURCES.md):

* ``gebieden_2024.csv``: municipality -> province, jeugdregio, GGD region, veiligheidsregio.
  That table was derived by spatial overlay of CBS 2024 boundaries, not copied from the CBS
  "Gebieden in Nederland" table.
* ``bevolking_2024.csv``: CBS Kerncijfers wijken en buurten 2024 (population on 1 January 2024).

Only facts (codes, names, memberships, counts) carry over; no boundary file is copied.

Usage::

    python scripts/build_reference.py [SOURCE_DIR]

SOURCE_DIR defaults to ``../shared/data/reference`` next to the project folder, or the
environment variable ``LBS_REFERENCE_SOURCE``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_ROOT / "data" / "reference" / "gemeenten_2024.csv"
DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "data" / "reference"

sys.path.insert(0, str(PROJECT_ROOT))

# The table's columns and the national total are the loader's own, so the file this script
# writes is the file the loader checks.
from loverboy_stats.reference import COLUMNS as OUTPUT_COLUMNS  # noqa: E402
from loverboy_stats.reference import NATIONAL_POPULATION_2024  # noqa: E402


def build(source_dir: Path) -> pd.DataFrame:
    """The reference table from the two source CSVs, checked before it is returned."""
    regions = pd.read_csv(source_dir / "gebieden_2024.csv", dtype=str, keep_default_na=False)
    population = pd.read_csv(source_dir / "bevolking_2024.csv", dtype={"gemeentecode": str})
    population = population.rename(
        columns={"aantal_inwoners": "inwoners", "pct_15_tot_25": "pct_15_25"}
    )
    merged = regions.merge(
        population[["gemeentecode", "gemeentenaam", "inwoners", "vrouwen", "pct_15_25"]],
        on="gemeentecode",
        how="outer",
        validate="one_to_one",
        suffixes=("", "_bevolking"),
        indicator=True,
    )
    # Both sources must describe the same 342 municipalities under the same names; a mismatch
    # means one of them is from another year, which would silently skew every expected value.
    if (merged["_merge"] != "both").any():
        raise SystemExit("gebieden_2024.csv and bevolking_2024.csv list different codes")
    if (merged["gemeentenaam"] != merged["gemeentenaam_bevolking"]).any():
        raise SystemExit("gebieden_2024.csv and bevolking_2024.csv disagree on names")
    table = merged[OUTPUT_COLUMNS].sort_values("gemeentecode").reset_index(drop=True)
    if len(table) != 342 or int(table["inwoners"].sum()) != NATIONAL_POPULATION_2024:
        raise SystemExit("unexpected row count or population total")
    return table


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else None
    source = source or Path(os.environ.get("LBS_REFERENCE_SOURCE", DEFAULT_SOURCE))
    table = build(source)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUTPUT, index=False, lineterminator="\n")
    print(f"wrote {OUTPUT.relative_to(PROJECT_ROOT)}: {len(table)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
