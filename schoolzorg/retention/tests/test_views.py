"""Pages of retention: requests for early destruction, the register, the admin's periods."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from conftest import assert_asks_to_confirm_first
from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case
from schoolzorg.cases.tests.factories import CaseFactory
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.retention.models import DestructionRecord, DestructionRequest, RetentionPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(member: Any) -> Any:
    town = MunicipalityFactory()
    return SchoolFactory(municipality=town)


@pytest.fixture
def ib(member: Any, school: Any) -> Any:
    return member(Role.SUPPORT_COORDINATOR, school)


@pytest.fixture
def pupil(school: Any, ib: Any) -> Any:
    pupil = PupilFactory(
        current_school=school,
        first_name="Madelief",
        last_name="Groen",
        date_of_birth=dt.date(2013, 4, 1),
    )
    CaseFactory(pupil=pupil, raised_by=ib)
    return pupil


def _open_request(pupil: Any, ib: Any) -> DestructionRequest:
    return DestructionRequest.objects.create(
        pupil=pupil,
        organisation=pupil.current_school,
        kind="school",
        requester="guardian",
        received_on=dt.date(2026, 11, 2),
        recorded_by=ib,
    )


def test_the_pupil_page_tells_the_coordinator_the_period_and_where_to_ask(client_for, ib, pupil):
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "Bewaartermijn" in page and "tot 2 jaar nadat de leerling van school ging" in page
    assert f"/bewaartermijnen/leerling/{pupil.pk}/verzoek/" in page


def test_the_pupil_page_shows_the_organisations_own_period(client_for, ib, pupil):
    RetentionPeriod.objects.create(organisation=pupil.current_school, years=4)
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "tot 4 jaar nadat" in page


def test_recording_a_request_twice_with_one_form_makes_one_request(client_for, ib, pupil):
    client = client_for(ib)
    url = f"/bewaartermijnen/leerling/{pupil.pk}/verzoek/"
    assert client.get(url).status_code == 200
    form = {
        "form_token": str(uuid.uuid4()),
        "requester": "pupil",
        "received_on": "2026-11-02",
        "note": "Per e-mail",
    }
    first = client.post(url, form)
    second = client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert DestructionRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def _panel(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    return page[start : page.index("</section>", start)]


def test_the_pupil_page_lists_the_open_requests_of_the_users_organisation(
    client_for, member, ib, pupil
):
    request = _open_request(pupil, ib)
    decided = _open_request(pupil, ib)
    DestructionRequest.objects.filter(pk=decided.pk).update(
        state="refused", refusal_reason="Belang broer"
    )
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    section = _panel(page, "Bewaartermijn")
    assert f'href="/bewaartermijnen/verzoek/{request.pk}/"' in section
    assert "Verzoek ontvangen op 2-11-2026" in section and "een ouder met gezag" in section
    assert str(ib) in section  # recorded by
    assert f"/bewaartermijnen/verzoek/{decided.pk}/" not in section
    # While one is open, the section offers no second one.
    assert "Verzoek tot vernietiging vastleggen" not in section


def test_my_work_counts_the_open_requests_and_links_to_them_without_naming_a_child(
    client_for, member, ib, pupil
):
    request = _open_request(pupil, ib)
    other_school = SchoolFactory()
    other = PupilFactory(current_school=other_school, first_name="Zwaluw")
    DestructionRequest.objects.create(
        pupil=other,
        organisation=other_school,
        kind="school",
        requester="pupil",
        received_on=dt.date(2026, 11, 3),
        recorded_by=member(Role.SUPPORT_COORDINATOR, other_school),
    )
    page = client_for(ib).get("/").content.decode()
    panel = _panel(page, "Verzoeken tot vernietiging")
    assert "1 verzoek tot vernietiging wacht op uw besluit" in panel
    assert f'href="/bewaartermijnen/verzoek/{request.pk}/"' in panel
    assert "Ontvangen op 2-11-2026" in panel and pupil.current_school.name in panel
    assert "Madelief" not in panel and "Groen" not in panel and "Zwaluw" not in panel
    # Nothing open: no panel; a teacher never gets one.
    DestructionRequest.objects.filter(pk=request.pk).update(
        state="refused", refusal_reason="Belang broer"
    )
    assert "Verzoeken tot vernietiging" not in client_for(ib).get("/").content.decode()
    teacher = member(Role.TEACHER, pupil.current_school)
    assert "Verzoeken tot vernietiging" not in client_for(teacher).get("/").content.decode()


def test_a_second_open_request_for_the_same_file_is_refused_with_a_link_to_the_first(
    client_for, ib, pupil
):
    first = _open_request(pupil, ib)
    client = client_for(ib)
    url = f"/bewaartermijnen/leerling/{pupil.pk}/verzoek/"
    assert f"/bewaartermijnen/verzoek/{first.pk}/" in client.get(url).content.decode()
    response = client.post(
        url,
        {"form_token": str(uuid.uuid4()), "requester": "guardian", "received_on": "2026-11-20"},
    )
    assert response.status_code == 409  # refused: a request is already open
    page = response.content.decode()
    # Said once, as an error above the form, with the link to the open request.
    assert page.count("Besluit eerst over dat verzoek.") == 1
    assert "Niet vastgelegd. Voor dit dossier ligt al een verzoek" in page
    assert 'role="alert"' in page
    assert f'href="/bewaartermijnen/verzoek/{first.pk}/"' in page
    assert DestructionRequest.objects.count() == 1
    # Once decided, a new request can be recorded.
    DestructionRequest.objects.filter(pk=first.pk).update(
        state="refused", refusal_reason="Belang broer"
    )
    again = client.post(
        url,
        {"form_token": str(uuid.uuid4()), "requester": "guardian", "received_on": "2026-11-20"},
    )
    assert again.status_code == 302
    assert DestructionRequest.objects.filter(state="open").count() == 1


def test_a_request_by_a_pupil_of_11_is_refused_with_a_dutch_message(client_for, ib, pupil):
    pupil.date_of_birth = dt.date(2015, 6, 1)
    pupil.save()
    response = client_for(ib).post(
        f"/bewaartermijnen/leerling/{pupil.pk}/verzoek/",
        {"requester": "pupil", "received_on": "2026-11-02"},
    )
    assert response.status_code == 400
    assert "vanaf 12 jaar" in response.content.decode()
    assert not DestructionRequest.objects.exists()


def test_bad_input_gets_a_form_back_not_an_error(client_for, ib, pupil):
    response = client_for(ib).post(
        f"/bewaartermijnen/leerling/{pupil.pk}/verzoek/",
        {"requester": "oom", "received_on": "gisteren"},
    )
    assert response.status_code == 400
    # Tester X7: the form that comes back says so in the tab title, as other forms do.
    assert "<title>Fout: Verzoek tot vernietiging" in response.content.decode()
    assert "Vul een datum in" in response.content.decode()


def test_an_outsider_and_an_unknown_id_get_404(client_for, member, ib, pupil):
    request = _open_request(pupil, ib)
    outsider = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    for url in (
        f"/bewaartermijnen/leerling/{pupil.pk}/verzoek/",
        f"/bewaartermijnen/verzoek/{request.pk}/",
        f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/",
    ):
        assert outsider.get(url).status_code == 404, url
    mine = client_for(ib)
    assert mine.get("/bewaartermijnen/verzoek/999999/").status_code == 404
    assert mine.get("/bewaartermijnen/leerling/999999/verzoek/").status_code == 404
    assert outsider.get("/bewaartermijnen/").status_code == 404


def test_a_request_about_a_pupil_who_left_the_school_is_still_decided_by_its_coordinator(
    client_for, member, ib, pupil
):
    """The child moved to another school: the old school keeps its file (two years), so the
    parents' open request about it still has someone to decide it."""
    from schoolzorg.audit.models import AccessLogEntry
    from schoolzorg.pupils.services import enrol_pupil

    request = _open_request(pupil, ib)
    old_school = pupil.current_school
    enrol_pupil(pupil, SchoolFactory(municipality=old_school.municipality), on=dt.date.today())
    client = client_for(ib)
    assert client.get(f"/leerlingen/{pupil.pk}/").status_code == 404  # no longer her pupil
    panel = _panel(client.get("/").content.decode(), "Verzoeken tot vernietiging")
    assert f'href="/bewaartermijnen/verzoek/{request.pk}/"' in panel

    detail = client.get(f"/bewaartermijnen/verzoek/{request.pk}/")
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "Madelief Groen (u ziet het dossier van dit kind niet meer" in body
    assert f'href="/leerlingen/{pupil.pk}/"' not in body
    entry = AccessLogEntry.objects.filter(user_id=ib.pk, pupil_id=pupil.pk).latest("at")
    assert entry.basis == "destruction_request"

    url = f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/"
    assert "casussen" in client.get(url).content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Case.objects.filter(pupil=pupil, school=old_school).exists()
    request.refresh_from_db()
    assert request.state == "carried_out"
    # The new school's coordinator answers for her own school's file, not this one.
    newcomer = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    assert newcomer.get(f"/bewaartermijnen/verzoek/{request.pk}/").status_code == 404


