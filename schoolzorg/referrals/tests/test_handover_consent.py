"""The warm handover needs a consent for it (R3): planning it without one is refused, in words
that say who records it and how; the page says so before; without the parents the team is told
that the family is best there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from schoolzorg.consent.models import Consent, LegalBasis, LegalBasisKind, Purpose
from schoolzorg.referrals import services
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import (
    World,
    give_consent,
    give_handover_consent,
    make_world,
    submitted,
)
from schoolzorg.referrals.workflow import State

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)
THURSDAY = dt.date(2025, 3, 6)
PLAN = {"place": "School", "participants": "moeder, SMW, wijkteam", "parents_invited": True}


@pytest.fixture
def world() -> World:
    """A world with a consent to share with the team only, not for the warm handover."""
    found = make_world(consent=False)
    give_consent(found)
    return found


def _acknowledged(world: World) -> Referral:
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    return referral


def test_planning_without_a_consent_for_the_handover_is_refused_and_says_how(
    world: World,
) -> None:
    referral = _acknowledged(world)
    with pytest.raises(services.ReferralError) as exc:
        services.plan_handover(referral, by=world.worker, on=THURSDAY, today=MONDAY, **PLAN)
    text = " ".join(exc.value.messages)
    assert "geen toestemming voor de warme overdracht met Wijkteam Oost" in text
    assert "6 maart 2025" in text
    assert "‘Toestemming vastleggen’" in text
    assert "‘Warme overdracht (gesprek met het wijkteam)’" in text
    assert exc.value.errors[0][0] == ""  # the move as a whole, not a field
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED
    assert referral.handover_on is None


def test_the_message_names_who_must_agree_at_the_pupils_age(world: World) -> None:
    world.pupil.date_of_birth = dt.date(2012, 1, 1)  # 13 on the handover day
    world.pupil.save(update_fields=["date_of_birth"])
    referral = _acknowledged(world)
    with pytest.raises(services.ReferralError) as exc:
        services.plan_handover(referral, by=world.worker, on=THURSDAY, today=MONDAY, **PLAN)
    name = world.pupil.first_name
    assert f"toestemming nodig van {name} én de ouders met gezag ({name} is dan 13)" in str(
        exc.value
    )


@pytest.mark.parametrize(
    "ground",
    ["for_the_team", "for_every_team", "legal_basis"],
)
def test_a_consent_or_legal_basis_for_the_handover_lets_it_be_planned(
    world: World, ground: str
) -> None:
    referral = _acknowledged(world)
    if ground == "for_the_team":
        give_handover_consent(world)
    elif ground == "for_every_team":
        Consent.objects.create(
            pupil=world.pupil,
            purpose=Purpose.WARM_HANDOVER,
            recipient=None,
            is_complete=True,
            given_by_pupil=True,
            given_on=dt.date(2020, 1, 1),
            recorded_by=world.smw,
        )
    else:
        LegalBasis.objects.create(
            pupil=world.pupil,
            kind=LegalBasisKind.VITAL_INTEREST,
            purpose=Purpose.WARM_HANDOVER,
            reason="Acuut",
            valid_from=dt.date(2020, 1, 1),
            recorded_by=world.smw,
        )
    services.plan_handover(referral, by=world.worker, on=THURSDAY, today=MONDAY, **PLAN)
    assert referral.state == State.HANDOVER_PLANNED


@pytest.mark.parametrize("case", ["other_team", "ends_before_the_day", "incomplete"])
def test_a_consent_that_does_not_hold_on_the_day_for_the_team_is_not_enough(
    world: World, case: str
) -> None:
    referral = _acknowledged(world)
    consent = give_handover_consent(
        world, recipient=world.other_team if case == "other_team" else None
    )
    if case == "ends_before_the_day":
        consent.valid_until = THURSDAY - dt.timedelta(days=1)
    if case == "incomplete":
        consent.is_complete = False
    consent.save()
    with pytest.raises(services.ReferralError, match="geen toestemming voor de warme overdracht"):
        services.plan_handover(referral, by=world.worker, on=THURSDAY, today=MONDAY, **PLAN)


def test_a_handover_held_on_a_day_without_consent_is_recorded_with_a_note(world: World) -> None:
    referral = _acknowledged(world)
    consent = give_handover_consent(world)
    services.plan_handover(referral, by=world.worker, on=THURSDAY, today=MONDAY, **PLAN)
    consent.withdrawn_on = dt.date(2025, 3, 5)
    consent.save()
    services.hold_handover(referral, by=world.worker, held_on=THURSDAY, today=THURSDAY)
    assert referral.state == State.HANDOVER_HELD
    line = referral.events.get(kind="hold_handover").text
    assert "geen geldige toestemming voor de warme overdracht" in line
    assert "geen geldige toestemming" in services.handover_held_without_basis_warning(referral)


def _plan_post(referral: Referral, day: dt.date, *, parents: bool) -> dict[str, Any]:
    post: dict[str, Any] = {
        "plan_handover-seen_state": referral.state,
        "plan_handover-seen_round": referral.round,
        "plan_handover-on": day.isoformat(),
        "plan_handover-place": "School",
        "plan_handover-participants": "moeder, wijkteam",
    }
    if parents:
        post["plan_handover-parents_invited"] = "on"
    return post


def _next_school_day(world: World) -> dt.date:
    from django.utils import timezone

    from schoolzorg.referrals.tests.factories import school_day_from

    return school_day_from(world, timezone.localdate() + dt.timedelta(days=3))


def test_the_page_refuses_the_plan_with_400_and_tells_both_sides(
    world: World, client_for: Any
) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    url = reverse("referrals:move", args=[referral.pk, "plan_handover"])
    team = client_for(world.worker)
    detail = reverse("referrals:detail", args=[referral.pk])
    page = team.get(detail).content.decode()
    assert 'id="toestemming-overdracht"' in page
    assert "De school legt haar vast" in page
    response = team.post(url, _plan_post(referral, _next_school_day(world), parents=True))
    assert response.status_code == 400
    html = response.content.decode()
    assert "geen toestemming voor de warme overdracht met Wijkteam Oost" in html
    assert 'value="moeder, wijkteam"' in html or "moeder, wijkteam" in html  # typed text kept
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED
    # The school side reads it too, with a link to the consent form for this purpose and back.
    school_page = client_for(world.smw).get(detail).content.decode()
    assert "Toestemming voor de warme overdracht vastleggen" in school_page
    assert "doel=warm_handover" in school_page
    form = client_for(world.smw).get(
        reverse("consent:new", args=[world.pupil.pk]) + "?doel=warm_handover"
    )
    assert '<option value="warm_handover" selected>' in form.content.decode()
    # Once recorded, the notice is gone and the plan goes through.
    give_handover_consent(world)
    assert 'id="toestemming-overdracht"' not in team.get(detail).content.decode()
    assert team.post(
        url, _plan_post(referral, _next_school_day(world), parents=True)
    ).status_code == (302)


def test_the_form_says_the_family_is_best_there_and_warns_without_parents(
    world: World, client_for: Any
) -> None:
    give_handover_consent(world)
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    team = client_for(world.worker)
    detail = reverse("referrals:detail", args=[referral.pk])
    assert "liefst met het gezin erbij" in team.get(detail).content.decode()
    url = reverse("referrals:move", args=[referral.pk, "plan_handover"])
    response = team.post(
        url, _plan_post(referral, _next_school_day(world), parents=False), follow=True
    )
    assert response.status_code == 200
    assert "Let op: de ouders zijn niet uitgenodigd" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED
    assert not referral.parents_invited
