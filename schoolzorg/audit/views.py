"""Oversight pages: the read log per user and per pupil, break-the-glass, the weekly report.

Every page answers 404 to anyone without the role; every reading of the log is itself logged.
A privacy officer oversees the scope of the organisation(s) they hold the role at
(`policies.oversight_scope`): users, entries, grants and changes outside it are not listed and
answer 404. The weekly report and its sign-off are per scope owner (`?organisatie=`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.accounts.views import require_recent_auth
from schoolzorg.audit import history, policies, services
from schoolzorg.audit.anomalies import first_log_week, week_of, weekly_report
from schoolzorg.audit.forms import (
    BreakGlassForm,
    ReviewForm,
    SignOffForm,
    UserSearchForm,
)
from schoolzorg.audit.lines import log_lines
from schoolzorg.audit.models import AccessLogEntry, Action
from schoolzorg.audit.services import Basis, record_access
from schoolzorg.lib import dates
from schoolzorg.lib.converters import parse_id
from schoolzorg.lib.forms import answer_status
from schoolzorg.organisations.models import Organisation
from schoolzorg.pupils.access import access_basis, can_break_glass
from schoolzorg.pupils.models import Pupil

PAGE_SIZE = 100
# Per signal of the weekly report, the users with the most reads; the rest behind "Toon iedereen".
SIGNALS_SHOWN = 50


def _officer_basis(request: HttpRequest, organisation_id: int | None = None) -> Basis:
    m = policies.privacy_membership(request.user, organisation_id)
    if m is None:
        raise Http404
    return Basis("privacy_oversight", m.role, m.organisation_id, m.organisation.name, str(m.pk))


def _require_officer(request: HttpRequest) -> tuple[Basis, policies.Scope]:
    """The basis for logging the reading, and what the officer oversees."""
    scope = policies.oversight_scope(request.user)
    if not scope:
        raise Http404
    return _officer_basis(request), scope


def _owner(scope: policies.Scope, value: str | None) -> Organisation:
    """The organisation whose weekly report is shown: the one asked for if it owns part of the
    scope, else the first owner."""
    asked = parse_id(value or "")
    chosen = asked if asked in scope.owner_ids else scope.owner_ids[0]
    return Organisation.objects.get(pk=chosen)


def _log_reading(
    request: HttpRequest, basis: Basis, detail: str, pupil_id: int | None = None
) -> None:
    record_access(request, action=Action.VIEW, pupil_id=pupil_id, basis=basis, detail=detail)


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    basis, scope = _require_officer(request)
    form = UserSearchForm(request.GET or None)
    users: list[Any] = []
    searched = form.is_valid() and bool(form.cleaned_data["q"])
    if searched:
        text = form.cleaned_data["q"]
        users = list(
            policies.scoped_users(scope)
            .filter(Q(full_name__icontains=text) | Q(email__icontains=text))
            .order_by("full_name")[:50]
        )
    _log_reading(request, basis, "logboek: overzicht")
    work = services.officer_work(scope)
    return render(
        request,
        "audit/index.html",
        {
            "form": form,
            "users": users,
            "searched": searched,
            "open_grants": work.open_grants,
            "last_week": work.last_week,
            "last_week_signed": work.last_week_review,
        },
    )


@never_cache
@login_required
def user_log(request: HttpRequest, user_id: int) -> HttpResponse:
    basis, scope = _require_officer(request)
    subject = policies.overseen_user(scope, user_id)
    if subject is None:
        raise Http404
    # Log the reading first, so the page and its counts include it.
    _log_reading(request, basis, f"logboek gelezen van gebruiker {user_id}")
    entries = policies.scoped_entries(scope).filter(user_id=user_id).order_by("-at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/user_log.html",
        {"subject": subject, "page": page, "lines": log_lines(page.object_list)},
    )


def _opened_pupil(
    request: HttpRequest, pupil_id: int, *, detail: str, action: str = Action.VIEW
) -> Pupil:
    """The pupil whose log or change history is opened, 404 unless `can_see_who_looked` (which
    requires the full file); the opening is logged."""
    pupil = Pupil.objects.filter(pk=pupil_id).first()
    found = access_basis(request.user, pupil) if pupil is not None else None
    if pupil is None or found is None or not policies.can_see_who_looked(request.user, pupil):
        raise Http404
    record_access(request, action=action, pupil_id=pupil.pk, basis=found[0], detail=detail)
    return pupil


@never_cache
@login_required
def pupil_log(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _opened_pupil(request, pupil_id, detail="wie keek")
    entries = AccessLogEntry.objects.filter(pupil_id=pupil.pk).order_by("-at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/pupil_log.html",
        {"pupil": pupil, "page": page, "lines": log_lines(page.object_list)},
    )


@never_cache
@login_required
@require_recent_auth  # a file with a child's data leaves the system
def pupil_log_for_parents(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """The overview of who looked, as a PDF to give to the parents."""
    from schoolzorg.audit.parents import render_pdf

    pupil = _opened_pupil(
        request, pupil_id, action=Action.PRINT, detail="overzicht wie keek, voor de ouders"
    )
    response = HttpResponse(render_pdf(pupil, printed_by=request.user), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="wie-keek-{pupil.pk}.pdf"'
    return response


@never_cache
@login_required
def pupil_changes(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil = _opened_pupil(request, pupil_id, detail="wijzigingen bekeken")
    changes = history.pupil_changes(pupil.pk, limit=200)
    return render(request, "audit/pupil_changes.html", {"pupil": pupil, "changes": changes})


@never_cache
@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Changes to memberships and organisations: who got which role, for the access review."""
    basis, scope = _require_officer(request)
    entries = policies.scoped_changes(scope, limit=200)
    _log_reading(request, basis, "wijzigingen accounts, rollen en organisaties")
    return render(request, "audit/changes.html", {"changes": entries})


