"""SWV PC4 table (`PC4;gemeente;PO SWV;VO SWV`) → Partnership and PartnershipArea.

The table has codes only; a partnership is named after its code until someone enters its real
name (a name that was changed by hand is kept). `Europoort` (PC4 3197–3199, a port area without
residents) is not a code: those cells are skipped and listed, the file is not refused for them.
Any other value that is not a `PO1234`/`VO1234` code refuses the file. Primary schools get the
PO partnership of their PC4. A PC4 link missing from the file is removed (a link of a partnership
the file names, or any link in a sector it has a column for of a PC4 it lists: a partnership
merged into another loses its postcodes), but a file that would remove more than a tenth of them
at once is refused unless asked for (`refuse_mass_removal`, the rule `import-schools` has for
closing locations).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from schoolzorg.lib.csvfiles import Column, Problem
from schoolzorg.organisations.importers.base import (
    NEW,
    REMOVED,
    SAME,
    FirstLines,
    ImportReport,
    create_organisations,
    load_table,
    refuse_mass_removal,
    refuse_on_problems,
)
from schoolzorg.organisations.importers.geo import assign_school_areas
from schoolzorg.organisations.models import (
    OrganisationKind,
    Partnership,
    PartnershipArea,
    Sector,
)

# Names compared loosely (`PO_SWV`, `po swv`); other lists call them `SWV PO` or name the column
# after the samenwerkingsverband. Without a VO column only the PO partnerships are read.
COLUMNS = [
    Column("PC4", ("postcode", "postcode4")),
    Column("PO SWV", ("SWV PO", "samenwerkingsverband PO", "PO")),
    Column("VO SWV", ("SWV VO", "samenwerkingsverband VO", "VO"), required=False),
]
NOT_A_CODE = {"europoort"}
_CODE = {"PO SWV": re.compile(r"^PO[0-9]{4}$"), "VO SWV": re.compile(r"^VO[0-9]{4}$")}


def partnership_name(code: str) -> str:
    return f"Samenwerkingsverband {code}"


def partnership_code(value: str) -> str:
    """`PO2806`, `po 28-06` and `PO 28.06` are the same code."""
    return re.sub(r"[\s.\-_/]", "", value).upper()


def import_partnership_regions(path: str | Path, *, remove_many: bool = False) -> ImportReport:
    """Import the PC4 table; all or nothing.

    A file that would remove more than a tenth of the stored PC4 links (of the partnerships it
    names) is refused, as a cut-off file or an extract, unless `remove_many` is given.
    """
    source = Path(path).name
    table = load_table(path, columns=COLUMNS)
    report = ImportReport(
        source,
        things="koppelingen van een postcode aan een samenwerkingsverband",
        counts=(NEW, SAME, REMOVED),
    )
    areas: set[tuple[str, str]] = set()
    seen = FirstLines("PC4")
    listed: set[str] = set()
    read = [column for column in _CODE if table.has(column)]
    for row in table:
        pc4 = row["PC4"]
        errors = []
        if not re.match(r"^[1-9][0-9]{3}$", pc4):
            errors.append(f"ongeldige PC4 '{pc4}'")
        elif again := seen.again(pc4):
            errors.append(again)
        codes = []
        for column in read:
            value = partnership_code(row[column])
            if value.lower() in NOT_A_CODE:
                report.skipped.append(
                    Problem(row.line, f"{column} '{row[column]}' is geen code (PC4 {pc4})")
                )
            elif not _CODE[column].match(value):
                errors.append(f"ongeldige {column} '{row[column]}'")
            else:
                codes.append(value)
        if errors:
            table.reject(row.line, "; ".join(errors))
            continue
        seen.add(pc4, row.line)
        listed.add(pc4)
        areas.update((pc4, code) for code in codes)
    refuse_on_problems(path, table)

    with transaction.atomic():
        wanted_codes = {code for _, code in areas}
        partnerships = dict(
            Partnership.objects.filter(code__in=wanted_codes).values_list("code", "pk")
        )
        new = [
            Partnership(
                kind=OrganisationKind.PARTNERSHIP,
                name=partnership_name(code),
                code=code,
                sector=Sector.PRIMARY if code.startswith("PO") else Sector.SECONDARY,
            )
            for code in sorted(wanted_codes - set(partnerships))
        ]
        create_organisations(Partnership, new)
        partnerships.update({p.code: p.pk for p in new})
        if new:
            report.notes.append(f"{len(new)} samenwerkingsverbanden aangemaakt")

        wanted = {(pc4, partnerships[code]) for pc4, code in areas}
        # What the file speaks for: the links of the partnerships it names, and of each postcode
        # it lists every link in a sector it has a column for (a partnership merged into
        # another is no longer in the file, but its postcodes are, with their new partnership).
        sectors = [Sector.PRIMARY if column == "PO SWV" else Sector.SECONDARY for column in read]
        current = set(
            PartnershipArea.objects.filter(
                Q(partnership_id__in=partnerships.values())
                | Q(pc4__in=listed, partnership__sector__in=sectors)
            ).values_list("pc4", "partnership_id")
        )
        gone = current - wanted
        if not remove_many:
            refuse_mass_removal(
                source,
                removing=len(gone),
                stored=len(current),
                things="koppelingen van een postcode aan een samenwerkingsverband",
                verb="verwijderen",
                full_file="het volledige bestand",
                on_purpose=(
                    "verwijder ze bewust (import-partnership-regions --verwijder-ontbrekende)"
                ),
            )
        PartnershipArea.objects.bulk_create(
            [PartnershipArea(pc4=pc4, partnership_id=pid) for pc4, pid in sorted(wanted - current)],
            batch_size=2000,
        )
        for pc4, pid in gone:
            PartnershipArea.objects.filter(pc4=pc4, partnership_id=pid).delete()
        report.inserted = len(wanted - current)
        report.unchanged = len(wanted & current)
        report.closed = len(gone)
        moved = assign_school_areas()
        if moved:
            who = "school kreeg" if moved == 1 else "scholen kregen"
            report.notes.append(f"{moved} {who} een samenwerkingsverband of wijk")
    return report
