"""Every write to integral plans. Each write raises the plan's version number, stores a snapshot
of the whole plan (who, when, what it said) and puts a line on the timeline of the child's open
cases, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from schoolzorg.calendars import workingdays
from schoolzorg.lib import formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import is_blank
from schoolzorg.plans.models import (
    DOMAIN_REQUIRED,
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Domain,
    Goal,
    GoalStatus,
    IntegralPlan,
    PlanAgreement,
    PlanPart,
    PlanVersion,
    Progress,
    Review,
    latest_of_each,
)
from schoolzorg.pupils.models import GuardianLink

PLAN_FIELDS = ("strengths", "concerns", "own_contribution")
PART_FIELDS = ("strengths", "concerns", "support_needs")


class PlanError(Exception):
    """A refused change to a plan, with a message in plain Dutch."""


class PlanConflict(PlanError):
    """Someone else saved the plan after this person opened it."""


class AlreadyDone(PlanError):
    """The action already has the status the form asked for: nothing to change (the user's own
    form sent again, say with the back button), so nobody is told that a colleague changed it."""


class GoalGone(PlanError):
    """The goal is no longer in the plan (removed meanwhile, or by this person's own first click)."""


class PlanFieldError(PlanError):
    """A refusal that belongs at one field of the form: `field` is the service's parameter name,
    which the form's field shares."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# Who is at turn decides which days an action can be due on (`closed_due_day`).
SCHOOL_DOMAINS = frozenset({Domain.SCHOOL, Domain.SCHOOL_SOCIAL_WORK})
FAMILY_DOMAINS = frozenset({Domain.FAMILY, Domain.NETWORK})


def _due_calendar(
    school: Any, domain: str, by_person: bool
) -> tuple[str, int | None, workingdays.ClosedWords] | None:
    """The calendar an action's due day keeps to (`closed_due_day`): region, school and the
    words of a refusal; None when any day will do."""
    if domain in SCHOOL_DOMAINS and school is not None:
        return school.effective_holiday_region, school.pk, workingdays.SCHOOL_CLOSED
    if domain in FAMILY_DOMAINS or (domain == Domain.OTHER and not by_person):
        return None
    return "", None, workingdays.NOT_A_WORKING_DAY


def closed_due_day(school: Any, *, domain: str, by_person: bool, due_on: dt.date) -> str:
    """Why an action (or a meeting decision, which becomes one) cannot be due on `due_on`, with
    the first day after it that it can; "" when it can.

    The one rule for both forms. The school or its social worker at turn: a day the pupil's
    school is open (not a weekend, a public holiday that is a day off, the school holiday or a
    study day), as for a care meeting and a warm handover. The neighbourhood team, or a person
    chosen from the care team under "Anders": a working day (the team works in the school
    holidays, not on a Sunday or Christmas Day). The family or its network, or "Anders" by a
    name: any day. `school`: the pupil's current school (the meeting's school for an item
    without a pupil); without one the school's work keeps to working days.
    """
    calendar = _due_calendar(school, domain, by_person)
    if calendar is None:
        return ""
    region, school_id, words = calendar
    return workingdays.closed_day_refusal(due_on, region=region, school_id=school_id, words=words)


def first_due_day(school: Any, *, domain: str, by_person: bool, on: dt.date) -> dt.date:
    """`on` when an action can be due then (`closed_due_day`), else the first day after it that
    it can (the demo's dates, counted from the day it is loaded)."""
    calendar = _due_calendar(school, domain, by_person)
    if calendar is None:
        return on
    region, school_id, _words = calendar
    if workingdays.is_school_day(on, region=region, school_id=school_id):
        return on
    return workingdays.add_school_days(on, 1, region=region, school_id=school_id)


CONFLICT_MESSAGE = (
    "Iemand anders heeft het plan opgeslagen nadat u het opende. Uw tekst is niet opgeslagen, "
    "maar staat nog in het formulier. Vergelijk met de nieuwe versie hieronder en sla opnieuw op."
)


# --- SMART ---------------------------------------------------------------------------------


def smart_problems(
    *,
    description: str,
    criterion: str,
    owner: Any,
    owner_name: str,
    target_on: dt.date | None,
    review_on: dt.date | None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """What a goal still misses to be SMART, per field, in plain Dutch. Empty: the goal is SMART."""
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    if len(description.strip()) < 10:
        problems["description"] = (
            "Beschrijf het doel concreet: wat is er anders als het doel bereikt is? (Specifiek)"
        )
    if is_blank(criterion):
        problems["criterion"] = (
            "Schrijf op hoe u ziet dat het doel bereikt is, bijvoorbeeld 'is 4 van de 5 dagen op "
            "tijd'. (Meetbaar)"
        )
    elif not any(ch.isdigit() for ch in criterion) and len(criterion.split()) < 4:
        problems["criterion"] = (
            "Maak het meetbaar: noem een aantal, een frequentie of iets wat u kunt zien. (Meetbaar)"
        )
    if owner is None and is_blank(owner_name):
        problems["owner"] = (
            "Kies wie eigenaar is van dit doel, of vul de naam in van iemand uit het gezin of netwerk."
        )
    if target_on is None:
        problems["target_on"] = "Vul in wanneer het doel bereikt moet zijn. (Tijdgebonden)"
    elif target_on <= today:
        problems["target_on"] = "De datum waarop het doel bereikt moet zijn, ligt in de toekomst."
    if review_on is None:
        problems["review_on"] = "Vul in wanneer u samen bekijkt hoe het gaat (evaluatiedatum)."
    elif review_on < today:
        problems["review_on"] = "De evaluatiedatum ligt in het verleden."
    elif target_on is not None and review_on > target_on:
        problems["review_on"] = "Evalueer uiterlijk op de datum waarop het doel bereikt moet zijn."
    return problems


# --- Snapshots and versions -----------------------------------------------------------------


def snapshot(plan: IntegralPlan) -> dict[str, Any]:
    """The whole plan as plain data, for versions and their comparison."""
    parts = []
    for part in plan.parts.select_related("pupil").order_by("pk"):
        goals = [
            {
                "id": g.pk,
                "description": g.description,
                "criterion": g.criterion,
                "owner": g.owner_label,
                "target_on": g.target_on.isoformat() if g.target_on else "",
                "review_on": g.review_on.isoformat() if g.review_on else "",
                "status": g.get_status_display(),
                "reviews": [
                    {
                        "on": r.reviewed_on.isoformat(),
                        "progress": r.get_progress_display(),
                        "score": r.score,
                        "note": r.note,
                        "stop_reason": r.stop_reason,
                    }
                    for r in g.reviews.order_by("reviewed_on", "pk")
                ],
            }
            for g in part.goals.select_related("owner").prefetch_related("reviews").order_by("pk")
        ]
        actions = [
            {
                "id": a.pk,
                "domain": a.get_domain_display(),
                "description": a.description,
                "owner": a.owner_label,
                "due_on": a.due_on.isoformat(),
                "status": a.get_status_display(),
            }
            for a in part.actions.select_related("owner").order_by("pk")
        ]
        parts.append(
            {
                "pupil_id": part.pupil_id,
                "pupil": part.pupil.first_name,
                **{f: getattr(part, f) for f in PART_FIELDS},
                "goals": goals,
                "actions": actions,
            }
        )
    return {
        **{f: getattr(plan, f) for f in PLAN_FIELDS},
        "coordinator": str(plan.coordinator) if plan.coordinator_id else "",
        "agreements": [
            {"guardian": str(a.guardian), "on": a.agreed_on.isoformat(), "version": a.plan_version}
            for a in latest_of_each(plan.agreements.select_related("guardian"), plan.version)
        ],
        "parts": parts,
    }


PLAN_LABELS = {
    "strengths": "Wat gaat goed in het gezin",
    "concerns": "Belangrijkste zorgen",
    "own_contribution": "Wat doen gezin en netwerk zelf",
    "coordinator": "Regisseur",
}
AGREEMENTS_LABEL = "Akkoord ouders"
PART_LABELS = {
    "strengths": "wat gaat goed",
    "concerns": "zorgen",
    "support_needs": "ondersteuningsbehoefte",
}
GOAL_LABELS = {
    "description": "doel",
    "criterion": "meetbaar",
    "owner": "eigenaar",
    "target_on": "uiterlijk bereikt op",
    "review_on": "evalueren op",
    "status": "stand",
}
ACTION_LABELS = {
    "domain": "aan zet",
    "description": "wat",
    "owner": "wie",
    "due_on": "klaar op",
    "status": "stand",
}
# Snapshots keep dates as ISO text (data); the comparison shows them as the plan page does.
DATE_KEYS = frozenset({"target_on", "review_on", "due_on"})


def _shown(key: str, value: Any) -> str:
    """A snapshot value as the plan page writes it: a date as 5-12-2026."""
    text = str(value or "")
    if key in DATE_KEYS:
        return _day(text)
    return text


def _agreements_shown(snap: dict[str, Any]) -> str:
    """'Ilona Soekhai op 5-12-2026, Joost Soekhai op 4-12-2026'. Versions saved before every
    agreement was kept hold one parent's (`agreed_by`, `agreed_on`)."""
    if "agreements" in snap:
        pairs = [(a.get("guardian", ""), a.get("on", "")) for a in snap["agreements"]]
    else:
        pairs = [(snap.get("agreed_by") or "", snap.get("agreed_on") or "")]
    return ", ".join(f"{name} op {_day(on)}" for name, on in pairs if name and on)


def _day(text: str) -> str:
    try:
        return numeric(dt.date.fromisoformat(text))
    except ValueError:
        return text


def flatten(snap: dict[str, Any], visible_pupil_ids: set[int] | None = None) -> dict[str, str]:
    """Label → text for every field in a snapshot; parts of unseen children are left out."""
    flat: dict[str, str] = {}
    for key, label in PLAN_LABELS.items():
        flat[label] = _shown(key, snap.get(key))
    flat[AGREEMENTS_LABEL] = _agreements_shown(snap)
    for part in snap.get("parts", []):
        if visible_pupil_ids is not None and part.get("pupil_id") not in visible_pupil_ids:
            continue
        name = part.get("pupil", "")
        for key, label in PART_LABELS.items():
            flat[f"{name}: {label}"] = str(part.get(key, "") or "")
        for n, goal in enumerate(part.get("goals", []), start=1):
            for key, label in GOAL_LABELS.items():
                flat[f"{name}: doel {n}, {label}"] = _shown(key, goal.get(key))
            reviews = goal.get("reviews", [])
            flat[f"{name}: doel {n}, evaluaties"] = "; ".join(
                f"{_day(r['on'])}: {r['progress']}"
                + (f" ({r['note']})" if r.get("note") else "")
                + (f", doel gestopt: {r['stop_reason']}" if r.get("stop_reason") else "")
                for r in reviews
            )
        for n, action in enumerate(part.get("actions", []), start=1):
            for key, label in ACTION_LABELS.items():
                flat[f"{name}: actie {n}, {label}"] = _shown(key, action.get(key))
    return flat


def compare_versions(
    old: PlanVersion, new: PlanVersion, visible_pupil_ids: set[int] | None = None
) -> list[tuple[str, str, str]]:
    """(field, old text, new text) for every field that differs between two versions."""
    a = flatten(old.snapshot, visible_pupil_ids)
    b = flatten(new.snapshot, visible_pupil_ids)
    keys = list(a) + [k for k in b if k not in a]
    return [(k, a.get(k, ""), b.get(k, "")) for k in keys if a.get(k, "") != b.get(k, "")]


def _save_version(plan: IntegralPlan, *, by: Any, summary: str, pupil: Any = None) -> PlanVersion:
    """Raise the version number and store the snapshot (caller holds the transaction); `pupil`
    is the child whose part changed, if the change is about one child."""
    IntegralPlan.objects.filter(pk=plan.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=by
    )
    plan.refresh_from_db()
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        created_by=by,
        summary=summary[:300],
        pupil=pupil,
        snapshot=snapshot(plan),
    )


GOAL_GONE = "Dit doel was al verwijderd."
STOP_REASON_MISSING = "Schrijf op waarom het doel stopt."
STOP_WHEN_REACHED = (
    "Een doel dat helemaal bereikt is, stopt niet: het krijgt de stand 'Bereikt'. Kies een "
    "andere stand, of zet het vinkje bij 'Doel stoppen' uit."
)


def _lock_goal(goal: Goal) -> Goal | None:
    """The goal as it is now, locked for this transaction; None when it was removed."""
    return Goal.objects.select_for_update().filter(pk=goal.pk).first()


def _tell_cases(plan: IntegralPlan, pupil_ids: list[int], *, text: str, by: Any) -> None:
    """Put a plan change on the timeline of the children's open cases at their current school
    (a case of a school a child left is that school's file: nothing is added to it)."""
    from schoolzorg.cases.models import Case, CaseEvent, EventKind

    url = reverse("plans:detail", args=[plan.pk])
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=EventKind.PLAN_CHANGE, text=text, by=by, url=url)
        for case in Case.objects.open().at_current_school().filter(pupil_id__in=pupil_ids)
    )


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def start_plan(pupil: Any, *, by: Any, coordinator: Any = None) -> PlanPart:
    """Start the family's plan (or join it) with a part for this child; returns that part."""
    existing = PlanPart.objects.filter(pupil=pupil).select_related("plan").first()
    if existing is not None:
        return existing
    plan, created = IntegralPlan.objects.select_for_update().get_or_create(
        family_id=pupil.family_id,
        defaults={"created_by": by, "updated_by": by, "coordinator": coordinator or by},
    )
    part = PlanPart.objects.create(plan=plan, pupil=pupil)
    if created:
        # Version 1 is the empty plan, so the first real save has something to compare with.
        PlanVersion.objects.create(
            plan=plan, number=1, created_by=by, summary="Plan gestart", snapshot=snapshot(plan)
        )
    else:
        _save_version(
            plan, by=by, summary=f"{pupil.first_name} toegevoegd aan het plan", pupil=pupil
        )
    _tell_cases(plan, [pupil.pk], text="Integraal plan gestart voor dit kind.", by=by)
    return part


