from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.consent.models import Consent, LegalBasis, Purpose
from schoolzorg.consent.services import ConsentError, record_consent, withdraw_consent
from schoolzorg.pupils.tests.factories import add_guardian

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _form(world, **extra):  # type: ignore[no-untyped-def]
    guardian = world.pupil_without_consent.guardian_links.get().guardian
    data = {
        "purpose": Purpose.DISCUSS_IN_CARE_TEAM,
        "recipient": "",
        "data_scope": "het plan",
        "guardians": [guardian.pk],
        "given_on": timezone.localdate().isoformat(),
        "valid_until": "",
        "evidence_note": "Mondeling in het oudergesprek",
    }
    data.update(extra)
    return data


def test_coordinator_records_complete_consent_and_nurse_then_sees_the_pupil(world) -> None:
    pupil = world.pupil_without_consent
    nurse = signed_in_client(world.users["nurse"])
    assert nurse.get(f"/leerlingen/{pupil.pk}/").status_code == 404
    client = signed_in_client(world.users["coordinator"])
    page = client.get(f"/toestemming/leerling/{pupil.pk}/nieuw/").content.decode()
    assert "alle ouders met gezag moeten toestemming geven" in page
    response = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", _form(world))
    assert response.status_code == 302
    consent = Consent.objects.get(pupil=pupil)
    assert consent.is_complete and consent.recorded_by == world.users["coordinator"]
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="create").exists()
    assert nurse.get(f"/leerlingen/{pupil.pk}/").status_code == 200


def test_the_ledger_entry_names_the_recorders_role_and_organisation(world) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", _form(world))
    entry = AccessLogEntry.objects.get(pupil_id=pupil.pk, basis="consent_ledger")
    assert (entry.role, entry.organisation_id) == ("support_coordinator", pupil.current_school_id)
    assert entry.organisation_label == pupil.current_school.name


def test_consent_missing_a_guardian_is_recorded_as_incomplete_and_grants_nothing(world) -> None:
    pupil = world.pupil_without_consent
    data = _form(world)
    add_guardian(pupil, full_name="Tweede Ouder")
    client = signed_in_client(world.users["coordinator"])
    client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    consent = Consent.objects.get(pupil=pupil)
    assert not consent.is_complete and consent.status == "onvolledig"
    page = client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "onvolledig" in page
    nurse = signed_in_client(world.users["nurse"])
    assert nurse.get(f"/leerlingen/{pupil.pk}/").status_code == 404


def test_form_errors_are_dutch_and_keep_the_input(world) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    data = _form(world, evidence_note="", given_on="2099-01-01", data_scope="bewaar mij")
    response = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in page and "bewaar mij" in page
    assert not Consent.objects.filter(pupil=pupil).exists()


def _in_years(years: int) -> str:
    from schoolzorg.lib.daterange import add_years

    return add_years(timezone.localdate(), years).isoformat()


@pytest.mark.parametrize(
    ("field", "extra", "message"),
    [
        ("given_on", {"given_on": "1800-01-01"}, "vóór de geboortedatum van de leerling"),
        ("valid_until", {"valid_until": "9999-12-31"}, "Een toestemming geldt hooguit 5 jaar"),
        ("valid_until", {"valid_until": _in_years(6)}, "Een toestemming geldt hooguit 5 jaar"),
        ("valid_until", {"valid_until": "2000-01-01"}, "vóór de datum van de toestemming"),
        ("data_scope", {"data_scope": "x" * 100_000}, "Schrijf hooguit 2000 tekens"),
        ("evidence_note", {"evidence_note": "x" * 2001}, "Schrijf hooguit 2000 tekens"),
    ],
)
def test_consent_dates_and_texts_out_of_range_are_refused_at_the_field(
    world, field, extra, message
) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    data = _form(world, **extra)
    response = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and f'id="id_{field}_error"' in page
    assert "Mondeling in het oudergesprek" in page or field == "evidence_note"
    assert not Consent.objects.filter(pupil=pupil).exists()


def test_consent_valid_for_five_years_is_accepted(world) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    response = client.post(
        f"/toestemming/leerling/{pupil.pk}/nieuw/", _form(world, valid_until=_in_years(5))
    )
    assert response.status_code == 302
    assert Consent.objects.filter(pupil=pupil).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("formulier.exe", b"MZ....", "Alleen een PDF, JPG of PNG"),
        ("formulier.pdf", b"MZ not a pdf", "geen echte PDF"),
        ("formulier.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2048, "te groot"),
    ],
)
def test_evidence_upload_refuses_wrong_types_and_big_files(
    world, settings, name, content, message
) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    data = _form(world, evidence_file=SimpleUploadedFile(name, content))
    response = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Consent.objects.filter(pupil=pupil).exists()


