"""Prepare a benchmark run inside Django (called by scripts/bench.py; never on a real database).

Creates, idempotently, in the bench database only:
- a bench school ("Benchschool") in the municipality with the most schools, with 50 pupils who
  each have an open case (the caseload list shows exactly 50 rows), 50 referrals submitted to one
  neighbourhood team (its inbox), a care meeting with 10 agenda items, and a supply of complete
  referral drafts (for the write: submitting a referral);
- bench users with a verified second factor and a session straight in the session store
  (as `conftest.login_verified` does), one per point of view: support coordinator, neighbourhood
  team worker, municipal analyst;
then refreshes the roll-ups when they are empty, counts the queries of one request per page with
Django's test client against the same database, and writes everything as JSON.

Usage: bench_prepare.py OUT.json [--drafts N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from schoolzorg.accounts.middleware import SESSION_STARTED_KEY  # noqa: E402
from schoolzorg.accounts.models import Membership, User  # noqa: E402
from schoolzorg.accounts.roles import Role  # noqa: E402
from schoolzorg.accounts.sessions import SessionStore  # noqa: E402
from schoolzorg.organisations.models import (  # noqa: E402
    Municipality,
    NeighbourhoodTeam,
    OrganisationKind,
    School,
)
from schoolzorg.pupils.models import Enrolment, Family, Pupil  # noqa: E402

BENCH_LOCATION = "BENCH1"
# The write scenario's drafts live at a school of their own with a coordinator of their own:
# thousands of draft pupils at the measured school would make it 30-60 times a real school.
DRAFT_LOCATION = "BENCH2"
N_ROWS = 50
TODAY = timezone.localdate()
NOTES: list[str] = []


def log(msg: str) -> None:
    print(f"[prepare] {msg}", file=sys.stderr, flush=True)


# --- organisations and people -----------------------------------------------------------------


def pick_municipality() -> Municipality:
    wanted = os.environ.get("BENCH_MUNICIPALITY", "")
    qs = Municipality.objects.all()
    if wanted:
        return qs.get(cbs_code=wanted)
    top = (
        School.objects.filter(municipality__isnull=False)
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("Geen scholen in de database: seed eerst (zie docs/benchmarks.md).")
    return qs.get(pk=top["municipality_id"])


def bench_school(
    municipality: Municipality,
    location: str = BENCH_LOCATION,
    name: str = "Benchschool (meetschool)",
) -> School:
    school = School.objects.filter(location_code=location).first()
    if school is None:
        district = municipality.districts.first()
        school = School.objects.create(
            kind=OrganisationKind.SCHOOL,
            name=name,
            municipality=municipality,
            location_code=location,
            brin="BNCH",
            district=district,
            city="Meetstad",
        )
    return school


def bench_team(municipality: Municipality, name: str) -> NeighbourhoodTeam:
    """A team of the bench's own: its inbox holds exactly what the bench put there."""
    team = NeighbourhoodTeam.objects.filter(municipality=municipality, name=name).first()
    if team is None:
        team = NeighbourhoodTeam.objects.create(
            kind=OrganisationKind.NEIGHBOURHOOD_TEAM, name=name, municipality=municipality
        )
    return team


def bench_user(key: str, role: str, organisation: Any, school: Any = None) -> User:
    email = f"bench-{key}@bench.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=f"Bench {key}")
    if not Membership.objects.filter(user=user, role=role, organisation=organisation).exists():
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=role,
            school=school,
            valid_from=dt.date(2020, 1, 1),
        )
    return user


def session_for(user: User) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["otp_device_id"] = device.persistent_id
    store[SESSION_STARTED_KEY] = time.time()
    store["sz_reauth_at"] = time.time()
    store.create()
    assert store.session_key is not None
    return store.session_key


# --- data -------------------------------------------------------------------------------------


def bench_pupils(school: School, n: int, prefix: str) -> list[Pupil]:
    existing = list(
        Pupil.objects.filter(current_school=school, last_name__startswith=prefix).order_by("pk")
    )
    missing = n - len(existing)
    if missing > 0:
        families = Family.objects.bulk_create(
            [Family(name=f"{prefix}{len(existing) + i}") for i in range(missing)]
        )
        pupils = Pupil.objects.bulk_create(
            [
                Pupil(
                    first_name="Meet",
                    last_name=f"{prefix}{len(existing) + i:05d}",
                    date_of_birth=dt.date(2016, 3, 1 + i % 28),
                    family=f,
                    current_school=school,
                    current_group="6",
                    home_district=school.district,
                    home_municipality=school.municipality,
                )
                for i, f in enumerate(families)
            ]
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(pupil=p, school=school, group="6", started_on=dt.date(2024, 8, 1))
                for p in pupils
            ]
        )
        existing += pupils
    return existing[:n]


