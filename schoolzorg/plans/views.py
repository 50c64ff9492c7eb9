"""Integral plan pages. Only the parts about children the user sees in full are shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.accounts.views import require_recent_auth
from schoolzorg.audit.models import Action as LogAction
from schoolzorg.audit.services import record_access
from schoolzorg.cases.views import coordinator_candidates
from schoolzorg.consent.relationships import named_among_each
from schoolzorg.lib.converters import parse_id
from schoolzorg.plans import policies, services
from schoolzorg.plans.forms import (
    ActionForm,
    ActionOwnerForm,
    ActionStatusForm,
    AgreementForm,
    GoalForm,
    PlanCoordinatorForm,
    PlanTextForm,
    ReviewForm,
)
from schoolzorg.plans.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Goal,
    IntegralPlan,
    PlanAgreement,
    PlanPart,
    PlanVersion,
    Review,
    latest_of_each,
)
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.models import GuardianLink, Pupil


def get_visible_plan(request: HttpRequest, pk: int) -> tuple[IntegralPlan, list[PlanPart]]:
    plan = (
        IntegralPlan.objects.visible_to(request.user)
        .select_related("family", "coordinator", "updated_by")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    parts = policies.visible_parts(request.user, plan)
    if not parts:
        raise Http404
    return plan, parts


def get_visible_part(
    request: HttpRequest, pk: int
) -> tuple[IntegralPlan, PlanPart, list[PlanPart]]:
    part = PlanPart.objects.filter(pk=pk).only("plan_id").first()
    if part is None:
        raise Http404
    plan, parts = get_visible_plan(request, part.plan_id)
    found = next((p for p in parts if p.pk == pk), None)
    if found is None:
        raise Http404
    found.plan = plan
    return plan, found, parts


def log_parts(
    request: HttpRequest, parts: list[PlanPart], *, action: str, obj: Any, detail: str
) -> None:
    for part in parts:
        found = access_basis(request.user, part.pupil)
        record_access(
            request,
            action=action,
            pupil_id=part.pupil_id,
            basis=found[0] if found else None,
            obj=obj,
            detail=detail,
        )


def _people(parts: list[PlanPart]) -> dict[int, list[Any]]:
    """Per part (by id), the professionals who can own a goal or action in that child's part
    (`consent.relationships.named_among_each`): those at the family's children's schools, and
    the neighbourhood-team worker who has taken on a referral about one of the children (the
    home district's team works outside the school, and the plan records what it does)."""
    from schoolzorg.referrals.models import Referral

    seen: dict[int, Any] = {}
    for school_id in {p.pupil.current_school_id for p in parts if p.pupil.current_school_id}:
        for user in coordinator_candidates(school_id):
            seen[user.pk] = user
    for referral in Referral.objects.taken_on({p.pupil_id for p in parts}):
        if referral.assignee is not None:  # `taken_on` leaves none without
            seen.setdefault(referral.assignee.pk, referral.assignee)
    people = sorted(seen.values(), key=lambda u: u.full_name)
    allowed = named_among_each(people, {part.pupil_id: part.pupil for part in parts}.values())
    return {part.pk: allowed[part.pupil_id] for part in parts}


def _coordinators(people_by_part: dict[int, list[Any]]) -> list[Any]:
    """Who may be named the plan's coordinator: anyone who may own a goal or action in a part
    the editor sees (`_people`, the rule for a case's coordinator), so who can open the plan."""
    seen = {u.pk: u for people in people_by_part.values() for u in people}
    return sorted(seen.values(), key=lambda u: u.full_name)


def _load_parts(parts: list[PlanPart]) -> list[PlanPart]:
    """Goals with reviews and actions for the parts, in a fixed number of queries."""
    ids = [p.pk for p in parts]
    loaded = {
        p.pk: p
        for p in PlanPart.objects.filter(pk__in=ids)
        .select_related("pupil", "pupil__current_school")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.select_related("owner").prefetch_related(
                    Prefetch("reviews", queryset=Review.objects.select_related("reviewed_by"))
                ),
            ),
            Prefetch("actions", queryset=Action.objects.select_related("owner", "goal")),
        )
    }
    return [loaded[i] for i in ids]


