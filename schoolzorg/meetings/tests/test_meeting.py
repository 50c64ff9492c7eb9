from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from conftest import assert_asks_to_confirm_first, weekday
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases.models import CaseEvent
from schoolzorg.cases.services import register_concern
from schoolzorg.meetings.ics import meeting_ics
from schoolzorg.meetings.models import AgendaItem, CareMeeting, Decision, GuestRole, MeetingGuest
from schoolzorg.meetings.services import (
    MeetingError,
    StaleState,
    add_decision,
    move_meeting,
    place_on_agenda,
    save_minutes,
)
from schoolzorg.meetings.tests.factories import give_consent
from schoolzorg.plans.models import Action
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _item(setting, with_case=True):
    case = None
    if with_case:
        case = register_concern(
            setting.pupil, category="absence", description="Vaak afwezig", by=setting.ib
        )
    return place_on_agenda(
        setting.meeting, pupil=setting.pupil, question="Wat helpt?", by=setting.ib, case=case
    )


def _decision_data(item, setting, token=None):
    p = f"d{item.pk}-"
    return {
        p + "text": "Gesprek met moeder over ochtendritme",
        p + "domain": "school_social_work",
        p + "owner": setting.ib.pk,
        p + "due_on": weekday(setting.meeting.scheduled_on + dt.timedelta(days=14)).isoformat(),
        p + "form_token": str(token or uuid.uuid4()),
    }


def _today(meeting):
    """The meeting is today: it can be held, and minutes, decisions, attendance and guests can
    be recorded (`setting` plans it a week ahead, when only the agenda can be made)."""
    meeting.scheduled_on = timezone.localdate()
    meeting.save(update_fields=["scheduled_on"])


def test_decision_of_only_invisible_characters_makes_no_plan_action(setting):
    _today(setting.meeting)
    item = _item(setting)
    with pytest.raises(MeetingError, match="Beschrijf wat er is besloten"):
        add_decision(
            item,
            text="\u200b\u200b",
            domain="school_social_work",
            owner=setting.nurse,
            due_on=weekday(setting.meeting.scheduled_on + dt.timedelta(days=14)),
            by=setting.ib,
            form_token=uuid.uuid4(),
        )
    assert not Decision.objects.exists() and not Action.objects.exists()


def test_a_decision_text_that_shows_nothing_is_refused_at_the_field(setting, client_for):
    _today(setting.meeting)
    item = _item(setting)
    data = _decision_data(item, setting)
    data[f"d{item.pk}-text"] = "\u200b \u200b"
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data)
    assert response.status_code == 400  # the form's own message, not the service's 409
    assert "Beschrijf wat er is besloten." in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_becomes_plan_action_and_case_event(setting):
    _today(setting.meeting)
    item = _item(setting)
    decision, created = add_decision(
        item,
        text="Gesprek met moeder",
        domain="school_social_work",
        owner=setting.nurse,
        due_on=weekday(setting.meeting.scheduled_on + dt.timedelta(days=14)),
        by=setting.ib,
        form_token=uuid.uuid4(),
    )
    assert created
    action = Action.objects.get()
    assert decision.plan_action == action
    assert (action.description, action.owner, action.part.pupil) == (
        "Gesprek met moeder",
        setting.nurse,
        setting.pupil,
    )
    assert action.source.startswith("Onderwijszorgoverleg")
    assert CaseEvent.objects.filter(
        case=item.case, kind="meeting_decision", text__contains="Gesprek met moeder"
    ).exists()


def test_who_is_to_act_has_one_name_on_the_forms_the_plan_and_the_timeline(setting, client_for):
    """Tester Q6: 'Domein' on the forms, 'leefgebied' on the timeline, 'Van' in the PDF."""
    _today(setting.meeting)
    item = _item(setting)
    client = client_for(setting.ib)
    meeting_page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Wie is aan zet?" in meeting_page and "Domein" not in meeting_page
    assert (
        client.post(
            f"/overleggen/punt/{item.pk}/besluit/", _decision_data(item, setting)
        ).status_code
        == 302
    )

    timeline = " ".join(CaseEvent.objects.filter(case=item.case).values_list("text", flat=True))
    assert "Nieuwe actie (aan zet: schoolmaatschappelijk werk): Gesprek met moeder" in timeline
    assert "leefgebied" not in timeline
    assert (
        "(aan zet: schoolmaatschappelijk werk)"
        in client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    )
    plan_page = client.get(f"/plannen/{Action.objects.get().part.plan_id}/").content.decode()
    assert '<th scope="col">Aan zet</th>' in plan_page and "Wie is aan zet?" in plan_page
    assert "Domein" not in plan_page and "domein" not in plan_page