def test_evidence_is_downloaded_only_through_the_checked_view_and_logged(
    world, settings, tmp_path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    upload = SimpleUploadedFile("toestemming.pdf", b"%PDF-1.4 handtekening")
    client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", _form(world, evidence_file=upload))
    consent = Consent.objects.get(pupil=pupil)
    response = client.get(f"/toestemming/{consent.pk}/formulier/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 handtekening"
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="download").exists()
    outsider = signed_in_client(world.users["outsider"])
    assert outsider.get(f"/toestemming/{consent.pk}/formulier/").status_code == 404


def test_withdrawal_needs_a_reason_and_ends_care_team_access_on_the_next_request(world) -> None:
    nurse = signed_in_client(world.users["nurse"])
    assert nurse.get(f"/leerlingen/{world.pupil.pk}/").status_code == 200
    client = signed_in_client(world.users["coordinator"])
    url = f"/toestemming/{world.consent.pk}/intrekken/"
    today = timezone.localdate().isoformat()
    response = client.post(url, {"withdrawn_on": today, "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    world.consent.refresh_from_db()
    assert world.consent.status != "ingetrokken"
    client.post(url, {"withdrawn_on": today, "reason": "Ouders willen het niet meer"})
    world.consent.refresh_from_db()
    assert world.consent.status == "ingetrokken"
    assert nurse.get(f"/leerlingen/{world.pupil.pk}/").status_code == 404


def test_the_withdrawal_page_names_the_child_and_who_gave_the_consent_and_is_logged(
    world,
) -> None:
    """With several children open side by side, the page says whose consent is withdrawn; the
    child's name on it is a read."""
    pupil = world.pupil
    coordinator = world.users["coordinator"]
    url = f"/toestemming/{world.consent.pk}/intrekken/"
    page = signed_in_client(coordinator).get(url).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert heading is not None
    assert heading.group(1) == f"Toestemming intrekken voor {pupil.first_name} {pupil.last_name}"
    assert "door Moeder Matrixkind (ouder)." in page
    read = AccessLogEntry.objects.get(pupil_id=pupil.pk, user_id=coordinator.pk)
    assert (read.action, read.detail) == ("view", "toestemming intrekken")
    assert read.object_id == str(world.consent.pk)


def test_the_ledger_says_withdrawn_once_with_its_day_and_reason(world) -> None:
    """The status cell read "ingetrokken ingetrokken 4-12-2026: …" (tester finding)."""
    coordinator = world.users["coordinator"]
    day = timezone.localdate()
    withdraw_consent(world.consent, by=coordinator, on=day, reason="ouders willen het niet meer")
    page = signed_in_client(coordinator).get(f"/leerlingen/{world.pupil.pk}/").content.decode()
    ledger = page.split('id="tabel-toestemmingen"')[1].split("</table>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", ledger).split())
    assert f"ingetrokken op {day:%-d-%-m-%Y}: ouders willen het niet meer" in text
    assert text.count("ingetrokken") == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2099-01-01", "Intrekken gaat meteen in"),
        ("tomorrow", "Intrekken gaat meteen in"),
        ("1900-01-01", "vóór de datum waarop de toestemming is gegeven"),
    ],
)
def test_withdrawal_cannot_be_dated_in_the_future_or_before_the_consent(
    world, day, message
) -> None:
    if day == "tomorrow":
        day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client = signed_in_client(world.users["coordinator"])
    url = f"/toestemming/{world.consent.pk}/intrekken/"
    response = client.post(url, {"withdrawn_on": day, "reason": "Moeder belde vandaag"})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and 'id="id_withdrawn_on_error"' in page
    assert "Moeder belde vandaag" in page
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_on is None and world.consent.status == "geldig"


def test_withdrawal_service_refuses_a_day_in_the_future(world) -> None:
    later = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ConsentError, match="meteen in"):
        withdraw_consent(world.consent, by=world.users["coordinator"], on=later, reason="weg")
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_on is None


def test_second_withdrawal_is_refused(world) -> None:
    today = timezone.localdate()
    withdraw_consent(world.consent, by=world.users["coordinator"], on=today, reason="weg")
    with pytest.raises(ConsentError, match="al ingetrokken"):
        withdraw_consent(world.consent, by=world.users["coordinator"], on=today, reason="weg")


