from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import TestCase

from schoolzorg.accounts.models import Notification
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.consent.models import LegalBasis, LegalBasisKind, Purpose
from schoolzorg.referrals import services
from schoolzorg.referrals.models import EscalationReason, Referral
from schoolzorg.referrals.tests.factories import (
    COMPLETE_DOCUMENT,
    another_pupil,
    draft,
    make_world,
    submitted,
)
from schoolzorg.referrals.workflow import State

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)


def test_new_draft_is_routed_to_the_team_of_the_home_district() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    assert referral.team == world.team
    assert (
        referral.routing_note
        == "Woonwijk Oost (volgens de postcode van het woonadres) → Wijkteam Oost"
    )
    assert referral.state == State.DRAFT
    assert referral.social_worker == world.smw


def test_submit_lists_every_missing_section_in_dutch() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    services.save_draft(referral, {"help_question": "Rust thuis"}, by=world.smw)
    with pytest.raises(services.ReferralError) as exc:
        services.submit_referral(referral, by=world.smw)
    text = " ".join(exc.value.messages)
    assert "hulpvraag" not in text
    for part in [
        "krachten",
        "zorgen",
        "al is geprobeerd",
        "ernsttaxatie",
        "LIRIK",
        "meldcode",
        "toestemming",
        "urgentie",
        "warme overdracht",
    ]:
        assert part in text
    referral.refresh_from_db()
    assert referral.state == State.DRAFT


def test_submit_without_consent_for_the_receiving_team_says_so() -> None:
    world = make_world(consent=False)
    referral = draft(world)
    with pytest.raises(services.ReferralError) as exc:
        services.submit_referral(referral, by=world.smw)
    assert exc.value.messages == [
        "Er is geen geldige toestemming om gegevens te delen met Wijkteam Oost. Leg de "
        "toestemming van de ouders (en van de leerling vanaf 12 jaar) eerst vast."
    ]


def test_consent_for_another_team_does_not_count() -> None:
    from schoolzorg.referrals.tests.factories import give_consent

    world = make_world(consent=False)
    give_consent(world, recipient=world.other_team)
    with pytest.raises(services.ReferralError):
        services.submit_referral(draft(world), by=world.smw)


def test_legal_basis_allows_submitting_without_consent() -> None:
    world = make_world(consent=False)
    LegalBasis.objects.create(
        pupil=world.pupil,
        kind=LegalBasisKind.PUBLIC_TASK,
        purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
        recipient=world.team,
        reason="Jeugdwet",
        valid_from=dt.date(2020, 1, 1),
        recorded_by=world.smw,
    )
    referral = draft(world)
    services.submit_referral(referral, by=world.smw)
    assert referral.state == State.SUBMITTED


def test_submit_sets_due_dates_in_school_days_and_notifies_the_contact_person() -> None:
    world = make_world()
    referral = draft(world)
    with __import__("django.test", fromlist=["x"]).TestCase.captureOnCommitCallbacks(execute=True):
        services.submit_referral(referral, by=world.smw, today=MONDAY)
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED
    assert referral.acknowledge_due_on == dt.date(2025, 3, 5)
    assert referral.plan_due_on == dt.date(2025, 3, 10)
    assert referral.handover_due_on == dt.date(2025, 3, 17)
    assert referral.first_contact_due_on == dt.date(2025, 3, 24)
    note = Notification.objects.get(user=world.contact)
    assert world.pupil.last_name not in note.text and world.pupil.first_name not in note.text
    assert len(mail.outbox) == 1 and world.pupil.last_name not in mail.outbox[0].body


def test_double_submit_has_one_effect_and_a_clear_message() -> None:
    world = make_world()
    referral = draft(world)
    stale = Referral.objects.get(pk=referral.pk)
    services.submit_referral(referral, by=world.smw)
    with pytest.raises(services.StaleState) as exc:
        services.submit_referral(stale, by=world.smw)
    # The user's own send, sent again: not called a colleague's change.
    assert str(exc.value).startswith("U had deze stap al gezet; de status is nu ‘Verstuurd’.")
    assert Referral.objects.get(pk=referral.pk).round == 1
    assert referral.events.filter(kind="submit").count() == 1


def test_two_acknowledges_one_wins_the_other_gets_a_message() -> None:
    world = make_world()
    referral = submitted(world)
    seen_by_second = Referral.objects.get(pk=referral.pk)
    services.acknowledge_referral(referral, by=world.worker)
    with pytest.raises(services.StaleState):
        services.acknowledge_referral(seen_by_second, by=world.worker2)
    referral.refresh_from_db()
    assert referral.assignee == world.worker
    assert referral.events.filter(kind="acknowledge").count() == 1


def test_whole_flow_reaches_closed_with_timeline_and_audit() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.contact, worker=world.worker, today=MONDAY)
    services.plan_handover(
        referral,
        by=world.worker,
        on=dt.date(2025, 3, 6),
        place="School",
        participants="moeder, SMW, wijkteam",
        parents_invited=True,
        today=MONDAY,
    )
    services.hold_handover(
        referral, by=world.worker, held_on=dt.date(2025, 3, 6), today=dt.date(2025, 3, 6)
    )
    services.confirm_first_contact(
        referral, by=world.worker, on=dt.date(2025, 3, 7), today=dt.date(2025, 3, 7)
    )
    assert not referral.social_worker_involved
    services.accept_referral(referral, by=world.worker)
    services.close_referral(referral, by=world.worker, feedback="Hulp loopt goed.")
    referral.refresh_from_db()
    assert referral.state == State.CLOSED
    kinds = list(referral.events.values_list("kind", flat=True))
    assert kinds == [
        "created",
        "submit",
        "acknowledge",
        "plan_handover",
        "hold_handover",
        "confirm_first_contact",
        "accept",
        "close",
    ]
    assert AccessLogEntry.objects.filter(object_id=str(referral.pk), action="update").count() == 7


