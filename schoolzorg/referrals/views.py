"""Thin views: fetch through `visible_to`, log the read, call a service, render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.accounts.models import Membership
from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import Action
from schoolzorg.audit.services import Basis, Read, record_access, record_accesses
from schoolzorg.consent.policies import can_record_consent
from schoolzorg.lib import dates, paging
from schoolzorg.lib.converters import parse_id
from schoolzorg.lib.forms import answer_status
from schoolzorg.lib.urls import url_for
from schoolzorg.pupils.access import access_basis, active_memberships, prepared_for_user
from schoolzorg.pupils.models import Pupil
from schoolzorg.referrals import forms, policies, services, sharing
from schoolzorg.referrals.access import (
    list_basis,
    referral_basis,
    school_ids,
    school_person_role,
    team_ids,
)
from schoolzorg.referrals.models import OUTGOING_VIEWS, Referral, outgoing_q, team_overdue_q
from schoolzorg.referrals.panels import DESK_FIELDS, desk_referrals, desk_rows
from schoolzorg.referrals.routing import route_for
from schoolzorg.referrals.workflow import (
    DUE_FIELD_BY_STEP,
    EDITABLE_STATES,
    OPEN_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    URGENCY_NORMS,
    State,
    Step,
    Urgency,
    allowed_moves,
    is_allowed,
    urgency_norm,
)


def _visible_pupil(request: HttpRequest, pk: int) -> tuple[Pupil, Basis, bool]:
    pupil = (
        Pupil.objects.filter(pk=pk)
        .select_related("current_school", "home_district", "home_municipality")
        .first()
    )
    found = access_basis(request.user, pupil) if pupil is not None else None
    if pupil is None or found is None:
        raise Http404
    return pupil, found[0], found[1]


def _get(request: HttpRequest, pk: int) -> Referral:
    referral = (
        Referral.objects.visible_to(request.user)
        .filter(pk=pk)
        .select_related("pupil", "school", "team", "assignee", "social_worker", "created_by")
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def _log_list(
    request: HttpRequest, referrals: list[Referral], detail: str, basis: Basis | None = None
) -> None:
    """One read-log entry per pupil shown, written in one query (a list shows names) after the
    rows are read: on SQLite a transaction holds the database's only write lock from its start,
    and holding it while reading made the other workers wait."""
    record_accesses(
        request,
        (
            Read(
                r.pupil_id,
                list_basis(request.user, r) if basis is None else replace(basis, ref=str(r.pk)),
                r,
            )
            for r in referrals
        ),
        action=Action.VIEW,
        detail=detail,
    )


# The columns `referrals/_table.html` and `_log_list` use: a list row needs no document text.
LISTING_FIELDS = (
    "pupil_id",
    "school_id",
    "team_id",
    "assignee_id",
    "social_worker_id",
    "state",
    "urgency",
    "created_at",
    "handover_consent_wait_from",
    *DUE_FIELD_BY_STEP.values(),
    "pupil__first_name",
    "pupil__last_name",
    "school__name",
    "team__name",
    "assignee__full_name",
)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a referral list, ready to print: a list shows 50 of them, and Django's
    template engine spent twice as long looking these up per row as Python does here."""

    url: str
    pupil: str
    school: str
    team: str
    state: str
    urgency: str  # "direct", "snel" or "" (`workflow.UrgencyNorm.tag`)
    assignee: str
    due: str
    overdue: bool
    waits_on_school: bool  # the step waits on the school's consent (`waiting_on_school_q`)


def _table(referrals: list[Referral], today: dt.date) -> list[Row]:
    referral_url = url_for("referrals:detail")
    rows = []
    for r in referrals:
        due = r.current_due_on
        rows.append(
            Row(
                url=referral_url(r.pk),
                pupil=f"{r.pupil.first_name} {r.pupil.last_name}",
                school=r.school.name,
                team=(r.team.name if r.team else "") or "nog niet gekozen",
                state=str(r.get_state_display()),
                urgency=urgency_norm(r.urgency).tag,
                assignee=(r.assignee.full_name if r.assignee else "") or "–",
                due=dates.weekday_short(due) if due else "",
                overdue=due is not None and due < today,
                waits_on_school=(
                    r.state == State.ACKNOWLEDGED and r.handover_consent_wait_from is not None
                ),
            )
        )
    return rows


# The most urgent first (`workflow.UrgencyNorm.rank`), then the earliest deadline.
URGENCY_RANK = Case(
    *(When(urgency=u, then=Value(n.rank)) for u, n in URGENCY_NORMS.items()),
    default=Value(URGENCY_NORMS[Urgency.NORMAL].rank),
)


def _rows(qs: QuerySet[Referral], page: paging.Page) -> QuerySet[Referral]:
    return (
        qs.select_related("pupil", "school", "team", "assignee")
        .only(*LISTING_FIELDS)
        .order_by(URGENCY_RANK, "acknowledge_due_on", "-created_at", "-pk")[page.window]
    )


INBOX_VIEWS = {
    "nieuw": "Nieuw binnengekomen",
    "te-laat": "Termijn verlopen",
    "mijn": "Mijn toeleidingen",
    "alle": "Alle lopende toeleidingen",
}