def test_a_request_whose_file_is_gone_opens_no_more_for_someone_who_no_longer_sees_the_pupil(
    client_for, ib, pupil
):
    from schoolzorg.pupils.services import enrol_pupil

    request = _open_request(pupil, ib)
    old_school = pupil.current_school
    enrol_pupil(pupil, SchoolFactory(municipality=old_school.municipality), on=dt.date.today())
    Case.objects.filter(pupil=pupil).delete()
    pupil.enrolments.filter(school=old_school).delete()
    assert client_for(ib).get(f"/bewaartermijnen/verzoek/{request.pk}/").status_code == 404


def test_destroying_asks_for_password_and_code_again(client_for, ib, pupil):
    request = _open_request(pupil, ib)
    assert_asks_to_confirm_first(
        client_for(ib), f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/"
    )


def test_destroying_needs_the_box_ticked_and_a_second_click_does_nothing_more(
    client_for, ib, pupil
):
    request = _open_request(pupil, ib)
    client = client_for(ib)
    url = f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/"
    page = client.get(url).content.decode()
    assert "casussen" in page
    unticked = client.post(url, {})
    assert unticked.status_code == 200 and "Vink aan" in unticked.content.decode()
    assert Case.objects.filter(pupil=pupil).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Case.objects.filter(pupil=pupil).exists()
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 302
    assert DestructionRecord.objects.filter(request=request).count() == 1
    detail = client.get(f"/bewaartermijnen/verzoek/{request.pk}/").content.decode()
    assert "Madelief" not in detail and "Uitgevoerd" in detail


