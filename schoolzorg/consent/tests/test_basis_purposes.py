"""A legal basis grounds only the purposes its kind fits (`consent.models.BASIS_PURPOSES`).

Tester finding S5: "Meldrecht (Veilig Thuis, Wet meldcode)" could be recorded for "Delen met het
wijkteam" and then sent a referral, the whole document, to the neighbourhood team for a child
without any consent. Meldrecht grounds the report to Veilig Thuis and nothing inside Schoolzorg
(domain.md: "recorded as a legal basis, never as a bypass"); the other kinds ground the sharing
purposes, with an end date. The service refuses the rest, the form says so at the field, and a
basis stored before the rule counts for nothing in the reads.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.consent.models import (
    BASIS_PURPOSES,
    SHARING_PURPOSES,
    LegalBasis,
    LegalBasisKind,
    Purpose,
)
from schoolzorg.consent.relationships import care_team_sharing_q
from schoolzorg.consent.services import ConsentError, record_consent, record_legal_basis
from schoolzorg.pupils.models import Pupil

pytestmark = pytest.mark.django_db

REASON = "Signalen van mishandeling, collega en Veilig Thuis geraadpleegd."


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _record(world, kind: str, purpose: str, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "kind": kind,
        "purpose": purpose,
        "reason": REASON,
        "valid_from": timezone.localdate(),
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
        "by": world.users["social_worker"],
    } | extra
    return record_legal_basis(world.pupil_without_consent, **fields)


def test_the_mapping_lets_meldrecht_ground_only_the_report() -> None:
    assert BASIS_PURPOSES[LegalBasisKind.REPORTING_RIGHT] == {Purpose.REPORT_TO_VEILIG_THUIS}
    for kind in LegalBasisKind:
        assert kind in BASIS_PURPOSES
        if kind != LegalBasisKind.REPORTING_RIGHT:
            assert BASIS_PURPOSES[kind] == set(SHARING_PURPOSES)


@pytest.mark.parametrize("purpose", SHARING_PURPOSES)
def test_the_service_refuses_meldrecht_as_a_ground_to_share(world, purpose) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConsentError, match="alleen een grondslag om te melden bij Veilig Thuis"):
        _record(world, LegalBasisKind.REPORTING_RIGHT, purpose)
    assert not LegalBasis.objects.exists()


def test_meldrecht_is_recorded_for_the_report_naming_no_organisation(world) -> None:  # type: ignore[no-untyped-def]
    basis = _record(
        world, LegalBasisKind.REPORTING_RIGHT, Purpose.REPORT_TO_VEILIG_THUIS, valid_until=None
    )
    assert basis.grounds(Purpose.REPORT_TO_VEILIG_THUIS) and not basis.unfitting
    with pytest.raises(ConsentError, match="kiest u geen organisatie"):
        _record(
            world,
            LegalBasisKind.REPORTING_RIGHT,
            Purpose.REPORT_TO_VEILIG_THUIS,
            recipient=world.team,
        )


@pytest.mark.parametrize(
    "kind", [LegalBasisKind.LEGAL_DUTY, LegalBasisKind.VITAL_INTEREST, LegalBasisKind.PUBLIC_TASK]
)
def test_the_report_to_veilig_thuis_rests_on_meldrecht_only(world, kind) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConsentError, match="op grond van het meldrecht"):
        _record(world, kind, Purpose.REPORT_TO_VEILIG_THUIS)


def test_a_ground_to_share_without_consent_needs_an_end_date(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConsentError, match="tot en met wanneer de grondslag geldt"):
        _record(
            world,
            LegalBasisKind.VITAL_INTEREST,
            Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
            valid_until=None,
        )
    basis = _record(world, LegalBasisKind.VITAL_INTEREST, Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM)
    assert basis.grounds(Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM)


def test_no_consent_is_recorded_for_the_report(world) -> None:  # type: ignore[no-untyped-def]
    pupil = world.pupil_without_consent
    with pytest.raises(ConsentError, match="alleen vastgelegd om gegevens te delen"):
        record_consent(
            pupil,
            purpose=Purpose.REPORT_TO_VEILIG_THUIS,
            given_on=timezone.localdate(),
            guardians=[pupil.guardian_links.get().guardian],
            evidence_note="Mondeling",
            by=world.users["coordinator"],
        )
    page = signed_in_client(world.users["coordinator"]).get(
        f"/toestemming/leerling/{pupil.pk}/nieuw/"
    )
    assert 'value="report_to_veilig_thuis"' not in page.content.decode()


def _post(world, **fields):  # type: ignore[no-untyped-def]
    pupil = world.pupil_without_consent
    data = {
        "kind": "reporting_right",
        "purpose": Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
        "recipient": "",
        "reason": REASON,
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
    } | fields
    client = signed_in_client(world.users["social_worker"])
    return client.post(f"/toestemming/leerling/{pupil.pk}/grondslag/nieuw/", data)


def test_the_form_refuses_meldrecht_to_share_at_the_purpose_in_dutch(world) -> None:  # type: ignore[no-untyped-def]
    """The tester's repro: meldrecht, "Delen met het wijkteam", no organisation, no end date."""
    response = _post(world)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["purpose"] == [
        "Het meldrecht is alleen een grondslag om te melden bij Veilig Thuis, niet voor "
        "‘Delen met het wijkteam’. Kies ‘Melden bij Veilig Thuis’. Wilt u zonder toestemming "
        "delen binnen Schoolzorg, dan is een andere grondslag nodig."
    ]
    assert "valid_until" not in errors  # one thing to mend at a time
    assert not LegalBasis.objects.exists()
    page = response.content.decode()
    assert (
        "‘Meldrecht (Veilig Thuis, Wet meldcode)’ geldt alleen voor: Melden bij Veilig Thuis."
        in (page)
    )
    assert _post(world, purpose=Purpose.REPORT_TO_VEILIG_THUIS).status_code == 302
    assert LegalBasis.objects.get().purpose == Purpose.REPORT_TO_VEILIG_THUIS


