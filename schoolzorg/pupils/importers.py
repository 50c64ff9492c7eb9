"""The pupils of one school from its pupil administration's export (ParnasSys, Esis, Magister).

`schoolzorg import-pupils --school CODE FILE`. The file is a CSV export with one row per pupil;
it is read like the registry files (`lib/csvfiles.py`: UTF-8 with or without BOM, Windows-1252
or UTF-16; `;`, `,` or tab; column names in any case or order, also the names the exports use).

Columns (Dutch; the first name is the one in the documentation, the others are other exports'):

| column | required | |
|---|---|---|
| leerlingnummer | yes | the school's own number for the pupil: the key, per school (never the BSN) |
| voornaam (roepnaam) | yes | |
| tussenvoegsel | no | stored in front of the last name: "van den" + "Berg" → "van den Berg" |
| achternaam | yes | |
| geboortedatum | yes | 17-05-2016, 17/5/2016, 17.05.2016 or 2016-05-17 |
| groep | yes (may be empty) | groep or class, as the school names it |
| postcode | yes | the home address; it decides the wijk and so the wijkteam |
| huisnummer, toevoeging | yes, no | |
| brin | no | when given, each row must be of this school (BRIN or location code) |
| ouder 1 naam … ouder 2 naam | no | up to two parents or carers, each with `relatie` (moeder, vader, voogd, pleegouder…; empty: ouder), `gezag` (ja/nee), `email`, `telefoon` |

What it does (all or nothing, in one transaction):

- a new leerlingnummer: a new pupil, enrolled at the school from the day of the import
  (`services.enrol_pupil`), with the address (`move_pupil`) and guardians. Brothers and sisters
  at the same address with the same guardians (by name) share one family, also when one of
  them is already known (at this or another school); otherwise the pupil gets a family of its
  own. A pupil of this school without a number yet (entered before the first import) with the
  same first name, last name and date of birth gets the number instead of a second record.
  A pupil who comes from another school gets a new record here: the import does not join
  records of two schools on name and date of birth, which could confuse two children; the old
  school's next import ends its enrolment there.
- a known leerlingnummer: name, date of birth and group are corrected where they differ
  (`update_pupil`); a changed postcode or house number is a move from the day of the import
  (`move_pupil`, the old address stays in the history); guardians are matched by name and
  updated (`set_guardians`: a guardian the row no longer names is unlinked; a row without any
  guardian changes none). A column missing from the file says nothing: only a file with the
  name columns of both parents (`ouder 1 naam` and `ouder 2 naam`) unlinks a guardian; a file
  with columns for one parent only (an export template without `ouder 2 …`) links and updates
  but unlinks no one, and the summary counts the guardians it left linked. A number whose enrolment here had ended is enrolled again.
- a pupil enrolled at this school whose number is not in the file left the school: the
  enrolment ends on the day of the import (`leave_school`). A file that would end more than a
  tenth of the school's enrolments (a file cut off, or another school's) is refused unless
  `--schrijf-ontbrekende-uit` is given (as after the summer, when group 8 has left).

The summary and the refusals name no child: counts and line numbers only, never a name, a
number or a date of birth from the file. It does name the file's columns that were not read
(a column name is no child's data), so that a guardian column under a name the importer does
not know, or a BSN the export should leave out, does not go unnoticed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from schoolzorg.lib.csvfiles import Column, CsvFile, Problem, Row, column_key
from schoolzorg.lib.postcodes import normalise_postcode
from schoolzorg.lib.validators import without_hidden_characters
from schoolzorg.organisations.importers.base import (
    CHANGED,
    NEW,
    SAME,
    ImportRefused,
    ImportReport,
    load_table,
    refuse_mass_removal,
    refuse_on_problems,
)
from schoolzorg.organisations.models import School
from schoolzorg.pupils import services
from schoolzorg.pupils.models import Enrolment, Family, Pupil, Residence
from schoolzorg.pupils.services import GuardianDetails, name_key

LEFT = ("closed", "uitgeschreven")
GUARDIANS = 2  # parents or carers per row: `ouder 1 …`, `ouder 2 …`
OLDEST = 25  # years; an older date of birth is a typo in the year
YOUNGEST = 2  # years; toddler groups (VVE) start at two


def _guardian_columns(n: int) -> list[Column]:
    """`ouder 1 naam` and its other spellings (`verzorger 1 naam`, `ouder 1 e-mailadres`)."""

    def column(part: str, *others: str) -> Column:
        names = [f"{who} {n} {word}" for who in ("ouder", "verzorger") for word in (part, *others)]
        return Column(names[0], tuple(names[1:]), required=False)

    return [
        column("naam", "volledige naam"),
        column("relatie", "relatie tot leerling"),
        column("gezag", "wettelijk gezag", "ouderlijk gezag"),
        column("email", "e-mail", "e-mailadres", "emailadres"),
        column("telefoon", "telefoonnummer", "mobiel"),
    ]


COLUMNS = [
    Column(
        "leerlingnummer",
        ("leerling nummer", "leerlingnr", "llnr", "stamnummer", "stamnr", "leerling id"),
    ),
    Column("voornaam", ("roepnaam", "roepnaam leerling", "voornaam leerling")),
    Column(
        "tussenvoegsel",
        ("tussenvoegsels", "tussenv", "voorvoegsel", "voorvoegsels", "voorv"),
        required=False,
    ),
    Column("achternaam", ("geslachtsnaam", "achternaam leerling")),
    Column("geboortedatum", ("geboorte datum", "geb datum", "geboortedatum leerling")),
    Column("groep", ("jaargroep", "groep klas", "klas", "groepsnaam", "stamgroep")),
    Column("postcode", ("postcode woonadres", "postcode leerling")),
    Column("huisnummer", ("huisnr", "huisnummer woonadres")),
    Column("toevoeging", ("huisnummertoevoeging", "huisnummer toevoeging", "toev"), required=False),
    Column(
        "brin",
        ("brinnummer", "brin nummer", "vestigingscode", "brin vestiging", "instellingscode"),
        required=False,
    ),
    *(column for n in range(1, GUARDIANS + 1) for column in _guardian_columns(n)),
]

_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./-]{0,19}$")
_TIME = r"(?:[ T]0?0:00(?::00)?)?"  # Excel's "17-05-2016 00:00"
_DMY = re.compile(rf"^([0-9]{{1,2}})[-/.]([0-9]{{1,2}})[-/.]([0-9]{{4}}){_TIME}$")
_YMD = re.compile(rf"^([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}}){_TIME}$")
_YES = {"ja", "j", "1", "waar", "true", "x", "yes", "y"}
_NO = {"nee", "n", "0", "onwaar", "false", "no"}


@dataclass(frozen=True)
class PupilRow:
    """A checked row of the file."""

    line: int
    number: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    group: str
    postcode: str  # 3501AB
    house_number: str
    guardians: tuple[GuardianDetails, ...] = ()


def parse_date(text: str) -> dt.date | None:
    """A date as the Dutch exports write it, or None."""
    text = text.strip()
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _YMD.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def house_key(house_number: str) -> str:
    """`12 a`, `12-A` and `12A` are one house number."""
    return re.sub(r"[^0-9A-Z]", "", house_number.upper())


def _text(row: Row, name: str) -> str:
    return " ".join(without_hidden_characters(row.get(name)).split())


def _phone(value: str) -> str:
    """Excel reads `0612345678` as a number and writes `612345678`: give back the zero."""
    return "0" + value if len(value) == 9 and value.isdigit() and value[0] != "0" else value


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - (0 if (on.month, on.day) >= (born.month, born.day) else 1)


def _guardians(row: Row, table: CsvFile, errors: list[str]) -> tuple[GuardianDetails, ...]:
    found: list[GuardianDetails] = []
    for n in range(1, GUARDIANS + 1):
        who = f"ouder {n}"
        name = _text(row, f"{who} naam")
        relation = _text(row, f"{who} relatie").lower()
        authority = _text(row, f"{who} gezag").lower()
        email = _text(row, f"{who} email")
        phone = _phone(_text(row, f"{who} telefoon").replace(" ", ""))
        if not name:
            if relation or authority or email or phone:
                errors.append(f"{who}: de naam ontbreekt")
            continue
        has_authority: bool | None = None
        if authority in _YES:
            has_authority = True
        elif authority in _NO:
            has_authority = False
        elif authority or table.has(f"{who} gezag"):
            errors.append(f"{who} gezag: vul ja of nee in")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"{who} e-mail is geen e-mailadres")
        for value, limit, what in (
            (name, 200, "naam"),
            (relation, 40, "relatie"),
            (email, 254, "e-mail"),
            (phone, 40, "telefoon"),
        ):
            if len(value) > limit:
                errors.append(f"{who} {what} is langer dan {limit} tekens")
        if any(name_key(g.full_name) == name_key(name) for g in found):
            errors.append("ouder 1 en ouder 2 hebben dezelfde naam")
            continue
        found.append(GuardianDetails(name, relation, has_authority, email, phone))
    return tuple(found)


@dataclass(frozen=True)
class FileColumns:
    """What the file's header says beyond its rows."""

    authority: bool  # a column on parental authority (`ouder 1 gezag`)
    all_guardians: bool  # name columns for every guardian a row can have
    unused: tuple[str, ...] = ()  # the file's column names the importer does not read