def test_a_refusal_without_a_reason_comes_back_with_the_message(client_for, ib, pupil):
    request = _open_request(pupil, ib)
    client = client_for(ib)
    from schoolzorg.audit.models import AccessLogEntry

    before = AccessLogEntry.objects.filter(pupil_id=pupil.pk).count()
    response = client.post(f"/bewaartermijnen/verzoek/{request.pk}/weigeren/", {"reason": ""})
    assert response.status_code == 200
    assert "Schrijf op waarom" in response.content.decode()
    # The page shown again is a read of the child's request like any other: logged.
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk).count() == before + 1
    client.post(f"/bewaartermijnen/verzoek/{request.pk}/weigeren/", {"reason": "Belang broer"})
    request.refresh_from_db()
    assert request.state == "refused"
    twice = client.post(f"/bewaartermijnen/verzoek/{request.pk}/weigeren/", {"reason": "Nog eens"})
    assert twice.status_code == 302
    request.refresh_from_db()
    assert request.refusal_reason == "Belang broer"
    # The page says who refused it.
    page = client.get(f"/bewaartermijnen/verzoek/{request.pk}/").content.decode()
    assert f"Geweigerd door {ib.full_name} op " in page


def test_the_refuse_form_cites_the_law_of_the_kind_of_file(client_for, ib, pupil):
    from schoolzorg.referrals.tests.factories import make_world, submitted

    school_request = _open_request(pupil, ib)
    page = client_for(ib).get(f"/bewaartermijnen/verzoek/{school_request.pk}/").content.decode()
    assert "AVG, artikel 17, derde lid" in page
    assert "Jeugdwet" not in page and "aanmerkelijk belang" not in page
    refused = client_for(ib).post(
        f"/bewaartermijnen/verzoek/{school_request.pk}/weigeren/", {"reason": ""}
    )
    assert "AVG, artikel 17, derde lid" in refused.content.decode()
    assert "Jeugdwet" not in refused.content.decode()

    from schoolzorg.referrals.models import Referral

    world = make_world()
    referral = submitted(world)
    # Acknowledged by a worker: the team leader sees the pupil's file.
    Referral.objects.filter(pk=referral.pk).update(state="acknowledged", assignee=world.worker)
    team_request = DestructionRequest.objects.create(
        pupil=world.pupil,
        organisation=world.team,
        kind="youth_care",
        requester="guardian",
        received_on=dt.date(2026, 11, 2),
        recorded_by=world.leader,
    )
    page = client_for(world.leader).get(f"/bewaartermijnen/verzoek/{team_request.pk}/")
    text = page.content.decode()
    assert "aanmerkelijk belang voor een ander dan het kind" in text
    assert "Jeugdwet, artikel 7.3.9, tweede lid" in text and "AVG" not in text


