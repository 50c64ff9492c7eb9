"""Seeds on real places: `schoolzorg seed --scale city|national`.

The places are real (DUO school locations, CBS districts, OCW partnership regions, shipped in
`data/registries/`); every person is fictional (names from `demo/names.py`, `.example` e-mail
addresses). Pupils are written in bulk (COPY on PostgreSQL, batched INSERTs on SQLite) with
precomputed ids and their current school, group and home area filled in directly, so the
national scale (about 1.4 million pupils) finishes in minutes.

* `city`: Rotterdam. Its 168 real primary school locations; 43 neighbourhood teams in the
  municipality's 14 areas; staff per school; about 60,000 pupils whose home PC4 follows DUO's real
  per-school distribution (`leerlingen-po-per-postcode-leerling-2024-rotterdam.csv`), so some
  live in neighbouring municipalities.
* `national`: all 6,122 locations with DUO's latest pupil count each.

Rotterdam's PC4 → wijk table below is an **approximation** made for the seed (no public postcode →
wijk file was available); its PostcodeArea rows say so in `source`, and a real CBS import replaces
them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import string
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.accounts.services import DEMO_DEVICE_NAME
from schoolzorg.demo.context import DEMO_PASSWORD
from schoolzorg.demo.names import (
    ADULT_FIRST,
    FIRST_NAMES,
    LAST_NAMES,
    last_name,
    parent_first_name,
)
from schoolzorg.organisations.importers.areas import import_areas
from schoolzorg.organisations.importers.base import (
    REGISTRY_DIR,
    ImportReport,
    allocate_ids,
    create_organisations,
    insert_rows,
    is_postgres,
)
from schoolzorg.organisations.importers.geo import assign_school_areas
from schoolzorg.organisations.importers.partnerships import import_partnership_regions
from schoolzorg.organisations.importers.postcodes import PLACEHOLDER_PC4, import_postcodes
from schoolzorg.organisations.importers.pupil_counts import import_pupil_counts
from schoolzorg.organisations.importers.schools import import_schools
from schoolzorg.organisations.models import (
    District,
    Municipality,
    NeighbourhoodTeam,
    OrganisationKind,
    Partnership,
    PostcodeArea,
    School,
    Sector,
    ServiceDesk,
    SocialWorkProvider,
    YouthHealthService,
)
from schoolzorg.pupils.models import Enrolment, Family, Guardian, GuardianLink, Pupil, Residence

DUO = REGISTRY_DIR / "duo"
ROTTERDAM = "GM0599"
PER_POSTCODE = {
    "GM0599": DUO / "leerlingen-po-per-postcode-leerling-2024-rotterdam.csv",
    "GM0603": DUO / "leerlingen-po-per-postcode-leerling-2024-rijswijk.csv",
    "GM1911": DUO / "leerlingen-po-per-postcode-leerling-2024-hollands-kroon.csv",
}
SMALL_COUNT = (1, 4)  # DUO's "<5": a random 1..4
TEAMS = 43
APPROXIMATION = "seed: benadering PC4-wijk Rotterdam (geen CBS-bron)"

# Rotterdam's 14 areas (gebieden) and the CBS wijken each one holds.
AREAS: dict[str, list[str]] = {
    "Centrum": ["WK059901"],
    "Delfshaven": ["WK059903", "WK059919"],
    "Overschie": ["WK059904", "WK059918", "WK059924"],
    "Noord": ["WK059905"],
    "Hillegersberg-Schiebroek": ["WK059906"],
    "Kralingen-Crooswijk": ["WK059908"],
    "Feijenoord": ["WK059910"],
    "IJsselmonde": ["WK059912"],
    "Pernis": ["WK059913", "WK059922"],
    "Prins Alexander": ["WK059914", "WK059925"],
    "Charlois": ["WK059915", "WK059921"],
    "Hoogvliet": ["WK059916"],
    "Hoek van Holland": ["WK059917"],
    "Rozenburg": ["WK059927", "WK059923"],
}
# Approximate PC4 ranges per CBS wijk (first PC4, last PC4, wijk); see the module docstring.
ROTTERDAM_PC4: list[tuple[int, int, str]] = [
    (3011, 3016, "WK059901"),
    (3021, 3029, "WK059903"),
    (3031, 3039, "WK059905"),
    (3041, 3047, "WK059904"),
    (3051, 3056, "WK059906"),
    (3059, 3059, "WK059914"),
    (3061, 3063, "WK059908"),
    (3064, 3069, "WK059914"),
    (3071, 3076, "WK059910"),
    (3077, 3079, "WK059912"),
    (3081, 3089, "WK059915"),
    (3151, 3151, "WK059917"),
    (3181, 3181, "WK059927"),
    (3191, 3194, "WK059916"),
    (3195, 3196, "WK059913"),
    (3197, 3199, "WK059923"),
]


def seed(scale: str, *, seed: int, stdout: TextIO, size: float = 1.0) -> None:
    """Entry point of `schoolzorg seed --scale city|national`; `size` scales pupils (tests)."""
    rng = random.Random(seed)
    ensure_registries(stdout)
    if scale == "city":
        seed_city(rng, stdout, size=size)
    elif scale == "national":
        seed_national(rng, stdout, size=size)
    else:  # pragma: no cover - the command only offers the two
        raise ValueError(scale)


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(text if text.endswith("\n") else text + "\n")


# --- Registries -------------------------------------------------------------------------------


def ensure_registries(stdout: TextIO) -> None:
    """Import every shipped registry; idempotent (a second run reports everything unchanged)."""
    steps: list[tuple[Any, tuple[Any, ...]]] = [
        (import_areas, ()),
        (import_schools, (DUO / "02-alle-schoolvestigingen-basisonderwijs.csv",)),
        (
            import_pupil_counts,
            (DUO / "06-historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv",),
        ),
        (import_partnership_regions, (REGISTRY_DIR / "swv" / "swv-regio-indeling-pc4-2015.csv",)),
        *[(import_postcodes, (path,)) for path in PER_POSTCODE.values()],
        (import_postcodes, (REGISTRY_DIR / "swv" / "swv-regio-indeling-pc4-2015.csv",)),
    ]
    for call, args in steps:
        report: ImportReport = call(*args)
        _say(stdout, report.summary().split("\n", 1)[0])
    from schoolzorg.calendars.demo import load_real_calendar

    _say(stdout, load_real_calendar())  # real holidays, so deadlines count school days


# --- Shared building blocks -------------------------------------------------------------------


@dataclass
class Home:
    pc4: str
    district_id: int | None
    municipality_id: int | None


def postcode_homes() -> dict[str, Home]:
    """PC4 → home area, from the PC4 entries (PC6 entries are not needed: homes are PC4-precise)."""
    homes = {}
    for pc, district_id, hood_district, municipality_id in PostcodeArea.objects.filter(
        postcode__regex=r"^[0-9]{4}$"
    ).values_list("postcode", "district_id", "neighbourhood__district_id", "municipality_id"):
        homes[pc] = Home(pc, district_id or hood_district, municipality_id)
    return homes


def per_school_distribution(path: Any, rng: random.Random) -> dict[str, list[tuple[str, int, int]]]:
    """Location code → [(home PC4, age, pupils)] from a DUO per-postcode file (primary only)."""
    out: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["SOORT_PO"].lower() != "bo" or row["POSTCODE_LEERLING"] in PLACEHOLDER_PC4:
                continue
            code = row["INSTELLINGSCODE"] + row["VESTIGINGSCODE"]
            for column, value in row.items():
                if not column.startswith("LEEFTIJD_") or value in ("", "0"):
                    continue
                suffix = column.removeprefix("LEEFTIJD_")
                age = 4 if suffix == "JONGER" else 13 if suffix == "OUDER" else int(suffix)
                n = rng.randint(*SMALL_COUNT) if value == "<5" else int(value)
                out[code].append((row["POSTCODE_LEERLING"], age, n))
    return out


class PupilWriter:
    """Builds families, guardians, pupils, links, enrolments and residences as plain rows."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.year_start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
        self.now = timezone.now()
        self.families: list[tuple[Any, ...]] = []
        self.guardians: list[tuple[Any, ...]] = []
        self.pupils: list[tuple[Any, ...]] = []
        self.links: list[tuple[Any, ...]] = []
        self.enrolments: list[tuple[Any, ...]] = []
        self.residences: list[tuple[Any, ...]] = []
        self.counts: dict[str, int] = defaultdict(int)

    def add_school(self, school_id: int, plan: Sequence[tuple[Home | None, int, int]]) -> None:
        """`plan`: (home, age, pupils); pupils living at one PC4 are grouped into families."""
        rng = self.rng
        todo: list[tuple[Home | None, int]] = [
            (home, age) for home, age, n in plan for _ in range(n)
        ]
        rng.shuffle(todo)
        by_home: dict[str, list[tuple[Home | None, int]]] = defaultdict(list)
        for home, age in todo:
            by_home[home.pc4 if home else ""].append((home, age))
        for members in by_home.values():
            while members:
                size = min(len(members), rng.choice((1, 1, 1, 2, 2, 3)))
                self._family(school_id, [members.pop() for _ in range(size)])

    def _family(self, school_id: int, children: list[tuple[Home | None, int]]) -> None:
        rng = self.rng
        surname = last_name(rng.choice(LAST_NAMES))
        family = len(self.families)
        self.families.append((family, surname))
        guardians = []
        for p in range(rng.choice((1, 2, 2, 2))):
            g = len(self.guardians)
            self.guardians.append(
                (
                    g,
                    family,
                    f"{parent_first_name(rng, p)} {surname}",
                    f"ouder{g}@gezin.example",
                    f"06-{rng.randint(10000000, 99999999)}",
                )
            )
            guardians.append((g, "moeder" if p == 0 else "vader"))
        home, _ = children[0]
        letters = rng.choice(string.ascii_uppercase[:20]) + rng.choice(string.ascii_uppercase)
        postcode = f"{home.pc4}{letters}" if home else ""
        house_number = str(rng.randint(1, 250))
        moved_in = (self.year_start - dt.timedelta(days=rng.randint(100, 3000))).isoformat()
        for _, age in children:
            pupil = len(self.pupils)
            group = str(min(8, max(1, age - 3)))
            born = self.today - dt.timedelta(days=365 * age + rng.randint(0, 364))
            self.pupils.append(
                (
                    pupil,
                    rng.choice(FIRST_NAMES),
                    surname,
                    born.isoformat(),
                    family,
                    school_id,
                    group,
                    postcode,
                    home.district_id if home else None,
                    home.municipality_id if home else None,
                    "pc4" if home and home.municipality_id else "",
                )
            )
            for g, relation in guardians:
                self.links.append((pupil, g, relation))
            self.enrolments.append((pupil, school_id, group, self.year_start.isoformat()))
            if postcode:
                self.residences.append((pupil, postcode, house_number, moved_in))

    def write(self) -> dict[str, int]:
        """Insert what was built so far with precomputed ids and forget it; returns the row
        counts per table written since the start."""
        family_ids = allocate_ids(Family, len(self.families))
        guardian_ids = allocate_ids(Guardian, len(self.guardians))
        pupil_ids = allocate_ids(Pupil, len(self.pupils))
        now = self.now if is_postgres() else self.now.strftime("%Y-%m-%d %H:%M:%S.%f")
        counts = self.counts
        for label, n in {
            "gezinnen": bulk(
                Family,
                ["id", "name", "created_at"],
                ((family_ids[f], name, now) for f, name in self.families),
            ),
            "ouders": bulk(
                Guardian,
                ["id", "family_id", "full_name", "email", "phone"],
                ((guardian_ids[g], family_ids[f], n, e, p) for g, f, n, e, p in self.guardians),
            ),
            "leerlingen": bulk(
                Pupil,
                [
                    "id",
                    "first_name",
                    "last_name",
                    "date_of_birth",
                    "family_id",
                    "current_school_id",
                    "current_group",
                    "home_postcode",
                    "home_district_id",
                    "home_municipality_id",
                    "home_precision",
                    "created_at",
                ],
                ((pupil_ids[p[0]], *p[1:4], family_ids[p[4]], *p[5:], now) for p in self.pupils),
            ),
            "ouderkoppelingen": bulk(
                GuardianLink,
                ["pupil_id", "guardian_id", "relation", "has_authority"],
                ((pupil_ids[p], guardian_ids[g], r, True) for p, g, r in self.links),
            ),
            "inschrijvingen": bulk(
                Enrolment,
                ["pupil_id", "school_id", "group", "started_on"],
                ((pupil_ids[p], s, g, d) for p, s, g, d in self.enrolments),
            ),
            "woonadressen": bulk(
                Residence,
                ["pupil_id", "postcode", "house_number", "moved_in_on"],
                ((pupil_ids[p], pc, h, d) for p, pc, h, d in self.residences),
            ),
        }.items():
            counts[label] += n
        for rows in (
            self.families,
            self.guardians,
            self.pupils,
            self.links,
            self.enrolments,
            self.residences,
        ):
            rows.clear()
        return dict(counts)

    def flush_if_big(self, limit: int = 100_000) -> None:
        if len(self.pupils) >= limit:
            self.write()


