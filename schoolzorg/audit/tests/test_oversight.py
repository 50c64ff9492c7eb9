"""The privacy officer's pages: reading the log is logged; the weekly report and its sign-off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from schoolzorg.audit.anomalies import weekly_report
from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import AccessLogEntry, WeeklyReview
from schoolzorg.audit.policies import Scope
from schoolzorg.audit.services import Basis, record_access

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 9)


# The report goes back to the week of the scope's first read-log entry (a week before it has
# nothing to sign off); these tests look at weeks since 2000, so each scope's log starts then.
LOG_STARTS = dt.datetime(2000, 1, 4, 10, 0, tzinfo=AMS)


def _log_starts(organisation) -> None:  # type: ignore[no-untyped-def]
    basis = Basis("membership", "support_coordinator", organisation.pk, organisation.name)
    with time_machine.travel(LOG_STARTS, tick=False):
        record_access(None, action="view", pupil_id=None, basis=basis)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    world = build_world()
    _log_starts(world.municipality)
    return world


def _read(user, when: dt.datetime, n: int = 1, org=None, pupil_id=1) -> None:  # type: ignore[no-untyped-def]
    """`n` reads of `pupil_id` by `user` acting for `org` (default: their first organisation)."""
    if org is None:
        org = user.memberships.first().organisation
    basis = Basis("membership", "support_coordinator", org.pk, org.name)
    with time_machine.travel(when, tick=False):
        for _ in range(n):
            record_access(None, user=user, action="view", pupil_id=pupil_id, basis=basis)


def test_weekly_report_flags_volume_night_and_weekend_reads(world) -> None:
    busy, night, weekend, normal = (
        world.users[a] for a in ("coordinator", "social_worker", "nurse", "team_worker")
    )
    school = world.school  # every read for an organisation in the municipality
    _read(busy, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), n=60, org=school)
    _read(normal, dt.datetime(2026, 11, 10, 11, 0, tzinfo=AMS), org=school)
    _read(night, dt.datetime(2026, 11, 11, 6, 59, tzinfo=AMS), org=school)
    _read(night, dt.datetime(2026, 11, 11, 19, 0, tzinfo=AMS), org=school)
    _read(normal, dt.datetime(2026, 11, 11, 7, 0, tzinfo=AMS), org=school)
    _read(weekend, dt.datetime(2026, 11, 14, 12, 0, tzinfo=AMS), org=school)
    _read(weekend, dt.datetime(2026, 11, 16, 0, 30, tzinfo=AMS), org=school)  # next week
    report = weekly_report(MONDAY, Scope.of(world.municipality))
    assert report.total == 65
    assert [r["user_id"] for r in report.volume] == [busy.pk]
    assert report.outside_hours == [{"user_id": night.pk, "user": str(night), "count": 2}]
    assert report.weekend == [{"user_id": weekend.pk, "user": str(weekend), "count": 1}]


def test_privacy_officer_signs_off_a_week_once_and_who_when_is_recorded(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    page = officer.get("/logboek/week/", {"week": MONDAY.isoformat()}).content.decode()
    assert "Week aftekenen" in page
    url = f"/logboek/week/{MONDAY.isoformat()}/aftekenen/"
    officer.post(url, {"note": "Niets bijzonders."})
    review = WeeklyReview.objects.get()
    assert review.signed_off_by == world.users["privacy_officer"] and review.signed_off_at
    again = officer.post(url, {"note": "nog eens"}, follow=True).content.decode()
    assert "al afgetekend" in again and WeeklyReview.objects.count() == 1


def test_weekly_report_organisation_parameter_takes_junk(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    for junk in ("²", "9" * 30, "-1", "abc", "0"):
        page = officer.get("/logboek/week/", {"week": MONDAY.isoformat(), "organisatie": junk})
        assert page.status_code == 200, junk


def test_sign_off_refuses_a_date_that_is_not_a_monday_with_a_message(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    response = officer.post("/logboek/week/2026-11-10/aftekenen/", {"note": ""}, follow=True)
    assert "begint op maandag" in response.content.decode()
    assert officer.post("/logboek/week/geen-datum/aftekenen/", {}).status_code == 404


@pytest.mark.parametrize("week", ["9999-12-31", "2027-01-04"])
def test_a_week_after_this_one_gets_a_message(world, week) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, 0, tzinfo=AMS), tick=False):
        page = officer.get("/logboek/week/", {"week": week})
        assert page.status_code == 200
        text = page.content.decode()
        assert "Die week is nog niet begonnen." in text
        # The nearest week that can be shown, this one, and the words name the same week.
        assert "tot en met deze week (de week van 30-11-2026)" in text
        assert "U ziet nu deze week, de week van 30-11-2026." in text
        assert "januari 2000" not in text
        assert page.context["report"].week_start == dt.date(2026, 11, 30)
        signed = officer.post(f"/logboek/week/{week}/aftekenen/", {"note": ""}, follow=True)
    assert signed.status_code == 200
    assert not WeeklyReview.objects.exists()


def test_a_week_that_is_no_date_says_so_and_which_week_is_shown(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, 0, tzinfo=AMS), tick=False):
        page = officer.get("/logboek/week/", {"week": "onzin"})
    text = page.content.decode()
    assert page.status_code == 200 and "Die datum kunnen we niet lezen." in text
    assert "U ziet nu vorige week, de week van 23-11-2026." in text
    assert page.context["report"].week_start == dt.date(2026, 11, 23)


def test_the_running_week_cannot_be_signed_off_before_its_weekend_is_over(world) -> None:
    url = "/logboek/week/2026-11-30/aftekenen/"
    with time_machine.travel(dt.datetime(2026, 12, 6, 23, 0, tzinfo=AMS), tick=False):
        officer = signed_in_client(world.users["privacy_officer"])
        page = officer.get("/logboek/week/", {"week": "2026-11-30"}).content.decode()
        assert "nog niet voorbij" in page and "Week aftekenen" not in page
        refused = officer.post(url, {"note": "vrijdag al"}, follow=True)
    assert refused.status_code == 200, refused.redirect_chain
    assert "nog niet voorbij" in refused.content.decode() and not WeeklyReview.objects.exists()
    with time_machine.travel(dt.datetime(2026, 12, 7, 8, 0, tzinfo=AMS), tick=False):
        signed_in_client(world.users["privacy_officer"]).post(url, {"note": "maandag"})
    assert WeeklyReview.objects.get().week_start == dt.date(2026, 11, 30)


def test_the_first_and_this_week_can_be_opened_without_a_way_past_them(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, 0, tzinfo=AMS), tick=False):
        first = officer.get("/logboek/week/", {"week": "2000-01-03"}).content.decode()
        this = officer.get("/logboek/week/", {"week": "2026-12-03"}).content.decode()
    assert "nog niet begonnen" not in first + this and "kunnen we niet lezen" not in first + this
    assert "Vorige week" not in first and "Volgende week" in first
    assert "Vorige week" in this and "Volgende week" not in this


def test_reading_the_log_is_itself_logged(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    coordinator = world.users["coordinator"]
    before = AccessLogEntry.objects.count()
    response = officer.get(f"/logboek/gebruiker/{coordinator.pk}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.latest("id")
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.user_id, entry.basis) == (world.users["privacy_officer"].pk, "privacy_oversight")
    assert str(coordinator.pk) in entry.detail


def test_coordinator_sees_who_looked_at_the_pupil(world) -> None:
    signed_in_client(world.users["nurse"]).get(f"/leerlingen/{world.pupil.pk}/")
    client = signed_in_client(world.users["coordinator"])
    page = client.get(f"/leerlingen/{world.pupil.pk}/").content.decode()
    assert "Wie keek er naar dit kind" in page and "Matrix nurse" in page
    full = client.get(f"/logboek/leerling/{world.pupil.pk}/").content.decode()
    assert "Matrix nurse" in full
    nurse_page = signed_in_client(world.users["nurse"]).get(f"/leerlingen/{world.pupil.pk}/")
    assert "Wie keek er naar dit kind" not in nurse_page.content.decode()


def test_change_history_shows_field_diffs_to_the_coordinator(world) -> None:
    from schoolzorg.consent.services import withdraw_consent

    client = signed_in_client(world.users["coordinator"])
    withdraw_consent(
        world.consent, by=world.users["coordinator"], on=MONDAY, reason="Ouders trekken in"
    )
    page = client.get(f"/logboek/leerling/{world.pupil.pk}/wijzigingen/").content.decode()
    assert "Ouders trekken in" in page
    # In plain Dutch: what happened, yes and no, who gave consent (a many-to-many change).
    assert "toestemming: gewijzigd" in page and "toestemming: aangemaakt" in page
    assert "toegevoegd: Moeder Matrixkind" in page
    assert ": ja" in page or "→ ja" in page
    for english in ("update", "create", "None", "True", "False", "operation"):
        assert english not in page.split("<main", 1)[1], english


def test_user_log_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    coordinator = world.users["coordinator"]
    _read(coordinator, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), n=80)
    with django_assert_max_num_queries(20):
        assert officer.get(f"/logboek/gebruiker/{coordinator.pk}/").status_code == 200


# --- A municipality's officer oversees their own municipality only ---------------------------


def _other_municipality():  # type: ignore[no-untyped-def]
    """Municipality B with a school, its coordinator and its privacy officer."""
    from schoolzorg.accounts.models import Membership, User
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory

    school = SchoolFactory(name="School in B")
    _log_starts(school.municipality)

    def person(name: str, org, role: str):  # type: ignore[no-untyped-def]
        user = User.objects.create_user(
            email=f"{name}@b.example", password="x" * 12, full_name=f"Gemeente B {name}"
        )
        Membership.objects.create(
            user=user, organisation=org, role=role, valid_from=dt.date(2020, 1, 1)
        )
        return user

    return (
        school,
        person("coordinator", school, Role.SUPPORT_COORDINATOR),
        person("officer", school.municipality, Role.PRIVACY_OFFICER),
    )


def _grant_in(user, org, pupil_id: int = 1):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from schoolzorg.audit.models import BreakGlassGrant

    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user=user,
        pupil_id=pupil_id,
        pupil_label="x",
        role="support_coordinator",
        organisation_id=org.pk,
        organisation_label=org.name,
        reason="Acute zorg, IB-er niet bereikbaar vandaag",
        granted_at=now - dt.timedelta(hours=3),
        expires_at=now - dt.timedelta(hours=2),
    )


def test_officer_of_another_municipality_sees_nothing_of_municipality_a(world) -> None:
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role

    school_b, coordinator_b, officer_b = _other_municipality()
    coordinator_a = world.users["coordinator"]
    _read(coordinator_a, dt.datetime(2026, 11, 10, 22, 0, tzinfo=AMS), n=3, org=world.school)
    # B's coordinator reads no child of A (a read of A's pupil would be A's to oversee).
    _read(coordinator_b, dt.datetime(2026, 11, 10, 23, 0, tzinfo=AMS), org=school_b, pupil_id=None)
    grant_a = _grant_in(world.users["outsider"], world.other_school)
    grant_b = _grant_in(coordinator_b, school_b)
    Membership.objects.create(  # a change to a membership in A, for the changes page
        user=coordinator_b, organisation=world.school, role=Role.TEACHER, group="3"
    )
    b = signed_in_client(officer_b)
    a = signed_in_client(world.users["privacy_officer"])

    search = b.get("/logboek/", {"q": "Matrix"})
    assert search.context["users"] == [] and search.context["open_grants"] == 1
    assert [u.pk for u in a.get("/logboek/", {"q": "Matrix"}).context["users"]]
    assert b.get(f"/logboek/gebruiker/{coordinator_a.pk}/").status_code == 404
    assert a.get(f"/logboek/gebruiker/{coordinator_a.pk}/").status_code == 200
    reviews = b.get("/logboek/noodtoegang/beoordelen/").context["grants"]
    assert [g.pk for g in reviews] == [grant_b.pk]
    url_a = f"/logboek/noodtoegang/{grant_a.pk}/beoordelen/"
    assert b.post(url_a, {"verdict": "justified", "note": ""}).status_code == 404
    grant_a.refresh_from_db()
    assert grant_a.reviewed_at is None
    week_b = b.get("/logboek/week/", {"week": MONDAY.isoformat()}).context["report"]
    assert (week_b.total, [r["user_id"] for r in week_b.outside_hours]) == (1, [coordinator_b.pk])
    assert [g["grant_id"] for g in week_b.break_glass] in ([], [grant_b.pk])
    week_a = weekly_report(MONDAY, Scope.of(world.municipality))
    assert (week_a.total, [r["user_id"] for r in week_a.outside_hours]) == (3, [coordinator_a.pk])
    changes_b = b.get("/logboek/wijzigingen/").context["changes"]
    changes_a = a.get("/logboek/wijzigingen/").context["changes"]
    membership_ct = {c.content_type.model for c in changes_a}
    assert "membership" in membership_ct
    in_a = {
        str(m.pk) for m in Membership.objects.filter(organisation__municipality=world.municipality)
    }
    assert not [
        c for c in changes_b if c.content_type.model == "membership" and c.object_pk in in_a
    ]
    assert all(
        c.object_pk != str(world.school.pk) for c in changes_b if c.content_type.model == "school"
    )


def test_a_school_moved_to_another_municipality_stays_in_the_history_of_the_one_it_left(
    world,
) -> None:
    from schoolzorg.organisations.tests.factories import SchoolFactory

    school_b, _coordinator_b, officer_b = _other_municipality()
    elsewhere = SchoolFactory(name="Ergens anders")  # a third municipality
    moved = world.school
    moved.municipality = school_b.municipality
    moved.save()
    elsewhere.municipality = SchoolFactory().municipality
    elsewhere.save()

    def moves(user) -> set[str]:  # type: ignore[no-untyped-def]
        changes = signed_in_client(user).get("/logboek/wijzigingen/").context["changes"]
        return {
            c.object_pk
            for c in changes
            if c.content_type.model == "school"
            and c.action == 1
            and "municipality" in c.changes_dict
        }

    assert moves(world.users["privacy_officer"]) == {str(moved.pk)}
    assert moves(officer_b) == {str(moved.pk)}


def test_user_log_shows_only_the_entries_made_for_organisations_in_scope(world) -> None:
    school_b, coordinator_b, officer_b = _other_municipality()
    at_ten, at_night = (dt.datetime(2026, 11, 10, h, 0, tzinfo=AMS) for h in (10, 23))
    _read(coordinator_b, at_ten, n=2, org=school_b, pupil_id=None)
    _read(coordinator_b, at_night, n=5, org=world.school, pupil_id=None)
    page_b = signed_in_client(officer_b).get(f"/logboek/gebruiker/{coordinator_b.pk}/")
    assert {e.organisation_id for e in page_b.context["page"]} == {school_b.pk}
    assert len(page_b.context["page"].object_list) == 2
    # Coordinator B never worked in A, yet read in the name of A's school (at night): A's weekly
    # report names them, and officer A opens their log, with only the reads in A's scope.
    officer_a = signed_in_client(world.users["privacy_officer"])
    week_a = officer_a.get("/logboek/week/", {"week": MONDAY.isoformat()}).content.decode()
    assert f"/logboek/gebruiker/{coordinator_b.pk}/" in week_a
    page_a = officer_a.get(f"/logboek/gebruiker/{coordinator_b.pk}/")
    assert {e.organisation_id for e in page_a.context["page"]} == {world.school.pk}
    assert len(page_a.context["page"].object_list) == 5
    # A user with neither a membership nor a read in scope stays unknown to the officer.
    assert officer_a.get(f"/logboek/gebruiker/{officer_b.pk}/").status_code == 404


def test_sign_offs_of_two_municipalities_for_the_same_week_both_succeed(world) -> None:
    _school_b, _coordinator_b, officer_b = _other_municipality()
    url = f"/logboek/week/{MONDAY.isoformat()}/aftekenen/"
    signed_in_client(world.users["privacy_officer"]).post(url, {"note": "A gezien"})
    signed_in_client(officer_b).post(url, {"note": "B gezien"})
    reviews = {r.organisation_id: r.note for r in WeeklyReview.objects.all()}
    assert reviews == {
        world.municipality.pk: "A gezien",
        _school_b.municipality_id: "B gezien",
    }
    page = signed_in_client(officer_b).get("/logboek/week/", {"week": MONDAY.isoformat()})
    assert page.context["review"].note == "B gezien"


def test_officer_with_two_municipalities_signs_off_the_one_chosen(world) -> None:
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role

    school_b, _coordinator_b, _officer_b = _other_municipality()
    officer = world.users["privacy_officer"]
    Membership.objects.create(
        user=officer,
        organisation=school_b.municipality,
        role=Role.PRIVACY_OFFICER,
        valid_from=dt.date(2020, 1, 1),
    )
    client = signed_in_client(officer)
    page = client.get(
        "/logboek/week/", {"week": MONDAY.isoformat(), "organisatie": school_b.municipality_id}
    )
    assert page.context["owner"].pk == school_b.municipality_id
    assert f'name="organisatie" value="{school_b.municipality_id}"' in page.content.decode()
    client.post(
        f"/logboek/week/{MONDAY.isoformat()}/aftekenen/", {"organisatie": school_b.municipality_id}
    )
    assert WeeklyReview.objects.get().organisation_id == school_b.municipality_id
    # A municipality outside the scope is never chosen.
    page = client.get("/logboek/week/", {"week": MONDAY.isoformat(), "organisatie": "999999"})
    assert page.context["owner"].pk in {world.municipality.pk, school_b.municipality_id}


def test_sign_off_service_is_once_per_municipality_and_week(world) -> None:
    from schoolzorg.audit.services import AuditError, sign_off_week

    by = world.users["privacy_officer"]
    sign_off_week(MONDAY, organisation_id=1, by=by, note="", findings={})
    sign_off_week(MONDAY, organisation_id=2, by=by, note="", findings={})
    with pytest.raises(AuditError, match="al afgetekend"):
        sign_off_week(MONDAY, organisation_id=1, by=by, note="", findings={})
    assert WeeklyReview.objects.count() == 2


# --- The weekly report is counted in SQL -------------------------------------------------------


def _row_by_row(entries, week_start: dt.date):  # type: ignore[no-untyped-def]
    """The report as it was counted before (entry by entry, in Python), for comparison."""
    import statistics
    from collections import Counter

    start = dt.datetime.combine(week_start, dt.time(0), tzinfo=AMS)
    end = dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time(0), tzinfo=AMS)
    per_user: Counter = Counter()
    outside: Counter = Counter()
    weekend: Counter = Counter()
    for user_id, label, at in entries:
        if not (start <= at < end):
            continue
        local = at.astimezone(AMS)
        per_user[(user_id, label)] += 1
        if local.weekday() >= 5:
            weekend[(user_id, label)] += 1
        elif not (dt.time(7) <= local.time() < dt.time(19)):
            outside[(user_id, label)] += 1
    median = float(statistics.median(per_user.values())) if per_user else 0.0
    threshold = max(50, 3 * median)
    return (
        sum(per_user.values()),
        median,
        {k: n for k, n in per_user.items() if n >= threshold},
        dict(outside),
        dict(weekend),
    )


@pytest.mark.parametrize("monday", [MONDAY, dt.date(2026, 10, 19), dt.date(2026, 3, 23)])
def test_weekly_report_counts_as_the_row_by_row_count_did(world, monday) -> None:
    """Random reads, also around midnight, 07:00, 19:00 and the switch to and from summer time
    (the weeks of 25 October and 29 March 2026), by users in and outside the municipality."""
    import random

    from schoolzorg.audit.models import AccessLogEntry

    school_b, coordinator_b, _officer_b = _other_municipality()
    rng = random.Random(monday.toordinal())
    actors = [
        (world.users["coordinator"], world.school),
        (world.users["outsider"], world.other_school),
        (world.users["team_worker"], world.team),
        (world.users["analyst"], world.municipality),
        (coordinator_b, school_b),
    ]
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=AMS) - dt.timedelta(hours=3)
    rows = []
    for i in range(500):
        user, org = actors[0] if i < 250 else rng.choice(actors)
        at = start + dt.timedelta(minutes=rng.randrange(0, 7 * 24 * 60 + 6 * 60))
        if i % 25 == 0:  # right on the edges
            day = monday + dt.timedelta(days=rng.randrange(0, 7))
            clock = rng.choice([dt.time(0), dt.time(6, 59, 59), dt.time(7), dt.time(19)])
            at = dt.datetime.combine(day, clock, tzinfo=AMS)
        rows.append(
            AccessLogEntry(
                at=at,
                user_id=user.pk,
                user_label=str(user),
                organisation_id=org.pk,
                organisation_label=org.name,
                action="view",
            )
        )
    AccessLogEntry.objects.bulk_create(rows)
    in_a = {world.school.pk, world.other_school.pk, world.team.pk, world.municipality.pk}
    expected = _row_by_row(
        [(e.user_id, e.user_label, e.at) for e in rows if e.organisation_id in in_a], monday
    )
    report = weekly_report(monday, Scope.of(world.municipality))
    got = (
        report.total,
        report.median,
        {(r["user_id"], r["user"]): r["count"] for r in report.volume},
        {(r["user_id"], r["user"]): r["count"] for r in report.outside_hours},
        {(r["user_id"], r["user"]): r["count"] for r in report.weekend},
    )
    assert got == expected
    assert report.volume  # the busy coordinator stands out
    counts = [r["count"] for r in report.outside_hours]
    assert counts == sorted(counts, reverse=True)


def test_weekly_report_query_count_does_not_grow_with_entries(world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = world.users["coordinator"]
    _read(coordinator, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), org=world.school)
    _grant_in(coordinator, world.school)
    with CaptureQueriesContext(connection) as few:
        weekly_report(MONDAY, Scope.of(world.municipality))
    for actor in ("outsider", "social_worker", "nurse", "team_worker"):
        _read(
            world.users[actor], dt.datetime(2026, 11, 14, 22, 0, tzinfo=AMS), n=30, org=world.school
        )
    with CaptureQueriesContext(connection) as many:
        report = weekly_report(MONDAY, Scope.of(world.municipality))
    assert report.total == 121
    # counts kept for the week (none here), organisations in scope, entries made in their name,
    # other entries about pupils, grants
    assert len(many) == len(few) <= 5


def test_weekly_report_counts_a_read_in_both_parts_of_the_scope_once(member) -> None:
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import (
        MunicipalityFactory,
        PartnershipFactory,
        SchoolFactory,
    )
    from schoolzorg.pupils.tests.factories import PupilFactory

    here = MunicipalityFactory()
    school = SchoolFactory(municipality=here)
    pupil = PupilFactory(current_school=school)
    other = PupilFactory(current_school=SchoolFactory(municipality=MunicipalityFactory()))
    partnership = PartnershipFactory(municipality=None)
    contact = member(Role.PARTNERSHIP_CONTACT, partnership, school=school)
    coordinator = member(Role.SUPPORT_COORDINATOR, school)
    regional = Basis("membership", Role.PARTNERSHIP_CONTACT, partnership.pk, "SWV", "1")
    local = Basis("membership", Role.SUPPORT_COORDINATOR, school.pk, school.name, "2")
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), tick=False):
        for _ in range(3):  # in the name of a school in scope, about a pupil in scope
            record_access(None, user=coordinator, action="view", pupil_id=pupil.pk, basis=local)
        for _ in range(2):  # outside organisation, pupil in scope
            record_access(None, user=contact, action="view", pupil_id=pupil.pk, basis=regional)
        record_access(None, user=contact, action="view", pupil_id=other.pk, basis=regional)
    report = weekly_report(MONDAY, Scope.of(here))
    assert report.total == 5
    assert report.median == 2.5


def test_reads_by_a_regional_organisation_are_overseen_where_the_child_goes_to_school(
    member,
) -> None:
    from schoolzorg.accounts.roles import Role
    from schoolzorg.audit.policies import scoped_entries, scoped_users
    from schoolzorg.organisations.tests.factories import (
        MunicipalityFactory,
        PartnershipFactory,
        SchoolFactory,
    )
    from schoolzorg.pupils.tests.factories import PupilFactory

    here, elsewhere = MunicipalityFactory(), MunicipalityFactory()
    school = SchoolFactory(municipality=here)
    pupil = PupilFactory(current_school=school)
    other = PupilFactory(current_school=SchoolFactory(municipality=elsewhere))
    partnership = PartnershipFactory(municipality=None)
    contact = member(Role.PARTNERSHIP_CONTACT, partnership, school=school)
    regional = Basis("membership", Role.PARTNERSHIP_CONTACT, partnership.pk, "SWV", "1")
    mine = record_access(None, user=contact, action="view", pupil_id=pupil.pk, basis=regional)
    record_access(None, user=contact, action="view", pupil_id=other.pk, basis=regional)
    assert list(scoped_entries(Scope.of(here)).values_list("pk", flat=True)) == [mine.pk]
    assert list(scoped_entries(Scope.of(elsewhere)).values_list("pk", flat=True)) != [mine.pk]
    assert contact in scoped_users(Scope.of(here))
    assert contact not in scoped_users(Scope.of(elsewhere))


# --- Every organisation's privacy officer oversees its own part of the log ---------------------
#
# World A (municipality A: Matrixschool, Andere school, the two neighbourhood teams) plus:
# a school board that holds Matrixschool and a far school in another municipality; the
# partnership "SWV Matrix" whose region holds both schools of A; and a privacy officer at each
# kind of organisation. Eight reads of pupils at three schools, each by another reader; some are
# in scope by the organisation they were made for only, some by the pupil only.

KINDS = (
    "municipality",
    "school_board",
    "school",
    "partnership",
    "social_work_provider",
    "neighbourhood_team",
    "youth_health_service",
)
# Which of the eight reads (by reader) each officer oversees; every other read is not theirs.
SEES = {
    "municipality": {"coordinator", "teacher", "outsider", "social_worker", "team", "nurse"},
    "school_board": {"coordinator", "teacher", "social_worker", "contact", "far", "team", "nurse"},
    "school": {"coordinator", "teacher", "social_worker", "nurse"},
    "partnership": {"coordinator", "teacher", "outsider", "social_worker", "contact", "nurse"},
    "social_work_provider": {"social_worker"},
    "neighbourhood_team": {"team"},
    "youth_health_service": {"nurse"},
}
# Which readers' logs each officer may open (membership at, or serving, an organisation or school
# in scope); every other reader's log answers 404.
_AT_SCHOOL = {"coordinator", "teacher", "social_worker", "contact", "team", "nurse"}
FINDS = {
    "municipality": _AT_SCHOOL | {"outsider"},
    "school_board": _AT_SCHOOL | {"far"},
    "school": _AT_SCHOOL,
    "partnership": _AT_SCHOOL | {"outsider"},
    "social_work_provider": {"social_worker"},
    "neighbourhood_team": {"team"},
    "youth_health_service": {"nurse"},
}
# Which break-the-glass grants (by user) each officer reviews.
REVIEWS = {
    "municipality": {"outsider", "social_worker"},
    "school_board": {"social_worker", "far"},
    "school": {"social_worker"},
    "partnership": {"outsider", "social_worker"},
    "social_work_provider": {"social_worker"},
    "neighbourhood_team": set(),
    "youth_health_service": set(),
}


def _person(name: str, org, role: str, **kw):  # type: ignore[no-untyped-def]
    from schoolzorg.accounts.models import Membership, User

    user = User.objects.create_user(
        email=f"{name}@regio.example", password="x" * 12, full_name=f"Regio {name}"
    )
    Membership.objects.create(
        user=user, organisation=org, role=role, valid_from=dt.date(2020, 1, 1), **kw
    )
    return user


class Regional:
    """The world above; `orgs`, `officers`, `readers`, `pupils` by name, `entries` and
    `grants` by reader."""

    def __init__(self, world) -> None:  # type: ignore[no-untyped-def]
        from schoolzorg.accounts.roles import Role
        from schoolzorg.organisations.models import Organisation, Partnership, School
        from schoolzorg.organisations.tests.factories import SchoolBoardFactory, SchoolFactory
        from schoolzorg.pupils.tests.factories import PupilFactory

        def org_of(actor: str) -> Organisation:
            return world.users[actor].memberships.get().organisation

        self.world = world
        board = SchoolBoardFactory(name="Bestuur Regio")
        far = SchoolFactory(name="Verre school", board=board)
        assert far.municipality_id != world.municipality.pk
        partnership = Partnership.objects.get(name="SWV Matrix")
        School.objects.filter(pk=world.school.pk).update(board=board, partnership=partnership)
        School.objects.filter(pk=world.other_school.pk).update(partnership=partnership)
        self.orgs = {
            "municipality": world.municipality,
            "school_board": board,
            "school": world.school,
            "other_school": world.other_school,
            "far": far,
            "partnership": partnership,
            "social_work_provider": org_of("social_worker"),
            "neighbourhood_team": world.team,
            "youth_health_service": org_of("nurse"),
        }
        self.officers = {
            kind: (
                world.users["privacy_officer"]
                if kind == "municipality"
                else _person(f"fg-{kind}", self.orgs[kind], Role.PRIVACY_OFFICER)
            )
            for kind in KINDS
        }
        self.pupils = {
            "pupil": world.pupil,
            "other": PupilFactory(current_school=world.other_school),
            "far": PupilFactory(current_school=far),
        }
        self.readers = {
            "coordinator": world.users["coordinator"],
            "teacher": world.users["teacher_own_group"],
            "outsider": world.users["outsider"],
            "social_worker": world.users["social_worker"],
            "contact": world.users["partnership_contact"],
            "far": _person("coordinator-far", far, Role.SUPPORT_COORDINATOR),
            "team": world.users["team_worker"],
            "nurse": world.users["nurse"],
        }
        # reader: (acting for, pupil read)
        self.reads = {
            "coordinator": ("school", "pupil"),
            "teacher": ("school", "other"),  # a former pupil, now at the other school
            "outsider": ("other_school", "other"),
            "social_worker": ("social_work_provider", "pupil"),
            "contact": ("partnership", "far"),  # a pupil outside the partnership's region
            "far": ("far", "far"),
            "team": ("neighbourhood_team", "far"),
            "nurse": ("youth_health_service", "pupil"),
        }
        self.entries: dict[str, list[int]] = {}
        self.read_all(dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS))
        self.grants = {
            reader: _grant_in(
                self.readers[reader],
                self.orgs[self.reads[reader][0]],
                pupil_id=self.pupils[self.reads[reader][1]].pk,
            ).pk
            for reader in ("outsider", "social_worker", "far")
        }

    def read_all(self, when: dt.datetime, n: int = 1) -> None:
        """`n` reads by every reader, as set out in `self.reads`."""
        for reader, (org, pupil) in self.reads.items():
            org_obj, pupil_obj = self.orgs[org], self.pupils[pupil]
            basis = Basis("membership", "support_coordinator", org_obj.pk, org_obj.name)
            with time_machine.travel(when, tick=False):
                for _ in range(n):
                    entry = record_access(
                        None,
                        user=self.readers[reader],
                        action="view",
                        pupil_id=pupil_obj.pk,
                        basis=basis,
                    )
                    self.entries.setdefault(reader, []).append(entry.pk)

    def expected_entries(self, kind: str) -> set[int]:
        return {pk for reader in SEES[kind] for pk in self.entries[reader]}


@pytest.fixture
def regional() -> Regional:
    return Regional(build_world())  # counts every entry: without the log since 2000


@pytest.mark.parametrize("kind", KINDS)
def test_each_officer_oversees_exactly_the_reads_of_their_scope(regional, kind) -> None:
    from schoolzorg.audit.policies import oversight_scope, scoped_entries, scoped_grants

    scope = oversight_scope(regional.officers[kind])
    assert scope.owner_ids == [regional.orgs[kind].pk]
    seen = set(scoped_entries(scope).values_list("pk", flat=True))
    assert seen == regional.expected_entries(kind)
    grants = set(scoped_grants(scope).values_list("pk", flat=True))
    assert grants == {regional.grants[reader] for reader in REVIEWS[kind]}


@pytest.mark.parametrize("kind", KINDS)
def test_each_officers_pages_show_their_scope_and_answer_404_outside_it(regional, kind) -> None:
    from schoolzorg.accounts.models import Membership

    client = signed_in_client(regional.officers[kind])
    assert client.get("/logboek/").status_code == 200

    # Search: finds the readers whose log the officer may open, and no other.
    found = {u.pk for u in client.get("/logboek/", {"q": "@"}).context["users"]}
    for reader, user in regional.readers.items():
        assert (user.pk in found) == (reader in FINDS[kind]), reader

    # The log of a user: 404 outside the scope; inside it, only the entries in scope.
    expected = regional.expected_entries(kind)
    for reader, user in regional.readers.items():
        response = client.get(f"/logboek/gebruiker/{user.pk}/")
        if reader not in FINDS[kind]:
            assert response.status_code == 404, reader
            continue
        shown = {e.pk for e in response.context["page"]}
        assert shown == expected & set(regional.entries[reader]), reader

    # Break-the-glass: the list holds the grants in scope; any other grant's review is 404.
    listed = {g.pk for g in client.get("/logboek/noodtoegang/beoordelen/").context["grants"]}
    assert listed == {regional.grants[r] for r in REVIEWS[kind]}
    for reader, pk in regional.grants.items():
        url = f"/logboek/noodtoegang/{pk}/beoordelen/"
        status = client.post(url, {"verdict": "justified", "note": ""}).status_code
        assert status == (302 if reader in REVIEWS[kind] else 404), reader

    # Role changes: only memberships at organisations in scope.
    in_scope = {
        "municipality": {"municipality", "school", "other_school", "neighbourhood_team"},
        "school_board": {"school_board", "school", "far"},
    }.get(kind, {kind})
    allowed = {regional.orgs[name].pk for name in in_scope} | {regional.world.other_team.pk}
    if kind == "municipality":  # and the municipality's service desk
        desk = regional.world.users["service_desk"]
        allowed |= set(
            Membership.objects.filter(user=desk).values_list("organisation_id", flat=True)
        )
    else:
        allowed.discard(regional.world.other_team.pk)
    changes = client.get("/logboek/wijzigingen/").context["changes"]
    memberships = {int(c.object_pk) for c in changes if c.content_type.model == "membership"}
    assert memberships  # at least the officer's own membership
    orgs = set(
        Membership.objects.filter(pk__in=memberships).values_list("organisation_id", flat=True)
    )
    assert orgs <= allowed


@pytest.mark.parametrize("kind", KINDS)
def test_each_officers_weekly_report_counts_their_scope_and_is_signed_off_per_organisation(
    regional, kind
) -> None:
    officer = regional.officers[kind]
    owner = regional.orgs[kind]
    client = signed_in_client(officer)
    page = client.get("/logboek/week/", {"week": MONDAY.isoformat()})
    report = page.context["report"]
    assert page.context["owner"].pk == owner.pk
    assert report.total == len(regional.expected_entries(kind))
    assert {r["user_id"] for r in report.volume + report.outside_hours + report.weekend} == set()
    text = page.context["scope_text"]
    assert owner.name in text and f"Dit rapport telt alleen {text}" in page.content.decode()
    client.post(f"/logboek/week/{MONDAY.isoformat()}/aftekenen/", {"note": kind})
    review = WeeklyReview.objects.get()
    assert (review.organisation_id, review.organisation_label) == (owner.pk, owner.name)
    assert review.findings["total"] == report.total
    # Another organisation's officer still has the week to sign off.
    other = "school" if kind != "school" else "school_board"
    other_page = signed_in_client(regional.officers[other]).get(
        "/logboek/week/", {"week": MONDAY.isoformat()}
    )
    assert other_page.context["review"] is None


def test_officer_at_two_organisations_oversees_both_and_signs_off_each_separately(
    regional,
) -> None:
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role
    from schoolzorg.audit.policies import oversight_scope, scoped_entries

    officer = regional.officers["neighbourhood_team"]
    provider = regional.orgs["social_work_provider"]
    Membership.objects.create(
        user=officer, organisation=provider, role=Role.PRIVACY_OFFICER, valid_from=MONDAY
    )
    scope = oversight_scope(officer)
    both = regional.expected_entries("neighbourhood_team") | regional.expected_entries(
        "social_work_provider"
    )
    assert set(scoped_entries(scope).values_list("pk", flat=True)) == both
    client = signed_in_client(officer)
    page = client.get("/logboek/week/", {"week": MONDAY.isoformat(), "organisatie": provider.pk})
    assert page.context["owner"].pk == provider.pk
    assert page.context["report"].total == len(regional.expected_entries("social_work_provider"))
    client.post(f"/logboek/week/{MONDAY.isoformat()}/aftekenen/", {"organisatie": provider.pk})
    assert WeeklyReview.objects.get().organisation_id == provider.pk
    # An organisation the officer does not hold the role at is never chosen.
    page = client.get(
        "/logboek/week/", {"week": MONDAY.isoformat(), "organisatie": regional.orgs["school"].pk}
    )
    assert page.context["owner"].pk in {provider.pk, regional.orgs["neighbourhood_team"].pk}


def test_an_ended_privacy_officer_membership_opens_nothing(regional) -> None:
    officer = regional.officers["school"]
    officer.memberships.update(valid_until=dt.date(2021, 1, 1))
    client = signed_in_client(officer)
    for url in ("/logboek/", "/logboek/week/", "/logboek/wijzigingen/"):
        assert client.get(url).status_code == 404
    pk = regional.grants["social_worker"]
    response = client.post(f"/logboek/noodtoegang/{pk}/beoordelen/", {"verdict": "justified"})
    assert response.status_code == 404


def test_scope_is_built_without_a_query() -> None:
    """Every part of the scope is a lazy subquery: nothing runs until the page's own query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolzorg.audit import policies
    from schoolzorg.audit.policies import Scope

    scope = Scope(tuple((pk, kind) for pk, kind in enumerate(KINDS, start=1)))
    with CaptureQueriesContext(connection) as queries:
        policies.scoped_entries(scope)
        policies.scoped_grants(scope)
        policies.scoped_users(scope)
        scope.only(1).pupils()
    assert len(queries) == 0
    assert Scope().pupils() is None and not Scope()
    assert Scope.of().owner_ids == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_officers_pages_use_as_many_queries_with_many_rows_as_with_few(regional, kind) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolzorg.accounts.models import Membership, User
    from schoolzorg.accounts.roles import Role
    from schoolzorg.audit.policies import oversight_scope

    client = signed_in_client(regional.officers[kind])
    reader = regional.readers[sorted(FINDS[kind])[0]]
    urls = [
        "/logboek/?q=@",
        f"/logboek/gebruiker/{reader.pk}/",
        "/logboek/noodtoegang/beoordelen/",
        "/logboek/wijzigingen/",
        f"/logboek/week/?week={MONDAY.isoformat()}",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    client.get("/logboek/")  # the first request of a session also fills the menu cache
    few = counts()
    regional.read_all(dt.datetime(2026, 11, 14, 23, 0, tzinfo=AMS), n=15)
    for r in ("outsider", "social_worker", "far"):
        for _ in range(5):
            org, pupil = regional.reads[r]
            _grant_in(regional.readers[r], regional.orgs[org], regional.pupils[pupil].pk)
    # More role changes: each names a user and an organisation, which the page shows by name.
    for name, org in regional.orgs.items():
        newcomer = User.objects.create_user(
            email=f"nieuw-{name}@matrix.example", password=None, full_name=f"Nieuw {name}"
        )
        Membership.objects.create(
            user=newcomer, organisation=org, role=Role.PRIVACY_OFFICER, valid_from=MONDAY
        )
    many = counts()
    # The role changes page reads the users and organisations its changes name, one query per
    # kind of object (user, organisation, district): as many or fewer, never one per change.
    changes = urls.index("/logboek/wijzigingen/")
    assert many[changes] <= few[changes]
    assert many[:changes] + many[changes + 1 :] == few[:changes] + few[changes + 1 :]
    with CaptureQueriesContext(connection) as queries:
        weekly_report(MONDAY, oversight_scope(regional.officers[kind]))
    # the officer's memberships (once), counts kept for the week (none here), the organisations
    # in scope, the counts of each part, break-the-glass
    assert len(queries) <= 6, [q["sql"][:90] for q in queries.captured_queries]


def test_a_sign_off_of_the_whole_log_from_before_counts_for_every_organisation(regional) -> None:
    """Rows without an organisation (signed off when the report still covered the whole log)
    show as that week's sign-off to every officer, and the week cannot be signed off again."""
    from django.utils import timezone

    by = regional.officers["municipality"]
    WeeklyReview.objects.create(
        week_start=MONDAY, organisation_id=None, signed_off_by=by, signed_off_at=timezone.now()
    )
    for kind in ("municipality", "school", "social_work_provider"):
        client = signed_in_client(regional.officers[kind])
        page = client.get("/logboek/week/", {"week": MONDAY.isoformat()})
        assert page.context["review"].organisation_id is None
        assert "voor het hele logboek" in page.content.decode()
        assert "Week aftekenen" not in page.content.decode()
        again = client.post(f"/logboek/week/{MONDAY.isoformat()}/aftekenen/", {}, follow=True)
        assert "al afgetekend" in again.content.decode()
        later = client.get("/logboek/week/", {"week": "2026-11-16"})
        assert later.context["review"] is None and "Week aftekenen" in later.content.decode()
    assert WeeklyReview.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_migration_0006_keeps_each_sign_off_with_its_municipality_as_organisation() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from schoolzorg.accounts.models import User
    from schoolzorg.organisations.tests.factories import MunicipalityFactory

    before = [("audit", "0005_weekly_review_per_municipality")]
    town = MunicipalityFactory(name="Oudestad")
    by = User.objects.create_user(email="fg@oud.example", password="x" * 12, full_name="FG")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("audit", "WeeklyReview")
        old.objects.create(
            week_start=MONDAY,
            municipality_id=town.pk,
            municipality_label=town.name,
            signed_off_by_id=by.pk,
            signed_off_at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=AMS),
        )
        old.objects.create(
            week_start=MONDAY,
            municipality_id=None,
            signed_off_by_id=by.pk,
            signed_off_at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=AMS),
        )
    finally:
        # Back to the newest state of every app, not only to the migration under test: the tests after
        # this one need the migrations that came later (a column added since, say).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {
        (r.organisation_id, r.organisation_label, r.week_start) for r in WeeklyReview.objects.all()
    }
    assert rows == {(town.pk, "Oudestad", MONDAY), (None, "", MONDAY)}
    officer = User.objects.create_user(email="fg2@oud.example", password="x" * 12)
    from schoolzorg.audit.services import AuditError, sign_off_week

    with pytest.raises(AuditError, match="al afgetekend"):
        sign_off_week(MONDAY, organisation_id=town.pk, by=officer, note="", findings={})