def test_the_privacy_officer_sees_the_register_without_names(client_for, member, ib, pupil):
    request = _open_request(pupil, ib)
    client_for(ib).post(f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/", {"confirm": "on"})
    officer = member(Role.PRIVACY_OFFICER, pupil.current_school.municipality)
    page = client_for(officer).get("/bewaartermijnen/").content.decode()
    assert "AVG, artikel 17" in page and pupil.current_school.name in page
    assert "Madelief" not in page and "Groen" not in page
    far = member(Role.PRIVACY_OFFICER, MunicipalityFactory())
    assert (
        pupil.current_school.name not in client_for(far).get("/bewaartermijnen/").content.decode()
    )


def test_the_break_the_glass_review_says_the_childs_file_was_destroyed(
    client_for, member, ib, school
):
    from schoolzorg.audit.services import grant_break_glass
    from schoolzorg.retention import services

    gone = PupilFactory(current_school=school, first_name="Vergeten")
    kept = PupilFactory(current_school=school)
    social_worker = member(Role.SCHOOL_SOCIAL_WORKER, school)
    for pupil in (gone, kept):
        grant_break_glass(
            social_worker,
            pupil_id=pupil.pk,
            pupil_label=str(pupil),
            reason="Acute zorgen gemeld door de moeder, overleg nodig",
            membership=social_worker.memberships.get(),
        )
    from schoolzorg.pupils.models import Enrolment, Pupil

    Enrolment.objects.filter(pupil=gone).update(ended_on=dt.date(2024, 7, 12))
    Pupil.objects.filter(pk=gone.pk).update(current_school=None)
    services.destroy_expired(dt.date(2026, 8, 1))
    assert not Pupil.objects.filter(pk=gone.pk).exists()

    officer = member(Role.PRIVACY_OFFICER, school.municipality)
    page = client_for(officer).get("/logboek/noodtoegang/beoordelen/").content.decode()
    assert f"Leerling nr. {gone.pk} (het dossier van dit kind is inmiddels vernietigd)." in page
    assert f"Leerling nr. {kept.pk}." in page
    assert "Acute zorgen gemeld door de moeder" in page
    assert "Vergeten" not in page


def test_a_functional_administrator_sets_the_period_of_their_own_schools_only(
    client_for, member, school
):
    admin = member(Role.FUNCTIONAL_ADMIN, school.municipality)
    admin.is_staff = True
    admin.save()
    client = client_for(admin)
    too_short = client.post(
        "/beheer/retention/retentionperiod/add/", {"organisation": school.pk, "years": "0"}
    )
    assert "minstens 1 jaar" in too_short.content.decode()
    ok = client.post(
        "/beheer/retention/retentionperiod/add/", {"organisation": school.pk, "years": "3"}
    )
    assert ok.status_code == 302
    assert RetentionPeriod.objects.get(organisation=school).years == 3
    second = client.post(
        "/beheer/retention/retentionperiod/add/", {"organisation": school.pk, "years": "4"}
    )
    assert "Deze organisatie heeft al een eigen bewaartermijn: pas die aan." in (
        second.content.decode()
    )
    far = SchoolFactory(municipality=MunicipalityFactory())
    refused = client.post(
        "/beheer/retention/retentionperiod/add/", {"organisation": far.pk, "years": "3"}
    )
    assert refused.status_code == 200
    assert not RetentionPeriod.objects.filter(organisation=far).exists()


def test_the_admin_offers_only_organisations_with_a_period_that_the_administrator_manages(
    client_for, member, school
):
    import re

    from schoolzorg.organisations.models import Organisation
    from schoolzorg.organisations.tests.factories import (
        NeighbourhoodTeamFactory,
        PartnershipFactory,
        ServiceDeskFactory,
        SocialWorkProviderFactory,
        YouthHealthServiceFactory,
    )

    town = school.municipality
    team = NeighbourhoodTeamFactory(municipality=town)
    provider = SocialWorkProviderFactory(municipality=town)
    for factory in (PartnershipFactory, ServiceDeskFactory, YouthHealthServiceFactory):
        factory(municipality=town)
    far_school = SchoolFactory(municipality=MunicipalityFactory())
    admin = member(Role.FUNCTIONAL_ADMIN, town)
    admin.is_staff = True
    admin.save()

    page = client_for(admin).get("/beheer/retention/retentionperiod/add/").content.decode()
    select = re.search(r'<select name="organisation".*?</select>', page, re.S)
    assert select is not None
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group(0))}
    assert offered == {school.pk, team.pk, provider.pk}
    assert town.pk not in offered and far_school.pk not in offered
    assert Organisation.objects.filter(municipality=town).count() > len(offered)


