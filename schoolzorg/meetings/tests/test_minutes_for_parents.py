"""The parents get the minutes of their own child's item, never the whole meeting's."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.template.loader import render_to_string
from django.test.utils import ContextList
from django.utils import timezone

from conftest import assert_asks_to_confirm_first, pdf_text, two_digit_date, weekday
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.lib.dates import numeric
from schoolzorg.meetings.models import Attendance, MeetingGuest
from schoolzorg.meetings.services import (
    MeetingError,
    add_decision,
    add_general_item,
    add_guest,
    place_on_agenda,
    record_correction,
    save_minutes,
    send_for_correction,
)
from schoolzorg.meetings.tests.factories import give_consent
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _printed(response) -> str:
    """The page the PDF was made of: its template rendered again with the view's own context."""
    context = response.context
    first = context[0] if isinstance(context, ContextList) else context
    return render_to_string(response.templates[0].name, first.flatten())


def _meeting_with_two_families(setting):
    """Today's meeting: Sam (parent guest, reaction recorded), Hiba (her parent too), a general
    item, and the team's attendance."""
    meeting = setting.meeting
    meeting.scheduled_on = timezone.localdate()
    meeting.save(update_fields=["scheduled_on"])
    hiba = PupilFactory(first_name="Hiba", last_name="Haddou", current_school=setting.school)
    give_consent(hiba, setting.ib)
    items = {}
    for pupil, minutes, decision in (
        (setting.pupil, "Sam slaapt slecht.", "Gesprek met moeder over slapen"),
        (hiba, "Hiba mist haar vader.", "Verwijzing naar het wijkteam"),
    ):
        item = place_on_agenda(
            meeting, pupil=pupil, question=f"Hoe gaat het met {pupil.first_name}?", by=setting.ib
        )
        save_minutes(item, text=minutes, expected_version=0, by=setting.ib)
        add_decision(
            item,
            text=decision,
            domain="school",
            owner=setting.nurse,
            due_on=weekday(meeting.scheduled_on + dt.timedelta(days=14)),
            by=setting.ib,
            form_token=uuid.uuid4(),
        )
        guest = add_guest(
            meeting, name=f"Ouder van {pupil.first_name}", role="parent", item=item, by=setting.ib
        )
        items[pupil.first_name] = (item, guest)
    add_general_item(meeting, question="Rooster van het inloopspreekuur", by=setting.ib)
    member = setting.team.members.get(user=setting.nurse)
    Attendance.objects.create(meeting=meeting, member=member, status="present")
    sam_guest = items["Sam"][1]
    send_for_correction(sam_guest, by=setting.ib)
    record_correction(
        sam_guest,
        note="Hij slaapt pas sinds mei slecht.",
        received_on=timezone.localdate(),
        by=setting.ib,
    )
    return items


def test_the_parents_printout_holds_their_childs_item_only_and_is_logged_once(setting, client_for):
    items = _meeting_with_two_families(setting)
    sam_item, _ = items["Sam"]
    client = client_for(setting.ib)
    url = f"/overleggen/punt/{sam_item.pk}/verslag.pdf"
    assert_asks_to_confirm_first(client_for(setting.ib), url)

    before = AccessLogEntry.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    printed = _printed(response)
    # Sam's item: the question, the minutes, the decision and the parents' reaction.
    for text in (
        "Verslag over Sam Jansen",
        "Hoe gaat het met Sam?",
        "Sam slaapt slecht.",
        "Gesprek met moeder over slapen",
        "Hij slaapt pas sinds mei slecht.",
        "De Regenboog",
    ):
        assert text in printed, text
    # Nothing of the other family, the general item, or who else took part.
    for text in (
        "Hiba",
        "Haddou",
        "Verwijzing naar het wijkteam",
        "inloopspreekuur",
        "Ouder van Hiba",
        "Aanwezig",
        f"{sam_item.position}. Sam",
    ):
        assert text not in printed, text
    # One print entry, for Sam; none for Hiba.
    printed_entries = AccessLogEntry.objects.filter(user_id=setting.ib.pk, action="print")
    assert list(printed_entries.values_list("pupil_id", "detail")) == [
        (
            setting.pupil.pk,
            f"verslag voor ouders afgedrukt {numeric(setting.meeting.scheduled_on)}",
        )
    ]
    # And nothing else was logged as read by it.
    assert AccessLogEntry.objects.count() == before + 1