def test_last_weeks_counts_are_kept_once_per_organisation_and_the_report_reads_them(
    regional,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolzorg.audit.anomalies import store_last_week
    from schoolzorg.audit.models import WeekCounts
    from schoolzorg.audit.policies import oversight_scope

    regional.read_all(dt.datetime(2026, 11, 14, 23, 0, tzinfo=AMS), n=3)  # Saturday night
    scopes = {kind: oversight_scope(regional.officers[kind]) for kind in KINDS}
    counted_now = {kind: weekly_report(MONDAY, scope).findings() for kind, scope in scopes.items()}
    # The week after MONDAY's: last week is MONDAY's; every officer's organisation once.
    assert store_last_week(MONDAY + dt.timedelta(days=8)) == len(KINDS)
    assert store_last_week(MONDAY + dt.timedelta(days=9)) == 0
    assert WeekCounts.objects.filter(week_start=MONDAY).count() == len(KINDS)
    for kind, scope in scopes.items():
        with CaptureQueriesContext(connection) as queries:
            kept = weekly_report(MONDAY, scope).findings()
        assert kept == counted_now[kind], kind
        assert kept["total"] == len(regional.expected_entries(kind)), kind
        assert not any("audit_accesslogentry" in q["sql"] for q in queries.captured_queries)
    # The page shows the kept counts as well.
    page = signed_in_client(regional.officers["school"]).get(
        "/logboek/week/", {"week": MONDAY.isoformat()}
    )
    assert page.context["report"].findings() == counted_now["school"]


def test_a_week_that_is_not_over_is_not_kept(regional) -> None:
    from django.utils import timezone

    from schoolzorg.audit.anomalies import store_counts, week_of
    from schoolzorg.audit.models import WeekCounts

    this_week = week_of(timezone.localdate())
    assert not store_counts(this_week, regional.orgs["school"])
    assert not WeekCounts.objects.exists()
    assert store_counts(MONDAY, regional.orgs["school"])
    assert not store_counts(MONDAY, regional.orgs["school"])  # once
    assert WeekCounts.objects.get().organisation_id == regional.orgs["school"].pk


def test_weekly_counts_are_a_periodic_sweep() -> None:
    from schoolzorg.lib.periodic import sweeps

    assert next(s for s in sweeps() if s.name == "weekly-read-counts").every_seconds == 3600


def test_weekly_page_shows_the_top_of_each_signal_and_everyone_on_request(world) -> None:
    from schoolzorg.accounts.models import User
    from schoolzorg.audit.views import SIGNALS_SHOWN

    saturday = dt.datetime(2026, 11, 14, 12, 0, tzinfo=AMS)
    for i in range(SIGNALS_SHOWN + 3):
        reader = User.objects.create_user(
            email=f"lezer{i}@matrix.example", password=None, full_name=f"Lezer {i:03}"
        )
        _read(reader, saturday, n=1 + i % 4, org=world.school)
    client = signed_in_client(world.users["privacy_officer"])
    page = client.get("/logboek/week/", {"week": MONDAY.isoformat()}).content.decode()
    weekend = page.split("In het weekend", 1)[1].split("Noodtoegang", 1)[0]
    assert weekend.count("<tr>") == SIGNALS_SHOWN + 1  # the header row and the top
    assert "En nog 3 gebruikers met minder inzagen." in weekend
    everyone = client.get("/logboek/week/", {"week": MONDAY.isoformat(), "alle": "1"})
    weekend = everyone.content.decode().split("In het weekend", 1)[1].split("Noodtoegang", 1)[0]
    assert weekend.count("<tr>") == SIGNALS_SHOWN + 3 + 1 and "En nog" not in weekend


def test_the_log_of_a_reader_whose_account_is_gone_stays_readable(world) -> None:
    from schoolzorg.accounts.models import User

    gone = User.objects.create_user(
        email="weg@matrix.example", password=None, full_name="Vertrokken Lezer"
    )
    _read(gone, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), n=2, org=world.school)
    gone_id = gone.pk
    gone.delete()
    client = signed_in_client(world.users["privacy_officer"])
    page = client.get(f"/logboek/gebruiker/{gone_id}/")
    assert page.status_code == 200
    assert "Vertrokken Lezer (account bestaat niet meer)" in page.content.decode()
    assert len(page.context["page"].object_list) == 2
    # A reader outside the officer's scope stays hidden.
    assert client.get("/logboek/gebruiker/999999/").status_code == 404


