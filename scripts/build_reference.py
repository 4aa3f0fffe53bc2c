"""Build the project's own municipality table ``data/reference/gemeenten_2024.csv``.

Needs a folder with two CSV files (CBS, 2024; not shipped with the project):

* ``gebieden_2024.csv`` - columns gemeentecode, gemeentenaam and the code and name of each
  municipality's provincie, jeugdregio, ggdregio and veiligheidsregio (derived by overlaying the
  CBS 2024 boundaries);
* ``bevolking_2024.csv`` - columns gemeentecode, gemeentenaam, aantal_inwoners, vrouwen and
  pct_15_tot_25 (CBS Kerncijfers wijken en buurten 2024: population on 1 January 2024).

Only facts (codes, names, memberships, counts) carry over; no boundary file is copied. The
result is checked (342 municipalities, the national population total) before it is written.

Usage::

    python scripts/build_reference.py SOURCE_DIR [--output FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_ROOT / "data" / "reference" / "gemeenten_2024.csv"
NEEDED = ("gebieden_2024.csv", "bevolking_2024.csv")

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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source", metavar="SOURCE_DIR", type=Path, help="folder with " + " and ".join(NEEDED)
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help=f"default {OUTPUT.relative_to(PROJECT_ROOT)}"
    )
    args = parser.parse_args(argv[1:])
    missing = [name for name in NEEDED if not (args.source / name).is_file()]
    if missing:
        print(
            f"{args.source} lacks {', '.join(missing)}; this script needs "
            + " and ".join(NEEDED)
            + " (see the docstring of scripts/build_reference.py).",
            file=sys.stderr,
        )
        return 2
    table = build(args.source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.output, index=False, lineterminator="\n")
    print(f"wrote {args.output}: {len(table)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