@never_cache
@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    if not can_break_glass(request.user):
        raise Http404
    return _break_glass(request)


@require_recent_auth
def _break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = list(
            Pupil.objects.filter(
                first_name__iexact=data["first_name"].strip(),
                last_name__iexact=data["last_name"].strip(),
                date_of_birth=data["date_of_birth"],
            )[:2]
        )
        if len(matches) != 1:
            form.add_error(
                None,
                "Er is geen leerling (of meer dan één) met precies deze naam en geboortedatum. "
                "Controleer de gegevens.",
            )
        else:
            pupil = matches[0]
            try:
                grant, new = services.grant_break_glass(
                    request.user,
                    pupil_id=pupil.pk,
                    pupil_label=str(pupil),
                    reason=data["reason"],
                    membership=policies.break_glass_membership(request.user),
                    request=request,
                    form_token=data["form_token"],
                )
            except services.AuditError as exc:
                message = str(exc)
                form.add_error("reason" if message == services.REASON_TOO_SHORT else None, message)
            else:
                if new:
                    messages.warning(
                        request,
                        f"Noodtoegang geopend voor {services.BREAK_GLASS_MINUTES} minuten. "
                        "De privacyfunctionaris beoordeelt dit.",
                    )
                else:  # the form sent twice, or a grant for this pupil still open
                    until = timezone.localtime(grant.expires_at)
                    messages.info(
                        request,
                        f"U hebt al noodtoegang tot dit dossier, tot {until:%H:%M}. "
                        "Er is geen tweede noodtoegang geopend.",
                    )
                return redirect("pupils:detail", pk=pupil.pk)
    return render(
        request,
        "audit/break_glass.html",
        {"form": form, "minutes": services.BREAK_GLASS_MINUTES},
        status=answer_status(form),
    )


@never_cache
@login_required
def break_glass_reviews(request: HttpRequest) -> HttpResponse:
    basis, scope = _require_officer(request)
    return _reviews_page(request, basis, scope)


