"""Random sequences of moves, days passing and sweeps: the workflow stays valid and every overdue
step escalates exactly once per level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from schoolzorg.calendars.workingdays import is_school_day
from schoolzorg.referrals import services
from schoolzorg.referrals.deadlines import level_dates
from schoolzorg.referrals.models import Escalation, Referral, ServiceNorm
from schoolzorg.referrals.tests.factories import draft, make_world, school_day_from
from schoolzorg.referrals.workflow import (
    DUE_FIELD_BY_STEP,
    STEP_BY_STATE,
    TRANSITIONS,
    State,
    allowed_moves,
)

START = dt.date(2025, 3, 3)


class ReferralMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.world = make_world()
        self.referral = draft(self.world)
        self.today = START
        self.expected_state = State.DRAFT
        self.swept = True

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    def _call(self, move: str) -> None:
        w, r, day = self.world, self.referral, self.today
        calls = {
            "submit": lambda: services.submit_referral(r, by=w.smw, today=day),
            "acknowledge": lambda: services.acknowledge_referral(r, by=w.worker, today=day),
            "plan_handover": lambda: services.plan_handover(
                r,
                by=w.worker,
                on=school_day_from(w, day),
                place="School",
                participants="allen",
                parents_invited=True,
                today=day,
            ),
            "hold_handover": lambda: services.hold_handover(r, by=w.worker, held_on=day, today=day),
            "confirm_first_contact": lambda: services.confirm_first_contact(
                r, by=w.worker, on=day, today=day
            ),
            "accept": lambda: services.accept_referral(r, by=w.worker, today=day),
            "return_incomplete": lambda: services.return_incomplete(
                r, by=w.worker, reasons="mist iets"
            ),
            "decline": lambda: services.decline_referral(
                r, by=w.worker, advice="huisarts", today=day
            ),
            "withdraw": lambda: services.withdraw_referral(
                r, by=w.smw, reason="ouders willen niet", today=day
            ),
            "close": lambda: services.close_referral(r, by=w.worker, feedback="klaar", today=day),
        }
        calls[move]()

    @rule(move=st.sampled_from(sorted(TRANSITIONS)), stale=st.booleans())
    def make_move(self, move: str, stale: bool) -> None:
        before = Referral.objects.get(pk=self.referral.pk).state
        if stale:
            # A screen drawn before the last move: the compare-and-set must refuse a mismatch.
            self.referral = Referral.objects.get(pk=self.referral.pk)
            self.referral.state = State.DRAFT if before != State.DRAFT else State.SUBMITTED
        else:
            self.referral = Referral.objects.get(pk=self.referral.pk)
        allowed = self.referral.state in TRANSITIONS[move].sources and not stale
        if move == "hold_handover" and not is_school_day(
            self.today,
            region=self.world.school.effective_holiday_region,
            school_id=self.world.school.pk,
        ):
            allowed = False  # a handover is not held on a day the school is closed
        try:
            self._call(move)
        except services.ReferralError:
            assert not allowed, f"{move} from {before} was refused"
            assert Referral.objects.get(pk=self.referral.pk).state == before
            self.referral = Referral.objects.get(pk=self.referral.pk)
            return
        assert allowed, f"{move} from {before} (seen {self.referral.state}) went through"
        self.expected_state = TRANSITIONS[move].target
        self.swept = False

    @rule(days=st.integers(min_value=0, max_value=12))
    def time_passes(self, days: int) -> None:
        self.today += dt.timedelta(days=days)
        self.swept = False

    @rule(escalate_by_hand=st.booleans())
    def sweep(self, escalate_by_hand: bool) -> None:
        services.run_escalations(self.today)
        services.run_escalations(self.today)  # a second scheduler at the same moment
        if escalate_by_hand and self.referral.state in STEP_BY_STATE:
            services.escalate_referral(
                Referral.objects.get(pk=self.referral.pk),
                by=self.world.smw,
                reason="no_response",
                note="hand",
                today=self.today,
            )
        self.swept = True

    @invariant()
    def state_is_the_one_the_table_allows(self) -> None:
        state = Referral.objects.get(pk=self.referral.pk).state
        assert state == self.expected_state
        assert state in State.values
        # Terminal states allow no move out; every other state has at least one.
        assert bool(allowed_moves(state)) == (
            state not in {State.CLOSED, State.DECLINED, State.WITHDRAWN}
        )

    @invariant()
    def every_overdue_level_escalated_exactly_once(self) -> None:
        referral = Referral.objects.select_related("school", "team").get(pk=self.referral.pk)
        norm = ServiceNorm()
        auto = Escalation.objects.filter(referral=referral, is_manual=False)
        for e in auto:
            reached = level_dates(referral.school, e.due_on, norm)[e.level]
            assert e.raised_on >= reached
        keys = list(auto.values_list("round", "step", "level"))
        assert len(keys) == len(set(keys))
        step = STEP_BY_STATE.get(referral.state)
        if not self.swept or step is None:
            return
        due = getattr(referral, DUE_FIELD_BY_STEP[step])
        expected = {
            level
            for level, on in level_dates(referral.school, due, norm).items()
            if due < self.today and self.today >= on
        }
        got = set(auto.filter(round=referral.round, step=step).values_list("level", flat=True))
        assert got == expected


@pytest.mark.django_db
def test_workflow_state_machine() -> None:
    run_state_machine_as_test(
        ReferralMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
