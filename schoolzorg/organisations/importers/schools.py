"""DUO "02. Alle schoolvestigingen basisonderwijs" → Municipality, SchoolBoard, School.

Keyed on VESTIGINGSCODE. New locations are inserted, changed ones updated (a hash of the DUO row
in `School.source_hash`), locations that vanished from the file are closed (`closed_on`), never
deleted. Only schools that came from this import (a non-empty hash) can be closed by it.
A row without a full postcode (PC6) or with a municipality number outside CBS's range refuses
the file: DUO always gives both, and a blank or cut-off one would wipe what is stored.
Hidden characters (U+200B, U+202E...) are taken out of the text columns, each such row named in
the report: a name with one looks right but the model refuses it.
A closed location found again is counted as reopened and named. The report names every
municipality the file creates or renames and every one it leaves without an open school; a file
that would leave one with roles, teams or norms without an open school (a merger: the schools get
the new municipality's number) is refused unless asked for (README, "Merging municipalities").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from schoolzorg.lib.csvfiles import Column, Problem, Row
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.postcodes import display_postcode, normalise_postcode
from schoolzorg.lib.validators import without_hidden_characters
from schoolzorg.organisations.importers.base import (
    CHANGED,
    CLOSED,
    NEW,
    REOPENED,
    SAME,
    FirstLines,
    ImportRefused,
    ImportReport,
    create_organisations,
    in_chunks,
    load_table,
    municipality_name,
    normalise_name,
    refuse_mass_removal,
    refuse_on_problems,
    update_objects,
)
from schoolzorg.organisations.importers.geo import assign_school_areas
from schoolzorg.organisations.models import (
    Municipality,
    Organisation,
    OrganisationKind,
    School,
    SchoolBoard,
    Sector,
)

# The columns read, with the names other years and re-saved files give them (compared loosely:
# case, spaces and `_`/`-` do not matter). DUO called INSTELLINGSCODE `BRIN NUMMER` and
# VESTIGINGSCODE `VESTIGINGSNUMMER` until about 2020; the latter was sometimes only the two-digit
# suffix. Optional columns that are absent leave what is stored alone.
COLUMNS = [
    Column("BEVOEGD GEZAG NUMMER", ("BEVOEGD GEZAG", "BEVOEGDGEZAGNUMMER")),
    Column("INSTELLINGSCODE", ("BRIN NUMMER", "BRINNUMMER", "BRIN"), required=False),
    Column("VESTIGINGSCODE", ("VESTIGINGSNUMMER", "BRIN VESTIGINGSNUMMER")),
    Column("VESTIGINGSNAAM", ("NAAM VESTIGING", "INSTELLINGSNAAM VESTIGING", "INSTELLINGSNAAM")),
    Column("STRAATNAAM", ("STRAATNAAM VESTIGING", "STRAAT")),
    Column("HUISNUMMER-TOEVOEGING", ("HUISNUMMER TOEVOEGING VESTIGING", "HUISNUMMER")),
    Column("POSTCODE", ("POSTCODE VESTIGING",)),
    Column("PLAATSNAAM", ("PLAATSNAAM VESTIGING", "PLAATS")),
    Column(
        "GEMEENTENUMMER", ("GEMEENTECODE", "GEMEENTENUMMER VESTIGING", "GEMEENTECODE VESTIGING")
    ),
    Column("GEMEENTENAAM", ("GEMEENTENAAM VESTIGING",), required=False),
    Column("DENOMINATIE", ("DENOMINATIE VESTIGING",), required=False),
    Column("TELEFOONNUMMER", ("TELEFOONNUMMER VESTIGING", "TELEFOON"), required=False),
    Column("INTERNETADRES", ("INTERNETADRES VESTIGING", "WEBSITE"), required=False),
    Column("VAKANTIEREGIO", (), required=False),
]
OPTIONAL = {c.name: c for c in COLUMNS if not c.required}
_LOCATION = re.compile(r"^[0-9A-Z]{4}[0-9]{2}$")
_BRIN = re.compile(r"^[0-9A-Z]{4}$")
_MUNICIPALITY = re.compile(r"[0-9]{1,4}")
# CBS numbers municipalities from 1 up (the highest in use is below 2000); 0000 and 9999 are
# placeholders, not municipalities. 9901-9998 are the fictional examples' municipalities
# (data/samples, the demo's Waterstede): no CBS number, plainly made up.
MUNICIPALITY_NUMBERS = range(1, 2000)
FICTIONAL_NUMBERS = range(9901, 9999)


def _known_range(number: int) -> bool:
    return number in MUNICIPALITY_NUMBERS or number in FICTIONAL_NUMBERS


_REGIONS = {"noord": "noord", "midden": "midden", "zuid": "zuid"}

# The fields this import owns (Organisation part and School part).
ORG_FIELDS = ["name", "municipality", "phone"]
SCHOOL_FIELDS = [
    "brin",
    "sector",
    "board",
    "street",
    "house_number",
    "postcode",
    "city",
    "denomination",
    "website",
    "holiday_region",
    "closed_on",
    "source_hash",
]


@dataclass(slots=True)
class SchoolRow:
    """A checked row. A field whose (optional) column the file lacks is None: left as stored."""

    line: int
    location_code: str
    brin: str
    name: str
    board_number: str
    municipality_number: str
    municipality_name: str
    street: str
    house_number: str
    postcode: str
    city: str
    denomination: str | None
    phone: str | None
    website: str | None
    holiday_region: str | None
    source_hash: str
    # Columns from which hidden characters (U+200B, U+202E...) were taken out: a name with one
    # looks the same as without, and the model refuses it.
    cleaned: tuple[str, ...] = ()


def _phone(value: str) -> str:
    """Excel reads `0599512734` as a number and writes `599512734`: give back the zero."""
    return "0" + value if len(value) == 9 and value.isdigit() and value[0] != "0" else value


# Free-text columns stored as they are: hidden characters are taken out and the row counted.
TEXT_COLUMNS = (
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING",
    "PLAATSNAAM",
    "GEMEENTENAAM",
    "DENOMINATIE",
    "TELEFOONNUMMER",
    "INTERNETADRES",
)


def _take_out_hidden(row: Row) -> tuple[str, ...]:
    """Take hidden characters out of the row's free-text columns; the columns that had them."""
    cleaned = []
    for name in TEXT_COLUMNS:
        value = row.get(name)
        visible = without_hidden_characters(value)
        if visible != value.strip():
            row.values[name] = visible
            cleaned.append(name)
    return tuple(cleaned)


