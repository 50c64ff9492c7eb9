"""The overview of who looked, for a pupil's parents (who have no account)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import assert_asks_to_confirm_first, pdf_text
from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import AccessLogEntry, Action
from schoolzorg.audit.parents import overview_html, readers
from schoolzorg.audit.services import Basis, record_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _read(world, actor: str, *, kind: str = "membership", pupil=None) -> None:  # type: ignore[no-untyped-def]
    user = world.users[actor]
    membership = user.memberships.first()
    record_access(
        None,
        user=user,
        action=Action.VIEW,
        pupil_id=(pupil or world.pupil).pk,
        basis=Basis(
            kind, membership.role, membership.organisation_id, membership.organisation.name, "1"
        ),
    )


def test_readers_are_counted_per_person_with_first_last_and_emergency(world) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(timezone.now() - timezone.timedelta(days=10)):
        _read(world, "nurse")
    _read(world, "nurse")
    _read(world, "nurse", kind="break_the_glass")
    _read(world, "coordinator")
    _read(world, "team_worker", pupil=world.pupil_without_consent)  # another child

    found = readers(world.pupil.pk)
    assert [(r.name, r.times, r.emergencies, r.emergency_reads) for r in found] == [
        ("Matrix coordinator", 1, 0, 0),
        ("Matrix nurse", 3, 1, 1),
    ]
    nurse = found[1]
    assert (nurse.last - nurse.first).days == 10
    assert nurse.organisation == world.users["nurse"].memberships.first().organisation.name


def test_overview_is_in_plain_dutch_and_names_no_other_child(world) -> None:  # type: ignore[no-untyped-def]
    _read(world, "nurse", kind="break_the_glass")
    _read(world, "team_worker", pupil=world.pupil_without_consent)
    html = overview_html(world.pupil, printed_by=world.users["coordinator"])
    assert "Wie keek er naar het dossier van Mila Matrixkind?" in html
    jgz = world.users["nurse"].memberships.first().organisation.name
    assert f"Jeugdverpleegkundige, {jgz}" in html  # the role in words, not its code
    assert "1 keer noodtoegang geopend, daarmee 1 keer gekeken" in html
    assert "Er is 1 keer noodtoegang geopend. Daarmee is 1 keer in het dossier gekeken." in html
    assert "Matrix team_worker" not in html and "Zonderstemming" not in html


def _break_the_glass(world) -> Client:  # type: ignore[no-untyped-def]
    """The other school's coordinator opens emergency access to Mila (and lands on her page)."""
    client = signed_in_client(world.users["outsider"])
    pupil = world.pupil
    response = client.post(
        "/logboek/noodtoegang/",
        {
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "reason": "Leerling meldt zich in crisis, IB-er van de school is niet bereikbaar.",
        },
        follow=True,
    )
    assert response.status_code == 200
    return client


def test_one_emergency_access_is_one_however_often_the_file_was_read_under_it(world) -> None:  # type: ignore[no-untyped-def]
    client = _break_the_glass(world)  # the grant, and the pupil page it leads to
    assert client.get(f"/leerlingen/{world.pupil.pk}/").status_code == 200
    assert client.get(f"/api/v1/leerlingen/{world.pupil.pk}/").status_code == 200
    outsider = next(r for r in readers(world.pupil.pk) if r.name == "Matrix outsider")
    assert (outsider.times, outsider.emergencies, outsider.emergency_reads) == (4, 1, 3)

    html = overview_html(world.pupil, printed_by=world.users["coordinator"])
    assert "1 keer noodtoegang geopend, daarmee 3 keer gekeken" in html
    assert "Er is 1 keer noodtoegang geopend. Daarmee is 3 keer in het dossier gekeken." in html
    assert "4 keer noodtoegang" not in html

    with time_machine.travel(timezone.now() + timezone.timedelta(hours=2)):
        _break_the_glass(world)  # a second emergency, an hour after the first ended
        html = overview_html(world.pupil, printed_by=world.users["coordinator"])
    assert "2 keer noodtoegang geopend, daarmee 4 keer gekeken" in html
    assert "Er is 2 keer noodtoegang geopend. Daarmee is 4 keer in het dossier gekeken." in html


def test_a_person_who_read_in_two_roles_counts_as_one_person(world) -> None:  # type: ignore[no-untyped-def]
    _read(world, "nurse")
    _read(world, "coordinator")
    record_access(  # the same nurse, without a role (as a background write once did)
        None,
        user=world.users["nurse"],
        action=Action.VIEW,
        pupil_id=world.pupil.pk,
        basis=Basis("referral", ref="1"),
    )
    html = overview_html(world.pupil, printed_by=world.users["coordinator"])
    assert "3 keer, door 2 personen." in html


def test_overview_of_a_pupil_nobody_read_says_so(world) -> None:  # type: ignore[no-untyped-def]
    html = overview_html(world.pupil, printed_by=world.users["coordinator"])
    assert "Niemand heeft de gegevens van Mila bekeken." in html