def test_same_decision_form_sent_twice_makes_one_action(setting, client_for):
    _today(setting.meeting)
    item = _item(setting)
    client = client_for(setting.ib)
    data = _decision_data(item, setting)
    first = client.post(f"/overleggen/punt/{item.pk}/besluit/", data)
    second = client.post(f"/overleggen/punt/{item.pk}/besluit/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert Decision.objects.count() == 1
    assert Action.objects.count() == 1


def test_decision_on_a_closed_meeting_is_refused_and_input_kept(setting, client_for):
    _today(setting.meeting)
    item = _item(setting)
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    move_meeting(setting.meeting, move="close", by=setting.ib, expected="held")
    response = client_for(setting.ib).post(
        f"/overleggen/punt/{item.pk}/besluit/", _decision_data(item, setting)
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "al vastgesteld" in body
    assert not Decision.objects.exists()


def test_decision_with_htmx_returns_only_the_item(setting, client_for):
    _today(setting.meeting)
    item = _item(setting)
    response = client_for(setting.ib).post(
        f"/overleggen/punt/{item.pk}/besluit/",
        _decision_data(item, setting),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<article")
    assert "Gesprek met moeder over ochtendritme" in body


def test_bad_decision_input_gets_dutch_message(setting, client_for):
    _today(setting.meeting)
    item = _item(setting)
    data = _decision_data(item, setting)
    data[f"d{item.pk}-due_on"] = "morgen"
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een geldige datum in." in body
    assert "Gesprek met moeder over ochtendritme" in body
    # The working screen shown again shows the pupils again: logged as a read, like the first.
    assert AccessLogEntry.objects.filter(
        user_id=setting.ib.pk,
        pupil_id=item.pupil_id,
        action="view",
        detail__startswith="zorgoverleg",
    ).exists()


def test_minutes_from_a_stale_screen_are_refused_not_overwritten(setting, client_for):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    save_minutes(item, text="Versie van collega", expected_version=0, by=setting.nurse)
    response = client_for(setting.ib).post(
        f"/overleggen/punt/{item.pk}/verslag/",
        {f"m{item.pk}-minutes": "Mijn versie", f"m{item.pk}-version": 0},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mijn versie" in body and "intussen opgeslagen" in body
    item.refresh_from_db()
    assert item.minutes == "Versie van collega"
    with pytest.raises(StaleState):
        save_minutes(item, text="x", expected_version=0, by=setting.ib)


def test_stale_move_is_refused(setting):
    _today(setting.meeting)
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    with pytest.raises(StaleState):
        move_meeting(setting.meeting, move="cancel", by=setting.ib, expected="planned")


def test_ics_has_utc_times_and_no_pupil_names(setting):
    _item(setting, with_case=False)
    text = meeting_ics(setting.meeting, url="https://schoolzorg.example/overleggen/1/")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "\r\nEND:VCALENDAR\r\n" in text
    start = timezone.make_aware(dt.datetime.combine(setting.meeting.scheduled_on, dt.time(13, 30)))
    assert f"DTSTART:{start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "Onderwijszorgoverleg De Regenboog" in text
    assert "Sam" not in text and "Jansen" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_ics_download(setting, client_for):
    response = client_for(setting.nurse).get(f"/overleggen/{setting.meeting.pk}/uitnodiging.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_pdf_is_generated_and_print_is_logged_per_pupil(setting, client_for):
    _item(setting, with_case=False)
    response = client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/verslag.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(pupil_id=setting.pupil.pk, action="print").count() == 1
    url = f"/overleggen/{setting.meeting.pk}/verslag.pdf"
    assert_asks_to_confirm_first(client_for(setting.ib), url)


def test_working_screen_logs_each_pupil_and_is_not_cached(setting, client_for):
    _item(setting, with_case=False)
    response = client_for(setting.nurse).get(f"/overleggen/{setting.meeting.pk}/")
    assert response.status_code == 200
    assert "Sam Jansen" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert AccessLogEntry.objects.filter(
        pupil_id=setting.pupil.pk, action="view", user_id=setting.nurse.pk
    ).exists()


def test_item_of_pupil_whose_consent_ended_is_hidden_from_the_nurse(setting, client_for):
    other = PupilFactory(first_name="Geheim", current_school=setting.school)
    consent = give_consent(other, setting.ib)
    place_on_agenda(setting.meeting, pupil=other, question="?", by=setting.ib)
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    body = client_for(setting.nurse).get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Geheim" not in body
    assert "1 punt over leerlingen die u niet mag zien" in body


def test_the_reminders_for_minutes_sent_to_parents_tell_each_item_apart(setting):
    """WCAG 2.4.4: on 'Meldingen' the text is the link; it names the item's number, the
    meeting's day and the school (not the child), in plain words ("om na te kijken")."""
    from schoolzorg.lib.dates import numeric
    from schoolzorg.meetings.services import add_guest, send_for_correction

    _today(setting.meeting)
    first = _item(setting, with_case=False)
    other = PupilFactory(first_name="Noor", last_name="Bakker", current_school=setting.school)
    give_consent(other, setting.ib)
    second = place_on_agenda(setting.meeting, pupil=other, question="Wat nu?", by=setting.ib)
    for item, name, role in ((first, "Moeder Jansen", "parent"), (second, "Noor", "pupil")):
        guest = add_guest(setting.meeting, name=name, role=role, by=setting.ib, item=item)
        send_for_correction(guest, by=setting.ib)
    day = numeric(setting.meeting.scheduled_on)
    texts = list(setting.ib.notifications.order_by("pk").values_list("text", flat=True))
    assert texts == [
        f"Het verslag van punt {first.position} van het overleg van {day} op De Regenboog is "
        "om na te kijken naar de ouders gestuurd. Leg de reactie vast in Schoolzorg.",
        f"Het verslag van punt {second.position} van het overleg van {day} op De Regenboog is "
        "om na te kijken naar de leerling gestuurd. Leg de reactie vast in Schoolzorg.",
    ]


def test_parent_guest_minutes_sent_for_correction_and_reply_recorded(setting, client_for):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    client = client_for(setting.ib)
    client.post(
        f"/overleggen/{setting.meeting.pk}/gasten/",
        {"guest-name": "Moeder Jansen", "guest-role": "parent", "guest-item": item.pk},
    )
    guest = MeetingGuest.objects.get()
    assert guest.role == GuestRole.PARENT
    client.post(f"/overleggen/gast/{guest.pk}/ter-correctie/")
    guest.refresh_from_db()
    assert guest.sent_for_correction_on == timezone.localdate()
    assert setting.ib.notifications.exists() or setting.nurse.notifications.count() == 0
    client.post(
        f"/overleggen/gast/{guest.pk}/reactie/",
        {"note": "Het was dinsdag, niet maandag.", "received_on": timezone.localdate().isoformat()},
    )
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Het was dinsdag, niet maandag." in body


def test_attendance_is_recorded(setting, client_for):
    _today(setting.meeting)
    member = setting.team.members.get(user=setting.nurse)
    client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/aanwezigheid/", {f"status_{member.pk}": "excused"}
    )
    assert setting.meeting.attendance.get(member=member).status == "excused"


def test_attendance_with_a_member_id_beyond_any_id_saves_the_rest_and_says_so(setting, client_for):
    _today(setting.meeting)
    member = setting.team.members.get(user=setting.nurse)
    client = client_for(setting.ib)
    client.raise_request_exception = False
    response = client.post(
        f"/overleggen/{setting.meeting.pk}/aanwezigheid/",
        {f"status_{member.pk}": "present", "status_99999999999999999999": "present"},
        follow=True,
    )
    assert response.status_code == 200
    assert "hoorde niet bij een teamlid" in response.content.decode()
    assert setting.meeting.attendance.get(member=member).status == "present"


@pytest.mark.parametrize("count", [1, 20])
def test_working_screen_and_list_have_a_fixed_number_of_queries(
    setting, client_for, django_assert_max_num_queries, count
):
    _today(setting.meeting)
    for n in range(count):
        pupil = PupilFactory(first_name=f"Kind{n}", current_school=setting.school)
        give_consent(pupil, setting.ib)
        item = place_on_agenda(setting.meeting, pupil=pupil, question="?", by=setting.ib)
        add_decision(
            item,
            text="Actie",
            domain="school",
            owner=setting.ib,
            due_on=weekday(setting.meeting.scheduled_on),
            by=setting.ib,
            form_token=uuid.uuid4(),
        )
    client = client_for(setting.ib)
    client.get("/overleggen/")
    with django_assert_max_num_queries(30):
        assert client.get(f"/overleggen/{setting.meeting.pk}/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/overleggen/{setting.meeting.pk}/agenda/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/overleggen/").status_code == 200


def test_outsider_gets_404_on_every_meeting_view(setting, client_for):
    item = _item(setting)
    guest = MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="Moeder", role="parent"
    )
    client = client_for(setting.outsider)
    m, t, i, g = setting.meeting.pk, setting.team.pk, item.pk, guest.pk
    gets = [
        f"/overleggen/{m}/",
        f"/overleggen/{m}/agenda/",
        f"/overleggen/{m}/uitnodiging.ics",
        f"/overleggen/{m}/verslag.pdf",
        f"/overleggen/team/{t}/ritme/",
        f"/overleggen/team/{t}/nieuw/",
        f"/overleggen/gast/{g}/reactie/",
    ]
    posts = [
        f"/overleggen/{m}/agenda/plaatsen/",
        f"/overleggen/{m}/agenda/punt/",
        f"/overleggen/{m}/aanwezigheid/",
        f"/overleggen/{m}/gasten/",
        f"/overleggen/{m}/stap/",
        f"/overleggen/punt/{i}/verslag/",
        f"/overleggen/punt/{i}/besluit/",
        f"/overleggen/punt/{i}/verwijderen/",
        f"/overleggen/gast/{g}/ter-correctie/",
        f"/overleggen/gast/{g}/reactie/",
        f"/overleggen/gast/{g}/verwijderen/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    assert "De Regenboog" not in client.get("/overleggen/").content.decode()
    assert AgendaItem.objects.count() == 1 and not Decision.objects.exists()
    assert not AccessLogEntry.objects.filter(user_id=setting.outsider.pk).exists()


def test_teacher_of_the_school_cannot_open_meetings(setting, client_for, member):
    from schoolzorg.accounts.roles import Role

    teacher = member(Role.TEACHER, setting.school, group=setting.pupil.current_group)
    assert client_for(teacher).get(f"/overleggen/{setting.meeting.pk}/").status_code == 404


def _withdrawn_item(setting, *, minutes=""):
    """Sam on the agenda with minutes, then the parents withdraw the consent today."""
    from schoolzorg.consent.models import Consent
    from schoolzorg.consent.services import withdraw_consent

    item = _item(setting, with_case=False)
    if minutes:
        save_minutes(item, text=minutes, expected_version=0, by=setting.ib)
    consent = Consent.objects.get(pupil=setting.pupil)
    withdraw_consent(consent, by=setting.ib, on=timezone.localdate(), reason="Ouders willen niet")
    item.refresh_from_db()
    return item


def test_item_whose_consent_was_withdrawn_is_shown_without_the_child(setting, client_for):
    _today(setting.meeting)
    item = _withdrawn_item(setting, minutes="Sam komt vaak te laat")
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert f'id="punt-{item.pk}"' in body and "Geen toestemming meer" in body
    assert "Sam" not in body and "Jansen" not in body and "Wat helpt?" not in body
    assert f'action="/overleggen/punt/{item.pk}/verslag/"' not in body
    assert f'<option value="{item.pk}"' not in body  # no guest can be linked to it
    assert not AccessLogEntry.objects.filter(pupil_id=setting.pupil.pk, action="view").exists()


def test_minutes_and_decisions_for_an_item_without_consent_are_refused(setting, client_for):
    from schoolzorg.plans.models import IntegralPlan

    item = _withdrawn_item(setting)
    client = client_for(setting.ib)
    minutes = client.post(
        f"/overleggen/punt/{item.pk}/verslag/",
        {f"m{item.pk}-minutes": "Toch besproken", f"m{item.pk}-version": item.minutes_version},
    )
    assert minutes.status_code == 409
    assert "geen geldige toestemming (meer)" in minutes.content.decode()
    decision = client.post(f"/overleggen/punt/{item.pk}/besluit/", _decision_data(item, setting))
    assert decision.status_code == 409
    assert "Het besluit is niet opgeslagen." in decision.content.decode()
    item.refresh_from_db()
    assert item.minutes == ""
    assert not Decision.objects.exists() and not Action.objects.exists()
    assert not IntegralPlan.objects.exists()


def test_minutes_pdf_leaves_out_an_item_without_consent(setting, client_for, monkeypatch):
    _today(setting.meeting)
    from django.template.loader import render_to_string

    from schoolzorg.meetings import pdf

    _withdrawn_item(setting, minutes="Sam komt vaak te laat")
    printed: list[str] = []

    def fake_pdf(meeting, *, items, context):
        printed.append(render_to_string("meetings/print.html", {**context, "items": items}))
        return b"%PDF-fake"

    monkeypatch.setattr(pdf, "minutes_pdf", fake_pdf)
    response = client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/verslag.pdf")
    assert response.status_code == 200
    assert "Geen toestemming meer" in printed[0]
    assert "Sam" not in printed[0] and "vaak te laat" not in printed[0]
    assert not AccessLogEntry.objects.filter(pupil_id=setting.pupil.pk, action="print").exists()


def test_coordinator_sees_the_item_without_consent_in_the_builder_and_takes_it_off(
    setting, client_for
):
    _today(setting.meeting)
    item = _withdrawn_item(setting, minutes="Sam komt vaak te laat")
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/agenda/").content.decode()
    assert "geen toestemming meer" in body
    assert f'action="/overleggen/punt/{item.pk}/verwijderen/"' in body
    client.post(f"/overleggen/punt/{item.pk}/verwijderen/")
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_item_without_consent_can_be_taken_off_after_the_meeting_but_not_with_decisions(setting):
    from schoolzorg.meetings.services import MeetingError, remove_from_agenda

    _today(setting.meeting)
    item = _withdrawn_item(setting)
    Decision.objects.create(
        item=item,
        text="x",
        domain="school",
        owner=setting.ib,
        due_on=weekday(setting.meeting.scheduled_on),
        created_by=setting.ib,
        form_token=uuid.uuid4(),
    )
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    with pytest.raises(MeetingError, match="al besluiten"):
        remove_from_agenda(item, by=setting.ib)
    Decision.objects.all().delete()
    remove_from_agenda(item, by=setting.ib)
    assert not AgendaItem.objects.exists()


def test_consent_ended_after_the_meeting_day_keeps_the_item(setting):
    from schoolzorg.consent.models import Consent
    from schoolzorg.meetings.models import CareMeeting

    item = _item(setting, with_case=False)
    day = setting.meeting.scheduled_on
    Consent.objects.filter(pupil=setting.pupil).update(valid_until=day)
    assert CareMeeting.objects.get().items.discussable().get() == item
    Consent.objects.filter(pupil=setting.pupil).update(valid_until=day - dt.timedelta(days=1))
    assert not CareMeeting.objects.get().items.discussable().exists()
    general = AgendaItem.objects.create(meeting=setting.meeting, question="Inloop", position=9)
    assert list(CareMeeting.objects.get().items.discussable()) == [general]


def test_a_meeting_cannot_be_held_before_its_day(setting, client_for):
    from schoolzorg.meetings.services import MeetingError

    with pytest.raises(MeetingError, match="pas op"):
        move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert 'value="hold"' not in body and 'value="cancel"' in body
    response = client.post(
        f"/overleggen/{setting.meeting.pk}/stap/",
        {"move": "hold", "expected": "planned"},
        follow=True,
    )
    assert "als gehouden vastleggen" in response.content.decode()
    setting.meeting.refresh_from_db()
    assert setting.meeting.state == "planned"


@pytest.mark.parametrize("day", ["1800-01-01", "9999-12-31", "later"])
def test_meeting_date_far_from_today_is_refused_at_the_field(setting, client_for, day):
    if day == "later":
        day = (timezone.localdate() + dt.timedelta(days=401)).isoformat()
    data = {"scheduled_on": day, "start_time": "13:30", "end_time": "15:00", "location": "Aula"}
    response = client_for(setting.ib).post(f"/overleggen/team/{setting.team.pk}/nieuw/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_scheduled_on_error"' in body and "Aula" in body
    assert "te ver terug" in body or "hooguit ruim een schooljaar" in body
    assert setting.team.meetings.count() == 1


def test_decision_due_far_ahead_is_refused_at_the_field(setting, client_for):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    data = _decision_data(item, setting)
    data[f"d{item.pk}-due_on"] = "9999-12-31"
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "te ver vooruit" in body and "Gesprek met moeder over ochtendritme" in body
    assert not Decision.objects.exists()


def test_general_item_too_long_says_so_and_keeps_the_text(setting, client_for):
    text = "Afspraken over het inloopspreekuur " + "x" * 500
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/agenda/punt/", {"question": text}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Schrijf hooguit 500 tekens" in body and text in body
    assert 'id="id_algemeen_question_error"' in body
    assert not AgendaItem.objects.exists()


def _token(page, name):
    """The hidden token the page drew with the form ("" when the form has none)."""
    found = re.search(f'name="{name}" value="([^"]*)"', page.content.decode())
    return found.group(1) if found else ""


def test_the_same_general_item_form_sent_twice_adds_one_item(setting, client_for):
    client = client_for(setting.ib)
    agenda = f"/overleggen/{setting.meeting.pk}/agenda/"
    form = {"form_token": _token(client.get(agenda), "form_token"), "question": "Rondvraag"}
    assert client.post(agenda + "punt/", form).status_code == 302
    second = client.post(agenda + "punt/", form, follow=True)
    assert "Het agendapunt is toegevoegd." in second.content.decode()
    assert AgendaItem.objects.filter(meeting=setting.meeting, question="Rondvraag").count() == 1
    # A form drawn anew is a new item.
    form["form_token"] = _token(client.get(agenda), "form_token")
    assert client.post(agenda + "punt/", form).status_code == 302
    assert AgendaItem.objects.filter(meeting=setting.meeting).count() == 2


def test_the_same_guest_form_sent_twice_adds_one_guest(setting, client_for):
    from schoolzorg.pupils.tests.factories import add_guardian

    _today(setting.meeting)
    add_guardian(setting.pupil, full_name="Maria Jansen")
    item = _item(setting, with_case=False)
    client = client_for(setting.ib)
    url = f"/overleggen/{setting.meeting.pk}/"
    form = {
        "guest-form_token": _token(client.get(url), "guest-form_token"),
        "guest-name": "Oma Jansen",
        "guest-role": "other",
        "guest-item": item.pk,
        # Not a parent: at the child's item with the agreement of the parent with authority.
        "guest-agreed": "on",
        "guest-agreed_on": timezone.localdate().isoformat(),
    }
    assert client.post(url + "gasten/", form).status_code == 302
    second = client.post(url + "gasten/", form, follow=True)
    assert "De gast is toegevoegd." in second.content.decode()
    assert MeetingGuest.objects.filter(meeting=setting.meeting).count() == 1
    assert second.content.decode().count("Oma Jansen (anders, bij punt 1)") == 1


def test_a_guest_is_taken_off_while_the_minutes_are_a_draft_and_a_second_click_says_so(
    setting, client_for
):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    guest = MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="DUBBELGAST Oma", role="other"
    )
    kept = MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="Oma Jansen", role="other"
    )
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/")
    url = f"/overleggen/gast/{guest.pk}/verwijderen/"
    assert f'action="{url}"' in page.content.decode()
    form = {"shown_on": _token(page, "shown_on")}  # the first remove button: this guest's
    response = client.post(url, form, follow=True)
    assert "DUBBELGAST Oma staat niet meer bij de gasten." in response.content.decode()
    assert list(MeetingGuest.objects.all()) == [kept]
    # The second of two clicks (or another tab) finds the guest gone: a message, not a 404.
    again = client.post(url, form, follow=True)
    assert again.status_code == 200
    assert "Deze gast stond al niet meer in de lijst." in again.content.decode()
    # Without what the page showed, a guest that is gone is simply not found.
    assert client.post(url, {"shown_on": "x"}).status_code == 404


def test_a_guest_stays_once_the_minutes_are_fixed_or_were_sent_to_them(setting, client_for):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    parent = MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="Moeder Jansen", role="parent"
    )
    other = MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="Juf Anna", role="teacher"
    )
    client = client_for(setting.ib)
    client.post(f"/overleggen/gast/{parent.pk}/ter-correctie/")
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert f"/overleggen/gast/{parent.pk}/verwijderen/" not in page
    assert f"/overleggen/gast/{other.pk}/verwijderen/" in page
    refused = client.post(f"/overleggen/gast/{parent.pk}/verwijderen/", follow=True)
    assert "het verslag is om na te kijken naar deze gast gestuurd" in refused.content.decode()
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    move_meeting(setting.meeting, move="close", by=setting.ib, expected="held")
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "/verwijderen/" not in page.split('id="gasten"')[1]
    refused = client.post(f"/overleggen/gast/{other.pk}/verwijderen/", follow=True)
    assert "al vastgesteld" in refused.content.decode()
    assert MeetingGuest.objects.count() == 2


def test_a_guest_at_an_item_the_user_may_not_see_cannot_be_taken_off(setting, client_for):
    _today(setting.meeting)
    item = _withdrawn_item(setting)  # the nurse no longer sees Sam, nor Sam's item
    guest = MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="Moeder Jansen", role="parent"
    )
    client = client_for(setting.nurse)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert f"/overleggen/gast/{guest.pk}/verwijderen/" not in page
    assert client.post(f"/overleggen/gast/{guest.pk}/verwijderen/").status_code == 404
    assert MeetingGuest.objects.filter(pk=guest.pk).exists()