@prepared_for_user(shape=("view", "teams", "today"))
def _inbox(
    user: Any, view: str, teams: tuple[int, ...], today: dt.date, page: paging.Page
) -> QuerySet[Referral]:
    """The rows of one inbox view, compiled once per view and access key."""
    qs = Referral.objects.visible_to(user).for_team(set(teams))
    if view == "nieuw":
        qs = qs.filter(state=State.SUBMITTED)
    elif view == "te-laat":
        qs = qs.open().filter(team_overdue_q(today))
    elif view == "mijn":
        qs = qs.exclude(state__in=[State.CLOSED, State.DECLINED, State.WITHDRAWN]).filter(
            assignee_id=user.pk
        )
    else:
        qs = qs.open()
    return _rows(qs, page)


@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    teams = team_ids(request.user)
    if not teams:
        return _desk_list(request)
    view = request.GET.get("weergave", "nieuw")
    if view not in INBOX_VIEWS:
        view = "nieuw"
    today = timezone.localdate()
    page = paging.requested(request)
    referrals, page = paging.cut(
        _inbox(user=request.user, view=view, teams=tuple(sorted(teams)), today=today, page=page),
        page,
    )
    _log_list(request, referrals, "toeleidingen: inbox wijkteam")
    return render(
        request,
        "referrals/inbox.html",
        {
            "rows": _table(referrals, today),
            "view": view,
            "views": INBOX_VIEWS,
            "title": INBOX_VIEWS[view],
            "page": page,
        },
    )


def _desk_list(request: HttpRequest) -> HttpResponse:
    """The service desk's list: its municipality's referrals that reached escalation level 4."""
    referrals = desk_referrals(request.user)
    if referrals is None:
        raise Http404
    page = paging.requested(request)
    found, page = paging.cut(
        referrals.select_related("pupil", "school__municipality", "team").only(
            *DESK_FIELDS, "pupil__first_name", "pupil__last_name"
        )[page.window],
        page,
    )
    desk = next(
        m for m in active_memberships(request.user) if m.role == Role.SERVICE_DESK_COORDINATOR
    )
    _log_list(
        request,
        found,
        "toeleidingen: escalaties servicepunt",
        basis=Basis("escalation", desk.role, desk.organisation_id, desk.organisation.name),
    )
    rows = desk_rows(found, timezone.localdate())
    pupils = {r.pk: f"{r.pupil.first_name} {r.pupil.last_name}" for r in found}
    return render(
        request,
        "referrals/desk.html",
        {
            "open_rows": [(row, pupils[row.pk]) for row in rows if row.is_open],
            "done_rows": [(row, pupils[row.pk]) for row in rows if not row.is_open],
            "page": page,
        },
    )


@never_cache
@login_required
def outgoing(request: HttpRequest) -> HttpResponse:
    schools = school_ids(request.user)
    if not schools:
        raise Http404
    view = request.GET.get("weergave", "alle")
    if view not in OUTGOING_VIEWS:
        view = "alle"
    today = timezone.localdate()
    # The same filter as the count on "Mijn werk" that links to this view (`panels._my_work`).
    found = Referral.objects.visible_to(request.user).filter(outgoing_q(view, schools, today))
    page = paging.requested(request)
    referrals, page = paging.cut(_rows(found, page), page)
    _log_list(request, referrals, "toeleidingen: uitgaand")
    return render(
        request,
        "referrals/outgoing.html",
        {
            "rows": _table(referrals, today),
            "view": view,
            "views": OUTGOING_VIEWS,
            "title": OUTGOING_VIEWS[view],
            "page": page,
        },
    )


@never_cache
@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    teams = team_ids(request.user)
    schools = school_ids(request.user)
    if not teams and not schools:
        raise Http404
    contacts_list = list(
        Membership.objects.active()
        .filter(role=Role.NEIGHBOURHOOD_TEAM_CONTACT)
        .filter(Q(organisation_id__in=teams) | Q(school_id__in=schools))
        .select_related("user", "organisation", "school")
        .order_by("school__name", "organisation__name")
    )
    without = services.schools_without_contact(teams)
    return render(
        request, "referrals/contacts.html", {"contacts": contacts_list, "without": without}
    )


