"""Case pages: thin views that fetch through `visible_to`, call a service and render.

Every page with pupil data is never cached and writes its read-log entry in the same
transaction as the read. Missing and forbidden both answer 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.accounts.models import User
from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import Action as LogAction
from schoolzorg.audit.services import Basis, Read, record_access, record_accesses
from schoolzorg.cases import exports, policies, services
from schoolzorg.cases.forms import (
    ConcernForm,
    ConsultationForm,
    ContactFormForm,
    ConvertForm,
    ConvertSearchForm,
    CoordinatorForm,
    DocumentForm,
    NoteForm,
    SchoolContactForm,
    StatusForm,
)
from schoolzorg.cases.models import (
    RAISER_EVENT_KINDS,
    AnonymousConsultation,
    Case,
    CaseDocument,
    Category,
    SocialWorkContact,
)
from schoolzorg.cases.registrations import coordinator_basis
from schoolzorg.cases.workflow import CaseStatus, next_statuses
from schoolzorg.consent.models import Consent
from schoolzorg.consent.relationships import named_among
from schoolzorg.lib import dates, paging, targets
from schoolzorg.lib.converters import parse_id
from schoolzorg.lib.forms import answer_status
from schoolzorg.lib.urls import url_for
from schoolzorg.organisations.models import School, SocialWorkProvider
from schoolzorg.pupils.access import (
    access_basis,
    active_memberships,
    personal_basis,
    prepared_for_user,
    relationships_of,
)
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.reads import log_named

LIST_LIMIT = 200
# The roles of people who can be named coordinator of a case at a school; of them, the lists
# offer only those who may open the child's file (`coordinators_for`).
COORDINATOR_ROLES = (
    Role.SUPPORT_COORDINATOR,
    Role.SCHOOL_SOCIAL_WORKER,
    Role.PARTNERSHIP_CONTACT,
    Role.NEIGHBOURHOOD_TEAM_WORKER,
    Role.NEIGHBOURHOOD_TEAM_CONTACT,
    Role.YOUTH_HEALTH_NURSE,
    Role.TEACHER,
)


def coordinator_candidates(school_id: int) -> list[User]:
    """The people who can be named coordinator at a school, by name, each with what they are
    there (`roles_here`: "Intern begeleider / zorgcoördinator, OBS De Regenboog"), so that a
    choice of names says who is who."""
    from schoolzorg.accounts.models import Membership

    memberships = (
        Membership.objects.active()
        .filter(Q(organisation_id=school_id) | Q(school_id=school_id), role__in=COORDINATOR_ROLES)
        .filter(user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user_id", "role", "pk")
    )
    people: dict[int, User] = {}
    for m in memberships:
        person = people.setdefault(m.user_id, m.user)
        roles: list[str] = person.__dict__.setdefault("roles_here", [])
        role = f"{m.get_role_display()}, {m.organisation.name}"
        if role not in roles:
            roles.append(role)
    return list(people.values())


def coordinators_for(pupil: Pupil, school_id: int) -> list[User]:
    """Who may be named coordinator of a case about this pupil at this school: the people with a
    coordinator role at or for the school whom the rule for everyone named around a child lets
    open the file (`consent.relationships.named_among`): the school's own people, and an outside
    professional (a nurse, a neighbourhood-team worker) only with consent or a legal basis."""
    return named_among(coordinator_candidates(school_id), pupil)


def _list_basis(user: Any, case: Case, case_schools: set[int], names: dict[int, str]) -> Basis:
    """The basis of a list row: the school role, else the relationship that lets the user see
    the pupil (`names`, found for the whole list at once), in the role and organisation the user
    holds at or for the case's school. Being the case's coordinator is one of those
    relationships: it opens the file only with the school, a consent or a legal basis. A case
    of a pupil who left its school is listed only for the school's support coordinator, as the
    custodian of the school's file (`policies.custodian_basis`)."""
    if policies.has_left_school(case):
        custodian = policies.custodian_basis(user, case)
        if custodian is not None:
            return custodian
    if case.school_id in case_schools:
        for m in active_memberships(user):
            if m.served_school_id == case.school_id:
                return Basis(
                    "membership", m.role, m.organisation_id, m.organisation.name, str(m.pk)
                )
    name = names.get(case.pupil_id)
    if name is None or name == "case":
        return coordinator_basis(user, case)
    found = personal_basis(user, name, str(case.pk), school_id=case.school_id)
    return found or coordinator_basis(user, case)