@transaction.atomic
def update_plan(
    plan: IntegralPlan,
    *,
    expected_version: int,
    by: Any,
    family: dict[str, str],
    parts: dict[int, dict[str, str]],
) -> PlanVersion | None:
    """Save the plan's text with an optimistic lock on the version the editor started from.

    `family` holds the family-level fields; `parts` maps a part id to its fields. Parts the editor
    could not see are not in `parts` and stay as they are. A change puts a line on the cases of the
    children it is about (a family field: every child the editor saw); None, and no new version,
    when nothing changed.
    """
    locked = IntegralPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.version != expected_version:
        raise PlanConflict(CONFLICT_MESSAGE)
    changed_fields = {
        f: family[f].strip()
        for f in PLAN_FIELDS
        if f in family and family[f].strip() != getattr(locked, f)
    }
    for field, value in changed_fields.items():
        setattr(locked, field, value)
    if changed_fields:
        locked.save(update_fields=list(changed_fields))
    touched: list[int] = []
    for part in locked.parts.filter(pk__in=list(parts)):
        values = parts[part.pk]
        changed = [f for f in PART_FIELDS if f in values and values[f].strip() != getattr(part, f)]
        for field in changed:
            setattr(part, field, values[field].strip())
        if changed:
            part.save(update_fields=changed)
        if changed or changed_fields:  # the family's text is every child's plan
            touched.append(part.pupil_id)
    if not changed_fields and not touched:
        # Saved as it was: no version to compare, no line on the cases (tester X, stop 28).
        return None
    version = _save_version(locked, by=by, summary="Tekst van het plan bijgewerkt")
    _tell_cases(locked, touched, text=f"Plan bijgewerkt (versie {version.number}).", by=by)
    plan.refresh_from_db()
    return version


