from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases import services
from schoolzorg.cases.models import AnonymousConsultation, Case, CaseStatus
from schoolzorg.cases.tests.factories import CaseFactory, contact
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _case(team, **kw):
    return services.register_concern(
        team.pupil, category="absence", description="Komt vaak te laat.", by=team.ib, **kw
    )


def test_the_coordinator_choice_names_each_persons_role_and_organisation(team, client_for):
    page = client_for(team.ib).get(f"/casussen/melden/{team.pupil.pk}/").content.decode()
    provider = team.provider.name
    assert f">{team.ib.full_name} – Intern begeleider / zorgcoördinator, De Regenboog<" in page
    assert f">{team.smw.full_name} – Schoolmaatschappelijk werker, {provider}<" in page


def test_teacher_registers_a_concern_about_a_pupil_in_own_group(team, client_for):
    client = client_for(team.teacher)
    page = client.get(f"/casussen/melden/{team.pupil.pk}/")
    assert page.status_code == 200 and "Regisseur" not in page.content.decode()
    response = client.post(
        f"/casussen/melden/{team.pupil.pk}/",
        {"category": "behaviour", "description": "Huilt vaak.", "urgency": "soon"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casussen/{case.pk}/"
    assert (case.raised_by, case.urgency) == (team.teacher, "soon")
    assert AccessLogEntry.objects.filter(action="create", pupil_id=team.pupil.pk).exists()


def test_the_same_concern_form_sent_twice_opens_one_case(team, client_for):
    client = client_for(team.teacher)
    token = client.get(f"/casussen/melden/{team.pupil.pk}/").context["form"]["form_token"].value()
    form = {
        "form_token": token,
        "category": "behaviour",
        "description": "Huilt.",
        "urgency": "soon",
    }
    first = client.post(f"/casussen/melden/{team.pupil.pk}/", form)
    second = client.post(f"/casussen/melden/{team.pupil.pk}/", form, follow=True)
    case = Case.objects.get()
    assert first["Location"] == f"/casussen/{case.pk}/"
    assert second.redirect_chain[0][0] == f"/casussen/{case.pk}/"
    assert "Deze zorg was al gemeld" in second.content.decode()
    assert AccessLogEntry.objects.filter(action="create", pupil_id=team.pupil.pk).count() == 1
    # Someone else's form token opens nothing of theirs.
    other = client_for(team.ib).post(f"/casussen/melden/{team.pupil.pk}/", form)
    assert other.status_code == 400 and "al eens verstuurd" in other.content.decode()
    assert Case.objects.count() == 1


def test_register_without_category_keeps_the_text_and_explains(team, client_for):
    response = client_for(team.ib).post(
        f"/casussen/melden/{team.pupil.pk}/",
        {"description": "Mijn lange verhaal", "urgency": "normal"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een onderwerp." in page and "Mijn lange verhaal" in page
    assert not Case.objects.exists()


def test_outsiders_get_404_on_every_case_page(team, client_for):
    case = _case(team)
    outsider = client_for(team.outsider)
    for url in [
        f"/casussen/melden/{team.pupil.pk}/",
        f"/casussen/{case.pk}/",
        "/casussen/smw/",
        "/casussen/smw/uren/",
        f"/casussen/smw/uren/{team.provider.pk}.csv",
    ]:
        assert outsider.get(url).status_code == 404, url
    for url in ["notitie", "status", "regisseur", "document", "contact"]:
        assert outsider.post(f"/casussen/{case.pk}/{url}/", {}).status_code == 404, url
    assert outsider.get("/casussen/999999/").status_code == 404
    assert outsider.get("/casussen/document/999999/").status_code == 404
    assert outsider.get("/casussen/").context["cases"] == []


def test_case_page_shows_the_timeline_and_logs_the_read(team, client_for):
    case = _case(team)
    services.add_case_event(case, kind="meeting_decision", text="Besluit: huisbezoek", by=team.ib)
    response = client_for(team.smw).get(f"/casussen/{case.pk}/")
    assert response.status_code == 200
    assert "Besluit: huisbezoek" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get(object_id=str(case.pk), action="view")
    assert (entry.user_id, entry.pupil_id) == (team.smw.pk, team.pupil.pk)


def test_stale_status_form_gets_a_message_not_an_overwrite(team, client_for):
    case = _case(team)
    client = client_for(team.ib)
    client.post(f"/casussen/{case.pk}/status/", {"expected": "new", "to": "in_care_team"})
    response = client.post(
        f"/casussen/{case.pk}/status/",
        {"expected": "new", "to": "closed", "outcome": "resolved"},
        follow=True,
    )
    assert "net gewijzigd" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_CARE_TEAM


def test_a_status_form_naming_no_status_at_all_gets_the_stale_message(team, client_for):
    case = _case(team)
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/status/", {"expected": "abc", "to": "in_care_team"}
    )
    assert response.status_code == 409
    assert "net gewijzigd" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_a_refused_stale_status_change_keeps_the_choice_outcome_and_explanation(team, client_for):
    """A colleague moved the case meanwhile: 409, the case as it is now, and the form as sent,
    ready to send again against the new status."""
    case = _case(team)
    client_for(team.ib).post(
        f"/casussen/{case.pk}/status/", {"expected": "new", "to": "in_care_team"}
    )
    note = "Het gaat weer goed; moeder belt de school als het opnieuw misgaat."
    response = client_for(team.smw).post(
        f"/casussen/{case.pk}/status/",
        {"expected": "new", "to": "closed", "outcome": "resolved", "outcome_note": note},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft deze casus net gewijzigd." in page
    assert "Wat u koos en typte, staat hieronder nog. Het is niet opgeslagen." in page
    form = response.context["status_form"]
    assert form["expected"].value() == CaseStatus.IN_CARE_TEAM  # sending again is deliberate
    assert (form["to"].value(), form["outcome"].value()) == ("closed", "resolved")
    assert note in page and '<option value="resolved" selected>' in page
    assert "data-unsaved" in page  # leaving the page asks first
    case.refresh_from_db()
    assert (case.status, case.outcome_note) == (CaseStatus.IN_CARE_TEAM, "")

    again = client_for(team.smw).post(
        f"/casussen/{case.pk}/status/",
        {
            "expected": form["expected"].value(),
            "to": "closed",
            "outcome": "resolved",
            "outcome_note": note,
        },
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome_note) == (CaseStatus.CLOSED, note)


def test_a_stale_status_choice_that_is_no_longer_possible_says_so_and_keeps_the_text(
    team, client_for
):
    case = _case(team)
    services.change_case_status(case, to="closed", outcome="resolved", by=team.ib)
    response = client_for(team.smw).post(
        f"/casussen/{case.pk}/status/",
        {"expected": "new", "to": "closed", "outcome": "other", "outcome_note": "Verhuisd."},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "net gewijzigd" in page and "Verhuisd." in page
    assert "Deze stap kan nu niet meer. Kies een status uit de lijst." in page
    case.refresh_from_db()
    assert case.outcome == "resolved"


def test_a_coordinator_chosen_on_a_stale_screen_is_refused_not_overwritten(team, client_for):
    """Both open the case showing the IB-er as coordinator; the IB-er names the social worker,
    then the teacher's name is sent from the other, old screen."""
    case = _case(team, coordinator=team.ib)
    shown = client_for(team.smw).get(f"/casussen/{case.pk}/").context["coordinator_form"]
    assert shown["expected"].value() == team.ib.pk
    url = f"/casussen/{case.pk}/regisseur/"
    first = client_for(team.ib).post(url, {"expected": team.ib.pk, "coordinator": team.smw.pk})
    assert first.status_code == 302
    response = client_for(team.smw).post(
        url, {"expected": team.ib.pk, "coordinator": team.teacher.pk}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft de regisseur net gewijzigd." in page
    assert f"Nu is {team.smw.full_name} de regisseur. Uw keuze is niet opgeslagen." in page
    form = response.context["coordinator_form"]
    assert form["expected"].value() == str(team.smw.pk)  # sending again is deliberate
    assert form["coordinator"].value() == str(team.teacher.pk)
    case.refresh_from_db()
    assert case.coordinator == team.smw
    assert not case.events.filter(text=f"{team.teacher} is regisseur.").exists()

    again = client_for(team.smw).post(
        url, {"expected": form["expected"].value(), "coordinator": team.teacher.pk}
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.coordinator == team.teacher


def test_the_same_coordinator_form_sent_twice_names_the_coordinator_once(team, client_for):
    from schoolzorg.accounts.models import Notification

    case = _case(team)
    client = client_for(team.ib)
    form = {"expected": "", "coordinator": team.smw.pk}
    first = client.post(f"/casussen/{case.pk}/regisseur/", form)
    second = client.post(f"/casussen/{case.pk}/regisseur/", form)
    assert (first.status_code, second.status_code) == (302, 302)
    case.refresh_from_db()
    assert case.coordinator == team.smw
    assert case.events.filter(text__endswith="is regisseur.").count() == 1
    assert Notification.objects.filter(user=team.smw).count() == 1


def test_a_coordinator_form_without_what_the_screen_showed_is_refused(team, client_for):
    case = _case(team, coordinator=team.ib)
    client = client_for(team.smw)
    missing = client.post(f"/casussen/{case.pk}/regisseur/", {"coordinator": team.teacher.pk})
    junk = client.post(
        f"/casussen/{case.pk}/regisseur/", {"expected": "9" * 30, "coordinator": team.teacher.pk}
    )
    assert missing.status_code == 409 and "net gewijzigd" in missing.content.decode()
    assert junk.status_code == 302
    case.refresh_from_db()
    assert case.coordinator == team.ib


def test_closing_without_outcome_is_explained(team, client_for):
    case = _case(team)
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/status/", {"expected": "new", "to": "closed"}
    )
    assert response.status_code == 400
    assert "Kies de uitkomst" in response.content.decode()


def test_teacher_cannot_change_status_of_own_concern(team, client_for):
    case = services.register_concern(
        team.pupil, category="other", description="x y", by=team.teacher
    )
    client = client_for(team.teacher)
    assert client.get(f"/casussen/{case.pk}/").status_code == 200
    assert (
        client.post(
            f"/casussen/{case.pk}/status/", {"expected": "new", "to": "in_care_team"}
        ).status_code
        == 404
    )


def test_the_teacher_who_raised_a_case_follows_its_status_not_the_file(team, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = services.register_concern(
        team.pupil, category="other", description="Slaapt in de klas.", by=team.teacher
    )
    services.add_case_event(case, kind="note", text="Eigen notitie van juf.", by=team.teacher)
    services.add_case_event(case, kind="note", text="Moeder vertelt over thuis.", by=team.ib)
    services.change_case_status(case, to="in_care_team", by=team.ib)
    contact(case, team.smw, team.provider, with_whom="oma van moederskant")
    document = services.add_document(
        case,
        upload=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=team.ib,
        max_bytes=1024 * 1024,
    )
    client = client_for(team.teacher)
    page = client.get(f"/casussen/{case.pk}/").content.decode()
    assert "Status: In het schoolzorgteam." in page and "Eigen notitie van juf." in page
    for hidden in ("Moeder vertelt", "oma van moederskant", "verslag.pdf", "Integraal plan"):
        assert hidden not in page, hidden
    assert client.get(f"/casussen/document/{document.pk}/").status_code == 404
    home = client.get("/").content.decode()
    assert f"/casussen/{case.pk}/" in home  # "Mijn casussen" leads back to it
    ib_page = client_for(team.ib).get(f"/casussen/{case.pk}/").content.decode()
    assert "Moeder vertelt" in ib_page and "oma van moederskant" in ib_page


def test_social_worker_records_a_contact(team, client_for):
    case = _case(team)
    response = client_for(team.smw).post(
        f"/casussen/{case.pk}/contact/",
        {
            "contact_on": timezone.localdate().isoformat(),
            "form": "talk_parent",
            "with_whom": "moeder",
            "minutes": "30",
        },
    )
    assert response.status_code == 302
    assert case.contacts.get().minutes == 30
    bad = client_for(team.smw).post(
        f"/casussen/{case.pk}/contact/",
        {"contact_on": "2999-01-01", "form": "talk_parent", "with_whom": "vader", "minutes": "abc"},
    )
    assert bad.status_code == 400
    assert "toekomst" in bad.content.decode() and 'value="vader"' in bad.content.decode()


def test_the_same_contact_form_sent_twice_counts_the_minutes_once(team, client_for):
    """The back button or a slow network: the resent form finds the first contact."""
    case = _case(team)
    client = client_for(team.smw)
    token = client.get(f"/casussen/{case.pk}/").context["contact_form"]["form_token"].value()
    form = {
        "form_token": token,
        "contact_on": timezone.localdate().isoformat(),
        "form": "talk_parent",
        "with_whom": "moeder",
        "minutes": "45",
    }
    first = client.post(f"/casussen/{case.pk}/contact/", form)
    second = client.post(f"/casussen/{case.pk}/contact/", form, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain == [(f"/casussen/{case.pk}/", 302)]
    assert "Het contact is geregistreerd." in second.content.decode()
    assert case.contacts.count() == 1
    assert case.events.filter(kind="contact").count() == 1
    # A newly drawn form has a new token: a second real contact is counted.
    fresh = second.context["contact_form"]["form_token"].value()
    assert fresh != token
    assert (
        client.post(f"/casussen/{case.pk}/contact/", {**form, "form_token": fresh}).status_code
        == 302
    )
    assert case.contacts.count() == 2


def test_the_same_note_sent_twice_stands_once_on_the_timeline(team, client_for):
    case = _case(team)
    client = client_for(team.ib)
    token = client.get(f"/casussen/{case.pk}/").context["note_form"]["form_token"].value()
    form = {"form_token": token, "kind": "note", "text": "Gesprek met moeder gepland."}
    assert client.post(f"/casussen/{case.pk}/notitie/", form).status_code == 302
    second = client.post(f"/casussen/{case.pk}/notitie/", form, follow=True)
    assert "De notitie staat op de tijdlijn." in second.content.decode()
    assert case.events.filter(text="Gesprek met moeder gepland.").count() == 1
    # Another user's token makes nothing and says so.
    other = client_for(team.smw).post(f"/casussen/{case.pk}/notitie/", form)
    assert other.status_code == 400 and "al eens verstuurd" in other.content.decode()
    assert case.events.filter(text="Gesprek met moeder gepland.").count() == 1


def test_the_same_contact_without_a_case_sent_twice_counts_once(team, client_for):
    from schoolzorg.cases.models import SocialWorkContact

    client = client_for(team.smw)
    token = client.get("/casussen/smw/").context["contact_form"]["form_token"].value()
    form = {
        "form_token": token,
        "school": team.school.pk,
        "contact_on": timezone.localdate().isoformat(),
        "form": "consultation",
        "with_whom": "leerkrachten groep 5",
        "minutes": "60",
    }
    assert client.post("/casussen/smw/contact/", form).status_code == 302
    assert client.post("/casussen/smw/contact/", form).status_code == 302
    assert SocialWorkContact.objects.count() == 1


def test_a_contact_too_long_ago_without_a_case_gets_a_message_not_a_500(team, client_for):
    response = client_for(team.smw).post(
        "/casussen/smw/contact/",
        {
            "school": team.school.pk,
            "contact_on": (timezone.localdate() - dt.timedelta(days=400)).isoformat(),
            "form": "consultation",
            "with_whom": "leerkrachten groep 5",
            "minutes": "60",
        },
    )
    assert response.status_code == 400
    assert "meer dan een jaar geleden" in response.content.decode()


def _many_cases(team, n):
    for i in range(n):
        pupil = PupilFactory(current_school=team.school)
        c = CaseFactory(
            pupil=pupil,
            raised_by=team.ib,
            coordinator=team.ib,
            social_worker=team.smw,
            status="with_school_social_work",
        )
        contact(c, team.smw, team.provider, minutes=10 + i)


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return len(ctx), response


# The page's own queries plus the menu and session; the menu grows as apps register items.
MAX_LIST_QUERIES = 30


@pytest.mark.parametrize("url,actor", [("/casussen/", "ib"), ("/casussen/smw/", "smw")])
def test_list_pages_have_a_fixed_query_count_with_1_and_30_rows(team, client_for, url, actor):
    client = client_for(getattr(team, actor))
    _many_cases(team, 1)
    one, response = _count_queries(client, url)
    assert len(response.context["cases"]) == 1
    _many_cases(team, 29)
    thirty, response = _count_queries(client, url)
    assert len(response.context["cases"]) == 30
    assert one == thirty <= MAX_LIST_QUERIES


def test_case_list_logs_one_read_per_pupil_shown(team, client_for):
    _many_cases(team, 3)
    client_for(team.ib).get("/casussen/")
    assert AccessLogEntry.objects.filter(detail="casuslijst").count() == 3


def test_a_long_case_list_comes_a_page_at_a_time_and_keeps_its_filter(
    team, client_for, monkeypatch
):
    from schoolzorg.lib import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    _many_cases(team, 3)
    client = client_for(team.ib)
    first = client.get("/casussen/", {"status": "all"})
    assert len(first.context["cases"]) == 2
    assert AccessLogEntry.objects.filter(detail="casuslijst").count() == 2
    body = first.content.decode()
    assert 'href="?status=all&amp;pagina=2" rel="next"' in body
    assert "Casussen 1 tot en met 2" in body
    second = client.get("/casussen/", {"status": "all", "pagina": "2"})
    assert len(second.context["cases"]) == 1
    shown = {c.pk for c in first.context["cases"]} | {c.pk for c in second.context["cases"]}
    assert len(shown) == 3
    assert 'rel="next"' not in second.content.decode()


def test_the_social_workers_own_cases_are_called_mijn_dossiers_in_dutch(team, client_for):
    _many_cases(team, 2)
    page = client_for(team.smw).get("/casussen/smw/").content.decode()
    assert "<title>Mijn dossiers" in page and "<h2>" not in page.split("</title>")[0]
    assert 'aria-current="page">Mijn dossiers' in page  # the menu
    assert "caseload" not in page.lower()
    assert AccessLogEntry.objects.filter(detail="dossierlijst SMW").count() == 2


def test_caseload_counts_contacts(team, client_for):
    _many_cases(team, 2)
    response = client_for(team.smw).get("/casussen/smw/")
    assert [c.contact_count for c in response.context["cases"]] == [1, 1]


def test_hours_export_is_aggregated_and_names_no_child(team, client_for, member):
    from schoolzorg.organisations.tests.factories import ServiceDeskFactory

    case = _case(team)
    team.school.name = '=HYPERLINK("http://evil.example","School")'  # a name, not a formula
    team.school.save()
    today = timezone.localdate()
    contact(case, team.smw, team.provider, minutes=90, contact_on=today)
    contact(case, team.smw, team.provider, minutes=30, contact_on=today, form="phone")
    desk = member(
        Role.SERVICE_DESK_COORDINATOR, ServiceDeskFactory(municipality=team.provider.municipality)
    )
    response = client_for(desk).get(f"/casussen/smw/uren/{team.provider.pk}.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:8] == [
        "Aanbieder",
        "School",
        "Vestigingscode",
        "Maand",
        "Aantal contacten",
        "Aantal casussen",
        "Minuten",
        "Uren",
    ]
    assert rows[1][1] == "'" + team.school.name and rows[1][4:8] == ["2", "1", "120", "2,0"]
    assert team.pupil.first_name not in text and team.pupil.last_name not in text
    xlsx = client_for(desk).get(f"/casussen/smw/uren/{team.provider.pk}.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(2, 7).value == 120
    assert (sheet.cell(2, 2).value, sheet.cell(2, 2).data_type) == (team.school.name, "s")
    assert AccessLogEntry.objects.filter(action="export").count() == 2
    assert client_for(team.ib).get(f"/casussen/smw/uren/{team.provider.pk}.csv").status_code == 404


def test_anonymous_consultation_is_counted_per_school_and_month(team, client_for):
    client = client_for(team.ib)
    response = client.post(
        "/casussen/consulten/nieuw/",
        {
            "school": team.school.pk,
            "category": "absence",
            "summary": "Kind komt niet.",
            "held_on": timezone.localdate().isoformat(),
            "participants": "IB, SMW",
        },
    )
    assert response.status_code == 302
    page = client.get("/casussen/consulten/")
    assert page.context["counts"][0]["n"] == 1
    assert client_for(team.outsider).get("/casussen/consulten/").context["items"] == []
    assert client_for(team.teacher).get("/casussen/consulten/").status_code == 404
    consult = AnonymousConsultation.objects.get()
    assert (
        client_for(team.outsider).get(f"/casussen/consulten/{consult.pk}/omzetten/").status_code
        == 404
    )
    assert client_for(team.teacher).get("/casussen/consulten/nieuw/").status_code == 404


def test_a_consultation_sent_twice_is_recorded_and_counted_once(team, client_for):
    """A double click or a resend after a slow answer carries the same token: one consultation,
    so the month's count (which feeds the figures) stays right."""
    client = client_for(team.ib)
    page = client.get("/casussen/consulten/nieuw/").content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    data = {
        "form_token": token,
        "school": team.school.pk,
        "category": "absence",
        "summary": "Kind komt niet.",
        "held_on": timezone.localdate().isoformat(),
        "participants": "IB, SMW",
    }
    assert client.post("/casussen/consulten/nieuw/", data).status_code == 302
    again = client.post("/casussen/consulten/nieuw/", data)
    assert again.status_code == 302 and again["Location"] == "/casussen/consulten/"
    assert AnonymousConsultation.objects.count() == 1
    assert client.get("/casussen/consulten/").context["counts"][0]["n"] == 1
    # The token of someone else's consultation is no way to see or change it.
    other = client_for(team.smw).post("/casussen/consulten/nieuw/", data)
    assert other.status_code == 400
    assert "Dit formulier is al eens verstuurd." in other.content.decode()
    assert AnonymousConsultation.objects.count() == 1


def test_converting_without_consent_offers_no_pupil_and_refuses(team, client_for):
    consult = services.record_consultation(
        school=team.school,
        category="absence",
        summary="x",
        held_on=timezone.localdate(),
        participants="IB",
        by=team.ib,
    )
    client = client_for(team.ib)
    page = client.get(f"/casussen/consulten/{consult.pk}/omzetten/")
    assert page.status_code == 200 and team.pupil.last_name not in page.content.decode()
    response = client.post(f"/casussen/consulten/{consult.pk}/omzetten/", {"pupil": team.pupil.pk})
    assert response.status_code == 400 and not Case.objects.exists()


def test_pupil_page_shows_cases_section_with_register_button(team, client_for):
    _case(team)
    page = client_for(team.ib).get(f"/leerlingen/{team.pupil.pk}/").content.decode()
    assert "Casussen" in page and "Zorg melden" in page and "Integraal plan" in page


def test_home_panel_lists_my_cases(team, client_for):
    _case(team, coordinator=team.ib)
    _case(team)
    page = client_for(team.ib).get("/").content.decode()
    assert "Mijn casussen" in page and team.pupil.first_name in page
    assert "2 nieuwe zorgmeldingen</a> op uw school." in page  # one school: not "scholen"


def test_other_school_case_not_in_list(team, client_for):
    other = PupilFactory(current_school=SchoolFactory())
    CaseFactory(pupil=other, raised_by=team.ib)
    assert client_for(team.ib).get("/casussen/").context["cases"] == []
    assert dt.date.today()


def test_case_list_school_filter_takes_only_the_users_own_schools(team, client_for):
    other_school = SchoolFactory()
    CaseFactory(pupil=team.pupil, raised_by=team.ib)
    client = client_for(team.ib)
    assert len(client.get(f"/casussen/?school={team.school.pk}").context["cases"]) == 1
    # Another school's id, or a number beyond any id, is no filter: it used to answer 500.
    for value in (str(other_school.pk), "9" * 23, "-1", "abc"):
        response = client.get("/casussen/", {"school": value})
        assert response.status_code == 200
        assert len(response.context["cases"]) == 1


def test_an_unknown_status_filter_shows_the_open_cases_and_says_so(team, client_for):
    """An old bookmark or a typed address: the list is what the form shows (tester finding:
    "Alle open casussen" was selected above a list of every case, closed ones too)."""
    open_case = CaseFactory(pupil=team.pupil, raised_by=team.ib)
    closed = CaseFactory(
        pupil=PupilFactory(current_school=team.school),
        raised_by=team.ib,
        status="closed",
        outcome="resolved",
    )
    response = client_for(team.ib).get("/casussen/", {"status": "onzin"})
    page = response.content.decode()
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [open_case.pk]
    assert closed.pk not in [c.pk for c in response.context["cases"]]
    assert '<option value="open" selected>Alle open casussen</option>' in page
    assert "Die keuze bij Status kennen we niet. U ziet alle open casussen." in page


def test_social_worker_records_a_contact_without_case(team, client_for):
    from schoolzorg.cases.models import SocialWorkContact

    client = client_for(team.smw)
    bad = client.post(
        "/casussen/smw/contact/", {"school": team.school.pk, "with_whom": "leerkrachten groep 5"}
    )
    assert bad.status_code == 400 and "leerkrachten groep 5" in bad.content.decode()
    ok = client.post(
        "/casussen/smw/contact/",
        {
            "school": team.school.pk,
            "contact_on": timezone.localdate().isoformat(),
            "form": "consultation",
            "with_whom": "leerkrachten groep 5",
            "minutes": "60",
        },
    )
    assert ok.status_code == 302
    contact_row = SocialWorkContact.objects.get()
    assert (contact_row.case, contact_row.provider) == (None, team.provider)
    other = SchoolFactory()
    refused = client.post(
        "/casussen/smw/contact/",
        {
            "school": other.pk,
            "contact_on": timezone.localdate().isoformat(),
            "form": "phone",
            "with_whom": "x",
            "minutes": "5",
        },
    )
    assert refused.status_code == 400
    assert client_for(team.ib).post("/casussen/smw/contact/", {}).status_code == 404


@pytest.mark.parametrize("verify", [True, False])
def test_case_list_follows_a_membership_that_ends_between_requests(
    team, client_for, settings, verify
):
    """The list's SQL is compiled once per access key: an ended membership is a new key, so
    the next request builds it again (with or without the test suite's verification)."""
    from schoolzorg.accounts.models import Membership

    settings.SCHOOLZORG_VERIFY_PREPARED = verify
    for _ in range(2):  # seen through the school membership only (no coordinator named)
        CaseFactory(
            pupil=PupilFactory(current_school=team.school, last_name="Zichtbaar"),
            raised_by=team.teacher,
            coordinator=None,
            social_worker=None,
        )
    client = client_for(team.ib)
    assert client.get("/casussen/").content.decode().count("Zichtbaar") == 2
    Membership.objects.filter(user=team.ib).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert "Zichtbaar" not in client.get("/casussen/").content.decode()


def test_case_list_rows_show_pupil_urgency_school_status_coordinator_and_date(team, client_for):
    case = CaseFactory(
        pupil=PupilFactory(current_school=team.school, first_name="Rij", last_name="Toets"),
        raised_by=team.teacher,
        coordinator=None,
        urgency="urgent",
        opened_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),  # 2 March in Amsterdam
    )
    html = client_for(team.ib).get("/casussen/?status=all").content.decode()
    row = html[html.index(f'href="/casussen/{case.pk}/"') :]
    row = row[: row.index("</tr>")]
    # How soon has a column of its own, with a heading that says what the tag means.
    assert '<th scope="col">Hoe snel</th>' in html
    assert 'Rij Toets</a></td>\n    <td><span class="tag tag--danger">direct</span></td>' in row
    assert f"<td>{team.school.name}</td>" in row
    assert f"<td>{case.get_category_display()}</td>" in row
    assert f"<td>{case.get_status_display()}</td>" in row
    assert "<td>nog niet gekozen</td>" in row and "<td>2-3-2026</td>" in row


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01"])
def test_a_consultation_long_ago_is_refused_at_the_date(team, client_for, day):
    response = client_for(team.ib).post(
        "/casussen/consulten/nieuw/",
        {
            "school": team.school.pk,
            "category": "absence",
            "summary": "Kind komt niet.",
            "held_on": day,
            "participants": "IB, SMW",
        },
    )
    assert "Deze datum ligt te ver terug" in response.content.decode()
    assert not AnonymousConsultation.objects.exists()


def test_the_case_page_gives_every_field_its_own_id(team, client_for):
    """The status and the coordinator form both carry a hidden `expected`: one id each."""
    import re
    from collections import Counter

    case = _case(team, coordinator=team.ib)
    page = client_for(team.ib).get(f"/casussen/{case.pk}/").content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert "id_expected" in ids and "id_regisseur_expected" in ids
    assert [i for i, n in ids.items() if n > 1] == []


def test_the_concern_form_names_the_running_case_the_reporter_may_open(team, client_for):
    """Tester X (stop 28): a teacher reported a concern again beside the running case, unaware
    of it; the form now names it with a link, and still lets a new concern be reported."""
    running = _case(team)
    closed = _case(team)
    Case.objects.filter(pk=closed.pk).update(status="closed", outcome="resolved")
    page = client_for(team.ib).get(f"/casussen/melden/{team.pupil.pk}/").content.decode()
    assert f'href="/casussen/{running.pk}/">Verzuim' in page
    assert f"/casussen/{closed.pk}/" not in page
    assert "Gaat het om iets anders? Meld de zorg hieronder." in page
    # The teacher of the pupil's group may not open a case someone else raised: not told of it.
    assert not Case.objects.visible_to(team.teacher).filter(pk=running.pk).exists()
    outsider = client_for(team.teacher).get(f"/casussen/melden/{team.pupil.pk}/")
    assert outsider.status_code == 200 and "Er loopt al" not in outsider.content.decode()


def test_the_menu_badge_says_it_counts_new_cases(team, client_for):
    """Tester X1: the badge counts new concerns only, so "1 open" next to 8 open cases was wrong."""
    _case(team)
    body = client_for(team.ib).get("/").content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> nieuw</span></span>' in body


def test_the_case_list_names_its_choice_and_page_in_the_tab_title(team, client_for):
    """Tester X7: "/casussen/" and "/casussen/?status=new" had the same tab title."""
    client = client_for(team.ib)
    assert "<title>Casussen: alle open casussen – " in client.get("/casussen/").content.decode()
    chosen = client.get("/casussen/", {"status": "new", "pagina": 2}).content.decode()
    assert "<title>Casussen: nieuw, pagina 2 – " in chosen