def parse(
    path: str | Path, school: School, *, today: dt.date
) -> tuple[list[PupilRow], FileColumns]:
    """Read and check the whole file; raise ImportRefused listing every bad row (no values)."""
    table = load_table(path, columns=COLUMNS)
    rows: list[PupilRow] = []
    first_line: dict[str, int] = {}
    for row in table:
        errors: list[str] = []
        number = row["leerlingnummer"].replace(" ", "")
        if not number:
            errors.append("leerlingnummer is leeg")
        elif not _NUMBER.match(number):
            errors.append("leerlingnummer is geen nummer (cijfers en letters, hoogstens 20 tekens)")
        elif number in first_line:
            errors.append(f"dit leerlingnummer staat ook op regel {first_line[number]}")
        brin = row.get("brin").upper().replace(" ", "")
        if brin and brin not in (school.brin, school.location_code):
            errors.append(f"deze leerling is van een andere school (brin {brin[:6]})")
        first = _text(row, "voornaam")
        prefix = _text(row, "tussenvoegsel")
        last = " ".join(p for p in (prefix, _text(row, "achternaam")) if p)
        if not first:
            errors.append("voornaam is leeg")
        elif len(first) > 100:
            errors.append("voornaam is langer dan 100 tekens")
        if not _text(row, "achternaam"):
            errors.append("achternaam is leeg")
        elif len(last) > 150:
            errors.append("tussenvoegsel en achternaam zijn samen langer dan 150 tekens")
        born = parse_date(row["geboortedatum"])
        if not row["geboortedatum"]:
            errors.append("geboortedatum is leeg")
        elif born is None:
            errors.append("geboortedatum is geen datum (verwacht dag-maand-jaar, zoals 17-05-2016)")
        elif born > today:
            errors.append("geboortedatum ligt in de toekomst")
        elif not YOUNGEST <= _age(born, today) <= OLDEST:
            errors.append(
                f"geboortedatum: de leerling zou jonger dan {YOUNGEST} of ouder dan {OLDEST} "
                "jaar zijn; staat het jaar goed?"
            )
        group = _text(row, "groep")
        if len(group) > 20:
            errors.append("groep is langer dan 20 tekens")
        postcode = normalise_postcode(row["postcode"])
        if not row["postcode"]:
            errors.append("postcode is leeg")
        elif len(postcode) != 6:
            errors.append("postcode is geen volledige postcode (vier cijfers en twee letters)")
        house = _text(row, "huisnummer")
        addition = _text(row, "toevoeging")
        house_number = f"{house}-{addition}" if house and addition else house
        if not house:
            errors.append("huisnummer is leeg")
        elif len(house_number) > 20:
            errors.append("huisnummer met toevoeging is langer dan 20 tekens")
        guardians = _guardians(row, table, errors)
        if errors:
            table.reject(row.line, "; ".join(errors))
            continue
        assert born is not None
        first_line[number] = row.line
        rows.append(
            PupilRow(
                line=row.line,
                number=number,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                group=group,
                postcode=postcode,
                house_number=house_number,
                guardians=guardians,
            )
        )
    refuse_on_problems(path, table)
    return rows, FileColumns(
        authority=table.has("ouder 1 gezag"),
        all_guardians=all(table.has(f"ouder {n} naam") for n in range(1, GUARDIANS + 1)),
        unused=tuple(table.unused_columns),
    )