@transaction.atomic
def add_goal(
    part: PlanPart,
    *,
    description: str,
    criterion: str,
    by: Any,
    owner: Any = None,
    owner_name: str = "",
    target_on: dt.date | None = None,
    review_on: dt.date | None = None,
    enforce_smart: bool = True,
    form_token: uuid.UUID | None = None,
) -> Goal:
    """Add a goal; refused unless it is SMART (the form shows what is missing).

    The plan page's `form_token`: the same form sent again returns the goal of the first send
    (no second goal, version or timeline line).
    """
    same = {"part_id": part.pk}
    first = formtokens.sent_before(Goal, form_token, error=PlanError, **same)
    if first is not None:
        return first
    if enforce_smart:
        problems = smart_problems(
            description=description,
            criterion=criterion,
            owner=owner,
            owner_name=owner_name,
            target_on=target_on,
            review_on=review_on,
        )
        if problems:
            raise PlanError(" ".join(problems.values()))
    goal, new = formtokens.create_once(
        Goal,
        form_token,
        error=PlanError,
        same=same,
        part=part,
        description=description.strip(),
        criterion=criterion.strip(),
        owner=owner,
        owner_name=owner_name.strip() if owner is None else "",
        target_on=target_on,
        review_on=review_on,
    )
    if not new:
        return goal
    _save_version(
        part.plan, by=by, summary=f"Doel toegevoegd voor {part.pupil.first_name}", pupil=part.pupil
    )
    _tell_cases(part.plan, [part.pupil_id], text=f"Nieuw doel: {goal.description}", by=by)
    return goal