def test_guest_for_an_item_no_longer_on_the_agenda_says_so_and_keeps_the_name(setting, client_for):
    _today(setting.meeting)
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/gasten/",
        {"guest-name": "Moeder Jansen", "guest-role": "parent", "guest-item": "999999"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "staat niet (meer) op de agenda" in body and 'value="Moeder Jansen"' in body
    assert "Vul de naam en de rol van de gast in." not in body
    assert not MeetingGuest.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_decision_due_before_the_meeting_says_so_at_the_field_and_keeps_the_input(
    setting, client_for, htmx
):
    _today(setting.meeting)
    item = _item(setting)
    data = _decision_data(item, setting)
    day = setting.meeting.scheduled_on
    data[f"d{item.pk}-due_on"] = (day - dt.timedelta(days=1)).isoformat()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data, **headers)
    assert response.status_code == (200 if htmx else 400)
    body = response.content.decode()
    message = (
        f"Deze datum ligt voor de dag van het overleg. Kies {day.day}-{day.month}-{day.year} "
        "of later."
    )
    field = f"id_d{item.pk}-due_on"
    # At the field (marked and described), and in the form's summary with a link to the field.
    assert f'id="{field}_error"><span class="visually-hidden">Fout: </span>{message}</p>' in body
    # Described by the field's help (which days) and its message.
    assert f'aria-describedby="{field}_helptext {field}_error"' in body
    assert 'aria-invalid="true"' in body
    assert f'<a href="#{field}">Klaar op: {message}</a>' in body
    # Not as a message at the top of the item.
    assert 'class="message message--error" role="alert"' not in body
    assert "Gesprek met moeder over ochtendritme" in body
    assert f'value="{(day - dt.timedelta(days=1)).isoformat()}"' in body
    assert not Decision.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_minutes_conflict_shows_what_is_saved_now_above_the_users_own_text(
    setting, client_for, htmx
):
    _today(setting.meeting)
    import re

    item = _item(setting, with_case=False)
    save_minutes(item, text="Versie van collega", expected_version=0, by=setting.nurse)
    client = client_for(setting.ib)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = f"/overleggen/punt/{item.pk}/verslag/"
    response = client.post(
        url, {f"m{item.pk}-minutes": "Mijn versie", f"m{item.pk}-version": 0}, **headers
    )
    assert response.status_code == (200 if htmx else 409)
    body = response.content.decode()
    start = body.index(f'id="punt-{item.pk}"')
    shown = body[start : body.index("</article>", start)]
    # The message in the form's summary (which gets the focus), not once more above the item.
    summary = shown.index('class="message message--error error-summary"')
    assert "Iemand anders heeft het verslag van dit punt intussen opgeslagen." in shown[summary:]
    assert 'class="message message--error" role="alert"' not in shown
    # What is saved now, read-only, with who saved it; then the user's own text in the field.
    now = shown.index("Wat er nu staat")
    assert summary < now < shown.index("Versie van collega") < shown.index("Mijn versie")
    assert setting.nurse.full_name in shown[now:]
    assert re.search(r"<textarea[^>]*>\s*Mijn versie</textarea>", shown)
    assert f'name="m{item.pk}-version" value="1"' in shown
    # Saving again after reading is deliberate: it replaces the colleague's text.
    again = client.post(url, {f"m{item.pk}-minutes": "Mijn versie", f"m{item.pk}-version": 1})
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Mijn versie"