def test_the_colleague_named_at_acknowledgement_hears_of_it_with_the_next_deadline() -> None:
    """As after a hand-over: the named worker must plan the handover, and otherwise first hears
    of the referral from the escalation ladder."""
    world = make_world()
    referral = submitted(world, today=MONDAY)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.acknowledge_referral(referral, by=world.contact, worker=world.worker)
    told = Notification.objects.get(user=world.worker)
    assert told.text.startswith(f"U bent de behandelaar van toeleiding {referral.pk}")
    assert "Plan de warme overdracht uiterlijk maandag 10 maart 2025." in told.text
    assert told.url.endswith(f"/{referral.pk}/")
    assert [m.subject for m in mail.outbox if m.to == [world.worker.email]] == [
        f"Schoolzorg: U bent behandelaar van toeleiding {referral.pk}"
    ]
    assert not Notification.objects.filter(user=world.contact, text__contains="behandelaar")


def test_a_worker_who_names_themselves_gets_no_message_about_it() -> None:
    world = make_world()
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker, worker=world.worker)
    assert not Notification.objects.filter(user=world.worker, text__contains="behandelaar")


def test_acknowledge_by_someone_outside_the_team_is_refused() -> None:
    world = make_world()
    referral = submitted(world)
    with pytest.raises(services.ReferralError):
        services.acknowledge_referral(referral, by=world.other_worker)
    with pytest.raises(services.ReferralError):
        services.acknowledge_referral(referral, by=world.worker, worker=world.other_worker)


def test_returned_referral_can_be_completed_and_resubmitted_with_new_deadlines() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    with pytest.raises(services.ReferralError):
        services.return_incomplete(referral, by=world.worker, reasons="  ")
    services.return_incomplete(referral, by=world.worker, reasons="Ernsttaxatie ontbreekt")
    services.save_draft(referral, {"severity_summary": "Aangevuld"}, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=dt.date(2025, 3, 10))
    referral.refresh_from_db()
    assert referral.round == 2
    assert referral.acknowledge_due_on == dt.date(2025, 3, 12)


def test_a_sent_referral_cannot_be_edited() -> None:
    world = make_world()
    referral = submitted(world)
    with pytest.raises(services.StaleState):
        services.save_draft(referral, {"concerns": "anders"}, by=world.smw)


def test_decline_needs_advice_and_withdraw_needs_a_reason() -> None:
    world = make_world()
    referral = submitted(world)
    with pytest.raises(services.ReferralError):
        services.decline_referral(referral, by=world.worker, advice="")
    with pytest.raises(services.ReferralError):
        services.withdraw_referral(referral, by=world.smw, reason="")
    services.decline_referral(referral, by=world.worker, advice="Probeer de huisarts.")
    assert referral.state == State.DECLINED
    with pytest.raises(services.StaleState):
        services.withdraw_referral(referral, by=world.smw, reason="te laat")


def test_planned_handover_in_the_past_is_refused() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    with pytest.raises(services.ReferralError) as exc:
        services.plan_handover(
            referral,
            by=world.worker,
            on=dt.date(2025, 3, 1),
            place="",
            participants="",
            parents_invited=False,
            today=MONDAY,
        )
    assert len(exc.value.messages) == 3


def test_manual_escalation_climbs_the_ladder_and_notifies_each_level() -> None:
    world = make_world()
    referral = submitted(world)
    levels = [
        services.escalate_referral(
            referral,
            by=world.smw,
            reason=EscalationReason.WAITING_LIST,
            note="Geen reactie na drie mails",
        ).level
        for _ in range(5)
    ]
    assert levels == [1, 2, 3, 4, 4]
    assert Notification.objects.filter(user=world.leader).exists()
    assert Notification.objects.filter(user=world.desk_user).exists()
    with pytest.raises(services.ReferralError):
        services.escalate_referral(referral, by=world.smw, reason="onzin", note="x")


def test_document_fields_are_the_ones_the_form_offers() -> None:
    assert set(COMPLETE_DOCUMENT) <= set(services.DOCUMENT_FIELDS)


def _planned(world: Any, *, on: dt.date = dt.date(2025, 3, 6)) -> Referral:
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    services.plan_handover(
        referral,
        by=world.worker,
        on=on,
        place="School",
        participants="moeder, SMW, wijkteam",
        parents_invited=True,
        today=MONDAY,
    )
    return referral


def test_a_handover_cannot_have_been_held_before_it_was_planned() -> None:
    world = make_world()
    referral = _planned(world)
    for held_on in [dt.date(1900, 1, 1), dt.date(2025, 3, 2)]:
        with pytest.raises(services.ReferralError) as exc:
            services.hold_handover(referral, by=world.worker, held_on=held_on, today=MONDAY)
        assert exc.value.errors == [
            (
                "held_on",
                "De warme overdracht kan niet eerder gehouden zijn dan de dag waarop ze werd "
                "gepland (3 maart 2025). Kies die dag of een latere.",
            )
        ]
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED and referral.handover_held_on is None
    services.hold_handover(referral, by=world.worker, held_on=MONDAY, today=MONDAY)
    assert referral.state == State.HANDOVER_HELD