def parse(path: str | Path) -> list[SchoolRow]:
    """Read and check the whole file; raise ImportRefused listing every bad row."""
    table = load_table(path, columns=COLUMNS)
    present = {name for name in OPTIONAL if table.has(name)}

    def optional(row: Row, name: str, limit: int) -> str | None:
        return row[name][:limit] if name in present else None

    rows: list[SchoolRow] = []
    seen = FirstLines("VESTIGINGSCODE")
    for row in table:
        errors = []
        cleaned = _take_out_hidden(row)
        code = row["VESTIGINGSCODE"].upper().replace(" ", "")
        brin = row.get("INSTELLINGSCODE").upper().replace(" ", "")
        if code.isdigit() and len(code) <= 2 and brin:
            code = brin + code.zfill(2)  # the location number as a suffix of the BRIN
        brin = brin or code[:4]
        if not _LOCATION.match(code):
            errors.append(f"ongeldige VESTIGINGSCODE '{row['VESTIGINGSCODE']}'")
        if not _BRIN.match(brin) or not code.startswith(brin):
            errors.append(
                f"INSTELLINGSCODE '{row.get('INSTELLINGSCODE')}' past niet bij de vestiging"
            )
        number = row["GEMEENTENUMMER"]
        if not _MUNICIPALITY.fullmatch(number) or not _known_range(int(number)):
            errors.append(
                f"ongeldig GEMEENTENUMMER '{number}' (een CBS-gemeentenummer van 1 tot en met 1999)"
            )
        board = row["BEVOEGD GEZAG NUMMER"]
        if not board.isdigit() or len(board) > 10:
            errors.append(f"ongeldig BEVOEGD GEZAG NUMMER '{board}'")
        if not row["VESTIGINGSNAAM"]:
            errors.append("VESTIGINGSNAAM is leeg")
        pc = normalise_postcode(row["POSTCODE"])
        if not row["POSTCODE"]:
            errors.append("POSTCODE is leeg")
        elif len(pc) != 6:
            errors.append(
                f"ongeldige POSTCODE '{row['POSTCODE']}' (verwacht vier cijfers en twee letters, "
                "zoals 1234 AB)"
            )
        region = row.get("VAKANTIEREGIO").lower()
        if region and region not in _REGIONS:
            errors.append(f"onbekende VAKANTIEREGIO '{row['VAKANTIEREGIO']}'")
        if again := seen.again(code):
            errors.append(again)
        if errors:
            table.reject(row.line, "; ".join(errors))
            continue
        seen.add(code, row.line)
        parsed = SchoolRow(
            line=row.line,
            location_code=code,
            brin=brin,
            name=row["VESTIGINGSNAAM"][:200],
            board_number=board.lstrip("0") or "0",
            municipality_number=number.zfill(4),
            municipality_name=row.get("GEMEENTENAAM")[:100],
            street=row["STRAATNAAM"][:200],
            house_number=row["HUISNUMMER-TOEVOEGING"][:40],
            postcode=display_postcode(pc),
            city=row["PLAATSNAAM"][:100],
            denomination=optional(row, "DENOMINATIE", 100),
            phone=_phone(row["TELEFOONNUMMER"])[:40] if "TELEFOONNUMMER" in present else None,
            website=optional(row, "INTERNETADRES", 200),
            holiday_region=_REGIONS.get(region, "") if "VAKANTIEREGIO" in present else None,
            source_hash="",
            cleaned=cleaned,
        )
        parsed.source_hash = _digest(parsed)
        rows.append(parsed)
    refuse_on_problems(path, table)
    return rows