def test_only_guardians_with_authority_can_consent(world) -> None:
    pupil = world.pupil_without_consent
    no_authority = add_guardian(pupil, has_authority=False)
    with pytest.raises(ConsentError, match="ouders met gezag"):
        record_consent(
            pupil,
            purpose=Purpose.DISCUSS_IN_CARE_TEAM,
            given_on=timezone.localdate(),
            guardians=[no_authority],
            by=world.users["coordinator"],
        )


def test_expired_consent_no_longer_counts(world) -> None:
    Consent.objects.filter(pk=world.consent.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    nurse = signed_in_client(world.users["nurse"])
    assert nurse.get(f"/leerlingen/{world.pupil.pk}/").status_code == 404


def test_legal_basis_is_recorded_reasoned_and_shown_as_no_consent(world) -> None:
    pupil = world.pupil_without_consent
    url = f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/"
    contact = signed_in_client(world.users["partnership_contact"])
    assert contact.get(url).status_code == 404
    client = signed_in_client(world.users["social_worker"])
    data = {
        "kind": "reporting_right",
        "purpose": Purpose.REPORT_TO_VEILIG_THUIS,
        "recipient": "",
        "reason": "kort",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
    }
    short = client.post(url, data)
    assert short.status_code == 400
    assert "20 tekens" in short.context["form"].errors["reason"][0]
    data["reason"] = "Signalen van mishandeling, collega en Veilig Thuis geraadpleegd."
    assert client.post(url, data).status_code == 302
    assert LegalBasis.objects.filter(pupil=pupil).count() == 1
    page = signed_in_client(world.users["coordinator"]).get(f"/leerlingen/{pupil.pk}/")
    assert (
        "Grondslag: Meldrecht (Veilig Thuis, Wet meldcode), geen toestemming"
        in page.content.decode()
    )
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, detail__startswith="grondslag").exists()


def test_a_legal_basis_sent_twice_is_recorded_once(world) -> None:
    """A double click or a resend carries the same token: one basis, one line in the history."""
    pupil = world.pupil_without_consent
    url = f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/"
    client = signed_in_client(world.users["social_worker"])
    page = client.get(url).content.decode()
    data = {
        "form_token": page.split('name="form_token" value="')[1].split('"')[0],
        "kind": "reporting_right",
        "purpose": Purpose.REPORT_TO_VEILIG_THUIS,
        "recipient": "",
        "reason": "Signalen van mishandeling, collega en Veilig Thuis geraadpleegd.",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == f"/leerlingen/{pupil.pk}/#toestemming"
    assert LegalBasis.objects.filter(pupil=pupil).count() == 1
    saved = AccessLogEntry.objects.filter(pupil_id=pupil.pk, detail__startswith="grondslag vast")
    assert saved.count() == 1
    # The same token for another pupil is refused, not taken as the first send.
    other = f"/toestemming/leerling/{world.pupil.pk}/grondslag/nieuw/"
    refused = signed_in_client(world.users["coordinator"]).post(other, data)
    assert refused.status_code == 400
    assert "Dit formulier is al eens verstuurd." in refused.content.decode()
    assert LegalBasis.objects.count() == 1


def test_the_legal_basis_form_names_the_child_and_is_logged_as_a_read(world) -> None:
    """The form's heading names the child; like the consent form, opening it is a read (and so
    is the form coming back with a mistake). Saving it is logged by the service."""
    pupil = world.pupil_without_consent
    url = f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/"
    worker = world.users["social_worker"]
    client = signed_in_client(worker)
    page = client.get(url)
    assert f"{pupil.first_name} {pupil.last_name}" in page.content.decode()
    read = AccessLogEntry.objects.get(pupil_id=pupil.pk, user_id=worker.pk)
    assert (read.action, read.detail) == ("view", "grondslagformulier")
    assert read.basis != ""
    assert client.post(url, {"kind": "reporting_right"}).status_code == 400
    assert (
        AccessLogEntry.objects.filter(pupil_id=pupil.pk, detail="grondslagformulier").count() == 2
    )
    outsider = signed_in_client(world.users["outsider"])
    assert outsider.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk).count() == 2


def test_a_guardian_number_beyond_any_id_gets_a_message_and_records_nothing(world) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    response = client.post(
        f"/toestemming/leerling/{pupil.pk}/nieuw/", _form(world, guardians=["99999999999999999999"])
    )
    assert response.status_code == 400
    assert "Kies alleen ouders uit de lijst." in response.content.decode()
    assert not Consent.objects.filter(pupil=pupil).exists()


