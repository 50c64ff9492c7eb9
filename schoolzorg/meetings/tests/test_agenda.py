from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases.services import register_concern
from schoolzorg.consent.models import Consent
from schoolzorg.meetings import agenda
from schoolzorg.meetings.models import AgendaItem
from schoolzorg.meetings.services import MeetingError, place_on_agenda
from schoolzorg.meetings.tests.factories import give_consent
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _pupil(setting, name="Noor"):
    return PupilFactory(first_name=name, last_name="Zonder", current_school=setting.school)


def test_pupil_with_consent_is_placed_and_logged(setting):
    item = place_on_agenda(
        setting.meeting, pupil=setting.pupil, question="Wat helpt Sam?", by=setting.ib
    )
    assert item.position == 1
    assert AccessLogEntry.objects.filter(pupil_id=setting.pupil.pk, action="create").exists()


def test_pupil_without_consent_is_refused_with_a_clear_message(setting):
    pupil = _pupil(setting)
    with pytest.raises(MeetingError, match="geen geldige toestemming"):
        place_on_agenda(setting.meeting, pupil=pupil, question="?", by=setting.ib)
    assert not AgendaItem.objects.exists()


def test_withdrawn_consent_is_refused(setting):
    pupil = _pupil(setting)
    give_consent(pupil, setting.ib, withdrawn_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(MeetingError, match="geen geldige toestemming"):
        place_on_agenda(setting.meeting, pupil=pupil, question="?", by=setting.ib)


def test_consent_expiring_before_the_meeting_is_refused(setting):
    pupil = _pupil(setting)
    # Valid today, but expired on the meeting day (a week from now).
    give_consent(pupil, setting.ib, valid_until=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(MeetingError, match="geen geldige toestemming"):
        place_on_agenda(setting.meeting, pupil=pupil, question="?", by=setting.ib)


def test_pupil_of_another_school_is_refused(setting):
    other = PupilFactory()
    give_consent(other, setting.ib)
    with pytest.raises(MeetingError, match="niet op de school"):
        place_on_agenda(setting.meeting, pupil=other, question="?", by=setting.ib)


def test_same_pupil_twice_is_refused(setting):
    place_on_agenda(setting.meeting, pupil=setting.pupil, question="Eerste", by=setting.ib)
    with pytest.raises(MeetingError, match="staat al op de agenda"):
        place_on_agenda(setting.meeting, pupil=setting.pupil, question="Tweede", by=setting.ib)


def test_builder_proposes_consented_cases_and_counts_the_others(setting):
    with_consent = register_concern(
        setting.pupil, category="absence", description="Vaak afwezig", by=setting.ib
    )
    for name in ("Noor", "Daan", "Lotte"):
        register_concern(
            _pupil(setting, name), category="behaviour", description="Onrustig", by=setting.ib
        )
    proposal = agenda.propose(setting.meeting, setting.ib)
    assert [c.pk for c, _ in proposal.candidates] == [with_consent.pk]
    assert proposal.without_consent_count == 3
    assert len(proposal.without_consent_visible) == 3  # the IB-er may see them: to arrange consent


def test_builder_hides_names_of_pupils_the_viewer_may_not_see(setting):
    register_concern(_pupil(setting), category="behaviour", description="Onrustig", by=setting.ib)
    proposal = agenda.propose(setting.meeting, setting.nurse)
    assert proposal.without_consent_count == 1
    assert proposal.without_consent_visible == []


def test_builder_page_shows_count_and_places_case(setting, client_for):
    case = register_concern(
        setting.pupil, category="absence", description="Vaak afwezig", by=setting.ib
    )
    for name in ("Noor", "Daan", "Lotte"):
        register_concern(
            _pupil(setting, name), category="behaviour", description="Onrustig", by=setting.ib
        )
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/agenda/").content.decode()
    assert "3 leerlingen zonder toestemming niet geagendeerd" in page
    response = client.post(
        f"/overleggen/{setting.meeting.pk}/agenda/plaatsen/",
        {"case": case.pk, "question": "Hoe krijgen we Sam weer op school?"},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.case_id, item.source) == (case.pk, "help_request")
    assert case.events.filter(text__startswith="Geagendeerd").exists()


def test_manual_placement_without_consent_shows_message_and_keeps_the_question(setting, client_for):
    pupil = _pupil(setting)
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/agenda/plaatsen/",
        {"pupil": pupil.pk, "question": "Mijn zorgvuldig getypte vraag"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "geen geldige toestemming" in body
    assert "Mijn zorgvuldig getypte vraag" in body
    assert not AgendaItem.objects.exists()


def test_builder_proposes_case_whose_plan_goal_is_due_for_review(setting):
    from schoolzorg.cases.services import change_case_status
    from schoolzorg.plans.services import add_goal, start_plan

    case = register_concern(
        setting.pupil, category="absence", description="Vaak afwezig", by=setting.ib
    )
    change_case_status(case, to="with_school_social_work", by=setting.ib, social_worker=setting.ib)
    assert agenda.propose(setting.meeting, setting.ib).candidates == []
    part = start_plan(setting.pupil, by=setting.ib)
    add_goal(
        part,
        description="Sam is elke dag om 8.30 op school",
        criterion="Vier weken lang geen te laat",
        by=setting.ib,
        owner=setting.ib,
        review_on=setting.meeting.scheduled_on - dt.timedelta(days=1),
        enforce_smart=False,
    )
    proposal = agenda.propose(setting.meeting, setting.ib)
    assert [(c.pk, source) for c, source in proposal.candidates] == [(case.pk, "review")]


def _builder(client, setting, query=""):
    return client.get(f"/overleggen/{setting.meeting.pk}/agenda/{query}")


def test_builder_lists_no_pupils_until_searched_and_logs_only_those_shown(setting, client_for):
    others = [_pupil(setting, f"Kind{i}") for i in range(3)]
    client = client_for(setting.ib)
    page = _builder(client, setting).content.decode()
    assert "Zoek een leerling van deze school" in page
    assert "Kind0" not in page and 'name="pupil"' not in page
    assert not AccessLogEntry.objects.filter(pupil_id__in=[p.pk for p in others]).exists()

    page = _builder(client, setting, "?leerling=kind1").content.decode()
    # The list to choose from: in Dutch, each pupil with the group (names repeat).
    assert "Maak een keuze" in page and "Select an option" not in page
    wanted = others[1]
    assert f"{wanted.first_name} {wanted.last_name} (groep {wanted.current_group})" in page
    assert "Kind0" not in page and "1 leerling gevonden" in page
    logged = AccessLogEntry.objects.filter(pupil_id__in=[p.pk for p in others])
    assert [(e.pupil_id, e.action) for e in logged] == [(wanted.pk, "search")]


def test_each_question_field_of_the_builder_has_its_own_name(setting, client_for):
    """A screen reader lists the fields by label: each says whose question it is."""
    noor = _pupil(setting, "Noor")
    give_consent(noor, setting.ib)
    for pupil in (setting.pupil, noor):
        register_concern(pupil, category="absence", description="Vaak afwezig", by=setting.ib)
    PupilFactory(first_name="Kind", last_name="Gezocht", current_school=setting.school)
    page = _builder(client_for(setting.ib), setting, "?leerling=gezocht").content.decode()
    labels = [
        re.sub(r"<[^>]+>", "", label)
        for label in re.findall(r"<label for=[^>]*>(.*?)</label>", page, flags=re.S)
    ]
    questions = [label for label in labels if label.startswith("Vraag aan het team")]
    assert sorted(questions) == [
        f"Vraag aan het team over Noor {noor.last_name}",
        f"Vraag aan het team over Sam {setting.pupil.last_name}",
        "Vraag aan het team over de leerling die u hierboven kiest",
    ]


def test_builder_search_says_which_pupils_have_no_consent_yet(setting, client_for):
    without = _pupil(setting, "Samira")
    page = _builder(client_for(setting.ib), setting, "?leerling=sam").content.decode()
    pupil = setting.pupil  # has consent
    assert f"{pupil.first_name} {pupil.last_name} (groep {pupil.current_group})</option>" in page
    label = f"{without.first_name} {without.last_name} (groep {without.current_group})"
    assert f"{label}: nog geen toestemming</option>" in page
    assert "Leg die eerst vast" in page


def test_builder_search_says_when_the_consent_was_withdrawn(setting, client_for):
    withdrawn = _pupil(setting, "Samira")
    give_consent(withdrawn, setting.ib, withdrawn_on=timezone.localdate() - dt.timedelta(days=1))
    never = _pupil(setting, "Samuel")
    page = _builder(client_for(setting.ib), setting, "?leerling=sam").content.decode()
    label = f"{withdrawn.first_name} {withdrawn.last_name} (groep {withdrawn.current_group})"
    assert f"{label}: toestemming ingetrokken</option>" in page
    assert f"{label}: nog geen toestemming" not in page
    other = f"{never.first_name} {never.last_name} (groep {never.current_group})"
    assert f"{other}: nog geen toestemming</option>" in page
    assert "Vraag dan opnieuw toestemming en leg die vast." in page


def test_builder_search_says_when_the_consent_expired_or_is_not_complete(setting, client_for):
    """An expired consent, or one not agreed by everyone, is not "nog geen toestemming"."""
    expired = _pupil(setting, "Samira")
    give_consent(expired, setting.ib, valid_until=timezone.localdate() - dt.timedelta(days=1))
    incomplete = _pupil(setting, "Samuel")
    give_consent(incomplete, setting.ib)
    Consent.objects.filter(pupil=incomplete).update(is_complete=False)
    # A newer consent decides: the old withdrawal no longer counts.
    renewed = _pupil(setting, "Samantha")
    give_consent(
        renewed,
        setting.ib,
        given_on=timezone.localdate() - dt.timedelta(days=60),
        withdrawn_on=timezone.localdate() - dt.timedelta(days=40),
    )
    give_consent(
        renewed,
        setting.ib,
        given_on=timezone.localdate() - dt.timedelta(days=20),
        valid_until=timezone.localdate() - dt.timedelta(days=2),
    )
    page = _builder(client_for(setting.ib), setting, "?leerling=sam").content.decode()

    def label(p):
        return f"{p.first_name} {p.last_name} (groep {p.current_group})"

    assert f"{label(expired)}: toestemming verlopen</option>" in page
    assert f"{label(incomplete)}: toestemming onvolledig</option>" in page
    assert f"{label(renewed)}: toestemming verlopen</option>" in page
    assert "nog geen toestemming</option>" not in page
    assert "Leg die eerst vast" not in page
    assert "gold de toestemming om te bespreken niet meer op" in page
    assert "Vul de toestemming aan" in page


def test_builder_search_finds_only_pupils_of_the_school_not_yet_placed(setting, client_for):
    place_on_agenda(setting.meeting, pupil=setting.pupil, question="Eerste", by=setting.ib)
    PupilFactory(first_name="Sam", last_name="Elders")  # another school
    page = _builder(client_for(setting.ib), setting, "?leerling=Sam").content.decode()
    assert "Elders" not in page and 'name="pupil"' not in page
    assert "Geen leerling van deze school gevonden met ‘Sam’" in page


def test_builder_search_says_when_there_are_more_than_it_lists(setting, client_for):
    for i in range(agenda.PICK_LIMIT + 1):
        _pupil(setting, f"Veel{i:02d}")
    page = _builder(client_for(setting.ib), setting, "?leerling=veel").content.decode()
    assert f"Meer dan {agenda.PICK_LIMIT} leerlingen gevonden" in page
    assert page.count("(groep ") == agenda.PICK_LIMIT
    assert AccessLogEntry.objects.filter(action="search").count() == agenda.PICK_LIMIT


def test_builder_search_too_long_gets_a_dutch_message(setting, client_for):
    response = _builder(client_for(setting.ib), setting, "?leerling=" + "x" * 500)
    assert response.status_code == 200
    assert "Typ hoogstens 100 tekens." in response.content.decode()


def test_refused_placement_keeps_the_search_the_choice_and_the_question(setting, client_for):
    pupil = _pupil(setting)  # no consent
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/agenda/plaatsen/",
        {"pupil": pupil.pk, "leerling": "Noor", "question": "Mijn vraag"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "geen geldige toestemming" in body
    assert f'<option value="{pupil.pk}" selected>Noor Zonder' in body
    assert 'name="leerling" value="Noor"' in body and "Mijn vraag" in body


def test_empty_search_and_missing_pupil_get_dutch_messages(setting, client_for):
    client = client_for(setting.ib)
    assert "Typ een naam om te zoeken." in _builder(client, setting, "?leerling=").content.decode()
    response = client.post(
        f"/overleggen/{setting.meeting.pk}/agenda/plaatsen/", {"question": "Een vraag"}
    )
    assert response.status_code == 400
    assert "Kies een leerling." in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_refused_placement_without_consent_links_to_recording_the_consent(setting, client_for):
    pupil = _pupil(setting)
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/agenda/plaatsen/",
        {"pupil": pupil.pk, "question": "Wat helpt?"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    # Opened on the purpose that placing needs, and back to the agenda with the pupil looked up
    # again after saving (tester X, stop 28: it opened on no purpose and led to the pupil page).
    agenda = f"/overleggen/{setting.meeting.pk}/agenda/"
    query = urlencode(
        {"doel": "discuss_in_care_team", "next": f"{agenda}?leerling={pupil.first_name}"}
    )
    assert f'href="/toestemming/leerling/{pupil.pk}/nieuw/?{escape(query)}"' in body
    assert f"Toestemming vastleggen voor {pupil.first_name} {pupil.last_name}" in body


def test_consent_link_for_someone_who_may_not_record_consent_is_the_pupil_page(setting, rf):
    from schoolzorg.meetings.views import _consent_link

    request = rf.get("/")
    request.user = setting.nurse
    url, _text = _consent_link(request, setting.pupil, "/")
    assert url == f"/leerlingen/{setting.pupil.pk}/"


def _remove_form(client, meeting, item):
    """What the builder's 'Van de agenda halen' button of `item` sends."""
    import re

    body = client.get(f"/overleggen/{meeting.pk}/agenda/").content.decode()
    action = f'action="/overleggen/punt/{item.pk}/verwijderen/"'
    assert action in body
    form = body[body.index(action) : body.index("</form>", body.index(action))]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_item_already_taken_off_in_another_tab_goes_back_to_the_agenda_with_a_message(
    setting, client_for
):
    item = place_on_agenda(setting.meeting, pupil=setting.pupil, question="?", by=setting.ib)
    client = client_for(setting.ib)
    data = _remove_form(client, setting.meeting, item)
    first = client.post(f"/overleggen/punt/{item.pk}/verwijderen/", data)
    assert first.status_code == 302 and not AgendaItem.objects.exists()
    # The same button again, in a second tab opened before.
    second = client.post(f"/overleggen/punt/{item.pk}/verwijderen/", data, follow=True)
    assert second.redirect_chain == [(f"/overleggen/{setting.meeting.pk}/agenda/", 302)]
    assert "Dit punt stond al niet meer op de agenda." in second.content.decode()


def test_item_gone_from_an_agenda_the_user_may_not_build_is_still_not_found(setting, client_for):
    from schoolzorg.careteams.tests.factories import CareTeamFactory
    from schoolzorg.meetings.services import add_general_item, remove_from_agenda
    from schoolzorg.meetings.tests.factories import CareMeetingFactory
    from schoolzorg.organisations.models import School

    item = place_on_agenda(setting.meeting, pupil=setting.pupil, question="?", by=setting.ib)
    data = _remove_form(client_for(setting.ib), setting.meeting, item)
    remove_from_agenda(item, by=setting.ib)
    url = f"/overleggen/punt/{item.pk}/verwijderen/"
    # A member of the team (minutes, not the agenda), and someone of another school, with the
    # form of the coordinator: not found, as before.
    assert client_for(setting.nurse).post(url, data).status_code == 404
    assert client_for(setting.outsider).post(url, data).status_code == 404
    # The other school's coordinator, with the form of an item on their own agenda, sent for an
    # item of this school (there, or gone): not found, whether that item exists or not.
    other_school = School.objects.get(name="Andere school")
    own_meeting = CareMeetingFactory(care_team=CareTeamFactory(school=other_school))
    own = add_general_item(own_meeting, question="Inloopspreekuur", by=setting.outsider)
    outsider = client_for(setting.outsider)
    own_data = _remove_form(outsider, own_meeting, own)
    there = place_on_agenda(setting.meeting, pupil=setting.pupil, question="?", by=setting.ib)
    for pk in (item.pk, there.pk):
        assert outsider.post(f"/overleggen/punt/{pk}/verwijderen/", own_data).status_code == 404
    assert outsider.post(url, {"shown_on": f"{item.pk}.{own_meeting.pk}"}).status_code == 404
    assert AgendaItem.objects.filter(pk=there.pk).exists()


def test_a_case_of_a_pupil_who_left_the_school_is_not_proposed_nor_placed(setting, client_for):
    """The school keeps the case of a pupil who left (its support coordinator still reads it);
    it is not discussed in the school's care team any more (docs/permissions.md, "A case follows
    its school")."""
    from schoolzorg.organisations.tests.factories import SchoolFactory
    from schoolzorg.pupils.services import enrol_pupil

    case = register_concern(
        setting.pupil, category="absence", description="Vaak afwezig", by=setting.ib
    )
    enrol_pupil(setting.pupil, SchoolFactory(), on=timezone.localdate() - dt.timedelta(days=1))
    proposal = agenda.propose(setting.meeting, setting.ib)
    assert proposal.candidates == [] and proposal.without_consent_count == 0
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/agenda/plaatsen/",
        {"case": case.pk, "question": "Hoe gaat het nu?"},
    )
    assert response.status_code == 400
    assert not AgendaItem.objects.exists()