def test_first_contact_cannot_be_before_the_handover_was_held() -> None:
    world = make_world()
    referral = _planned(world)
    held = dt.date(2025, 3, 6)
    services.hold_handover(referral, by=world.worker, held_on=held, today=held)
    for on in [dt.date(1901, 1, 1), dt.date(2025, 3, 5)]:
        with pytest.raises(services.ReferralError) as exc:
            services.confirm_first_contact(referral, by=world.worker, on=on, today=held)
        assert exc.value.errors == [
            (
                "on",
                "Het eerste contact kan niet eerder zijn dan de warme overdracht (6 maart 2025). "
                "Kies die dag of een latere.",
            )
        ]
    with pytest.raises(services.ReferralError):
        services.confirm_first_contact(
            referral, by=world.worker, on=dt.date(2025, 3, 7), today=held
        )
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_HELD and referral.first_contact_on is None
    services.confirm_first_contact(referral, by=world.worker, on=held, today=held)
    assert referral.first_contact_on == held


def test_a_handover_is_planned_at_most_a_year_ahead() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    plan = {"by": world.worker, "place": "School", "participants": "x", "parents_invited": False}
    for on in [dt.date(9999, 12, 31), dt.date(2026, 3, 4)]:
        with pytest.raises(services.ReferralError) as exc:
            services.plan_handover(referral, on=on, today=MONDAY, **plan)
        assert exc.value.errors == [
            ("on", "Plan de warme overdracht binnen een jaar: uiterlijk 3 maart 2026.")
        ]
    services.plan_handover(referral, on=dt.date(2026, 3, 3), today=MONDAY, **plan)
    assert referral.handover_on == dt.date(2026, 3, 3)
    assert services.latest_handover_on(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_the_planned_date_in_the_notice_has_a_lower_case_month_and_the_year() -> None:
    world = make_world()
    _planned(world, on=dt.date(2025, 12, 31))
    note = Notification.objects.filter(user=world.smw, text__contains="gepland").get()
    assert "gepland op wo 31 december 2025." in note.text


def test_a_screen_of_an_earlier_round_cannot_decline_the_new_submission() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    first_round_screen = Referral.objects.get(pk=referral.pk)
    services.return_incomplete(referral, by=world.worker, reasons="Ernsttaxatie ontbreekt")
    services.save_draft(referral, {"severity_summary": "Aangevuld"}, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=dt.date(2025, 3, 10))
    assert first_round_screen.state == referral.state == State.SUBMITTED
    with pytest.raises(services.StaleState) as exc:
        services.decline_referral(first_round_screen, by=world.worker, advice="Huisarts")
    assert "net gewijzigd" in str(exc.value)
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED and referral.decline_advice == ""


def test_level_1_before_acknowledgement_reaches_the_contact_person_and_says_so() -> None:
    """ADR 0401: before a named worker holds the referral, level 1 goes to the team's contact
    person; the level's name must not speak of the worker alone."""
    world = make_world()
    referral = submitted(world, today=MONDAY)
    assert referral.acknowledge_due_on is not None
    services.run_escalations(referral.acknowledge_due_on + dt.timedelta(days=1))
    first = referral.escalations.get()
    assert first.level == 1 and first.notified == world.contact.full_name
    assert first.get_level_display() == "1. Herinnering aan de behandelaar of de contactpersoon"
    line = referral.events.filter(kind="escalated").get()
    from schoolzorg.lib.dates import numeric

    due = numeric(referral.acknowledge_due_on)
    assert line.text == (
        f"De termijn voor ‘Ontvangst bevestigen’ liep tot en met {due}. Escalatie naar "
        "niveau 1: Herinnering aan de behandelaar of de contactpersoon."
    )
    assert first.note == f"De termijn liep tot en met {due}."


def test_an_escalation_by_hand_names_the_rung_as_the_ladder_writes_it() -> None:
    """Testers P8 and Q2: "Servicepunt SMW", not "servicepunt smw" from a lower-cased label."""
    world = make_world()
    referral = submitted(world)
    for _ in range(4):
        referral = Referral.objects.get(pk=referral.pk)
        services.escalate_referral(referral, by=world.smw, reason="disagreement", note="Vast")
    line = referral.events.filter(kind="escalated").order_by("-pk").first()
    assert line is not None
    assert line.text == (
        "Geëscaleerd door de school naar niveau 4: Gemeente en Servicepunt SMW. Reden: "
        "Verschil van inzicht. Toelichting: Vast"
    )


def test_two_escalations_from_the_same_screen_climb_one_rung() -> None:
    world = make_world()
    referral = submitted(world)
    screens = [Referral.objects.get(pk=referral.pk) for _ in range(3)]
    services.escalate_referral(screens[0], by=world.smw, reason="no_response", note="Niets")
    now = "het niveau is nu ‘1. Herinnering aan de behandelaar of de contactpersoon’"
    for screen in screens[1:]:
        with pytest.raises(services.StaleState) as exc:
            services.escalate_referral(screen, by=world.smw, reason="no_response", note="Niets")
        # The user's own double click is not called a colleague's change.
        assert str(exc.value).startswith(f"U had deze toeleiding al geëscaleerd; {now}.")
    # A colleague's screen from before it is.
    with pytest.raises(services.StaleState) as exc:
        services.escalate_referral(
            screens[1], by=world.coordinator, reason="no_response", note="Niets"
        )
    assert str(exc.value).startswith("Iemand anders heeft deze toeleiding net gewijzigd")
    assert now in str(exc.value)
    assert list(referral.escalations.values_list("level", flat=True)) == [1]
    # After reading the new state, escalating again is a deliberate step up.
    fresh = Referral.objects.get(pk=referral.pk)
    assert (
        services.escalate_referral(fresh, by=world.smw, reason="no_response", note="x").level == 2
    )


def test_an_automatic_escalation_makes_an_older_screen_stale() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    screen = Referral.objects.get(pk=referral.pk)
    assert services.run_escalations(dt.date(2025, 3, 7)) == 1  # level 1, a day after the due date
    with pytest.raises(services.StaleState):
        services.escalate_referral(screen, by=world.smw, reason="no_response", note="Niets")
    assert Referral.objects.get(pk=referral.pk).escalation_count == 1


def test_an_escalation_names_and_notifies_each_person_once() -> None:
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role

    world = make_world()
    # The team leader's earlier periods as leader, and a worker who also leads: several
    # memberships, one person each.
    for user, start in [(world.leader, dt.date(2021, 1, 1)), (world.leader, dt.date(2022, 1, 1))]:
        Membership.objects.create(
            user=user, organisation=world.team, role=Role.TEAM_LEADER, valid_from=start
        )
    Membership.objects.create(
        user=world.worker2, organisation=world.team, role=Role.TEAM_LEADER, valid_from=MONDAY
    )
    referral = submitted(world)
    for _ in range(3):
        escalation = services.escalate_referral(
            referral, by=world.smw, reason="no_response", note="Niets"
        )
    assert escalation.level == 3
    assert escalation.notified == "Tom Teamleider, Wendy Wijkteam"
    assert [u.full_name for u in services.level_recipients(referral, 3)] == [
        "Tom Teamleider",
        "Wendy Wijkteam",
    ]
    assert Notification.objects.filter(user=world.leader, text__contains="niveau 3").count() == 1


def test_a_step_is_logged_with_the_role_and_organisation_of_whoever_took_it() -> None:
    world = make_world()
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    entry = AccessLogEntry.objects.filter(
        user_id=world.worker.pk, detail__startswith="toeleiding:"
    ).get()
    assert (entry.role, entry.organisation_id) == ("neighbourhood_team_worker", world.team.pk)
    assert entry.basis == "referral" and entry.basis_ref == str(referral.pk)
    sent = AccessLogEntry.objects.filter(user_id=world.smw.pk, detail="toeleiding aangemaakt").get()
    assert sent.role == "school_social_worker" and sent.organisation_id is not None


# --- The warm handover on a school day, and after its deadline ---------------------------------

SENT_IN_DECEMBER = dt.date(2026, 12, 2)  # a Wednesday: hold the handover by Wed 16 December


def _christmas(world: Any) -> None:
    from schoolzorg.calendars.tests.factories import PublicHolidayFactory, SchoolHolidayFactory

    SchoolHolidayFactory(
        name="Kerstvakantie", start_on=dt.date(2026, 12, 19), end_on=dt.date(2027, 1, 3)
    )
    PublicHolidayFactory(date=dt.date(2026, 12, 25), name="Eerste kerstdag")
    assert world.school.effective_holiday_region == "midden"


def _acknowledged_in_december(world: Any) -> Referral:
    referral = submitted(world, today=SENT_IN_DECEMBER)
    services.acknowledge_referral(referral, by=world.worker, today=SENT_IN_DECEMBER)
    assert referral.handover_due_on == dt.date(2026, 12, 16)
    return referral


def test_a_handover_on_a_day_the_school_is_closed_is_refused_with_reason_and_next_day() -> None:
    from schoolzorg.calendars.tests.factories import SchoolClosureFactory

    world = make_world()
    _christmas(world)
    referral = _acknowledged_in_december(world)
    SchoolClosureFactory(school=world.school, date=dt.date(2026, 12, 14), reason="Studiedag")
    plan = {"by": world.worker, "place": "School", "participants": "x", "parents_invited": False}
    expected = {
        dt.date(2026, 12, 25): "Op vrijdag 25 december 2026 is de school dicht (Eerste kerstdag, "
        "Kerstvakantie). Kies een dag waarop de school open is. De eerste schooldag daarna is "
        "maandag 4 januari 2027.",
        dt.date(2026, 12, 21): "Op maandag 21 december 2026 is de school dicht (Kerstvakantie). "
        "Kies een dag waarop de school open is. De eerste schooldag daarna is maandag 4 januari "
        "2027.",
        dt.date(2026, 12, 5): "Op zaterdag 5 december 2026 is de school dicht (weekend). Kies een "
        "dag waarop de school open is. De eerste schooldag daarna is maandag 7 december 2026.",
        dt.date(2026, 12, 14): "Op maandag 14 december 2026 is de school dicht (Studiedag). Kies "
        "een dag waarop de school open is. De eerste schooldag daarna is dinsdag 15 december "
        "2026.",
    }
    for on, message in expected.items():
        with pytest.raises(services.ReferralError) as exc:
            services.plan_handover(referral, on=on, today=SENT_IN_DECEMBER, **plan)
        assert exc.value.errors == [("on", message)]
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED and referral.handover_on is None
    services.plan_handover(referral, on=dt.date(2026, 12, 15), today=SENT_IN_DECEMBER, **plan)
    assert referral.state == State.HANDOVER_PLANNED
    # Moving it to a closed day is refused the same way.
    with pytest.raises(services.ReferralError):
        services.plan_handover(referral, on=dt.date(2026, 12, 25), today=SENT_IN_DECEMBER, **plan)
    referral.refresh_from_db()
    assert referral.handover_on == dt.date(2026, 12, 15)


def test_a_handover_after_its_deadline_is_planned_with_a_warning_and_a_timeline_note() -> None:
    world = make_world()
    _christmas(world)
    referral = _acknowledged_in_december(world)
    plan = {"by": world.worker, "place": "School", "participants": "x", "parents_invited": False}
    services.plan_handover(referral, on=dt.date(2026, 12, 16), today=SENT_IN_DECEMBER, **plan)
    assert services.late_handover_warning(referral) == ""
    services.plan_handover(referral, on=dt.date(2027, 1, 5), today=SENT_IN_DECEMBER, **plan)
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED
    assert referral.handover_on == dt.date(2027, 1, 5)
    # The deadline stays: the step escalates once it has passed.
    assert referral.handover_due_on == dt.date(2026, 12, 16)
    assert services.late_handover_warning(referral) == (
        "Let op: dinsdag 5 januari 2027 is na de termijn. De warme overdracht moest uiterlijk "
        "woensdag 16 december 2026 gehouden worden. De overdracht is wel gepland. Na de termijn "
        "krijgt de behandelaar automatisch een herinnering, daarna de contactpersoon en de "
        "teamleider (escalatie)."
    )
    last = referral.events.filter(kind="plan_handover").last()
    assert last is not None
    assert last.text.endswith("Dat is na de termijn (uiterlijk 16-12-2026).")
    assert services.run_escalations(dt.date(2026, 12, 17)) == 1
    assert list(referral.escalations.values_list("step", "level")) == [("hold_handover", 1)]


def test_a_handover_is_not_held_on_a_day_it_could_not_be_planned_on() -> None:
    """The tester's steps: planned on 2-12 for Tuesday 15-12, recorded as held on Saturday 5-12
    (the field held today); the figures counted it as held in time."""
    from schoolzorg.calendars.tests.factories import SchoolClosureFactory

    world = make_world()
    _christmas(world)
    referral = _acknowledged_in_december(world)
    SchoolClosureFactory(school=world.school, date=dt.date(2026, 12, 3), reason="Studiedag")
    plan = {"by": world.worker, "place": "School", "participants": "x", "parents_invited": False}
    # Planned on the school's study day (the team works that day).
    services.plan_handover(referral, on=dt.date(2026, 12, 15), today=dt.date(2026, 12, 3), **plan)
    saturday = dt.date(2026, 12, 5)
    expected = {
        # Today: the first school day after it is still to come.
        (saturday, saturday): "Op zaterdag 5 december 2026 is de school dicht (weekend). Kies een "
        "dag waarop de school open is. De laatste schooldag daarvoor is vrijdag 4 december 2026. "
        "De eerste schooldag daarna is maandag 7 december 2026; die dag moet nog komen.",
        (saturday, dt.date(2026, 12, 8)): "Op zaterdag 5 december 2026 is de school dicht "
        "(weekend). Kies een dag waarop de school open is. De laatste schooldag daarvoor is "
        "vrijdag 4 december 2026. De eerste schooldag daarna is maandag 7 december 2026.",
        # The school day before it is before the handover was planned: not named.
        (dt.date(2026, 12, 3), dt.date(2026, 12, 8)): "Op donderdag 3 december 2026 is de school "
        "dicht (Studiedag). Kies een dag waarop de school open is. De eerste schooldag daarna is "
        "vrijdag 4 december 2026.",
    }
    for (held_on, today), message in expected.items():
        with pytest.raises(services.ReferralError) as exc:
            services.hold_handover(referral, by=world.worker, held_on=held_on, today=today)
        assert exc.value.errors == [("held_on", message)]
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED and referral.handover_held_on is None
    services.hold_handover(referral, by=world.worker, held_on=dt.date(2026, 12, 4), today=saturday)
    assert referral.handover_held_on == dt.date(2026, 12, 4)


def test_a_direct_handover_may_be_held_on_any_day_a_snel_one_on_a_working_day() -> None:
    """As for planning: 'direct' counts every day, 'snel' working days (school holidays too)."""
    from schoolzorg.referrals.models import Urgency

    world = make_world()
    _christmas(world)
    sent = dt.date(2026, 12, 21)  # a Monday in the Christmas holiday

    def planned(urgency: str) -> Referral:
        referral = draft(world, pupil=another_pupil(world))
        services.save_draft(referral, {"urgency": urgency}, by=world.smw)
        services.submit_referral(referral, by=world.smw, today=sent)
        services.acknowledge_referral(referral, by=world.worker, today=sent)
        services.plan_handover(
            referral,
            by=world.worker,
            on=dt.date(2026, 12, 28),
            place="Thuis",
            participants="moeder",
            parents_invited=True,
            today=sent,
        )
        return referral

    today = dt.date(2026, 12, 27)
    direct = planned(Urgency.URGENT)
    services.hold_handover(direct, by=world.worker, held_on=dt.date(2026, 12, 26), today=today)
    assert direct.handover_held_on == dt.date(2026, 12, 26)  # a Saturday, Tweede kerstdag

    soon = planned(Urgency.SOON)
    with pytest.raises(services.ReferralError) as exc:
        services.hold_handover(soon, by=world.worker, held_on=dt.date(2026, 12, 25), today=today)
    assert exc.value.messages == [
        "Op vrijdag 25 december 2026 is het geen werkdag (Eerste kerstdag). Kies een werkdag. "
        "De laatste werkdag daarvoor is donderdag 24 december 2026. De eerste werkdag daarna is "
        "maandag 28 december 2026; die dag moet nog komen."
    ]
    services.hold_handover(soon, by=world.worker, held_on=dt.date(2026, 12, 22), today=today)
    assert soon.handover_held_on == dt.date(2026, 12, 22)  # in the school holiday


def test_a_handover_held_before_its_planned_day_is_recorded_with_a_warning() -> None:
    world = make_world()
    _christmas(world)
    referral = _acknowledged_in_december(world)
    plan = {"by": world.worker, "place": "School", "participants": "x", "parents_invited": False}
    services.plan_handover(referral, on=dt.date(2026, 12, 15), today=SENT_IN_DECEMBER, **plan)
    services.hold_handover(
        referral, by=world.worker, held_on=dt.date(2026, 12, 4), today=dt.date(2026, 12, 5)
    )
    assert services.early_hold_warning(referral) == (
        "Let op: u hebt vastgelegd dat de warme overdracht op vrijdag 4 december 2026 is "
        "gehouden. Ze was gepland op dinsdag 15 december 2026, dus eerder dan gepland. Klopt die "
        "datum?"
    )
    last = referral.events.filter(kind="hold_handover").last()
    assert last is not None
    assert last.text == "Warme overdracht gehouden op 4-12-2026 (eerder dan gepland: 15-12-2026)"


def test_a_handover_held_on_its_planned_day_gets_no_warning() -> None:
    world = make_world()
    referral = _planned(world)
    held = dt.date(2025, 3, 6)
    services.hold_handover(referral, by=world.worker, held_on=held, today=held)
    assert services.early_hold_warning(referral) == ""


# --- Two screens on one draft -------------------------------------------------------------------


def _screen_of(referral: Referral) -> dict[str, services.Seen]:
    """What a screen drawn now shows of every section."""
    stored = Referral.objects.get(pk=referral.pk)
    return {
        name: services.Seen(services.fingerprint(getattr(stored, name)))
        for name in services.DOCUMENT_FIELDS
    }


def _whole_form(referral: Referral, **changes: Any) -> dict[str, Any]:
    """Every section as the screen drawn now shows it, with the user's changes: an autosave
    sends the whole form, untouched sections too."""
    stored = Referral.objects.get(pk=referral.pk)
    return {**{name: getattr(stored, name) for name in services.DOCUMENT_FIELDS}, **changes}


def test_two_people_changing_different_sections_both_keep_their_text() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    smw_screen, ib_screen = _screen_of(referral), _screen_of(referral)
    smw_form = _whole_form(referral, already_tried="Twee gesprekken met moeder")
    ib_form = _whole_form(referral, proposed_handover="Op school, met moeder")

    first = services.save_draft(referral, smw_form, by=world.smw, seen=smw_screen)
    second = services.save_draft(referral, ib_form, by=world.coordinator, seen=ib_screen)

    assert first.saved == ["already_tried"] and not first.conflicts
    assert second.saved == ["proposed_handover"] and not second.conflicts
    assert second.changed_elsewhere == {"already_tried": "Twee gesprekken met moeder"}
    referral.refresh_from_db()
    assert referral.already_tried == "Twee gesprekken met moeder"
    assert referral.proposed_handover == "Op school, met moeder"


def test_a_section_changed_on_two_screens_is_a_conflict_not_an_overwrite() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    tab1, tab2 = _screen_of(referral), _screen_of(referral)
    theirs = _whole_form(referral, concerns="Slaapt slecht")
    mine = _whole_form(referral, concerns="Veel ruzie thuis")
    services.save_draft(referral, theirs, by=world.smw, seen=tab1)

    result = services.save_draft(referral, mine, by=world.smw, seen=tab2)
    assert result.conflicts == {"concerns": "Slaapt slecht"} and result.saved == []
    referral.refresh_from_db()
    assert referral.concerns == "Slaapt slecht"

    # The page showed the other text beside the user's own; saving again by the button is a
    # choice made after reading it.
    chosen = {
        **tab2,
        "concerns": services.Seen(tab2["concerns"].base, services.fingerprint("Slaapt slecht")),
    }
    result = services.save_draft(referral, mine, by=world.smw, seen=chosen)
    assert result.saved == ["concerns"]
    referral.refresh_from_db()
    assert referral.concerns == "Veel ruzie thuis"


def test_the_same_text_saved_twice_or_with_other_line_ends_is_no_conflict() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    screen = _screen_of(referral)
    form = _whole_form(referral, concerns="Slaapt slecht\nEet weinig")
    services.save_draft(referral, form, by=world.smw, seen=screen)
    # A double click, or an autosave that overtook the button: the text is already stored.
    again = services.save_draft(
        referral, {**form, "concerns": " Slaapt slecht\r\nEet weinig "}, by=world.smw, seen=screen
    )
    assert not again.conflicts and not again.saved
    assert services.fingerprint("a\r\nb ") == services.fingerprint("a\nb")


def test_a_draft_without_a_screen_compares_with_the_referral_as_passed_in() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    stale = Referral.objects.get(pk=referral.pk)
    services.save_draft(referral, {"concerns": "Slaapt slecht"}, by=world.smw)
    result = services.save_draft(stale, {"concerns": "Anders"}, by=world.coordinator)
    assert result.conflicts == {"concerns": "Slaapt slecht"}
    assert stale.concerns == "Slaapt slecht"  # the referral now holds what is stored


def test_sending_is_refused_when_a_section_holds_text_the_screen_did_not_show() -> None:
    world = make_world()
    referral = draft(world)
    screen = Referral.objects.get(pk=referral.pk)
    showing = {
        name: {services.fingerprint(getattr(screen, name))} for name in services.DOCUMENT_FIELDS
    }
    colleague = Referral.objects.get(pk=referral.pk)
    services.save_draft(colleague, {"concerns": "Er is ook geweld gezien."}, by=world.coordinator)

    with pytest.raises(services.UnseenChanges) as exc:
        services.submit_referral(screen, by=world.smw, showing=showing)
    assert exc.value.current == {"concerns": "Er is ook geweld gezien."}
    assert "Niet verstuurd" in str(exc.value)
    referral.refresh_from_db()
    assert referral.state == State.DRAFT and referral.round == 0

    showing["concerns"] = {services.fingerprint("Er is ook geweld gezien.")}
    services.submit_referral(screen, by=world.smw, showing=showing)
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED
    assert referral.concerns == "Er is ook geweld gezien."


def test_sending_again_clears_the_worker_of_the_earlier_round() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    services.return_incomplete(referral, by=world.worker, reasons="De hulpvraag ontbreekt.")
    services.submit_referral(referral, by=world.smw, today=MONDAY)
    referral.refresh_from_db()
    assert (referral.state, referral.round, referral.assignee) == (State.SUBMITTED, 2, None)


def test_level_one_of_a_referral_sent_again_to_another_team_goes_to_that_teams_contact() -> None:
    """The worker who returned it has no part in the new round; the new team must hear of it."""
    from schoolzorg.accounts.roles import Role
    from schoolzorg.referrals.tests.factories import give_consent, person

    world = make_world()
    new_contact = person(world.other_team, Role.NEIGHBOURHOOD_TEAM_CONTACT, school=world.school)
    referral = submitted(world, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)
    services.return_incomplete(referral, by=world.worker, reasons="Het gezin is verhuisd.")
    services.choose_team(referral, world.other_team, reason="Het gezin is verhuisd", by=world.smw)
    give_consent(world, recipient=world.other_team)
    services.submit_referral(referral, by=world.smw, today=MONDAY)
    Notification.objects.all().delete()

    raised = services.run_escalations(referral.acknowledge_due_on + dt.timedelta(days=1))

    assert raised == 1
    escalation = referral.escalations.get()
    assert (escalation.level, escalation.round) == (1, 2)
    assert escalation.notified == new_contact.full_name
    assert set(Notification.objects.values_list("user_id", flat=True)) == {new_contact.pk}


def test_an_escalation_mail_has_a_short_whole_subject() -> None:
    world = make_world()
    referral = submitted(world)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.escalate_referral(
            referral, by=world.smw, reason=EscalationReason.NO_RESPONSE, note="Geen reactie"
        )
    assert {m.subject for m in mail.outbox} == {
        f"Schoolzorg: Escalatie niveau 1: toeleiding {referral.pk}"
    }


def test_every_referral_message_has_a_subject() -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "templates" / "referrals" / "email"
    kinds = {p.stem for p in folder.glob("*.txt")}
    assert kinds == set(services.SUBJECTS)


def test_a_direct_referral_tells_the_contact_person_and_the_team_leader_at_once() -> None:
    from schoolzorg.referrals.models import Urgency

    world = make_world()
    referral = draft(world)
    services.save_draft(referral, {"urgency": Urgency.URGENT}, by=world.smw)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit_referral(referral, by=world.smw, today=MONDAY)
    told = Notification.objects.filter(url__endswith=f"/{referral.pk}/")
    assert set(told.values_list("user_id", flat=True)) == {world.contact.pk, world.leader.pk}
    assert told.first().text == (  # type: ignore[union-attr]
        f"Nieuwe toeleiding met urgentie ‘direct’ voor uw wijkteam (nummer {referral.pk}): er "
        "zijn zorgen over de veiligheid. Bevestig de ontvangst uiterlijk dinsdag 4 maart 2025."
    )
    assert {m.subject for m in mail.outbox} == {
        f"Schoolzorg: Direct: Nieuwe toeleiding {referral.pk}"
    }


def test_a_normal_referral_tells_the_contact_person_only() -> None:
    world = make_world()
    referral = submitted(world, today=MONDAY)
    told = Notification.objects.filter(url__endswith=f"/{referral.pk}/")
    assert set(told.values_list("user_id", flat=True)) == {world.contact.pk}
    assert "urgentie" not in told.get().text


def test_a_direct_handover_may_be_planned_on_a_saturday_a_normal_one_not() -> None:
    from schoolzorg.referrals.models import Urgency

    world = make_world()
    saturday = MONDAY + dt.timedelta(days=5)
    normal = submitted(world, today=MONDAY)
    services.acknowledge_referral(normal, by=world.worker, today=MONDAY)
    with pytest.raises(services.ReferralError) as exc:
        services.plan_handover(
            normal,
            by=world.worker,
            on=saturday,
            place="Thuis",
            participants="moeder",
            parents_invited=True,
            today=MONDAY,
        )
    assert "is de school dicht (weekend)" in exc.value.messages[0]

    urgent = draft(world, pupil=another_pupil(world))
    services.save_draft(urgent, {"urgency": Urgency.URGENT}, by=world.smw)
    services.submit_referral(urgent, by=world.smw, today=MONDAY)
    services.acknowledge_referral(urgent, by=world.worker, today=MONDAY)
    services.plan_handover(
        urgent,
        by=world.worker,
        on=saturday,
        place="Thuis",
        participants="moeder",
        parents_invited=True,
        today=MONDAY,
    )
    assert urgent.handover_on == saturday


@pytest.mark.parametrize("urgency", ["normal", "urgent"])
def test_without_a_contact_person_a_direct_referral_reaches_the_workers_too(urgency: str) -> None:
    """ADR 0401 "Urgency": *Direct* tells the team leaders beside whoever a *Gewoon* referral
    reaches; with no contact person for the school those are the team's workers and leaders."""
    from schoolzorg.accounts.models import Membership

    world = make_world()
    Membership.objects.filter(user=world.contact).delete()
    referral = draft(world)
    services.save_draft(referral, {"urgency": urgency}, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=MONDAY)
    told = Notification.objects.filter(url__endswith=f"/{referral.pk}/")
    assert set(told.values_list("user_id", flat=True)) == {
        world.leader.pk,
        world.worker.pk,
        world.worker2.pk,
    }


def test_the_school_side_hears_of_the_referral_and_nobody_else_at_the_school() -> None:
    """docs/permissions.md: the school side (`is_school_side`) is the school's support
    coordinators and school social workers and the person named on it; a message to the school
    reaches them all, not the partnership contact who typed the draft or another school's IB-er."""
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import PartnershipFactory, SchoolFactory
    from schoolzorg.referrals import policies
    from schoolzorg.referrals.tests.factories import person

    world = make_world()
    second_ib = person(world.school, Role.SUPPORT_COORDINATOR, name="Ida IB")
    partnership = PartnershipFactory(municipality=world.town)
    scp = person(partnership, Role.PARTNERSHIP_CONTACT, school=world.school, name="Pim SWV")
    elsewhere = person(SchoolFactory(municipality=world.town), Role.SUPPORT_COORDINATOR)
    referral = services.create_referral(world.pupil, by=scp, social_worker=world.smw)
    services.save_draft(referral, COMPLETE_DOCUMENT, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=MONDAY)
    services.acknowledge_referral(referral, by=world.worker, today=MONDAY)

    told = Notification.objects.filter(
        url__endswith=f"/{referral.pk}/", text__startswith="Het wijkteam heeft"
    )
    school = {world.smw.pk, world.coordinator.pk, second_ib.pk}
    assert set(told.values_list("user_id", flat=True)) == school
    assert {u.pk for u in policies.school_side(referral)} == school
    for user in (world.smw, world.coordinator, second_ib):
        assert policies.is_school_side(user, referral)
    for user in (scp, elsewhere, world.worker):
        assert not policies.is_school_side(user, referral)


def test_without_a_contact_person_the_ladder_says_who_was_told_instead_and_tells_each_once() -> (
    None
):
    """No contact person for the school: rung 2 names the team leader as the fallback, not as
    the contact person, and a sweep that reaches rungs 2 and 3 at once sends him one message."""
    from schoolzorg.accounts.models import Membership

    world = make_world()
    Membership.objects.filter(user=world.contact).delete()
    referral = submitted(world, today=MONDAY)
    Notification.objects.all().delete()
    mail.outbox.clear()
    assert referral.acknowledge_due_on is not None
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.run_escalations(referral.acknowledge_due_on + dt.timedelta(days=30))
    notified = dict(referral.escalations.values_list("level", "notified"))
    fallback, names = notified[1].split(": ")
    assert fallback == (
        "Geen contactpersoon voor deze school; bericht aan de medewerkers van het wijkteam"
    )
    assert set(names.split(", ")) == {"Wim Wijkteam", "Wendy Wijkteam"}
    assert notified[2] == (
        "Geen contactpersoon voor deze school; bericht aan de teamleider: Tom Teamleider"
    )
    assert notified[3] == "Tom Teamleider"
    # One message per person, of the highest rung they are on.
    texts = list(Notification.objects.filter(user=world.leader).values_list("text", flat=True))
    assert len(texts) == 1 and texts[0].startswith("Escalatie niveau 3:")
    assert Notification.objects.filter(user=world.worker).count() == 1
    assert len([m for m in mail.outbox if world.leader.email in m.to]) == 1


def test_a_direct_referral_past_its_deadline_tells_the_contact_person_once() -> None:
    """*Direct* reaches rungs 1 and 2 on the same day; both are the contact person's."""
    from schoolzorg.referrals.models import Urgency

    world = make_world()
    referral = draft(world)
    services.save_draft(referral, {"urgency": Urgency.URGENT}, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=MONDAY)
    Notification.objects.all().delete()
    assert referral.acknowledge_due_on is not None
    services.run_escalations(referral.acknowledge_due_on + dt.timedelta(days=1))
    assert sorted(referral.escalations.values_list("level", flat=True)) == [1, 2]
    texts = list(Notification.objects.filter(user=world.contact).values_list("text", flat=True))
    assert len(texts) == 1 and texts[0].startswith("Escalatie niveau 2:")