def bulk(model: type[models.Model], names: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows for the named fields; every other column gets its model default."""
    by_attname = {f.attname: f for f in model._meta.local_concrete_fields}
    extra = [
        f for f in model._meta.local_concrete_fields if f.attname not in names and not f.primary_key
    ]
    defaults = []
    for f in extra:
        value = f.get_default()
        if not is_postgres():
            value = f.get_db_prep_save(value, connection)
        defaults.append(value)
    columns = [str(by_attname[n].column) for n in names] + [str(f.column) for f in extra]
    tail = tuple(defaults)

    def full() -> Iterator[Sequence[Any]]:
        for row in rows:
            yield (*row, *tail)

    return insert_rows(model._meta.db_table, columns, full())


PUPIL_TABLES: list[type[models.Model]] = [
    Family,
    Guardian,
    Pupil,
    GuardianLink,
    Enrolment,
    Residence,
]


@contextmanager
def keys_checked_afterwards(tables: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys and secondary indexes of `tables` for a bulk load and
    put them back afterwards, in the same transaction.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: with them in place, COMMIT runs one
    trigger per inserted row (millions). Re-adding a key checks all rows in one set-based pass,
    and an index is built once instead of updated per row. A failure rolls everything back.
    """
    if not is_postgres():
        yield
        return
    names = [m._meta.db_table for m in tables]
    with connection.cursor() as cursor:
        # Run the checks still pending from earlier writes in this transaction: PostgreSQL will
        # not alter a table (here: a referenced one) with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [names],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [names],
        )
        indexes = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _analyse() -> None:
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- City: Rotterdam --------------------------------------------------------------------------


