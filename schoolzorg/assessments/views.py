"""Instrument pages: start, fill in (with autosave), complete, read, review.

Every page fetches through `Assessment.objects.visible_to(user, include_sensitive=True)` plus the
per-object policy; missing and forbidden are both 404. Every read is logged in the same
transaction, and no page with pupil data is cached.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from schoolzorg.assessments import definitions, forms, policies, services
from schoolzorg.assessments.models import (
    Assessment,
    InstrumentCode,
    InstrumentDefinition,
)
from schoolzorg.audit.models import Action
from schoolzorg.audit.services import record_access
from schoolzorg.pupils.access import access_basis, active_memberships
from schoolzorg.pupils.models import Pupil


def _pupil_with_full_file(request: HttpRequest, pk: int) -> tuple[Pupil, Any]:
    pupil = Pupil.objects.filter(pk=pk).select_related("current_school").first()
    found = access_basis(request.user, pupil) if pupil is not None else None
    if pupil is None or found is None or not found[1]:
        raise Http404
    return pupil, found[0]


def _assessment(request: HttpRequest, pk: int) -> tuple[Assessment, Any]:
    """The assessment the user may see, with their basis, or 404 for missing and forbidden."""
    # The full file first, then the per-object policy: child-safety access can come from rules
    # registered by other apps (e.g. a team that accepted a referral) that no Q expresses.
    full = policies.full_pupils_q(request.user)
    if full is None:
        raise Http404
    assessment = (
        Assessment.objects.filter(full, pk=pk)
        .select_related(
            "definition", "pupil", "created_by", "completed_by", "reviewed_by", "legal_basis"
        )
        .first()
    )
    if assessment is None or not policies.can_view(request.user, assessment):
        raise Http404
    found = access_basis(request.user, assessment.pupil)
    return assessment, found[0] if found else None


def _log_read(request: HttpRequest, assessment: Assessment, basis: Any, detail: str) -> None:
    record_access(
        request,
        action=Action.VIEW,
        pupil_id=assessment.pupil_id,
        basis=basis,
        obj=assessment,
        detail=detail,
    )


@login_required
def definition_list(request: HttpRequest) -> HttpResponse:
    """The instrument versions that apply to the user's organisations; no pupil data."""
    organisation_ids = {m.organisation_id for m in active_memberships(request.user)}
    current = [
        d
        for code in InstrumentCode
        if (d := InstrumentDefinition.objects.current(code, organisation_ids)) is not None
    ]
    return render(request, "assessments/definition_list.html", {"definitions": current})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pupil_pk: int, code: str) -> HttpResponse:
    pupil, basis = _pupil_with_full_file(request, pupil_pk)
    if code not in InstrumentCode.values or not policies.can_start(request.user, pupil, code):
        raise Http404
    organisation_ids = {m.organisation_id for m in active_memberships(request.user)}
    if pupil.current_school_id:
        organisation_ids.add(pupil.current_school_id)
    definition = InstrumentDefinition.objects.current(code, organisation_ids)
    if request.method == "POST":
        try:
            assessment = services.start_assessment(
                pupil, code, by=request.user, definition=definition
            )
        except services.AssessmentError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("assessments:fill", pk=assessment.pk)
    record_access(
        request,
        action=Action.VIEW,
        pupil_id=pupil.pk,
        basis=basis,
        obj=pupil,
        detail=f"instrument starten: {InstrumentCode(code).label}",
    )
    return render(
        request,
        "assessments/start.html",
        {"pupil": pupil, "definition": definition, "code": code},
    )