def test_the_form_says_at_each_field_what_is_wrong(world) -> None:  # type: ignore[no-untyped-def]
    report = _post(world, kind="vital_interest", purpose=Purpose.REPORT_TO_VEILIG_THUIS)
    assert report.status_code == 400
    assert "op grond van het meldrecht" in report.context["form"].errors["kind"][0]
    named = _post(world, purpose=Purpose.REPORT_TO_VEILIG_THUIS, recipient=world.team.pk)
    assert named.status_code == 400
    assert "kiest u geen organisatie" in named.context["form"].errors["recipient"][0]
    open_ended = _post(world, kind="vital_interest")
    assert open_ended.status_code == 400
    assert "tot en met wanneer" in open_ended.context["form"].errors["valid_until"][0]
    assert not LegalBasis.objects.exists()


def _stored_before_the_rule(world, purpose: str) -> LegalBasis:  # type: ignore[no-untyped-def]
    return LegalBasis.objects.create(
        pupil=world.pupil_without_consent,
        kind=LegalBasisKind.REPORTING_RIGHT,
        purpose=purpose,
        reason=REASON,
        valid_from=timezone.localdate() - dt.timedelta(days=5),
        recorded_by=world.users["social_worker"],
    )


def test_a_meldrecht_basis_stored_before_counts_for_nothing(world) -> None:  # type: ignore[no-untyped-def]
    """Old data: meldrecht "for the care team" naming no organisation opened the file to every
    care-team organisation's person named around the child; now it covers no one."""
    pupil = world.pupil_without_consent
    nurse_org = world.users["nurse"].memberships.get().organisation
    for purpose in SHARING_PURPOSES:
        _stored_before_the_rule(world, purpose)
        assert not LegalBasis.objects.covering(pupil, purpose, [nurse_org.pk]).exists()
    cover = care_team_sharing_q([nurse_org.pk])
    assert not Pupil.objects.filter(pk=pupil.pk).filter(cover).exists()
    LegalBasis.objects.update(kind=LegalBasisKind.VITAL_INTEREST)  # the same rows, fitting
    assert Pupil.objects.filter(pk=pupil.pk).filter(cover).exists()


def test_the_pupil_page_says_an_old_meldrecht_basis_counts_for_nothing(world) -> None:  # type: ignore[no-untyped-def]
    _stored_before_the_rule(world, Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM)
    pupil = world.pupil_without_consent
    page = signed_in_client(world.users["coordinator"]).get(f"/leerlingen/{pupil.pk}/")
    assert "Telt niet als grondslag: het meldrecht geldt alleen voor een melding bij Veilig" in (
        page.content.decode()
    )