def _reviews_page(
    request: HttpRequest,
    basis: Basis,
    scope: policies.Scope,
    *,
    sent: ReviewForm | None = None,
    sent_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The list of grants to review; `sent` is a review sent with a mistake, shown again at its
    grant with the chosen verdict and the typed note."""
    grants = (
        policies.scoped_grants(scope)
        .select_related("user", "reviewed_by")
        .order_by("reviewed_at", "-granted_at")[:200]
    )
    _log_reading(request, basis, "noodtoegang: beoordelingslijst")
    context = {
        "grants": grants,
        "form": ReviewForm(),
        "sent": sent,
        "sent_pk": sent_pk,
        "sent_verdict": sent.data.get("verdict", "") if sent is not None else "",
        "sent_note": sent.data.get("note", "") if sent is not None else "",
    }
    return render(request, "audit/break_glass_reviews.html", context, status=status)


@never_cache
@login_required
@require_POST
def break_glass_review(request: HttpRequest, pk: int) -> HttpResponse:
    basis, scope = _require_officer(request)
    grant = policies.scoped_grants(scope).filter(pk=pk).first()
    if grant is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        if grant.reviewed_at is not None:
            messages.error(request, "Deze noodtoegang is al beoordeeld.")
            return redirect("audit:break_glass_reviews")
        # The page again with the mistake at the grant; the note and the verdict stay.
        return _reviews_page(request, basis, scope, sent=form, sent_pk=grant.pk, status=400)
    try:
        services.review_break_glass(
            grant,
            by=request.user,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except services.AuditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "De beoordeling is vastgelegd.")
    return redirect("audit:break_glass_reviews")


def week_before_log(first: dt.date) -> str:
    return (
        f"Het logboek begint in de week van {dates.numeric(first)}. U ziet die week; "
        "eerdere weken zijn er niet."
    )


def week_refused(first: dt.date, shown: dt.date, *, readable: bool) -> str:
    """Why the asked week is not shown, the weeks that can be, and which week is shown, named
    as this week or last week too, so the words and the heading agree."""
    why = "Die week is nog niet begonnen." if readable else "Die datum kunnen we niet lezen."
    this_week = week_of(timezone.localdate())
    if shown == this_week:
        which = f"deze week, de week van {dates.numeric(shown)}"
    elif shown == this_week - dt.timedelta(days=7):
        which = f"vorige week, de week van {dates.numeric(shown)}"
    else:
        which = f"de week van {dates.numeric(shown)}"
    return (
        f"{why} Kies een week van de week van {dates.numeric(first)} tot en met deze week "
        f"(de week van {dates.numeric(this_week)}). U ziet nu {which}."
    )


def _week_param(request: HttpRequest, value: str | None, first: dt.date) -> dt.date:
    """The Monday of the asked week; last week when none (no earlier than `first`, the week of
    the log's first entry). A week after this one shows this one, the nearest that can be
    shown; a value that is no date shows last week; a week before `first` shows `first`; each
    with a message that says so."""
    this_week = week_of(timezone.localdate())
    last_week = max(first, this_week - dt.timedelta(days=7))
    if not value:
        return last_week
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        messages.error(request, week_refused(first, last_week, readable=False))
        return last_week
    if day >= this_week + dt.timedelta(days=7):
        messages.error(request, week_refused(first, this_week, readable=True))
        return this_week
    if day < first:
        messages.info(request, week_before_log(first))
        return first
    return week_of(day)


@never_cache
@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    basis, scope = _require_officer(request)
    owner = _owner(scope, request.GET.get("organisatie"))
    first = first_log_week()
    week_start = _week_param(request, request.GET.get("week"), first)
    report = weekly_report(week_start, scope.only(owner.pk))
    signals = report.signals(None if request.GET.get("alle") == "1" else SIGNALS_SHOWN)
    review = services.week_review(week_start, owner.pk)
    basis = _officer_basis(request, owner.pk)  # in the name of that organisation
    _log_reading(request, basis, f"weekrapport {week_start.isoformat()} organisatie {owner.pk}")
    owners = scope.owner_ids
    return render(
        request,
        "audit/weekly.html",
        {
            "report": report,
            "signals": signals,
            "all_url": f"?week={week_start.isoformat()}&organisatie={owner.pk}&alle=1",
            "review": review,
            "owner": owner,
            "scope_text": scope.describe(owner),
            "owners": Organisation.objects.filter(pk__in=owners) if len(owners) > 1 else [],
            "form": SignOffForm(),
            "previous": week_start - dt.timedelta(days=7) if week_start > first else None,
            "next": week_start + dt.timedelta(days=7),
            "is_running": not services.week_is_over(week_start),
            "has_next": week_start < week_of(timezone.localdate()),
        },
    )


@never_cache
@login_required
@require_POST
def weekly_sign_off(request: HttpRequest, week: str) -> HttpResponse:
    _basis, scope = _require_officer(request)
    try:
        week_start = dt.date.fromisoformat(week)
    except ValueError as exc:
        raise Http404 from exc
    owner = _owner(scope, request.POST.get("organisatie"))
    first = first_log_week()
    if week_start < first:
        messages.error(request, week_before_log(first))
        return redirect(f"{reverse('audit:weekly')}?{urlencode({'organisatie': owner.pk})}")
    form = SignOffForm(request.POST)
    query = urlencode({"week": week_start.isoformat(), "organisatie": owner.pk})
    url = f"{reverse('audit:weekly')}?{query}"
    if not form.is_valid():
        messages.error(request, "De opmerking is te lang.")
        return redirect(url)
    if not services.week_is_over(week_start):
        messages.error(request, services.WEEK_NOT_OVER)
        return redirect(url)
    try:
        services.sign_off_week(
            week_start,
            organisation_id=owner.pk,
            organisation_label=owner.name,
            by=request.user,
            note=form.cleaned_data["note"],
            findings=weekly_report(week_start, scope.only(owner.pk)).findings(),
        )
    except services.AuditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "De week is afgetekend.")
    return redirect(url)