def find_school(code: str, source: str) -> School:
    """The open school location for a location code, or a BRIN with one open location."""
    wanted = code.upper().replace(" ", "")
    if len(wanted) == 6:
        school = School.objects.filter(location_code=wanted).first()
        if school is None:
            reason = (
                f"er is geen schoolvestiging {wanted}; lees eerst de schoolvestigingen in "
                "(import-schools)"
            )
        elif school.closed_on is not None:
            reason = f"schoolvestiging {wanted} is gesloten"
        else:
            return school
    elif len(wanted) == 4:
        schools = list(School.objects.open().filter(brin=wanted).order_by("location_code"))
        if len(schools) == 1:
            return schools[0]
        if schools:
            codes = ", ".join(s.location_code for s in schools)
            reason = (
                f"BRIN {wanted} heeft {len(schools)} open vestigingen ({codes}); geef de "
                "vestigingscode van de vestiging waarvan dit bestand is"
            )
        else:
            reason = f"er is geen open schoolvestiging met BRIN {wanted}"
    else:
        reason = (
            f"'{code[:20]}' is geen BRIN (4 tekens) en geen vestigingscode (6 tekens, zoals 99WA00)"
        )
    raise ImportRefused(source, [Problem(0, reason)])


@dataclass
class _Tally:
    moved: int = 0
    unknown_postcode: list[int] = field(default_factory=list)
    guardians_linked: int = 0
    guardians_changed: int = 0
    guardians_unlinked: int = 0
    guardians_kept: int = 0  # linked, not in a file without `ouder 2` columns, left linked
    new_without_guardians: int = 0
    numbered: int = 0  # pupils of this school without a number that got theirs
    enrolled_again: int = 0
    joined_family: int = 0  # new pupils in the family of a brother or sister

    def notes(self, columns: FileColumns) -> list[str]:
        notes = []
        if self.moved:
            notes.append(f"verhuisd: {self.moved} (het oude adres blijft in de woongeschiedenis)")
        if self.guardians_linked or self.guardians_changed or self.guardians_unlinked:
            notes.append(
                f"ouders/verzorgers: {self.guardians_linked} gekoppeld, "
                f"{self.guardians_changed} gewijzigd, {self.guardians_unlinked} ontkoppeld"
            )
            if self.guardians_linked and not columns.authority:
                notes.append(
                    "het bestand heeft geen kolom 'ouder 1 gezag': nieuw gekoppelde ouders "
                    "zijn vastgelegd als ouder met gezag"
                )
        if self.guardians_kept:
            notes.append(
                f"ouders/verzorgers niet in het bestand maar wel gekoppeld gebleven: "
                f"{self.guardians_kept}; het bestand heeft niet voor beide ouders kolommen "
                "('ouder 1 naam' en 'ouder 2 naam'), dus niemand is ontkoppeld"
            )
        if self.new_without_guardians:
            notes.append(
                f"nieuwe leerlingen zonder ouder/verzorger: {self.new_without_guardians}; "
                "er is dus niemand die voor hen toestemming kan geven"
            )
        notes += _column_notes(columns.unused)
        if self.joined_family:
            notes.append(
                f"bij het gezin van een broer of zus gevoegd: {self.joined_family} "
                "(zelfde adres en dezelfde ouders)"
            )
        if self.numbered:
            notes.append(
                f"leerlingnummer gegeven aan {self.numbered} leerlingen die er al waren "
                "(zelfde naam en geboortedatum)"
            )
        if self.enrolled_again:
            notes.append(f"opnieuw ingeschreven: {self.enrolled_again}")
        if self.unknown_postcode:
            lines = ", ".join(str(n) for n in self.unknown_postcode[:50])
            more = " en meer" if len(self.unknown_postcode) > 50 else ""
            notes.append(
                f"postcode niet in de postcodetabel: {len(self.unknown_postcode)} (regel "
                f"{lines}{more}); hun woonwijk en wijkteam zijn onbekend tot de postcode bekend "
                "is (import-postcodes) of het adres is verbeterd"
            )
        return notes