def test_recipient_choices_are_the_care_team_organisations_around_the_pupil(world) -> None:
    """Not every organisation in the country: the municipality's services and whoever serves the
    school. Nor the municipality, the school board or the service desk, which never receive a
    child's data: a consent naming them would open nothing, and would say the parents agreed to
    share their child with them (tester finding). Any of those sent anyway is refused."""
    from schoolzorg.organisations.models import School, ServiceDesk
    from schoolzorg.organisations.tests.factories import (
        NeighbourhoodTeamFactory,
        SchoolBoardFactory,
    )

    board = SchoolBoardFactory(name="Stichting Matrixscholen", municipality=world.municipality)
    School.objects.filter(pk=world.school.pk).update(board=board)
    desk = ServiceDesk.objects.get()
    far = [NeighbourhoodTeamFactory(name="Wijkteam Verweg"), SchoolBoardFactory(name="Verweg")]
    refused = [world.municipality, board, desk]
    near = [world.team, world.other_team]
    for actor in ("nurse", "partnership_contact", "social_worker"):
        near += [m.organisation for m in world.users[actor].memberships.all()]
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    consent_url = f"/toestemming/leerling/{pupil.pk}/nieuw/"
    basis_url = f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/"
    for url in (consent_url, basis_url):
        page = signed_in_client(world.users["social_worker"]).get(url).content.decode()
        for organisation in near:
            assert f'<option value="{organisation.pk}"' in page, (url, organisation.name)
        for organisation in far + refused:
            assert f'<option value="{organisation.pk}"' not in page, (url, organisation.name)
    for organisation in far + refused:
        response = client.post(consent_url, _form(world, recipient=organisation.pk))
        assert response.status_code == 400
        assert "Deze organisatie kan geen gegevens van de leerling krijgen." in (
            response.content.decode()
        )
    response = signed_in_client(world.users["social_worker"]).post(
        basis_url,
        {
            "kind": "vital_interest",
            "purpose": Purpose.DISCUSS_IN_CARE_TEAM,
            "recipient": world.municipality.pk,
            "reason": "Signalen van mishandeling, collega en Veilig Thuis geraadpleegd.",
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "niet de gemeente, het schoolbestuur of het servicepunt" in response.content.decode()
    assert not Consent.objects.filter(pupil=pupil).exists()
    assert not LegalBasis.objects.filter(pupil=pupil).exists()


def test_a_recipient_that_cannot_receive_under_the_purpose_is_refused_in_dutch(world) -> None:
    """Sharing with the neighbourhood team is for a neighbourhood team: naming the youth health
    service there is refused at the field, with what to choose instead."""
    pupil = world.pupil_without_consent
    jgz = world.users["nurse"].memberships.get().organisation
    client = signed_in_client(world.users["coordinator"])
    data = _form(world, purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM, recipient=jgz.pk)
    response = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["recipient"] == [
        f"{jgz.name} kan bij ‘Delen met het wijkteam’ geen gegevens van de leerling krijgen. "
        "Kies een wijkteam. Of kies geen organisatie."
    ]
    assert not Consent.objects.filter(pupil=pupil).exists()
    data["recipient"] = world.team.pk
    assert client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data).status_code == 302
    assert Consent.objects.get(pupil=pupil).recipient_id == world.team.pk


def test_the_ledger_services_refuse_a_recipient_that_cannot_receive(world) -> None:
    """The rule holds for every caller, not only the forms."""
    from schoolzorg.consent.services import record_legal_basis

    pupil = world.pupil_without_consent
    with pytest.raises(ConsentError, match="kan bij ‘Bespreken in het schoolzorgteam’ geen"):
        record_consent(
            pupil,
            purpose=Purpose.DISCUSS_IN_CARE_TEAM,
            recipient=world.municipality,
            given_on=timezone.localdate(),
            guardians=[pupil.guardian_links.get().guardian],
            evidence_note="Mondeling",
            by=world.users["coordinator"],
        )
    with pytest.raises(ConsentError, match="Kies een wijkteam"):
        record_legal_basis(
            pupil,
            kind="vital_interest",
            purpose=Purpose.WARM_HANDOVER,
            recipient=world.users["nurse"].memberships.get().organisation,
            reason="Signalen van mishandeling, collega en Veilig Thuis geraadpleegd.",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + dt.timedelta(days=30),
            by=world.users["social_worker"],
        )
    assert not Consent.objects.filter(pupil=pupil).exists()
    assert not LegalBasis.objects.filter(pupil=pupil).exists()


def test_a_legal_basis_naming_no_organisation_is_worded_as_a_consent_is(world) -> None:
    """The legal-basis form's empty choice read "Maak een keuze", as if one had to be made."""
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["social_worker"])
    page = client.get(f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/").content.decode()
    assert (
        '<option value="" selected>Geen organisatie genoemd: geldt voor iedereen die bij dit doel hoort</option>'
        in page
    )
    assert "Kiest u geen organisatie, dan geldt de grondslag voor iedereen die bij het doel" in page
    assert "Maak een keuze" not in page.split('name="recipient"')[1].split("</select>")[0]


def test_no_receiving_organisation_is_worded_true_for_every_purpose(world) -> None:
    """No organisation named means everyone of the purpose, not 'the care team' for all: a
    consent to share with the neighbourhood team then holds for whichever team receives it."""
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    page = client.get(f"/toestemming/leerling/{pupil.pk}/nieuw/").content.decode()
    assert "Alle organisaties in het schoolzorgteam" not in page
    assert (
        '<option value="" selected>Geen organisatie genoemd: geldt voor iedereen die bij dit doel hoort</option>'
        in page
    )
    assert (
        "Bij ‘Delen met het wijkteam’ is dat elk wijkteam dat een toeleiding voor de leerling krijgt."
        in page
    )
    assert (
        "Bij ‘Bespreken in het schoolzorgteam’ is dat alle organisaties in het schoolzorgteam."
        in page
    )
    data = _form(world, purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM)
    assert client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data).status_code == 302
    listed = client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert (
        "Geen organisatie genoemd: elk wijkteam dat een toeleiding voor de leerling krijgt"
        in listed
    )
    assert "Alle organisaties in het schoolzorgteam" not in listed