@pytest.mark.parametrize("decision_ok", [True, False])
def test_typed_minutes_sent_along_with_a_decision_come_back_unsaved_in_their_field(
    setting, client_for, decision_ok
):
    _today(setting.meeting)
    import re

    item = _item(setting, with_case=False)
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    # The decision form sends the item's minutes field (text and version) along.
    assert f"hx-include=\"[name^='m{item.pk}-']\"" in page
    data = _decision_data(item, setting)
    if not decision_ok:
        data[f"d{item.pk}-text"] = ""
    data |= {f"m{item.pk}-minutes": "Nog niet opgeslagen tekst", f"m{item.pk}-version": "0"}
    response = client.post(f"/overleggen/punt/{item.pk}/besluit/", data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert (Decision.objects.count() == 1) is decision_ok
    assert decision_ok or "Beschrijf wat er is besloten." in body
    assert re.search(r"<textarea[^>]*>\s*Nog niet opgeslagen tekst</textarea>", body)
    assert "Uw tekst hieronder is nog niet opgeslagen." in body
    assert f'name="m{item.pk}-version" value="0"' in body
    item.refresh_from_db()
    assert item.minutes == "" and item.minutes_version == 0


def _held_with_minutes(setting):
    """Held today; item 1 (Sam) with saved minutes, item 2 a general one without."""
    from schoolzorg.meetings.services import add_general_item

    _today(setting.meeting)
    item = _item(setting, with_case=False)
    save_minutes(item, text="Eerste regel\r\nTweede regel", expected_version=0, by=setting.ib)
    general = add_general_item(setting.meeting, question="Inloopspreekuur", by=setting.ib)
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    item.refresh_from_db()
    return item, general


def test_closing_the_minutes_while_the_screen_shows_unsaved_text_is_refused_and_keeps_it(
    setting, client_for
):
    import re

    item, general = _held_with_minutes(setting)
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/stap/",
        {
            "move": "close",
            "expected": "held",
            # What the page's script sends along: the minutes fields as they are now.
            f"m{item.pk}-minutes": "Eerste regel\nTweede regel",  # as saved
            f"m{item.pk}-version": "1",
            f"m{general.pk}-minutes": "Afspraak: elke dinsdag",  # typed, not saved
            f"m{general.pk}-version": "0",
        },
    )
    assert response.status_code == 409
    setting.meeting.refresh_from_db()
    assert setting.meeting.state == "held"
    body = response.content.decode()
    summary = body[body.index("error-summary") : body.index('<section aria-labelledby="agenda">')]
    assert (
        "Het verslag is nog niet vastgesteld. Bij punt 2 staat tekst in het verslag die nog niet "
        "is opgeslagen. Sla die tekst eerst op, of haal hem weg. Probeer het daarna opnieuw."
    ) in summary
    assert f'<a href="#id_m{general.pk}-minutes">Verslag van punt 2</a>' in summary
    assert f"id_m{item.pk}-minutes" not in summary
    assert re.search(r"<textarea[^>]*>\s*Afspraak: elke dinsdag</textarea>", body)
    assert "Uw tekst hieronder is nog niet opgeslagen." in body
    general.refresh_from_db()
    assert general.minutes == ""


