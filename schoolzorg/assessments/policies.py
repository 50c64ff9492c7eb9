"""Who may see, fill in and review assessments.

Assessments are part of the full pupil file: a teacher who only sees the basic data of their own
group sees none. Child-safety and reporting-code assessments need more: `can_see_child_safety`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils import access

if TYPE_CHECKING:
    from schoolzorg.assessments.models import Assessment
    from schoolzorg.pupils.models import Pupil

# Until the privacy rules name them otherwise: the roles that handle child-safety material.
CHILD_SAFETY_ROLES = frozenset({Role.SUPPORT_COORDINATOR, Role.SCHOOL_SOCIAL_WORKER})


def full_pupils_q(user: Any) -> Q | None:
    """A Q over Assessment: the pupil's full file is visible to the user. None: no pupil at all."""
    from schoolzorg.pupils.models import Pupil

    if not access.relationship_qs(user, full_only=True):
        return None
    return Q(pupil__in=Pupil.objects.visible_to(user, full_only=True).values("pk"))


def child_safety_pupils_q(user: Any) -> Q | None:
    """A Q over Assessment: the user may see the pupil's child-safety material.

    Conditions: the user sees the full file and holds a child-safety role (support coordinator or
    school social worker) at the pupil's current school.
    """
    from schoolzorg.pupils.models import Pupil

    if not access.relationship_qs(user, full_only=True):
        return None
    roles = getattr(access, "CHILD_SAFETY_ROLES", CHILD_SAFETY_ROLES)
    schools = {
        m.served_school_id
        for m in access.active_memberships(user)
        if m.role in roles and m.served_school_id
    }
    if not schools:
        return None
    pupils = Pupil.objects.visible_to(user, full_only=True).filter(current_school_id__in=schools)
    return Q(pupil__in=pupils.values("pk"))


def can_see_child_safety(user: Any, pupil: Pupil) -> bool:
    """May the user see child-safety material about this pupil?

    Uses the privacy rules in `schoolzorg.pupils.access.can_see_child_safety` when present;
    otherwise: a full (not basic) relationship with the pupil, held in the role of support
    coordinator or school social worker.
    """
    shared = getattr(access, "can_see_child_safety", None)
    if shared is not None:
        return bool(shared(user, pupil))
    found = access.access_basis(user, pupil)
    if found is None:
        return False
    basis, full = found
    return full and basis.role in CHILD_SAFETY_ROLES


def sees_full_file(user: Any, pupil: Pupil) -> bool:
    found = access.access_basis(user, pupil)
    return found is not None and found[1]


def can_view(user: Any, assessment: Assessment) -> bool:
    """May the user read this assessment?

    Conditions: the user sees the pupil's full file; for child-safety and reporting-code
    assessments also `can_see_child_safety`.
    """
    if not sees_full_file(user, assessment.pupil):
        return False
    return not assessment.is_child_safety or can_see_child_safety(user, assessment.pupil)


def can_start(user: Any, pupil: Pupil, code: str) -> bool:
    """May the user start an assessment with this instrument for this pupil?

    Conditions: the user sees the full file; for sensitive instruments also
    `can_see_child_safety`.
    """
    from schoolzorg.assessments.models import SENSITIVE_CODES

    if not sees_full_file(user, pupil):
        return False
    return code not in SENSITIVE_CODES or can_see_child_safety(user, pupil)


def can_edit(user: Any, assessment: Assessment) -> bool:
    """May the user change the answers or complete the assessment?

    Conditions: the assessment is still a draft, the user may view it, and the user started it
    (a draft is one professional's work in progress).
    """
    return (
        assessment.is_draft and assessment.created_by_id == user.pk and can_view(user, assessment)
    )


def review_refusal(user: Any, assessment: Assessment) -> str:
    """Why the user may not confirm, as the named colleague, that they reviewed this assessment,
    in plain Dutch; "" when they may.

    Conditions: the assessment is completed and not yet reviewed, the user is not its author,
    and the user may view it (for child safety: may see child-safety material).
    """
    from schoolzorg.assessments.models import AssessmentStatus

    if assessment.status == AssessmentStatus.DRAFT:
        return "Dit instrument is nog niet afgerond. Bespreken kan als het is afgerond."
    if assessment.status == AssessmentStatus.REVIEWED:
        return "Dit instrument is al besproken met een collega."
    if user.pk in (assessment.completed_by_id, assessment.created_by_id):
        return "U vulde dit instrument zelf in. Een collega die het niet invulde, bespreekt het."
    if not can_view(user, assessment):
        return "U kunt dit instrument niet bespreken."
    return ""


def can_review(user: Any, assessment: Assessment) -> bool:
    """May the user confirm, as the named colleague, that they reviewed this assessment?"""
    return not review_refusal(user, assessment)
