"""Consent ledger pages: record, withdraw, legal basis, and the evidence download."""

from __future__ import annotations

import mimetypes
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import record_access
from schoolzorg.consent import policies, services
from schoolzorg.consent.forms import CompleteForm, ConsentForm, LegalBasisForm, WithdrawForm
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.consent.rules import required_parties
from schoolzorg.consent.sections import name_givers
from schoolzorg.lib.forms import answer_status
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.models import Pupil


def _pupil_for(request: HttpRequest, pupil_id: int) -> Pupil:
    pupil = Pupil.objects.filter(pk=pupil_id).select_related("current_school").first()
    if pupil is None or access_basis(request.user, pupil) is None:
        raise Http404
    return pupil


def _consent_for(request: HttpRequest, pk: int) -> Consent:
    consent = Consent.objects.filter(pk=pk).select_related("pupil").first()
    if consent is None or not policies.can_view_consents(request.user, consent.pupil):
        raise Http404
    return consent


def _log_read(
    request: HttpRequest, pupil: Pupil, detail: str, obj: Any = None, action: str = Action.VIEW
) -> None:
    """One read-log entry for a page of the ledger that names the pupil, with the basis through
    which the user sees them: a form shows the child's name, and that is a read.

    No transaction around it (docs/architecture.md, Access): on SQLite one would hold the
    database's write lock during the access check's reads.
    """
    found = access_basis(request.user, pupil)
    record_access(
        request,
        action=action,
        pupil_id=pupil.pk,
        basis=found[0] if found else None,
        obj=obj,
        detail=detail,
    )


def _pupil_url(pupil: Pupil) -> str:
    return f"/leerlingen/{pupil.pk}/#toestemming"


def _return_to(request: HttpRequest) -> str:
    """The page to return to after recording (`?next=`), "" for the pupil's page.

    A page that sends the user here for a missing consent (a referral that cannot be sent yet)
    passes its own path, so the user goes on where they were. Only a path on this site: an
    address with another host or scheme would send the user elsewhere after saving.
    """
    nxt = request.GET.get("next", "")
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):
        return nxt
    return ""


