"""Build the agenda: which help requests and cases could be discussed at a meeting.

New help requests (case status `new`), cases the care team follows (`in_care_team`), and open
cases of pupils whose plan has a goal due for review by the meeting day are proposed. Pupils without a consent to discuss them in the care team on the
meeting day are left out; the page shows how many, without names unless the viewer may see those
pupils anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schoolzorg.cases.models import Case
from schoolzorg.cases.workflow import CaseStatus
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.lib.validators import is_blank
from schoolzorg.meetings.models import AgendaSource, CareMeeting
from schoolzorg.pupils.models import Pupil, PupilQuerySet

SOURCE_BY_STATUS = {
    CaseStatus.NEW: AgendaSource.HELP_REQUEST,
    CaseStatus.IN_CARE_TEAM: AgendaSource.REVIEW,
}


@dataclass
class Proposal:
    candidates: list[tuple[Case, str]] = field(default_factory=list)
    without_consent_count: int = 0
    # Only cases of pupils the viewer may see anyway (for the coordinator who must ask consent).
    without_consent_visible: list[Case] = field(default_factory=list)


PICK_LIMIT = 20


def _placed(meeting: CareMeeting) -> Any:
    """A subquery of the ids of the pupils already on the meeting's agenda."""
    return meeting.items.filter(pupil__isnull=False).values("pupil_id")


def placeable(meeting: CareMeeting, user: Any) -> PupilQuerySet:
    """Pupils the user may place on this meeting's agenda by hand: those of the school whose full
    file they may see (consent is checked when placing)."""
    return Pupil.objects.visible_to(user, full_only=True).enrolled_at(meeting.care_team.school_id)


def find(meeting: CareMeeting, user: Any, text: str) -> list[Pupil]:
    """Placeable pupils whose name matches, not on the agenda yet; at most `PICK_LIMIT` and one
    more, to tell that there are more."""
    if is_blank(text):
        return []
    return list(
        placeable(meeting, user)
        .search(text)
        .exclude(pk__in=_placed(meeting))
        .order_by("last_name", "first_name", "pk")[: PICK_LIMIT + 1]
    )


def with_consent(meeting: CareMeeting, pupil_ids: Any) -> set[int]:
    """Those of these pupils with a consent to discuss them in force on the meeting day."""
    return set(
        Consent.objects.to_discuss(meeting.scheduled_on)
        .filter(pupil_id__in=pupil_ids)
        .values_list("pupil_id", flat=True)
    )


def why_without_consent(meeting: CareMeeting, pupil_ids: Any) -> dict[int, str]:
    """For these pupils (asked for those without a consent in force on the meeting day), the
    status on that day of the latest consent to discuss them given by then (`Consent.status_on`:
    ingetrokken, verlopen, onvolledig, niet meer genoeg). Pupils without one are left out: they
    have no consent yet."""
    day = meeting.scheduled_on
    latest = (
        Consent.objects.filter(
            pupil_id__in=pupil_ids, purpose=Purpose.DISCUSS_IN_CARE_TEAM, given_on__lte=day
        )
        .select_related("pupil")
        .order_by("given_on", "recorded_at", "pk")
    )
    why = {consent.pupil_id: consent.status_on(day) for consent in latest}  # the latest wins
    return {pupil_id: status for pupil_id, status in why.items() if status != "geldig"}


def propose(meeting: CareMeeting, user: Any) -> Proposal:
    """Cases to put on the agenda, split by consent; a fixed number of queries."""
    from django.db.models import Q

    from schoolzorg.plans.models import Goal

    already = _placed(meeting)
    review_due = Goal.objects.review_due(meeting.scheduled_on).values("part__pupil_id")
    open_cases = (
        Case.objects.open()
        .filter(school_id=meeting.care_team.school_id)
        # Not a case of a pupil who left the school: the school keeps it, nobody discusses it.
        .at_current_school()
        .filter(Q(status__in=list(SOURCE_BY_STATUS)) | Q(pupil_id__in=review_due))
        .exclude(pupil_id__in=already)
        .values_list("pk", "pupil_id")
    )
    rows = list(open_cases)
    pupil_ids = {pupil_id for _, pupil_id in rows}
    consented = with_consent(meeting, pupil_ids)
    agreed = [pk for pk, pupil_id in rows if pupil_id in consented]
    without = [pk for pk, pupil_id in rows if pupil_id not in consented]
    visible = Case.objects.visible_to(user).select_related("pupil").order_by("status", "opened_at")
    proposal = Proposal(without_consent_count=len(pupil_ids - consented))
    seen: set[int] = set()
    for case in visible.filter(pk__in=agreed + without):
        if case.pupil_id in consented:
            if case.pupil_id in seen:
                continue
            seen.add(case.pupil_id)
            source = SOURCE_BY_STATUS.get(CaseStatus(case.status), AgendaSource.REVIEW)
            proposal.candidates.append((case, source))
        else:
            proposal.without_consent_visible.append(case)
    return proposal
