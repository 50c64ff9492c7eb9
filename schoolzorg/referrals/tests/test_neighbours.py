from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from schoolzorg.cases.tests.factories import CaseFactory, contact
from schoolzorg.referrals import services
from schoolzorg.referrals.tests.factories import draft, make_world

pytestmark = pytest.mark.django_db


def test_already_tried_is_prefilled_from_smw_contacts_and_moves_land_on_the_case() -> None:
    world = make_world()
    case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    provider = world.smw.memberships.get().organisation.as_social_work_provider
    contact(case, world.smw, provider, with_whom="moeder")
    referral = draft(world, complete=False)
    assert "(met moeder)" in referral.already_tried
    services.save_draft(referral, {"already_tried": referral.already_tried}, by=world.smw)
    from schoolzorg.referrals.tests.factories import COMPLETE_DOCUMENT

    services.save_draft(referral, COMPLETE_DOCUMENT, by=world.smw)
    services.submit_referral(referral, by=world.smw)
    texts = list(case.events.filter(kind="referral").values_list("text", flat=True))
    assert "Toeleiding naar het wijkteam: verstuurd." in texts
    assert all(world.pupil.last_name not in t for t in texts)
    case.refresh_from_db()
    assert case.status == "referred"  # the case follows the referral


def test_submission_leaves_closed_and_already_referred_cases_alone() -> None:
    from schoolzorg.cases.services import change_case_status
    from schoolzorg.referrals.tests.factories import COMPLETE_DOCUMENT

    world = make_world()
    closed = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    change_case_status(closed, to="closed", by=world.coordinator, outcome="resolved")
    referred = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    change_case_status(referred, to="referred", by=world.coordinator, automatic=True)
    referral = draft(world, complete=False)
    services.save_draft(referral, COMPLETE_DOCUMENT, by=world.smw)
    services.submit_referral(referral, by=world.smw)
    closed.refresh_from_db()
    referred.refresh_from_db()
    assert (closed.status, referred.status) == ("closed", "referred")
    assert referred.events.filter(text__startswith="Status:").count() == 1


def _plan_for(world: Any) -> tuple[Any, Any]:
    """The family's plan with a part for the world's pupil and one for a sister (V8)."""
    from schoolzorg.plans.models import IntegralPlan, PlanPart
    from schoolzorg.pupils.tests.factories import PupilFactory

    plan = IntegralPlan.objects.create(
        family=world.pupil.family,
        strengths="Oma helpt veel mee.",
        concerns="Schulden en weinig rust thuis.",
        created_by=world.coordinator,
    )
    part = PlanPart.objects.create(
        plan=plan,
        pupil=world.pupil,
        strengths="Tekent graag, goede band met de juf.",
        concerns="Slaapt slecht, komt vaak te laat.",
    )
    sister = PupilFactory(family=world.pupil.family, current_school=world.school)
    PlanPart.objects.create(
        plan=plan, pupil=sister, strengths="Zus zwemt graag.", concerns="Zus is vaak ziek."
    )
    return part, PlanPart.objects.get(pupil=sister)


def _action(part: Any, text: str, status: str, by: Any) -> None:
    from schoolzorg.plans.models import Action

    Action.objects.create(
        part=part,
        domain="family",
        description=text,
        owner_name="Oma",
        due_on=dt.date(2027, 1, 4),
        status=status,
        created_by=by,
    )


def test_draft_takes_strengths_and_concerns_from_the_plan_family_and_child() -> None:
    """V8: the family's part and this child's part, each labelled; never a sister's part."""
    world = make_world()
    _plan_for(world)
    referral = draft(world, complete=False)
    first = world.pupil.first_name
    assert referral.strengths == (
        "Het gezin (uit het integraal plan):\nOma helpt veel mee.\n\n"
        f"{first} (uit het integraal plan):\nTekent graag, goede band met de juf."
    )
    assert referral.concerns == (
        "Het gezin (uit het integraal plan):\nSchulden en weinig rust thuis.\n\n"
        f"{first} (uit het integraal plan):\nSlaapt slecht, komt vaak te laat."
    )
    assert "Zus" not in referral.strengths + referral.concerns


def test_draft_leaves_out_an_empty_part_of_the_plan_and_stays_empty_without_a_plan() -> None:
    world = make_world()
    part, _sister = _plan_for(world)
    part.plan.strengths = ""
    part.plan.save()
    part.concerns = "  "
    part.save()
    referral = draft(world, complete=False)
    assert referral.strengths == (
        f"{world.pupil.first_name} (uit het integraal plan):\nTekent graag, goede band met de juf."
    )
    assert referral.concerns == (
        "Het gezin (uit het integraal plan):\nSchulden en weinig rust thuis."
    )
    without = make_world()
    referral = draft(without, complete=False)
    assert (referral.strengths, referral.concerns) == ("", "")


def test_already_tried_lists_only_actions_done_or_under_way() -> None:
    """V8: a planned action has not been tried yet, nor has a cancelled one."""
    world = make_world()
    part, sister = _plan_for(world)
    _action(part, "Gesprek met moeder over slapen", "done", world.smw)
    _action(part, "Oma brengt op maandag en donderdag", "in_progress", world.smw)
    _action(part, "Drie gesprekken met moeder", "planned", world.smw)
    _action(part, "Huiswerkklas", "cancelled", world.smw)
    _action(sister, "Zus naar de huisarts", "done", world.smw)
    referral = draft(world, complete=False)
    assert referral.already_tried.splitlines() == [
        "- Gesprek met moeder over slapen (Gezin, gedaan)",
        "- Oma brengt op maandag en donderdag (Gezin, bezig)",
    ]