def ensure_cases(school: School, pupils: list[Pupil], coordinator: User) -> str | None:
    try:
        from schoolzorg.cases.models import Case
    except ImportError as exc:
        return f"cases ontbreekt: {exc}"
    have = set(Case.objects.filter(school=school).values_list("pupil_id", flat=True))
    category = Case._meta.get_field("category").choices[0][0]  # type: ignore[index]
    Case.objects.bulk_create(
        [
            Case(
                pupil=p,
                school=school,
                category=category,
                description="Meetcasus",
                raised_by=coordinator,
                coordinator=coordinator,
                opened_at=timezone.now() - dt.timedelta(days=30),
            )
            for p in pupils
            if p.pk not in have
        ]
    )
    return None


def ensure_referrals(
    school: School, pupils: list[Pupil], team: NeighbourhoodTeam, coordinator: User
) -> str | None:
    try:
        from schoolzorg.referrals.models import Referral
    except ImportError as exc:
        return f"referrals ontbreekt: {exc}"
    have = set(
        Referral.objects.filter(school=school, team=team)
        .exclude(state="draft")
        .values_list("pupil_id", flat=True)
    )
    now = timezone.now()
    Referral.objects.bulk_create(
        [
            Referral(
                pupil=p,
                school=school,
                team=team,
                state="submitted",
                created_by=coordinator,
                social_worker=coordinator,
                help_question="Meettoeleiding",
                round=1,
                submitted_at=now,
                submitted_on=TODAY,
                acknowledge_due_on=TODAY + dt.timedelta(days=2),
            )
            for p in pupils
            if p.pk not in have
        ]
    )
    return None


def ensure_meeting(school: School, pupils: list[Pupil], coordinator: User) -> int | None:
    try:
        from schoolzorg.careteams.models import CareTeam, school_year_of
        from schoolzorg.cases.models import Case
        from schoolzorg.meetings.models import AgendaItem, CareMeeting
    except ImportError as exc:
        NOTES.append(f"agenda overgeslagen: {exc}")
        return None
    team, _ = CareTeam.objects.get_or_create(school=school, school_year=school_year_of(TODAY))
    meeting = CareMeeting.objects.filter(care_team=team).order_by("pk").first()
    if meeting is not None and meeting.scheduled_on != TODAY:
        # The measured page is the working screen as used in the meeting: from the meeting's
        # day on it holds the minutes and decision forms of every item (before it, none).
        CareMeeting.objects.filter(pk=meeting.pk).update(scheduled_on=TODAY)
    if meeting is None:
        meeting = CareMeeting.objects.create(
            care_team=team,
            scheduled_on=TODAY,
            start_time=dt.time(9, 0),
            end_time=dt.time(10, 30),
            created_by=coordinator,
        )
        cases = {c.pupil_id: c for c in Case.objects.filter(school=school)}
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    meeting=meeting,
                    pupil=p,
                    case=cases.get(p.pk),
                    question="Meetvraag aan het team",
                    position=i,
                    placed_by=coordinator,
                )
                for i, p in enumerate(pupils[:10])
            ]
        )
    # The parents agreed to discuss them in the care team: without it the working screen shows
    # an item without name or content (and measures a lighter page).
    from schoolzorg.consent.models import Consent, Purpose

    placed = list(meeting.items.exclude(pupil=None).values_list("pupil_id", flat=True))
    consented = set(
        Consent.objects.to_discuss(meeting.scheduled_on)
        .filter(pupil_id__in=placed)
        .values_list("pupil_id", flat=True)
    )
    Consent.objects.bulk_create(
        Consent(
            pupil_id=pupil_id,
            purpose=Purpose.DISCUSS_IN_CARE_TEAM,
            is_complete=True,
            given_by_pupil=True,  # enough whatever the pupil's age on the meeting day
            given_on=TODAY - dt.timedelta(days=30),
            recorded_by=coordinator,
        )
        for pupil_id in placed
        if pupil_id not in consented
    )
    return meeting.pk