def test_the_parents_overview_says_how_long_the_file_is_kept_and_how_to_ask(
    ib, pupil, time_machine
):
    from schoolzorg.audit.parents import overview_html

    time_machine.move_to(dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC))
    RetentionPeriod.objects.create(organisation=pupil.current_school, years=3)
    html = overview_html(pupil, printed_by=ib)
    assert "Hoe lang bewaren we het dossier?" in html
    assert "tot 3 jaar nadat Madelief van school is gegaan" in html
    # Madelief is 13: her parents and she herself may ask.
    assert "U mag vragen het dossier eerder te vernietigen, en Madelief mag dat ook zelf" in html
    assert "Vanaf 16 jaar beslist Madelief dit alleen" in html
    assert "wijkteam" not in html.lower().split("hoe lang bewaren")[1].split("vragen?")[0]


@pytest.mark.parametrize(
    ("born", "says", "never"),
    [
        (dt.date(2016, 5, 1), "Vanaf 12 jaar mag Madelief dat ook zelf vragen", "beslist dit zelf"),
        (
            dt.date(2010, 12, 4),  # 16 today
            "Alleen Madelief mag vragen het dossier eerder te vernietigen, niet de ouders",
            "U mag vragen",
        ),
    ],
)
def test_the_parents_overview_says_who_may_ask_at_the_childs_age_today(
    ib, pupil, time_machine, born, says, never
):
    from schoolzorg.audit.parents import overview_html

    time_machine.move_to(dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC))
    pupil.date_of_birth = born
    pupil.save()
    html = overview_html(pupil, printed_by=ib)
    assert says in html
    assert never not in html


def test_the_parents_overview_gives_the_teams_own_period():
    from schoolzorg.audit.parents import overview_html
    from schoolzorg.referrals.tests.factories import make_world, submitted

    world = make_world()
    submitted(world)
    RetentionPeriod.objects.create(organisation=world.team, years=25)
    html = overview_html(world.pupil, printed_by=world.coordinator)
    assert "Wijkteam Oost heeft ook een dossier over" in html
    assert "tot 25 jaar nadat de hulp is gestopt" in html
    assert "20 jaar." not in html  # no fixed term
    assert "aan de intern begeleider of het wijkteam" in html


@pytest.mark.parametrize(
    ("born", "says", "never"),
    [
        (dt.date(2016, 5, 1), "de ouders met gezag mogen vragen", "de leerling zelf mogen"),
        (dt.date(2013, 4, 1), "de ouders met gezag en de leerling zelf mogen vragen", "niet meer"),
        (dt.date(2010, 12, 4), "alleen de leerling mag vragen", "ouders met gezag"),
    ],
)
def test_the_pupil_pages_section_says_who_may_ask_at_the_childs_age_today(
    client_for, ib, pupil, time_machine, born, says, never
):
    time_machine.move_to(dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC))
    pupil.date_of_birth = born
    pupil.save()
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    section = page.split("Verzoek tot vernietiging vastleggen")[0].rsplit("Bewaartermijn", 1)[1]
    assert says in section
    assert never not in section
