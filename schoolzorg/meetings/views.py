"""Care meeting pages: the list, the rhythm, the agenda builder and the working screen.

Every page that shows pupils fetches agenda items through `AgendaItem.objects.visible_to` and
writes one read-log entry per pupil shown, in the same transaction as the read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.accounts.models import User
from schoolzorg.accounts.views import require_recent_auth
from schoolzorg.audit.models import Action as AuditAction
from schoolzorg.audit.services import Read, record_accesses
from schoolzorg.careteams.models import CareTeam, CareTeamMember
from schoolzorg.cases.models import Case
from schoolzorg.consent.relationships import named_among_each
from schoolzorg.lib.converters import parse_id
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.forms import answer_status
from schoolzorg.lib.messages import success_once
from schoolzorg.lib.prepared import prepared
from schoolzorg.lib.urls import url_for
from schoolzorg.meetings import agenda, services, workflow
from schoolzorg.meetings.forms import (
    ATTENDANCE_CHOICES,
    STALE_FORM,
    CorrectionForm,
    DecisionForm,
    GeneralItemForm,
    GuestForm,
    MeetingForm,
    MinutesForm,
    PlaceForm,
    PupilSearchForm,
    RescheduleForm,
    ScheduleForm,
)
from schoolzorg.meetings.ics import meeting_ics
from schoolzorg.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CareMeeting,
    Decision,
    MeetingGuest,
    MeetingSchedule,
)
from schoolzorg.meetings.policies import can_prepare, can_take_minutes
from schoolzorg.meetings.services import (
    FOR_THEIR_CHILD,
    FieldRefused,
    MeetingError,
    MinutesConflict,
    NoConsent,
    StaleState,
    UnsavedMinutes,
)
from schoolzorg.meetings.workflow import TRANSITIONS, MeetingState, Move
from schoolzorg.pupils.access import access_basis, prepared_for_user

PAST_DAYS = 400


# --- Helpers --------------------------------------------------------------------------------


@prepared_for_user
def _visible_meeting(user: Any, pk: int) -> QuerySet[CareMeeting]:
    return CareMeeting.objects.visible_to(user).select_related("care_team__school").filter(pk=pk)


def _meeting(request: HttpRequest, pk: int) -> CareMeeting:
    found = _visible_meeting.first(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


def _team(request: HttpRequest, team_pk: int) -> CareTeam:
    team = get_object_or_404(
        CareTeam.objects.visible_to(request.user).select_related("school"), pk=team_pk
    )
    if not can_prepare(request.user, team):
        raise Http404
    return team


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.visible_to(request.user).select_related(
            "meeting__care_team__school", "pupil", "case"
        ),
        pk=pk,
    )


# A remove button (an agenda item, a guest) says which meeting's page showed the row, so that
# a second click, or a second tab, finds the row gone and is told so instead of a 404. Signed:
# the answer for a row that is gone depends only on what this server showed, so pairing another
# school's id with one's own meeting tells nothing about that row.
_ITEM_SHOWN_ON = signing.Signer(salt="meetings.remove_item.shown_on")
_GUEST_SHOWN_ON = signing.Signer(salt="meetings.remove_guest.shown_on")


def _shown_on(signer: signing.Signer, pk: int, meeting_id: int) -> str:
    return signer.sign(f"{pk}.{meeting_id}")


def _meeting_it_was_on(
    request: HttpRequest,
    pk: int,
    *,
    signer: signing.Signer,
    model: type[AgendaItem] | type[MeetingGuest],
    may: Callable[[Any, CareTeam], bool],
) -> CareMeeting | None:
    """The meeting whose page showed row `pk` of `model`, now that the row is gone (removed in
    another tab, or by the first of two clicks), if the user may still do this there (`may`);
    otherwise None."""
    try:
        shown = signer.unsign(request.POST.get("shown_on", ""))
    except signing.BadSignature:
        return None
    row_id, _, meeting_id = shown.partition(".")
    if row_id != str(pk) or model.objects.filter(pk=pk).exists():
        return None
    meeting = _visible_meeting.first(user=request.user, pk=int(meeting_id))
    if meeting is None or not may(request.user, meeting.care_team):
        return None
    return meeting


def log_reads(
    request: HttpRequest, pupils: list[Any], *, action: str, detail: str, obj: Any = None
) -> None:
    """One read-log entry per pupil shown, written together in one transaction."""
    reads = []
    for pupil in pupils:
        found = access_basis(request.user, pupil)
        reads.append(Read(pupil.pk, found[0] if found else None, obj))
    record_accesses(request, reads, action=action, detail=detail)


@prepared
def _members_on(team_id: int, day: dt.date) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.in_force(day).filter(team_id=team_id).select_related("user")


@prepared
def _attendance(meeting_id: int) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting_id=meeting_id)


@prepared
def _guests(meeting_id: int) -> QuerySet[MeetingGuest]:
    return MeetingGuest.objects.filter(meeting_id=meeting_id).select_related(
        "item__pupil", "agreement_recorded_by"
    )


def _members(meeting: CareMeeting) -> list[CareTeamMember]:
    """The team's members on the meeting day, whose role then was in force."""
    return _members_on(team_id=meeting.care_team_id, day=meeting.scheduled_on)


def _owners(members: list[CareTeamMember]) -> list[User]:
    """Who can own a decision: the team's members on the meeting day, by name."""
    users = {m.user_id: m.user for m in members}
    return sorted(users.values(), key=lambda u: (u.full_name, u.pk))


def _owners_per_item(owners: list[User], items: list[AgendaItem]) -> dict[int, list[User]]:
    """Per item (by id), the owners a decision form offers: for an item about a child only those
    who may be named around the child (`consent.relationships.named_among_each`; a consent for
    one organisation leaves out the others' people). The service refuses the rest anyway."""
    pupils = {item.pupil_id: item.pupil for item in items if item.pupil_id}
    allowed = named_among_each(owners, pupils.values())
    return {item.pk: allowed[item.pupil_id] if item.pupil_id else owners for item in items}