@never_cache
@login_required
def safety_list(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """The pupil's child-safety and reporting-code assessments, for those who may see them."""
    pupil, basis = _pupil_with_full_file(request, pupil_pk)
    if not policies.can_see_child_safety(request.user, pupil):
        raise Http404
    rows = list(
        Assessment.objects.filter(pupil=pupil)
        .sensitive()
        .select_related("definition", "created_by", "completed_by", "reviewed_by")
    )
    record_access(
        request,
        action=Action.VIEW,
        pupil_id=pupil.pk,
        basis=basis,
        obj=pupil,
        detail="veiligheidsinschattingen bekeken",
    )
    return render(request, "assessments/safety_list.html", {"pupil": pupil, "assessments": rows})


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, basis = _assessment(request, pk)
    with transaction.atomic():
        _log_read(request, assessment, basis, "instrument bekeken")
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "pupil": assessment.pupil,
            "grouped": assessment.grouped_rows(),
            "can_edit": policies.can_edit(request.user, assessment),
            "can_review": policies.can_review(request.user, assessment),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, basis = _assessment(request, pk)
    if not policies.can_edit(request.user, assessment):
        return redirect("assessments:detail", pk=assessment.pk)
    definition = assessment.definition.definition
    is_htmx = request.headers.get("HX-Request") == "true"
    errors: dict[str, str] = {}
    answers = assessment.answers
    if request.method == "POST":
        typed = forms.answers_from_post(definition, request.POST)
        # No revision check here: a draft has one author, and the autosave of a change may
        # still be under way when the same page is submitted with the same answers. The
        # status check in the service still refuses a save after completion.
        try:
            assessment = services.save_answers(assessment, typed, by=request.user)
        except services.AssessmentError as exc:
            errors = exc.errors
            # Show what was typed, so nothing is lost, with the message next to the row.
            answers = typed
            if is_htmx:
                return render(
                    request,
                    "assessments/_autosave_status.html",
                    {"assessment": assessment, "error": exc.message, "errors": errors},
                )
            messages.error(request, exc.message)
        else:
            if is_htmx:
                return render(
                    request, "assessments/_autosave_status.html", {"assessment": assessment}
                )
            if request.POST.get("action") == "complete":
                return redirect("assessments:complete", pk=assessment.pk)
            messages.success(request, "Het concept is opgeslagen.")
            return redirect("assessments:fill", pk=assessment.pk)
    else:
        with transaction.atomic():
            _log_read(request, assessment, basis, "instrument invullen")
    return render(
        request,
        "assessments/fill.html",
        {
            "assessment": assessment,
            "pupil": assessment.pupil,
            "sections": forms.form_rows(definition, answers, errors),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, basis = _assessment(request, pk)
    if not policies.can_edit(request.user, assessment):
        return redirect("assessments:detail", pk=assessment.pk)
    definition = assessment.definition.definition
    judgement: dict[str, str] = {}
    rationale: dict[str, str] = {}
    errors: dict[str, str] = {}
    missing = definitions.missing_required(definition, assessment.answers)
    legal_bases = _reporting_right_bases(assessment)
    chosen_basis = ""
    status = 200
    if request.method == "POST":
        judgement, rationale = forms.judgements_from_post(definition, request.POST)
        chosen_basis = request.POST.get("legal_basis", "")
        basis_obj = next((b for b in legal_bases if str(b.pk) == chosen_basis), None)
        try:
            services.complete_assessment(
                assessment,
                judgement=judgement,
                rationale=rationale,
                by=request.user,
                legal_basis=basis_obj,
            )
        except services.IncompleteAssessment as exc:
            errors, missing, status = exc.errors, exc.missing, 400
        except services.AssessmentError as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            done = "Het instrument is afgerond."
            if assessment.definition.requires_review:
                done += " Vraag nu een collega om het te bespreken en te bevestigen."
            messages.success(request, done)
            return redirect("assessments:detail", pk=assessment.pk)
    else:
        with transaction.atomic():
            _log_read(request, assessment, basis, "instrument afronden")
    return render(
        request,
        "assessments/complete.html",
        {
            "assessment": assessment,
            "pupil": assessment.pupil,
            "grouped": assessment.grouped_rows(),
            "missing": missing,
            "judgements": forms.judgement_rows(definition, judgement, rationale, errors),
            "errors": errors,
            "legal_bases": legal_bases,
            "chosen_basis": chosen_basis,
        },
        status=status,
    )


def _reporting_right_bases(assessment: Assessment) -> list[Any]:
    if assessment.definition.code != InstrumentCode.REPORTING_CODE:
        return []
    from schoolzorg.consent.models import LegalBasis, LegalBasisKind, Purpose

    # Meldrecht recorded for the report to Veilig Thuis; one stored before with a purpose of
    # sharing is no ground for anything (`consent.models.BASIS_PURPOSES`).
    return list(
        LegalBasis.objects.grounding(Purpose.REPORT_TO_VEILIG_THUIS)
        .filter(pupil_id=assessment.pupil_id, kind=LegalBasisKind.REPORTING_RIGHT)
        .order_by("-valid_from")
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, basis = _assessment(request, pk)
    if refusal := policies.review_refusal(request.user, assessment):
        messages.error(request, refusal)
        return redirect("assessments:detail", pk=assessment.pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Vink aan dat u de inschatting met uw collega besprak.")
            return redirect("assessments:review", pk=assessment.pk)
        else:
            try:
                services.review_assessment(assessment, reviewer=request.user, by=request.user)
            except services.AssessmentError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Vastgelegd: u hebt dit instrument besproken.")
            return redirect("assessments:detail", pk=assessment.pk)
    with transaction.atomic():
        _log_read(request, assessment, basis, "instrument bespreken")
    return render(
        request,
        "assessments/review.html",
        {"assessment": assessment, "pupil": assessment.pupil},
    )


def detail_url(assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[assessment.pk])
