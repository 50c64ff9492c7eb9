"""Tester V1: a referral whose warm handover cannot be planned because the family's consent for
it is missing waits on the school, not on the team. The school hears of it when the referral is
sent and acknowledged; the escalation sweep reminds the school once per rung instead of
escalating the team; once the consent is there the team's deadlines move on by the days the
step waited, so neither the ladder nor the figures count them against the team."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from schoolzorg.accounts.models import Notification
from schoolzorg.referrals import figures, services
from schoolzorg.referrals.deadlines import add_days, days_between, level_dates
from schoolzorg.referrals.models import Escalation, Referral, ReferralEvent
from schoolzorg.referrals.tests.factories import (
    World,
    another_pupil,
    draft,
    give_consent,
    give_handover_consent,
    make_world,
    school_day_from,
    submitted,
)
from schoolzorg.referrals.workflow import DayCount, State

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)
PLAN = {"place": "School", "participants": "moeder, SMW, wijkteam", "parents_invited": True}


@pytest.fixture
def world() -> World:
    """A consent to share with the team, none for the warm handover."""
    found = make_world(consent=False)
    give_consent(found)
    return found


def _texts(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def _acknowledged(world: World) -> Referral:
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    return referral


def _rung_day(world: World, referral: Referral, level: int) -> dt.date:
    norm = services.norm_for(referral)
    assert referral.plan_due_on is not None
    return level_dates(world.school, referral.plan_due_on, norm, referral.urgency)[level]


def _reminders(referral: Referral) -> int:
    return ReferralEvent.objects.filter(referral=referral, kind="handover_consent_reminder").count()


# --- The school hears of it --------------------------------------------------------------------


def test_sending_without_a_consent_for_the_handover_adds_no_message_to_the_school(
    world: World,
) -> None:
    """The sender saw the send page's warning; the school side hears it with the team's
    acknowledgement (below), not once more per send."""
    submitted(world, today=MONDAY)
    assert not any("warme overdracht" in t for t in _texts(world.smw) + _texts(world.coordinator))


def test_acknowledging_without_a_consent_for_the_handover_says_so_to_the_school(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    referral = submitted(world, today=MONDAY)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    for user in (world.smw, world.coordinator):
        [text] = _texts(user)
        assert "ontvangst van toeleiding" in text
        assert "Er is nog geen toestemming voor de warme overdracht" in text
    link = Notification.objects.filter(user=world.coordinator).get().url
    assert link == reverse("referrals:detail", args=[referral.pk])
    assert referral.handover_consent_wait_from == MONDAY
    # The e-mail names no child.
    sent = [m for m in mail.outbox if "toestemming warme overdracht ontbreekt" in m.subject]
    assert {m.to[0] for m in sent} == {world.smw.email, world.coordinator.email}
    for message in sent:
        assert world.pupil.first_name not in message.body + message.subject
        assert world.pupil.last_name not in message.body + message.subject


def test_acknowledging_with_a_consent_for_the_handover_is_the_plain_message(
    world: World,
) -> None:
    give_handover_consent(world)
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    [text] = _texts(world.coordinator)
    assert "toestemming" not in text
    assert referral.handover_consent_wait_from is None


# --- The sweep ---------------------------------------------------------------------------------


def test_without_a_basis_the_sweep_reminds_the_school_once_per_rung_and_escalates_nobody(
    world: World,
) -> None:
    referral = _acknowledged(world)
    Notification.objects.all().delete()
    first, second = _rung_day(world, referral, 1), _rung_day(world, referral, 2)
    assert services.run_escalations(first) == 0
    assert services.run_escalations(first) == 0  # the next sweep that day: nothing new
    assert not Escalation.objects.filter(referral=referral).exists()
    assert _reminders(referral) == 1
    for user in (world.smw, world.coordinator):
        [text] = _texts(user)
        assert f"Toeleiding {referral.pk} wacht op de school" in text
    for user in (world.worker, world.contact, world.leader, world.desk_user):
        assert _texts(user) == []
    services.run_escalations(second)
    assert _reminders(referral) == 2
    assert len(_texts(world.coordinator)) == 2
    assert not Escalation.objects.filter(referral=referral).exists()
    line = ReferralEvent.objects.filter(kind="handover_consent_reminder").last()
    assert line is not None and line.text.startswith("Herinnering 2 aan de school")


def test_rungs_reached_at_once_are_one_message_to_the_school(world: World) -> None:
    referral = _acknowledged(world)
    Notification.objects.all().delete()
    services.run_escalations(_rung_day(world, referral, 4))
    assert _reminders(referral) == 4
    assert len(_texts(world.coordinator)) == 1
    assert not Escalation.objects.exists()


def test_with_a_basis_the_sweep_escalates_the_team_as_before(world: World) -> None:
    give_handover_consent(world)
    referral = _acknowledged(world)
    assert services.run_escalations(_rung_day(world, referral, 1)) == 1
    escalation = Escalation.objects.get(referral=referral)
    assert (escalation.step, escalation.level) == ("plan_handover", 1)
    assert escalation.notified == world.worker.full_name
    assert _reminders(referral) == 0


def test_once_the_consent_is_there_the_deadlines_move_on_by_the_days_waited(
    world: World,
) -> None:
    referral = _acknowledged(world)
    before = (referral.plan_due_on, referral.handover_due_on, referral.first_contact_due_on)
    day = _rung_day(world, referral, 2)
    services.run_escalations(day)  # two reminders to the school
    give_handover_consent(world)
    Notification.objects.all().delete()
    # The sweep on the day the consent is recorded: no escalation of the team.
    assert services.run_escalations(day) == 0
    assert not Escalation.objects.exists()
    referral.refresh_from_db()
    assert referral.handover_consent_wait_from is None
    waited = days_between(MONDAY, day, counts=DayCount.SCHOOL, school=world.school)
    moved = [add_days(d, waited, counts=DayCount.SCHOOL, school=world.school) for d in before]
    assert [referral.plan_due_on, referral.handover_due_on, referral.first_contact_due_on] == moved
    line = referral.events.get(kind="handover_consent_there").text
    assert f"wachtte {waited} schooldagen op de school" in line
    [text] = _texts(world.worker)  # the named worker: plan it now, and by when
    assert "U kunt de warme overdracht plannen, uiterlijk" in text
    assert _texts(world.coordinator) == []
    # From the moved deadline on, the ladder is the team's again.
    assert referral.plan_due_on is not None
    assert services.run_escalations(referral.plan_due_on) == 0
    assert services.run_escalations(_rung_day(world, referral, 1)) == 1
    assert Escalation.objects.get().notified == world.worker.full_name


def test_planning_right_after_the_consent_ends_the_wait_without_a_message(
    world: World,
) -> None:
    referral = _acknowledged(world)
    assert referral.plan_due_on is not None
    today = school_day_from(world, referral.plan_due_on + dt.timedelta(days=3))
    give_handover_consent(world)
    Notification.objects.all().delete()
    services.plan_handover(referral, by=world.worker, on=today, today=today, **PLAN)
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED
    assert referral.handover_consent_wait_from is None
    assert referral.plan_due_on is not None and referral.plan_due_on >= today
    assert referral.events.filter(kind="handover_consent_there").exists()
    assert _texts(world.worker) == []


def test_a_consent_withdrawn_after_acknowledgement_starts_the_wait(world: World) -> None:
    consent = give_handover_consent(world)
    referral = _acknowledged(world)
    assert referral.handover_consent_wait_from is None
    consent.withdrawn_on = dt.date(2025, 3, 4)
    consent.save()
    services.run_escalations(dt.date(2025, 3, 4))
    referral.refresh_from_db()
    assert referral.handover_consent_wait_from == dt.date(2025, 3, 4)
    services.run_escalations(_rung_day(world, referral, 1))
    assert not Escalation.objects.exists()
    assert _reminders(referral) == 1


def test_a_handover_held_by_the_moved_deadline_counts_within_the_norm(world: World) -> None:
    referral = _acknowledged(world)
    day = _rung_day(world, referral, 3)
    give_handover_consent(world)
    services.run_escalations(day)
    referral.refresh_from_db()
    assert referral.handover_due_on is not None
    held = referral.handover_due_on
    services.plan_handover(referral, by=world.worker, on=held, today=day, **PLAN)
    services.hold_handover(referral, by=world.worker, held_on=held, today=held)
    [share] = figures.warm_handovers_within_norm(held.replace(day=1), held, by="team")
    assert (share.held, share.within_norm) == (1, 1)


# --- The pages ---------------------------------------------------------------------------------


def test_the_send_page_warns_that_the_consent_for_the_handover_is_missing(
    world: World, client_for: Any
) -> None:
    referral = draft(world)
    page = client_for(world.smw).get(reverse("referrals:edit", args=[referral.pk]))
    html = page.content.decode()
    assert 'id="toestemming-overdracht"' in html
    assert "Er is nog geen toestemming voor de warme overdracht met Wijkteam Oost" in html
    assert "U kunt de toeleiding wel versturen" in html
    assert "doel=warm_handover" in html
    # A warning, not a refusal: the referral is sent.
    assert services.missing_parts(referral) == []
    give_handover_consent(world)
    html = client_for(world.smw).get(reverse("referrals:edit", args=[referral.pk])).content
    assert b'id="toestemming-overdracht"' not in html


def test_the_referral_page_says_the_step_waits_on_the_school(world: World, client_for: Any) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    url = reverse("referrals:detail", args=[referral.pk])
    for user in (world.worker, world.smw):
        html = client_for(user).get(url).content.decode()
        assert (
            '<dd id="aan-de-beurt">De school: wacht op toestemming van de ouders voor de warme '
            "overdracht</dd>"
        ) in html
        assert "wacht op toestemming van de ouders (school)" in html  # the deadline table
    give_handover_consent(world)
    html = client_for(world.worker).get(url).content.decode()
    assert '<dd id="aan-de-beurt">Het wijkteam: warme overdracht plannen</dd>' in html


def test_the_teams_late_list_and_count_leave_out_a_step_that_waits_on_the_school(
    world: World, client_for: Any
) -> None:
    waiting = _acknowledged(world)  # its deadline to plan passed long ago, waiting on the school
    late = submitted(world, pupil=another_pupil(world), today=MONDAY)  # with a consent: the team's
    services.acknowledge_referral(late, by=world.worker, today=MONDAY)
    team = client_for(world.worker)
    shown = team.get(reverse("referrals:inbox") + "?weergave=te-laat").content.decode()
    assert f"/toeleidingen/{late.pk}/" in shown and f"/toeleidingen/{waiting.pk}/" not in shown
    every = team.get(reverse("referrals:inbox") + "?weergave=alle").content.decode()
    row = every.split(f"/toeleidingen/{waiting.pk}/")[1].split("</tr>")[0]
    assert "wacht op toestemming van de ouders (de school legt die vast)" in row
    assert "te laat" not in row
    home = team.get(reverse("home")).content.decode()
    assert 'weergave=te-laat">1 met een verlopen termijn</a>' in home
    # The school's own late list keeps it: the step is the school's, and late.
    school = client_for(world.smw).get(reverse("referrals:outgoing") + "?weergave=te-laat")
    assert f"/toeleidingen/{waiting.pk}/" in school.content.decode()


def test_while_the_step_waits_on_the_school_the_team_gets_no_planning_form_and_no_red_deadlines(
    world: World, client_for: Any
) -> None:
    """Tester X2: the page said both "your deadline stands still" and "the deadline passed, it
    is escalated", and offered a planning form that could only be refused."""
    referral = _acknowledged(world)  # on MONDAY in 2025: every deadline of the team has passed
    url = reverse("referrals:detail", args=[referral.pk])
    plan_form = reverse("referrals:move", args=[referral.pk, "plan_handover"])
    html = client_for(world.worker).get(url).content.decode()
    assert plan_form not in html
    assert "termijn verlopen" not in html and "wordt geëscaleerd" not in html
    assert html.count("staat stil tot de toestemming er is") == 2  # hold it, first contact
    give_handover_consent(world)
    html = client_for(world.worker).get(url).content.decode()
    assert plan_form in html and "termijn verlopen" in html
