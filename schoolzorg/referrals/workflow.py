"""States of a referral and the moves allowed between them, as plain data (no database).

Each move is carried out by the service function of the same name in `services.py`, which adds
its own rule and does a compare-and-set on the state the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Concept"
    SUBMITTED = "submitted", "Verstuurd"
    RETURNED = "returned", "Teruggestuurd (onvolledig)"
    ACKNOWLEDGED = "acknowledged", "Ontvangen"
    HANDOVER_PLANNED = "handover_planned", "Warme overdracht gepland"
    HANDOVER_HELD = "handover_held", "Warme overdracht gehouden"
    FIRST_CONTACT = "first_contact", "Eerste contact bevestigd"
    ACCEPTED = "accepted", "Aangenomen"
    DECLINED = "declined", "Afgewezen"
    WITHDRAWN = "withdrawn", "Ingetrokken"
    CLOSED = "closed", "Afgesloten"


class Side(models.TextChoices):
    SCHOOL = "school", "school"
    TEAM = "team", "wijkteam"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    side: str


def _move(name: str, label: str, sources: set[str], target: str, side: str) -> Move:
    return Move(name, label, frozenset(sources), target, side)


S = State
TRANSITIONS: dict[str, Move] = {
    m.name: m
    for m in [
        _move("submit", "Versturen", {S.DRAFT, S.RETURNED}, S.SUBMITTED, Side.SCHOOL),
        _move("acknowledge", "Ontvangst bevestigen", {S.SUBMITTED}, S.ACKNOWLEDGED, Side.TEAM),
        _move(
            "plan_handover",
            "Warme overdracht plannen",
            {S.ACKNOWLEDGED, S.HANDOVER_PLANNED},
            S.HANDOVER_PLANNED,
            Side.TEAM,
        ),
        _move(
            "hold_handover",
            "Warme overdracht gehouden",
            {S.HANDOVER_PLANNED},
            S.HANDOVER_HELD,
            Side.TEAM,
        ),
        _move(
            "confirm_first_contact",
            "Eerste contact bevestigen",
            {S.HANDOVER_HELD},
            S.FIRST_CONTACT,
            Side.TEAM,
        ),
        _move("accept", "Aannemen", {S.FIRST_CONTACT}, S.ACCEPTED, Side.TEAM),
        _move(
            "return_incomplete",
            "Terugsturen als onvolledig",
            {S.SUBMITTED, S.ACKNOWLEDGED},
            S.RETURNED,
            Side.TEAM,
        ),
        _move(
            "decline",
            "Afwijzen (geen passende hulp)",
            {S.SUBMITTED, S.ACKNOWLEDGED, S.HANDOVER_PLANNED, S.HANDOVER_HELD, S.FIRST_CONTACT},
            S.DECLINED,
            Side.TEAM,
        ),
        _move(
            "withdraw",
            "Intrekken",
            {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACKNOWLEDGED, S.HANDOVER_PLANNED},
            S.WITHDRAWN,
            Side.SCHOOL,
        ),
        _move("close", "Afsluiten met terugkoppeling", {S.ACCEPTED}, S.CLOSED, Side.TEAM),
    ]
}

EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
TERMINAL_STATES = frozenset({S.DECLINED, S.WITHDRAWN, S.CLOSED})
# Under way: not ended (declined, withdrawn or closed). While a referral for a pupil is under way
# the school starts no second one (the start page leads to it), and a team gets no second one
# for the pupil while one it was sent is under way there (`SENT_UNDER_WAY_STATES`).
UNDER_WAY_STATES = frozenset(set(State) - TERMINAL_STATES)
SENT_UNDER_WAY_STATES = UNDER_WAY_STATES - {S.DRAFT}
OPEN_STATES = frozenset(
    {S.SUBMITTED, S.ACKNOWLEDGED, S.HANDOVER_PLANNED, S.HANDOVER_HELD, S.FIRST_CONTACT}
)
# A named worker (the assignee) holds an open referral from acknowledgement on; the team leader
# or the team's contact person can hand it to a colleague (escalation rungs 2 and 3).
ASSIGNED_STATES = OPEN_STATES - {S.SUBMITTED}
# The receiving team sees the pupil's file (not just the referral) from the moment a named worker
# has acknowledged the referral until it is accepted; afterwards the team works in its own system.
TEAM_FILE_STATES = frozenset(
    {S.ACKNOWLEDGED, S.HANDOVER_PLANNED, S.HANDOVER_HELD, S.FIRST_CONTACT, S.ACCEPTED}
)
# The school social worker stays involved until the team has made contact with the family.
SOCIAL_WORKER_STATES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACKNOWLEDGED, S.HANDOVER_PLANNED, S.HANDOVER_HELD}
)


class Step(models.TextChoices):
    """A step with a service norm; it runs while the referral waits in the state before it."""

    ACKNOWLEDGE = "acknowledge", "Ontvangst bevestigen"
    PLAN_HANDOVER = "plan_handover", "Warme overdracht plannen"
    HOLD_HANDOVER = "hold_handover", "Warme overdracht houden"
    FIRST_CONTACT = "first_contact", "Eerste contact met het gezin"


STEP_BY_STATE: dict[str, str] = {
    S.SUBMITTED: Step.ACKNOWLEDGE,
    S.ACKNOWLEDGED: Step.PLAN_HANDOVER,
    S.HANDOVER_PLANNED: Step.HOLD_HANDOVER,
    S.HANDOVER_HELD: Step.FIRST_CONTACT,
}
DUE_FIELD_BY_STEP: dict[str, str] = {
    Step.ACKNOWLEDGE: "acknowledge_due_on",
    Step.PLAN_HANDOVER: "plan_due_on",
    Step.HOLD_HANDOVER: "handover_due_on",
    Step.FIRST_CONTACT: "first_contact_due_on",
}


def allowed_moves(state: str) -> list[Move]:
    return [m for m in TRANSITIONS.values() if state in m.sources]


def is_allowed(move: str, state: str) -> bool:
    return move in TRANSITIONS and state in TRANSITIONS[move].sources
