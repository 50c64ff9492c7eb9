from __future__ import annotations

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
