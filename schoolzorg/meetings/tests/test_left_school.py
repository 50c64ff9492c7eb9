"""A care meeting's items are its school's file (ADR 0701, "A case follows its school"), and
what is written into an item needs a ground on the day it is written.

- A pupil who left the school: on a meeting still to come the coordinator sees the item flagged
  and takes it off; on a held meeting the item is read-only history for the school's support
  coordinator (the custodian); nobody else reaches it through the pupil.
- A consent withdrawn after the meeting day: what exists stays, nothing new is added.
- Minutes sent to the parents for correction keep the text and version they got.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.meetings.models import AgendaItem, CareMeeting, Decision, MeetingGuest
from schoolzorg.meetings.services import (
    FieldRefused,
    MeetingError,
    add_decision,
    add_guest,
    move_meeting,
    place_on_agenda,
    save_minutes,
    send_for_correction,
)
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.plans.models import Action
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.services import enrol_pupil

pytestmark = pytest.mark.django_db


def _place(setting):
    return place_on_agenda(
        setting.meeting, pupil=setting.pupil, question="Wat helpt?", by=setting.ib
    )


def _today(meeting):
    meeting.scheduled_on = timezone.localdate()
    meeting.save(update_fields=["scheduled_on"])


def _leave(setting):
    """Sam changes school from today, as the pupil import records it."""
    enrol_pupil(setting.pupil, SchoolFactory(name="De Notenkraker"), on=timezone.localdate())


def _decide(item, by):
    return add_decision(
        item,
        text="Gesprek met moeder",
        domain="school",
        owner=by,
        due_on=weekday(item.meeting.scheduled_on + dt.timedelta(days=14)),
        by=by,
        form_token=uuid.uuid4(),
    )


def _held_with_minutes(setting):
    """Sam discussed today: minutes and a decision by the coordinator, the meeting held."""
    _today(setting.meeting)
    item = _place(setting)
    save_minutes(item, text="Sam slaapt slecht.", expected_version=0, by=setting.ib)
    _decide(item, setting.ib)
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    return item


def _nurse_owns_a_plan_action(setting):
    """The nurse keeps Sam's file after the move through an open action in Sam's plan."""
    from schoolzorg.plans.services import add_action, start_plan

    part = start_plan(setting.pupil, by=setting.ib)
    add_action(
        part,
        description="Huisbezoek",
        domain="other",
        owner=setting.nurse,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=21)),
        by=setting.ib,
    )


def test_a_pupil_who_left_is_flagged_on_a_coming_meeting_and_the_coordinator_takes_it_off(
    setting, client_for
):
    item = _place(setting)
    _leave(setting)
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Sam staat niet meer ingeschreven op deze school" in body
    # Nothing more of the child than the name: no question, no forms.
    assert "Wat helpt?" not in body and "Jansen" not in body
    assert "niet mag zien" not in body
    assert f'action="/overleggen/punt/{item.pk}/verslag/"' not in body
    entry = AccessLogEntry.objects.get(pupil_id=setting.pupil.pk, action="view")
    assert entry.basis == "school_file"
    agenda = client.get(f"/overleggen/{setting.meeting.pk}/agenda/").content.decode()
    assert "staat niet meer ingeschreven op deze school" in agenda
    assert f'action="/overleggen/punt/{item.pk}/verwijderen/"' in agenda
    assert client.post(f"/overleggen/punt/{item.pk}/verwijderen/").status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_who_sees_the_pupil_through_the_plan_cannot_read_or_write_the_old_schools_item(
    setting, client_for
):
    item = _held_with_minutes(setting)
    _nurse_owns_a_plan_action(setting)
    _leave(setting)
    # The nurse still opens Sam's file (the plan follows the child) ...
    assert Pupil.objects.visible_to(setting.nurse, full_only=True).filter(pk=setting.pupil.pk)
    client = client_for(setting.nurse)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    # ... but not the school's minutes about Sam.
    assert "Sam" not in body and "slaapt slecht" not in body
    assert "1 punt over leerlingen die u niet mag zien" in body
    minutes = client.post(
        f"/overleggen/punt/{item.pk}/verslag/",
        {f"m{item.pk}-minutes": "Aanvulling", f"m{item.pk}-version": 1},
    )
    assert minutes.status_code == 404
    decision = client.post(
        f"/overleggen/punt/{item.pk}/besluit/",
        {
            f"d{item.pk}-text": "Wijkteam belt nieuwe school",
            f"d{item.pk}-domain": "other",
            f"d{item.pk}-owner": setting.nurse.pk,
            f"d{item.pk}-due_on": weekday(timezone.localdate() + dt.timedelta(days=7)).isoformat(),
            f"d{item.pk}-form_token": str(uuid.uuid4()),
        },
    )
    assert decision.status_code == 404
    item.refresh_from_db()
    assert item.minutes == "Sam slaapt slecht." and Decision.objects.count() == 1
    assert not AccessLogEntry.objects.filter(
        pupil_id=setting.pupil.pk, user_id=setting.nurse.pk, action="view"
    ).exists()


def test_the_custodian_reads_and_prints_a_held_item_of_a_pupil_who_left_but_adds_nothing(
    setting, client_for, monkeypatch
):
    from django.template.loader import render_to_string

    from schoolzorg.meetings import pdf

    item = _held_with_minutes(setting)
    _leave(setting)
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Sam Jansen" in body and "Sam slaapt slecht." in body and "Gesprek met moeder" in body
    assert "Sam staat niet meer ingeschreven op deze school" in body
    assert "niet mag zien" not in body
    assert f'action="/overleggen/punt/{item.pk}/verslag/"' not in body
    assert f'action="/overleggen/punt/{item.pk}/besluit/"' not in body
    assert f'<option value="{item.pk}"' not in body  # no guest can be linked to it
    read = AccessLogEntry.objects.get(pupil_id=setting.pupil.pk, action="view")
    assert read.basis == "school_file" and read.user_id == setting.ib.pk

    printed: list[str] = []

    def fake_pdf(meeting, *, items, context):
        printed.append(render_to_string("meetings/print.html", {**context, "items": items}))
        return b"%PDF-fake"

    monkeypatch.setattr(pdf, "minutes_pdf", fake_pdf)
    assert client.get(f"/overleggen/{setting.meeting.pk}/verslag.pdf").status_code == 200
    assert "Sam slaapt slecht." in printed[0] and "mag die leerling niet zien" not in printed[0]
    assert AccessLogEntry.objects.get(pupil_id=setting.pupil.pk, action="print").basis == (
        "school_file"
    )

    minutes = client.post(
        f"/overleggen/punt/{item.pk}/verslag/",
        {f"m{item.pk}-minutes": "Aanvulling", f"m{item.pk}-version": item.minutes_version},
    )
    assert minutes.status_code == 409
    assert "staat niet meer ingeschreven op De Regenboog" in minutes.content.decode()
    with pytest.raises(MeetingError, match="niet meer ingeschreven"):
        _decide(item, setting.ib)
    with pytest.raises(FieldRefused, match="niet meer ingeschreven"):
        add_guest(setting.meeting, name="Moeder", role="parent", by=setting.ib, item=item)
    item.refresh_from_db()
    assert item.minutes == "Sam slaapt slecht." and Decision.objects.count() == 1
    assert Action.objects.count() == 1  # the decision of the meeting day, no new one


def test_after_a_withdrawal_a_meeting_held_before_takes_no_minutes_decisions_or_guests(
    setting, client_for
):
    from schoolzorg.consent.models import Consent
    from schoolzorg.consent.services import withdraw_consent

    _today(setting.meeting)
    item = _place(setting)
    save_minutes(item, text="Sam verzuimt.", expected_version=0, by=setting.ib)
    # The meeting was yesterday; the parents withdraw the consent today.
    CareMeeting.objects.filter(pk=setting.meeting.pk).update(
        scheduled_on=timezone.localdate() - dt.timedelta(days=1)
    )
    setting.meeting.refresh_from_db()
    consent = Consent.objects.get(pupil=setting.pupil)
    withdraw_consent(consent, by=setting.ib, on=timezone.localdate(), reason="Moeder wil niet")
    item.refresh_from_db()
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    # What exists stays, for who still sees Sam by the school's own role ...
    assert "Sam verzuimt." in body and "geldt niet meer" in body
    # ... without a form to add to it.
    assert f'action="/overleggen/punt/{item.pk}/verslag/"' not in body
    assert f'action="/overleggen/punt/{item.pk}/besluit/"' not in body
    minutes = client.post(
        f"/overleggen/punt/{item.pk}/verslag/",
        {f"m{item.pk}-minutes": "Leerplicht erbij", f"m{item.pk}-version": item.minutes_version},
    )
    assert minutes.status_code == 409
    assert "geldt vandaag" in minutes.content.decode()
    with pytest.raises(MeetingError, match="ingetrokken of verlopen"):
        _decide(item, setting.ib)
    with pytest.raises(FieldRefused, match="ingetrokken of verlopen"):
        add_guest(setting.meeting, name="Naima Smits", role="parent", by=setting.ib, item=item)
    item.refresh_from_db()
    assert item.minutes == "Sam verzuimt."
    assert not Decision.objects.exists() and not Action.objects.exists()
    assert not MeetingGuest.objects.exists()


def test_minutes_changed_after_they_went_to_the_parents_say_so_and_keep_what_was_sent(
    setting, client_for
):
    _today(setting.meeting)
    item = _place(setting)
    item = save_minutes(item, text="Eerste tekst.", expected_version=0, by=setting.ib)
    guest = add_guest(setting.meeting, name="Vader Jansen", role="parent", by=setting.ib, item=item)
    send_for_correction(guest, by=setting.ib)
    guest.refresh_from_db()
    assert guest.sent_minutes == "Eerste tekst." and guest.sent_minutes_version == 1
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    # Before a change: the form warns that the parents have this text.
    assert "Dit verslag is op" in body and "om na te kijken naar Vader Jansen gestuurd" in body
    assert "verslag versie 1 om na te kijken gestuurd op" in body
    save_minutes(item, text="Na versturen gewijzigd.", expected_version=1, by=setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Vader Jansen kreeg op" in body and "een eerdere versie van dit verslag" in body
    assert "Eerste tekst." in body  # what the parents got, to compare with their reaction