def test_coordinator_downloads_it_and_the_download_is_itself_logged(world) -> None:  # type: ignore[no-untyped-def]
    _read(world, "nurse")
    client = signed_in_client(world.users["coordinator"])
    response = client.get(f"/logboek/leerling/{world.pupil.pk}/voor-ouders.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    printed = AccessLogEntry.objects.get(pupil_id=world.pupil.pk, action=Action.PRINT)
    assert printed.user_id == world.users["coordinator"].pk
    assert printed.detail == "overzicht wie keek, voor de ouders"
    url = f"/logboek/leerling/{world.pupil.pk}/voor-ouders.pdf"
    assert_asks_to_confirm_first(signed_in_client(world.users["coordinator"]), url)
    page = client.get(f"/logboek/leerling/{world.pupil.pk}/").content.decode()
    assert f"/logboek/leerling/{world.pupil.pk}/voor-ouders.pdf" in page


def test_pdf_keeps_every_column_on_the_page_with_a_long_unbroken_name(world) -> None:  # type: ignore[no-untyped-def]
    from schoolzorg.organisations.models import Organisation

    nurse = world.users["nurse"]
    Organisation.objects.filter(pk=nurse.memberships.first().organisation_id).update(
        name="Gemeentelijkegezondheidsdienst" * 4
    )
    _read(world, "nurse")
    client = signed_in_client(world.users["coordinator"])
    response = client.get(f"/logboek/leerling/{world.pupil.pk}/voor-ouders.pdf")
    text = pdf_text(response.content)
    flat = "".join(pdf_text(response.content, layout=False).split())
    for heading in ("Naam", "Waarom", "Hoevaak", "Eerstekeer", "Laatstekeer"):
        assert heading in flat, heading
    today = timezone.localdate()
    assert text.count(f"{today.day}-{today.month}-{today.year}") >= 2  # first and last time
    assert flat.count("Gemeentelijkegezondheidsdienst") == 4
    # Only that name breaks: the role beside it keeps its word whole.
    assert "Jeugdverpleegkundige," in text


def test_pdf_keeps_dates_roles_and_headers_whole(world) -> None:  # type: ignore[no-untyped-def]
    # The longest dates (two-digit day and month) and the longest roles of the demo.
    with time_machine.travel(dt.datetime(2026, 11, 14, 10, tzinfo=dt.UTC)):
        _read(world, "partnership_contact")
        _read(world, "nurse")
        _read(world, "social_worker")
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC)):
        _read(world, "partnership_contact")
        _read(world, "nurse", kind="care_team_consent")
    client = signed_in_client(world.users["coordinator"])
    response = client.get(f"/logboek/leerling/{world.pupil.pk}/voor-ouders.pdf")
    text = pdf_text(response.content)
    assert text.count("14-11-2026") == 4 and text.count("28-11-2026") == 2
    for word in (
        "Schoolcontactpersoon",
        "samenwerkingsverband,",
        "Jeugdverpleegkundige,",
        "Schoolmaatschappelijk",
        "toestemming",
        "Eerste",
        "Laatste",
    ):
        assert word in text, word


def test_nobody_else_gets_it(world) -> None:  # type: ignore[no-untyped-def]
    for actor in ("nurse", "outsider", "privacy_officer", "teacher_own_group"):
        client = signed_in_client(world.users[actor])
        response = client.get(f"/logboek/leerling/{world.pupil.pk}/voor-ouders.pdf")
        assert response.status_code == 404, actor
    assert not AccessLogEntry.objects.filter(action=Action.PRINT).exists()


def test_each_line_says_why_the_person_could_look_in_words_for_parents(world) -> None:  # type: ignore[no-untyped-def]
    _read(world, "nurse", kind="care_team_consent")
    _read(world, "nurse", kind="care_team_consent")
    _read(world, "nurse", kind="break_the_glass")
    _read(world, "coordinator")
    found = {r.name: r for r in readers(world.pupil.pk)}
    assert found["Matrix nurse"].reasons == [
        "er is toestemming om uw kind in het zorgteam te bespreken",
        "noodtoegang",
    ]
    assert (found["Matrix nurse"].times, found["Matrix nurse"].emergency_reads) == (3, 1)
    assert found["Matrix coordinator"].reasons == ["werkt op de school"]
    html = overview_html(world.pupil, printed_by=world.users["coordinator"])
    assert '<th scope="col">Waarom</th>' in html
    assert "er is toestemming om uw kind in het zorgteam te bespreken; noodtoegang" in html


def test_every_basis_has_words_for_parents() -> None:
    from schoolzorg.audit.parents import PARENT_REASONS
    from schoolzorg.audit.templatetags.audit_tags import BASIS_LABELS
    from schoolzorg.pupils.access import _RELATIONSHIPS

    assert {r.name for r in _RELATIONSHIPS} | set(BASIS_LABELS) <= set(PARENT_REASONS)
