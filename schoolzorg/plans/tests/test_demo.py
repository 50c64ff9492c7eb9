from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from schoolzorg.cases.models import CaseEvent, EventKind
from schoolzorg.plans.models import IntegralPlan, PlanVersion, Review

pytestmark = pytest.mark.django_db


def test_demo_plan_timelines_carry_the_days_of_the_story() -> None:
    """Tester V7: every version of a demo plan, and every plan line on its case, was dated at
    seed time. A plan is now written weeks ago (a care meeting's decision first, where there
    was one), evaluated two weeks ago and agreed to today, and its history says so."""
    call_command("seed", "--scale", "demo", stdout=StringIO())
    today = timezone.localdate()
    day_of = timezone.localdate
    plans = list(IntegralPlan.objects.prefetch_related("versions"))
    assert len(plans) >= 10
    written_before_today = 0
    for plan in plans:
        versions = sorted(plan.versions.all(), key=lambda v: v.number)
        moments = [v.created_at for v in versions]
        # The versions in the order they were made, nothing after now.
        assert moments == sorted(moments), plan.pk
        assert moments[-1] <= timezone.now()
        assert day_of(plan.created_at) == day_of(moments[0])
        assert day_of(plan.updated_at) == day_of(moments[-1])
        written_before_today += day_of(moments[0]) < today
    assert written_before_today >= len(plans) - 2
    for review in Review.objects.all():
        assert day_of(review.created_at) == review.reviewed_on
    # The plan's lines on the case have the day of the version they announce.
    days = {day_of(at) for at in PlanVersion.objects.values_list("created_at", flat=True)}
    lines = CaseEvent.objects.filter(kind=EventKind.PLAN_CHANGE)
    assert lines.exists()
    assert {day_of(at) for at in lines.values_list("at", flat=True)} <= days
