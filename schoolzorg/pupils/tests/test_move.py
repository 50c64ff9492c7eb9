"""Recording a move ("Verhuizing vastleggen"): the support coordinator of the pupil's school
records a new home address; the home district follows; mistakes come back at the field (400),
a screen drawn before another move is refused (409), the same form sent twice saves once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.organisations.models import PostcodeArea
from schoolzorg.organisations.tests.factories import DistrictFactory, SocialWorkProviderFactory
from schoolzorg.pupils.models import Residence
from schoolzorg.pupils.services import move_pupil
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil() -> Any:
    pupil = PupilFactory(first_name="Saar", last_name="Verhuist")
    town = pupil.current_school.municipality
    old = DistrictFactory(municipality=town, name="Nieuw-West")
    new = DistrictFactory(municipality=town, name="Centrum")
    PostcodeArea.objects.create(postcode="3506BB", district=old, municipality=town)
    PostcodeArea.objects.create(postcode="3501AB", district=new, municipality=town)
    move_pupil(pupil, "3506BB", house_number="4", on=dt.date(2021, 9, 1))
    return pupil


def _url(pupil: Any) -> str:
    return f"/leerlingen/{pupil.pk}/verhuizing/"


def _current(pupil: Any) -> Residence:
    return Residence.objects.get(pupil=pupil, moved_out_on__isnull=True)


def _post(client: Any, pupil: Any, **data: Any) -> Any:
    sent = {
        "postcode": "3501 ab",
        "house_number": "7",
        "moved_on": timezone.localdate().isoformat(),
        "expected": _current(pupil).pk,
        **data,
    }
    return client.post(_url(pupil), sent)


def test_the_support_coordinator_records_a_move_and_sees_the_new_district(
    pupil: Any, member: Any, client_for: Any
) -> None:
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    client = client_for(ib)
    assert "Verhuizing vastleggen" in client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    page = client.get(_url(pupil))
    assert page.status_code == 200
    assert "postcode 3506 BB, huisnummer 4" in page.content.decode()
    read = AccessLogEntry.objects.filter(pupil_id=pupil.pk, detail="verhuizing vastleggen")
    assert read.count() == 1

    response = _post(client, pupil)
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert (pupil.home_postcode, pupil.home_district.name) == ("3501AB", "Centrum")
    assert list(
        Residence.objects.filter(pupil=pupil).values_list(
            "postcode", "house_number", "moved_out_on"
        )
    ) == [("3501AB", "7", None), ("3506BB", "4", timezone.localdate())]
    shown = client.get(response["Location"]).content.decode()
    assert "De verhuizing is vastgelegd. Saar woont nu in wijk Centrum" in shown
    assert "op postcode 3501 AB" in shown
    # The write is in the read log and in the change history, with who made it.
    assert AccessLogEntry.objects.filter(
        pupil_id=pupil.pk, action="update", detail="verhuizing vastgelegd", user_id=ib.pk
    ).exists()
    new = _current(pupil)
    assert LogEntry.objects.get_for_object(new).filter(actor=ib).exists()


def test_only_the_support_coordinator_of_the_school_may_record_a_move(
    pupil: Any, member: Any, client_for: Any
) -> None:
    smw = member(
        Role.SCHOOL_SOCIAL_WORKER, SocialWorkProviderFactory(), school=pupil.current_school
    )
    teacher = member(Role.TEACHER, pupil.current_school, group=pupil.current_group)
    for user in (smw, teacher):
        client = client_for(user)
        assert (
            "Verhuizing vastleggen" not in client.get(f"/leerlingen/{pupil.pk}/").content.decode()
        )
        assert client.get(_url(pupil)).status_code == 404
        assert _post(client, pupil).status_code == 404
    assert Residence.objects.filter(pupil=pupil).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"postcode": "9999 ZZ"}, "postcode", "Postcode 9999 ZZ is niet bekend"),
        ({"postcode": "3501"}, "postcode", "Vul een Nederlandse postcode in"),
        ({"postcode": ""}, "postcode", "Vul de nieuwe postcode in."),
        ({"house_number": "A-12"}, "house_number", "Vul een huisnummer in"),
        ({"moved_on": "2099-01-01"}, "moved_on", "Deze datum ligt in de toekomst."),
        ({"moved_on": "2021-08-31"}, "moved_on", "vóór de dag waarop de leerling op het huidige"),
        ({"postcode": "3506BB", "house_number": "4"}, "postcode", "De leerling woont al op dit"),
    ],
)
def test_a_move_with_a_mistake_comes_back_at_its_field(
    pupil: Any, member: Any, client_for: Any, data: dict[str, str], field: str, message: str
) -> None:
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    response = _post(client, pupil, **data)
    assert response.status_code == 400
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Residence.objects.filter(pupil=pupil).count() == 1


def test_a_form_drawn_before_another_move_is_refused_and_the_same_form_twice_saves_once(
    pupil: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    seen = _current(pupil).pk
    assert _post(client, pupil).status_code == 302
    again = _post(client, pupil, expected=seen)
    assert again.status_code == 302  # the same move, sent again: nothing new
    assert "Dit was al vastgelegd" in client.get(again["Location"]).content.decode()
    assert Residence.objects.filter(pupil=pupil).count() == 2

    stale = _post(client, pupil, postcode="3506BB", house_number="9", expected=seen)
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "het woonadres is aangepast nadat u de pagina opende" in page
    assert "postcode 3501 AB, huisnummer 7" in page  # the address as it is now
    assert stale.context["form"]["expected"].value() == str(_current(pupil).pk)
    assert Residence.objects.filter(pupil=pupil).count() == 2


def test_the_house_number_is_marked_optional_once(pupil: Any, member: Any, client_for: Any) -> None:
    """Tester X14: "Huisnummer (mag leeg blijven) (niet verplicht)" said it twice."""
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    page = client.get(_url(pupil)).content.decode()
    assert 'Huisnummer <span class="muted">(niet verplicht)</span></label>' in page
    assert "mag leeg blijven" not in page
