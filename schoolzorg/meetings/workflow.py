"""Care meeting states and the allowed moves, as plain data. No database here."""

from __future__ import annotations

from django.db import models


class MeetingState(models.TextChoices):
    PLANNED = "planned", "Gepland"
    HELD = "held", "Gehouden, verslag in concept"
    CLOSED = "closed", "Verslag vastgesteld"
    CANCELLED = "cancelled", "Gaat niet door"


class Move(models.TextChoices):
    HOLD = "hold", "Overleg is gehouden"
    CLOSE = "close", "Verslag vaststellen"
    CANCEL = "cancel", "Overleg afzeggen"
    REOPEN = "reopen", "Verslag weer openen"


# (from state, move) → to state. Minutes and decisions can be written while the meeting is
# planned (during the meeting, from its day on: `services._require_meeting_day`) or held (tidying
# up after); a closed report is fixed until reopened. A meeting with decisions or minutes is
# not cancelled (`services._refuse_cancelling_what_took_place`).
TRANSITIONS: dict[tuple[str, str], str] = {
    (MeetingState.PLANNED, Move.HOLD): MeetingState.HELD,
    (MeetingState.PLANNED, Move.CANCEL): MeetingState.CANCELLED,
    (MeetingState.HELD, Move.CLOSE): MeetingState.CLOSED,
    (MeetingState.CLOSED, Move.REOPEN): MeetingState.HELD,
}

# A move that cannot be taken back asks first (WCAG 3.3.4): the page shows the button behind this
# sentence, and the move is only sent from there.
CONFIRM_FIRST: dict[str, str] = {
    Move.CANCEL: "Iedereen van het team ziet dat het overleg niet doorgaat. "
    "Dit kunt u niet terugdraaien.",
}

EDITABLE_STATES = frozenset({MeetingState.PLANNED, MeetingState.HELD})
# A pupil can only be put on the agenda of a meeting that has not happened yet.
AGENDA_OPEN_STATES = frozenset({MeetingState.PLANNED})
# The agenda page has something to do (place, reorder, take off an item that lost its basis)
# only while the meeting is editable; a cancelled or closed meeting does not offer it.
AGENDA_BUILDER_STATES = EDITABLE_STATES
# A cancelled meeting is not offered for the user's own calendar.
CALENDAR_STATES = frozenset({MeetingState.PLANNED, MeetingState.HELD, MeetingState.CLOSED})


def target(state: str, move: str) -> str | None:
    return TRANSITIONS.get((state, move))


def moves_from(state: str) -> list[str]:
    return [m for (s, m) in TRANSITIONS if s == state]
