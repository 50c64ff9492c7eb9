"""The ground for sharing a referral with its team ends (ADR 0401, "Ground for sharing").

Sharing needs a consent or legal basis in force, not only on the day the referral is sent: once
it is withdrawn or has expired, the team no longer opens the pupil's file, the document or the
safety sections through the referral; it keeps the referral's progress; the referral page says
why and since when; the team's people on the referral are told once; the workflow goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from schoolzorg.accounts.models import Notification
from schoolzorg.consent.models import Consent, LegalBasis, LegalBasisKind, Purpose
from schoolzorg.consent.services import withdraw_consent
from schoolzorg.referrals import access, services
from schoolzorg.referrals.models import Referral, ReferralEvent
from schoolzorg.referrals.sharing import share_basis_q
from schoolzorg.referrals.tests.factories import (
    COMPLETE_DOCUMENT,
    World,
    give_consent,
    make_world,
    school_day_from,
    submitted,
)
from schoolzorg.referrals.workflow import State

pytestmark = pytest.mark.django_db

Clients = Callable[[Any], Client]


@pytest.fixture
def world() -> World:
    return make_world()


def _planned(world: World) -> Referral:
    """Sent, acknowledged by the worker, the warm handover planned: the team sees the file."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    services.plan_handover(
        referral,
        by=world.worker,
        on=school_day_from(world, timezone.localdate() + dt.timedelta(days=3)),
        place="School",
        participants="Moeder, SMW, wijkteam",
        parents_invited=True,
    )
    return referral


def _consent(world: World) -> Consent:
    return Consent.objects.get(pupil=world.pupil, purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM)


def _withdraw_on_the_page(world: World, client_for: Clients, capture: Any) -> dt.date:
    """The school social worker withdraws the consent on its page, as in the testers' repro."""
    today = timezone.localdate()
    with capture(execute=True):
        answer = client_for(world.smw).post(
            reverse("consent:withdraw", args=[_consent(world).pk]),
            {"withdrawn_on": today.isoformat(), "reason": "Moeder wil het niet meer."},
        )
    assert answer.status_code == 302
    return today


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