def test_the_same_consent_form_sent_twice_records_one_consent(world) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    page = client.get(f"/toestemming/leerling/{pupil.pk}/nieuw/").content.decode()
    assert 'name="form_token"' in page
    data = _form(world, form_token="5f0c8a4e-2b1d-4c3e-9a7f-1d2e3f4a5b6c")
    first = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    again = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data, follow=True)
    assert first.status_code == 302 and again.status_code == 200
    assert Consent.objects.filter(pupil=pupil).count() == 1
    assert "er is geen tweede gemaakt" in again.content.decode()
    # Another user cannot pick up someone else's form.
    other = signed_in_client(world.users["social_worker"])
    response = other.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    assert response.status_code == 400 and "al eens verstuurd" in response.content.decode()
    assert Consent.objects.filter(pupil=pupil).count() == 1


def test_withdrawing_ends_every_consent_for_the_same_purpose_and_receiver(world) -> None:
    pupil, by = world.pupil, world.users["coordinator"]
    guardian = pupil.guardian_links.get().guardian
    today = timezone.localdate()

    def consent(purpose=Purpose.DISCUSS_IN_CARE_TEAM, recipient=None):  # type: ignore[no-untyped-def]
        return record_consent(
            pupil,
            purpose=purpose,
            recipient=recipient,
            given_on=today,
            guardians=[guardian],
            evidence_note="mondeling",
            by=by,
        )

    twin = consent()
    for_team = consent(recipient=world.team)
    other_purpose = consent(purpose=Purpose.SHARE_DOCUMENT)
    client = signed_in_client(by)
    response = client.post(
        f"/toestemming/{world.consent.pk}/intrekken/",
        {"withdrawn_on": today.isoformat(), "reason": "Moeder wil het niet meer"},
        follow=True,
    )
    assert (
        "De toestemming is ingetrokken. Er was nog 1 andere toestemming voor hetzelfde doel. "
        "Die is ook ingetrokken." in response.content.decode()
    )
    assert "de toestemming geldt voor het doel" not in response.content.decode()
    for c in (world.consent, twin, for_team, other_purpose):
        c.refresh_from_db()
    assert world.consent.status == "ingetrokken" and twin.status == "ingetrokken"
    assert twin.withdrawal_reason == "Moeder wil het niet meer"
    assert for_team.status == "geldig" and other_purpose.status == "geldig"
    assert not Consent.objects.valid_for(pupil, Purpose.DISCUSS_IN_CARE_TEAM, world.other_team)