@transaction.atomic
def add_action(
    plan_part: PlanPart,
    *,
    description: str,
    domain: str,
    owner: Any,
    due_on: dt.date,
    by: Any,
    source: str = "",
    goal: Goal | None = None,
    form_token: uuid.UUID | None = None,
) -> Action:
    """Add an action: who does what by when. `owner` is a User or a name (family or network).

    Used by the plan page and by care meeting decisions (pass `source`, e.g. "Overleg 12-03").
    The plan page's `form_token`: the same form sent again returns the action of the first send
    (no second version, timeline line or notification).
    """
    same = {"part_id": plan_part.pk, "created_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(Action, form_token, error=PlanError, **same)
    if first is not None:
        return first
    if domain not in Domain.values:
        raise PlanError(DOMAIN_REQUIRED)
    if is_blank(description):
        raise PlanError("Beschrijf wat er moet gebeuren.")
    if due_on is None:
        raise PlanError("Vul in wanneer de actie klaar moet zijn.")
    owner_user = owner if owner is not None and not isinstance(owner, str) else None
    owner_name = owner.strip() if isinstance(owner, str) else ""
    if owner_user is None and not owner_name:
        raise PlanError("Vul in wie de actie uitvoert.")
    closed = closed_due_day(
        plan_part.pupil.current_school,
        domain=domain,
        by_person=owner_user is not None,
        due_on=due_on,
    )
    if closed:
        raise PlanFieldError("due_on", closed)
    if goal is not None and goal.part_id != plan_part.pk:
        raise PlanError("Dit doel hoort bij een ander kind.")
    if goal is not None and _lock_goal(goal) is None:
        raise GoalGone(
            "Het doel bij deze actie is net uit het plan verwijderd. Kies een ander doel."
        )
    action, new = formtokens.create_once(
        Action,
        form_token,
        error=PlanError,
        same=same,
        part=plan_part,
        goal=goal,
        domain=domain,
        description=description.strip(),
        owner=owner_user,
        owner_name=owner_name,
        due_on=due_on,
        source=source.strip()[:200],
        created_by=by,
    )
    if not new:
        return action
    _save_version(
        plan_part.plan,
        by=by,
        summary=f"Actie toegevoegd voor {plan_part.pupil.first_name}",
        pupil=plan_part.pupil,
    )
    _tell_cases(
        plan_part.plan,
        [plan_part.pupil_id],
        text=f"Nieuwe actie (aan zet: {action.get_domain_display().lower()}): "
        f"{action.description} – "
        f"{action.owner_label}, klaar op {numeric(due_on)}.",
        by=by,
    )
    if owner_user is not None and owner_user.pk != getattr(by, "pk", None):
        from schoolzorg.accounts.notifications import notify

        notify(
            [owner_user],
            text="Er staat een nieuwe actie op uw naam in een integraal plan, klaar op "
            f"{numeric(due_on)}.",
            url=reverse("plans:detail", args=[plan_part.plan_id]),
            email=False,
        )
    return action


def stale_action_message(now: str | None, to: str) -> str:
    """Say that the action changed after the screen was drawn, without saying who: it may well
    have been the user's own first send (a double click, the back button, a second tab)."""
    if now is None:
        return "Deze actie staat niet meer in het plan."
    return (
        f"De actie is net al gewijzigd: ze staat nu op '{ActionStatus(now).label.lower()}'. "
        f"Uw keuze '{ActionStatus(to).label.lower()}' is niet opgeslagen. Wilt u die toch? "
        "Kies de stand dan opnieuw en klik op 'Opslaan'."
    )


@transaction.atomic
def set_action_status(action: Action, *, to: str, by: Any, expected: str | None = None) -> Action:
    """Mark an action as under way, done or cancelled (compare-and-set on the shown status).

    An action that already has the status asked for is left as it is (`AlreadyDone`): its
    done date and the plan's versions stay; only a status someone else set meanwhile is a
    conflict.
    """
    if to not in ActionStatus.values:
        raise PlanError("Onbekende status.")
    current = expected if expected is not None else action.status
    done_on = timezone.localdate() if to == ActionStatus.DONE else None
    changed = to != current and Action.objects.filter(pk=action.pk, status=current).update(
        status=to, done_on=done_on
    )
    if not changed:
        now = Action.objects.filter(pk=action.pk).values_list("status", flat=True).first()
        if now == to:
            label = ActionStatus(to).label.lower()
            if to == current:  # the form showed this status and asked for no other
                raise AlreadyDone(f"De actie staat al op '{label}'. Er is niets gewijzigd.")
            raise AlreadyDone(f"Dit was al gedaan: de actie staat al op '{label}'.")
        raise PlanConflict(stale_action_message(now, to))
    action.refresh_from_db()
    part = PlanPart.objects.select_related("plan", "pupil").get(pk=action.part_id)
    _save_version(
        part.plan,
        by=by,
        summary=f"Actie: {action.get_status_display().lower()}",
        pupil=part.pupil,
    )
    return action


def _tell_named(person: Any, *, by: Any, text: str, plan_id: int) -> None:
    """A notification (no child's name in it) to someone newly named in a plan."""
    if person.pk == getattr(by, "pk", None):
        return
    from schoolzorg.accounts.notifications import notify

    notify([person], text=text, url=reverse("plans:detail", args=[plan_id]), email=False)


def _stale_person(now_id: int | None, role: str) -> str:
    """Say that a colleague chose someone else meanwhile, and who it is now."""
    from schoolzorg.accounts.models import User

    now = User.objects.filter(pk=now_id).first() if now_id else None
    who = f"Nu is {now} de {role}." if now is not None else f"Nu is er geen {role}."
    return (
        f"Iemand heeft de {role} net gewijzigd. {who} Uw keuze is niet opgeslagen. Wilt u toch "
        "uw keuze? Kies de persoon dan opnieuw en sla op."
    )


@transaction.atomic
def name_plan_coordinator(
    plan: IntegralPlan, *, coordinator: Any, by: Any, expected: int | None
) -> IntegralPlan:
    """Name the plan's coordinator (regisseur), say when the one named can no longer open the
    plan (the child changed school).

    The view offers only people who may open a child's file in the plan (`plans.views`,
    the rule for a case's coordinator). `expected` is the coordinator the user's screen showed,
    for a compare-and-set; naming the one who is coordinator already changes nothing.
    """
    if coordinator is None or not coordinator.is_active:
        raise PlanFieldError("coordinator", "Kies een actieve medewerker als regisseur.")
    updated = (
        IntegralPlan.objects.filter(pk=plan.pk, coordinator_id=expected)
        .exclude(coordinator_id=coordinator.pk)
        .update(coordinator=coordinator)
    )
    if not updated:
        now = IntegralPlan.objects.filter(pk=plan.pk).values_list("coordinator_id", flat=True)
        now_id = now.first()
        if now_id != coordinator.pk:
            raise PlanConflict(_stale_person(now_id, "regisseur"))
        plan.refresh_from_db()
        return plan
    locked = IntegralPlan.objects.select_for_update().get(pk=plan.pk)
    _save_version(locked, by=by, summary=f"Regisseur gewijzigd: {coordinator}")
    _tell_cases(
        locked,
        list(locked.parts.values_list("pupil_id", flat=True)),
        text=f"{coordinator} is regisseur van het integrale plan.",
        by=by,
    )
    _tell_named(
        coordinator,
        by=by,
        text=f"U bent regisseur geworden van integraal plan {plan.pk}.",
        plan_id=plan.pk,
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def change_action_owner(action: Action, *, owner: Any, by: Any, expected: int | None) -> Action:
    """Give an open action to another professional, say when its owner can no longer open
    the plan (the child changed school, a consent ended).

    The view offers only people who may own an action in this child's part (`set_owners`).
    `expected` is the owner the screen showed (None: someone from the family or network by
    name), for a compare-and-set; giving it to its owner already changes nothing.
    """
    if owner is None or not owner.is_active:
        raise PlanFieldError("owner", "Kies een actieve medewerker.")
    part = PlanPart.objects.select_related("plan", "pupil", "pupil__current_school").get(
        pk=action.part_id
    )
    closed = closed_due_day(
        part.pupil.current_school, domain=action.domain, by_person=True, due_on=action.due_on
    )
    if closed:
        # Only "Anders" by a name has a due day any day; a person keeps to working days.
        raise PlanFieldError(
            "owner",
            f"Deze actie is klaar op {numeric(action.due_on)}. {closed} Maak een nieuwe actie "
            "met een andere datum en zet deze actie op 'Vervallen'.",
        )
    updated = (
        Action.objects.filter(pk=action.pk, status__in=OPEN_ACTION_STATUSES, owner_id=expected)
        .exclude(owner_id=owner.pk)
        .update(owner=owner, owner_name="")
    )
    if not updated:
        now = Action.objects.filter(pk=action.pk).values("status", "owner_id").first()
        if now is None or now["status"] not in OPEN_ACTION_STATUSES:
            raise PlanError(
                "Deze actie is niet meer open (gedaan of vervallen). Een andere uitvoerder "
                "kiest u alleen voor een open actie."
            )
        if now["owner_id"] != owner.pk:
            raise PlanConflict(_stale_person(now["owner_id"], "uitvoerder van deze actie"))
        action.refresh_from_db()
        return action
    action.refresh_from_db()
    _save_version(
        part.plan,
        by=by,
        summary=f"Actie voor {part.pupil.first_name} naar {owner}",
        pupil=part.pupil,
    )
    _tell_cases(
        part.plan,
        [part.pupil_id],
        text=f"Actie '{action.description[:60]}' gaat nu naar {owner}.",
        by=by,
    )
    _tell_named(
        owner,
        by=by,
        text="Er staat een actie op uw naam in een integraal plan, klaar op "
        f"{numeric(action.due_on)}.",
        plan_id=part.plan_id,
    )
    return action


@transaction.atomic
def record_review(
    goal: Goal,
    *,
    progress: str,
    by: Any,
    reviewed_on: dt.date | None = None,
    score: int | None = None,
    note: str = "",
    next_review_on: dt.date | None = None,
    stop: bool = False,
    stop_reason: str = "",
    form_token: uuid.UUID | None = None,
) -> Review:
    """Score progress on a goal. Fully reached closes the goal; otherwise set the next review.

    `stop` ends an open goal that no longer fits, with `stop_reason` (required): the review
    records when and why, and the goal stays in the plan as stopped (gestopt), without further
    reviews. The review form's `form_token`: the same form sent again returns the review of the
    first send (the goal's history lists it once; no second version or timeline line).
    """
    same = {"goal_id": goal.pk, "reviewed_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(Review, form_token, error=PlanError, **same)
    if first is not None:
        return first
    if progress not in Progress.values:
        raise PlanError("Kies hoe ver het doel bereikt is.")
    if score is not None and not 1 <= score <= 5:
        raise PlanError("Het cijfer is 1, 2, 3, 4 of 5.")
    day = reviewed_on or timezone.localdate()
    if day > timezone.localdate():
        raise PlanError("Een evaluatie kan niet in de toekomst liggen.")
    if stop and is_blank(stop_reason):
        raise PlanError(STOP_REASON_MISSING)
    if stop and progress == Progress.FULLY:
        raise PlanError(STOP_WHEN_REACHED)
    # Locked, so that a removal or a colleague's stop meanwhile is refused in words.
    current = _lock_goal(goal)
    if current is None:
        raise GoalGone(GOAL_GONE)
    added_on = timezone.localdate(current.created_at)
    if day < added_on:
        # A goal cannot have been evaluated before it was in the plan; the plan and its pdf
        # would say it was reached before anyone set it.
        raise PlanFieldError(
            "reviewed_on",
            f"Dit doel staat sinds {numeric(added_on)} in het plan. Kies voor de evaluatie "
            f"{numeric(added_on)} of een latere datum.",
        )
    if current.status == GoalStatus.STOPPED:
        raise PlanError("Dit doel is gestopt. Een gestopt doel evalueert u niet meer.")
    if stop and current.status != GoalStatus.OPEN:
        raise PlanError("Dit doel is al bereikt. Alleen een doel dat nog loopt, kunt u stoppen.")
    review, new = formtokens.create_once(
        Review,
        form_token,
        error=PlanError,
        same=same,
        goal=goal,
        reviewed_on=day,
        progress=progress,
        score=score,
        note=note.strip(),
        stop_reason=stop_reason.strip() if stop else "",
        reviewed_by=by,
    )
    if not new:
        return review
    updates: dict[str, Any] = {}
    if stop:
        updates["status"] = GoalStatus.STOPPED
    elif progress == Progress.FULLY:
        updates["status"] = GoalStatus.REACHED
    if next_review_on is not None and not stop:
        updates["review_on"] = next_review_on
    if updates:
        Goal.objects.filter(pk=goal.pk).update(**updates)
        goal.refresh_from_db()
    part = PlanPart.objects.select_related("plan", "pupil").get(pk=goal.part_id)
    _save_version(
        part.plan,
        by=by,
        summary=f"Evaluatie van een doel voor {part.pupil.first_name}",
        pupil=part.pupil,
    )
    if stop:
        text = f"Doel gestopt: '{goal.description[:60]}'. Reden: {review.stop_reason[:200]}"
    else:
        text = f"Evaluatie doel '{goal.description[:60]}': {review.get_progress_display().lower()}."
    _tell_cases(part.plan, [part.pupil_id], text=text, by=by)
    return review


@transaction.atomic
def remove_goal(goal: Goal, *, by: Any) -> None:
    """Take a goal added by mistake out of the plan.

    Only while nothing was built on it: a goal with an evaluation or an action belongs to the
    plan's history and is stopped instead (`record_review(..., stop=True)`). The plan's
    versions keep what the goal said.
    """
    current = _lock_goal(goal)
    if current is None:
        raise GoalGone(GOAL_GONE)
    if Review.objects.filter(goal_id=current.pk).exists():
        raise PlanError(
            "Dit doel is al geëvalueerd en kan daarom niet meer weg. Wilt u er niet verder mee? "
            "Stop het doel dan: kies 'Evaluatie vastleggen of doel stoppen'."
        )
    if Action.objects.filter(goal_id=current.pk).exists():
        raise PlanError(
            "Er hoort een actie bij dit doel, dus het kan niet meer weg. Wilt u er niet verder "
            "mee? Stop het doel dan: kies 'Evaluatie vastleggen of doel stoppen'."
        )
    part = PlanPart.objects.select_related("plan", "pupil").get(pk=current.part_id)
    current.delete()
    _save_version(
        part.plan, by=by, summary=f"Doel verwijderd voor {part.pupil.first_name}", pupil=part.pupil
    )
    _tell_cases(part.plan, [part.pupil_id], text=f"Doel verwijderd: {current.description}", by=by)


def text_saved_on(plan: IntegralPlan) -> dt.date:
    """The day the plan got the content it has now: the day of its latest version that was not
    the recording of an agreement (recording one changes no text, `latest_of_each`), else the
    day the plan was started."""
    recorded = set(plan.agreements.values_list("plan_version", flat=True))
    numbers = dict(plan.versions.values_list("number", "created_at"))
    number = plan.version
    while number in recorded:
        number -= 1
    at = numbers.get(number)
    return timezone.localdate(at if at is not None else plan.created_at)


@transaction.atomic
def record_agreement(
    plan: IntegralPlan,
    *,
    guardian: Any,
    agreed_on: dt.date,
    by: Any,
    note: str = "",
    form_token: uuid.UUID | None = None,
) -> PlanAgreement:
    """Record that a parent agreed to the plan as it stands now (this version).

    Every agreement is kept: each parent with authority agrees on their own day, and a parent
    who agrees again (to a newer version) adds one. The form's `form_token`: the same form sent
    again returns the agreement of the first send (no second record, version or timeline line).
    """
    same = {"plan_id": plan.pk, "recorded_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(PlanAgreement, form_token, error=PlanError, **same)
    if first is not None:
        return first
    has_authority = GuardianLink.objects.filter(
        guardian_id=guardian.pk,
        guardian__family_id=plan.family_id,
        pupil__plan_part__plan_id=plan.pk,
        has_authority=True,
    ).exists()
    if not has_authority:
        raise PlanError("Kies een ouder of verzorger met gezag uit dit gezin.")
    if agreed_on > timezone.localdate():
        raise PlanError("De datum van het akkoord kan niet in de toekomst liggen.")
    locked = IntegralPlan.objects.select_for_update().get(pk=plan.pk)
    since = text_saved_on(locked)
    if agreed_on < since:
        # The agreement is recorded for the plan as it stands now; a day before that version
        # existed would say the parent agreed to a text they never saw.
        raise PlanFieldError(
            "agreed_on",
            f"Het plan is op {numeric(since)} voor het laatst gewijzigd. Een akkoord van eerder "
            f"hoort bij een oudere versie. Vul de dag in waarop de ouder akkoord gaf met het "
            f"plan zoals het nu is: {numeric(since)} of later.",
        )
    # The agreement is for the version this save makes: recording it changes no text.
    agreement, new = formtokens.create_once(
        PlanAgreement,
        form_token,
        error=PlanError,
        same=same,
        plan=locked,
        guardian=guardian,
        agreed_on=agreed_on,
        plan_version=locked.version + 1,
        note=note.strip()[:300],
        recorded_by=by,
    )
    if not new:
        return agreement
    _save_version(locked, by=by, summary=f"Akkoord van {guardian} vastgelegd")
    plan.refresh_from_db()
    _tell_cases(
        plan,
        list(plan.parts.values_list("pupil_id", flat=True)),
        text=f"Ouder akkoord met het plan ({numeric(agreed_on)}).",
        by=by,
    )
    return agreement