def _detail_context(
    request: HttpRequest, plan: IntegralPlan, parts: list[PlanPart], **extra: Any
) -> dict[str, Any]:
    can_edit = policies.can_edit_plan(request.user, plan, parts)
    loaded = _load_parts(parts)
    people_by_part = _people(parts) if can_edit else {}
    open_actions = [
        a for part in loaded for a in part.actions.all() if a.status in OPEN_ACTION_STATUSES
    ]
    coordinator_out, owners_out = policies.locked_out(plan, open_actions)
    blocks = []
    for part in loaded:
        people = people_by_part.get(part.pk, [])
        goals = list(part.goals.all())
        actions = list(part.actions.all())
        with_actions = {a.goal_id for a in actions}
        for a in actions:
            # Another professional for an open action (its owner left the child's school, say).
            a.owner_form = (  # type: ignore[attr-defined]
                extra.get(f"owner_form_{a.pk}")
                or ActionOwnerForm(
                    people=people,
                    pupil=part.pupil,
                    prefix=f"uitvoerder-{a.pk}",
                    initial={"expected": a.owner_id or ""},
                )
                if can_edit and a.status in OPEN_ACTION_STATUSES
                else None
            )
        blocks.append(
            {
                "part": part,
                "goals": goals,
                # A goal added by mistake may go while nothing was built on it yet.
                "removable": {
                    g.pk for g in goals if not g.reviews.all() and g.pk not in with_actions
                }
                if can_edit
                else set(),
                "actions": actions,
                "goal_form": extra.get(f"goal_form_{part.pk}")
                or (
                    GoalForm(people=people, pupil=part.pupil, prefix=f"goal-{part.pk}")
                    if can_edit
                    else None
                ),
                "action_form": extra.get(f"action_form_{part.pk}")
                or (
                    ActionForm(
                        people=people, goals=goals, pupil=part.pupil, prefix=f"action-{part.pk}"
                    )
                    if can_edit
                    else None
                ),
            }
        )
    guardians = _guardians(plan, parts)
    return {
        "plan": plan,
        "coordinator_out": coordinator_out,
        "owners_out": owners_out,
        "coordinator_form": extra.get("coordinator_form")
        or (
            PlanCoordinatorForm(
                coordinators=_coordinators(people_by_part),
                initial={"expected": plan.coordinator_id or ""},
            )
            if can_edit
            else None
        ),
        "agreements": _agreements(plan),
        "blocks": blocks,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        "action_statuses": ActionStatus.choices,
        "review_form": ReviewForm(initial={"reviewed_on": timezone.localdate()}),
        "agreement_form": extra.get("agreement_form")
        or (
            AgreementForm(guardians=guardians, initial={"agreed_on": timezone.localdate()})
            if can_edit and guardians
            else None
        ),
        "review_errors_for": extra.get("review_errors_for"),
        "bound_review_form": extra.get("review_form"),
    }


def _agreements(plan: IntegralPlan) -> list[PlanAgreement]:
    return latest_of_each(plan.agreements.select_related("guardian"), plan.version)


def _guardians(plan: IntegralPlan, parts: list[PlanPart]) -> list[Any]:
    links = GuardianLink.objects.filter(
        pupil_id__in=[p.pupil_id for p in parts], has_authority=True
    ).select_related("guardian")
    return sorted(
        {link.guardian.pk: link.guardian for link in links}.values(), key=lambda g: g.full_name
    )


def _render_detail(
    request: HttpRequest, plan: IntegralPlan, parts: list[PlanPart], status: int = 200, **extra: Any
) -> HttpResponse:
    with transaction.atomic():
        log_parts(request, parts, action=LogAction.VIEW, obj=plan, detail="integraal plan")
        context = _detail_context(request, plan, parts, **extra)
    return render(request, "plans/detail.html", context, status=status)


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan, parts = get_visible_plan(request, pk)
    return _render_detail(request, plan, parts)