def test_withdraw_is_offered_only_on_consents_in_force(world) -> None:
    pupil, today = world.pupil, timezone.localdate()
    guardian = pupil.guardian_links.get().guardian

    def consent(**extra):  # type: ignore[no-untyped-def]
        return record_consent(
            pupil,
            purpose=Purpose.SHARE_DOCUMENT,
            given_on=today - dt.timedelta(days=20),
            guardians=[guardian],
            evidence_note="mondeling",
            by=world.users["coordinator"],
            **extra,
        )

    expired = consent(valid_until=today - dt.timedelta(days=1))
    withdrawn = consent(recipient=world.team)
    withdraw_consent(withdrawn, by=world.users["coordinator"], on=today, reason="weg")
    page = signed_in_client(world.users["coordinator"]).get(f"/leerlingen/{pupil.pk}/")
    html = page.content.decode()
    assert f"/toestemming/{world.consent.pk}/intrekken/" in html
    assert f"/toestemming/{expired.pk}/intrekken/" not in html
    assert f"/toestemming/{withdrawn.pk}/intrekken/" not in html


def test_the_form_says_one_of_note_and_file_is_needed_not_that_both_are_optional(world) -> None:
    client = signed_in_client(world.users["coordinator"])
    page = client.get(f"/toestemming/leerling/{world.pupil_without_consent.pk}/nieuw/")
    html = re.sub(r"\s+", " ", page.content.decode())
    note = re.search(r"Hoe is de toestemming vastgelegd\?(.{0,120})", html)
    form = re.search(r"Ondertekend formulier(.{0,120})", html)
    assert note and "voeg hieronder het formulier toe" in note.group(1)
    assert form and "als u hierboven niets schreef" in form.group(1)
    assert "niet verplicht" not in note.group(1) + form.group(1)


def test_two_parents_of_one_name_are_told_apart_by_their_relation(world) -> None:
    pupil = world.pupil_without_consent
    data = _form(world, given_by_pupil="on")
    pupil.guardian_links.all().delete()
    mother = add_guardian(pupil, full_name="Stefan Soekhai", relation="moeder")
    father = add_guardian(pupil, full_name="Stefan Soekhai", relation="vader")
    client = signed_in_client(world.users["coordinator"])
    form = client.get(f"/toestemming/leerling/{pupil.pk}/nieuw/").content.decode()
    assert "Stefan Soekhai (moeder)" in form and "Stefan Soekhai (vader)" in form
    data["guardians"] = [mother.pk, father.pk]
    assert client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data).status_code == 302
    page = client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "<td>Stefan Soekhai (moeder), Stefan Soekhai (vader), de leerling</td>" in page


@pytest.mark.parametrize(
    ("sent", "lands_on"),
    [
        ("/toeleidingen/7/bewerken/", "/toeleidingen/7/bewerken/"),
        ("https://elders.example/", None),
        ("//elders.example/", None),
        ("/\\elders.example/", None),
        ("javascript:alert(1)", None),
        ("toeleidingen/7/", None),
    ],
)
def test_recording_a_consent_returns_to_the_page_that_sent_the_user_when_it_is_on_this_site(
    world, sent: str, lands_on: str | None
) -> None:
    from django.utils.http import urlencode

    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    url = f"/toestemming/leerling/{pupil.pk}/nieuw/?{urlencode({'next': sent})}"
    page = client.get(url).content.decode()
    cancel = re.search(r'<a href="([^"]*)">Annuleren</a>', page)
    assert cancel is not None
    assert cancel.group(1) == (lands_on or f"/leerlingen/{pupil.pk}/")
    response = client.post(url, _form(world))
    assert response.status_code == 302
    assert response["Location"] == (lands_on or f"/leerlingen/{pupil.pk}/#toestemming")


def test_the_legal_basis_form_preselects_no_grondslag_and_no_doel(world) -> None:
    """Tester X12: the form opened on meldrecht with "bespreken", a pair it always refuses."""
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["social_worker"])
    url = f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/"
    page = client.get(url).content.decode()
    for name in ("kind", "purpose"):
        select = page.split(f'name="{name}"')[1].split("</select>")[0]
        assert '<option value="" selected>Maak een keuze</option>' in select, name
    sent = client.post(url, {"valid_from": timezone.localdate().isoformat()})
    errors = sent.context["form"].errors
    assert sent.status_code == 400
    assert errors["kind"] == ["Kies de grondslag."]
    assert errors["purpose"] == ["Kies het doel."]
    assert errors["reason"] == ["Schrijf op waarom dit nodig is zonder toestemming."]
