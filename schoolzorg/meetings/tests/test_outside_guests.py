"""A guest who is not the child's parent or the pupil (a teacher, someone from outside the care
team) has no organisation a consent could name: they are refused for the whole of a meeting
where children are discussed, and taken at one child's item only with the family's agreement
to this guest, recorded with who agreed (by the child's age on the meeting day) and when
(defect S1 of tester S: a "Wijkagent" was recorded present for every child)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.consent.models import Consent
from schoolzorg.meetings.models import MeetingGuest
from schoolzorg.meetings.services import (
    FieldRefused,
    MeetingError,
    add_general_item,
    add_guest,
    place_on_agenda,
)
from schoolzorg.meetings.tests.factories import give_consent
from schoolzorg.meetings.tests.test_meeting import _pdf_text
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

pytestmark = pytest.mark.django_db


def _today(meeting, days_ago=0):
    meeting.scheduled_on = timezone.localdate() - dt.timedelta(days=days_ago)
    meeting.save(update_fields=["scheduled_on"])


def _child_item(setting):
    return place_on_agenda(setting.meeting, pupil=setting.pupil, question="?", by=setting.ib)


def _post(client, setting, **fields):
    data = {f"guest-{k}": v for k, v in fields.items()}
    return client.post(f"/overleggen/{setting.meeting.pk}/gasten/", data)


def test_an_outside_guest_is_refused_for_the_whole_meeting_when_children_are_discussed(
    setting, client_for
):
    _today(setting.meeting)
    _child_item(setting)
    response = _post(
        client_for(setting.ib), setting, name="Wijkagent Jansen (politie)", role="other", item=""
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_guest-item_error"' in body
    assert "Deze gast kan niet bij het hele overleg zijn: er worden kinderen besproken." in body
    assert not MeetingGuest.objects.exists()
    # A teacher too: they would hear about children of other groups.
    with pytest.raises(FieldRefused) as refused:
        add_guest(setting.meeting, name="Juf Anna", role="teacher", by=setting.ib)
    assert refused.value.field == "item"


def test_an_outside_guest_at_a_childs_item_needs_the_familys_agreement(setting, client_for):
    _today(setting.meeting)
    add_guardian(setting.pupil, full_name="Maria Jansen")
    add_guardian(setting.pupil, full_name="Kees Jansen")
    item = _child_item(setting)
    client = client_for(setting.ib)
    response = _post(client, setting, name="Meester Bos", role="teacher", item=item.pk)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_guest-agreed_error"' in body
    assert "Daarom moet Kees Jansen en Maria Jansen ermee instemmen" in body
    assert not MeetingGuest.objects.exists()
    # Ticked without a day: the day is asked for at its field.
    response = _post(
        client, setting, name="Meester Bos", role="teacher", item=item.pk, agreed="on", agreed_on=""
    )
    assert response.status_code == 400
    assert 'id="id_guest-agreed_on_error"' in response.content.decode()
    assert not MeetingGuest.objects.exists()

    today = timezone.localdate()
    response = _post(
        client,
        setting,
        name="Meester Bos",
        role="teacher",
        item=item.pk,
        agreed="on",
        agreed_on=today.isoformat(),
    )
    assert response.status_code == 302
    guest = MeetingGuest.objects.get()
    assert (guest.item, guest.agreed_on, guest.agreed_by) == (
        item,
        today,
        "Kees Jansen en Maria Jansen",
    )
    assert guest.agreement_recorded_by == setting.ib
    assert AccessLogEntry.objects.filter(
        pupil_id=setting.pupil.pk, detail__startswith="toestemming voor gast"
    ).exists()
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Meester Bos (leerkracht, bij punt 1)" in page
    assert "toestemming voor deze gast van Kees Jansen en Maria Jansen" in page
    # The team's minutes say where the guest was, and on what ground.
    pdf = _pdf_text(client.get(f"/overleggen/{setting.meeting.pk}/verslag.pdf").content)
    assert "Aanwezig bij punt 1 (toestemming van Kees Jansen en Maria Jansen" in pdf
    assert "Aanwezig bij het hele overleg" not in pdf


@pytest.mark.parametrize(
    ("age", "who"),
    [(13, "Kees Jansen en Sam zelf (13 jaar)"), (16, "Sam zelf (16 jaar)")],
)
def test_who_must_agree_follows_the_age_on_the_meeting_day(setting, age, who):
    _today(setting.meeting)
    setting.pupil.date_of_birth = dt.date(timezone.localdate().year - age, 1, 1)
    setting.pupil.save(update_fields=["date_of_birth"])
    add_guardian(setting.pupil, full_name="Kees Jansen")
    # The consent to discuss is still enough: the pupil agreed too.
    Consent.objects.filter(pupil=setting.pupil).update(given_by_pupil=True)
    guest = add_guest(
        setting.meeting,
        name="Trainer",
        role="other",
        item=_child_item(setting),
        by=setting.ib,
        agreed_on=timezone.localdate(),
    )
    assert guest.agreed_by == who


def test_no_agreement_without_a_parent_with_authority_nor_after_the_meeting(setting):
    _today(setting.meeting, days_ago=1)
    item = _child_item(setting)  # the agenda of a meeting not yet recorded as held
    with pytest.raises(FieldRefused, match="Er is geen ouder met gezag van Sam vastgelegd"):
        add_guest(
            setting.meeting,
            name="Meester Bos",
            role="teacher",
            item=item,
            by=setting.ib,
            agreed_on=setting.meeting.scheduled_on,
        )
    add_guardian(setting.pupil, full_name="Maria Jansen")
    with pytest.raises(FieldRefused, match="De toestemming moet er zijn vóór de bespreking") as e:
        add_guest(
            setting.meeting,
            name="Meester Bos",
            role="teacher",
            item=item,
            by=setting.ib,
            agreed_on=timezone.localdate(),
        )
    assert e.value.field == "agreed_on"
    assert not MeetingGuest.objects.exists()


def test_a_general_item_or_a_meeting_without_children_needs_no_agreement(setting):
    _today(setting.meeting)
    general = add_general_item(setting.meeting, question="Inloopspreekuur", by=setting.ib)
    at_item = add_guest(
        setting.meeting, name="Buurtsportcoach", role="other", item=general, by=setting.ib
    )
    whole = add_guest(setting.meeting, name="Juf Anna", role="teacher", by=setting.ib)
    assert at_item.agreed_on is None and whole.item is None
    # With an outside guest for the whole meeting, no child comes on its agenda.
    with pytest.raises(MeetingError, match="als gast voor het hele overleg Juf Anna"):
        _child_item(setting)
    # A parent for the whole meeting does not block it (they are refused without their item).
    whole.delete()
    assert _child_item(setting).pupil == setting.pupil


def test_an_old_whole_meeting_outside_guest_stays_and_is_marked(setting, client_for):
    """Recorded before the rule: kept as it was, and said to be without a ground per child."""
    _today(setting.meeting)
    _child_item(setting)
    MeetingGuest.objects.create(meeting=setting.meeting, name="Wijkagent", role="other")
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Wijkagent (anders)" in page
    assert "zonder toestemming per kind; dat kan nu niet meer" in page
    pdf = _pdf_text(client.get(f"/overleggen/{setting.meeting.pk}/verslag.pdf").content)
    assert "Aanwezig bij het hele overleg (zonder toestemming per kind vastgelegd)" in pdf


def test_the_pupil_of_another_family_is_not_named_in_the_refusal(setting):
    """The refusal names who must agree for this item's child only."""
    _today(setting.meeting)
    other = PupilFactory(first_name="Noor", current_school=setting.school)
    give_consent(other, setting.ib)
    add_guardian(other, full_name="Ouder Noor")
    add_guardian(setting.pupil, full_name="Maria Jansen")
    item = _child_item(setting)
    place_on_agenda(setting.meeting, pupil=other, question="?", by=setting.ib)
    with pytest.raises(FieldRefused) as refused:
        add_guest(setting.meeting, name="Meester Bos", role="teacher", item=item, by=setting.ib)
    assert "Maria Jansen" in refused.value.message and "Ouder Noor" not in refused.value.message