def test_closing_the_minutes_with_everything_saved_or_without_script_goes_ahead(
    setting, client_for
):
    item, general = _held_with_minutes(setting)
    client = client_for(setting.ib)
    url = f"/overleggen/{setting.meeting.pk}/stap/"
    shown = {f"m{item.pk}-minutes": "  Eerste regel\r\nTweede regel ", f"m{item.pk}-version": "1"}
    shown |= {f"m{general.pk}-minutes": "", f"m{general.pk}-version": "0"}
    assert client.post(url, {"move": "close", "expected": "held", **shown}).status_code == 302
    setting.meeting.refresh_from_db()
    assert setting.meeting.state == "closed"
    # Reopened, and closed by a page without the script: nothing sent along, nothing to check.
    move_meeting(setting.meeting, move="reopen", by=setting.ib, expected="closed")
    assert client.post(url, {"move": "close", "expected": "held"}).status_code == 302
    setting.meeting.refresh_from_db()
    assert setting.meeting.state == "closed"


def test_a_move_refused_for_unsaved_minutes_names_every_item(setting):
    from schoolzorg.meetings.services import UnsavedMinutes, add_general_item

    item, general = _held_with_minutes(setting)
    third = add_general_item(setting.meeting, question="Rooster", by=setting.ib)
    with pytest.raises(UnsavedMinutes) as refused:
        move_meeting(
            setting.meeting,
            move="close",
            by=setting.ib,
            expected="held",
            shown_minutes={third.pk: "c", item.pk: "anders", general.pk: ""},
        )
    assert refused.value.item_ids == [item.pk, third.pk]
    assert "Bij punt 1 en 3 staat tekst" in refused.value.message