def ensure_drafts(
    school: School, team: NeighbourhoodTeam, coordinator: User, n: int
) -> tuple[list[int], dict[str, str]]:
    """Complete drafts, each ready to submit; returns their ids and the form data to post."""
    from schoolzorg.consent.models import Consent, Purpose
    from schoolzorg.referrals import forms, services
    from schoolzorg.referrals.models import Referral

    pupils = bench_pupils(school, n, "Concept")
    drafts = {r.pupil_id: r.pk for r in Referral.objects.filter(pupil__in=pupils, state="draft")}
    consented = set(
        Consent.objects.filter(
            pupil__in=pupils, purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM
        ).values_list("pupil_id", flat=True)
    )
    Consent.objects.bulk_create(
        [
            Consent(
                pupil=p,
                purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
                recipient=team,
                is_complete=True,
                given_by_pupil=True,
                given_on=TODAY - dt.timedelta(days=3),
                recorded_by=coordinator,
            )
            for p in pupils
            if p.pk not in consented
        ]
    )
    fill = {
        "help_question": "Wij willen hulp bij de opvoeding.",
        "strengths": "Betrokken ouders.",
        "concerns": "Zorgen over verzuim.",
        "already_tried": "Gesprekken op school.",
        "severity_summary": "Matig.",
        "child_safety_summary": "Geen acute zorgen.",
        "reporting_code_status": "not_applicable",
        "consent_scope": "Het plan en de zorgen.",
        "urgency": "normal",
        "proposed_handover": "Gesprek op school met ouders.",
    }
    for p in pupils:
        if p.pk not in drafts:
            with transaction.atomic():
                referral = services.create_referral(p, by=coordinator)
            drafts[p.pk] = referral.pk
    # The bench's team, as a school would choose it by hand ("Ander wijkteam kiezen"): a send
    # routes a draft again to its home district's team unless its team was chosen so.
    Referral.objects.filter(pk__in=list(drafts.values())).update(
        team=team, is_routing_overridden=True, override_reason="Het meetteam.", **fill
    )
    sample = Referral.objects.get(pk=next(iter(drafts.values())))
    missing = services.missing_parts(sample)
    if missing:
        NOTES.append(f"concept niet compleet: {missing}")
    form = forms.ReferralDocumentForm(instance=sample, user=coordinator, show_safety=True)
    data = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    data.update(seen_state="draft", action="submit")
    return sorted(drafts.values()), data


# --- query counts -----------------------------------------------------------------------------