def rotterdam_districts() -> dict[str, District]:
    return {d.code: d for d in District.objects.filter(municipality__cbs_code=ROTTERDAM)}


def map_rotterdam_postcodes(districts: dict[str, District]) -> int:
    """Give Rotterdam's PC4 entries a wijk by the approximate table (never over a real one)."""
    municipality_id = Municipality.objects.get(cbs_code=ROTTERDAM).pk
    changed = 0
    for first, last, code in ROTTERDAM_PC4:
        district = districts.get(code)
        if district is None:
            continue
        for pc4 in range(first, last + 1):
            area, created = PostcodeArea.objects.get_or_create(
                postcode=str(pc4),
                defaults={
                    "district": district,
                    "municipality_id": municipality_id,
                    "source": APPROXIMATION,
                },
            )
            if not created and area.district_id is None and area.municipality_id == municipality_id:
                area.district, area.source = district, APPROXIMATION
                area.save(update_fields=["district", "source"])
                changed += 1
            changed += created
    return changed


def seed_city(rng: random.Random, stdout: TextIO, *, size: float = 1.0) -> None:
    today = timezone.localdate()
    if SocialWorkProvider.objects.filter(name="SMW Rotterdam (demo)").exists():
        _say(stdout, "De stadsdata voor Rotterdam staan er al; er is niets veranderd.")
        return
    with transaction.atomic():
        rotterdam = Municipality.objects.get(cbs_code=ROTTERDAM)
        districts = rotterdam_districts()
        map_rotterdam_postcodes(districts)
        assign_school_areas(
            list(School.objects.filter(municipality=rotterdam).values_list("pk", flat=True))
        )
        schools = list(
            School.objects.open().filter(municipality=rotterdam).order_by("location_code")
        )
        distribution = per_school_distribution(PER_POSTCODE[ROTTERDAM], rng)
        homes = postcode_homes()
        teams = _teams(rng, rotterdam, districts, distribution, homes)
        staff = _staff(rng, rotterdam, schools, teams, today)

        writer = PupilWriter(rng, today)
        counts: dict[str, int] = {}
        # On a database seeded nationally, Rotterdam's schools have their pupils already.
        if not Pupil.objects.filter(current_school__in=schools).exists():
            with keys_checked_afterwards(PUPIL_TABLES):
                for school in schools:
                    plan = _plan_from_distribution(
                        distribution.get(school.location_code), school, homes
                    )
                    writer.add_school(school.pk, _scaled(plan, size, rng))
                counts = writer.write()
    _analyse()
    _say(
        stdout,
        f"Rotterdam: {len(schools)} scholen, {len(teams)} wijkteams in {len(AREAS)} gebieden, "
        f"{staff} medewerkers, " + ", ".join(f"{n} {label}" for label, n in counts.items()),
    )


