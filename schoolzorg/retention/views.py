"""Requests for early destruction (record, decide) and the destruction register."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.accounts.views import require_recent_auth
from schoolzorg.audit.models import Action as LogAction
from schoolzorg.audit.policies import oversight_scope
from schoolzorg.audit.services import record_access
from schoolzorg.lib.forms import answer_status
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.models import Pupil
from schoolzorg.retention import files, policies, services
from schoolzorg.retention.forms import ConfirmForm, RefuseForm, RequestForm, refusal_ground
from schoolzorg.retention.models import DestructionRecord, DestructionRequest, RequestState

REGISTER_LIMIT = 200


def _pupil_with_holder(request: HttpRequest, pupil_pk: int) -> tuple[Pupil, Any, Any]:
    """The pupil, the read-log basis and the organisation whose file the user answers for (the
    one in `?dossier=`, for someone who answers for more than one); 404 for anyone else."""
    pupil = Pupil.objects.filter(pk=pupil_pk).first()
    if pupil is None:
        raise Http404
    found = access_basis(request.user, pupil, without=policies.NOT_FOR_DECIDING)
    if found is None or not found[1]:
        raise Http404
    chosen = request.GET.get("dossier", "")
    if chosen and not (chosen.isascii() and chosen.isdigit()):
        raise Http404
    holder = policies.file_holder_for(request.user, pupil, int(chosen) if chosen else None)
    if holder is None:
        raise Http404
    return pupil, found[0], holder


def _request_for(request: HttpRequest, pk: int) -> tuple[DestructionRequest, Any]:
    """The request and, while it names the pupil, the read-log basis; 404 for anyone who does
    not answer requests for its organisation or no longer sees the pupil."""
    found = (
        DestructionRequest.objects.select_related("organisation", "pupil", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None or not policies.can_handle(request.user, found):
        raise Http404
    basis = None
    if found.pupil is not None:
        access = access_basis(request.user, found.pupil, without=policies.NOT_FOR_DECIDING)
        if access is not None and access[1]:
            basis = access[0]
        elif policies.still_to_decide(request.user, found):
            # The pupil left (another school, the team's help ended): the file the request is
            # about is still there, and deciding is this user's task.
            basis = policies.deciding_basis(found)
        else:
            raise Http404
    return found, basis


@never_cache
@login_required
def new_request(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil, basis, holder = _pupil_with_holder(request, pupil_pk)
    form = RequestForm(request.POST if request.method == "POST" else None)
    open_request = DestructionRequest.objects.filter(
        pupil=pupil, organisation=holder, state=RequestState.OPEN
    ).first()
    refused = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.record_request(
                pupil,
                holder,
                requester=data["requester"],
                received_on=data["received_on"],
                note=data["note"],
                by=request.user,
                form_token=data["form_token"] or uuid.uuid4(),
            )
        except services.AlreadyOpen as exc:  # said once, above the form, with its link
            open_request, refused = exc.open_request, True
        except services.RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Het verzoek is vastgelegd. Besluit nu of u het uitvoert.")
            return redirect("retention:detail", created.pk)
    record_access(
        request,
        action=LogAction.VIEW,
        pupil_id=pupil.pk,
        basis=basis,
        detail="verzoek tot vernietiging",
    )
    return render(
        request,
        "retention/new_request.html",
        {
            "pupil": pupil,
            "holder": holder,
            "form": form,
            "open_request": open_request,
            "refused": refused,
        },
        # Refused because a request is already open: out of date, as elsewhere (409).
        status=409 if refused else answer_status(form),
    )


def _detail_page(
    request: HttpRequest, found: DestructionRequest, basis: Any, refuse_form: RefuseForm
) -> HttpResponse:
    """The request's page (also after a refusal sent without a reason); reading it is logged
    while the request still names the pupil."""
    if found.pupil is not None:
        record_access(
            request,
            action=LogAction.VIEW,
            pupil_id=found.pupil_id,
            basis=basis,
            obj=found,
            detail="verzoek tot vernietiging",
        )
    return render(
        request,
        "retention/detail.html",
        {
            "req": found,
            # Deciding about a pupil the user no longer sees: the pupil's page does not open.
            "links_pupil": basis is not None and basis.kind != policies.DECIDING,
            "refuse_form": refuse_form,
            "refusal_ground": refusal_ground(found.kind),
            "records": DestructionRecord.objects.filter(request=found),
        },
    )


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found, basis = _request_for(request, pk)
    return _detail_page(request, found, basis, RefuseForm(kind=found.kind))


@never_cache
@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    found, basis = _request_for(request, pk)
    form = RefuseForm(request.POST, kind=found.kind)
    if form.is_valid():
        try:
            services.refuse_request(found, reason=form.cleaned_data["reason"], by=request.user)
        except services.RequestRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Het verzoek is geweigerd. De reden is vastgelegd.")
        return redirect("retention:detail", found.pk)
    return _detail_page(request, found, basis, form)


@never_cache
@login_required
@require_recent_auth
def carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    found, basis = _request_for(request, pk)
    if found.state == RequestState.LAPSED:
        messages.info(request, "Dit verzoek is vervallen: het dossier is al vernietigd.")
        return redirect("retention:detail", found.pk)
    if found.state != RequestState.OPEN or found.pupil is None:
        messages.info(request, "Over dit verzoek is al besloten.")
        return redirect("retention:detail", found.pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.carry_out_request(found, by=request.user)
        except services.RequestRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Het dossier is vernietigd. Het register houdt bij wat er ging."
            )
        return redirect("retention:detail", found.pk)
    record_access(
        request,
        action=LogAction.VIEW,
        pupil_id=found.pupil_id,
        basis=basis,
        obj=found,
        detail="vernietiging bevestigen",
    )
    pupil_file = files.read_file(found.pupil)
    held = pupil_file.held_by(found.organisation_id)
    shared = [r for r in held if r.holders != {found.organisation_id}]
    counts: dict[str, int] = {}
    kept: dict[str, int] = {}  # what stays because another organisation's file holds it too
    for root in held:
        label = files.LABELS[root.key]
        if root in shared:
            kept[label] = kept.get(label, 0) + 1
        elif root.key != "enrolment":
            counts[label] = counts.get(label, 0) + 1
    return render(
        request,
        "retention/carry_out.html",
        {"req": found, "form": form, "counts": counts, "shared": len(shared), "kept": kept},
    )


@never_cache
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The destruction register of the privacy officer's scope: no child is named."""
    scope = oversight_scope(request.user)
    if not scope:
        raise Http404
    organisations = scope.organisations()
    records = DestructionRecord.objects.filter(organisation_id__in=organisations).select_related(
        "by"
    )[:REGISTER_LIMIT]
    requests = DestructionRequest.objects.filter(organisation_id__in=organisations).select_related(
        "organisation"
    )[:REGISTER_LIMIT]
    return render(
        request,
        "retention/register.html",
        {"records": records, "requests": requests, "limit": REGISTER_LIMIT},
    )