def test_a_password_set_by_the_administrator_is_in_the_officers_history_without_its_hash(
    world,
) -> None:
    from auditlog.models import LogEntry

    admin, colleague = world.users["functional_admin"], world.users["coordinator"]
    admin.is_staff = True
    admin.save()
    before = LogEntry.objects.count()
    signed_in_client(colleague)  # a sign-in is no change to the account
    new = {"password1": "Een-nieuw-wachtwoord-2026", "password2": "Een-nieuw-wachtwoord-2026"}
    url = f"/beheer/accounts/user/{colleague.pk}/password/"
    assert signed_in_client(admin).post(url, new).status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("Een-nieuw-wachtwoord-2026")

    officer = signed_in_client(world.users["privacy_officer"])
    changes = officer.get("/logboek/wijzigingen/").context["changes"]
    [entry] = [
        c
        for c in changes
        if c.content_type.model == "user" and c.object_pk == str(colleague.pk) and c.action == 1
    ]
    assert entry.actor == admin
    assert entry.changed == [("wachtwoord", "(verborgen)", "nieuw wachtwoord ingesteld")]
    page = officer.get("/logboek/wijzigingen/").content.decode()
    assert "nieuw wachtwoord ingesteld" in page
    made = LogEntry.objects.order_by("pk")[before:]
    assert [e.object_pk for e in made if e.content_type.model == "user"] == [str(colleague.pk)]
    assert not any(colleague.password[-20:] in str(e.changes) for e in LogEntry.objects.all())

    _school_b, _coordinator_b, officer_b = _other_municipality()
    theirs = signed_in_client(officer_b).get("/logboek/wijzigingen/").context["changes"]
    assert str(colleague.pk) not in {c.object_pk for c in theirs if c.content_type.model == "user"}