def _digest(row: SchoolRow) -> str:
    """A hash of what this import stores, so a file in another encoding, column order or shape
    with the same content counts as unchanged."""
    fields = [
        row.location_code,
        row.brin,
        row.name,
        row.board_number,
        row.municipality_number,
        row.street,
        row.house_number,
        row.postcode,
        row.city,
        *("\x00" if v is None else v for v in (row.denomination, row.phone, row.website)),
        "\x00" if row.holiday_region is None else row.holiday_region,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclass(slots=True)
class Municipalities:
    """What `ensure_municipalities` found and did: the id per four-digit number, the
    municipalities it created and the ones whose name it changed (code, old name, new name)."""

    ids: dict[str, int]
    created: list[Municipality]
    renamed: list[tuple[str, str, str]]


def ensure_municipalities(numbers: dict[str, str], regions: dict[str, str]) -> Municipalities:
    """Municipality id per four-digit number; missing ones are created with a readable name.

    A known municipality whose name in the file is another than the stored one gets the new
    name (a renamed municipality keeps its number); a blank name in the file changes nothing.
    """
    wanted = {f"GM{n}": n for n in numbers}
    existing: dict[str, int] = {}
    renamed: list[tuple[str, str, str]] = []
    for chunk in in_chunks(sorted(wanted)):
        for code, pk, stored in Municipality.objects.filter(cbs_code__in=chunk).values_list(
            "cbs_code", "pk", "name"
        ):
            existing[code] = pk
            if not numbers[wanted[code]].strip():
                continue
            name = municipality_name(wanted[code], numbers[wanted[code]])
            if normalise_name(name) != normalise_name(stored):
                renamed.append((code, stored, name))
    for code, _, name in renamed:
        Organisation.objects.filter(pk=existing[code]).update(name=name)
    new = [
        Municipality(
            kind=OrganisationKind.MUNICIPALITY,
            name=municipality_name(number, numbers[number]),
            cbs_code=code,
            holiday_region=regions.get(number, ""),
        )
        for code, number in sorted(wanted.items())
        if code not in existing
    ]
    create_organisations(Municipality, new)
    existing.update({m.cbs_code: m.pk for m in new})
    # A municipality created elsewhere without a region gets the one DUO gives its schools.
    for code, number in wanted.items():
        if regions.get(number):
            Municipality.objects.filter(cbs_code=code, holiday_region="").update(
                holiday_region=regions[number]
            )
    return Municipalities(
        ids={number: existing[code] for code, number in wanted.items()},
        created=new,
        renamed=sorted(renamed),
    )


def ensure_boards(numbers: set[str]) -> dict[str, int]:
    existing: dict[str, int] = {}
    for chunk in in_chunks(sorted(numbers)):
        existing.update(SchoolBoard.objects.filter(number__in=chunk).values_list("number", "pk"))
    new = [
        SchoolBoard(
            kind=OrganisationKind.SCHOOL_BOARD,
            name=f"Schoolbestuur {number}",
            number=number,
        )
        for number in sorted(numbers - set(existing))
    ]
    create_organisations(SchoolBoard, new)
    existing.update({b.number: b.pk for b in new})
    return existing


def _apply(school: School, row: SchoolRow, municipality_id: int, board_id: int) -> None:
    school.name = row.name
    school.municipality_id = municipality_id
    school.brin = row.brin
    school.sector = Sector.PRIMARY
    school.board_id = board_id
    school.street = row.street
    school.house_number = row.house_number
    school.postcode = row.postcode
    school.city = row.city
    if row.phone is not None:
        school.phone = row.phone
    if row.denomination is not None:
        school.denomination = row.denomination
    if row.website is not None:
        school.website = row.website
    if row.holiday_region is not None:
        school.holiday_region = row.holiday_region
    school.closed_on = None
    school.source_hash = row.source_hash


def hidden_notes(rows: list[SchoolRow]) -> list[str]:
    """Say how many rows had hidden characters taken out, and which (the first 50)."""
    marked = [r for r in rows if r.cleaned]
    if not marked:
        return []
    notes = [
        f"{len(marked)} {'regel' if len(marked) == 1 else 'regels'} met onzichtbare tekens "
        "(bijvoorbeeld na kopiëren); die tekens zijn weggehaald"
    ]
    notes += [
        f"  regel {r.line} ({r.location_code}): onzichtbare tekens weggehaald uit "
        + ", ".join(r.cleaned)
        for r in marked[:50]
    ]
    if len(marked) > 50:
        notes.append(f"  ... en nog {len(marked) - 50} regels")
    return notes


def _stored(school: School) -> tuple[Any, ...]:
    """What the import stores of a school, besides the hash of its source row: a file of another
    layout (a column left out, another encoding) with the same data changes nothing."""
    return tuple(
        getattr(school, f"{name}_id" if name in ("municipality", "board") else name)
        for name in ORG_FIELDS + SCHOOL_FIELDS
        if name != "source_hash"
    )


# Organisations a municipality configures for itself (the importers make schools, boards and
# partnerships): the Servicepunt that level-4 escalations go to, the neighbourhood teams that
# referrals are routed to, the SMW provider and the JGZ.
CONFIGURED_KINDS = (
    OrganisationKind.SERVICE_DESK,
    OrganisationKind.NEIGHBOURHOOD_TEAM,
    OrganisationKind.SOCIAL_WORK_PROVIDER,
    OrganisationKind.YOUTH_HEALTH_SERVICE,
)


def configuration_of(municipality: Municipality, today: dt.date) -> list[str]:
    """What hangs off a municipality besides its schools, in words ("3 rollen", "servicenormen");
    empty when nothing does. Counts only: no names of people, no child data."""
    from django.apps import apps  # the apps that hang things off a municipality sit above this one

    organisations = Organisation.objects.filter(
        Q(pk=municipality.pk) | Q(municipality=municipality, kind__in=CONFIGURED_KINDS)
    )
    membership = apps.get_model("accounts", "Membership")
    roles = (
        membership._default_manager.filter(organisation__in=organisations)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .count()
    )
    teams = organisations.exclude(pk=municipality.pk).count()
    found = []
    if roles:
        found.append(f"{roles} {'rol' if roles == 1 else 'rollen'}")
    if teams:
        found.append(
            f"{teams} {'organisatie' if teams == 1 else 'organisaties'} (teams, Servicepunt)"
        )
    for model, words in (
        (("referrals", "ServiceNorm"), "servicenormen"),
        (("careteams", "PresenceNorm"), "aanwezigheidsnorm"),
        (("calendars", "PublicHolidayRule"), "eigen feestdagregels"),
    ):
        if apps.get_model(*model)._default_manager.filter(municipality=municipality).exists():
            found.append(words)
    if (
        apps.get_model("retention", "RetentionPeriod")
        ._default_manager.filter(organisation_id=municipality.pk)
        .exists()
    ):
        found.append("een eigen bewaartermijn")
    return found


def _named(municipality: Municipality) -> str:
    return f"{municipality.name} ({municipality.cbs_code})"


def _locations(n: int) -> str:
    return f"{n} open {'vestiging' if n == 1 else 'vestigingen'}"


def _listed(lines: list[str], limit: int = 50) -> list[str]:
    """The first `limit` lines, indented, and how many more there are."""
    out = [f"  {line}" for line in lines[:limit]]
    if len(lines) > limit:
        out.append(f"  ... en nog {len(lines) - limit}")
    return out


def municipality_notes(
    found: Municipalities, emptied: list[Municipality], school_counts: dict[int, int]
) -> list[str]:
    """The municipalities the file created, renamed or left without an open school."""
    notes: list[str] = []
    if found.created:
        n = len(found.created)
        notes.append(f"{n} {'nieuwe gemeente' if n == 1 else 'nieuwe gemeenten'}:")
        notes += _listed(
            [f"{_named(m)}: {_locations(school_counts.get(m.pk, 0))}" for m in found.created]
        )
    if found.renamed:
        n = len(found.renamed)
        notes.append(f"{n} {'gemeente' if n == 1 else 'gemeenten'} hernoemd:")
        notes += _listed([f"{code}: {old} → {new}" for code, old, new in found.renamed])
    if emptied:
        n = len(emptied)
        notes.append(
            f"{n} {'gemeente' if n == 1 else 'gemeenten'} zonder open vestiging "
            "(opgegaan in een andere gemeente, of alle scholen gesloten):"
        )
        notes += _listed([_named(m) for m in emptied])
    return notes


def refuse_emptied_configured(source: str, emptied: list[Municipality], today: dt.date) -> None:
    """Refuse a file that leaves a municipality with people or configuration without any open
    school: its Servicepunt, teams and norms would serve no school, and a referral of its former
    schools that reaches level 4 would go to nobody (a gemeentelijke herindeling on 1 January
    gives the schools another GEMEENTENUMMER)."""
    problems = []
    for municipality in emptied:
        found = configuration_of(municipality, today)
        if found:
            problems.append(
                Problem(
                    0,
                    f"Na dit bestand heeft gemeente {_named(municipality)} geen open school "
                    f"meer, maar er hangt nog van alles aan: {', '.join(found)}. Is de gemeente "
                    "opgegaan in een andere (herindeling)? Zet dan eerst in /beheer/ de rollen, "
                    "teams, wijken en normen over naar de nieuwe gemeente (README, 'Gemeenten "
                    "samenvoegen'). Of lees het bestand bewust in (import-schools "
                    "--gemeente-zonder-scholen) en zet ze daarna direct over.",
                )
            )
    if problems:
        raise ImportRefused(source, problems)


def reopened_notes(reopened: list[tuple[SchoolRow, dt.date | None]]) -> list[str]:
    """Which closed locations the file opened again (the first 50)."""
    if not reopened:
        return []
    n = len(reopened)
    notes = [
        f"{n} {'vestiging' if n == 1 else 'vestigingen'} heropend (stond gesloten, staat weer "
        "in het bestand)"
    ]
    lines = [
        f"regel {r.line} ({r.location_code}): heropend, was gesloten op {numeric(closed_on)}"
        if closed_on
        else f"regel {r.line} ({r.location_code}): heropend"
        for r, closed_on in reopened
    ]
    return notes + _listed(lines)


def import_schools(
    path: str | Path,
    *,
    today: dt.date | None = None,
    close_many: bool = False,
    empty_municipalities: bool = False,
) -> ImportReport:
    """Import the DUO locations file; all or nothing.

    A file that would close more than a tenth of the open locations is refused (a truncated
    file or a regional extract looks just like that) unless `close_many` is given. A file that
    leaves a municipality with people or configuration (roles, teams, norms) without any open
    school is refused unless `empty_municipalities` is given.
    """
    rows = parse(path)
    today = today or timezone.localdate()
    report = ImportReport(
        Path(path).name, things="schoolvestigingen", counts=(NEW, CHANGED, REOPENED, CLOSED, SAME)
    )
    names: dict[str, str] = {}
    region_votes: dict[str, Counter[str]] = {}
    for r in rows:
        if r.municipality_name and not names.get(r.municipality_number):
            names[r.municipality_number] = r.municipality_name
        names.setdefault(r.municipality_number, "")
        if r.holiday_region:
            region_votes.setdefault(r.municipality_number, Counter())[r.holiday_region] += 1
    regions = {n: votes.most_common(1)[0][0] for n, votes in region_votes.items()}

    with transaction.atomic():
        with_schools_before = set(_open_schools_per_municipality())
        found = ensure_municipalities(names, regions)
        municipalities = found.ids
        boards = ensure_boards({r.board_number for r in rows})
        new: list[School] = []
        changed: list[School] = []
        reopened: list[tuple[SchoolRow, dt.date | None]] = []
        rehashed: list[School] = []  # only the hash of the source row differs
        # Looked up chunk by chunk (a file of every row may hold more codes than one query
        # takes); only the schools that change are kept, the unchanged ones are dropped.
        for chunk in in_chunks(rows):
            existing = {
                s.location_code: s
                for s in School.objects.filter(location_code__in=[r.location_code for r in chunk])
            }
            for r in chunk:
                school = existing.get(r.location_code)
                municipality_id = municipalities[r.municipality_number]
                if school is None:
                    school = School(kind=OrganisationKind.SCHOOL, location_code=r.location_code)
                    _apply(school, r, municipality_id, boards[r.board_number])
                    new.append(school)
                elif school.source_hash != r.source_hash or school.closed_on is not None:
                    before = _stored(school)
                    closed_on = school.closed_on
                    _apply(school, r, municipality_id, boards[r.board_number])
                    if _stored(school) == before:  # another file layout, the same data
                        rehashed.append(school)
                        report.unchanged += 1
                    else:
                        changed.append(school)
                        if closed_on is not None:  # counted as reopened, not as changed
                            reopened.append((r, closed_on))
                else:
                    report.unchanged += 1
        imported = School.objects.open().filter(sector=Sector.PRIMARY).exclude(source_hash="")
        # The share is of the locations open before this file: counting the ones it adds would
        # let a large wrong file close every real school.
        open_before = imported.count()
        create_organisations(School, new)
        if changed:
            update_objects(School, changed, ORG_FIELDS + SCHOOL_FIELDS)
        if rehashed:
            update_objects(School, rehashed, ["source_hash"])
        in_file = {r.location_code for r in rows}
        vanished = [
            pk
            for pk, code in imported.values_list("pk", "location_code").iterator()
            if code not in in_file
        ]
        if not close_many:
            refuse_mass_removal(
                report.source,
                removing=len(vanished),
                stored=open_before,
                things="open vestigingen",
                verb="sluiten",
                full_file="het volledige DUO-bestand",
                on_purpose="sluit ze bewust (import-schools --sluit-ontbrekende)",
            )
        for closing in in_chunks(vanished):
            report.closed += School.objects.filter(pk__in=closing).update(closed_on=today)
        school_counts = _open_schools_per_municipality()
        emptied = list(
            Municipality.objects.filter(pk__in=with_schools_before - set(school_counts)).order_by(
                "cbs_code"
            )
        )
        if not empty_municipalities:
            refuse_emptied_configured(report.source, emptied, today)
        report.inserted = len(new)
        report.reopened = len(reopened)
        report.updated = len(changed) - len(reopened)
        report.notes += municipality_notes(found, emptied, school_counts)
        report.notes += reopened_notes(reopened)
        report.notes += hidden_notes(rows)
        assign_school_areas([s.pk for s in new + changed])
    return report


def _open_schools_per_municipality() -> dict[int, int]:
    """The number of open school locations (of any source) per municipality id."""
    counts = (
        School.objects.open()
        .filter(municipality__isnull=False)
        .order_by()
        .values("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    )
    return {municipality: n for municipality, n in counts if municipality is not None}
