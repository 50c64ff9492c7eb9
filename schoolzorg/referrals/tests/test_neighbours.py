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
    event = case.events.get(kind="referral")
    assert event.text == "Toeleiding naar het wijkteam: verstuurd."
    assert world.pupil.last_name not in event.text
