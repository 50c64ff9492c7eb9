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
    """A move; `slug` is its part of the address the page posts to (Dutch, as every address)."""

    name: str
    label: str
    sources: frozenset[str]
    target: str
    side: str
    slug: str


def _move(name: str, label: str, sources: set[str], target: str, side: str, slug: str) -> Move:
    return Move(name, label, frozenset(sources), target, side, slug)


S = State
TRANSITIONS: dict[str, Move] = {
    m.name: m
    for m in [
        _move("submit", "Versturen", {S.DRAFT, S.RETURNED}, S.SUBMITTED, Side.SCHOOL, "versturen"),
        _move(
            "acknowledge",
            "Ontvangst bevestigen",
            {S.SUBMITTED},
            S.ACKNOWLEDGED,
            Side.TEAM,
            "ontvangst-bevestigen",
        ),
        _move(
            "plan_handover",
            "Warme overdracht plannen",
            {S.ACKNOWLEDGED, S.HANDOVER_PLANNED},
            S.HANDOVER_PLANNED,
            Side.TEAM,
            "overdracht-plannen",
        ),
        _move(
            "hold_handover",
            "Warme overdracht gehouden",
            {S.HANDOVER_PLANNED},
            S.HANDOVER_HELD,
            Side.TEAM,
            "overdracht-gehouden",
        ),
        _move(
            "confirm_first_contact",
            "Eerste contact bevestigen",
            {S.HANDOVER_HELD},
            S.FIRST_CONTACT,
            Side.TEAM,
            "eerste-contact-bevestigen",
        ),
        _move("accept", "Aannemen", {S.FIRST_CONTACT}, S.ACCEPTED, Side.TEAM, "aannemen"),
        _move(
            "return_incomplete",
            "Terugsturen als onvolledig",
            {S.SUBMITTED, S.ACKNOWLEDGED},
            S.RETURNED,
            Side.TEAM,
            "terugsturen",
        ),
        _move(
            "decline",
            "Afwijzen (geen passende hulp)",
            {S.SUBMITTED, S.ACKNOWLEDGED, S.HANDOVER_PLANNED, S.HANDOVER_HELD, S.FIRST_CONTACT},
            S.DECLINED,
            Side.TEAM,
            "afwijzen",
        ),
        _move(
            "withdraw",
            "Intrekken",
            {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACKNOWLEDGED, S.HANDOVER_PLANNED},
            S.WITHDRAWN,
            Side.SCHOOL,
            "intrekken",
        ),
        _move(
            "close", "Afsluiten met terugkoppeling", {S.ACCEPTED}, S.CLOSED, Side.TEAM, "afsluiten"
        ),
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


class Urgency(models.TextChoices):
    """How fast the team must act; the same words as the scale of "Zorg melden" (cases)."""

    NORMAL = "normal", "Gewoon (de vaste termijnen)"
    SOON = "soon", "Snel (binnen een week)"
    URGENT = "urgent", "Direct (vandaag of morgen): zorgen over de veiligheid"


class DayCount(models.TextChoices):
    """Which days a deadline counts, and on which days a warm handover may be planned."""

    SCHOOL = "school", "schooldagen"  # of the school's holiday region: the school takes part
    WORKING = "working", "werkdagen"  # weekdays without public holidays: the team works in
    # the school holidays, so "binnen een week" holds in the summer too
    CALENDAR = "calendar", "dagen"  # every day: safety does not wait for a weekend


@dataclass(frozen=True)
class UrgencyNorm:
    """What an urgency does to the municipality's service norm (`ServiceNorm`).

    `step_days` and `ladder_days` are maxima: a municipality's shorter norm stays. Both are
    counted in `counts`. `tells_leaders`: the team leaders hear of the referral when it is sent,
    beside whoever hears of any referral (`services.submit_recipients`). `rank` orders the
    team's inbox (0 first); `tag` is the word a list shows ("" for none).
    """

    counts: str
    step_days: dict[str, int]
    ladder_days: tuple[int, int, int, int] | None
    tells_leaders: bool
    rank: int
    tag: str


URGENCY_NORMS: dict[str, UrgencyNorm] = {
    Urgency.NORMAL: UrgencyNorm(DayCount.SCHOOL, {}, None, False, 2, ""),
    Urgency.SOON: UrgencyNorm(
        DayCount.WORKING,
        {"acknowledge": 1, "plan_handover": 3, "hold_handover": 5, "first_contact": 10},
        (1, 2, 3, 5),
        False,
        1,
        "snel",
    ),
    Urgency.URGENT: UrgencyNorm(
        DayCount.CALENDAR,
        {"acknowledge": 1, "plan_handover": 2, "hold_handover": 3, "first_contact": 5},
        (1, 1, 2, 3),
        True,
        0,
        "direct",
    ),
}


def urgency_norm(urgency: str) -> UrgencyNorm:
    """The norm of an urgency; a referral without one (an old draft) is normal."""
    return URGENCY_NORMS.get(urgency, URGENCY_NORMS[Urgency.NORMAL])


# A move by its part of the address (`Move.slug`): the referral's URLs name moves in Dutch.
MOVE_BY_SLUG: dict[str, str] = {m.slug: m.name for m in TRANSITIONS.values()}


def allowed_moves(state: str) -> list[Move]:
    return [m for m in TRANSITIONS.values() if state in m.sources]


def is_allowed(move: str, state: str) -> bool:
    return move in TRANSITIONS and state in TRANSITIONS[move].sources