def _visible_items(request: HttpRequest, meeting: CareMeeting) -> list[AgendaItem]:
    """The items of a meeting that `_meeting` let the user open."""
    return _items_of(user=request.user, meeting_id=meeting.pk)


@prepared_for_user
def _items_of(user: Any, meeting_id: int) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting_id=meeting_id)
        .of_visible_pupils(user)
        .with_consent_state()
        .select_related("pupil", "minutes_updated_by")
    )


@prepared
def _decisions(meeting_id: int) -> QuerySet[Decision]:
    """The meeting's decisions; the caller keeps those of the items the user may open."""
    return Decision.objects.filter(item__meeting_id=meeting_id).select_related(
        "owner", "plan_action__part"
    )


# --- List and schedule ----------------------------------------------------------------------


@never_cache
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = (
        CareMeeting.objects.visible_to(request.user)
        .filter(scheduled_on__gte=today - dt.timedelta(days=PAST_DAYS))
        .select_related("care_team__school")
        .annotate(item_count=Count("items"))
        .order_by("scheduled_on", "start_time")
    )
    rows = list(meetings[:300])
    upcoming = [m for m in rows if m.scheduled_on >= today and m.state == MeetingState.PLANNED]
    past = [m for m in reversed(rows) if m not in upcoming]
    teams = list(
        CareTeam.objects.visible_to(request.user)
        .filter(school_id__in=_case_role_schools(request.user))
        .select_related("school")
        .order_by("school__name", "-school_year")
    )
    return render(
        request,
        "meetings/list.html",
        {"upcoming": upcoming, "past": past, "teams": teams, "today": today},
    )


def _case_role_schools(user: Any) -> set[int]:
    from schoolzorg.accounts.roles import CASE_ROLES
    from schoolzorg.pupils.access import active_memberships

    return {
        m.served_school_id
        for m in active_memberships(user)
        if m.role in CASE_ROLES and m.served_school_id
    }


