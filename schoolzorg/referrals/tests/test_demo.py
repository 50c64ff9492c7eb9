from __future__ import annotations

import random

import pytest
from django.utils import timezone

from schoolzorg.demo.base import seed_foundation
from schoolzorg.demo.context import SeedContext
from schoolzorg.referrals.demo import seed_demo
from schoolzorg.referrals.models import Escalation, Referral
from schoolzorg.referrals.workflow import State

pytestmark = pytest.mark.django_db


def test_demo_has_referrals_in_every_state_and_the_ladder_at_work() -> None:
    ctx = SeedContext(rng=random.Random(2026), today=timezone.localdate())
    seed_foundation(ctx)
    seed_demo(ctx)
    assert set(Referral.objects.values_list("state", flat=True)) == set(State.values)
    levels = set(Escalation.objects.filter(is_manual=False).values_list("level", flat=True))
    assert levels == {1, 2, 3, 4}
    assert Escalation.objects.filter(is_manual=True).exists()