@never_cache
@login_required
@require_POST
def start(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil = Pupil.objects.filter(pk=pupil_pk).first()
    found = access_basis(request.user, pupil) if pupil is not None else None
    if (
        pupil is None
        or found is None
        or not found[1]
        or not policies.can_start_plan(request.user, pupil)
    ):
        raise Http404
    with transaction.atomic():
        part = services.start_plan(pupil, by=request.user)
        record_access(
            request,
            action=LogAction.CREATE,
            pupil_id=pupil.pk,
            basis=found[0],
            obj=part.plan,
            detail="plan gestart",
        )
    messages.success(request, f"{pupil.first_name} staat in het integrale plan van het gezin.")
    return redirect("plans:detail", part.plan_id)


@never_cache
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan, parts = get_visible_plan(request, pk)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    conflict = False
    if request.method == "POST":
        form = PlanTextForm(request.POST, parts=parts)
        if form.is_valid():
            try:
                version = services.update_plan(
                    plan,
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    family=form.family_data(),
                    parts=form.parts_data(),
                )
            except services.PlanConflict as exc:
                conflict = True
                # Keep the person's text; only the version number moves on, so saving again
                # (after reading the other change) is a deliberate choice.
                plan.refresh_from_db()
                form = _moved_on(
                    request, "version", plan.version, exc, lambda d: PlanTextForm(d, parts=parts)
                )
            else:
                if version is None:
                    messages.info(
                        request, "Er is niets veranderd aan het plan. Er is geen nieuwe versie."
                    )
                else:
                    messages.success(request, f"Het plan is opgeslagen (versie {version.number}).")
                return redirect("plans:detail", plan.pk)
    else:
        form = PlanTextForm(initial=PlanTextForm.initial_for(plan, parts), parts=parts)
    with transaction.atomic():
        log_parts(request, parts, action=LogAction.VIEW, obj=plan, detail="plan bewerken")
    current = _load_parts(parts) if conflict else []
    return render(
        request,
        "plans/edit.html",
        {"plan": plan, "form": form, "conflict": conflict, "current_parts": current},
        status=409 if conflict else 200,
    )


@never_cache
@login_required
@require_POST
def add_goal(request: HttpRequest, part_pk: int) -> HttpResponse:
    plan, part, parts = get_visible_part(request, part_pk)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    form = GoalForm(
        request.POST, people=_people(parts)[part.pk], pupil=part.pupil, prefix=f"goal-{part.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_goal(
                part,
                description=data["description"],
                criterion=data["criterion"],
                owner=data["owner_user"],
                owner_name=data["owner_name"],
                target_on=data["target_on"],
                review_on=data["review_on"],
                by=request.user,
                form_token=data["form_token"],
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Het doel is toegevoegd.")
            return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")
    return _render_detail(request, plan, parts, 400, **{f"goal_form_{part.pk}": form})


@never_cache
@login_required
@require_POST
def add_action(request: HttpRequest, part_pk: int) -> HttpResponse:
    plan, part, parts = get_visible_part(request, part_pk)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    goals = list(part.goals.all())
    form = ActionForm(
        request.POST,
        people=_people(parts)[part.pk],
        goals=goals,
        pupil=part.pupil,
        prefix=f"action-{part.pk}",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_action(
                part,
                description=data["description"],
                domain=data["domain"],
                owner=data["owner_value"],
                due_on=data["due_on"],
                goal=data["goal_obj"],
                by=request.user,
                form_token=data["form_token"],
            )
        except services.PlanFieldError as exc:  # a closed day: at the field, input kept
            form.add_error(exc.field, str(exc))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "De actie is toegevoegd.")
            return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")
    return _render_detail(request, plan, parts, 400, **{f"action_form_{part.pk}": form})


@never_cache
@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = Action.objects.filter(pk=pk).select_related("part").first()
    if action is None:
        raise Http404
    plan, part, _parts = get_visible_part(request, action.part_id)
    if not policies.can_update_action(request.user, action, plan):
        raise Http404
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_action_status(
                action,
                to=form.cleaned_data["to"],
                expected=form.cleaned_data["expected"],
                by=request.user,
            )
        except services.AlreadyDone as exc:
            messages.info(request, str(exc))
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"De actie staat nu op '{action.get_status_display().lower()}'."
            )
    else:
        messages.error(request, "Kies een geldige status.")
    if not IntegralPlan.objects.visible_to(request.user).filter(pk=plan.pk).exists():
        # The open action was the user's only way in: the plan is closed to them now.
        return redirect("home")
    return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")


def _moved_on(
    request: HttpRequest, key: str, now: Any, error: Exception, build: Callable[[Any], Any]
) -> Any:
    """The form as the user sent it after a colleague's change, with only the value the screen
    was drawn with (`key`) moved on to what is stored `now`, and the conflict said: what the
    user typed or chose stays, and sending it again is a deliberate choice."""
    data = request.POST.copy()
    data[key] = "" if now is None else str(now)
    form = build(data)
    form.is_valid()
    form.add_error(None, str(error))
    return form


@never_cache
@login_required
@require_POST
def coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    """Name another coordinator (regisseur), say after the child changed school."""
    plan, parts = get_visible_plan(request, pk)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    candidates = _coordinators(_people(parts))
    form = PlanCoordinatorForm(request.POST, coordinators=candidates)
    status = 400
    if form.is_valid():
        chosen = next(u for u in candidates if u.pk == form.cleaned_data["coordinator"])
        try:
            services.name_plan_coordinator(
                plan, coordinator=chosen, by=request.user, expected=form.cleaned_data["expected"]
            )
        except services.PlanConflict as exc:
            # Keep the choice; only `expected` moves on, so sending again is a deliberate choice.
            plan.refresh_from_db()
            form = _moved_on(
                request,
                "expected",
                plan.coordinator_id,
                exc,
                lambda d: PlanCoordinatorForm(d, coordinators=candidates),
            )
            status = 409
        except services.PlanFieldError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"{chosen} is nu regisseur van het plan.")
            return redirect("plans:detail", plan.pk)
    elif "expected" in form.errors:
        messages.error(request, " ".join(map(str, form.errors["expected"])))
        return redirect("plans:detail", plan.pk)
    return _render_detail(request, plan, parts, status, coordinator_form=form)