def log_list_reads(request: HttpRequest, cases: list[Case], detail: str) -> None:
    """One read-log entry per pupil shown in a list, written in one insert. The rows no school
    role explains cost one query per kind of relationship, not per row."""
    user = request.user
    schools = policies.case_role_school_ids(user)
    rest = [c.pupil_id for c in cases if c.school_id not in schools]
    names = relationships_of(user, rest) if rest else {}
    record_accesses(
        request,
        (Read(c.pupil_id, _list_basis(user, c, schools, names), c) for c in cases),
        action=LogAction.VIEW,
        detail=detail,
    )


def get_visible_case(request: HttpRequest, pk: int) -> Case:
    case = (
        Case.objects.visible_to(request.user)
        .select_related("pupil", "school", "coordinator", "raised_by", "social_worker")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _basis_for(request: HttpRequest, case: Case) -> Basis | None:
    """The read's basis: the relationship with the pupil for a case of the pupil's current
    school; for a case of a school the pupil left, the school's custodian (`school_file`)."""
    if policies.has_left_school(case):
        return policies.custodian_basis(request.user, case)
    found = access_basis(request.user, case.pupil)
    return found[0] if found else None


# --- List ---------------------------------------------------------------------------------

# The columns `cases/list.html` and `log_list_reads` use: a list row needs no case text.
LISTING_FIELDS = (
    "pupil_id",
    "school_id",
    "coordinator_id",
    "category",
    "urgency",
    "status",
    "opened_at",
    "pupil__first_name",
    "pupil__last_name",
    # `access_basis` reads these for a row no school role explains (log_list_reads).
    "pupil__current_school_id",
    "pupil__current_group",
    "school__name",
    "coordinator__full_name",
    "coordinator__email",
)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the case list, ready to print (the template only prints; as the referral
    lists, where Django's template engine spent twice as long looking these up per row)."""

    url: str
    pupil: str
    urgency: str
    school: str
    category: str
    status: str
    coordinator: str
    opened: str


def _table(cases: list[Case]) -> list[Row]:
    case_url = url_for("cases:detail")
    return [
        Row(
            url=case_url(c.pk),
            pupil=f"{c.pupil.first_name} {c.pupil.last_name}",
            urgency=c.urgency,
            school=c.school.name,
            category=str(c.get_category_display()),
            status=str(c.get_status_display()),
            coordinator=(str(c.coordinator) if c.coordinator else "") or "nog niet gekozen",
            opened=dates.numeric(timezone.localtime(c.opened_at)),
        )
        for c in cases
    ]


# The status filter's values: open cases (the default), one status, or every case.
STATE_FILTERS = frozenset({"open", "all", *CaseStatus.values})
# The status choices that are not a status, as the tab title names them.
FILTER_TITLES = {"open": "alle open casussen", "all": "alles"}


@prepared_for_user(shape=("state",))
def _listing(user: Any, state: str, school_id: int | None, page: paging.Page) -> QuerySet[Case]:
    """The rows of the case list, compiled once per state filter and access key."""
    qs = (
        Case.objects.visible_to(user)
        .select_related("pupil", "school", "coordinator")
        .only(*LISTING_FIELDS)
    )
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    if state == "open":
        qs = qs.open()
    elif state in CaseStatus.values:
        qs = qs.filter(status=state)
    return qs.order_by("-opened_at", "-pk")[page.window]


@never_cache
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user may see, optionally for one school and open or closed."""
    school_ids = sorted(policies.case_role_school_ids(request.user))
    schools = list(School.objects.filter(pk__in=school_ids).only("pk", "name"))
    school_filter = request.GET.get("school", "")
    state = request.GET.get("status", "open")
    if state not in STATE_FILTERS:
        # An old bookmark or a typed address: show what the form then shows, and say so.
        messages.info(request, "Die keuze bij Status kennen we niet. U ziet alle open casussen.")
        state = "open"
    page = paging.requested(request)
    school_id = next((pk for pk in school_ids if str(pk) == school_filter), None)
    cases, page = paging.cut(
        _listing(user=request.user, state=state, school_id=school_id, page=page),
        page,
    )
    log_list_reads(request, cases, "casuslijst")
    # The tab title names the choice and page, so two tabs or two history entries of this list
    # can be told apart (WCAG 2.4.2).
    shown = [FILTER_TITLES.get(state) or str(CaseStatus(state).label).lower()]
    shown += [s.name for s in schools if s.pk == school_id]
    if page.number > 1:
        shown.append(f"pagina {page.number}")
    return render(
        request,
        "cases/list.html",
        {
            "cases": cases,
            "rows": _table(cases),
            "schools": schools,
            "school_filter": school_filter,
            "state": state,
            "statuses": CaseStatus.choices,
            "page": page,
            "title": ", ".join(shown),
            "can_consult": bool(school_ids),
        },
    )


# --- Register -----------------------------------------------------------------------------


@never_cache
@login_required
def register(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil = Pupil.objects.filter(pk=pupil_pk).select_related("current_school").first()
    if pupil is None or not policies.can_register_concern(request.user, pupil):
        raise Http404
    found = access_basis(request.user, pupil)
    assert found is not None
    is_case_staff = pupil.current_school_id in policies.case_role_school_ids(request.user)
    candidates = coordinators_for(pupil, pupil.current_school_id) if is_case_staff else None  # type: ignore[arg-type]
    form = ConcernForm(request.POST or None, coordinators=candidates, pupil=pupil)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coordinator = None
        if data.get("coordinator"):
            coordinator = next((u for u in candidates or [] if u.pk == data["coordinator"]), None)
        try:
            with transaction.atomic():
                case, is_new = services.register_concern_once(
                    pupil,
                    form_token=data["form_token"] or uuid.uuid4(),
                    category=data["category"],
                    description=data["description"],
                    raised_by_label=data["raised_by_label"],
                    urgency=data["urgency"],
                    coordinator=coordinator,
                    by=request.user,
                )
                if is_new:
                    record_access(
                        request,
                        action=LogAction.CREATE,
                        pupil_id=pupil.pk,
                        basis=found[0],
                        obj=case,
                        detail="zorg gemeld",
                    )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            if is_new:
                messages.success(request, "De zorg is gemeld. Het schoolzorgteam is op de hoogte.")
            else:
                messages.info(
                    request, "Deze zorg was al gemeld; er is geen tweede melding gemaakt."
                )
            if Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
                return redirect("cases:detail", case.pk)
            return redirect("pupils:detail", pupil.pk)
    record_access(
        request, action=LogAction.VIEW, pupil_id=pupil.pk, basis=found[0], detail="zorg melden"
    )
    # The concern may already be in a running case: a note there reaches who works on it, a
    # second case would split the file. Only cases the user may open are named.
    school_id = pupil.current_school_id
    running = (
        list(
            Case.objects.visible_to(request.user)
            .open()
            .filter(pupil_id=pupil.pk, school_id=school_id)
            .order_by("opened_at", "pk")
        )
        if school_id is not None
        else []
    )
    return render(
        request,
        "cases/register.html",
        {"pupil": pupil, "form": form, "running": running},
        status=answer_status(form),
    )


# --- Detail -------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_manage = policies.can_manage_case(user, case)
    can_note = policies.can_add_note(user, case)
    can_contact = policies.can_record_contact(user, case)
    # The whole file with the pupil's full file (`Case.objects.whole_visible_to`'s rule); the
    # access rule is cached for the request, so this asks the database nothing more. A case of
    # a school the pupil left is seen only by that school's support coordinator, whole and read
    # only, without the pupil's page or plan (`policies.has_left_school`).
    left = policies.has_left_school(case)
    found = None if left else access_basis(user, case.pupil)
    pupil_full = found is not None and found[1]
    whole = pupil_full or left
    events_qs = case.events.select_related("by", "document").order_by("-at", "-id")
    if not whole:
        events_qs = events_qs.filter(Q(kind__in=RAISER_EVENT_KINDS) | Q(by=user))
    events = list(events_qs)
    # A line's link (a meeting, a plan) is shown only when the reader may open that page.
    links = targets.openable(user, (e.url for e in events if e.url and not e.document_id))
    documents = list(case.documents.select_related("uploaded_by")) if whole else []
    contacts = (
        list(case.contacts.select_related("worker").order_by("-contact_on", "-id")) if whole else []
    )
    candidates = coordinators_for(case.pupil, case.school_id) if can_manage and case.is_open else []
    allowed = next_statuses(case.status) if can_manage else []
    plan_part = None
    try:
        from schoolzorg.plans.models import PlanPart

        if pupil_full:
            plan_part = (
                PlanPart.objects.filter(pupil_id=case.pupil_id).select_related("plan").first()
            )
    except ImportError:  # pragma: no cover
        pass
    context: dict[str, Any] = {
        "case": case,
        "whole": whole,
        "left": left,
        "pupil_page": found is not None,
        "events": events,
        "links": links,
        "documents": documents,
        "contacts": contacts,
        "minutes_total": sum(c.minutes for c in contacts),
        "can_manage": can_manage,
        "can_note": can_note,
        "can_contact": can_contact,
        "plan_part": plan_part,
        "note_form": NoteForm(),
        "status_form": StatusForm(initial={"expected": case.status}, allowed=allowed)
        if allowed
        else None,
        "coordinator_form": CoordinatorForm(
            initial={"coordinator": case.coordinator_id, "expected": case.coordinator_id or ""},
            coordinators=candidates,
            pupil=case.pupil,
        )
        if can_manage and case.is_open
        else None,
        "document_form": DocumentForm() if can_manage else None,
        "contact_form": ContactFormForm(initial={"contact_on": timezone.localdate()})
        if can_contact
        else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def _render_detail(
    request: HttpRequest, case: Case, status: int = 200, **forms: Any
) -> HttpResponse:
    record_access(
        request,
        action=LogAction.VIEW,
        pupil_id=case.pupil_id,
        basis=_basis_for(request, case),
        obj=case,
        detail="casus",
    )
    context = _detail_context(request, case, **forms)
    return render(request, "cases/detail.html", context, status=status)


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_case(request, pk)
    return _render_detail(request, case)


@never_cache
@login_required
@require_POST
def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_case(request, pk)
    if not policies.can_add_note(request.user, case):
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_case_event(
                case,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                by=request.user,
                form_token=form.cleaned_data["form_token"],
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "De notitie staat op de tijdlijn.")
            return redirect("cases:detail", case.pk)
    return _render_detail(request, case, 400, note_form=form)


def _sent_again(
    request: HttpRequest, form_class: type[Any], expected: Any, message: str, **kwargs: Any
) -> Any:
    """A form sent from a stale screen, shown again with what the user chose and typed.

    Only `expected` moves on to what the case shows now, so that sending it again is a
    deliberate choice after reading the change (as the plan editor keeps its text on a 409).
    """
    data = request.POST.copy()
    data["expected"] = "" if expected is None else str(expected)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form


@never_cache
@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_case(request, pk)
    if not policies.can_manage_case(request.user, case):
        raise Http404
    expected = request.POST.get("expected", case.status)
    form = StatusForm(
        request.POST,
        allowed=next_statuses(expected if expected in CaseStatus.values else case.status),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_case_status(
                case,
                to=data["to"],
                expected=data["expected"],
                outcome=data["outcome"],
                outcome_note=data["outcome_note"],
                by=request.user,
            )
        except services.StaleState:
            return _stale_status(request, pk)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"De status is nu: {case.get_status_display()}.")
            return redirect("cases:detail", case.pk)
    elif expected != case.status:
        return _stale_status(request, pk)
    return _render_detail(request, case, 400, status_form=form)


def _stale_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone changed the status since the screen was drawn: 409, the case as it is now, and
    the status form with the user's choice, outcome and explanation still in it."""
    case = get_visible_case(request, pk)
    message = (
        f"{services.STALE_MESSAGE} Wat u koos en typte, staat hieronder nog. "
        "Het is niet opgeslagen."
    )
    allowed = next_statuses(case.status)
    form = _sent_again(request, StatusForm, case.status, message, allowed=allowed)
    return _render_detail(request, case, 409, status_form=form)


@never_cache
@login_required
@require_POST
def set_coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_case(request, pk)
    if not policies.can_manage_case(request.user, case):
        raise Http404
    candidates = coordinators_for(case.pupil, case.school_id)
    form = CoordinatorForm(request.POST, coordinators=candidates, pupil=case.pupil)
    if form.is_valid():
        chosen = next(u for u in candidates if u.pk == form.cleaned_data["coordinator"])
        try:
            services.name_coordinator(
                case,
                coordinator=chosen,
                expected=form.cleaned_data["expected"],
                by=request.user,
            )
        except services.StaleState as exc:
            case = get_visible_case(request, pk)
            if not case.is_open:  # closed meanwhile: there is no coordinator to choose
                messages.error(request, str(exc))
                return _render_detail(request, case, 409)
            form = _sent_again(
                request,
                CoordinatorForm,
                case.coordinator_id,
                str(exc),
                coordinators=candidates,
                pupil=case.pupil,
            )
            return _render_detail(request, case, 409, coordinator_form=form)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{chosen} is nu regisseur.")
            return redirect("cases:detail", case.pk)
    elif "expected" in form.errors:
        messages.error(request, " ".join(map(str, form.errors["expected"])))
        return redirect("cases:detail", case.pk)
    return _render_detail(request, case, 400, coordinator_form=form)


@never_cache
@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_case(request, pk)
    if not policies.can_manage_case(request.user, case):
        raise Http404
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                case,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
                max_bytes=settings.UPLOAD_MAX_BYTES,
                form_token=form.cleaned_data["form_token"],
            )
        except services.CaseError as exc:
            kept = " Uw omschrijving is bewaard." if form.cleaned_data["description"] else ""
            form.add_error("file", f"{exc}{kept} Kies het bestand opnieuw.")
        else:
            messages.success(request, "Het document is toegevoegd.")
            return redirect("cases:detail", case.pk)
    return _render_detail(request, case, 400, document_form=form)


@never_cache
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    document = (
        CaseDocument.objects.filter(pk=pk, case__in=Case.objects.whole_visible_to(request.user))
        .select_related("case__pupil")
        .first()
    )
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    record_access(
        request,
        action=LogAction.DOWNLOAD,
        pupil_id=document.case.pupil_id,
        basis=_basis_for(request, document.case),
        obj=document,
        # The file's name can name the child or the worry; the log keeps the document's id.
        detail="document",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
@login_required
@require_POST
def add_contact(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_case(request, pk)
    if not policies.can_record_contact(request.user, case):
        raise Http404
    form = ContactFormForm(request.POST)
    membership = next(
        m
        for m in policies.social_work_memberships(request.user)
        if m.served_school_id == case.school_id
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_contact(
                worker=request.user,
                school=case.school,
                provider=SocialWorkProvider.objects.get(pk=membership.organisation_id),
                contact_on=data["contact_on"],
                form=data["form"],
                with_whom=data["with_whom"],
                minutes=data["minutes"],
                note=data["note"],
                case=case,
                form_token=data["form_token"],
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Het contact is geregistreerd.")
            return redirect("cases:detail", case.pk)
    return _render_detail(request, case, 400, contact_form=form)


# --- School social work -------------------------------------------------------------------


@never_cache
@login_required
def caseload(request: HttpRequest, contact_form: Any = None, status: int = 200) -> HttpResponse:
    """The school social worker's open cases with contacts and minutes (fixed query count)."""
    memberships = policies.social_work_memberships(request.user)
    if not memberships:
        raise Http404
    cases = list(
        Case.objects.visible_to(request.user)
        .caseload_of(request.user)
        .select_related("pupil", "school")
        .annotate(
            contact_count=Count("contacts"),
            minutes_total=Sum("contacts__minutes"),
            last_contact_on=Max("contacts__contact_on"),
        )
        .order_by("school__name", "opened_at")[:LIST_LIMIT]
    )
    log_list_reads(request, cases, "dossierlijst SMW")
    today = timezone.localdate()
    month_minutes = (
        SocialWorkContact.objects.filter(
            worker_id=request.user.pk, contact_on__year=today.year, contact_on__month=today.month
        ).aggregate(total=Sum("minutes"))["total"]
        or 0
    )
    return render(
        request,
        "cases/caseload.html",
        {
            "cases": cases,
            "month_hours": round(month_minutes / 60, 1),
            "today": today,
            "contact_form": contact_form
            or SchoolContactForm(
                schools=_served_schools(memberships), initial={"contact_on": today}
            ),
        },
        status=status,
    )


def _served_schools(memberships: list[Any]) -> list[School]:
    ids = {m.served_school_id for m in memberships}
    return list(School.objects.filter(pk__in=ids).order_by("name"))


@never_cache
@login_required
@require_POST
def add_school_contact(request: HttpRequest) -> HttpResponse:
    """A contact without a case: a consultation with teachers, a class visit, a call."""
    memberships = policies.social_work_memberships(request.user)
    if not memberships:
        raise Http404
    form = SchoolContactForm(request.POST, schools=_served_schools(memberships))
    if form.is_valid():
        data = form.cleaned_data
        membership = next(m for m in memberships if m.served_school_id == data["school"])
        try:
            services.record_contact(
                worker=request.user,
                school=School.objects.get(pk=data["school"]),
                provider=SocialWorkProvider.objects.get(pk=membership.organisation_id),
                contact_on=data["contact_on"],
                form=data["form"],
                with_whom=data["with_whom"],
                minutes=data["minutes"],
                note=data["note"],
                form_token=data["form_token"],
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Het contact is geregistreerd.")
            return redirect("cases:caseload")
    return caseload(request, contact_form=form, status=400)


def _export_providers(user: Any) -> list[SocialWorkProvider]:
    """Providers whose hours the user may see: the service desk sees every provider in its
    municipality, a provider's own social workers and administrators see their provider."""
    ids: set[int] = set()
    desk_municipalities: set[int | None] = set()
    for m in active_memberships(user):
        if m.role == Role.SERVICE_DESK_COORDINATOR:
            desk_municipalities.add(m.organisation.municipality_id)
        if m.role in (Role.SCHOOL_SOCIAL_WORKER, Role.FUNCTIONAL_ADMIN) and (
            m.organisation.kind == "social_work_provider"
        ):
            ids.add(m.organisation_id)
    q = Q(pk__in=ids)
    if desk_municipalities:
        if None in desk_municipalities:
            q |= Q(pk__isnull=False)
        else:
            q |= Q(municipality_id__in=desk_municipalities)
    if not ids and not desk_municipalities:
        return []
    return list(SocialWorkProvider.objects.filter(q).order_by("name"))


@never_cache
@login_required
def hours(request: HttpRequest) -> HttpResponse:
    """Hours per school per month, per provider; aggregated, without children's names."""
    providers = _export_providers(request.user)
    if not providers:
        raise Http404
    months = exports.month_window(request.GET.get("maanden", "6"))
    rows = exports.hours_rows([p.pk for p in providers], months[0], months[-1])
    return render(
        request,
        "cases/hours.html",
        {"providers": providers, "rows": rows, "months": months, "month_choices": [3, 6, 12, 24]},
    )


@never_cache
@login_required
def export_hours(request: HttpRequest, provider_pk: int, fmt: str) -> HttpResponse:
    providers = {p.pk: p for p in _export_providers(request.user)}
    provider = providers.get(provider_pk)
    if provider is None or fmt not in ("xlsx", "csv"):
        raise Http404
    months = exports.month_window(request.GET.get("maanden", "12"))
    rows = exports.hours_rows([provider.pk], months[0], months[-1])
    with transaction.atomic():
        # No pupil data in this file; the export itself is still logged.
        record_access(
            request,
            action=LogAction.EXPORT,
            pupil_id=None,
            basis=None,
            obj=provider,
            detail=f"uren SMW {fmt} {months[0]:%Y-%m} t/m {months[-1]:%Y-%m}",
        )
    filename = f"uren-smw-{provider.pk}-{months[0]:%Y%m}-{months[-1]:%Y%m}.{fmt}"
    if fmt == "csv":
        body = exports.hours_csv(provider, rows)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        body_bytes = exports.hours_xlsx(provider, rows)
        response = HttpResponse(
            body_bytes,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Anonymous consultations --------------------------------------------------------------


def _consult_schools(user: Any) -> list[School]:
    return list(School.objects.filter(pk__in=policies.case_role_school_ids(user)).order_by("name"))


@never_cache
@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    schools = _consult_schools(request.user)
    if not schools:
        raise Http404
    items = list(
        AnonymousConsultation.objects.visible_to(request.user)
        .select_related("school", "recorded_by", "case")
        .order_by("-held_on", "-id")[:LIST_LIMIT]
    )
    since = (timezone.localdate().replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    counts = list(
        AnonymousConsultation.objects.visible_to(request.user)
        .filter(held_on__gte=since)
        .annotate(month=TruncMonth("held_on"))
        .values("school__name", "month")
        .annotate(n=Count("id"))
        .order_by("school__name", "-month")
    )
    return render(
        request,
        "cases/consultations.html",
        {"items": items, "counts": counts, "categories": dict(Category.choices)},
    )


@never_cache
@login_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    schools = _consult_schools(request.user)
    if not schools:
        raise Http404
    form = ConsultationForm(
        request.POST or None, schools=schools, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = next(s for s in schools if s.pk == data["school"])
        try:
            services.record_consultation(
                school=school,
                category=data["category"],
                summary=data["summary"],
                held_on=data["held_on"],
                participants=data["participants"],
                advice=data["advice"],
                by=request.user,
                form_token=data["form_token"],
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Het anonieme consult is vastgelegd.")
            return redirect("cases:consultations")
    return render(
        request, "cases/consultation_form.html", {"form": form}, status=answer_status(form)
    )


# A search on the convert page lists at most this many pupils, and says so when more match.
CONVERT_LIMIT = 20


def _convertible(user: Any, consultation: AnonymousConsultation) -> Any:
    """The pupils a consultation can become a case about: of its school, seen by the user, with
    a complete consent to discuss them in the care team in force today (the service's rule)."""
    return (
        Pupil.objects.visible_to(user)
        .filter(current_school_id=consultation.school_id)
        .filter(Exists(Consent.objects.to_discuss().filter(pupil=OuterRef("pk"))))
    )


@never_cache
@login_required
def consultation_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the pupil a consultation was about and open a case. The page lists only the pupils
    whose name matches a search (each logged as a search read), never the whole school: a
    consultation is about one child, and reading all the others' names serves no purpose."""
    consultation = get_object_or_404(
        AnonymousConsultation.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    has_case = hasattr(consultation, "case")
    search = ConvertSearchForm(request.POST if request.method == "POST" else request.GET)
    # Once converted, the page offers no search: it names no pupil at all.
    text = search.cleaned_data["zoek"].strip() if search.is_valid() and not has_case else ""
    convertible = _convertible(request.user, consultation)
    found = (
        list(convertible.search(text).order_by("last_name", "first_name")[: CONVERT_LIMIT + 1])
        if text
        else []
    )
    matches = found[:CONVERT_LIMIT]
    chosen = None
    if request.method == "POST":
        chosen_pk = parse_id(request.POST.get("pupil", ""))
        chosen = convertible.filter(pk=chosen_pk).first() if chosen_pk is not None else None
    choices = matches + ([chosen] if chosen is not None and chosen not in matches else [])
    form = ConvertForm(request.POST or None, pupils=choices)
    if request.method == "POST" and form.is_valid():
        pupil = next(p for p in choices if p.pk == form.cleaned_data["pupil"])
        try:
            with transaction.atomic():
                case = services.convert_consultation(
                    consultation, pupil=pupil, by=request.user, urgency=form.cleaned_data["urgency"]
                )
                found_basis = access_basis(request.user, pupil)
                record_access(
                    request,
                    action=LogAction.CREATE,
                    pupil_id=pupil.pk,
                    basis=found_basis[0] if found_basis else None,
                    obj=case,
                    detail="anoniem consult omgezet",
                )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Het consult is nu een casus.")
            return redirect("cases:detail", case.pk)
    log_named(
        request,
        ((p, consultation) for p in choices),
        detail="consult omzetten: zoekresultaat",
        action=LogAction.SEARCH,
    )
    return render(
        request,
        "cases/consultation_convert.html",
        {
            "consultation": consultation,
            "search_form": search,
            "text": text,
            "form": form,
            "shown": choices,
            "cut_off": len(found) > CONVERT_LIMIT,
            "limit": CONVERT_LIMIT,
            "has_case": has_case,
        },
        status=answer_status(form),
    )
