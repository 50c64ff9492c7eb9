"""Optional links to apps that are built alongside this one (assessments, plans, cases).

Reads go through here so that a missing app or table never breaks a referral: the referral
document works on its own, and gains prefills and links as the other apps arrive.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection
from django.utils import timezone

from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import is_blank
from schoolzorg.pupils.access import prepared_for_user


@cache
def _tables() -> frozenset[str]:
    return frozenset(connection.introspection.table_names())


def has_table(model: Any) -> bool:
    return model._meta.db_table in _tables()


@prepared_for_user
def _finished(user: Any, pupil_id: int, code: str) -> Any:
    from schoolzorg.assessments.models import Assessment

    return (
        Assessment.objects.visible_to(user, include_sensitive=True)
        .finished()
        .filter(pupil_id=pupil_id, definition__code=code)
        .select_related("definition")[:20]
    )


def finished_assessments(pupil: Any, code: str, user: Any) -> list[tuple[str, str]]:
    """(id, label) of the pupil's completed assessments with this instrument that the user sees."""
    try:
        from schoolzorg.assessments.models import Assessment
    except ImportError:
        return []
    if not has_table(Assessment):
        return []
    rows = _finished(user=user, pupil_id=pupil.pk, code=code)
    return [
        (
            str(a.pk),
            f"{a.definition.title}, afgerond {numeric(a.completed_at)}"
            if a.completed_at
            else a.definition.title,
        )
        for a in rows
    ]


def already_tried_lines(pupil: Any) -> list[str]:
    """Lines from the pupil's plan actions and SMW contacts, where those apps are present.

    Only the contacts on cases of the pupil's current school: a school the pupil left keeps its
    file, and another provider's registration there is not the new school's to pass on."""
    lines: list[str] = []
    try:
        from schoolzorg.plans.models import Action as PlanAction
    except ImportError:
        PlanAction = None  # type: ignore[assignment,misc]
    if (
        PlanAction is not None
        and has_table(PlanAction)
        and hasattr(PlanAction.objects, "tried_for")
    ):
        for action in PlanAction.objects.tried_for(pupil).order_by("pk")[:20]:
            lines.append(
                f"- {action.description} ({action.get_domain_display()}, "
                f"{action.get_status_display().lower()})"
            )
    try:
        from schoolzorg.cases.models import SocialWorkContact
    except ImportError:
        SocialWorkContact = None  # type: ignore[assignment,misc]
    if SocialWorkContact is not None and has_table(SocialWorkContact):
        contacts = SocialWorkContact.objects.filter(
            case__pupil=pupil, case__school_id=pupil.current_school_id
        ).order_by("contact_on")[:20]
        for contact in contacts:
            lines.append(
                f"- SMW {numeric(contact.contact_on)}: {contact.get_form_display()} "
                f"(met {contact.with_whom})"
            )
    return lines


def _labelled(sections: list[tuple[str, str]]) -> str:
    """'Het gezin (uit het integraal plan):' and the text, per section that has text."""
    return "\n\n".join(
        f"{label} (uit het integraal plan):\n{text.strip()}"
        for label, text in sections
        if not is_blank(text)
    )


def plan_strengths_and_concerns(pupil: Any) -> tuple[str, str]:
    """What goes well and the concerns from the family's integral plan, for a new draft.

    The family's part and this child's own part, each under its own label; never a brother's
    or sister's part, as the referral is about this child (their actions are left out of
    "already tried" too). Whoever starts a draft sees the child's file in full, and so its plan.
    """
    try:
        from schoolzorg.plans.models import PlanPart
    except ImportError:
        return "", ""
    if not has_table(PlanPart):
        return "", ""
    part = PlanPart.objects.filter(pupil=pupil).select_related("plan").first()
    if part is None:
        return "", ""
    family, child = "Het gezin", pupil.first_name
    strengths = _labelled([(family, part.plan.strengths), (child, part.strengths)])
    concerns = _labelled([(family, part.plan.concerns), (child, part.concerns)])
    return strengths, concerns


def case_concerns(pupil: Any) -> str:
    """What the school wrote in the pupil's open cases at the current school ("wat is er aan de
    hand"), for a new draft's concerns: the school need not type it again. Another school's
    cases are that school's file."""
    try:
        from schoolzorg.cases.models import Case
    except ImportError:
        return ""
    if not has_table(Case) or pupil.current_school_id is None:
        return ""
    cases = (
        Case.objects.open()
        .filter(pupil_id=pupil.pk, school_id=pupil.current_school_id)
        .only("pk", "description", "opened_at")
        .order_by("opened_at", "pk")[:5]
    )
    return "\n\n".join(
        f"Zorgmelding van {numeric(timezone.localtime(case.opened_at).date())} "
        f"(uit casus {case.pk}):\n{case.description.strip()}"
        for case in cases
        if not is_blank(case.description)
    )


def note_on_cases(pupil_id: int, *, school_id: int, text: str, by: Any, url: str) -> None:
    """Put a line on the timeline of the pupil's open cases at the referring school (a
    savepoint: a refusal is harmless). Another school's cases are that school's file."""
    from django.db import transaction

    try:
        from schoolzorg.cases.models import Case, EventKind
        from schoolzorg.cases.services import add_case_event
    except ImportError:
        return
    if not has_table(Case):
        return
    for case in Case.objects.filter(pupil_id=pupil_id, school_id=school_id).exclude(
        status="closed"
    ):
        try:
            with transaction.atomic():
                add_case_event(case, kind=EventKind.REFERRAL, text=text, by=by, url=url)
        except Exception:  # noqa: S112 - the case timeline is a courtesy, never a blocker
            continue


def refer_open_cases(pupil_id: int, *, school_id: int, by: Any) -> None:
    """The pupil's open cases at the referring school move to "referred to the neighbourhood
    team" on submission (another school's cases are that school's file).

    Only where the case workflow allows that move; a case that is already referred stays as it
    is. Each move is its own savepoint: a refused move never blocks sending the referral.
    """
    from django.db import transaction

    try:
        from schoolzorg.cases.models import Case
        from schoolzorg.cases.services import change_case_status
        from schoolzorg.cases.workflow import CaseStatus, can_move
    except ImportError:
        return
    if not has_table(Case):
        return
    cases = Case.objects.open().filter(pupil_id=pupil_id, school_id=school_id)
    for case in cases.exclude(status=CaseStatus.REFERRED):
        if not can_move(case.status, CaseStatus.REFERRED):
            continue
        try:
            with transaction.atomic():
                change_case_status(case, to=CaseStatus.REFERRED, by=by, automatic=True)
        except Exception:  # noqa: S112 - the case status follows the referral, never blocks it
            continue