def import_pupils(
    path: str | Path, *, school: str, today: dt.date | None = None, end_many: bool = False
) -> ImportReport:
    """Import one school's pupil administration export; all or nothing (see the module)."""
    source = Path(path).name
    the_school = find_school(school, source)
    today = today or timezone.localdate()
    rows, columns = parse(path, the_school, today=today)
    report = ImportReport(
        source,
        things=f"leerlingen van {the_school.name}, {the_school.location_code}",
        counts=(NEW, CHANGED, LEFT, SAME),
    )
    tally = _Tally()
    with transaction.atomic():
        enrolments = Enrolment.objects.filter(school=the_school).select_related("pupil")
        # Per number its latest enrolment here; unnumbered open ones by name and birth date.
        by_number: dict[str, Enrolment] = {}
        unnumbered: dict[tuple[str, str, dt.date], list[Enrolment]] = {}
        for existing in enrolments.order_by("started_on", "pk"):
            if existing.pupil_number:
                by_number[existing.pupil_number] = existing
            elif existing.ended_on is None:
                unnumbered.setdefault(_identity(existing.pupil), []).append(existing)
        open_before = set(enrolments.filter(ended_on__isnull=True).values_list("pk", flat=True))
        seen: set[int] = set()  # enrolments that the file keeps
        families: dict[tuple[str, str, frozenset[str]], Family] = {}
        for row in rows:
            enrolment = by_number.get(row.number)
            if enrolment is None:
                candidates = unnumbered.get(
                    (name_key(row.first_name), name_key(row.last_name), row.date_of_birth), []
                )
                if len(candidates) == 1:
                    enrolment = candidates.pop()
                    services.set_pupil_number(enrolment, row.number)
                    tally.numbered += 1
            if enrolment is None:
                _new_pupil(row, the_school, today, families, tally)
                if not row.guardians:
                    tally.new_without_guardians += 1
                report.inserted += 1
                continue
            pupil = enrolment.pupil
            changed = False
            if enrolment.ended_on is not None:
                if pupil.enrolments.filter(ended_on__isnull=True).exists():
                    report.skipped.append(
                        Problem(
                            row.line,
                            "deze leerling is nu ingeschreven op een andere school; niet "
                            "opnieuw ingeschreven",
                        )
                    )
                    continue
                enrolment = services.enrol_pupil(
                    pupil, the_school, group=row.group, on=today, pupil_number=row.number
                )
                tally.enrolled_again += 1
                changed = True
            seen.add(enrolment.pk)
            changed |= services.update_pupil(
                pupil,
                first_name=row.first_name,
                last_name=row.last_name,
                date_of_birth=row.date_of_birth,
                group=row.group,
            )
            changed |= _keep_address(pupil, row, today, tally)
            changed |= _keep_guardians(pupil, row, tally, unlink=columns.all_guardians)
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
        leaving = list(enrolments.filter(pk__in=open_before - seen).order_by("pk"))
        if not end_many:
            refuse_mass_removal(
                source,
                removing=len(leaving),
                stored=len(open_before),
                things="inschrijvingen van deze school",
                verb="beëindigen",
                full_file="het volledige leerlingbestand van de school",
                on_purpose="schrijf ze bewust uit (import-pupils --schrijf-ontbrekende-uit)",
            )
        for gone in leaving:
            if services.leave_school(gone.pupil, the_school, on=today):
                report.closed += 1
    report.notes += tally.notes(columns)
    return report


