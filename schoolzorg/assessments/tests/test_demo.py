from __future__ import annotations

import datetime as dt
import random

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments.demo import seed_demo
from schoolzorg.assessments.models import Assessment, AssessmentStatus
from schoolzorg.demo.context import SeedContext
from schoolzorg.organisations.tests.factories import SchoolFactory, SocialWorkProviderFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_demo_has_completed_severity_and_reviewed_safety_assessments(member):
    # A small stand-in for the foundation layer: three schools, their IB-er and SMW, pupils.
    ctx = SeedContext(rng=random.Random(2026), today=dt.date(2026, 11, 24))
    provider = SocialWorkProviderFactory()
    for _ in range(3):
        school = SchoolFactory()
        ctx.schools.append(school)
        ctx.staff[school.pk] = {
            Role.SUPPORT_COORDINATOR: [member(Role.SUPPORT_COORDINATOR, school)],
            Role.SCHOOL_SOCIAL_WORKER: [member(Role.SCHOOL_SOCIAL_WORKER, provider, school=school)],
        }
        ctx.pupils.extend(PupilFactory(current_school=school) for _ in range(8))
    seed_demo(ctx)
    severity = Assessment.objects.filter(definition__code="severity")
    assert severity.filter(status=AssessmentStatus.COMPLETED).count() == 9
    assert severity.filter(status=AssessmentStatus.DRAFT).count() == 3
    safety = Assessment.objects.filter(definition__code="child_safety")
    assert safety.filter(status=AssessmentStatus.REVIEWED).count() == 2
    assert safety.filter(status=AssessmentStatus.COMPLETED).count() == 1
    for a in safety:
        assert a.is_child_safety and a.judgements[0]["choice_label"] == "Veilig"
        assert a.reviewed_by_id != a.completed_by_id
