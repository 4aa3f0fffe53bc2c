"""The areas an organisation works for: municipalities and regions, by their CBS codes."""

from __future__ import annotations

from loverboy_stats.reference import load_municipalities

#: Code prefix -> the reference table's code and name columns of that kind of area.
_KINDS = {
    "GM": ("gemeentecode", "gemeentenaam", "gemeente"),
    "JZ": ("jeugdregiocode", "jeugdregionaam", "jeugdregio"),
    "PV": ("provinciecode", "provincienaam", "provincie"),
    "GG": ("ggdregiocode", "ggdregionaam", "GGD-regio"),
    "VR": ("veiligheidsregiocode", "veiligheidsregionaam", "veiligheidsregio"),
}


def check_area_code(code: str) -> str:
    """``code`` as stored (upper case, no spaces) when it names a municipality or region of
    the reference table; raises ValueError with a Dutch message otherwise."""
    clean = str(code).strip().upper()
    kind = _KINDS.get(clean[:2])
    if kind is None or clean not in set(load_municipalities().reset_index(drop=True)[kind[0]]):
        raise ValueError(
            f"Onbekende gebiedscode '{clean[:20]}'. Gebruik een code uit de gemeentetabel, "
            "zoals GM0363 (gemeente) of JZ17 (jeugdregio)."
        )
    return clean


def municipalities_of(codes) -> frozenset[str]:
    """The municipality codes the area ``codes`` cover (a region: all its municipalities)."""
    table = load_municipalities().reset_index(drop=True)
    found: set[str] = set()
    for code in codes:
        kind = _KINDS.get(str(code)[:2])
        if kind is not None:
            found.update(table.loc[table[kind[0]] == code, "gemeentecode"].astype(str))
    return frozenset(found)


def area_label(code: str) -> str:
    """'Amsterdam (gemeente)' for a code; the code itself when it is unknown."""
    kind = _KINDS.get(str(code)[:2])
    if kind is None:
        return str(code)
    table = load_municipalities().reset_index(drop=True)
    names = table.loc[table[kind[0]] == code, kind[1]]
    return f"{names.iloc[0]} ({kind[2]})" if len(names) else str(code)


def area_options() -> dict[str, str]:
    """Every municipality and region code -> its label, municipalities first, each by name."""
    table = load_municipalities().reset_index(drop=True)
    options: dict[str, str] = {}
    for code_column, name_column, kind in _KINDS.values():
        pairs = table[[code_column, name_column]].drop_duplicates().sort_values(name_column)
        options.update(
            {
                c: f"{n} ({kind})"
                for c, n in zip(pairs[code_column], pairs[name_column], strict=True)
            }
        )
    return options