def _identity(pupil: Pupil) -> tuple[str, str, dt.date]:
    return name_key(pupil.first_name), name_key(pupil.last_name), pupil.date_of_birth


def _new_pupil(
    row: PupilRow,
    school: School,
    today: dt.date,
    families: dict[tuple[str, str, frozenset[str]], Family],
    tally: _Tally,
) -> Pupil:
    """Register, enrol and house a pupil the school's file names for the first time."""
    key = (
        row.postcode,
        house_key(row.house_number),
        frozenset(name_key(g.full_name) for g in row.guardians),
    )
    family = families.get(key) if row.guardians else None
    if family is None and row.guardians:
        family = _family_at(row.postcode, key[1], key[2])
        if family is not None:
            tally.joined_family += 1
    elif family is not None:
        tally.joined_family += 1
    pupil = services.register_pupil(
        first_name=row.first_name,
        last_name=row.last_name,
        date_of_birth=row.date_of_birth,
        family=family,
    )
    if row.guardians:
        families.setdefault(key, pupil.family)
    services.enrol_pupil(pupil, school, group=row.group, on=today, pupil_number=row.number)
    services.move_pupil(pupil, row.postcode, house_number=row.house_number, on=today)
    if not pupil.home_precision:
        tally.unknown_postcode.append(row.line)
    _keep_guardians(pupil, row, tally)
    return pupil


