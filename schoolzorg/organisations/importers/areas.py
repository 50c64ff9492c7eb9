"""CBS buurten (`Identifier,Title` and other CBS tables) → Neighbourhood, District, Municipality.

The wijk code and gemeente code follow from the buurt code (`BU05990110` → `WK059901`, `GM0599`).
Wijk names are known where the file itself lists wijken (kerncijfers wijken en buurten has
gemeente, wijk and buurt rows) or a wijk list is given (Rotterdam ships with the code); elsewhere
a neutral `Wijk WK059901` is used, and a later, better name replaces it.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from schoolzorg.lib.csvfiles import Column
from schoolzorg.organisations.importers.base import (
    CHANGED,
    NEW,
    REGISTRY_DIR,
    SAME,
    ImportReport,
    create_organisations,
    load_table,
    municipality_name,
    refuse_on_problems,
    update_objects,
)
from schoolzorg.organisations.models import District, Municipality, Neighbourhood, OrganisationKind

DEFAULT_FILE = REGISTRY_DIR / "cbs" / "buurten-2024-namen.csv"
DEFAULT_DISTRICT_NAMES = REGISTRY_DIR / "cbs" / "rotterdam-wijken-2024.csv"
_BUURT = re.compile(r"^BU([0-9]{4})([0-9A-Z]{2})([0-9A-Z]{2})$")


def placeholder_district_name(code: str) -> str:
    return f"Wijk {code}"


# The code and name columns of the files that list buurten (and often wijken and gemeenten):
# CBS's dimension table (`Identifier`, `Title`), the wijk- en buurtkaart (`buurtcode`/`buurtnaam`
# from 2023, `BU_CODE`/`BU_NAAM` before), kerncijfers wijken en buurten (`gwb_code_10`,
# `regio`), a StatLine download (`Codering_3`, `WijkenEnBuurten`) and cbsgebiedsindelingen
# (`statcode`, `statnaam`). A number after the name (`Codering_3`) does not matter.
CODE_COLUMN = Column(
    "Identifier",
    ("buurtcode", "bu code", "gwb code 10", "gwb code", "codering", "statcode", "regiocode"),
)
NAME_COLUMN = Column(
    "Title",
    ("buurtnaam", "bu naam", "regio", "regionaam", "statnaam", "WijkenEnBuurten", "naam"),
)
WIJK_CODE_COLUMN = Column(
    "statcode", ("wijkcode", "wk code", "identifier", "gwb code 10", "codering")
)
WIJK_NAME_COLUMN = Column("statnaam", ("wijknaam", "wk naam", "title", "regio", "naam"))
_WIJK = re.compile(r"^WK[0-9]{4}[0-9A-Z]{2}$")
_GEMEENTE = re.compile(r"^(GM[0-9]{4}|NL[0-9]{2})$")


def read_district_names(path: str | Path) -> dict[str, str]:
    """Wijk names by code from a wijk list; buurt and gemeente rows in it are passed over."""
    table = load_table(path, columns=[WIJK_CODE_COLUMN, WIJK_NAME_COLUMN])
    names = {}
    for row in table:
        code = row["statcode"].upper()
        if _BUURT.match(code) or _GEMEENTE.match(code):
            continue
        if not _WIJK.match(code) or not row["statnaam"]:
            table.reject(row.line, f"ongeldige wijk '{row['statcode']}'")
            continue
        names[code] = row["statnaam"]
    refuse_on_problems(path, table)
    return names


def import_areas(
    path: str | Path = DEFAULT_FILE,
    *,
    district_names: str | Path | None = DEFAULT_DISTRICT_NAMES,
) -> ImportReport:
    """Import buurten (and the names of wijken the file lists); all or nothing."""
    source = Path(path).name
    table = load_table(path, columns=[CODE_COLUMN, NAME_COLUMN])
    known_names = read_district_names(district_names) if district_names else {}
    buurten: dict[str, tuple[str, str, str]] = {}  # code → (name, wijk code, gemeente number)
    lines: dict[str, int] = {}
    file_wijken: dict[str, str] = {}
    passed_over = 0
    for row in table:
        code = row["Identifier"].upper()
        title = row["Title"]
        if title.upper() == code:
            title = ""  # a code where the name should be is no name
        if _WIJK.match(code):
            if title:
                file_wijken[code] = title[:200]
            continue
        if _GEMEENTE.match(code):
            passed_over += 1
            continue
        m = _BUURT.match(code)
        if not m:
            table.reject(row.line, f"ongeldige buurtcode '{row['Identifier']}'")
            continue
        if not title:
            table.reject(row.line, f"buurt {code} heeft geen naam")
            continue
        if code in buurten:
            table.reject(row.line, f"buurtcode {code} staat ook op regel {lines[code]}")
            continue
        lines[code] = row.line
        buurten[code] = (title[:200], f"WK{m.group(1)}{m.group(2)}", m.group(1))
    if not buurten and not table.problem_count:
        table.reject(
            table.header_line + 1, "het bestand heeft geen buurten (codes die beginnen met BU)"
        )
    refuse_on_problems(path, table)
    known_names = {**known_names, **file_wijken}  # the file's own year first

    report = ImportReport(source, things="buurten", counts=(NEW, CHANGED, SAME))
    if file_wijken:
        report.notes.append(f"{len(file_wijken)} wijknamen uit het bestand")
    if passed_over:
        report.notes.append(f"{passed_over} regels van gemeenten of het land overgeslagen")
    with transaction.atomic():
        numbers = {number for _, _, number in buurten.values()}
        municipalities = dict(
            Municipality.objects.filter(cbs_code__in=[f"GM{n}" for n in numbers]).values_list(
                "cbs_code", "pk"
            )
        )
        new_munis = [
            Municipality(
                kind=OrganisationKind.MUNICIPALITY,
                name=municipality_name(n),
                cbs_code=f"GM{n}",
            )
            for n in sorted(numbers)
            if f"GM{n}" not in municipalities
        ]
        create_organisations(Municipality, new_munis)
        municipalities.update({m.cbs_code: m.pk for m in new_munis})
        if new_munis:
            report.notes.append(f"{len(new_munis)} gemeenten aangemaakt")

        wijken = {wk: number for _, wk, number in buurten.values()}
        districts = {d.code: d for d in District.objects.filter(code__in=wijken)}
        new_districts = []
        renamed = []
        for wk, number in sorted(wijken.items()):
            name = known_names.get(wk)
            district = districts.get(wk)
            if district is None:
                new_districts.append(
                    District(
                        code=wk,
                        name=name or placeholder_district_name(wk),
                        municipality_id=municipalities[f"GM{number}"],
                    )
                )
            elif name and district.name != name:
                district.name = name
                renamed.append(district)
        District.objects.bulk_create(new_districts, batch_size=2000)
        update_objects(District, renamed, ["name"])
        district_ids = dict(District.objects.filter(code__in=wijken).values_list("code", "pk"))
        if new_districts or renamed:
            report.notes.append(f"wijken: {len(new_districts)} nieuw, {len(renamed)} hernoemd")

        existing = {n.code: n for n in Neighbourhood.objects.filter(code__in=buurten)}
        new_hoods = []
        changed = []
        for code, (name, wk, _) in buurten.items():
            hood = existing.get(code)
            if hood is None:
                new_hoods.append(Neighbourhood(code=code, name=name, district_id=district_ids[wk]))
            elif hood.name != name or hood.district_id != district_ids[wk]:
                hood.name, hood.district_id = name, district_ids[wk]
                changed.append(hood)
            else:
                report.unchanged += 1
        Neighbourhood.objects.bulk_create(new_hoods, batch_size=2000)
        update_objects(Neighbourhood, changed, ["name", "district"])
        report.inserted, report.updated = len(new_hoods), len(changed)
    return report
