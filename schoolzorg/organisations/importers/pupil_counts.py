"""DUO "06. Historisch overzicht aantal leerlingen per schoolvestiging" → School.pupil_count.

Takes the latest year column (`LEERLINGEN_<jaar>`) for every location already known. `<5` is a
suppressed small count: stored as `is_small_count=True` with no number. Locations not in the
database (special education, closed ones) are counted, not created. A location on two rows
refuses the file, as in `import-schools`; so does a count that is not ASCII digits or above
MAX_COUNT, and a `LEERLINGEN_<jaar>` column of a year before 1990 or after this one (such a
column would lock every count as "newer"). A location that already has a count of a later year
keeps it: an older file changes only what is not newer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from schoolzorg.lib.csvfiles import Column, Problem, column_key
from schoolzorg.organisations.importers.base import (
    CHANGED,
    SAME,
    FirstLines,
    ImportRefused,
    ImportReport,
    in_chunks,
    load_table,
    refuse_on_problems,
    update_objects,
)
from schoolzorg.organisations.models import School

# Other years: `BRIN_NUMMER`/`VESTIGINGSNUMMER` (the latter sometimes only the two-digit suffix),
# `GEMEENTENUMMER`; names are compared loosely (case, `_` or space).
COLUMNS = [
    Column("VESTIGINGSCODE", ("VESTIGINGSNUMMER", "BRIN VESTIGINGSNUMMER")),
    Column("INSTELLINGSCODE", ("BRIN NUMMER", "BRINNUMMER", "BRIN"), required=False),
    Column("SOORT_VESTIGING", ("SOORT PO", "SOORT VESTIGING PO"), required=False),
    Column(
        "GEMEENTECODE_VESTIGING",
        ("GEMEENTENUMMER", "GEMEENTECODE", "GEMEENTENUMMER VESTIGING"),
        required=False,
    ),
]
_YEAR = re.compile(r"^(?:aantal |totaal )?leerlingen ([0-9]{4})$")
_LOCATION = re.compile(r"^[0-9A-Z]{4}[0-9]{2}$")
SMALL = "<5"


@dataclass(frozen=True, slots=True)
class Count:
    line: int
    location_code: str
    kind: str
    municipality_number: str
    count: int | None
    is_small: bool


FIRST_YEAR = 1990  # DUO's counts start in the 1990s; an earlier year is a typo
MAX_COUNT = 10_000  # no school location has more pupils; a larger number is a wrong cell
_MUNICIPALITY = re.compile(r"[0-9]{1,4}")
_COUNT = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() takes "²" and "１２"


def year_columns(header: list[str]) -> list[tuple[int, str]]:
    """Every `LEERLINGEN_<jaar>` column (also `leerlingen 2025`, `AANTAL_LEERLINGEN_2025`)."""
    return [(int(m.group(1)), h) for h in header if (m := _YEAR.match(column_key(h)))]


def latest_year(header: list[str]) -> tuple[int, str] | None:
    """The latest `LEERLINGEN_<jaar>` column."""
    years = year_columns(header)
    return max(years) if years else None


def parse(path: str | Path) -> tuple[int, list[Count]]:
    source = Path(path).name
    table = load_table(path, columns=COLUMNS)
    found = latest_year(table.header)
    if found is None:
        raise ImportRefused(
            source,
            [
                Problem(
                    table.header_line,
                    "kolom ontbreekt: LEERLINGEN_<jaar> (bijvoorbeeld LEERLINGEN_2025)",
                )
            ],
        )
    this_year = timezone.localdate().year
    wrong = [
        Problem(
            table.header_line,
            f"kolom {name}: {year} is geen jaar van een telling "
            f"(verwacht {FIRST_YEAR} tot en met {this_year})",
        )
        for year, name in year_columns(table.header)
        if not FIRST_YEAR <= year <= this_year
    ]
    if wrong:
        raise ImportRefused(source, wrong)
    year, column = found
    counts: list[Count] = []
    seen = FirstLines("VESTIGINGSCODE")
    for row in table:
        errors = []
        code = row["VESTIGINGSCODE"].upper().replace(" ", "")
        brin = row.get("INSTELLINGSCODE").upper()
        if code.isdigit() and len(code) <= 2 and brin:
            code = brin + code.zfill(2)  # the location number as a suffix of the BRIN
        if not _LOCATION.match(code):
            errors.append(f"ongeldige VESTIGINGSCODE '{row['VESTIGINGSCODE']}'")
        elif again := seen.again(code):
            errors.append(again)
        number = row.get("GEMEENTECODE_VESTIGING")
        if number and not _MUNICIPALITY.fullmatch(number):
            errors.append(f"ongeldige GEMEENTECODE_VESTIGING '{number}'")
        value = row[column].replace(" ", "")
        if value != SMALL and not _COUNT.fullmatch(value):
            errors.append(f"{column} is geen aantal: '{row[column]}'")
        elif value != SMALL and int(value) > MAX_COUNT:
            errors.append(f"{column} '{row[column]}' is geen aannemelijk aantal leerlingen")
        if errors:
            table.reject(row.line, "; ".join(errors))
            continue
        seen.add(code, row.line)
        counts.append(
            Count(
                line=row.line,
                location_code=code,
                kind=row.get("SOORT_VESTIGING"),
                municipality_number=number.zfill(4) if number else "",
                count=None if value == SMALL else int(value),
                is_small=value == SMALL,
            )
        )
    refuse_on_problems(path, table)
    return year, counts


def import_pupil_counts(path: str | Path) -> ImportReport:
    """Store the file's latest count per known location; all or nothing.

    A location whose stored count is of a later year than the file's keeps it (an older file
    read after a newer one changes nothing there); the summary counts them as skipped.
    """
    year, counts = parse(path)
    report = ImportReport(
        Path(path).name, things="leerlingaantallen van vestigingen", counts=(CHANGED, SAME)
    )
    with transaction.atomic():
        changed: list[School] = []
        missing = 0
        newer: dict[int, int] = {}  # the later year stored → how many locations have it
        # Chunk by chunk: a file of every location may hold more codes than one query takes.
        for chunk in in_chunks(counts):
            schools = {
                s.location_code: s
                for s in School.objects.filter(
                    location_code__in=[c.location_code for c in chunk]
                ).only("pk", "location_code", "pupil_count", "pupil_count_year", "is_small_count")
            }
            for c in chunk:
                school = schools.get(c.location_code)
                if school is None:
                    missing += 1
                    continue
                if school.pupil_count_year is not None and school.pupil_count_year > year:
                    newer[school.pupil_count_year] = newer.get(school.pupil_count_year, 0) + 1
                    continue
                new = (c.count, year, c.is_small)
                if (school.pupil_count, school.pupil_count_year, school.is_small_count) == new:
                    report.unchanged += 1
                    continue
                school.pupil_count, school.pupil_count_year, school.is_small_count = new
                changed.append(school)
        update_objects(School, changed, ["pupil_count", "pupil_count_year", "is_small_count"])
        report.updated = len(changed)
    unknown = "vestiging uit het bestand is" if missing == 1 else "vestigingen uit het bestand zijn"
    report.notes.append(f"telling van {year}; {missing} {unknown} onbekend")
    if newer:
        years = " en ".join(str(y) for y in sorted(newer))
        report.notes.append(
            f"overgeslagen: nieuwere telling bij {sum(newer.values())} vestigingen; zij hebben "
            f"al een telling van {years}, die blijft staan"
        )
    return report
