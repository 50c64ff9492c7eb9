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


def test_demo_consents_to_share_with_the_team_name_who_gave_them() -> None:
    from schoolzorg.consent.models import Consent, Purpose
    from schoolzorg.consent.rules import required_parties

    ctx = SeedContext(rng=random.Random(2026), today=timezone.localdate())
    seed_foundation(ctx)
    seed_demo(ctx)
    consents = Consent.objects.filter(
        purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
        evidence_note="Formulier getekend op school (demo).",
    ).select_related("pupil")
    assert consents
    for consent in consents:
        parties = required_parties(consent.pupil, consent.given_on)
        given = set(consent.given_by_guardians.values_list("pk", flat=True))
        assert parties.is_complete(pupil_agreed=consent.given_by_pupil, guardian_ids=given)
        assert given or consent.given_by_pupil
        assert consent.is_complete and consent.status == "geldig"


def test_the_demo_referral_waiting_for_the_handover_consent_reminds_the_school() -> None:
    """Tester V1: the acknowledged referral without a consent for the warm handover waits on the
    school; the sweep reminded the school and escalated nobody of the team for that step."""
    from schoolzorg.referrals.services import waits_on_school

    ctx = SeedContext(rng=random.Random(2026), today=timezone.localdate())
    seed_foundation(ctx)
    seed_demo(ctx)
    [waiting] = [r for r in Referral.objects.filter(state=State.ACKNOWLEDGED) if waits_on_school(r)]
    assert waiting.handover_consent_wait_from == waiting.acknowledged_on
    assert not waiting.escalations.filter(step="plan_handover").exists()
    assert waiting.events.filter(kind="handover_consent_reminder").exists()
