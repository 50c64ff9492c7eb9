"""Postcode tables → PostcodeArea: which neighbourhood, district or municipality a postcode is in.

Three kinds of file are recognised by their columns:

* a CBS-style table: a postcode column (`postcode`, `PC6` or `PC4`) and an area column (`buurtcode`
  / `Buurt2024`, or `wijkcode` / `Wijk2024`, or `gemeentecode` / `Gemeente2024`); CBS's
  postcode-huisnummer file has one row per address, so a postcode takes the area most of its
  addresses are in. The areas must be imported first (`import-areas`).
* DUO's per-postcode pupil files (`POSTCODE_LEERLING`, `GEMEENTENAAM_LEERLING`): a 2024 PC4 →
  municipality fallback.
* the SWV table (`PC4`, `gemeente`): a PC4 → municipality fallback with 2015 names, merged
  municipalities mapped to their successor.

A PC6 entry is always more precise than its PC4 (`PostcodeQuerySet.resolve`). A fallback never
replaces an entry that knows a district, nor a better fallback (DUO 2024 over SWV 2015).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from schoolzorg.lib.csvfiles import CsvFile, Problem
from schoolzorg.lib.postcodes import normalise_postcode
from schoolzorg.organisations.importers.base import (
    CHANGED,
    NEW,
    SAME,
    ImportRefused,
    ImportReport,
    in_chunks,
    load_table,
    municipality_names,
    normalise_name,
    refuse_on_problems,
    update_objects,
)
from schoolzorg.organisations.importers.geo import assign_school_areas
from schoolzorg.organisations.models import (
    District,
    Municipality,
    Neighbourhood,
    PostcodeArea,
)

# Column names are compared loosely (`column_key`): case, `_`/space, and a year after the name
# (`Buurt2019`, `buurtcode2022`) do not matter.
POSTCODE_COLUMNS = ("postcode", "pc6", "pc4", "postcode6", "postcode4")
AREA_COLUMNS = {
    "buurt": ("buurtcode", "buurt", "bu code"),
    "wijk": ("wijkcode", "wijk", "wk code"),
    "gemeente": ("gemeentecode", "gm code"),
}
PLACEHOLDER_PC4 = {"10": "België", "30": "ander land", "40": "onbekend"}
SOURCE_RANK = {"swv": 1, "duo": 2}  # anything else (CBS, demo, hand-made) ranks 3

# Municipalities merged since the 2015 SWV table, by their old name → the current name.
MERGED: dict[str, str] = {
    **dict.fromkeys(["Bussum", "Naarden", "Muiden"], "Gooise Meren"),
    "Zeevang": "Edam-Volendam",
    **dict.fromkeys(["Geldermalsen", "Lingewaal", "Neerijnen"], "West Betuwe"),
    **dict.fromkeys(["Leerdam", "Zederik", "Vianen"], "Vijfheerenlanden"),
    **dict.fromkeys(["Aalburg", "Werkendam", "Woudrichem"], "Altena"),
    **dict.fromkeys(["Bedum", "De Marne", "Eemsmond", "Winsum"], "Het Hogeland"),
    **dict.fromkeys(["Grootegast", "Leek", "Marum", "Zuidhorn"], "Westerkwartier"),
    **dict.fromkeys(["Haren", "Ten Boer"], "Groningen"),
    **dict.fromkeys(["Appingedam", "Delfzijl", "Loppersum"], "Eemsdelta"),
    **dict.fromkeys(["Hoogezand-Sappemeer", "Menterwolde", "Slochteren"], "Midden-Groningen"),
    **dict.fromkeys(["Vlagtwedde", "Bellingwedde"], "Westerwolde"),
    **dict.fromkeys(
        ["Dongeradeel", "Ferwerderadiel", "Kollumerland en Nieuwkruisland"], "Noardeast-Fryslân"
    ),
    **dict.fromkeys(["Franekeradeel", "het Bildt", "Menameradiel"], "Waadhoeke"),
    "Leeuwarderadeel": "Leeuwarden",
    "Rijnwaarden": "Zevenaar",
    **dict.fromkeys(["Schijndel", "Sint-Oedenrode", "Veghel"], "Meierijstad"),
    "Noordwijkerhout": "Noordwijk",
    **dict.fromkeys(["Onderbanken", "Nuth", "Schinnen"], "Beekdaelen"),
    **dict.fromkeys(["Giessenlanden", "Molenwaard"], "Molenlanden"),
    **dict.fromkeys(
        ["Binnenmaas", "Cromstrijen", "Korendijk", "Oud-Beijerland", "Strijen"], "Hoeksche Waard"
    ),
    "Haarlemmerliede en Spaarnwoude": "Haarlemmermeer",
    "Weesp": "Amsterdam",
    **dict.fromkeys(["Heerhugowaard", "Langedijk"], "Dijk en Waard"),
    **dict.fromkeys(["Landerd", "Uden"], "Maashorst"),
    **dict.fromkeys(
        ["Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis"], "Land van Cuijk"
    ),
    **dict.fromkeys(["Brielle", "Hellevoetsluis", "Westvoorne"], "Voorne aan Zee"),
    "Beemster": "Purmerend",
    "De Friese Meren": "De Fryske Marren",
    **dict.fromkeys(["Groesbeek", "Millingen aan de Rijn", "Ubbergen"], "Berg en Dal"),
}


def _rank(source: str) -> int:
    return SOURCE_RANK.get(source.split(":", 1)[0], 3)


def municipality_index() -> dict[str, int]:
    """Normalised name → municipality id, for every spelling we know (DUO, CBS, old names)."""
    by_code = dict(Municipality.objects.values_list("cbs_code", "pk"))
    index: dict[str, int] = {}
    for pk, name in Municipality.objects.values_list("pk", "name"):
        index[normalise_name(name)] = pk
    for number, name in municipality_names().items():
        if f"GM{number}" in by_code:
            index.setdefault(normalise_name(name), by_code[f"GM{number}"])
    for old, new in MERGED.items():
        target = index.get(normalise_name(new))
        if target:
            index.setdefault(normalise_name(old), target)
    if "S GRAVENHAGE" in index:
        index.setdefault("DEN HAAG", index["S GRAVENHAGE"])
    if "BERGEN L" in index:
        index.setdefault("BERGEN LB", index["BERGEN L"])
    return index


def _existing(postcodes: Iterable[str]) -> dict[str, PostcodeArea]:
    return {
        a.postcode: a
        for chunk in in_chunks(postcodes)
        for a in PostcodeArea.objects.filter(postcode__in=chunk)
    }


def import_postcodes(path: str | Path) -> ImportReport:
    """Import any of the three postcode tables; all or nothing."""
    table = load_table(path)
    duo = (table.find("POSTCODE_LEERLING"), table.find("GEMEENTENAAM_LEERLING"))
    if any(duo):
        if not all(duo):
            missing = "POSTCODE_LEERLING" if duo[0] is None else "GEMEENTENAAM_LEERLING"
            raise ImportRefused(
                Path(path).name,
                [Problem(table.header_line, f"kolom(men) ontbreken: {missing}")],
            )
        return _import_pc4_names(path, table, duo[0] or "", duo[1] or "", "duo")
    pc4 = table.find("PC4", numbered=False)
    name = table.find("gemeente", "gemeentenaam", numbered=False)
    if pc4 and name:
        return _import_pc4_names(path, table, pc4, name, "swv")
    return _import_cbs(path, table)


def _import_pc4_names(
    path: str | Path, table: CsvFile, pc_column: str, name_column: str, kind: str
) -> ImportReport:
    source = Path(path).name
    report = ImportReport(source, things="postcodes", counts=(NEW, CHANGED, SAME))
    votes: dict[str, Counter[str]] = {}
    first_line: dict[str, int] = {}
    for row in table:
        raw = row[pc_column]
        if raw in PLACEHOLDER_PC4:
            report.skipped.append(
                Problem(row.line, f"postcode {raw} ({PLACEHOLDER_PC4[raw]}) is geen echte PC4")
            )
            continue
        if not re.match(r"^[1-9][0-9]{3}$", raw):
            table.reject(row.line, f"ongeldige PC4 '{raw}'")
            continue
        if not row[name_column]:
            table.reject(row.line, f"geen gemeente bij PC4 {raw}")
            continue
        votes.setdefault(raw, Counter())[row[name_column]] += 1
        first_line.setdefault(raw, row.line)
    refuse_on_problems(path, table)

    with transaction.atomic():
        index = municipality_index()
        existing = _existing(votes)
        new: list[PostcodeArea] = []
        changed: list[PostcodeArea] = []
        label = f"{kind}:{source}"[:100]
        for pc4, counter in sorted(votes.items()):
            name = counter.most_common(1)[0][0]
            municipality_id = index.get(normalise_name(name))
            if municipality_id is None:
                report.skipped.append(
                    Problem(first_line[pc4], f"gemeente '{name}' van PC4 {pc4} is onbekend")
                )
                continue
            area = existing.get(pc4)
            if area is None:
                new.append(
                    PostcodeArea(postcode=pc4, municipality_id=municipality_id, source=label)
                )
            elif area.district_id or area.neighbourhood_id or _rank(area.source) > _rank(label):
                report.unchanged += 1
            elif area.municipality_id != municipality_id or area.source != label:
                if area.municipality_id == municipality_id and _rank(area.source) == _rank(label):
                    report.unchanged += 1
                    continue
                area.municipality_id, area.source = municipality_id, label
                changed.append(area)
            else:
                report.unchanged += 1
        PostcodeArea.objects.bulk_create(new, batch_size=2000)
        update_objects(PostcodeArea, changed, ["municipality", "source"])
        report.inserted, report.updated = len(new), len(changed)
    return report


_AREA_SHAPE = {"buurt": ("BU", 8), "wijk": ("WK", 6), "gemeente": ("GM", 4)}


def _area_code(kind: str, raw: str) -> str:
    """`BU05990110`, `05990110` and `5990110` are the same buurt; likewise for wijk and gemeente.

    Without its prefix a code is known by its shape: the four digits of the gemeente, then two
    characters of wijk and two of buurt, which may be letters (Amsterdam: `0363AA01` is buurt
    `BU0363AA01`, `0363AA` wijk `WK0363AA`). Only an all-digit code can have lost its leading
    zero (a spreadsheet read it as a number).
    """
    value = raw.strip().upper()
    prefix, width = _AREA_SHAPE[kind]
    if value.startswith(prefix):
        return value
    if value.isdigit():
        return prefix + value.zfill(width)
    if len(value) == width and value[:4].isdigit() and value.isascii() and value.isalnum():
        return prefix + value
    return value


def _import_cbs(path: str | Path, table: CsvFile) -> ImportReport:
    source = Path(path).name
    pc_column = table.find(*POSTCODE_COLUMNS)
    area_kind, area_column = next(
        (
            (kind, column)
            for kind, options in AREA_COLUMNS.items()
            if (column := table.find(*options))
        ),
        ("", None),
    )
    if area_column is None:  # `Gemeente2024`: a year after the name, never the bare name
        area_kind, area_column = "gemeente", table.find("gemeente", exact=False)
    if pc_column is None or area_column is None:
        missing = []
        if pc_column is None:
            missing.append("een postcodekolom (postcode, PC6 of PC4)")
        if area_column is None:
            missing.append(
                "een gebiedskolom (buurtcode/Buurt2024, wijkcode/Wijk2024 of "
                "gemeentecode/Gemeente2024)"
            )
        raise ImportRefused(
            source,
            [
                Problem(
                    table.header_line,
                    f"kolom(men) ontbreken: {' en '.join(missing)}; of voor een PC4-tabel: "
                    "POSTCODE_LEERLING en GEMEENTENAAM_LEERLING (DUO) of PC4 en gemeente (SWV); "
                    f"gevonden: {', '.join(h for h in table.header if h)}",
                )
            ],
        )
    votes: dict[str, Counter[str]] = {}
    lines: dict[str, int] = {}  # first line of each area code
    for row in table:
        pc = normalise_postcode(row[pc_column])
        if not pc:
            table.reject(row.line, f"ongeldige postcode '{row[pc_column]}'")
            continue
        code = _area_code(area_kind, row[area_column])
        if not code:
            table.reject(row.line, f"geen {area_column} bij postcode {pc}")
            continue
        votes.setdefault(pc, Counter())[code] += 1
        lines.setdefault(code, row.line)

    codes = {c for counter in votes.values() for c in counter}
    found: dict[str, tuple[int | None, int | None, int]] = {}
    for chunk in in_chunks(sorted(codes)):
        if area_kind == "buurt":
            found.update(
                (n.code, (n.pk, n.district_id, n.district.municipality_id))
                for n in Neighbourhood.objects.filter(code__in=chunk).select_related("district")
            )
        elif area_kind == "wijk":
            found.update(
                (d.code, (None, d.pk, d.municipality_id))
                for d in District.objects.filter(code__in=chunk)
            )
        else:
            found.update(
                (m.cbs_code, (None, None, m.pk))
                for m in Municipality.objects.filter(cbs_code__in=chunk)
            )
    for code in sorted(codes - set(found), key=lambda c: lines[c]):
        table.reject(
            lines[code],
            f"onbekende {area_kind}code '{code}' (eerst import-areas draaien?)",
        )
    refuse_on_problems(path, table)

    report = ImportReport(source, things="postcodes", counts=(NEW, CHANGED, SAME))
    label = f"cbs:{source}"[:100]
    with transaction.atomic():
        existing = _existing(votes)
        new: list[PostcodeArea] = []
        changed: list[PostcodeArea] = []
        for pc, counter in sorted(votes.items()):
            hood_id, district_id, municipality_id = found[counter.most_common(1)[0][0]]
            area = existing.get(pc)
            if area is None:
                new.append(
                    PostcodeArea(
                        postcode=pc,
                        neighbourhood_id=hood_id,
                        district_id=district_id,
                        municipality_id=municipality_id,
                        source=label,
                    )
                )
                continue
            target = (hood_id, district_id, municipality_id)
            if (area.neighbourhood_id, area.district_id, area.municipality_id) == target:
                report.unchanged += 1
                continue
            area.neighbourhood_id, area.district_id, area.municipality_id = target
            area.source = label
            changed.append(area)
        PostcodeArea.objects.bulk_create(new, batch_size=2000)
        update_objects(
            PostcodeArea, changed, ["neighbourhood", "district", "municipality", "source"]
        )
        report.inserted, report.updated = len(new), len(changed)
        moved = assign_school_areas()
        if moved:
            report.notes.append(
                f"{moved} {'school kreeg' if moved == 1 else 'scholen kregen'} een wijk"
            )
    return report
