from __future__ import annotations

import random
from typing import Any

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


def test_demo_timelines_carry_the_days_of_the_story() -> None:
    """Tester V7: every line of the demo's timelines was dated at seed time ("5 dec 2026 16:08 –
    Verstuurd naar …") while the deadlines said the referral was sent weeks ago. Each line now
    has the day of its step, and each rung of the ladder the day its deadline implies."""
    from schoolzorg.referrals.deadlines import level_dates
    from schoolzorg.referrals.services import norm_for

    today = timezone.localdate()
    ctx = SeedContext(rng=random.Random(2026), today=today)
    seed_foundation(ctx)
    seed_demo(ctx)
    day_of = timezone.localdate
    sent = Referral.objects.exclude(submitted_on=None).select_related("school", "team")
    assert sent.count() >= 10
    earlier = 0
    for referral in sent.prefetch_related("events", "escalations"):
        events = sorted(referral.events.all(), key=lambda e: (e.at, e.pk))
        # The story in the order it was told, and nothing after today.
        assert [e.pk for e in events] == sorted(e.pk for e in events)
        assert all(day_of(e.at) <= today for e in events)
        days: dict[str, list[Any]] = {}
        for event in events:
            days.setdefault(event.kind, []).append(day_of(event.at))
        assert days["submit"] == [referral.submitted_on]
        assert day_of(referral.submitted_at) == referral.submitted_on
        assert days["created"] == [referral.submitted_on] == [day_of(referral.created_at)]
        for kind, field in [
            ("acknowledge", "acknowledged_on"),
            ("hold_handover", "handover_held_on"),
            ("confirm_first_contact", "first_contact_on"),
            ("accept", "accepted_on"),
        ]:
            if getattr(referral, field):
                assert days[kind] == [getattr(referral, field)], (referral.state, kind)
        for kind in ("decline", "withdraw", "close"):
            if kind in days:
                assert days[kind] == [referral.ended_on]
        norm = norm_for(referral)
        ladder = [x for x in referral.escalations.all() if not x.is_manual]
        for rung in ladder:
            reached = level_dates(referral.school, rung.due_on, norm, referral.urgency)
            assert rung.raised_on == reached[rung.level] > rung.due_on
            assert day_of(rung.raised_at) == rung.raised_on
        escalated = [x.raised_on for x in referral.escalations.all()]
        assert sorted(days.get("escalated", [])) == sorted(escalated)
        earlier += sum(1 for day in escalated if day < today)
    # A stalled referral climbed the ladder over days, not all at once today.
    assert earlier >= 3