@never_cache
@login_required
@require_POST
def action_owner(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an open action to another professional, say when its owner left the child's
    school."""
    action = Action.objects.filter(pk=pk).select_related("part").first()
    if action is None:
        raise Http404
    plan, part, parts = get_visible_part(request, action.part_id)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    people = _people(parts)[part.pk]
    prefix = f"uitvoerder-{action.pk}"
    form = ActionOwnerForm(request.POST, people=people, pupil=part.pupil, prefix=prefix)
    status = 400
    if form.is_valid():
        chosen = next(u for u in people if u.pk == form.cleaned_data["owner"])
        try:
            services.change_action_owner(
                action, owner=chosen, by=request.user, expected=form.cleaned_data["expected"]
            )
        except services.PlanConflict as exc:
            action.refresh_from_db()
            form = _moved_on(
                request,
                f"{prefix}-expected",
                action.owner_id,
                exc,
                lambda d: ActionOwnerForm(d, people=people, pupil=part.pupil, prefix=prefix),
            )
            status = 409
        except services.PlanFieldError as exc:
            form.add_error(exc.field, str(exc))
        except services.PlanError as exc:  # done or cancelled meanwhile
            messages.error(request, str(exc))
            return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")
        else:
            messages.success(request, f"{chosen} voert de actie nu uit.")
            return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")
    elif "expected" in form.errors:
        messages.error(request, " ".join(map(str, form.errors["expected"])))
        return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")
    return _render_detail(request, plan, parts, status, **{f"owner_form_{action.pk}": form})


@never_cache
@login_required
def add_review(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = Goal.objects.filter(pk=goal_pk).first()
    if goal is None:
        raise Http404
    plan, part, parts = get_visible_part(request, goal.part_id)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_review(
                goal,
                progress=data["progress"],
                score=data["score"],
                note=data["note"],
                reviewed_on=data["reviewed_on"],
                next_review_on=data["next_review_on"],
                stop=data["stop"],
                stop_reason=data["stop_reason"],
                by=request.user,
                form_token=data["form_token"],
            )
        except services.PlanFieldError as exc:  # a day before the goal: at the field
            form.add_error(exc.field, str(exc))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            if data["stop"]:
                messages.success(request, "De evaluatie is vastgelegd en het doel is gestopt.")
            else:
                messages.success(request, "De evaluatie is vastgelegd.")
            return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")
    with transaction.atomic():
        log_parts(request, [part], action=LogAction.VIEW, obj=goal, detail="doel evalueren")
    return render(
        request,
        "plans/review.html",
        {
            "plan": plan,
            "part": part,
            "goal": goal,
            "form": form,
            "reviews": goal.reviews.select_related("reviewed_by"),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_POST
def remove_goal(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan, parts = get_visible_plan(request, pk)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    goal = Goal.objects.filter(pk=goal_pk).first()
    if goal is None:
        # The user's own second click (or a colleague's removal): the plan, not a 404.
        messages.info(request, services.GOAL_GONE)
        return redirect("plans:detail", plan.pk)
    part = next((p for p in parts if p.pk == goal.part_id), None)
    if part is None:
        raise Http404
    try:
        services.remove_goal(goal, by=request.user)
    except services.GoalGone as exc:
        messages.info(request, str(exc))
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Het doel is uit het plan verwijderd.")
    return redirect(f"/plannen/{plan.pk}/#deel-{part.pk}")


@never_cache
@login_required
@require_POST
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    plan, parts = get_visible_plan(request, pk)
    if not policies.can_edit_plan(request.user, plan, parts):
        raise Http404
    guardians = _guardians(plan, parts)
    form = AgreementForm(request.POST, guardians=guardians)
    if form.is_valid():
        try:
            agreement = services.record_agreement(
                plan,
                guardian=form.guardians[form.cleaned_data["guardian"]],
                agreed_on=form.cleaned_data["agreed_on"],
                note=form.cleaned_data["note"],
                by=request.user,
                form_token=form.cleaned_data["form_token"],
            )
        except services.PlanFieldError as exc:  # a day before this version: at the field
            form.add_error(exc.field, str(exc))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Het akkoord van {agreement.guardian} is vastgelegd.")
            return redirect("plans:detail", plan.pk)
    return _render_detail(request, plan, parts, 400, agreement_form=form)


@never_cache
@login_required
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    plan, parts = get_visible_plan(request, pk)
    all_versions = list(
        plan.versions.about([p.pupil_id for p in parts])
        .select_related("created_by")
        .defer("snapshot")
    )
    numbers = {v.number for v in all_versions}
    diff: list[tuple[str, str, str]] | None = None
    a_raw, b_raw = request.GET.get("a", ""), request.GET.get("b", "")
    error = ""
    old = new = None
    if a_raw or b_raw:
        a, b = parse_id(a_raw), parse_id(b_raw)
        if a is None or b is None or a not in numbers or b not in numbers:
            error = "Kies twee versies uit de lijst."
        else:
            old, new = (
                PlanVersion.objects.get(plan=plan, number=min(a, b)),
                PlanVersion.objects.get(plan=plan, number=max(a, b)),
            )
            diff = services.compare_versions(old, new, {p.pupil_id for p in parts})
    with transaction.atomic():
        log_parts(request, parts, action=LogAction.VIEW, obj=plan, detail="versies van het plan")
    return render(
        request,
        "plans/versions.html",
        {
            "plan": plan,
            "versions": all_versions,
            "diff": diff,
            "old": old,
            "new": new,
            "error": error,
            "a": a_raw,
            "b": b_raw,
        },
        status=400 if error else 200,
    )


@never_cache
@login_required
@require_recent_auth  # a file with a child's data leaves the system
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from schoolzorg.plans.pdf import render_plan_pdf

    plan, parts = get_visible_plan(request, pk)
    loaded = _load_parts(parts)
    with transaction.atomic():
        log_parts(request, parts, action=LogAction.EXPORT, obj=plan, detail="plan als pdf")
    body = render_plan_pdf(
        plan, loaded, _agreements(plan), base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="integraal-plan-{plan.pk}.pdf"'
    return response
