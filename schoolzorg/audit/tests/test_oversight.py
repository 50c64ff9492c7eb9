"""The privacy officer's pages: reading the log is logged; the weekly report and its sign-off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from schoolzorg.audit.anomalies import weekly_report
from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import AccessLogEntry, WeeklyReview
from schoolzorg.audit.services import Basis, record_access

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 9)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _read(user, when: dt.datetime, n: int = 1) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(when, tick=False):
        for _ in range(n):
            record_access(None, user=user, action="view", pupil_id=1, basis=Basis("membership"))


def test_weekly_report_flags_volume_night_and_weekend_reads(world) -> None:
    busy, night, weekend, normal = (
        world.users[a] for a in ("coordinator", "social_worker", "nurse", "team_worker")
    )
    _read(busy, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), n=60)
    _read(normal, dt.datetime(2026, 11, 10, 11, 0, tzinfo=AMS))
    _read(night, dt.datetime(2026, 11, 11, 6, 59, tzinfo=AMS))
    _read(night, dt.datetime(2026, 11, 11, 19, 0, tzinfo=AMS))
    _read(normal, dt.datetime(2026, 11, 11, 7, 0, tzinfo=AMS))
    _read(weekend, dt.datetime(2026, 11, 14, 12, 0, tzinfo=AMS))
    _read(weekend, dt.datetime(2026, 11, 16, 0, 30, tzinfo=AMS))  # next week: not counted
    report = weekly_report(MONDAY)
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


def test_sign_off_refuses_a_date_that_is_not_a_monday_with_a_message(world) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    response = officer.post("/logboek/week/2026-11-10/aftekenen/", {"note": ""}, follow=True)
    assert "begint op maandag" in response.content.decode()
    assert officer.post("/logboek/week/geen-datum/aftekenen/", {}).status_code == 404


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


def test_user_log_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries) -> None:
    officer = signed_in_client(world.users["privacy_officer"])
    coordinator = world.users["coordinator"]
    _read(coordinator, dt.datetime(2026, 11, 10, 10, 0, tzinfo=AMS), n=80)
    with django_assert_max_num_queries(20):
        assert officer.get(f"/logboek/gebruiker/{coordinator.pk}/").status_code == 200