def count_queries(
    session: str, method: str, path: str, data: dict[str, str] | None
) -> tuple[int, int]:
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    call = client.post if method == "POST" else client.get
    if method == "GET":
        call(path)  # warm per-process caches (calendars, templates)
    with CaptureQueriesContext(connection) as ctx:
        response = call(path, data or {})
    return response.status_code, len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--drafts", type=int, default=1500)
    args = parser.parse_args()

    started = time.monotonic()
    municipality = pick_municipality()
    school = bench_school(municipality)
    team = bench_team(municipality, "Wijkteam Meetstad")
    # The write scenario submits hundreds of referrals per run: to another team, so the inbox
    # measured stays at its 50 rows however often the bench runs.
    write_team = bench_team(municipality, "Wijkteam Meetstad (verzendtest)")
    coordinator = bench_user("coordinator", Role.SUPPORT_COORDINATOR, school)
    worker = bench_user("teamworker", Role.NEIGHBOURHOOD_TEAM_WORKER, team, school=school)
    analyst = bench_user("analyst", Role.MUNICIPAL_ANALYST, municipality)
    pupils = bench_pupils(school, N_ROWS, "Meetkind")
    for note in (
        ensure_cases(school, pupils, coordinator),
        ensure_referrals(school, pupils, team, coordinator),
    ):
        if note:
            NOTES.append(note)
    meeting_id = ensure_meeting(school, pupils, coordinator)
    draft_ids: list[int] = []
    draft_data: dict[str, str] = {}
    writer = None
    if args.drafts:
        draft_school = bench_school(municipality, DRAFT_LOCATION, "Benchschool (concepten)")
        writer = bench_user("writer", Role.SUPPORT_COORDINATOR, draft_school)
        try:
            draft_ids, draft_data = ensure_drafts(draft_school, write_team, writer, args.drafts)
        except Exception as exc:  # a half-built referrals app must not stop the other pages
            NOTES.append(f"toeleiding versturen overgeslagen: {exc!r}")
    log(f"data ready in {time.monotonic() - started:.1f}s")
    if connection.vendor == "postgresql":
        # Fresh statistics for the rows just added, as autovacuum would give a live database:
        # with none, the planner guessed 2 open cases and joined the case list by nested loops
        # over every school (150 ms of database time instead of 3 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from schoolzorg.reports.models import FigureRefresh
    from schoolzorg.reports.services import refresh_figures

    refresh_seconds = None
    if not FigureRefresh.objects.filter(refreshed_at__isnull=False).exists() or os.environ.get(
        "BENCH_REFRESH"
    ):
        t0 = time.monotonic()
        refresh_figures()
        refresh_seconds = time.monotonic() - t0
        log(f"figures refreshed in {refresh_seconds:.1f}s")

    sessions = {
        "anonymous": "",
        "coordinator": session_for(coordinator),
        "teamworker": session_for(worker),
        "analyst": session_for(analyst),
    }
    if writer is not None:
        sessions["writer"] = session_for(writer)

    def url(name: str, **kwargs: Any) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    pupil_paths = [reverse("pupils:detail", kwargs={"pk": p.pk}) for p in pupils]
    cases = url("cases:list")
    inbox = url("referrals:inbox")
    agenda = url("meetings:detail", pk=meeting_id) if meeting_id else None
    scenarios: list[dict[str, Any]] = [
        {
            "key": "floor",
            "label": "Floor (fixed text, no data)",
            "kind": "floor",
            "user": "anonymous",
            "paths": [reverse("reports:floor")],
        },
        {
            "key": "pupil",
            "label": "Pupil page (access check + read log)",
            "kind": "pupil",
            "user": "coordinator",
            "paths": pupil_paths,
        },
        {
            "key": "pupil_nolog",
            "label": "Pupil page without read log (comparison)",
            "kind": "pupil",
            "user": "coordinator",
            "paths": pupil_paths,
            "no_read_log": True,
        },
    ]
    if cases:
        scenarios.append(
            {
                "key": "caseload",
                "label": "Case list (50 rows)",
                "kind": "list",
                "user": "coordinator",
                "paths": [cases + "?status=open"],
            }
        )
    if inbox:
        scenarios.append(
            {
                "key": "inbox",
                "label": "Neighbourhood team inbox (50 rows)",
                "kind": "list",
                "user": "teamworker",
                "paths": [inbox + "?weergave=alle"],
            }
        )
    if agenda:
        scenarios.append(
            {
                "key": "agenda",
                "label": "Care meeting agenda (10 items)",
                "kind": "list",
                "user": "coordinator",
                "paths": [agenda],
            }
        )
    if draft_ids and not any(n.startswith("concept niet compleet") for n in NOTES):
        scenarios.append(
            {
                "key": "submit",
                "label": "Submit a referral (write)",
                "kind": "write",
                "user": "writer",
                "method": "POST",
                "paths": [reverse("referrals:edit", kwargs={"pk": pk}) for pk in draft_ids],
                "data": draft_data,
                "expect": 302,
            }
        )
    scenarios.append(
        {
            "key": "figures",
            "label": "Municipality figures",
            "kind": "figures",
            "user": "analyst",
            "paths": [reverse("reports:index")],
        }
    )

    for s in scenarios:
        method = s.get("method", "GET")
        # A write spends the last draft on the count; the load generator walks from the first.
        path = s["paths"].pop() if method == "POST" else s["paths"][0]
        status, n = count_queries(sessions[s["user"]], method, path, s.get("data"))
        s["queries"] = n
        s["check_status"] = status
        log(f"{s['key']}: HTTP {status}, {n} queries")

    out = {
        "municipality": f"{municipality.name} ({municipality.cbs_code})",
        "school_id": school.pk,
        "team": team.name,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "scenarios": scenarios,
        "notes": NOTES,
        "refresh_seconds": refresh_seconds,
        "counts": table_counts(),
    }
    Path(args.out).write_text(json.dumps(out, indent=1))
    log(f"prepared in {time.monotonic() - started:.1f}s")


def table_counts() -> dict[str, int]:
    """Approximate row counts of the big tables (reltuples on PostgreSQL, COUNT on SQLite)."""
    tables = {
        "schools": "organisations_school",
        "pupils": "pupils_pupil",
        "read log": "audit_accesslogentry",
        "cases": "cases_case",
        "referrals": "referrals_referral",
        "consents": "consent_consent",
    }
    out: dict[str, int] = {}
    with connection.cursor() as cur:
        for label, table in tables.items():
            try:
                if connection.vendor == "postgresql":
                    cur.execute(
                        "SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0)::bigint FROM pg_class c "
                        "LEFT JOIN pg_inherits i ON i.inhrelid = c.oid "
                        "WHERE c.relname = %s OR i.inhparent = %s::regclass",
                        [table, table],
                    )
                else:
                    cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - fixed names
                out[label] = int(cur.fetchone()[0])
            except Exception:  # a table of an app that is not migrated yet
                connection.rollback() if not connection.get_autocommit() else None
                out[label] = -1
    return out


if __name__ == "__main__":
    main()