def test_the_working_screen_offers_each_parent_their_childs_printout(setting, client_for):
    items = _meeting_with_two_families(setting)
    body = client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    for name, (item, _guest) in items.items():
        link = (
            f'href="/overleggen/punt/{item.pk}/verslag.pdf">Verslag van punt {item.position} '
            f"voor Ouder van {name} afdrukken (PDF)</a>"
        )
        assert link in body, name
    assert "Agenda en verslag voor het team afdrukken (PDF)" in body
    assert "Geef ouders nooit het verslag van het hele overleg" in body


def test_a_parent_is_added_at_their_childs_item_not_the_whole_meeting(setting, client_for):
    setting.meeting.scheduled_on = timezone.localdate()
    setting.meeting.save(update_fields=["scheduled_on"])
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/gasten/",
        {"guest-name": "Moeder Jansen", "guest-role": "parent", "guest-item": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_guest-item_error"' in body and "Kies het punt over het kind." in body
    assert 'value="Moeder Jansen"' in body
    assert not MeetingGuest.objects.exists()
    # A teacher may come for the whole of a meeting without children on its agenda.
    add_guest(setting.meeting, name="Juf Anna", role="teacher", by=setting.ib)
    assert MeetingGuest.objects.get().item is None


def test_minutes_are_not_recorded_as_sent_to_a_parent_without_their_childs_item(setting):
    guest = MeetingGuest.objects.create(meeting=setting.meeting, name="Vader", role="parent")
    with pytest.raises(MeetingError, match="alleen het verslag van het punt over hun kind"):
        send_for_correction(guest, by=setting.ib)
    guest.refresh_from_db()
    assert guest.sent_for_correction_on is None


def test_no_parents_printout_of_an_item_without_consent_or_without_a_pupil(setting, client_for):
    from schoolzorg.consent.models import Consent

    items = _meeting_with_two_families(setting)
    sam_item, _ = items["Sam"]
    general = setting.meeting.items.get(pupil__isnull=True)
    Consent.objects.filter(pupil=setting.pupil).update(withdrawn_on=timezone.localdate())
    client = client_for(setting.ib)
    response = client.get(f"/overleggen/punt/{sam_item.pk}/verslag.pdf", follow=True)
    assert response.redirect_chain[0][0] == f"/overleggen/{setting.meeting.pk}/#gasten"
    assert "kunt u het verslag van dit punt niet afdrukken" in response.content.decode()
    assert not AccessLogEntry.objects.filter(pupil_id=setting.pupil.pk, action="print").exists()
    assert client.get(f"/overleggen/punt/{general.pk}/verslag.pdf").status_code == 404


def test_outsider_and_teacher_cannot_print_a_parents_printout(setting, client_for, member):
    from schoolzorg.accounts.roles import Role

    items = _meeting_with_two_families(setting)
    url = f"/overleggen/punt/{items['Sam'][0].pk}/verslag.pdf"
    teacher = member(Role.TEACHER, setting.school, group=setting.pupil.current_group)
    for user in (setting.outsider, teacher):
        assert client_for(user).get(url).status_code == 404
    assert not AccessLogEntry.objects.filter(action="print").exists()


def test_the_printouts_keep_dates_and_words_whole(setting, client_for):
    items = _meeting_with_two_families(setting)
    sam_item, _ = items["Sam"]
    due_on = two_digit_date(setting.meeting.scheduled_on)
    while due_on != weekday(due_on):  # a school day, and still the longest date
        due_on = two_digit_date(due_on)
    add_decision(
        sam_item,
        text="Gesprek met moeder over het ochtendritme",
        domain="school_social_work",
        owner=setting.nurse,
        due_on=due_on,
        by=setting.ib,
        form_token=uuid.uuid4(),
    )
    client = client_for(setting.ib)
    for url in (
        f"/overleggen/punt/{sam_item.pk}/verslag.pdf",
        f"/overleggen/{setting.meeting.pk}/verslag.pdf",
    ):
        text = pdf_text(client.get(url).content)
        assert f"{due_on:%-d-%-m-%Y}" in text, url
        for word in ("Schoolmaatschappelijk", "ochtendritme", "Klaar op"):
            assert word in text, (url, word)