@never_cache
@login_required
def new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil_for(request, pupil_id)
    if not policies.can_record_consent(request.user, pupil):
        raise Http404
    # A page that sends the user here for a consent it needs names its purpose (`?doel=`): the
    # referral page for the warm handover. Anything else leaves the choice open.
    wanted = request.GET.get("doel", "")
    initial = {"purpose": wanted} if wanted in Purpose.values else {}
    form = ConsentForm(pupil, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent, is_new = services.record_consent_once(
                pupil,
                form_token=data["form_token"] or uuid.uuid4(),
                purpose=data["purpose"],
                recipient=data["recipient"],
                data_scope=data["data_scope"],
                guardians=data["guardians"],
                given_by_pupil=data["given_by_pupil"],
                given_on=data["given_on"],
                valid_until=data["valid_until"],
                evidence_note=data["evidence_note"],
                evidence_file=data["evidence_file"],
                by=request.user,
            )
        except services.ConsentError as exc:
            form.add_error(None, str(exc))
        else:
            if not is_new:
                messages.info(
                    request, "Deze toestemming was al vastgelegd; er is geen tweede gemaakt."
                )
            elif consent.is_complete and consent.needs_pupil_on():
                messages.warning(
                    request,
                    f"De toestemming is vastgelegd, maar is vandaag niet meer genoeg: "
                    f"{consent.shortfall} Vul haar aan.",
                )
            elif consent.is_complete:
                messages.success(request, "De toestemming is vastgelegd.")
            else:
                messages.warning(
                    request,
                    "De toestemming is vastgelegd, maar nog niet compleet: "
                    "niet iedereen die moet instemmen heeft ingestemd.",
                )
            return redirect(_return_to(request) or _pupil_url(pupil))
    on = timezone.localdate()
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["given_on"]
    parties = required_parties(pupil, on)
    _log_read(request, pupil, "toestemmingsformulier")
    return render(
        request,
        "consent/new.html",
        {"pupil": pupil, "form": form, "parties": parties, "back": _return_to(request)},
        status=answer_status(form),
    )


@never_cache
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _consent_for(request, pk)
    if not policies.can_withdraw_consent(request.user, consent):
        raise Http404
    form = WithdrawForm(consent, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.withdraw_consent(
                consent,
                by=request.user,
                on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.ConsentError as exc:
            form.add_error(None, str(exc))
        else:
            others = len(ended) - 1
            if others:
                # Withdrawing is for the purpose (services.withdraw_consent): say what else ended.
                same = "hetzelfde doel" + (
                    f" en voor {consent.recipient}" if consent.recipient else ""
                )
                also = (
                    f"Er was nog 1 andere toestemming voor {same}. Die is ook ingetrokken."
                    if others == 1
                    else f"Er waren nog {others} andere toestemmingen voor {same}. "
                    "Die zijn ook ingetrokken."
                )
                messages.success(request, f"De toestemming is ingetrokken. {also}")
            else:
                messages.success(request, "De toestemming is ingetrokken.")
            return redirect(_pupil_url(consent.pupil))
    # The page names the child and who gave the consent, so the right one is withdrawn (with
    # several children open side by side); naming the child is a read.
    name_givers([consent], consent.pupil_id)
    _log_read(request, consent.pupil, "toestemming intrekken", obj=consent)
    return render(
        request,
        "consent/withdraw.html",
        {"consent": consent, "form": form},
        status=answer_status(form),
    )


@never_cache
@login_required
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Aanvullen: record the agreement of the parties still missing on an incomplete consent,
    or the pupil's own on a consent that is no longer enough since the pupil turned 12 or 16."""
    consent = _consent_for(request, pk)
    if not policies.can_complete_consent(request.user, consent):
        raise Http404
    if consent.is_complete and not consent.needs_pupil_on():
        # Completed meanwhile, or the form sent again (back button).
        messages.info(request, "Deze toestemming is al compleet.")
        return redirect(_pupil_url(consent.pupil))
    form = CompleteForm(consent, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complete_consent(
                consent,
                by=request.user,
                on=data["given_on"],
                guardians=data["guardians"],
                given_by_pupil=data.get("given_by_pupil", False),
            )
        except services.ConsentError as exc:
            form.add_error(None, str(exc))
        else:
            if consent.status == "geldig":
                messages.success(request, "De toestemming is aangevuld en nu compleet.")
            elif consent.shortfall:
                messages.warning(
                    request,
                    f"De toestemming is aangevuld, maar is vandaag nog niet genoeg: "
                    f"{consent.shortfall}",
                )
            else:
                messages.warning(
                    request,
                    "De toestemming is aangevuld, maar nog niet compleet: "
                    "niet iedereen die moet instemmen heeft ingestemd.",
                )
            return redirect(_pupil_url(consent.pupil))
    on = timezone.localdate()
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["given_on"]
    parties = required_parties(consent.pupil, on)
    names = dict(
        consent.pupil.guardian_links.filter(has_authority=True).values_list(
            "guardian_id", "guardian__full_name"
        )
    )
    missing = parties.missing(
        pupil_agreed=consent.given_by_pupil,
        guardian_ids=consent.given_by_guardians.values_list("pk", flat=True),
        names=names,
    )
    _log_read(request, consent.pupil, "toestemming aanvullen", obj=consent)
    return render(
        request,
        "consent/complete.html",
        {"consent": consent, "form": form, "parties": parties, "missing": missing},
        status=answer_status(form),
    )


@never_cache
@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    consent = _consent_for(request, pk)
    if not consent.evidence_file:
        raise Http404
    _log_read(
        request,
        consent.pupil,
        "toestemmingsformulier gedownload",
        obj=consent,
        action=Action.DOWNLOAD,
    )
    name = (consent.evidence_file.name or "formulier").rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(consent.evidence_file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    return response


@never_cache
@login_required
def new_legal_basis(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _pupil_for(request, pupil_id)
    if not policies.can_record_legal_basis(request.user, pupil):
        raise Http404
    form = LegalBasisForm(pupil, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_legal_basis(
                pupil,
                kind=data["kind"],
                purpose=data["purpose"],
                recipient=data["recipient"],
                reason=data["reason"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                by=request.user,
                form_token=data["form_token"],
            )
        except services.ConsentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "De grondslag is vastgelegd.")
            return redirect(_pupil_url(pupil))
    _log_read(request, pupil, "grondslagformulier")
    return render(
        request,
        "consent/legal_basis_new.html",
        {"pupil": pupil, "form": form},
        status=answer_status(form),
    )