def test_a_step_sent_again_says_it_was_done_and_a_colleagues_step_is_named(setting, client_for):
    client = client_for(setting.ib)
    url = f"/overleggen/{setting.meeting.pk}/stap/"
    sent = {"move": "cancel", "expected": "planned"}
    client.post(url, sent)
    again = client.post(url, sent, follow=True).content.decode()
    assert "Dit was al gedaan." in again and "Iemand anders" not in again
    # A colleague reopened it meanwhile into another state: that is not "done already".
    CareMeeting.objects.filter(pk=setting.meeting.pk).update(state="held")
    other = client.post(url, sent, follow=True).content.decode()
    assert "Dit was al gedaan." not in other


def test_a_team_member_whose_role_ended_loses_the_meetings_at_once(setting, client_for, member):
    """Ending the nurse's role at (for) the school in the admin ends her seat in its care
    team too, without anyone taking her out of the team; a role serving another school does
    not keep it."""
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role
    from schoolzorg.careteams.models import CareTeamMember
    from schoolzorg.meetings.policies import can_take_minutes
    from schoolzorg.organisations.tests.factories import SchoolFactory

    item = _item(setting, with_case=False)
    nurse = setting.nurse
    client = client_for(nurse)
    m = setting.meeting.pk
    assert client.get(f"/overleggen/{m}/").status_code == 200
    assert can_take_minutes(nurse, setting.team)
    assert nurse.full_name in client_for(setting.ib).get(f"/overleggen/{m}/").content.decode()

    role = Membership.objects.get(user=nurse, school=setting.school)
    elsewhere = SchoolFactory(name="Andere school")
    member(Role.YOUTH_HEALTH_NURSE, role.organisation, school=elsewhere, user=nurse)
    role.valid_until = timezone.localdate() - dt.timedelta(days=1)
    role.save()
    assert CareTeamMember.objects.current().filter(user=nurse).exists()  # still listed
    assert not CareTeamMember.objects.in_force().filter(user=nurse).exists()

    client = client_for(nurse)
    assert not can_take_minutes(nurse, setting.team)
    for url in (
        f"/zorgteams/school/{setting.school.pk}/",
        f"/overleggen/{m}/",
        f"/overleggen/{m}/verslag.pdf",
        f"/overleggen/{m}/uitnodiging.ics",
        f"/overleggen/punt/{item.pk}/verslag.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert "De Regenboog" not in client.get("/overleggen/").content.decode()
    moved = client.post(f"/overleggen/{m}/stap/", {"move": "cancel"})
    assert moved.status_code == 404
    setting.meeting.refresh_from_db()
    assert setting.meeting.state == "planned"
    # She is no longer offered as the owner of a decision either.
    page = client_for(setting.ib).get(f"/overleggen/{m}/").content.decode()
    assert nurse.full_name not in page


def _pdf_text(content: bytes) -> str:
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")  # poppler-utils
    assert pdftotext, "pdftotext (poppler-utils) is needed for this test"
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own PDF
        [pdftotext, "-raw", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def test_a_guest_at_an_item_the_user_may_not_see_is_not_named_on_screen_or_in_the_minutes(
    setting, client_for
):
    from schoolzorg.consent.models import Consent
    from schoolzorg.organisations.models import Organisation

    _today(setting.meeting)
    item = _item(setting, with_case=False)
    # The consent names only the school: the nurse's organisation is not at the table.
    Consent.objects.filter(pupil=setting.pupil).update(
        recipient=Organisation.objects.get(pk=setting.school.pk)
    )
    MeetingGuest.objects.create(
        meeting=setting.meeting, item=item, name="Moeder Jansen", role="parent"
    )
    MeetingGuest.objects.create(meeting=setting.meeting, name="Meester Bos", role="teacher")
    client = client_for(setting.nurse)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "1 punt over leerlingen die u niet mag zien" in page
    assert "Moeder Jansen" not in page and "bij punt 1" not in page
    assert "Meester Bos" in page  # a guest of the whole meeting stays
    assert "Gasten bij een punt dat u niet mag zien" in page
    pdf = _pdf_text(client.get(f"/overleggen/{setting.meeting.pk}/verslag.pdf").content)
    assert "Moeder Jansen" not in pdf and "Meester Bos" in pdf
    # The minute taker, who sees the item, sees its guest.
    assert (
        "Moeder Jansen"
        in client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    )


def test_a_guest_at_an_item_without_consent_is_hidden_as_the_item_is(setting, client_for):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    guest = MeetingGuest.objects.create(
        meeting=setting.meeting,
        item=item,
        name="Moeder Jansen",
        role="parent",
        sent_for_correction_on=timezone.localdate(),
    )
    from schoolzorg.consent.models import Consent
    from schoolzorg.consent.services import withdraw_consent

    withdraw_consent(
        Consent.objects.get(pupil=setting.pupil),
        by=setting.ib,
        on=timezone.localdate(),
        reason="Ouders willen niet",
    )
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Geen toestemming meer" in page
    assert "Moeder Jansen" not in page and "Er zijn geen gasten vastgelegd." not in page
    pdf = _pdf_text(client.get(f"/overleggen/{setting.meeting.pk}/verslag.pdf").content)
    assert "Moeder Jansen" not in pdf
    assert client.get(f"/overleggen/gast/{guest.pk}/reactie/").status_code == 404


@pytest.mark.parametrize("hidden", [1, 2])
def test_the_team_minutes_say_in_plain_dutch_how_many_items_the_reader_may_not_see(
    setting, client_for, hidden
):
    for n in range(hidden):
        pupil = PupilFactory(first_name=f"Geheim{n}", current_school=setting.school)
        consent = give_consent(pupil, setting.ib)
        place_on_agenda(setting.meeting, pupil=pupil, question="?", by=setting.ib)
        consent.withdrawn_on = timezone.localdate()
        consent.save()
    response = client_for(setting.nurse).get(f"/overleggen/{setting.meeting.pk}/verslag.pdf")
    pdf = _pdf_text(response.content)
    name = setting.nurse.full_name
    if hidden == 1:
        expected = f"1 punt staat niet in dit verslag (punt 1): {name} mag die leerling niet zien."
    else:
        expected = (
            f"2 punten staan niet in dit verslag (punt 1, 2): {name} mag die leerlingen niet zien."
        )
    assert expected in pdf
    assert "afdrukker" not in pdf and "punt(en)" not in pdf
    assert "Onderwijszorgoverleg De Regenboog" in pdf


def _sent_guest(setting):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    return MeetingGuest.objects.create(
        meeting=setting.meeting,
        item=item,
        name="Moeder Jansen",
        role="parent",
        sent_for_correction_on=timezone.localdate(),
    )


def test_the_reaction_form_opens_with_the_reaction_recorded_so_far(setting, client_for):
    guest = _sent_guest(setting)
    client = client_for(setting.ib)
    url = f"/overleggen/gast/{guest.pk}/reactie/"
    today = timezone.localdate().isoformat()
    first = "Moeder: het is niet alleen na het weekend, ook op woensdag."
    client.post(url, {"expected": "", "note": first, "received_on": today})
    page = client.get(url).content.decode()
    assert first in page and "Er is al een reactie vastgelegd" in page
    assert f'value="{today}"' in page
    both = f"{first}\r\nVader is akkoord."
    response = client.post(url, {"expected": first, "note": both, "received_on": today})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.correction_note == both


def test_a_reaction_saved_over_one_recorded_meanwhile_is_refused_and_the_text_kept(
    setting, client_for
):
    guest = _sent_guest(setting)
    url = f"/overleggen/gast/{guest.pk}/reactie/"
    today = timezone.localdate().isoformat()
    client = client_for(setting.ib)
    client.post(url, {"expected": "", "note": "Moeder: ook op woensdag.", "received_on": today})
    # A second form, opened before the first reaction was saved, showed no reaction.
    response = client.post(url, {"expected": "", "note": "Vader is akkoord.", "received_on": today})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Moeder: ook op woensdag." in body and "Vader is akkoord." in body
    assert "Iemand anders heeft de reactie van de ouders intussen vastgelegd" in body
    guest.refresh_from_db()
    assert guest.correction_note == "Moeder: ook op woensdag."
    # The same form sent twice is no conflict.
    again = client.post(
        url, {"expected": "", "note": "Moeder: ook op woensdag.", "received_on": today}
    )
    assert again.status_code == 302


def test_a_reaction_received_before_the_minutes_were_sent_is_refused_at_the_field(
    setting, client_for
):
    guest = _sent_guest(setting)
    day = timezone.localdate()
    earlier = day - dt.timedelta(days=5)
    response = client_for(setting.ib).post(
        f"/overleggen/gast/{guest.pk}/reactie/",
        {"expected": "", "note": "Akkoord", "received_on": earlier.isoformat()},
    )
    assert response.status_code == 400
    body = response.content.decode()
    message = (
        "Deze datum ligt voor de dag waarop het verslag is verzonden. "
        f"Kies {day.day}-{day.month}-{day.year} of later."
    )
    assert f'<a href="#id_received_on">Ontvangen op: {message}</a>' in body
    assert 'id="id_received_on_error"' in body
    guest.refresh_from_db()
    assert guest.correction_received_on is None


def test_a_decision_about_a_child_can_be_for_someone_from_the_family_or_network(
    setting, client_for
):
    """As on the plan's action form: no professional, a name from the family or network. The
    name is shown on the working screen, in both minutes PDFs, in the plan and on the case."""
    _today(setting.meeting)
    item = _item(setting)
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert '<option value="" selected>Kies iemand van het team</option>' in page
    assert "Of: iemand uit gezin of netwerk" in page
    data = _decision_data(item, setting)
    data.update({f"d{item.pk}-owner": "", f"d{item.pk}-owner_name": "  Oma Fatima "})
    data[f"d{item.pk}-domain"] = "family"
    response = client.post(f"/overleggen/punt/{item.pk}/besluit/", data)
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.owner, decision.owner_name, decision.owner_label) == (
        None,
        "Oma Fatima",
        "Oma Fatima",
    )
    action = Action.objects.get()
    assert decision.plan_action == action
    assert (action.owner, action.owner_label) == (None, "Oma Fatima")
    assert CaseEvent.objects.filter(
        case=item.case, kind="meeting_decision", text__contains="– Oma Fatima, klaar op"
    ).exists()
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "<strong>Oma Fatima</strong>" in page
    for url in (
        f"/overleggen/{setting.meeting.pk}/verslag.pdf",
        f"/overleggen/punt/{item.pk}/verslag.pdf",
    ):
        assert "Oma Fatima" in _pdf_text(client.get(url).content), url


def test_a_decision_with_neither_a_person_nor_a_name_is_refused_at_the_field(setting, client_for):
    _today(setting.meeting)
    item = _item(setting)
    data = _decision_data(item, setting)
    data.update({f"d{item.pk}-owner": "", f"d{item.pk}-owner_name": "\u200b "})
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies wie het doet, of vul een naam in uit het gezin of netwerk." in body
    assert "Gesprek met moeder over ochtendritme" in body  # the typed text stays
    assert not Decision.objects.exists() and not Action.objects.exists()
    with pytest.raises(MeetingError, match="Kies wie het doet"):
        add_decision(
            item,
            text="Gesprek",
            domain="family",
            owner=" ",
            due_on=weekday(setting.meeting.scheduled_on),
            by=setting.ib,
            form_token=uuid.uuid4(),
        )


def test_a_decision_on_a_general_item_is_for_one_of_the_team(setting, client_for):
    """A general item has no child and so no family: the name field is not offered, and the
    service refuses a name."""
    from schoolzorg.meetings.services import add_general_item

    _today(setting.meeting)
    item = add_general_item(setting.meeting, question="Inloopspreekuur", by=setting.ib)
    page = client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert f'name="d{item.pk}-owner_name"' not in page
    assert f'name="d{item.pk}-owner"' in page
    data = _decision_data(item, setting)
    data.update({f"d{item.pk}-owner": "", f"d{item.pk}-owner_name": "Oma Fatima"})
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data)
    assert response.status_code == 400 and "Kies wie het doet." in response.content.decode()
    with pytest.raises(MeetingError, match="Kies iemand uit de lijst"):
        add_decision(
            item,
            text="Rooster inloopspreekuur",
            domain="school_social_work",
            owner="Oma Fatima",
            due_on=weekday(setting.meeting.scheduled_on),
            by=setting.ib,
            form_token=uuid.uuid4(),
        )
    assert not Decision.objects.exists()
    # One of the team is still fine.
    data[f"d{item.pk}-owner"] = str(setting.ib.pk)
    assert (
        client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data).status_code == 302
    )
    assert Decision.objects.get().owner == setting.ib