def _plan_from_distribution(
    rows: list[tuple[str, int, int]] | None, school: School, homes: dict[str, Home]
) -> list[tuple[Home | None, int, int]]:
    if rows:
        return [(homes.get(pc4) or Home(pc4, None, None), age, n) for pc4, age, n in rows]
    # A location DUO has no per-postcode rows for (a new school): its count, at its own PC4.
    pc4 = school.postcode[:4]
    total = school.pupil_count or (2 if school.is_small_count else 0)
    home = homes.get(pc4) or Home(pc4, school.district_id, school.municipality_id)
    return [(home, 4 + i % 9, 1) for i in range(total)]


def _scaled(
    plan: Sequence[tuple[Home | None, int, int]], size: float, rng: random.Random
) -> list[tuple[Home | None, int, int]]:
    if size >= 1:
        return list(plan)
    out = []
    for home, age, n in plan:
        kept = sum(1 for _ in range(n) if rng.random() < size)
        if kept:
            out.append((home, age, kept))
    return out


def _teams(
    rng: random.Random,
    rotterdam: Municipality,
    districts: dict[str, District],
    distribution: dict[str, list[tuple[str, int, int]]],
    homes: dict[str, Home],
) -> list[NeighbourhoodTeam]:
    """43 teams over the 14 areas, in proportion to the pupils living there (at least one each)."""
    living: dict[int, int] = defaultdict(int)
    for rows in distribution.values():
        for pc4, _, n in rows:
            home = homes.get(pc4)
            if home and home.district_id:
                living[home.district_id] += n
    weight = {
        area: max(1, sum(living[districts[c].pk] for c in codes if c in districts))
        for area, codes in AREAS.items()
    }
    total = sum(weight.values())
    share = {area: 1 + (TEAMS - len(AREAS)) * w / total for area, w in weight.items()}
    count = {area: int(s) for area, s in share.items()}
    for area in sorted(share, key=lambda a: share[a] - count[a], reverse=True)[
        : TEAMS - sum(count.values())
    ]:
        count[area] += 1
    teams: list[NeighbourhoodTeam] = []
    members: list[list[District]] = []
    for area, codes in AREAS.items():
        area_districts = [districts[c] for c in codes if c in districts]
        for k in range(count[area]):
            suffix = f" {k + 1}" if count[area] > 1 else ""
            teams.append(
                NeighbourhoodTeam(
                    kind=OrganisationKind.NEIGHBOURHOOD_TEAM,
                    name=f"Wijkteam {area}{suffix}",
                    municipality_id=rotterdam.pk,
                    area_name=area,
                    email=f"wijkteam{len(teams) + 1}@wijkteam-rotterdam.example",
                )
            )
            members.append(area_districts)
    create_organisations(NeighbourhoodTeam, teams)
    through = NeighbourhoodTeam.districts.through
    through.objects.bulk_create(
        [
            through(neighbourhoodteam_id=team.pk, district_id=d.pk)
            for team, ds in zip(teams, members, strict=True)
            for d in ds
        ]
    )
    del rng
    return teams