@never_cache
@login_required
def start(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil, basis, full = _visible_pupil(request, pupil_pk)
    if not full or pupil.current_school_id not in school_ids(request.user):
        raise Http404
    # Bound on every POST: one without a token (an older page) still makes a draft.
    form = forms.StartForm(request.POST if request.method == "POST" else None)
    others = (
        Referral.objects.visible_to(request.user)
        .filter(pupil=pupil)
        .under_way()
        .select_related("team")
        .order_by("-created_at", "-pk")
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["form_token"]:
        # The draft this form made before (a double click, the back button) is no other one:
        # the service returns it and the user sees the usual success.
        others = others.exclude(form_token=form.cleaned_data["form_token"])
    under_way = others.first()
    if under_way is not None:
        # One referral at a time: a second would reach the team's inbox twice.
        team = under_way.team.name if under_way.team else "het wijkteam"
        messages.info(
            request,
            f"Voor {pupil.first_name} loopt al een toeleiding naar {team} (status "
            f"‘{under_way.get_state_display()}’). U ziet die nu; er is geen tweede gemaakt.",
        )
        if policies.can_edit(request.user, under_way):
            return redirect("referrals:edit", pk=under_way.pk)
        return redirect("referrals:detail", pk=under_way.pk)
    route = route_for(pupil, pupil.current_school)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(
                pupil,
                by=request.user,  # type: ignore[arg-type]
                form_token=form.cleaned_data["form_token"],
            )
        except services.ReferralError as exc:  # the token of another form
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request, "Het concept is gemaakt. Het wordt opgeslagen terwijl u typt."
            )
            return redirect("referrals:edit", pk=referral.pk)
    record_access(
        request,
        action=Action.VIEW,
        pupil_id=pupil.pk,
        basis=basis,
        obj=pupil,
        detail="toeleiding starten",
    )
    return render(
        request,
        "referrals/start.html",
        {"pupil": pupil, "route": route, "form": form},
        status=answer_status(form),
    )


def _move_forms(request: HttpRequest, referral: Referral) -> list[tuple[Any, Any]]:
    """The forms for the moves this user may make now, in table order. Planning the warm
    handover is not offered while it waits on the school's consent: it would be refused, and the
    page says why (`_handover_consent`)."""
    found = []
    waiting = services.waits_on_school(referral)
    for move in allowed_moves(referral.state):
        if move.name == "submit" or not policies.can_move(request.user, referral, move.name):
            continue
        if move.name == "plan_handover" and waiting:
            continue
        found.append((move, _form_for(move.name, referral, None, user=request.user)))
    return found


FORM_BY_MOVE: dict[str, type[forms.SeenStateForm]] = {
    "acknowledge": forms.AcknowledgeForm,
    "plan_handover": forms.PlanHandoverForm,
    "hold_handover": forms.HoldHandoverForm,
    "confirm_first_contact": forms.FirstContactForm,
    "accept": forms.SeenStateForm,
    "return_incomplete": forms.ReturnForm,
    "decline": forms.DeclineForm,
    "withdraw": forms.WithdrawForm,
    "close": forms.CloseForm,
}


def _form_for(
    move: str, referral: Referral, data: Any, kept: dict[str, Any] | None = None, *, user: Any
) -> forms.SeenStateForm:
    """The move's form; `kept` is what the user sent from a stale screen, shown again."""
    cls = FORM_BY_MOVE[move]
    initial: dict[str, Any] = forms.SeenStateForm.seen(referral)
    today = timezone.localdate()
    if kept:
        initial.update({k: v for k, v in kept.items() if not k.startswith("seen_")})
    if move == "acknowledge":
        return forms.AcknowledgeForm(
            data, referral=referral, user=user, initial=initial, prefix=move
        )
    if move == "hold_handover":
        initial.setdefault("held_on", services.likely_hold_day(referral, today))
        return forms.HoldHandoverForm(
            data, initial=initial, prefix=move, planned_on=referral.handover_on, today=today
        )
    if move == "confirm_first_contact":
        initial.setdefault("on", today)
    if move == "plan_handover":
        if referral.handover_on and not kept:
            initial.update(
                on=referral.handover_on,
                place=referral.handover_place,
                participants=referral.handover_participants,
                parents_invited=referral.parents_invited,
            )
        return forms.PlanHandoverForm(
            data,
            initial=initial,
            prefix=move,
            due_on=referral.handover_due_on,
            counts=urgency_norm(referral.urgency).counts,
        )
    return cls(data, initial=initial, prefix=move)


def _detail_context(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """The referral page's context; logs the read (the page shows the pupil's data)."""
    record_access(
        request,
        action=Action.VIEW,
        pupil_id=referral.pupil_id,
        basis=referral_basis(request.user, referral),
        obj=referral,
        detail="toeleiding",
    )
    today = timezone.localdate()
    move_forms = _move_forms(request, referral)
    role = school_person_role(referral)
    shows_content = policies.sees_content(request.user, referral)
    events = list(referral.events.select_related("by"))
    for event in events:
        event.shown = policies.timeline_text(event, shows_content)  # type: ignore[attr-defined]
    escalations = list(referral.escalations.select_related("raised_by"))
    for escalation in escalations:
        escalation.shown_note = policies.escalation_note(escalation, shows_content)  # type: ignore[attr-defined]
    routed = services.as_routed(referral)
    return {
        "referral": referral,
        "today": today,
        # A draft: the team a send would go to now, and the one it went to before.
        "routed": routed,
        "routed_from": (referral.team.name if referral.team else "nog geen wijkteam")
        if routed.team_id != referral.team_id
        else "",
        # The pupil moved to the district of another team (ADR 0401, "A move").
        "moved": services.moved_elsewhere(referral),
        "editable": referral.state in EDITABLE_STATES,
        # The school's person on the referral, by the role they have there: an IB-er who wrote
        # it is not school social work, and stays involved as the school's own.
        "school_person_label": "Schoolmaatschappelijk werk"
        if role == Role.SCHOOL_SOCIAL_WORKER
        else (Role(role).label if role else "Namens de school"),
        "school_person_is_social_worker": role == Role.SCHOOL_SOCIAL_WORKER,
        # Before the warm handover is held: say when no consent for it is recorded, so the
        # school records one before the team plans the conversation (`sharing`).
        "handover_consent": _handover_consent(request, referral, today),
        # Acknowledged without that consent: the school's turn, not the team's (ADR 0401).
        "waits_on_school": services.waits_on_school(referral, today),
        "turn": _turn(referral, today),
        "plan_step": Step.PLAN_HANDOVER.label,
        # Sent, and no longer to be shared with the team: why and since when (ADR 0401).
        "share_end": sharing.share_basis_end(referral, today)
        if referral.submitted_at is not None
        else None,
        "is_team_side": policies.is_team_side(request.user, referral),
        "can_withdraw": any(m.name == "withdraw" for m, _ in move_forms),
        "move_names": [m.name for m, _ in move_forms],
        "events": events,
        "escalations": escalations,
        "show_safety": policies.can_see_child_safety(request.user, referral),
        "move_forms": move_forms,
        "can_edit": policies.can_edit(request.user, referral),
        "can_escalate": policies.can_escalate(request.user, referral),
        "reassign_form": forms.ReassignForm(
            initial=forms.ReassignForm.seen(referral),
            referral=referral,
            user=request.user,
            prefix="reassign",
        )
        if policies.can_reassign(request.user, referral)
        else None,
        "escalate_form": forms.EscalateForm(
            initial=forms.EscalateForm.seen(referral), prefix="escalate"
        ),
        "missing": services.missing_parts(referral, today)
        if referral.state in (State.DRAFT, State.RETURNED)
        else [],
        "is_school_side": policies.is_school_side(request.user, referral),
        "shows_content": shows_content,
        "ended_states": TERMINAL_STATES,
        "is_partnership_contact": policies.is_partnership_contact(request.user, referral),
        # A team that has not acknowledged the referral yet does not open the pupil's file.
        "opens_pupil": Pupil.objects.visible_to(request.user).filter(pk=referral.pupil_id).exists(),
    }


def _turn(referral: Referral, today: dt.date) -> str:
    """Who is at turn in an open referral, and for what ("" when it is not open)."""
    step = referral.current_step
    if referral.state not in OPEN_STATES or step is None:
        return ""
    if services.waits_on_school(referral, today):
        return "De school: wacht op toestemming van de ouders voor de warme overdracht"
    return f"Het wijkteam: {Step(step).label.lower()}"


# The states in which the warm handover is still to be planned or held.
BEFORE_HANDOVER_STATES = frozenset({State.SUBMITTED, State.ACKNOWLEDGED, State.HANDOVER_PLANNED})


def _handover_consent(request: HttpRequest, referral: Referral, today: dt.date) -> dict[str, Any]:
    """Whether the referral page says that no consent for the warm handover is in force (on the
    planned day, else today), and where the school records one; empty when it need not."""
    if referral.state not in BEFORE_HANDOVER_STATES or referral.team_id is None:
        return {}
    day = referral.handover_on or today
    if sharing.has_handover_basis(referral, day):
        return {}
    url = _consent_url(request, referral, services.referral_url(referral))
    return {"day": day, "who": sharing.who_must_agree(referral.pupil, day), "url": url}


def _consent_url(
    request: HttpRequest, referral: Referral, back: str, purpose: str = sharing.HANDOVER_PURPOSE
) -> str:
    """Where the user records the consent the referral lacks (for the purpose: the form opens
    on it), and comes back to `back`; empty when the user may not record consent for this
    pupil."""
    if not can_record_consent(request.user, referral.pupil):
        return ""
    query = urlencode({"doel": str(purpose), "next": back})
    return f"{reverse('consent:new', args=[referral.pupil_id])}?{query}"


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get(request, pk)
    return render(request, "referrals/detail.html", _detail_context(request, referral))


# What the page says beside a section that changed while the user had it open.
CONFLICT_AT_FIELD = (
    "Niet opgeslagen: dit deel is aangepast nadat u de pagina opende, door iemand anders of in "
    "een ander tabblad. Uw tekst staat nog in het veld. Onder het veld staat wat er nu staat."
)
CONFLICT_SUMMARY = (
    "Niet alles is opgeslagen. Een deel is aangepast nadat u de pagina opende, door iemand "
    "anders of in een ander tabblad. Bij dat deel ziet u uw eigen tekst en wat er nu staat. "
    "Neem over wat u wilt houden en klik opnieuw op ‘Concept opslaan’. Wat u verder "
    "veranderde, is opgeslagen."
)
REFRESHED_AT_FIELD = (
    "Dit deel is aangepast nadat u de pagina opende, door iemand anders of in een ander "
    "tabblad. Het veld toont nu de nieuwe tekst."
)


@dataclass(frozen=True, slots=True)
class CurrentText:
    """A note under a section: `conflict` shows what is stored beside the user's own text;
    `changed` (autosave) shows what is stored while the field still shows the old text;
    `refreshed` says the field now shows a text saved elsewhere."""

    kind: str
    text: str = ""


def _display(form: forms.ReferralDocumentForm, name: str, value: Any) -> str:
    """A stored section as the page shows it: a choice by its label."""
    if value is None or value == "":
        return "(leeg)"
    choices = getattr(form.fields[name], "choices", None)
    if choices:
        return str(dict((str(k), v) for k, v in choices).get(str(value), value))
    return str(value)


def _widget_value(value: Any) -> str:
    return "" if value is None else str(value)


def _after_save(
    form: forms.ReferralDocumentForm,
    posted: Any,
    saved: services.DraftSave,
    *,
    refreshed: dict[str, Any] | None = None,
) -> tuple[forms.ReferralDocumentForm, dict[str, CurrentText]]:
    """The form to show again after a save that came back to the page, and the notes.

    The user's own text stays; the fingerprints move on to what is stored for every section
    whose text is now stored, so the next save is compared with that. A section in conflict
    keeps its old fingerprint and gets what is stored as `shown`: saving it again by the button
    is a choice made after reading. A section changed elsewhere that the user left alone shows
    what is stored.
    """
    data = posted.copy()
    notes: dict[str, CurrentText] = {}
    stale = {**saved.changed_elsewhere, **(refreshed or {})}
    for name in form.sections:
        if name in saved.conflicts:
            current = saved.conflicts[name]
            data[f"shown_{name}"] = services.fingerprint(current)
            notes[name] = CurrentText("conflict", _display(form, name, current))
        elif name in stale:
            data[name] = _widget_value(stale[name])
            data[f"base_{name}"] = services.fingerprint(stale[name])
            data[f"shown_{name}"] = ""
            notes[name] = CurrentText("refreshed")
        elif name in posted:
            data[f"base_{name}"] = services.fingerprint(form.cleaned_data.get(name))
    again = forms.ReferralDocumentForm(
        data, instance=form.instance, user=form.user, show_safety=form.show_safety
    )
    again.is_valid()
    for name, note in notes.items():
        again.add_error(name, CONFLICT_AT_FIELD if note.kind == "conflict" else REFRESHED_AT_FIELD)
    return again, notes


def _edit_page(
    request: HttpRequest,
    referral: Referral,
    form: forms.ReferralDocumentForm,
    *,
    missing: list[str],
    submitted_attempt: bool = False,
    notes: dict[str, CurrentText] | None = None,
    under_way: Referral | None = None,
    second: bool = False,
    status: int = 200,
) -> HttpResponse:
    record_access(
        request,
        action=Action.VIEW,
        pupil_id=referral.pupil_id,
        basis=referral_basis(request.user, referral),
        obj=referral,
        detail="toeleiding bewerken",
    )
    # The team a send would go to now: the pupil may have moved since the draft was made.
    routed = services.as_routed(referral)
    team_form = forms.ChooseTeamForm(
        initial={**forms.ChooseTeamForm.seen(referral), "team": routed.team_id}
    )
    notes = notes or {}
    # Without a consent the referral cannot be sent: lead to the consent form, and back here.
    consent_url = (
        _consent_url(
            request, referral, reverse("referrals:edit", args=[referral.pk]), sharing.PURPOSE
        )
        if missing
        and referral.team_id is not None
        and not sharing.has_share_basis(referral, timezone.localdate())
        else ""
    )
    return render(
        request,
        "referrals/edit.html",
        {
            "referral": referral,
            "form": form,
            "sections": [(form[name], notes.get(name)) for name in form.sections],
            "missing": missing,
            "submitted_attempt": submitted_attempt,
            "under_way": under_way,
            "second": second,
            "team_form": team_form,
            "show_safety": form.show_safety,
            "consent_url": consent_url,
            "routed": routed,
            # The team the draft went to before the route changed ("" when it did not).
            "routed_from": (referral.team.name if referral.team else "nog geen wijkteam")
            if routed.team_id != referral.team_id
            else "",
            "moved": services.moved_elsewhere(referral),
            "handover_consent": _send_page_handover_consent(request, referral, routed),
        },
        status=status,
    )


def _send_page_handover_consent(
    request: HttpRequest, referral: Referral, routed: Referral
) -> dict[str, Any]:
    """The send page's warning that no consent for the warm handover with the team a send would
    go to is in force today: sending needs only the consent to share, but the team cannot plan
    the handover until the school records this one. Empty when there is one, or no team yet."""
    today = timezone.localdate()
    if routed.team_id is None or sharing.has_handover_basis(routed, today):
        return {}
    url = _consent_url(request, referral, reverse("referrals:edit", args=[referral.pk]))
    return {"team": routed.team, "who": sharing.who_must_agree(referral.pupil, today), "url": url}


def _labels(form: forms.ReferralDocumentForm, names: Any) -> str:
    return ", ".join(f"‘{form.fields[name].label}’" for name in names)


@never_cache
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get(request, pk)
    if not policies.can_edit(request.user, referral):
        if referral.state not in (State.DRAFT, State.RETURNED):
            messages.info(
                request, "Deze toeleiding is verstuurd en kan niet meer worden aangepast."
            )
            return redirect("referrals:detail", pk=pk)
        raise Http404
    show_safety = policies.can_see_child_safety(request.user, referral)
    form = forms.ReferralDocumentForm(
        request.POST or None, instance=referral, user=request.user, show_safety=show_safety
    )
    if request.method != "POST":
        return _edit_page(request, referral, form, missing=services.missing_parts(referral))
    seen_team = request.POST.get("seen_team")
    seen = request.POST.get("seen_state", referral.state)
    if seen in State.values:
        referral.state = seen
    seen_round = parse_id(request.POST.get("seen_round", ""))
    if seen_round is not None and seen_round <= 32767:
        referral.round = seen_round
    if not form.is_valid():
        return _edit_page(request, referral, form, missing=[], submitted_attempt=True, status=400)
    user: Any = request.user
    data = form.sent()
    try:
        saved = services.save_draft(referral, data, by=user, seen=form.seen(with_shown=True))
    except services.StaleState as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referrals:detail", pk=pk)
    # The missing parts are counted before the form is checked again: checking puts the
    # user's text on the referral, and what counts is what is stored.
    if saved.conflicts:
        missing = services.missing_parts(referral)
        again, notes = _after_save(form, request.POST, saved)
        again.add_error(None, CONFLICT_SUMMARY)
        return _edit_page(request, referral, again, missing=missing, notes=notes, status=409)
    if request.POST.get("action") == "submit":
        if (changed := _team_changed(referral, seen_team)) is not None:
            again, notes = _after_save(form, request.POST, saved)
            again.add_error(None, changed)
            missing = services.missing_parts(referral)
            return _edit_page(request, referral, again, missing=missing, notes=notes, status=409)
        # What the user sees now: their own text where they sent it, and what is stored where
        # someone else changed a section they left alone (not seen: the send is refused).
        showing = form.showing()
        try:
            services.submit_referral(referral, by=user, showing=showing)
        except services.UnseenChanges as exc:
            for name, value in exc.current.items():
                setattr(referral, name, value)
            missing = services.missing_parts(referral)
            again, notes = _after_save(form, request.POST, saved, refreshed=exc.current)
            again.add_error(None, " ".join(exc.messages))
            return _edit_page(request, referral, again, missing=missing, notes=notes, status=409)
        except services.StaleState as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("referrals:detail", pk=pk)
        except services.ReferralError as exc:
            # Something missing (400, each at its section and in the summary above the form,
            # as any form sent with mistakes), or another referral under way at the team (409,
            # with a link to it when the user may open it).
            again, notes = _after_save(form, request.POST, saved)
            second = isinstance(exc, services.AlreadyAtTeam)
            if not second:
                again.add_error(None, NOT_SENT)
                for field, message in exc.errors:
                    again.add_error(field if field in again.fields else None, message)
            other = exc.other if isinstance(exc, services.AlreadyAtTeam) else None
            visible = (
                other is not None and Referral.objects.visible_to(user).filter(pk=other.pk).exists()
            )
            return _edit_page(
                request,
                referral,
                again,
                missing=exc.messages,
                submitted_attempt=True,
                notes=notes,
                under_way=other if visible else None,
                second=second,
                status=409 if second else 400,
            )
        messages.success(request, "De toeleiding is verstuurd naar het wijkteam.")
        return redirect("referrals:detail", pk=pk)
    messages.success(request, "Het concept is opgeslagen.")
    if saved.changed_elsewhere:
        messages.info(
            request,
            f"Intussen is ook {_labels(form, saved.changed_elsewhere)} aangepast, door iemand "
            "anders of in een ander tabblad. U ziet nu de nieuwe tekst.",
        )
    return redirect("referrals:edit", pk=pk)


def _team_changed(referral: Referral, seen_team: str | None) -> str | None:
    """Why a send is refused because the team it would go to now is not the one the page showed
    (`seen_team`: the pupil moved meanwhile, or a colleague chose another team); None when it
    is the same, or when the form did not say (an older page)."""
    if seen_team is None:
        return None
    routed = services.as_routed(referral)
    if parse_id(seen_team) == routed.team_id:
        return None
    now = routed.team.name if routed.team is not None else "nog geen wijkteam"
    return (
        "Niet verstuurd: het wijkteam is veranderd nadat u de pagina opende. De toeleiding "
        f"gaat nu naar {now}"
        + (f" ({routed.routing_note})" if not routed.is_routing_overridden else "")
        + ". Kijk na of dat klopt en of er toestemming is om met dit wijkteam te delen. "
        "Verstuur de toeleiding dan opnieuw. Uw tekst is opgeslagen."
    )


# Above what is missing, at the top of the error summary of a referral sent too early.
NOT_SENT = "Niet verstuurd. De toeleiding is nog niet compleet."


SENT_MEANWHILE = (
    "Niet opgeslagen: deze toeleiding is intussen verstuurd en kan niet meer worden aangepast. "
    "Wat u net typte, staat nog in het veld; kopieer wat u wilt bewaren."
)


@never_cache
@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Save while typing: only what the user changed, never over a text they have not seen.

    The answer is the status line, and (out of band) the new fingerprints of the sections now
    stored and a note under each section that changed elsewhere. The fields themselves are
    left alone: the user may be typing in them.
    """
    referral = _get(request, pk)
    context: dict[str, Any] = {"status": "", "ok": False, "bases": [], "notes": []}
    if referral.state not in EDITABLE_STATES:  # sent from another tab, or by a colleague
        context["status"] = SENT_MEANWHILE
        return render(request, "referrals/_autosave_status.html", context)
    if not policies.can_edit(request.user, referral):
        raise Http404
    show_safety = policies.can_see_child_safety(request.user, referral)
    form = forms.ReferralDocumentForm(
        request.POST, instance=referral, user=request.user, show_safety=show_safety
    )
    if not form.is_valid():
        # Each mistake with its section's name: the status line is far from the field.
        context["status"] = "Niet opgeslagen: " + " ".join(
            f"{form.fields[name].label}: {e}" if name in form.fields else str(e)
            for name, errs in form.errors.items()
            for e in errs
        )
        return render(request, "referrals/_autosave_status.html", context)
    data = form.sent()
    try:
        saved = services.save_draft(
            referral,
            data,
            by=request.user,  # type: ignore[arg-type]
            seen=form.seen(with_shown=False),
        )
    except services.StaleState as exc:
        context["status"] = " ".join(exc.messages)
        return render(request, "referrals/_autosave_status.html", context)
    for name in form.sections:
        if name in saved.conflicts:
            note = CurrentText("conflict", _display(form, name, saved.conflicts[name]))
        elif name in saved.changed_elsewhere:
            note = CurrentText("changed", _display(form, name, saved.changed_elsewhere[name]))
        else:
            note = None
            now = services.fingerprint(form.cleaned_data[name])
            if name in data and now != form.cleaned_data[f"base_{name}"]:
                context["bases"].append((f"base_{name}", now))
        context["notes"].append((name, note))
    at = f"{timezone.localtime():%H:%M}"
    if saved.conflicts:
        context["status"] = (
            f"Niet alles is opgeslagen ({at}): {_labels(form, saved.conflicts)} is aangepast "
            "nadat u de pagina opende, door iemand anders of in een ander tabblad. Uw tekst "
            "staat nog in het veld; onder het veld staat wat er nu staat. Neem over wat u wilt "
            "houden en klik op ‘Concept opslaan’."
        )
    else:
        context["ok"] = True
        context["status"] = f"Concept opgeslagen om {at}."
        if saved.changed_elsewhere:
            context["status"] += (
                f" Intussen is ook {_labels(form, saved.changed_elsewhere)} aangepast, door "
                "iemand anders of in een ander tabblad. Onder het veld staat de nieuwe tekst."
            )
    return render(request, "referrals/_autosave_status.html", context)


@never_cache
@login_required
@require_POST
def choose_team(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get(request, pk)
    if not policies.can_choose_team(request.user, referral):
        raise Http404
    form = forms.ChooseTeamForm(request.POST)
    if form.is_valid():
        try:
            services.choose_team(
                referral,
                form.cleaned_data["team"],
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, f"De toeleiding gaat naar {form.cleaned_data['team'].name}.")
        except services.DoneAlready as exc:  # the team chosen already: the same form sent twice
            messages.info(request, " ".join(exc.messages))
        except services.ReferralError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("referrals:edit", pk=pk)


@never_cache
@login_required
@require_POST
def move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    referral = _get(request, pk)
    if name not in FORM_BY_MOVE or name == "submit":
        raise Http404
    spec = TRANSITIONS[name]
    side_ok = (
        policies.is_school_side(request.user, referral)
        if spec.side == "school"
        else policies.is_team_side(request.user, referral)
    )
    if not side_ok:
        raise Http404
    form = _form_for(name, referral, request.POST, user=request.user)
    if not form.is_valid():
        if not is_allowed(name, referral.state):
            # The move's form is not on the page in this state, so mistakes at its fields
            # would show nowhere: say why the move cannot be made, as a valid form would hear.
            refusal = services.StaleState(services.not_now(referral.state))
            return _stale(request, pk, refusal, move=name, kept={})
        return _detail_with_form(request, referral, name, form, status=400)
    data = form.cleaned_data
    form.apply_seen(referral)
    user: Any = request.user
    again = False
    while True:
        try:
            _run_move(name, referral, user, data)
            break
        except services.StaleState as stale:
            refusal = stale
            resent = (
                ""
                if again
                else services.resent_own_move(
                    pk, name, seen_round=data["seen_round"], by=user, sent=data
                )
            )
            if resent == "same":
                # The user's own step sent again (back button, resend): nothing to do.
                messages.info(request, "Dit was al gedaan.")
                return redirect("referrals:detail", pk=pk)
            if resent == "changed":
                # Their own step, sent again with other input (back, changed the date, sent):
                # where the move may follow itself (a planned handover is moved) it is made
                # again on the referral as it is now; else nothing is dropped without a word.
                referral = _get(request, pk)
                if is_allowed(name, referral.state):
                    again = True
                    continue
                refusal = services.StaleState(DONE_WITH_OTHER_INPUT)
            return _stale(request, pk, refusal, move=name, kept=dict(data))
        except services.ReferralError as exc:
            # The rule's message goes to the field it is about; what was typed stays in the form.
            for field, message in exc.errors:
                form.add_error(field if field in form.fields else None, message)
            return _detail_with_form(request, _get(request, pk), name, form, status=400)
    if again:
        messages.info(request, "U had deze stap al gezet. Nu zijn de nieuwe gegevens opgeslagen.")
    messages.success(request, f"De toeleiding staat nu op ‘{State(spec.target).label}’.")
    if name == "plan_handover" and (late := services.late_handover_warning(referral)):
        messages.warning(request, late)
    if name == "plan_handover" and (absent := services.parents_not_invited_warning(referral)):
        messages.warning(request, absent)
    if name == "hold_handover" and (early := services.early_hold_warning(referral)):
        messages.warning(request, early)
    if name == "hold_handover" and (
        unfounded := services.handover_held_without_basis_warning(referral)
    ):
        messages.warning(request, unfounded)
    return redirect("referrals:detail", pk=pk)


DONE_WITH_OTHER_INPUT = (
    "U had deze stap al gezet, met andere gegevens dan u nu stuurde. Er is niets gewijzigd. "
    "Op de tijdlijn ziet u wat er is vastgelegd."
)


def _run_move(name: str, referral: Referral, user: Any, data: dict[str, Any]) -> None:
    """Call the move's service with the form's input."""
    if name == "acknowledge":
        services.acknowledge_referral(referral, by=user, worker=data["worker"])
    elif name == "plan_handover":
        services.plan_handover(
            referral,
            by=user,
            on=data["on"],
            place=data["place"],
            participants=data["participants"],
            parents_invited=data["parents_invited"],
        )
    elif name == "hold_handover":
        services.hold_handover(referral, by=user, held_on=data["held_on"])
    elif name == "confirm_first_contact":
        services.confirm_first_contact(referral, by=user, on=data["on"])
    elif name == "accept":
        services.accept_referral(referral, by=user)
    elif name == "return_incomplete":
        services.return_incomplete(referral, by=user, reasons=data["reasons"])
    elif name == "decline":
        services.decline_referral(referral, by=user, advice=data["advice"])
    elif name == "withdraw":
        services.withdraw_referral(referral, by=user, reason=data["reason"])
    elif name == "close":
        services.close_referral(referral, by=user, feedback=data["feedback"])


def _detail_with_form(
    request: HttpRequest, referral: Referral, name: str, form: forms.SeenStateForm, status: int
) -> HttpResponse:
    """The referral page with the move's form as sent, and its mistakes at the fields."""
    context = _detail_context(request, referral)
    context["move_forms"] = _with_form(context["move_forms"], referral, name, form)
    context["error_move"] = name
    return render(request, "referrals/detail.html", context, status=status)


def _with_form(
    move_forms: list[tuple[Any, Any]], referral: Referral, name: str, form: Any
) -> list[tuple[Any, Any]]:
    """The page's move forms with `form` in the place of the move's, or added when the page
    leaves that move out now (planning while it waits on the school's consent, `_move_forms`):
    what the user sent and why it was refused stay on the page."""
    if any(m.name == name for m, _ in move_forms):
        return [(m, form if m.name == name else f) for m, f in move_forms]
    move = next((m for m in allowed_moves(referral.state) if m.name == name), None)
    return [*move_forms, (move, form)] if move is not None else move_forms


def _stale(
    request: HttpRequest, pk: int, exc: services.StaleState, *, move: str, kept: dict[str, Any]
) -> HttpResponse:
    """Someone changed the referral since the screen was drawn: 409, the page as it is now.

    What the user typed is kept in the same form where it is still on the page; only the seen
    values move on, so sending it again is a deliberate choice after reading the new state.
    """
    referral = _get(request, pk)
    messages.error(request, " ".join(exc.messages))
    context = _detail_context(request, referral)
    if move == "escalate":
        context["escalate_form"] = forms.EscalateForm(
            initial={**kept, **forms.EscalateForm.seen(referral)}, prefix="escalate"
        )
    elif move == "reassign":
        if context["reassign_form"] is not None:
            context["reassign_form"] = forms.ReassignForm(
                initial={**kept, **forms.ReassignForm.seen(referral)},
                referral=referral,
                user=request.user,
                prefix="reassign",
            )
    elif is_allowed(move, referral.state):
        kept_form = _form_for(move, referral, None, kept=kept, user=request.user)
        context["move_forms"] = _with_form(context["move_forms"], referral, move, kept_form)
    return render(request, "referrals/detail.html", context, status=409)


@never_cache
@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get(request, pk)
    if not policies.is_school_side(request.user, referral):
        raise Http404
    form = forms.EscalateForm(request.POST, prefix="escalate")
    if not form.is_valid():
        if not policies.can_escalate(request.user, referral):
            # The form is not on the page in this state, so mistakes at its fields would show
            # nowhere: say why escalating cannot be done, as a valid form would hear.
            refusal = services.StaleState(services.NO_LONGER_RUNS)
            return _stale(request, pk, refusal, move="escalate", kept={})
        return _escalate_with_form(request, referral, form)
    form.apply_seen(referral)
    try:
        escalation = services.escalate_referral(
            referral,
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except services.StaleState as exc:
        return _stale(request, pk, exc, move="escalate", kept=dict(form.cleaned_data))
    except services.ReferralError as exc:
        # The rule's message goes to the field it is about; what was typed stays in the form.
        for field, message in exc.errors:
            form.add_error(field if field in form.fields else None, message)
        return _escalate_with_form(request, _get(request, pk), form)
    messages.success(request, f"Geëscaleerd: {escalation.get_level_display()}.")
    return redirect("referrals:detail", pk=pk)


def _escalate_with_form(
    request: HttpRequest, referral: Referral, form: forms.EscalateForm
) -> HttpResponse:
    """The referral page with the escalation form as sent (400): as every form of the page, an
    error summary that links each field, the message at the field, the choice and text kept."""
    context = _detail_context(request, referral)
    context["escalate_form"] = form
    return render(request, "referrals/detail.html", context, status=400)


@never_cache
@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """The team leader or contact person hands the referral to another worker of the team."""
    referral = _get(request, pk)
    if not policies.can_reassign(request.user, referral):
        raise Http404
    form = forms.ReassignForm(request.POST, referral=referral, user=request.user, prefix="reassign")
    if form.is_valid():
        form.apply_seen(referral)
        try:
            services.reassign_referral(
                referral,
                worker=form.cleaned_data["worker"],
                by=request.user,  # type: ignore[arg-type]
            )
        except services.DoneAlready:
            # The user's own choice sent again (a double click, the back button).
            messages.info(request, "Dit was al gedaan.")
            return redirect("referrals:detail", pk=pk)
        except services.StaleState as exc:
            chosen = {"worker": form.cleaned_data["worker"].pk}
            return _stale(request, pk, exc, move="reassign", kept=chosen)
        except services.ReferralError as exc:
            for field, message in exc.errors:
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, f"{form.cleaned_data['worker'].full_name} is nu de behandelaar."
            )
            return redirect("referrals:detail", pk=pk)
    context = _detail_context(request, _get(request, pk))
    context["reassign_form"] = form
    return render(request, "referrals/detail.html", context, status=400)
