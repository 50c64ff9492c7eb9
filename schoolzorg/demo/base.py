"""The demo's foundation layer: a fictional municipality, its schools, teams and people, pupils."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.accounts.services import DEMO_DEVICE_NAME
from schoolzorg.demo.context import DEMO_PASSWORD, SeedContext
from schoolzorg.demo.names import (
    ADULT_FIRST,
    FIRST_NAMES,
    LAST_NAMES,
    last_name,
    parent_first_name,
)
from schoolzorg.organisations.models import (
    District,
    Municipality,
    Neighbourhood,
    NeighbourhoodTeam,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipArea,
    PostcodeArea,
    School,
    SchoolBoard,
    Sector,
    ServiceDesk,
    SocialWorkProvider,
    YouthHealthService,
)
from schoolzorg.pupils.models import Enrolment, Family, Guardian, GuardianLink, Pupil, Residence
from schoolzorg.pupils.services import apply_home_area

MUNICIPALITY_CODE = "GM9901"  # 99xx is not a CBS code in use: plainly fictional.
NEIGHBOUR_CODE = "GM9902"
DISTRICTS = [
    ("WK990101", "Centrum", 3501),
    ("WK990102", "Havenkwartier", 3502),
    ("WK990103", "Oost", 3503),
    ("WK990104", "Zuiderpark", 3504),
    ("WK990105", "Molenwijk", 3505),
    ("WK990106", "Nieuw-West", 3506),
]
SCHOOL_NAMES = [
    "De Regenboog",
    "Het Kompas",
    "De Springplank",
    "Klimop",
    "De Vlinder",
    "Het Baken",
    "De Zonnewijzer",
    "Montessorischool Oost",
    "De Wereldwijzer",
    "Het Palet",
    "De Notenkraker",
    "Kindcentrum Molenwijk",
]
TEAMS = [
    ("Wijkteam Centrum-Haven", [0, 1]),
    ("Wijkteam Oost-Zuiderpark", [2, 3]),
    ("Wijkteam Molenwijk-West", [4, 5]),
]
PUPILS_PER_SCHOOL = 50


def _user(ctx: SeedContext, email: str, name: str) -> User:
    # Hashing is slow on purpose (argon2); all demo accounts share one password, so hash once.
    if "password_hash" not in ctx.extra:
        ctx.extra["password_hash"] = make_password(DEMO_PASSWORD)
    user = User.objects.create(email=email, full_name=name, password=ctx.extra["password_hash"])
    # Demo accounts pass the second factor with the printed demo code (demo mode only).
    TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    return user


def _member(
    user: User,
    org: Organisation,
    role: str,
    *,
    school: School | None = None,
    group: str = "",
    since: dt.date,
) -> Membership:
    return Membership.objects.create(
        user=user, organisation=org, role=role, school=school, group=group, valid_from=since
    )


def seed_foundation(ctx: SeedContext) -> None:
    rng, today = ctx.rng, ctx.today
    since = dt.date(today.year - 2, 8, 1)
    town = Municipality.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Waterstede",
        cbs_code=MUNICIPALITY_CODE,
        holiday_region="midden",
        email="jeugd@waterstede.example",
    )
    neighbour = Municipality.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Kleinveen",
        cbs_code=NEIGHBOUR_CODE,
        holiday_region="midden",
    )
    ctx.municipality = town
    for code, name, pc4 in DISTRICTS:
        district = District.objects.create(code=code, name=name, municipality=town)
        ctx.districts.append(district)
        for b in range(2):
            hood = Neighbourhood.objects.create(
                code=f"BU{code[2:]}{b:02d}",
                name=f"{name} {'Noord' if b == 0 else 'Zuid'}",
                district=district,
            )
            # Half the addresses resolve to a buurt by PC6; the PC4 resolves to the wijk.
            for letters in ("AA", "AB") if b == 0 else ("BA", "BB"):
                PostcodeArea.objects.create(
                    postcode=f"{pc4}{letters}",
                    neighbourhood=hood,
                    district=district,
                    municipality=town,
                    source="demo",
                )
        PostcodeArea.objects.create(
            postcode=str(pc4), district=district, municipality=town, source="demo"
        )
    PostcodeArea.objects.create(postcode="3601", municipality=neighbour, source="demo")

    board = SchoolBoard.objects.create(
        kind=OrganisationKind.SCHOOL_BOARD,
        name="Stichting Onderwijs Waterstede",
        number="99001",
        municipality=town,
    )
    partnership = Partnership.objects.create(
        kind=OrganisationKind.PARTNERSHIP,
        name="Passend Onderwijs Waterstede",
        code="PO9901",
        sector=Sector.PRIMARY,
        municipality=town,
    )
    for _, _, pc4 in DISTRICTS:
        PartnershipArea.objects.create(pc4=str(pc4), partnership=partnership)
    provider = SocialWorkProvider.objects.create(
        kind=OrganisationKind.SOCIAL_WORK_PROVIDER, name="SMW Waterstede", municipality=town
    )
    jgz = YouthHealthService.objects.create(
        kind=OrganisationKind.YOUTH_HEALTH_SERVICE, name="CJG Waterstede", municipality=town
    )
    desk = ServiceDesk.objects.create(
        kind=OrganisationKind.SERVICE_DESK, name="Servicepunt SMW Waterstede", municipality=town
    )
    for name, idx in TEAMS:
        team = NeighbourhoodTeam.objects.create(
            kind=OrganisationKind.NEIGHBOURHOOD_TEAM,
            name=name,
            municipality=town,
            area_name=" en ".join(ctx.districts[i].name for i in idx),
            email=f"{name.split()[1].lower()}@wijkteam.waterstede.example",
        )
        team.districts.set([ctx.districts[i] for i in idx])
        ctx.teams.append(team)

    for i, name in enumerate(SCHOOL_NAMES):
        district = ctx.districts[i % len(ctx.districts)]
        pc4 = DISTRICTS[i % len(DISTRICTS)][2]
        ctx.schools.append(
            School.objects.create(
                kind=OrganisationKind.SCHOOL,
                name=name,
                municipality=town,
                location_code=f"99A{i:01X}00"[:6],
                brin=f"99A{i:01X}",
                sector=Sector.PRIMARY,
                board=board,
                partnership=partnership,
                district=district,
                street="Schoolstraat",
                house_number=str(i + 1),
                postcode=f"{pc4} AA",
                city="WATERSTEDE",
                denomination="Openbaar",
                holiday_region="midden",
                pupil_count=PUPILS_PER_SCHOOL * 4,
                pupil_count_year=today.year - 1,
            )
        )

    _seed_people(ctx, since=since, partnership=partnership, provider=provider, jgz=jgz, desk=desk)
    _seed_pupils(ctx, neighbour_postcode="3601")
    ctx.extra.update(partnership=partnership, provider=provider, jgz=jgz, desk=desk, board=board)
    del rng


def _seed_people(
    ctx: SeedContext,
    *,
    since: dt.date,
    partnership: Partnership,
    provider: SocialWorkProvider,
    jgz: YouthHealthService,
    desk: ServiceDesk,
) -> None:
    town = ctx.municipality
    rng = ctx.rng

    def person(email: str) -> User:
        name = f"{rng.choice(ADULT_FIRST)} {last_name(rng.choice(LAST_NAMES))}"
        return _user(ctx, email, name)

    for i, school in enumerate(ctx.schools):
        roles: dict[str, list[User]] = {}
        n = i + 1
        ib = person(f"ib{n}@school.example")
        _member(ib, school, Role.SUPPORT_COORDINATOR, since=since)
        teacher = person(f"leerkracht{n}@school.example")
        _member(teacher, school, Role.TEACHER, group="6", since=since)
        director = person(f"directeur{n}@school.example")
        _member(director, school, Role.SCHOOL_DIRECTOR, since=since)
        roles[Role.SUPPORT_COORDINATOR] = [ib]
        roles[Role.TEACHER] = [teacher]
        roles[Role.SCHOOL_DIRECTOR] = [director]
        ctx.staff[school.pk] = roles

    # Professionals from outside the school each serve a few schools.
    def serving(prefix: str, org: Organisation, role: str, per: int) -> None:
        for k in range(0, len(ctx.schools), per):
            user = person(f"{prefix}{k // per + 1}@{org.kind.replace('_', '')}.example")
            for school in ctx.schools[k : k + per]:
                _member(user, org, role, school=school, since=since)
                ctx.staff[school.pk].setdefault(role, []).append(user)

    serving("smw", provider, Role.SCHOOL_SOCIAL_WORKER, 2)
    serving("scp", partnership, Role.PARTNERSHIP_CONTACT, 3)
    serving("jvk", jgz, Role.YOUTH_HEALTH_NURSE, 4)
    for t, team in enumerate(ctx.teams):
        leader = person(f"teamleider{t + 1}@wijkteam.example")
        _member(leader, team, Role.TEAM_LEADER, since=since)
        ctx.extra.setdefault("team_leaders", {})[team.pk] = leader
        for w in range(3):
            worker = person(f"wijkteam{t + 1}{w + 1}@wijkteam.example")
            _member(worker, team, Role.NEIGHBOURHOOD_TEAM_WORKER, since=since)
            ctx.extra.setdefault("team_workers", {}).setdefault(team.pk, []).append(worker)
    # Every school has a neighbourhood-team worker present (4 hours a week) and a contact person
    # in the team of the school's own district.
    for school in ctx.schools:
        team = next(t for t in ctx.teams if t.districts.filter(pk=school.district_id).exists())
        workers = ctx.extra["team_workers"][team.pk]
        worker = workers[school.pk % len(workers)]
        _member(worker, team, Role.NEIGHBOURHOOD_TEAM_WORKER, school=school, since=since)
        ctx.staff[school.pk].setdefault(Role.NEIGHBOURHOOD_TEAM_WORKER, []).append(worker)
        contact = workers[(school.pk + 1) % len(workers)]
        _member(contact, team, Role.NEIGHBOURHOOD_TEAM_CONTACT, school=school, since=since)
        ctx.staff[school.pk].setdefault(Role.NEIGHBOURHOOD_TEAM_CONTACT, []).append(contact)

    analyst = _user(ctx, "analist@waterstede.example", "Robin Analist")
    _member(analyst, town, Role.MUNICIPAL_ANALYST, since=since)
    privacy = _user(ctx, "privacy@waterstede.example", "Fleur Privacy")
    _member(privacy, town, Role.PRIVACY_OFFICER, since=since)
    admin = _user(ctx, "beheer@waterstede.example", "Wim Beheer")
    _member(admin, town, Role.FUNCTIONAL_ADMIN, since=since)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    desk_user = _user(ctx, "servicepunt@smw.example", "Jamila Servicepunt")
    _member(desk_user, desk, Role.SERVICE_DESK_COORDINATOR, since=since)

    first = ctx.schools[0]
    staff = ctx.staff[first.pk]
    ctx.users = {
        Role.SUPPORT_COORDINATOR: staff[Role.SUPPORT_COORDINATOR][0],
        Role.TEACHER: staff[Role.TEACHER][0],
        Role.SCHOOL_DIRECTOR: staff[Role.SCHOOL_DIRECTOR][0],
        Role.SCHOOL_SOCIAL_WORKER: staff[Role.SCHOOL_SOCIAL_WORKER][0],
        Role.PARTNERSHIP_CONTACT: staff[Role.PARTNERSHIP_CONTACT][0],
        Role.YOUTH_HEALTH_NURSE: staff[Role.YOUTH_HEALTH_NURSE][0],
        Role.NEIGHBOURHOOD_TEAM_WORKER: staff[Role.NEIGHBOURHOOD_TEAM_WORKER][0],
        Role.NEIGHBOURHOOD_TEAM_CONTACT: staff[Role.NEIGHBOURHOOD_TEAM_CONTACT][0],
        Role.TEAM_LEADER: ctx.extra["team_leaders"][ctx.teams[0].pk],
        Role.SERVICE_DESK_COORDINATOR: desk_user,
        Role.MUNICIPAL_ANALYST: analyst,
        Role.PRIVACY_OFFICER: privacy,
        Role.FUNCTIONAL_ADMIN: admin,
    }


def _birthday(today: dt.date, age: int, days_back: int) -> dt.date:
    """A date of birth `age` years and `days_back` days before today (29 February safe)."""
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - dt.timedelta(days=days_back)


def _seed_pupils(ctx: SeedContext, *, neighbour_postcode: str) -> None:
    """Families, guardians and pupils with their enrolment and address, in bulk.

    The current school and home area are set directly, as `enrol_pupil` and `move_pupil` would.
    """
    rng, today = ctx.rng, ctx.today
    school_year_start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    areas: dict[str, PostcodeArea | None] = {}
    families: list[tuple[Family, list[tuple[str, str]], list[tuple[Pupil, str, dt.date]]]] = []
    for s, school in enumerate(ctx.schools):
        remaining = PUPILS_PER_SCHOOL
        while remaining > 0:
            surname = last_name(rng.choice(LAST_NAMES))
            parents = [
                (
                    f"{parent_first_name(rng, p)} {surname}",
                    f"06-{rng.randint(10000000, 99999999)}",
                )
                for p in range(rng.choice((1, 2, 2)))
            ]
            # Most families live in the school's district; some elsewhere in town or outside it.
            roll = rng.random()
            if roll < 0.08:
                postcode = neighbour_postcode
            else:
                district_index = (
                    s % len(DISTRICTS) if roll < 0.75 else rng.randrange(len(DISTRICTS))
                )
                pc4 = DISTRICTS[district_index][2]
                postcode = f"{pc4}{rng.choice(('AA', 'AB', 'BA', 'BB', 'ZZ'))}"
            if postcode not in areas:
                areas[postcode] = PostcodeArea.objects.resolve(postcode)
            children: list[tuple[Pupil, str, dt.date]] = []
            for _ in range(min(remaining, rng.choice((1, 1, 2, 3)))):
                group = rng.randint(1, 8)
                pupil = Pupil(
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=surname,
                    date_of_birth=_birthday(today, group + 3, rng.randint(0, 364)),
                    current_school=school,
                    current_group=str(group),
                )
                apply_home_area(pupil, postcode, areas[postcode])
                house_number = str(rng.randint(1, 200))
                moved_in = school_year_start - dt.timedelta(days=rng.randint(100, 2000))
                children.append((pupil, house_number, moved_in))
                remaining -= 1
            families.append((Family(name=surname), parents, children))

    Family.objects.bulk_create([f for f, _, _ in families])
    guardians: list[Guardian] = []
    for family, parents, children in families:
        for p, (name, phone) in enumerate(parents):
            guardians.append(
                Guardian(
                    family=family,
                    full_name=name,
                    phone=phone,
                    email=f"ouder{family.pk}-{p}@gezin.example",
                )
            )
        for pupil, _, _ in children:
            pupil.family = family
    Guardian.objects.bulk_create(guardians)
    pupils = [pupil for _, _, children in families for pupil, _, _ in children]
    Pupil.objects.bulk_create(pupils)

    by_family: dict[int, list[Guardian]] = {}
    for guardian in guardians:
        by_family.setdefault(guardian.family_id, []).append(guardian)
    links, enrolments, residences = [], [], []
    for family, _, children in families:
        for pupil, house_number, moved_in in children:
            for p, parent in enumerate(by_family[family.pk]):
                links.append(
                    GuardianLink(
                        pupil=pupil,
                        guardian=parent,
                        has_authority=True,
                        relation="moeder" if p == 0 else "vader",
                    )
                )
            enrolments.append(
                Enrolment(
                    pupil=pupil,
                    school=pupil.current_school,
                    group=pupil.current_group,
                    started_on=school_year_start,
                )
            )
            residences.append(
                Residence(
                    pupil=pupil,
                    postcode=pupil.home_postcode,
                    house_number=house_number,
                    moved_in_on=moved_in,
                )
            )
    GuardianLink.objects.bulk_create(links)
    Enrolment.objects.bulk_create(enrolments)
    Residence.objects.bulk_create(residences)
    ctx.pupils.extend(pupils)