def _staff(
    rng: random.Random,
    rotterdam: Municipality,
    schools: list[School],
    teams: list[NeighbourhoodTeam],
    today: dt.date,
) -> int:
    """Staff per school and the professionals around them; fictional names and e-mail."""
    since = dt.date(today.year - 2, 8, 1)
    provider = SocialWorkProvider(
        kind=OrganisationKind.SOCIAL_WORK_PROVIDER,
        name="SMW Rotterdam (demo)",
        municipality_id=rotterdam.pk,
    )
    jgz = YouthHealthService(
        kind=OrganisationKind.YOUTH_HEALTH_SERVICE,
        name="JGZ Rotterdam (demo)",
        municipality_id=rotterdam.pk,
    )
    desk = ServiceDesk(
        kind=OrganisationKind.SERVICE_DESK,
        name="Servicepunt SMW Rotterdam (demo)",
        municipality_id=rotterdam.pk,
    )
    create_organisations(SocialWorkProvider, [provider])
    create_organisations(YouthHealthService, [jgz])
    create_organisations(ServiceDesk, [desk])
    password = make_password(DEMO_PASSWORD)
    users: list[User] = []
    memberships: list[tuple[int, int, str, int | None, str]] = []

    def person(email: str) -> int:
        name = f"{rng.choice(ADULT_FIRST)} {last_name(rng.choice(LAST_NAMES))}"
        users.append(User(email=email, full_name=name, password=password))
        return len(users) - 1

    for school in schools:
        code = school.location_code.lower()
        memberships.append(
            (person(f"ib-{code}@school.example"), school.pk, Role.SUPPORT_COORDINATOR, None, "")
        )
        memberships.append(
            (person(f"leerkracht-{code}@school.example"), school.pk, Role.TEACHER, None, "6")
        )
        memberships.append(
            (person(f"directeur-{code}@school.example"), school.pk, Role.SCHOOL_DIRECTOR, None, "")
        )

    partnerships = dict(Partnership.objects.filter(sector="primary").values_list("pk", "code"))

    def serving(prefix: str, org_id: int, role: str, per: int, group: list[School]) -> None:
        for k in range(0, len(group), per):
            u = person(f"{prefix}{k // per + 1}@rotterdam.example")
            for school in group[k : k + per]:
                memberships.append((u, org_id, role, school.pk, ""))

    serving("smw", provider.pk, Role.SCHOOL_SOCIAL_WORKER, 2, schools)
    serving("jvk", jgz.pk, Role.YOUTH_HEALTH_NURSE, 4, schools)
    by_partnership: dict[int, list[School]] = defaultdict(list)
    for school in schools:
        if school.partnership_id in partnerships:
            by_partnership[school.partnership_id].append(school)
    for pid, group in by_partnership.items():
        serving(f"scp-{partnerships[pid].lower()}-", pid, Role.PARTNERSHIP_CONTACT, 3, group)

    team_of_district: dict[int, list[NeighbourhoodTeam]] = defaultdict(list)
    workers: dict[int, list[int]] = {}
    for t, team in enumerate(teams):
        memberships.append(
            (
                person(f"teamleider{t + 1}@wijkteam-rotterdam.example"),
                team.pk,
                Role.TEAM_LEADER,
                None,
                "",
            )
        )
        workers[team.pk] = [
            person(f"wijkteam{t + 1}-{w + 1}@wijkteam-rotterdam.example") for w in range(3)
        ]
        for w in workers[team.pk]:
            memberships.append((w, team.pk, Role.NEIGHBOURHOOD_TEAM_WORKER, None, ""))
        for d in team.districts.all():
            team_of_district[d.pk].append(team)
    for i, school in enumerate(schools):
        options = team_of_district.get(school.district_id or 0) or teams
        team = options[i % len(options)]
        ws = workers[team.pk]
        memberships.append(
            (ws[i % len(ws)], team.pk, Role.NEIGHBOURHOOD_TEAM_WORKER, school.pk, "")
        )
        memberships.append(
            (ws[(i + 1) % len(ws)], team.pk, Role.NEIGHBOURHOOD_TEAM_CONTACT, school.pk, "")
        )
    analyst = person("analist@rotterdam.example")
    memberships.append((analyst, rotterdam.pk, Role.MUNICIPAL_ANALYST, None, ""))
    memberships.append(
        (person("servicepunt@rotterdam.example"), desk.pk, Role.SERVICE_DESK_COORDINATOR, None, "")
    )

    User.objects.bulk_create(users, batch_size=1000)
    saved = dict(User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk"))
    ids = [saved[u.email] for u in users]
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user_id=pk, name=DEMO_DEVICE_NAME, confirmed=True) for pk in ids],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=ids[u],
                organisation_id=org,
                role=role,
                school_id=school,
                group=group,
                valid_from=since,
            )
            for u, org, role, school, group in memberships
        ],
        batch_size=1000,
    )
    return len(users)