def _family_at(postcode: str, house: str, guardians: frozenset[str]) -> Family | None:
    """The family of a pupil living at this address now whose guardians have these names."""
    living = (
        Residence.objects.filter(postcode=postcode, moved_out_on__isnull=True)
        .select_related("pupil__family")
        .prefetch_related("pupil__guardians")
        .order_by("pupil_id")
    )
    for residence in living:
        if house_key(residence.house_number) != house:
            continue
        names = frozenset(name_key(g.full_name) for g in residence.pupil.guardians.all())
        if names == guardians:
            return residence.pupil.family
    return None


def _keep_address(pupil: Pupil, row: PupilRow, today: dt.date, tally: _Tally) -> bool:
    """Record a move when the postcode or house number differs from the current address."""
    current = pupil.residences.filter(moved_out_on__isnull=True).first()
    if (
        current is not None
        and normalise_postcode(current.postcode) == row.postcode
        and house_key(current.house_number) == house_key(row.house_number)
    ):
        return False
    services.move_pupil(pupil, row.postcode, house_number=row.house_number, on=today)
    tally.moved += 1
    if not pupil.home_precision:
        tally.unknown_postcode.append(row.line)
    return True


def _keep_guardians(pupil: Pupil, row: PupilRow, tally: _Tally, *, unlink: bool = True) -> bool:
    changes = services.set_guardians(pupil, row.guardians, unlink=unlink)
    tally.guardians_linked += changes.linked
    tally.guardians_changed += changes.changed
    tally.guardians_unlinked += changes.unlinked
    tally.guardians_kept += changes.kept
    return bool(changes)


_GUARDIAN_WORDS = ("ouder", "verzorger", "voogd", "moeder", "vader")
_BSN_WORDS = ("bsn", "burgerservicenummer", "sofinummer", "sofi nummer")
MAX_LISTED = 20


def _column_notes(unused: tuple[str, ...]) -> list[str]:
    """What the summary says about columns the import did not read.

    Said every time, not only when something looks wrong: a column under a name the importer
    does not know (a template's `Naam ouder/verzorger 1`) is otherwise read as an empty one, and
    new pupils silently come in without parents.
    """
    if not unused:
        return []
    listed = ", ".join(name[:40] for name in unused[:MAX_LISTED])
    more = f" en nog {len(unused) - MAX_LISTED}" if len(unused) > MAX_LISTED else ""
    notes = [f"kolommen niet gebruikt: {listed}{more}"]
    keys = [column_key(name) for name in unused]
    if any(word in key for key in keys for word in _GUARDIAN_WORDS):
        notes.append(
            "een niet gebruikte kolom lijkt over ouders/verzorgers te gaan; noem de kolommen "
            "'ouder 1 naam', 'ouder 1 relatie', 'ouder 1 gezag', 'ouder 1 email', "
            "'ouder 1 telefoon' en hetzelfde voor ouder 2, en lees het bestand opnieuw in"
        )
    if any(key in _BSN_WORDS or key.startswith("bsn ") for key in keys):
        notes.append(
            "het bestand heeft een kolom met het BSN; die is niet gelezen en niet bewaard. Laat "
            "het BSN voortaan weg uit de export: Schoolzorg heeft het niet nodig"
        )
    return notes
