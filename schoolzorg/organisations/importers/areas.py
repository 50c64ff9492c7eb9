"""CBS buurten (`Identifier,Title`) → Neighbourhood, District and Municipality.

The wijk code and gemeente code follow from the buurt code (`BU05990110` → `WK059901`, `GM0599`).
Wijk names are known only where a wijk list is given (Rotterdam ships with the code); elsewhere a
neutral `Wijk WK059901` is used, and a later, better name replaces it.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from schoolzorg.lib.csvfiles import Problem
from schoolzorg.organisations.importers.base import (
    REGISTRY_DIR,
    ImportRefused,
    ImportReport,
    create_organisations,
    load_table,
    municipality_name,
    update_objects,
)
from schoolzorg.organisations.models import District, Municipality, Neighbourhood, OrganisationKind

DEFAULT_FILE = REGISTRY_DIR / "cbs" / "buurten-2024-namen.csv"
DEFAULT_DISTRICT_NAMES = REGISTRY_DIR / "cbs" / "rotterdam-wijken-2024.csv"
_BUURT = re.compile(r"^BU([0-9]{4})([0-9A-Z]{2})([0-9A-Z]{2})$")


def placeholder_district_name(code: str) -> str:
    return f"Wijk {code}"


def read_district_names(path: str | Path) -> dict[str, str]:
    table = load_table(path, required=["statcode", "statnaam"])
    problems = list(table.problems)
    names = {}
    for row in table:
        if not re.match(r"^WK[0-9]{4}[0-9A-Z]{2}$", row["statcode"]) or not row["statnaam"]:
            problems.append(Problem(row.line, f"ongeldige wijk '{row['statcode']}'"))
            continue
        names[row["statcode"]] = row["statnaam"]
    if problems:
        raise ImportRefused(Path(path).name, problems)
    return names


def import_areas(
    path: str | Path = DEFAULT_FILE,
    *,
    district_names: str | Path | None = DEFAULT_DISTRICT_NAMES,
) -> ImportReport:
    source = Path(path).name
    table = load_table(path, required=["Identifier", "Title"])
    known_names = read_district_names(district_names) if district_names else {}
    problems = list(table.problems)
    buurten: dict[str, tuple[str, str, str]] = {}  # code → (name, wijk code, gemeente number)
    lines: dict[str, int] = {}
    for row in table:
        code = row["Identifier"].upper()
        m = _BUURT.match(code)
        if not m:
            problems.append(Problem(row.line, f"ongeldige buurtcode '{row['Identifier']}'"))
            continue
        if not row["Title"]:
            problems.append(Problem(row.line, f"buurt {code} heeft geen naam"))
            continue
        if code in buurten:
            problems.append(Problem(row.line, f"buurtcode {code} staat ook op regel {lines[code]}"))
            continue
        lines[code] = row.line
        buurten[code] = (row["Title"][:200], f"WK{m.group(1)}{m.group(2)}", m.group(1))
    if problems:
        raise ImportRefused(source, problems)

    report = ImportReport(source=source)
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
