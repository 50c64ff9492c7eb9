"""The neighbourhood-team worker who took on a referral about the child is offered as owner in
the child's plan (tester finding: the home district's team works outside the school, and the
plan could not record what it does). The rule for everyone named around a child still decides:
without a consent to discuss the child in the care team, the worker is not offered."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.plans import services as plans
from schoolzorg.referrals import services as referrals
from schoolzorg.referrals.tests.factories import make_world, submitted

pytestmark = pytest.mark.django_db


def _owner_list(client: Any, plan_id: int) -> str:
    return client.get(f"/plannen/{plan_id}/").content.decode()


def test_the_worker_of_the_childs_referral_is_offered_as_owner(client_for: Any) -> None:
    world = make_world()
    referral = submitted(world)
    referrals.acknowledge_referral(referral, by=world.worker)
    part = plans.start_plan(world.pupil, by=world.coordinator)
    client = client_for(world.coordinator)

    # Sharing with the team is not discussing in the care team: not yet a ground to be named.
    assert world.worker.full_name not in _owner_list(client, part.plan_id)
    Consent.objects.create(
        pupil=world.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_by_pupil=True,
        given_on=timezone.localdate(),
        recorded_by=world.smw,
    )
    page = _owner_list(client, part.plan_id)
    assert world.worker.full_name in page
    # Another worker of the team, who did not take the referral, is not offered.
    assert world.worker2.full_name not in page
