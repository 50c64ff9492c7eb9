"""The "Mijn werk" page shows the privacy officer and the functional administrator what waits for them
(tester finding: their start page showed only their roles while reviews waited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import BreakGlassGrant
from schoolzorg.calendars.models import SchoolHoliday

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _home(world, actor: str) -> str:  # type: ignore[no-untyped-def]
    response = signed_in_client(world.users[actor]).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_privacy_officer_sees_reviews_and_the_weekly_check_waiting(world) -> None:  # type: ignore[no-untyped-def]
    page = _home(world, "privacy_officer")
    assert "Privacy en logboek" in page and "niets te beoordelen" in page
    assert "nog niet afgetekend" in page and "geen open verzoeken tot vernietiging" in page
    now = timezone.now()
    BreakGlassGrant.objects.create(
        user=world.users["coordinator"],
        pupil_id=world.pupil.pk,
        pupil_label="x",
        role="support_coordinator",
        organisation_id=world.school.pk,
        organisation_label=world.school.name,
        reason="Acute zorg, IB-er niet bereikbaar vandaag",
        granted_at=now - dt.timedelta(hours=3),
        expires_at=now - dt.timedelta(hours=2),
    )
    assert "1 nog te beoordelen" in _home(world, "privacy_officer")


def test_the_functional_administrator_sees_holidays_waiting_for_review(world) -> None:  # type: ignore[no-untyped-def]
    page = _home(world, "functional_admin")
    assert "Schoolvakanties controleren" in page
    assert "Er wachten geen schoolvakanties op controle." in page
    SchoolHoliday.objects.create(
        name="Kerstvakantie",
        region="noord",
        school_year="2026-2027",
        start_on=dt.date(2026, 12, 19),
        end_on=dt.date(2027, 1, 3),
        status="pending",
    )
    assert "1 schoolvakantie wacht op uw controle." in _home(world, "functional_admin")


def test_others_do_not_get_these_panels(world) -> None:  # type: ignore[no-untyped-def]
    page = _home(world, "coordinator")
    assert "Privacy en logboek" not in page and "Schoolvakanties controleren" not in page