@never_cache
@login_required
def schedule(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _team(request, team_pk)
    current = MeetingSchedule.objects.filter(care_team=team).first() or MeetingSchedule(
        care_team=team
    )
    end_of_year = dt.date(team.school_year + 1, 7, 31)
    form = ScheduleForm(
        request.POST or None,
        instance=current,
        initial={"until": max(end_of_year, timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in ScheduleForm.Meta.fields}
        try:
            with transaction.atomic():
                saved = services.set_schedule(team, by=request.user, **fields)
                created = services.generate_meetings(
                    saved.schedule,
                    start=timezone.localdate(),
                    until=form.cleaned_data["until"],
                    by=request.user,
                )
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _schedule_saved_message(saved, len(created)))
            return redirect("meetings:list")
    return render(
        request,
        "meetings/schedule.html",
        {"team": team, "form": form, "meeting_form": MeetingForm()},
        status=answer_status(form),
    )


def _schedule_saved_message(saved: services.ScheduleSaved, created: int) -> str:
    """What saving the rhythm did to the meetings: planned, followed, kept."""

    def meetings(n: int) -> str:
        return f"{n} overleg{'gen' if n != 1 else ''}"

    parts = [f"Het ritme is opgeslagen. {meetings(created)} ingepland."]
    if saved.times_changed:
        if saved.followed == 1:
            parts.append("1 overleg dat al gepland stond, heeft nu de nieuwe tijd en plek.")
        else:
            parts.append(
                f"{saved.followed} overleggen die al gepland stonden, hebben nu de nieuwe tijd "
                "en plek."
            )
        parts.append("Een overleg dat eerder apart is verzet, houdt zijn eigen tijd en plek.")
    if saved.days_changed:
        parts.append(
            "Overleggen die al gepland stonden, houden hun datum. Wilt u zo'n overleg op de "
            "nieuwe dag? Verzet het dan op de pagina van dat overleg, of zeg het af."
        )
    return " ".join(parts)


@login_required
def create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _team(request, team_pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(team, by=request.user, **form.cleaned_data)
        except FieldRefused as exc:  # not a school day: at the date, with the next one
            form.add_error(exc.field, exc.message)
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            success_once(request, "Het overleg is ingepland.")
            return redirect("meetings:agenda", meeting.pk)
    return render(
        request, "meetings/create.html", {"team": team, "form": form}, status=answer_status(form)
    )


@never_cache
@login_required
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Overleg verzetten": a planned meeting's date, times and place, for whoever plans the
    team's meetings (`can_prepare`). Only a POST changes anything."""
    meeting = _meeting(request, pk)
    if not can_prepare(request.user, meeting.care_team):
        raise Http404
    if request.method != "POST" and meeting.state != MeetingState.PLANNED:
        messages.info(request, "Alleen een overleg dat nog gepland is, kunt u verzetten.")
        return redirect("meetings:detail", meeting.pk)
    form = RescheduleForm(request.POST or None, initial=RescheduleForm.shown(meeting))
    status = 200
    if request.method == "POST":
        status = 400
        if not form.is_valid() and form.is_stale():
            messages.error(request, STALE_FORM)
            return redirect("meetings:detail", meeting.pk)
        if form.is_valid():
            try:
                moved, changed = services.reschedule_meeting(
                    meeting, by=request.user, expected=form.expected, **form.wanted
                )
            except StaleState as exc:
                # The screen was out of date: the page shows the meeting as it is now, the form
                # what the user typed; only the hidden `expected_*` move on, so sending it again
                # is a deliberate choice (as `cases.views._sent_again`).
                meeting = _meeting(request, pk)
                data = request.POST.copy()
                for name, value in RescheduleForm.shown(meeting).items():
                    if name.startswith("expected_"):
                        data[name] = _as_field_value(value)
                form = RescheduleForm(data)
                form.is_valid()
                form.add_error(None, exc.message)
                status = 409
            except FieldRefused as exc:
                form.add_error(exc.field, exc.message)
            except MeetingError as exc:
                form.add_error(None, exc.message)
            else:
                if changed:
                    messages.success(request, _moved_message(moved))
                else:
                    messages.info(
                        request,
                        "Het overleg stond al op deze datum, tijd en plek. Er is niets veranderd.",
                    )
                return redirect("meetings:detail", moved.pk)
    return render(
        request,
        "meetings/reschedule.html",
        {"meeting": meeting, "form": form, "conflict": status == 409},
        status=status,
    )


def _as_field_value(value: Any) -> str:
    """A date or time as its hidden field sends it back."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _moved_message(meeting: CareMeeting) -> str:
    from django.utils.formats import date_format

    where = f" in {meeting.location}" if meeting.location else ""
    return (
        f"Het overleg is verzet. Het is nu op {date_format(meeting.scheduled_on, 'l j F Y')}, "
        f"van {meeting.start_time:%H:%M} tot {meeting.end_time:%H:%M}{where}. De punten op de "
        "agenda blijven staan. Had u het overleg in uw eigen agenda gezet? Zet het er dan "
        "opnieuw in; dan verandert de afspraak die er al staat."
    )


# --- The working screen ---------------------------------------------------------------------


def _detail_context(
    request: HttpRequest,
    meeting: CareMeeting,
    *,
    bound: dict[int, dict[str, Any]] | None = None,
    errors: dict[int, str] | None = None,
    guest_form: GuestForm | None = None,
    unsaved: UnsavedMinutes | None = None,
) -> dict[str, Any]:
    bound = bound or {}
    items = _visible_items(request, meeting)
    decisions: dict[int, list[Decision]] = {item.pk: [] for item in items}
    for decision in _decisions(meeting_id=meeting.pk):
        decisions.get(decision.item_id, []).append(decision)
    guests, guests_hidden = _guests_shown(_guests(meeting_id=meeting.pk), items)
    hidden = _hidden_positions(meeting, items)
    members = _members(meeting)
    minute_taker = can_take_minutes(request.user, meeting.care_team)
    preparer = can_prepare(request.user, meeting.care_team)
    # Minutes, decisions, attendance and guests from the meeting day on (services refuse them
    # before it too): before the day the screen shows the agenda and says when.
    too_early = meeting.scheduled_on > timezone.localdate()
    open_for_minutes = meeting.state in workflow.EDITABLE_STATES and minute_taker
    editable = open_for_minutes and not too_early
    with_decision_forms = editable or any("decision" in forms for forms in bound.values())
    owners = _owners_per_item(_owners(members), items) if with_decision_forms else {}
    minutes_url, decide_url = url_for("meetings:minutes"), url_for("meetings:decide")
    for item in items:
        item.minutes_url = minutes_url(item.pk)  # type: ignore[attr-defined]
        item.decide_url = decide_url(item.pk)  # type: ignore[attr-defined]
        forms = bound.get(item.pk, {})
        kept = forms.get("minutes")  # the user's own text, sent with some form of the page
        sent_decision = forms.get("decision")
        # Forms only for whoever takes the minutes; a refused form comes back as sent anyway
        # (say the meeting was closed meanwhile), so that what the user typed is not lost.
        # Not for an item that lost its ground since (the pupil left the school, the consent
        # ended): what was written stays, read only (`services._require_writable`).
        if item.is_writable and (editable or kept is not None):
            item.minutes_form = kept or MinutesForm(  # type: ignore[attr-defined]
                initial={"minutes": item.minutes, "version": item.minutes_version},
                prefix=f"m{item.pk}",
            )
            item.minutes_conflict = forms.get("conflict", False)  # type: ignore[attr-defined]
            item.minutes_unsaved = (  # type: ignore[attr-defined]
                kept is not None and (kept["minutes"].value() or "").strip() != item.minutes.strip()
            )
        if item.is_writable and (editable or sent_decision is not None):
            item.decision_form = sent_decision or DecisionForm(  # type: ignore[attr-defined]
                owners=owners[item.pk], pupil=item.pupil, prefix=f"d{item.pk}"
            )
        item.error = (errors or {}).get(item.pk, "")  # type: ignore[attr-defined]
        item.decision_list = decisions[item.pk]  # type: ignore[attr-defined]
        item.guest_list = [g for g in guests if g.item_id == item.pk]  # type: ignore[attr-defined]
        # A pupil who left, on a meeting still to come: the coordinator takes the item off;
        # nothing of it is shown but the name (`_item.html`).
        item.left_pending = (  # type: ignore[attr-defined]
            item.has_left_school
            and meeting.state == MeetingState.PLANNED
            and not item.minutes.strip()
            and not decisions[item.pk]
        )
        # The parents got the minutes to check, and the text changed since.
        guests_of_item: list[MeetingGuest] = item.guest_list  # type: ignore[attr-defined]
        item.sent_earlier = [g for g in guests_of_item if g.minutes_changed_since_sent]  # type: ignore[attr-defined]
        item.sent_to = [g for g in guests_of_item if g.sent_for_correction_on]  # type: ignore[attr-defined]
    # Recorded before guests who are not a parent or the pupil needed the family's agreement
    # per child (`services.add_guest`): one for the whole of a meeting that discussed children.
    with_children = any(item.pupil_id for item in items) or bool(hidden)
    writable = {item.pk for item in items if item.is_writable}
    left = {item.pk for item in items if item.has_left_school}
    for guest in guests:
        # Sending and a reaction are recorded at an item the school still holds as its own.
        guest.at_left_item = guest.item_id in left  # type: ignore[attr-defined]
        guest.without_ground = (  # type: ignore[attr-defined]
            with_children and guest.item_id is None and guest.role not in FOR_THEIR_CHILD
        )
        # While the minutes are a draft, a guest added twice, by mistake or with a typo can be
        # taken off again; not one who was sent the minutes (`services.remove_guest`).
        guest.removable = (  # type: ignore[attr-defined]
            editable
            and guest.sent_for_correction_on is None
            and (guest.item_id is None or guest.item_id in writable)
        )
        if guest.removable:  # type: ignore[attr-defined]
            guest.shown_on = _shown_on(_GUEST_SHOWN_ON, guest.pk, meeting.pk)  # type: ignore[attr-defined]
    marks = {a.member_id: a.status for a in _attendance(meeting_id=meeting.pk)}
    attendance = [(m, marks.get(m.pk, "")) for m in members]
    return {
        "meeting": meeting,
        "items": items,
        "hidden_count": len(hidden),
        "hidden_positions": hidden,
        # A move refused: these items' minutes are typed but not saved.
        "unsaved": unsaved,
        "unsaved_items": [i for i in items if unsaved and i.pk in unsaved.item_ids],
        "attendance": attendance,
        "attendance_choices": ATTENDANCE_CHOICES,
        "guests": guests,
        "guests_hidden": guests_hidden,
        # The items whose minutes can be printed for the parents: a pupil, discussable.
        "printable_items": {i.pk for i in items if i.pupil_id is not None and i.is_discussable},
        "guest_form": guest_form or GuestForm(items=_guest_items(items), prefix="guest"),
        "editable": editable,
        # Planned for a later day: the minutes and the rest wait for it.
        "too_early": open_for_minutes and too_early,
        "can_prepare": preparer,
        "can_build_agenda": meeting.state in workflow.AGENDA_BUILDER_STATES and preparer,
        # "Overleg verzetten": only a planned meeting, by whoever plans the team's meetings.
        "can_reschedule": meeting.state == MeetingState.PLANNED and preparer,
        "in_calendar": meeting.state in workflow.CALENDAR_STATES,
        # (move, label, the sentence to read before it can be sent, if it cannot be undone)
        "moves": [
            (m, Move(m).label, workflow.CONFIRM_FIRST.get(m, ""))
            for m in workflow.moves_from(meeting.state)
            # A meeting is held on its day, not before (the service refuses it too).
            if not (m == Move.HOLD and meeting.scheduled_on > timezone.localdate())
        ]
        if minute_taker
        else [],
    }


def _hidden_positions(meeting: CareMeeting, items: list[AgendaItem]) -> list[int]:
    """The numbers of the items the user may not see: they are not at the table for those
    (say a nurse, when the consent names only the neighbourhood team). One query."""
    shown = {item.pk for item in items}
    return sorted(pos for pk, pos in meeting.items.values_list("pk", "position") if pk not in shown)


def _guests_shown(
    guests: list[MeetingGuest], items: list[AgendaItem]
) -> tuple[list[MeetingGuest], bool]:
    """The guests the user may see, and whether any were left out.

    A guest at an item is hidden as the item is: a parent's name at an item the user may not
    see, or whose pupil may no longer be discussed, says which family was discussed.
    """
    open_items = {item.pk for item in items if item.is_discussable}
    shown = [g for g in guests if g.item_id is None or g.item_id in open_items]
    return shown, len(shown) < len(guests)


def _guest_items(items: list[AgendaItem]) -> list[tuple[int, str]]:
    """The items a guest can be linked to: not those that take nothing new any more (the pupil
    may not be discussed, or left the school)."""
    return [(i.pk, _item_label(i)) for i in items if i.is_writable]


def log_item_reads(
    request: HttpRequest,
    meeting: CareMeeting,
    items: list[AgendaItem],
    *,
    action: str,
    detail: str,
    obj: Any = None,
    all_named: bool = False,
    also: list[Any] | None = None,
) -> None:
    """One read-log entry per pupil the items show by name, in one transaction: those that may
    be discussed (the working screen, the minutes), or with `all_named` every item's pupil (the
    agenda builder names an item without consent too); `also`: other pupils shown with them.

    The basis is the user's relation with the pupil; for an item of a pupil who left the
    meeting's school, the custodian of the school's own file (`school_file`), the only one
    who still sees it (`AgendaItemQuerySet.of_visible_pupils`).
    """
    from schoolzorg.cases.policies import custodian_basis_at

    reads = []
    for item in items:
        if item.pupil is None or not (all_named or item.is_discussable):
            continue
        if item.has_left_school:
            basis = custodian_basis_at(request.user, meeting.care_team.school_id)
        else:
            found = access_basis(request.user, item.pupil)
            basis = found[0] if found else None
        reads.append(Read(item.pupil.pk, basis, obj))
    for pupil in also or []:
        found = access_basis(request.user, pupil)
        reads.append(Read(pupil.pk, found[0] if found else None, obj))
    record_accesses(request, reads, action=action, detail=detail)


def _item_label(item: AgendaItem) -> str:
    if item.pupil is not None:
        return f"{item.position}. {item.pupil.first_name} {item.pupil.last_name}"
    return f"{item.position}. {item.question[:40]}"


def _log_shown(request: HttpRequest, meeting: CareMeeting, items: list[AgendaItem]) -> None:
    log_item_reads(
        request,
        meeting,
        items,
        action=AuditAction.VIEW,
        detail=f"zorgoverleg {numeric(meeting.scheduled_on)}",
        obj=meeting,
    )


def _render_detail(
    request: HttpRequest, meeting: CareMeeting, *, status: int = 200, **context_args: Any
) -> HttpResponse:
    """The working screen; every pupil it shows by name is logged as read."""
    context = _detail_context(request, meeting, **context_args)
    _log_shown(request, meeting, context["items"])
    return render(request, "meetings/detail.html", context, status=status)


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _meeting(request, pk))


def _render_item(
    request: HttpRequest,
    item: AgendaItem,
    *,
    minutes_form: MinutesForm | None = None,
    decision_form: DecisionForm | None = None,
    conflict: bool = False,
    error: str = "",
    saved: str = "",
    status: int = 200,
) -> HttpResponse:
    """After a write: the item alone for htmx, else the whole working screen.

    `conflict`: someone else saved the minutes meanwhile; the item shows what is saved now
    above `minutes_form`, the user's own text. `saved`: the short line that says what was saved;
    the screen shows it in the item, reads it out and puts the focus on the item's heading
    (the button that was pressed is gone with the old item).
    """
    meeting = item.meeting
    bound = {item.pk: {"minutes": minutes_form, "decision": decision_form, "conflict": conflict}}
    if request.htmx:  # type: ignore[attr-defined]
        context = _detail_context(request, meeting, bound=bound, errors={item.pk: error})
        fresh = next((i for i in context["items"] if i.pk == item.pk), None)
        if fresh is None:
            raise Http404
        fresh.saved_message = saved
        context["item"] = fresh
        _log_shown(request, meeting, [fresh])
        # htmx only swaps successful answers; the message inside the item says what went wrong.
        return render(request, "meetings/_item.html", context)
    if status == 200 and not error:
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#punt-{item.pk}")
    return _render_detail(request, meeting, status=status, bound=bound, errors={item.pk: error})


@never_cache
@require_POST
@login_required
def save_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not can_take_minutes(request.user, item.meeting.care_team):
        raise Http404
    form = MinutesForm(request.POST, prefix=f"m{item.pk}")
    if not form.is_valid():
        return _render_item(request, item, minutes_form=form, status=400)
    try:
        with transaction.atomic():
            services.save_minutes(
                item,
                text=form.cleaned_data["minutes"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
            if item.pupil is not None:
                log_reads(
                    request, [item.pupil], action=AuditAction.UPDATE, detail="verslag", obj=item
                )
    except MinutesConflict as exc:
        # As the plan editor does: what is saved now, read-only, above the user's own text, which
        # is kept with the version now stored, so saving again (after reading) is deliberate.
        item.refresh_from_db()
        data = request.POST.copy()
        data[f"m{item.pk}-version"] = str(item.minutes_version)
        kept = MinutesForm(data, prefix=f"m{item.pk}")
        kept.is_valid()
        kept.add_error(None, exc.message)
        return _render_item(request, item, minutes_form=kept, conflict=True, status=409)
    except MeetingError as exc:
        # Keep what the user typed; show the version now stored so a resave is deliberate.
        item.refresh_from_db()
        kept = MinutesForm(
            initial={"minutes": form.cleaned_data["minutes"], "version": item.minutes_version},
            prefix=f"m{item.pk}",
        )
        return _render_item(request, item, minutes_form=kept, error=exc.message, status=409)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, "Het verslag is opgeslagen.")
    return _render_item(request, item, saved="Verslag opgeslagen.")


def _carried_minutes(request: HttpRequest, item: AgendaItem) -> MinutesForm | None:
    """The item's minutes field as the screen showed it, sent along with another form (the
    decision form includes it), to show it again as it was: still to be saved, with the version
    it started from, so saving it later is checked against that version as usual."""
    prefix = f"m{item.pk}"
    text = request.POST.get(f"{prefix}-minutes")
    if text is None:
        return None
    try:
        version = MinutesForm.base_fields["version"].clean(request.POST.get(f"{prefix}-version"))
    except ValidationError:
        return None
    return MinutesForm(initial={"minutes": text, "version": version}, prefix=prefix)


@never_cache
@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not can_take_minutes(request.user, item.meeting.care_team):
        raise Http404
    form = DecisionForm(
        request.POST, owners=_owners(_members(item.meeting)), pupil=item.pupil, prefix=f"d{item.pk}"
    )
    carried = _carried_minutes(request, item)  # typed minutes stay in their field, unsaved
    if not form.is_valid():
        return _render_item(request, item, minutes_form=carried, decision_form=form, status=400)
    from schoolzorg.cases.services import CaseError
    from schoolzorg.plans.services import PlanError

    try:
        with transaction.atomic():
            _decision, created = services.add_decision(
                item,
                text=form.cleaned_data["text"],
                domain=form.cleaned_data["domain"],
                owner=form.cleaned_data["owner_value"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
                form_token=form.cleaned_data["form_token"],
            )
            if item.pupil is not None and created:
                log_reads(
                    request, [item.pupil], action=AuditAction.UPDATE, detail="besluit", obj=item
                )
    except FieldRefused as exc:  # e.g. 'klaar op' before the meeting: at the field, input kept
        form.add_error(exc.field, exc.message)
        return _render_item(request, item, minutes_form=carried, decision_form=form, status=400)
    except (MeetingError, PlanError, CaseError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        return _render_item(
            request, item, minutes_form=carried, decision_form=form, error=message, status=409
        )
    if not request.htmx:  # type: ignore[attr-defined]
        if created:
            messages.success(request, "Het besluit is opgeslagen en staat als actie in het plan.")
        else:
            messages.info(request, "Dit besluit was al opgeslagen; er is niets dubbel gemaakt.")
    saved = "Besluit opgeslagen." if created else "Dit besluit was al opgeslagen."
    return _render_item(request, item, minutes_form=carried, saved=saved)


@require_POST
@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_take_minutes(request.user, meeting.care_team):
        raise Http404
    statuses: dict[int, str] = {}
    unknown = False
    for key, value in request.POST.items():
        if key.startswith("status_") and value in AttendanceStatus.values:
            member_id = parse_id(key.removeprefix("status_"))
            if member_id is None:
                unknown = True
            else:
                statuses[member_id] = value
    try:
        services.record_attendance(meeting, statuses=statuses, by=request.user)
    except MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "De aanwezigheid is opgeslagen.")
        if unknown:
            messages.warning(
                request,
                "Een regel in het formulier hoorde niet bij een teamlid en is overgeslagen. "
                "Ververs de pagina en kijk of alles klopt.",
            )
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#aanwezig")


@require_POST
@login_required
def add_guest(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_take_minutes(request.user, meeting.care_team):
        raise Http404
    items = _visible_items(request, meeting)
    form = GuestForm(request.POST, items=_guest_items(items), prefix="guest")
    if form.is_valid():
        item = next((i for i in items if i.pk == form.cleaned_data["item"]), None)
        try:
            services.add_guest(
                meeting,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                item=item,
                by=request.user,
                form_token=form.cleaned_data["form_token"],
                agreed_on=form.cleaned_data["agreed_on"],
            )
        except FieldRefused as exc:  # e.g. a parent without their child's item: at the field
            form.add_error(exc.field, exc.message)
        except MeetingError as exc:  # the meeting moved on: no form to correct any more
            messages.error(request, exc.message)
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#gasten")
        else:
            messages.success(request, "De gast is toegevoegd.")
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#gasten")
    # The working screen again, with the guest form as sent and its messages at the fields.
    return _render_detail(request, meeting, status=400, guest_form=form)


@require_POST
@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_take_minutes(request.user, meeting.care_team):
        raise Http404
    chosen = request.POST.get("move", "")
    expected = request.POST.get("expected", "")
    if chosen not in Move.values or expected not in MeetingState.values:
        messages.error(request, "Die stap bestaat niet. Ververs de pagina en probeer het opnieuw.")
    else:
        # What the items' minutes fields showed, sent along by the button (static/js/app.js).
        items = _visible_items(request, meeting)
        shown = {
            i.pk: request.POST[f"m{i.pk}-minutes"]
            for i in items
            if f"m{i.pk}-minutes" in request.POST
        }
        try:
            services.move_meeting(
                meeting, move=chosen, by=request.user, expected=expected, shown_minutes=shown
            )
        except UnsavedMinutes as exc:
            # The screen again, with the typed texts in their fields and what to do first.
            bound = {
                i.pk: {"minutes": _carried_minutes(request, i)}
                for i in items
                if i.pk in exc.item_ids
            }
            return _render_detail(request, meeting, status=409, bound=bound, unsaved=exc)
        except StaleState as exc:
            # The same step sent again (back button, second tab): the meeting is where it leads.
            current = CareMeeting.objects.filter(pk=meeting.pk).values_list("state", flat=True)
            if current.first() == TRANSITIONS.get((expected, chosen)):
                messages.info(request, "Dit was al gedaan.")
            else:
                messages.error(request, exc.message)
        except MeetingError as exc:
            messages.error(request, exc.message)
        else:
            now = MeetingState(TRANSITIONS[(expected, chosen)]).label
            messages.success(request, f"Het overleg staat nu op ‘{now}’.")
    return redirect("meetings:detail", meeting.pk)


def _guest(request: HttpRequest, pk: int) -> MeetingGuest:
    guest = get_object_or_404(
        MeetingGuest.objects.filter(
            meeting__in=CareMeeting.objects.visible_to(request.user)
        ).select_related("meeting__care_team", "item"),
        pk=pk,
    )
    if not can_take_minutes(request.user, guest.meeting.care_team):
        raise Http404
    # As on the working screen: not a guest at an item the user may not see, or whose pupil
    # may no longer be discussed.
    if (
        guest.item_id is not None
        and not AgendaItem.objects.visible_to(request.user)
        .discussable()
        .filter(pk=guest.item_id)
        .exists()
    ):
        raise Http404
    return guest


@require_POST
@login_required
def remove_guest(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        guest = _guest(request, pk)
    except Http404:
        meeting = _meeting_it_was_on(
            request, pk, signer=_GUEST_SHOWN_ON, model=MeetingGuest, may=can_take_minutes
        )
        if meeting is None:
            raise
        messages.info(request, "Deze gast stond al niet meer in de lijst.")
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#gasten")
    try:
        services.remove_guest(guest, by=request.user)
    except MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{guest.name} staat niet meer bij de gasten.")
    return redirect(reverse("meetings:detail", args=[guest.meeting_id]) + "#gasten")


@require_POST
@login_required
def send_correction(request: HttpRequest, pk: int) -> HttpResponse:
    guest = _guest(request, pk)
    try:
        services.send_for_correction(guest, by=request.user)
    except MeetingError as exc:
        messages.error(request, exc.message)
    else:
        assert guest.sent_for_correction_on is not None  # the service just recorded it
        messages.success(
            request,
            f"Vastgelegd: verslag op {numeric(guest.sent_for_correction_on)} om na te kijken "
            f"gestuurd aan {guest.name}.",
        )
    return redirect(reverse("meetings:detail", args=[guest.meeting_id]) + "#gasten")


@never_cache
@login_required
def record_correction(request: HttpRequest, pk: int) -> HttpResponse:
    guest = _guest(request, pk)
    # The reaction recorded so far, to change or add to: one reaction per guest, never replaced
    # by an empty form.
    initial: dict[str, Any] = {"expected": guest.correction_note}
    if guest.correction_received_on is not None:
        initial |= {"note": guest.correction_note, "received_on": guest.correction_received_on}
    form = CorrectionForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.record_correction(guest, by=request.user, **form.cleaned_data)
        except services.CorrectionConflict as exc:
            # As the minutes do: what is recorded now above the user's own text, which is kept
            # with `expected` moved on, so saving again is deliberate.
            guest.refresh_from_db()
            data = request.POST.copy()
            data["expected"] = guest.correction_note
            form = CorrectionForm(data)
            form.is_valid()
            form.add_error(None, exc.message)
            conflict = True
        except FieldRefused as exc:  # a date before the minutes were sent: at the field
            form.add_error(exc.field, exc.message)
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "De reactie van de ouders is vastgelegd.")
            return redirect(reverse("meetings:detail", args=[guest.meeting_id]) + "#gasten")
    return render(
        request,
        "meetings/correction.html",
        {"guest": guest, "form": form, "conflict": conflict},
        status=409 if conflict else answer_status(form),
    )


# --- Agenda builder -------------------------------------------------------------------------


def _agenda_context(
    request: HttpRequest,
    meeting: CareMeeting,
    *,
    text: str = "",
    search_form: PupilSearchForm | None = None,
    place_form: PlaceForm | None = None,
    general_form: GeneralItemForm | None = None,
) -> dict[str, Any]:
    proposal = agenda.propose(meeting, request.user)
    found = agenda.find(meeting, request.user, text)
    shown = found[: agenda.PICK_LIMIT]
    if place_form is None:
        place_form = PlaceForm(
            initial={"leerling": text}, pupils=agenda.placeable(meeting, request.user)
        )
    else:
        # A refused submit: keep the list of that search, and the pupil that was chosen.
        chosen = place_form.cleaned_data.get("pupil")
        if chosen is not None and chosen not in shown:
            shown = [chosen, *shown]
    consented = agenda.with_consent(meeting, [p.pk for p in shown]) if shown else set()
    without = [p.pk for p in shown if p.pk not in consented]
    why_not = agenda.why_without_consent(meeting, without) if without else {}
    place_form.show(shown, consented=consented, why_not=why_not)
    items = list(
        AgendaItem.objects.visible_to(request.user)
        .filter(meeting=meeting)
        .with_consent_state()
        .select_related("pupil", "case")
    )
    for item in items:
        item.shown_on = _shown_on(_ITEM_SHOWN_ON, item.pk, item.meeting_id)  # type: ignore[attr-defined]
    hidden = _hidden_positions(meeting, items)
    return {
        "meeting": meeting,
        "items": items,
        "hidden_count": len(hidden),
        "hidden_positions": hidden,
        "proposal": proposal,
        "search_form": search_form or PupilSearchForm(initial={"leerling": text}),
        "searched": text,
        "found": shown,
        "found_without_consent": len(without) - len(why_not),
        "found_why_not": set(why_not.values()),
        "more_found": len(found) > agenda.PICK_LIMIT,
        "pick_limit": agenda.PICK_LIMIT,
        "place_form": place_form,
        "general_form": general_form or GeneralItemForm(),
        "is_open": meeting.state in workflow.AGENDA_OPEN_STATES,
        "is_editable": meeting.state in workflow.EDITABLE_STATES,
    }


def _log_agenda_reads(request: HttpRequest, meeting: CareMeeting, context: dict[str, Any]) -> None:
    """The pupils the builder showed: those on the agenda and proposed, and those found."""
    shown = [case.pupil for case, _ in context["proposal"].candidates]
    shown += [case.pupil for case in context["proposal"].without_consent_visible]
    with transaction.atomic():
        log_item_reads(
            request,
            meeting,
            context["items"],
            action=AuditAction.VIEW,
            detail=f"agenda samenstellen {numeric(meeting.scheduled_on)}",
            obj=meeting,
            all_named=True,
            also=shown,
        )
        log_reads(
            request,
            context["found"],
            action=AuditAction.SEARCH,
            detail=f"zoekresultaat agenda {numeric(meeting.scheduled_on)}",
            obj=meeting,
        )


AGENDA_FIXED = (
    "Dit overleg gaat niet door of het verslag is vastgesteld: de agenda verandert niet meer."
)


@never_cache
@login_required
def agenda_builder(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_prepare(request.user, meeting.care_team):
        raise Http404
    if meeting.state not in workflow.AGENDA_BUILDER_STATES:
        messages.info(request, AGENDA_FIXED)
        return redirect("meetings:detail", meeting.pk)
    search_form = PupilSearchForm(request.GET if "leerling" in request.GET else None)
    text = search_form.cleaned_data["leerling"] if search_form.is_valid() else ""
    context = _agenda_context(request, meeting, text=text, search_form=search_form)
    _log_agenda_reads(request, meeting, context)
    return render(request, "meetings/agenda.html", context)


@never_cache
@require_POST
@login_required
def place(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_prepare(request.user, meeting.care_team):
        raise Http404
    form = PlaceForm(request.POST, pupils=agenda.placeable(meeting, request.user))
    consent_link: tuple[str, str] | None = None
    if form.is_valid():
        case = None
        pupil = form.cleaned_data["pupil"]
        if form.cleaned_data["case"]:
            case = (
                Case.objects.visible_to(request.user)
                .at_current_school()  # not a case of a pupil who left: the school only keeps it
                .filter(pk=form.cleaned_data["case"], school_id=meeting.care_team.school_id)
                .select_related("pupil")
                .first()
            )
            if case is None:
                form.add_error(None, "Deze casus bestaat niet (meer) of u mag hem niet zien.")
            else:
                pupil = case.pupil
        if pupil is not None and not form.errors:
            source = (
                agenda.SOURCE_BY_STATUS.get(case.status, "review") if case else "manual"  # type: ignore[call-overload]
            )
            try:
                services.place_on_agenda(
                    meeting,
                    pupil=pupil,
                    question=form.cleaned_data["question"],
                    by=request.user,
                    source=source,
                    case=case,
                )
            except NoConsent as exc:
                form.add_error(None, exc.message)
                back = reverse("meetings:agenda", args=[meeting.pk])
                back += "?" + urlencode({"leerling": exc.pupil.first_name})
                consent_link = _consent_link(request, exc.pupil, back)
            except MeetingError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"{pupil.first_name} staat op de agenda.")
                return redirect("meetings:agenda", meeting.pk)
    text = form.cleaned_data.get("leerling") or ""
    context = _agenda_context(request, meeting, text=text, place_form=form)
    context["consent_link"] = consent_link
    _log_agenda_reads(request, meeting, context)
    return render(request, "meetings/agenda.html", context, status=400)


def _consent_link(request: HttpRequest, pupil: Any, back: str) -> tuple[str, str]:
    """Where to go to record the missing consent: its form if the user may, opened on the
    purpose "discuss in the care team" and coming back to `back` (the agenda, the pupil looked
    up again) after saving; else the pupil's page."""
    from schoolzorg.consent.models import Purpose
    from schoolzorg.consent.policies import can_record_consent

    name = f"{pupil.first_name} {pupil.last_name}"
    if can_record_consent(request.user, pupil):
        query = urlencode({"doel": Purpose.DISCUSS_IN_CARE_TEAM.value, "next": back})
        return (
            f"{reverse('consent:new', args=[pupil.pk])}?{query}",
            f"Toestemming vastleggen voor {name}",
        )
    return reverse("pupils:detail", args=[pupil.pk]), f"Naar de leerlingpagina van {name}"


@require_POST
@login_required
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not can_prepare(request.user, meeting.care_team):
        raise Http404
    form = GeneralItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_general_item(
                meeting,
                question=form.cleaned_data["question"],
                by=request.user,
                form_token=form.cleaned_data["form_token"],
            )
        except MeetingError as exc:  # the meeting moved on: no form to correct any more
            messages.error(request, exc.message)
        else:
            messages.success(request, "Het agendapunt is toegevoegd.")
        return redirect("meetings:agenda", meeting.pk)
    # The builder again, with the text as typed and the reason at the field.
    context = _agenda_context(request, meeting, general_form=form)
    _log_agenda_reads(request, meeting, context)
    return render(request, "meetings/agenda.html", context, status=400)


@require_POST
@login_required
def remove_item(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = _item(request, pk)
    except Http404:
        meeting = _meeting_it_was_on(
            request, pk, signer=_ITEM_SHOWN_ON, model=AgendaItem, may=can_prepare
        )
        if meeting is None:
            raise
        messages.info(request, "Dit punt stond al niet meer op de agenda.")
        return redirect("meetings:agenda", meeting.pk)
    if not can_prepare(request.user, item.meeting.care_team):
        raise Http404
    try:
        services.remove_from_agenda(item, by=request.user)
    except MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Het punt is van de agenda gehaald.")
    return redirect("meetings:agenda", item.meeting_id)


# --- Calendar and print ---------------------------------------------------------------------


@login_required
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    url = request.build_absolute_uri(reverse("meetings:detail", args=[meeting.pk]))
    response = HttpResponse(
        meeting_ics(meeting, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="zorgoverleg-{meeting.scheduled_on:%Y-%m-%d}.ics"'
    )
    return response


@never_cache
@login_required
@require_recent_auth  # a file with a child's data leaves the system
def print_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from schoolzorg.meetings.pdf import minutes_pdf

    meeting = _meeting(request, pk)
    with transaction.atomic():
        context = _detail_context(request, meeting)
        items = context["items"]
        log_item_reads(
            request,
            meeting,
            items,
            action=AuditAction.PRINT,
            detail=f"agenda en verslag afgedrukt {numeric(meeting.scheduled_on)}",
            obj=meeting,
        )
        context["user"] = request.user
        data = minutes_pdf(meeting, items=items, context=context)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="zorgoverleg-{meeting.scheduled_on:%Y-%m-%d}.pdf"'
    )
    return response


@prepared_for_user
def _printable_item(user: Any, pk: int) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.visible_to(user)
        .filter(pk=pk, pupil__isnull=False)
        .with_consent_state()
        .select_related("meeting__care_team__school", "pupil")
    )


@never_cache
@login_required
@require_recent_auth  # a file with a child's data leaves the system
def print_item_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One child's item for the parents (or the pupil): its minutes, decisions and their
    reaction; nothing of the other items or of who else took part (ADR 0201)."""
    from schoolzorg.meetings.pdf import item_minutes_pdf

    item = _printable_item.first(user=request.user, pk=pk)
    if item is None or not can_take_minutes(request.user, item.meeting.care_team):
        raise Http404
    meeting = item.meeting
    if not item.is_discussable:
        messages.error(
            request,
            "Er is geen geldige toestemming (meer) om deze leerling in het schoolzorgteam te "
            "bespreken. Daarom kunt u het verslag van dit punt niet afdrukken.",
        )
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#gasten")
    with transaction.atomic():
        item.decision_list = list(  # type: ignore[attr-defined]
            Decision.objects.filter(item=item).select_related("owner")
        )
        item.guest_list = list(MeetingGuest.objects.filter(item=item))  # type: ignore[attr-defined]
        log_item_reads(
            request,
            meeting,
            [item],
            action=AuditAction.PRINT,
            detail=f"verslag voor ouders afgedrukt {numeric(meeting.scheduled_on)}",
            obj=item,
        )
        data = item_minutes_pdf(item, context={"user": request.user})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="verslag-{meeting.scheduled_on:%Y-%m-%d}-punt-{item.pk}.pdf"'
    )
    return response
