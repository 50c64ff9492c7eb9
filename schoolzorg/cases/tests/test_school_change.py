"""A case follows its school: when a pupil changes school, the new school's people see the pupil,
not the old school's care file; the old school's support coordinator keeps reading the file
their school wrote, read only and logged (docs/permissions.md, "A case follows its school")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases import services
from schoolzorg.cases.models import Case, CaseEvent, SocialWorkContact
from schoolzorg.cases.tests.factories import contact
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.services import enrol_pupil

pytestmark = pytest.mark.django_db

WORRY = "Slaapt slecht sinds de scheiding; moeder vertelt over geldzorgen."
HOME_VISIT = "Afspraken over de ochtendroutine"


@dataclass
class Move:
    case: Case
    new_school: Any
    new_ib: Any
    new_smw: Any


@pytest.fixture
def moved(team: Any, member: Any) -> Move:
    """Sam has a case at De Regenboog with a note and an SMW home visit, then goes to Klimop."""
    case = services.register_concern(
        team.pupil, category="home_situation", description=WORRY, by=team.ib
    )
    services.add_case_event(case, kind="note", text="Gesprek met moeder gepland.", by=team.ib)
    contact(case, team.smw, team.provider, form="home_visit", note=HOME_VISIT)
    klimop = SchoolFactory(name="Klimop")
    enrol_pupil(team.pupil, klimop, group="5", on=timezone.localdate())
    return Move(
        case=case,
        new_school=klimop,
        new_ib=member(Role.SUPPORT_COORDINATOR, klimop),
        new_smw=member(Role.SCHOOL_SOCIAL_WORKER, team.provider, school=klimop),
    )


def test_the_new_schools_people_do_not_open_the_old_schools_case(team, moved, client_for):
    for user in (moved.new_ib, moved.new_smw):
        client = client_for(user)
        assert client.get(f"/casussen/{moved.case.pk}/").status_code == 404
        # They see the pupil (now at their school), without the old school's case.
        page = client.get(f"/leerlingen/{team.pupil.pk}/")
        assert page.status_code == 200
        assert f"/casussen/{moved.case.pk}/" not in page.content.decode()
        for listing in ("/casussen/", "/casussen/?status=all"):
            body = client.get(listing).content.decode()
            assert f"/casussen/{moved.case.pk}/" not in body and WORRY not in body
        assert not Case.objects.visible_to(user).exists()
        assert not Case.objects.whole_visible_to(user).exists()
        assert not CaseEvent.objects.visible_to(user).exists()
        assert not SocialWorkContact.objects.visible_to(user).exists()


def test_a_case_of_the_new_school_opens_to_its_people_as_before(team, moved, client_for):
    case = services.register_concern(
        team.pupil, category="absence", description="Komt te laat.", by=moved.new_ib
    )
    assert client_for(moved.new_smw).get(f"/casussen/{case.pk}/").status_code == 200
    page = client_for(moved.new_ib).get(f"/leerlingen/{team.pupil.pk}/").content.decode()
    assert f"/casussen/{case.pk}/" in page and f"/casussen/{moved.case.pk}/" not in page


def test_the_old_schools_support_coordinator_keeps_reading_its_file_read_only(
    team, moved, client_for
):
    client = client_for(team.ib)
    page = client.get(f"/casussen/{moved.case.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert WORRY in body and "Gesprek met moeder gepland." in body
    assert "Sam gaat niet meer naar De Regenboog." in body
    assert f'href="/leerlingen/{team.pupil.pk}/"' not in body  # the pupil's page is not theirs
    assert "Notitie toevoegen" not in body and "Status wijzigen" not in body
    entry = AccessLogEntry.objects.filter(pupil_id=team.pupil.pk, detail="casus").latest("id")
    assert (entry.user_id, entry.basis, entry.role) == (
        team.ib.pk,
        "school_file",
        Role.SUPPORT_COORDINATOR,
    )
    # Listed for the school's coordinator too, logged with the same basis.
    assert f"/casussen/{moved.case.pk}/" in client.get("/casussen/?status=all").content.decode()
    listed = AccessLogEntry.objects.filter(pupil_id=team.pupil.pk, detail="casuslijst").latest("id")
    assert listed.basis == "school_file"
    # Read only: no note, no status change, no document, no contact.
    before = CaseEvent.objects.filter(case=moved.case).count()
    assert (
        client.post(f"/casussen/{moved.case.pk}/notitie/", {"kind": "note", "text": "x"})
    ).status_code == 404
    assert client.get(f"/leerlingen/{team.pupil.pk}/").status_code == 404
    assert CaseEvent.objects.filter(case=moved.case).count() == before


def test_the_old_schools_social_worker_and_teacher_no_longer_open_it(team, moved, client_for):
    # The SMW's own contact stays theirs (the provider's registration), not the case.
    assert client_for(team.smw).get(f"/casussen/{moved.case.pk}/").status_code == 404
    assert SocialWorkContact.objects.visible_to(team.smw).count() == 1
    assert client_for(team.teacher).get(f"/casussen/{moved.case.pk}/").status_code == 404


def test_a_coordinator_of_the_old_schools_case_opens_nothing_of_the_pupil(team, moved, member):
    """A neighbourhood-team worker named coordinator of De Regenboog's case, with a consent to
    discuss Sam in the care team: the old school's case no longer opens Sam's file at Klimop."""
    from schoolzorg.meetings.tests.factories import give_consent
    from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory
    from schoolzorg.pupils.models import Pupil

    worker = member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory())
    give_consent(team.pupil, team.ib)
    Case.objects.filter(pk=moved.case.pk).update(coordinator=worker)
    assert not Pupil.objects.visible_to(worker).exists()
    assert not Case.objects.visible_to(worker).exists()
    # While Sam went to De Regenboog, the same case opened the file.
    enrol_pupil(team.pupil, team.school, group="6", on=timezone.localdate() + dt.timedelta(days=1))
    assert Pupil.objects.visible_to(worker).filter(pk=team.pupil.pk).exists()


def test_a_referral_of_the_new_school_leaves_the_old_schools_case_alone(team, moved):
    from schoolzorg.referrals.neighbours import already_tried_lines, note_on_cases

    team.pupil.refresh_from_db()
    assert not any(
        HOME_VISIT in line or "Huisbezoek" in line for line in already_tried_lines(team.pupil)
    )
    note_on_cases(
        team.pupil.pk, school_id=moved.new_school.pk, text="Toeleiding.", by=moved.new_ib, url="/"
    )
    assert not CaseEvent.objects.filter(case=moved.case, text="Toeleiding.").exists()


def test_back_at_the_old_school_the_case_is_the_schools_again(team, moved, client_for):
    enrol_pupil(team.pupil, team.school, group="6", on=timezone.localdate() + dt.timedelta(days=1))
    assert Case.objects.visible_to(team.smw).filter(pk=moved.case.pk).exists()
    assert not Case.objects.visible_to(moved.new_ib).exists()