def test_the_report_goes_back_no_further_than_the_scopes_first_entry() -> None:
    world = build_world()  # without the log since 2000
    _read(
        world.users["coordinator"], dt.datetime(2026, 11, 11, 10, 0, tzinfo=AMS), org=world.school
    )
    officer = signed_in_client(world.users["privacy_officer"])
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, 0, tzinfo=AMS), tick=False):
        first = officer.get("/logboek/week/", {"week": MONDAY.isoformat()})
        before = officer.get("/logboek/week/", {"week": "2026-11-02"})
        long_ago = officer.get("/logboek/week/", {"week": "2000-01-03"})
        signed = officer.post("/logboek/week/2026-11-02/aftekenen/", {"note": ""}, follow=True)
    assert "Vorige week" not in first.content.decode()
    assert "Week aftekenen" in first.content.decode()
    for page in (before, long_ago):
        assert page.status_code == 200
        assert page.context["report"].week_start == MONDAY
        assert "Het logboek begint in de week van 9-11-2026." in page.content.decode()
    assert "Het logboek begint in de week van 9-11-2026." in signed.content.decode()
    assert not WeeklyReview.objects.exists()


@pytest.mark.parametrize("week", ["0001-01-01", "1999-12-27"])
def test_a_week_before_2000_answers_the_first_week(world, week) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    page = officer.get("/logboek/week/", {"week": week})
    assert page.status_code == 200
    assert page.context["report"].week_start == dt.date(2000, 1, 3)
    assert "Het logboek begint in de week van 3-1-2000." in page.content.decode()
    signed = officer.post(f"/logboek/week/{week}/aftekenen/", {"note": ""}, follow=True)
    assert signed.status_code == 200
    assert not WeeklyReview.objects.exists()


