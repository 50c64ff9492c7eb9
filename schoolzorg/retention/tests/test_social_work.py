"""Requests for early destruction of a social-work provider's file (SMW): who answers them,
what carrying one out destroys and keeps, and what the pages and the parents' overview say."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case, SocialWorkContact
from schoolzorg.cases.tests.factories import CaseFactory, contact
from schoolzorg.organisations.models import SocialWorkProvider
from schoolzorg.organisations.tests.factories import SchoolFactory, SocialWorkProviderFactory
from schoolzorg.pupils.models import Enrolment, Pupil
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.referrals.tests.factories import World, make_world, person
from schoolzorg.retention import policies, services
from schoolzorg.retention.models import DestructionRecord, DestructionRequest, RetentionPeriod

pytestmark = pytest.mark.django_db


def provider_of(world: World) -> SocialWorkProvider:
    first = world.smw.memberships.order_by("pk").first()
    assert first is not None
    return SocialWorkProvider.objects.get(pk=first.organisation_id)


@pytest.fixture
def world() -> World:
    """The world's pupil (13 on 4 December 2026) with a case and two contacts of the provider."""
    world = make_world()
    Pupil.objects.filter(pk=world.pupil.pk).update(
        first_name="Madelief", date_of_birth=dt.date(2013, 4, 1)
    )
    world.pupil.refresh_from_db()
    case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    for days in (10, 3):
        contact(
            case,
            world.smw,
            provider_of(world),
            contact_on=dt.date.today() - dt.timedelta(days=days),
        )
    world.extra["case"] = case
    return world


def _request(world: World, **kwargs: Any) -> DestructionRequest:
    values: dict[str, Any] = {
        "requester": "guardian",
        "received_on": dt.date.today(),
        "note": "Per brief van de moeder",
        "by": world.smw,
        "form_token": uuid.uuid4(),
    }
    values.update(kwargs)
    return services.record_request(world.pupil, provider_of(world), **values)


def _section(page: str) -> str:
    start = page.index(">Bewaartermijn</h2>")
    return page[start : page.index("</section>", start)]


# --- Who answers --------------------------------------------------------------------------------


def test_a_school_social_worker_answers_for_the_providers_file_once_it_had_contact():
    world = make_world()
    provider = provider_of(world)
    case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    assert policies.file_holder_for(world.smw, world.pupil) is None  # no contact yet
    # A contact without a case is about no pupil.
    loose = contact(case, world.smw, provider)
    SocialWorkContact.objects.filter(pk=loose.pk).update(case=None)
    assert policies.file_holder_for(world.smw, world.pupil) is None
    contact(case, world.smw, provider)
    assert policies.file_holder_for(world.smw, world.pupil).pk == provider.pk
    # Another provider's social worker at the same school: not their file.
    other = person(SocialWorkProviderFactory(), Role.SCHOOL_SOCIAL_WORKER, school=world.school)
    assert policies.file_holder_for(other, world.pupil) is None
    # The coordinator still answers for the school's file only.
    assert policies.file_holder_for(world.coordinator, world.pupil).pk == world.school.pk


def test_the_social_worker_records_a_request_from_the_pupil_page(client_for, world):
    client = client_for(world.smw)
    page = client.get(f"/leerlingen/{world.pupil.pk}/").content.decode()
    section = _section(page)
    assert (
        f"{provider_of(world).name} bewaart het dossier van dit kind tot 20 jaar na het laatste "
        "contact met de schoolmaatschappelijk werker." in section
    )
    url = f"/bewaartermijnen/leerling/{world.pupil.pk}/verzoek/"
    assert f'href="{url}"' in section
    form = client.get(url).content.decode()
    assert f"Het gaat om het dossier van {provider_of(world).name}." in form
    response = client.post(
        url,
        {"form_token": str(uuid.uuid4()), "requester": "guardian", "received_on": "2026-11-02"},
    )
    assert response.status_code == 302
    request = DestructionRequest.objects.get()
    assert request.organisation_id == provider_of(world).pk and request.kind == "youth_care"
    assert request.recorded_by == world.smw
    assert "Jeugdwet, artikel 7.3.9" in request.basis

    section = _section(client.get(f"/leerlingen/{world.pupil.pk}/").content.decode())
    assert f'href="/bewaartermijnen/verzoek/{request.pk}/"' in section
    assert "Verzoek tot vernietiging vastleggen" not in section
    panel = client.get("/").content.decode()
    assert "1 verzoek tot vernietiging wacht op uw besluit" in panel
    assert f"jeugdhulpdossier van {provider_of(world).name}" in panel
    assert "Madelief" not in panel.split("Verzoeken tot vernietiging")[1].split("</section>")[0]