def _free_school_day(setting) -> dt.date:
    """A school day of the setting's school after today without a meeting of its team."""
    from schoolzorg.calendars import workingdays

    day = timezone.localdate()
    while True:
        day += dt.timedelta(days=1)
        if (
            workingdays.is_school_day(
                day, region=setting.school.effective_holiday_region, school_id=setting.school.pk
            )
            and not setting.team.meetings.filter(scheduled_on=day).exists()
        ):
            return day


def test_planning_a_meeting_sent_twice_plans_one_and_says_it_was_planned(setting, client_for):
    """A double click or the back button sends the same form again (its token): the second
    send finds the meeting of the first and gets the usual success, not "Op die dag staat al
    een overleg" beside "Het overleg is ingepland"."""
    url = f"/overleggen/team/{setting.team.pk}/nieuw/"
    client = client_for(setting.ib)
    token = client.get(url).context["form"]["form_token"].value()
    day = _free_school_day(setting)
    data = {
        "scheduled_on": day.isoformat(),
        "start_time": "14:00",
        "end_time": "15:30",
        "location": "",
        "form_token": token,
    }
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    meeting = setting.team.meetings.get(scheduled_on=day)
    assert first.status_code == 302 and first.url == f"/overleggen/{meeting.pk}/agenda/"
    assert second.redirect_chain == [(f"/overleggen/{meeting.pk}/agenda/", 302)]
    body = second.content.decode()
    assert "Het overleg is ingepland." in body and "staat al een overleg" not in body
    assert setting.team.meetings.count() == 2  # the setting's meeting and this one
    # A new form (a new token) for the same day is refused as before.
    fresh = client.get(url).context["form"]["form_token"].value()
    again = client.post(url, {**data, "form_token": fresh})
    assert again.status_code == 400
    assert "Op die dag staat al een overleg van dit team." in again.content.decode()