def test_every_relationship_has_a_dutch_basis_label() -> None:
    from schoolzorg.audit.templatetags.audit_tags import BASIS_LABELS
    from schoolzorg.pupils.access import _RELATIONSHIPS

    assert {r.name for r in _RELATIONSHIPS} <= set(BASIS_LABELS)


def test_the_change_history_names_whose_role_and_account_changed_and_no_child(world) -> None:
    from html import escape

    from schoolzorg.accounts.models import Membership

    coordinator = world.users["coordinator"]
    membership = Membership.objects.filter(user=coordinator).first()
    assert membership is not None
    membership.valid_until = dt.date(2027, 7, 31)
    membership.save()
    coordinator.email = "nieuw-adres@matrix.example"
    coordinator.save()
    world.pupil.last_name = "Matrixkind-Anders"
    world.pupil.save()  # a change of child data: not in this history, and never named here

    page = signed_in_client(world.users["privacy_officer"]).get("/logboek/wijzigingen/")
    text = page.content.decode()
    assert f"<td>{escape(str(membership))}</td>" in text  # "Matrix coordinator – … – school"
    assert f"<td>{escape(str(coordinator))}</td>" in text
    assert "Van wie of wat" in text
    for child in ("Mila", "Matrixkind", "Moeder Matrixkind"):
        assert child not in text