def test_the_providers_own_period_is_on_the_pupil_page(client_for, world):
    RetentionPeriod.objects.create(organisation=provider_of(world), years=25)
    page = client_for(world.smw).get(f"/leerlingen/{world.pupil.pk}/").content.decode()
    assert "tot 25 jaar na het laatste contact" in _section(page)


def test_the_social_worker_refuses_citing_the_jeugdwet(client_for, world):
    request = _request(world)
    client = client_for(world.smw)
    page = client.get(f"/bewaartermijnen/verzoek/{request.pk}/").content.decode()
    assert "Jeugdwet, artikel 7.3.9, tweede lid" in page and "AVG" not in page
    client.post(
        f"/bewaartermijnen/verzoek/{request.pk}/weigeren/",
        {"reason": "Bewaren is van aanmerkelijk belang voor een broertje"},
    )
    request.refresh_from_db()
    assert request.state == "refused" and request.decided_by == world.smw
    assert SocialWorkContact.objects.filter(case__pupil=world.pupil).count() == 2


def test_another_providers_social_worker_or_one_without_a_contact_gets_404(
    client_for, member, world
):
    request = _request(world)
    urls = (
        f"/bewaartermijnen/leerling/{world.pupil.pk}/verzoek/",
        f"/bewaartermijnen/verzoek/{request.pk}/",
        f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/",
    )
    mine = client_for(world.smw)
    for url in urls:
        assert mine.get(url).status_code == 200, url
    # Another provider's social worker at the pupil's school sees the pupil, not this file.
    other = client_for(
        member(Role.SCHOOL_SOCIAL_WORKER, SocialWorkProviderFactory(), school=world.school)
    )
    for url in urls:
        assert other.get(url).status_code == 404, url
    assert (
        other.post(f"/bewaartermijnen/verzoek/{request.pk}/weigeren/", {"reason": "X"}).status_code
        == 404
    )
    assert "Bewaartermijn" not in other.get(f"/leerlingen/{world.pupil.pk}/").content.decode()
    # The same provider's social worker at another school does not see the pupil.
    elsewhere = client_for(
        member(Role.SCHOOL_SOCIAL_WORKER, provider_of(world), school=SchoolFactory())
    )
    for url in urls:
        assert elsewhere.get(url).status_code == 404, url
    # The provider had no contact about this classmate: no file of its to ask about.
    classmate = PupilFactory(current_school=world.school)
    CaseFactory(pupil=classmate, raised_by=world.coordinator)
    assert mine.get(f"/bewaartermijnen/leerling/{classmate.pk}/verzoek/").status_code == 404
    assert "Bewaartermijn" not in mine.get(f"/leerlingen/{classmate.pk}/").content.decode()
    # The school's coordinator answers for the school's file, not the provider's request.
    assert client_for(world.coordinator).get(urls[1]).status_code == 404
    request.refresh_from_db()
    assert request.state == "open"


@pytest.mark.parametrize(
    ("born", "requester", "refused"),
    [
        (dt.date(2015, 6, 1), "pupil", "Een leerling kan dit zelf vragen vanaf 12 jaar"),
        (dt.date(2009, 6, 1), "guardian", "leg het verzoek van de leerling vast"),
    ],
)
def test_who_may_ask_by_age_holds_for_the_providers_file(
    client_for, world, born, requester, refused
):
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=born)
    response = client_for(world.smw).post(
        f"/bewaartermijnen/leerling/{world.pupil.pk}/verzoek/",
        {"form_token": str(uuid.uuid4()), "requester": requester, "received_on": "2026-11-02"},
    )
    assert response.status_code == 400
    assert refused in response.content.decode()
    assert not DestructionRequest.objects.exists()


# --- Carrying out -------------------------------------------------------------------------------