def test_withdrawn_consent_closes_the_file_and_the_document_for_the_team(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _planned(world)
    pupil_url = reverse("pupils:detail", args=[world.pupil.pk])
    page_url = reverse("referrals:detail", args=[referral.pk])
    for person in (world.leader, world.worker, world.contact):
        client = client_for(person)
        assert client.get(pupil_url).status_code == 200
        assert COMPLETE_DOCUMENT["help_question"] in client.get(page_url).content.decode()

    day = _withdraw_on_the_page(world, client_for, django_capture_on_commit_callbacks)

    for person in (world.leader, world.worker, world.contact, world.worker2):
        client = client_for(person)
        assert client.get(pupil_url).status_code == 404
        page = client.get(page_url)
        html = page.content.decode()
        # The progress stays (as the service desk has it); the document and the file link go.
        assert page.status_code == 200
        assert "Warme overdracht gepland" in html
        assert COMPLETE_DOCUMENT["help_question"] not in html
        assert COMPLETE_DOCUMENT["consent_scope"] not in html
        assert f'href="{pupil_url}"' not in html
        assert f"sinds {_long(day)}" in html and f"ingetrokken op {_long(day)}" in html
        assert "U ziet dit document niet meer" in html
        # The route says where the pupil lives by district, not by the full home postcode,
        # which is the file's (tester W1).
        assert "Woonwijk Oost (volgens de postcode van het woonadres)" in html
        assert "3503 AB" not in html and "3503AB" not in html
    assert not access._named_worker_sees_safety(world.worker, world.pupil)

    # The school keeps its own document, and reads that the team may know nothing any more.
    html = client_for(world.smw).get(page_url).content.decode()
    assert COMPLETE_DOCUMENT["help_question"] in html
    assert f"Niets meer sinds {_long(day)}" in html
    assert "Het wijkteam ziet het dossier van de leerling en het document niet meer" in html


def test_the_teams_people_on_the_referral_are_told_once(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _planned(world)
    before = set(Notification.objects.values_list("pk", flat=True))

    day = _withdraw_on_the_page(world, client_for, django_capture_on_commit_callbacks)

    told = Notification.objects.exclude(pk__in=before)
    # The named worker and the team's contact person for the school, and the rest of the school
    # side (the IB-er); not the school social worker, who withdrew the consent herself.
    assert set(told.values_list("user_id", flat=True)) == {
        world.worker.pk,
        world.contact.pk,
        world.coordinator.pk,
    }
    for note in told:
        assert note.url == reverse("referrals:detail", args=[referral.pk])
        assert world.pupil.last_name not in note.text and _long(day) in note.text
    line = ReferralEvent.objects.get(referral=referral, kind="share_basis_ended")
    assert line.by_id == world.smw.pk and f"ingetrokken op {_long(day)}" in line.text
    assert Referral.objects.get(pk=referral.pk).share_basis_ended_on == day

    # The sweep finds nothing new to say.
    assert services.run_share_basis_checks() == 0
    assert Notification.objects.exclude(pk__in=before).count() == told.count()


def test_the_workflow_goes_on_without_new_data(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    """The team can still record the handover and the contact it already had with the family."""
    referral = _planned(world)
    _withdraw_on_the_page(world, client_for, django_capture_on_commit_callbacks)
    referral = Referral.objects.get(pk=referral.pk)
    # On a school day: a handover is not held on a day the school is closed.
    day = school_day_from(world, timezone.localdate())
    services.hold_handover(referral, by=world.worker, held_on=day, today=day)
    services.confirm_first_contact(referral, by=world.worker, on=day, today=day)
    assert Referral.objects.get(pk=referral.pk).state == State.FIRST_CONTACT
    page = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert "U kunt de stappen van de toeleiding nog vastleggen" in page.content.decode()


def test_an_expired_consent_is_told_by_the_sweep(world: World, client_for: Clients) -> None:
    referral = _planned(world)
    today = timezone.localdate()
    last = today - dt.timedelta(days=1)
    Consent.objects.filter(pk=_consent(world).pk).update(valid_until=last)
    assert client_for(world.leader).get(
        reverse("pupils:detail", args=[world.pupil.pk])
    ).status_code == (404)

    assert services.run_share_basis_checks() == 1
    assert Referral.objects.get(pk=referral.pk).share_basis_ended_on == today
    told = set(Notification.objects.filter(text__contains="geen geldige toestemming meer"))
    # The school side (docs/permissions.md): the SMW named on it and the school's IB-er, who
    # records a new consent.
    assert {n.user_id for n in told} == {
        world.worker.pk,
        world.contact.pk,
        world.smw.pk,
        world.coordinator.pk,
    }
    html = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert f"was geldig tot en met {_long(last)}" in html.content.decode()
    assert services.run_share_basis_checks() == 0


def test_a_new_consent_opens_the_file_again(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _planned(world)
    _withdraw_on_the_page(world, client_for, django_capture_on_commit_callbacks)
    give_consent(world, on=timezone.localdate())
    assert (
        client_for(world.worker).get(reverse("pupils:detail", args=[world.pupil.pk])).status_code
        == 200
    )
    assert services.run_share_basis_checks() == 1
    assert Referral.objects.get(pk=referral.pk).share_basis_ended_on is None
    assert ReferralEvent.objects.filter(referral=referral, kind="share_basis_back").exists()


@pytest.mark.parametrize("other", ["legal_basis", "consent_for_every_team"])
def test_another_ground_in_force_keeps_the_sharing(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any, other: str
) -> None:
    referral = _planned(world)
    if other == "legal_basis":
        LegalBasis.objects.create(
            pupil=world.pupil,
            kind=LegalBasisKind.PUBLIC_TASK,
            purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
            reason="Jeugdwet: het wijkteam moet hulp bieden.",
            valid_from=dt.date(2020, 1, 1),
            recorded_by=world.smw,
        )
    else:
        Consent.objects.create(
            pupil=world.pupil,
            purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
            recipient=None,
            is_complete=True,
            given_on=dt.date(2020, 1, 1),
            recorded_by=world.smw,
        )
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(
            Consent.objects.get(
                pupil=world.pupil,
                recipient=world.team,
                purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
            ),
            by=world.smw,
            on=timezone.localdate(),
            reason="Alleen deze toestemming.",
        )
    assert client_for(world.worker).get(
        reverse("pupils:detail", args=[world.pupil.pk])
    ).status_code == (200)
    html = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert COMPLETE_DOCUMENT["help_question"] in html.content.decode()
    assert Notification.objects.count() == before
    assert Referral.objects.get(pk=referral.pk).share_basis_ended_on is None


def test_turning_12_says_why_the_ground_ended_and_how_to_mend_it(
    world: World, client_for: Clients
) -> None:
    """Tester T14: the parents' consent stops counting on the pupil's 12th birthday (the pupil
    must agree too); the texts said only "geen geldige toestemming" and to record a new one."""
    from schoolzorg.pupils.models import Pupil

    referral = _planned(world)
    today = timezone.localdate()
    turned = today - dt.timedelta(days=1)
    born = turned.replace(year=turned.year - 12) if (turned.month, turned.day) != (2, 29) else None
    if born is None:  # a 29 February yesterday: a day before is as good
        turned -= dt.timedelta(days=1)
        born = turned.replace(year=turned.year - 12)
    Consent.objects.filter(pk=_consent(world).pk).update(
        given_by_pupil=False, given_on=born + dt.timedelta(days=365 * 8)
    )
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=born)

    assert services.run_share_basis_checks() == 1
    assert Referral.objects.get(pk=referral.pk).share_basis_ended_on == turned
    html = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert f"Sinds {_long(turned)} is de leerling 12 jaar." in html.content.decode()
    assert "vul de toestemming aan" in html.content.decode()
    told = Notification.objects.filter(user=world.coordinator).get(
        text__contains="geen geldige toestemming meer"
    )
    assert "vul de toestemming aan als de leerling zelf moet instemmen" in told.text
    assert world.pupil.first_name not in told.text


def test_a_consent_for_another_team_is_no_ground(world: World) -> None:
    referral = _planned(world)
    give_consent(world, recipient=world.other_team)
    Consent.objects.filter(recipient=world.team).update(withdrawn_on=timezone.localdate())
    assert not Referral.objects.filter(pk=referral.pk).filter(share_basis_q()).exists()
    assert services.run_share_basis_checks() == 1


def test_the_sweep_runs_every_five_minutes() -> None:
    from schoolzorg.lib.periodic import sweeps

    sweep = next(s for s in sweeps() if s.name == "referral-share-basis")
    assert sweep.every_seconds == 300
    assert sweep.task.name == "check_share_basis"


def _meldrecht_to_share(world: World) -> LegalBasis:
    """Meldrecht stored for "Delen met het wijkteam", naming no team, before its kind had to
    fit its purpose (tester finding S5)."""
    return LegalBasis.objects.create(
        pupil=world.pupil,
        kind=LegalBasisKind.REPORTING_RIGHT,
        purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
        reason="Zorgen over de thuissituatie; wij delen met het wijkteam zonder toestemming.",
        valid_from=dt.date(2020, 1, 1),
        recorded_by=world.smw,
    )


def test_meldrecht_is_no_ground_to_send_a_referral() -> None:
    world = make_world(consent=False)
    _meldrecht_to_share(world)
    referral = services.create_referral(world.pupil, by=world.smw)
    services.save_draft(referral, COMPLETE_DOCUMENT, by=world.smw)
    with pytest.raises(services.ReferralError):
        services.submit_referral(referral, by=world.smw)
    assert Referral.objects.get(pk=referral.pk).state == State.DRAFT


def test_meldrecht_does_not_keep_the_sharing_once_the_consent_is_withdrawn(
    world: World, client_for: Clients, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _planned(world)
    _meldrecht_to_share(world)
    day = _withdraw_on_the_page(world, client_for, django_capture_on_commit_callbacks)
    assert not Referral.objects.filter(pk=referral.pk).filter(share_basis_q()).exists()
    assert client_for(world.worker).get(
        reverse("pupils:detail", args=[world.pupil.pk])
    ).status_code == (404)
    html = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert COMPLETE_DOCUMENT["help_question"] not in html.content.decode()
    assert f"ingetrokken op {_long(day)}" in html.content.decode()