def test_log_pages_name_their_page_and_week_in_the_tab_title(world) -> None:
    """Tester X7: page 2 of a user's log and every week of the report had one tab title."""
    officer = signed_in_client(world.users["privacy_officer"])
    coordinator = world.users["coordinator"]
    _read(coordinator, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), n=101)
    name = coordinator.full_name
    first = officer.get(f"/logboek/gebruiker/{coordinator.pk}/").content.decode()
    assert f"<title>Logboek van {name} – Schoolzorg</title>" in first
    second = officer.get(f"/logboek/gebruiker/{coordinator.pk}/", {"pagina": 2}).content.decode()
    assert f"<title>Logboek van {name}, pagina 2 – Schoolzorg</title>" in second
    week = officer.get("/logboek/week/", {"week": MONDAY.isoformat()}).content.decode()
    assert "9 november – 15 november 2026 – Schoolzorg</title>" in week


def test_an_empty_user_search_says_what_to_type_not_that_no_one_was_found(world) -> None:
    """Tester X9: an empty search answered "Geen gebruiker gevonden." as if it had run."""
    officer = signed_in_client(world.users["privacy_officer"])
    empty = officer.get("/logboek/", {"q": ""}).content.decode()
    assert "Geen gebruiker gevonden" not in empty and "niet verplicht" not in empty
    assert "Typ (een deel van) de naam of het e-mailadres" in empty
    nobody = officer.get("/logboek/", {"q": "zzzz"}).content.decode()
    assert "Geen gebruiker gevonden." in nobody and "Typ (een deel van)" not in nobody