def test_carrying_out_destroys_the_contacts_and_keeps_the_schools_case_shared(client_for, world):
    case = world.extra["case"]
    other_provider = SocialWorkProviderFactory()
    theirs = contact(case, world.smw, other_provider)  # another provider's contact stays
    request = _request(world)
    client = client_for(world.smw)
    url = f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/"
    page = client.get(url).content.decode()
    assert "contacten SMW" in page
    assert "1 stuk blijft bewaard" in page and "(casussen: 1)" in page

    assert client.post(url, {"confirm": "on"}).status_code == 302

    assert not SocialWorkContact.objects.filter(provider=provider_of(world)).exists()
    assert SocialWorkContact.objects.filter(pk=theirs.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()  # the school's file still runs
    assert Enrolment.objects.filter(pupil=world.pupil, ended_on__isnull=True).exists()
    request.refresh_from_db()
    assert request.state == "carried_out" and request.pupil_id is None
    line = DestructionRecord.objects.get(request=request)
    assert line.organisation_id == provider_of(world).pk
    assert line.organisation_label == provider_of(world).name
    assert line.kind == "youth_care" and line.reason == "request" and line.by == world.smw
    assert line.counts["contacten SMW"] == 2 and line.records == sum(line.counts.values())
    assert line.kept_shared == 1  # the case, which the school's file holds
    assert line.basis == "Verzoek van een ouder met gezag (Jeugdwet, artikel 7.3.9)"
    # The shared records (plan, consents) stay: the school's file still holds the case.
    assert not DestructionRecord.objects.filter(kind="pupil").exists()
    assert world.pupil.consents.exists()
    # The file is gone: no more section, no more file to ask about.
    assert policies.file_holder_for(world.smw, world.pupil) is None


def test_a_destroyed_contacts_line_on_the_kept_cases_timeline_goes_too(client_for, world):
    from schoolzorg.cases import services as cases

    case = world.extra["case"]
    cases.record_contact(
        worker=world.smw,
        school=world.school,
        provider=provider_of(world),
        case=case,
        contact_on=dt.date.today(),
        form="talk_pupil",
        with_whom="leerling en moeder",
        minutes=45,
        note="Moeder vertelt over de scheiding",
    )
    cases.add_case_event(case, kind="note", text="Gesprek met de juf gepland", by=world.coordinator)
    assert case.events.filter(text__contains="scheiding").exists()
    request = _request(world)

    client_for(world.smw).post(
        f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/", {"confirm": "on"}
    )

    assert Case.objects.filter(pk=case.pk).exists()
    assert not case.events.filter(text__contains="scheiding").exists()
    assert case.events.filter(text="Gesprek met de juf gepland").exists()  # the school's note
    line = DestructionRecord.objects.get(request=request)
    assert line.counts["contacten SMW"] == 3 and line.counts["regels tijdlijn casus"] == 1


def test_once_the_providers_file_went_the_case_goes_with_the_schools_file(client_for, world):
    case = world.extra["case"]
    Case.objects.filter(pk=case.pk).update(status="closed", outcome="resolved")
    request = _request(world)
    client_for(world.smw).post(
        f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/", {"confirm": "on"}
    )
    assert Case.objects.filter(pk=case.pk).exists()
    Enrolment.objects.filter(pupil=world.pupil).update(ended_on=dt.date.today())
    Pupil.objects.filter(pk=world.pupil.pk).update(current_school=None)

    # Two years after leaving the school's file goes, with the case: no provider holds it now.
    services.destroy_expired(dt.date.today().replace(year=dt.date.today().year + 2))

    assert not Case.objects.filter(pk=case.pk).exists()
    school_line = DestructionRecord.objects.get(organisation=world.school, kind="school")
    assert school_line.counts["casussen"] == 1 and school_line.kept_shared == 0


# --- More than one file, more than one membership -----------------------------------------------


def test_someone_who_answers_for_two_files_sees_and_records_for_each(client_for, member, world):
    provider = provider_of(world)
    # The coordinator of the school also works as its social worker for the provider.
    both = member(Role.SCHOOL_SOCIAL_WORKER, provider, school=world.school, user=world.coordinator)
    assert {o.pk for o in policies.file_holders_for(both, world.pupil)} == {
        world.school.pk,
        provider.pk,
    }
    school_request = services.record_request(
        world.pupil,
        world.school,
        requester="guardian",
        received_on=dt.date.today(),
        note="",
        by=both,
        form_token=uuid.uuid4(),
    )
    client = client_for(both)
    section = _section(client.get(f"/leerlingen/{world.pupil.pk}/").content.decode())
    assert f'href="/bewaartermijnen/verzoek/{school_request.pk}/"' in section
    assert f"{world.school.name} bewaart een eigen dossier over dit kind tot 2 jaar" in section
    assert f"{provider.name} bewaart een eigen dossier over dit kind tot 20 jaar" in section
    url = f"/bewaartermijnen/leerling/{world.pupil.pk}/verzoek/?dossier={provider.pk}"
    assert f"Verzoek tot vernietiging vastleggen voor het dossier van {provider.name}" in section
    assert f'href="{url}"' in section

    form = client.get(url).content.decode()
    assert f"Het gaat om het dossier van {provider.name}." in form
    response = client.post(
        url, {"form_token": str(uuid.uuid4()), "requester": "pupil", "received_on": "2026-11-02"}
    )
    assert response.status_code == 302
    provider_request = DestructionRequest.objects.get(organisation=provider)
    section = _section(client.get(f"/leerlingen/{world.pupil.pk}/").content.decode())
    for found in (school_request, provider_request):
        assert f'href="/bewaartermijnen/verzoek/{found.pk}/"' in section
    assert "Verzoek tot vernietiging vastleggen" not in section
    panel = client.get("/").content.decode()
    assert "2 verzoeken tot vernietiging wachten op uw besluit" in panel
    # A file the user does not answer for, or a made-up one, is not there to ask about.
    assert client.get(f"{url[: url.index('=') + 1]}{world.team.pk}").status_code == 404
    assert client.get(f"{url[: url.index('=') + 1]}abc").status_code == 404


def test_a_social_worker_at_two_schools_sees_the_providers_file_once(client_for, member, world):
    provider = provider_of(world)
    member(Role.SCHOOL_SOCIAL_WORKER, provider, school=SchoolFactory(), user=world.smw)
    request = _request(world)
    client = client_for(world.smw)
    section = _section(client.get(f"/leerlingen/{world.pupil.pk}/").content.decode())
    assert section.count(f"{provider.name} bewaart het dossier van dit kind") == 1
    assert section.count(f'href="/bewaartermijnen/verzoek/{request.pk}/"') == 1
    panel = client.get("/").content.decode()
    assert "1 verzoek tot vernietiging wacht op uw besluit" in panel


# --- The parents' overview ----------------------------------------------------------------------


def test_the_parents_overview_gives_the_providers_own_period_and_says_ask_the_smw(
    time_machine,
):
    from schoolzorg.audit.parents import overview_html

    time_machine.move_to(dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC))
    world = make_world()
    Pupil.objects.filter(pk=world.pupil.pk).update(first_name="Madelief")
    world.pupil.refresh_from_db()
    provider = provider_of(world)
    case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    RetentionPeriod.objects.create(organisation=provider, years=25)

    def note() -> str:
        html = overview_html(world.pupil, printed_by=world.coordinator)
        return html.split("Hoe lang bewaren we het dossier?")[1].split("Vragen?")[0]

    # No contact about the child yet: the provider keeps no file about it.
    assert provider.name not in note() and "Elke organisatie" not in note()
    contact(case, world.smw, provider)
    assert (
        f"{provider.name} heeft ook een dossier over Madelief: de contacten met de "
        "schoolmaatschappelijk werker. Het schoolmaatschappelijk werk bewaart dat tot 25 jaar na "
        "het laatste contact" in note()
    )
    assert "Vraag het aan de intern begeleider of de schoolmaatschappelijk werker." in note()
    assert "Elke organisatie besluit zelf over haar eigen dossier." in note()