def test_a_meeting_form_that_lost_the_race_returns_the_first_meeting(setting):
    """Two sends of one form at the same moment: the second finds the meeting of the first."""
    from schoolzorg.lib import formtokens
    from schoolzorg.meetings import services

    token = uuid.uuid4()
    day = _free_school_day(setting)
    times = {"start_time": dt.time(14), "end_time": dt.time(15), "location": ""}
    first = services.plan_meeting(
        setting.team, scheduled_on=day, by=setting.ib, form_token=token, **times
    )
    found, new = formtokens.create_once(
        CareMeeting,
        token,
        error=MeetingError,
        same={"care_team_id": setting.team.pk, "created_by_id": setting.ib.pk},
        care_team=setting.team,
        scheduled_on=day,
        created_by=setting.ib,
        **times,
    )
    assert (found, new) == (first, False)
    again = services.plan_meeting(
        setting.team, scheduled_on=day, by=setting.ib, form_token=token, **times
    )
    assert again == first and setting.team.meetings.filter(scheduled_on=day).count() == 1
    # The token of one team's form plans nothing for another team.
    from schoolzorg.careteams.tests.factories import CareTeamFactory

    other = CareTeamFactory()
    with pytest.raises(MeetingError, match="al eens verstuurd"):
        services.plan_meeting(other, scheduled_on=day, by=setting.ib, form_token=token, **times)
    assert not other.meetings.exists()


def test_moving_a_meeting_carries_no_token(setting, client_for):
    page = client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/verzetten/")
    assert 'name="form_token"' not in page.content.decode()


def test_cancelling_from_a_stale_tab_says_the_meeting_is_held_already(setting, client_for):
    _today(setting.meeting)
    item = _item(setting, with_case=False)
    save_minutes(item, text="Besproken.", expected_version=0, by=setting.ib)
    move_meeting(setting.meeting, move="hold", by=setting.ib, expected="planned")
    answer = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/stap/",
        {"move": "cancel", "expected": "planned"},
        follow=True,
    )
    body = answer.content.decode()
    assert "al als gehouden vastgelegd" in body
    assert "niet meer afzeggen" not in body and "Leg het vast als gehouden" not in body


def test_planning_a_meeting_sent_twice_says_it_was_planned_once(setting, client_for):
    url = f"/overleggen/team/{setting.team.pk}/nieuw/"
    client = client_for(setting.ib)
    token = client.get(url).context["form"]["form_token"].value()
    data = {
        "scheduled_on": _free_school_day(setting).isoformat(),
        "start_time": "14:00",
        "end_time": "15:30",
        "location": "",
        "form_token": token,
    }
    client.post(url, data)
    body = client.post(url, data, follow=True).content.decode()
    assert body.count("Het overleg is ingepland.") == 1