# --- National ---------------------------------------------------------------------------------


SECONDARY_SCHOOLS = 650


def add_synthetic_secondary_schools(rng: random.Random, count: int = SECONDARY_SCHOOLS) -> int:
    """Add plainly synthetic secondary school locations (the DUO file has primary schools only).

    They stand in the largest municipalities by number of primary schools, so the national data
    set has the country's mix of school kinds for access rules and lists; they get no pupils,
    since the 1.4 million synthetic pupils model primary education.
    """
    existing = School.objects.filter(location_code__startswith="VO").count()
    if existing >= count:
        return existing
    municipalities = list(
        Municipality.objects.annotate(n=models.Count("organisations"))
        .filter(n__gt=0)
        .order_by("-n", "cbs_code")
        .values_list("pk", "name")
    )
    for i in range(existing, count):
        municipality_id, name = municipalities[i % len(municipalities)]
        School.objects.create(
            kind=OrganisationKind.SCHOOL,
            name=f"Synthetisch voortgezet onderwijs {i + 1} ({name})",
            municipality_id=municipality_id,
            location_code=f"VO{i:04d}",
            brin=f"VO{i // 100:02d}",
            sector=Sector.SECONDARY,
            pupil_count=None,
        )
    return count


def seed_national(rng: random.Random, stdout: TextIO, *, size: float = 1.0) -> None:
    today = timezone.localdate()
    real = School.objects.exclude(source_hash="")
    if Pupil.objects.filter(current_school__in=real).exists():
        _say(stdout, "Er staan al leerlingen op de echte scholen; er is niets veranderd.")
        return
    with transaction.atomic():
        homes = postcode_homes()
        pc4_by_municipality: dict[int, list[Home]] = defaultdict(list)
        for home in homes.values():
            if home.municipality_id:
                pc4_by_municipality[home.municipality_id].append(home)
        distributions: dict[str, list[tuple[str, int, int]]] = {}
        for path in PER_POSTCODE.values():
            distributions.update(per_school_distribution(path, rng))
        writer = PupilWriter(rng, today)
        schools = list(
            School.objects.open()
            .exclude(source_hash="")
            .order_by("location_code")
            .values_list(
                "pk",
                "location_code",
                "postcode",
                "municipality_id",
                "pupil_count",
                "is_small_count",
            )
        )
        secondary = add_synthetic_secondary_schools(rng)
        started = time.monotonic()
        with keys_checked_afterwards(PUPIL_TABLES):
            for pk, code, postcode, municipality_id, count, small in schools:
                if code in distributions:
                    plan = [
                        (homes.get(pc4) or Home(pc4, None, None), age, n)
                        for pc4, age, n in distributions[code]
                    ]
                else:
                    total = count or (rng.randint(*SMALL_COUNT) if small else 0)
                    own = homes.get(postcode[:4]) or Home(postcode[:4], None, municipality_id)
                    nearby = pc4_by_municipality.get(municipality_id or 0) or [own]
                    plan = []
                    for _ in range(total):
                        home = own if rng.random() < 0.8 else rng.choice(nearby)
                        plan.append((home, rng.randint(4, 12), 1))
                writer.add_school(pk, _scaled(plan, size, rng))
                writer.flush_if_big()
            counts = writer.write()
            loaded = time.monotonic()
        checked = time.monotonic()
    _analyse()
    _say(
        stdout,
        f"Leerlingen gemaakt en geladen in {loaded - started:.0f} s, sleutels en indexen "
        f"gecontroleerd in {checked - loaded:.0f} s, vastgelegd en geanalyseerd in "
        f"{time.monotonic() - checked:.0f} s.",
    )
    _say(
        stdout,
        f"Nederland: {len(schools)} basisscholen, {secondary} synthetische vo-scholen, "
        f"{Municipality.objects.filter(cbs_code__regex=r'^GM[0-9]{4}$').exclude(cbs_code__startswith='GM99').count()} gemeenten, "
        + ", ".join(f"{n} {label}" for label, n in counts.items()),
    )