def test_the_parents_overview_names_team_and_provider_together(world):
    from schoolzorg.audit.parents import overview_html
    from schoolzorg.referrals.tests.factories import submitted

    submitted(world)
    html = overview_html(world.pupil, printed_by=world.coordinator)
    assert "aan de intern begeleider, het wijkteam of de schoolmaatschappelijk werker." in html


def test_a_break_the_glass_grant_opens_the_file_but_decides_nothing(client_for, member, world):
    from schoolzorg.audit.services import grant_break_glass

    request = _request(world)
    # The same provider's social worker at another school, in an emergency.
    elsewhere = member(Role.SCHOOL_SOCIAL_WORKER, provider_of(world), school=SchoolFactory())
    grant_break_glass(
        elsewhere,
        pupil_id=world.pupil.pk,
        pupil_label=str(world.pupil),
        reason="Acute zorgen, de vaste schoolmaatschappelijk werker is ziek",
        membership=elsewhere.memberships.get(),
    )
    client = client_for(elsewhere)
    page = client.get(f"/leerlingen/{world.pupil.pk}/").content.decode()
    assert world.pupil.first_name in page  # the grant opens the file
    assert "Bewaartermijn" not in page
    assert client.get(f"/bewaartermijnen/leerling/{world.pupil.pk}/verzoek/").status_code == 404
    assert client.get(f"/bewaartermijnen/verzoek/{request.pk}/").status_code == 404
    refused = client.post(f"/bewaartermijnen/verzoek/{request.pk}/weigeren/", {"reason": "X"})
    assert refused.status_code == 404
    request.refresh_from_db()
    assert request.state == "open"
