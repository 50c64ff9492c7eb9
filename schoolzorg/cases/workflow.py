"""Case states and the allowed moves, as plain data. No database here."""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    NEW = "new", "Nieuw"
    IN_CARE_TEAM = "in_care_team", "In het schoolzorgteam"
    WITH_SCHOOL_SOCIAL_WORK = "with_school_social_work", "Bij schoolmaatschappelijk werk"
    REFERRED = "referred", "Toegeleid naar het wijkteam"
    CLOSED = "closed", "Afgesloten"


OPEN_STATUSES = frozenset(
    {
        CaseStatus.NEW,
        CaseStatus.IN_CARE_TEAM,
        CaseStatus.WITH_SCHOOL_SOCIAL_WORK,
        CaseStatus.REFERRED,
    }
)

# from-state → states a case may move to. Closing always needs an outcome; a closed case can be
# reopened into the care team when the worry returns, so the history stays in one place.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NEW: frozenset(
        {
            CaseStatus.IN_CARE_TEAM,
            CaseStatus.WITH_SCHOOL_SOCIAL_WORK,
            CaseStatus.REFERRED,
            CaseStatus.CLOSED,
        }
    ),
    CaseStatus.IN_CARE_TEAM: frozenset(
        {CaseStatus.WITH_SCHOOL_SOCIAL_WORK, CaseStatus.REFERRED, CaseStatus.CLOSED}
    ),
    CaseStatus.WITH_SCHOOL_SOCIAL_WORK: frozenset(
        {CaseStatus.IN_CARE_TEAM, CaseStatus.REFERRED, CaseStatus.CLOSED}
    ),
    CaseStatus.REFERRED: frozenset(
        {CaseStatus.IN_CARE_TEAM, CaseStatus.WITH_SCHOOL_SOCIAL_WORK, CaseStatus.CLOSED}
    ),
    CaseStatus.CLOSED: frozenset({CaseStatus.IN_CARE_TEAM}),
}

# States the system sets, never a person: a case is "referred" when a referral for its pupil is
# sent (referrals.neighbours.refer_open_cases), so the status cannot claim a referral that
# does not exist.
AUTOMATIC_STATUSES = frozenset({CaseStatus.REFERRED})

# The button text for each move, in plain Dutch.
MOVE_LABELS: dict[str, str] = {
    CaseStatus.IN_CARE_TEAM: "Bespreken in het schoolzorgteam",
    CaseStatus.WITH_SCHOOL_SOCIAL_WORK: "Overdragen aan schoolmaatschappelijk werk",
    CaseStatus.REFERRED: "Toegeleid naar het wijkteam",
    CaseStatus.CLOSED: "Afsluiten",
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def next_statuses(from_status: str) -> list[str]:
    """The next states a person may choose, in a stable order (the order of the choices)."""
    allowed = TRANSITIONS.get(from_status, frozenset()) - AUTOMATIC_STATUSES
    return [s for s in CaseStatus.values if s in allowed]
