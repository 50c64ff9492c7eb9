"""Every write to care meetings: schedule, agenda, attendance, minutes, decisions, correction.

Each function is one transaction. Moves of a meeting go through `workflow.TRANSITIONS` with a
compare-and-set on the state the user saw; minutes carry a version number for the same reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from schoolzorg.accounts.notifications import notify
from schoolzorg.audit.models import Action as AuditAction
from schoolzorg.audit.services import record_access
from schoolzorg.careteams.models import CareTeam, CareTeamMember, TeamRole
from schoolzorg.cases.models import Case, EventKind
from schoolzorg.cases.services import add_case_event
from schoolzorg.consent.models import Consent
from schoolzorg.consent.relationships import may_be_named
from schoolzorg.consent.rules import required_parties
from schoolzorg.lib import formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import is_blank
from schoolzorg.meetings import workflow
from schoolzorg.meetings.models import (
    AgendaItem,
    AgendaSource,
    Attendance,
    CareMeeting,
    Decision,
    GuestRole,
    MeetingGuest,
    MeetingSchedule,
)
from schoolzorg.meetings.schedule import dates_for
from schoolzorg.meetings.workflow import MeetingState
from schoolzorg.plans.services import add_action, closed_due_day, start_plan
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.models import Guardian

STALE_MESSAGE = (
    "Iemand anders heeft dit intussen gewijzigd. De pagina is ververst; kijk of uw wijziging "
    "nog nodig is."
)


class MeetingError(Exception):
    """A refusal with a message in plain Dutch for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FieldRefused(MeetingError):
    """A refusal that belongs at one field of the form: `field` is the service's parameter name,
    which the form's field shares."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class StaleState(MeetingError):
    def __init__(self, message: str = STALE_MESSAGE) -> None:
        super().__init__(message)


class MinutesConflict(StaleState):
    """Someone else saved the minutes of the item after this person's screen showed them."""

    def __init__(self) -> None:
        super().__init__(
            "Iemand anders heeft het verslag van dit punt intussen opgeslagen. Hieronder ziet u "
            "wat er nu staat, met daaronder uw eigen tekst. Neem over wat nodig is en sla "
            "opnieuw op."
        )


def meeting_url(meeting: CareMeeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


# --- Schedule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleSaved:
    """What saving the rhythm did: the rhythm, and how many planned meetings followed its new
    time, duration or place (`followed`)."""

    schedule: MeetingSchedule
    followed: int = 0
    # The time, the duration or the place changed.
    times_changed: bool = False
    # The day, the week or how often changed: meetings already planned keep their date.
    days_changed: bool = False


def _ends_at(start: dt.time, minutes: int) -> dt.time:
    """The clock time `minutes` after `start` (past midnight it is early in the morning)."""
    return (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()


def _end_time(start: dt.time, minutes: int) -> dt.time:
    """When a meeting of the rhythm ends; refused when that is past midnight."""
    end = _ends_at(start, minutes)
    if end <= start:
        raise MeetingError("Het overleg moet op dezelfde dag eindigen.")
    return end


# The parts of the rhythm that say on which days it meets: a change moves no planned meeting.
RHYTHM_DAY_FIELDS = ("frequency", "weekday", "week_of_month")


@transaction.atomic
def set_schedule(team: CareTeam, *, by: Any, **fields: Any) -> ScheduleSaved:
    """Set the care team's meeting rhythm (frequency, weekday, week, time, place).

    A new time, duration or place is taken over by the upcoming planned meetings that still
    have the old rhythm's time and place: those were not changed by hand (`reschedule_meeting`),
    so they follow the rhythm. A new day, week or frequency moves none of them: a date that
    members wrote down does not change unasked; the rhythm's new dates come with
    `generate_meetings`.
    """
    old = MeetingSchedule.objects.select_for_update().filter(care_team=team).first()
    schedule, _ = MeetingSchedule.objects.update_or_create(care_team=team, defaults=fields)
    if old is None:
        return ScheduleSaved(schedule)
    days_changed = any(getattr(old, f) != getattr(schedule, f) for f in RHYTHM_DAY_FIELDS)
    was = (old.start_time, _ends_at(old.start_time, old.duration_minutes), old.location)
    now = (
        schedule.start_time,
        _end_time(schedule.start_time, schedule.duration_minutes),
        schedule.location,
    )
    if was == now:
        return ScheduleSaved(schedule, days_changed=days_changed)
    followed = (
        CareMeeting.objects.filter(care_team=team)
        .upcoming()
        .filter(start_time=was[0], end_time=was[1], location=was[2])
        .update(
            start_time=now[0],
            end_time=now[1],
            location=now[2],
            ics_sequence=F("ics_sequence") + 1,
        )
    )
    return ScheduleSaved(schedule, followed=followed, times_changed=True, days_changed=days_changed)


@transaction.atomic
def generate_meetings(
    schedule: MeetingSchedule, *, start: dt.date, until: dt.date, by: Any
) -> list[CareMeeting]:
    """Create the meetings the rhythm gives between two days; existing days are left alone."""
    team = schedule.care_team
    taken = set(
        CareMeeting.objects.filter(care_team=team, scheduled_on__range=(start, until)).values_list(
            "scheduled_on", flat=True
        )
    )
    end_time = _end_time(schedule.start_time, schedule.duration_minutes)
    created = [
        CareMeeting(
            care_team=team,
            scheduled_on=day,
            start_time=schedule.start_time,
            end_time=end_time,
            location=schedule.location,
            created_by=by,
        )
        for day in dates_for(schedule, start=start, until=until)
        if day not in taken
    ]
    return CareMeeting.objects.bulk_create(created)


@transaction.atomic
def plan_meeting(
    team: CareTeam,
    *,
    scheduled_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    location: str,
    by: Any,
    form_token: uuid.UUID | None = None,
) -> CareMeeting:
    """Plan one extra meeting outside the rhythm, on a school day of the school's calendar (the
    days the rhythm keeps to: no weekend, holiday or study day).

    The form's `form_token`: the same form sent again (a double click, the back button) returns
    the meeting of the first send, instead of refusing the day as taken.
    """
    same = {"care_team_id": team.pk, "created_by_id": by.pk}
    first = formtokens.sent_before(CareMeeting, form_token, error=MeetingError, **same)
    if first is not None:
        return first
    if end_time <= start_time:
        raise MeetingError("De eindtijd moet na de begintijd liggen.")
    closed = _school_closed_on(team, scheduled_on)
    if closed:
        raise FieldRefused("scheduled_on", closed)
    taken = MeetingError("Op die dag staat al een overleg van dit team.")
    if CareMeeting.objects.filter(care_team=team, scheduled_on=scheduled_on).exists():
        raise taken
    try:
        meeting, _new = formtokens.create_once(
            CareMeeting,
            form_token,
            error=MeetingError,
            same=same,
            care_team=team,
            scheduled_on=scheduled_on,
            start_time=start_time,
            end_time=end_time,
            location=location,
            created_by=by,
        )
    except IntegrityError:  # another form planned a meeting on that day at the same moment
        raise taken from None
    return meeting


def _school_closed_on(team: CareTeam, day: dt.date) -> str:
    """Why the team's school is closed on `day`, with the first school day after it; "" on a
    school day."""
    from schoolzorg.calendars import workingdays

    return workingdays.school_closed_refusal(team.school, day)


# --- Rescheduling one meeting ---------------------------------------------------------------

# What the "Overleg verzetten" form changes, and compares with what its screen showed.
RESCHEDULE_FIELDS = ("scheduled_on", "start_time", "end_time", "location")

NOT_PLANNED_ANY_MORE: dict[str, str] = {
    MeetingState.HELD: "Dit overleg is intussen als gehouden vastgelegd. U kunt het niet meer "
    "verzetten.",
    MeetingState.CLOSED: "Het verslag van dit overleg is al vastgesteld. U kunt het niet meer "
    "verzetten.",
    MeetingState.CANCELLED: "Dit overleg is intussen afgezegd. U kunt het niet meer verzetten. "
    "Plan zo nodig een nieuw overleg.",
}


def _day_taken_message(day: dt.date) -> str:
    from django.utils.formats import date_format

    return (
        f"Op {date_format(day, 'l j F Y')} heeft dit team al een overleg. Kies een andere dag, "
        "of verzet of zeg eerst dat andere overleg af."
    )


@transaction.atomic
def reschedule_meeting(
    meeting: CareMeeting,
    *,
    scheduled_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    location: str,
    by: Any,
    expected: Mapping[str, Any],
) -> tuple[CareMeeting, bool]:
    """Move a planned meeting to another date, time or place ("Overleg verzetten").

    Only from what the user's screen showed (`expected`: date, times and place): a colleague's
    change meanwhile is not overwritten unseen (`StaleState`). The new day is a school day,
    today or later, without another meeting of the team. The agenda stays; a move to another
    day is refused while an item would lose its consent to be discussed on the new day, and
    once something was recorded at the meeting (it took place). The invitation's sequence goes
    up, so calendars update it; the cases on the agenda get a line with the new date.

    Returns the meeting and whether it changed: the same form sent again (a double click, the
    back button) finds the meeting already where it asked, and changes nothing.
    """
    location = location.strip()
    wanted: dict[str, Any] = {
        "scheduled_on": scheduled_on,
        "start_time": start_time,
        "end_time": end_time,
        "location": location,
    }
    current = (
        CareMeeting.objects.select_for_update()
        .select_related("care_team__school")
        .get(pk=meeting.pk)
    )
    if current.state != MeetingState.PLANNED:
        raise StaleState(NOT_PLANNED_ANY_MORE.get(current.state, STALE_MESSAGE))
    now = {f: getattr(current, f) for f in RESCHEDULE_FIELDS}
    if now == wanted:
        return current, False
    if any(now[f] != expected.get(f) for f in RESCHEDULE_FIELDS):
        raise StaleState(
            "Iemand anders heeft de datum, de tijd of de plek van dit overleg intussen "
            "gewijzigd. Bovenaan ziet u wat er nu staat; in het formulier staat wat u had "
            "ingevuld. Kijk of u het overleg nog wilt verzetten, en verzet het dan opnieuw."
        )
    if end_time <= start_time:
        raise FieldRefused("end_time", "De eindtijd moet na de begintijd liggen.")
    if scheduled_on < timezone.localdate():
        raise FieldRefused(
            "scheduled_on", "Deze datum is al voorbij. Kies vandaag of een dag daarna."
        )
    closed = _school_closed_on(current.care_team, scheduled_on)
    if closed:
        raise FieldRefused("scheduled_on", closed)
    moves_day = scheduled_on != current.scheduled_on
    if moves_day:
        others = CareMeeting.objects.filter(care_team_id=current.care_team_id)
        if others.filter(scheduled_on=scheduled_on).exclude(pk=current.pk).exists():
            raise FieldRefused("scheduled_on", _day_taken_message(scheduled_on))
        _refuse_moving_what_took_place(current)
        _refuse_losing_consent(current, scheduled_on)
    try:
        with transaction.atomic():
            updated = CareMeeting.objects.filter(
                pk=current.pk, state=MeetingState.PLANNED, **now
            ).update(**wanted, ics_sequence=F("ics_sequence") + 1)
    except IntegrityError as exc:  # a meeting planned on that day at this very moment
        raise FieldRefused("scheduled_on", _day_taken_message(scheduled_on)) from exc
    if not updated:
        raise StaleState()
    if moves_day:
        _note_move_on_cases(current, was=now["scheduled_on"], to=scheduled_on, by=by)
    current.refresh_from_db()
    was = _when(now["scheduled_on"], now["start_time"])
    where = f", {location}" if location else ""
    _tell_team(
        current,
        f"Het zorgoverleg op {current.care_team.school.name} van {was} is gewijzigd. Het is "
        f"nu op {numeric(scheduled_on)} van {start_time:%H:%M} tot {end_time:%H:%M} uur{where}.",
        on=now["scheduled_on"],
        by=by,
    )
    return current, True


def _when(day: dt.date, start: dt.time) -> str:
    return f"{numeric(day)} om {start:%H:%M} uur"


def _tell_team(meeting: CareMeeting, text: str, *, on: dt.date, by: Any) -> None:
    """Tell the care team's members (on the meeting's day `on`), but the one who did it, that
    their meeting moved or will not take place: it is in their calendars. The text names the
    school and the day, never a child."""
    members = (
        CareTeamMember.objects.in_force(on)
        .filter(team_id=meeting.care_team_id)
        .exclude(user_id=by.pk)
        .select_related("user")
    )
    notify([m.user for m in members], text=text, url=meeting_url(meeting))


def _refuse_moving_what_took_place(meeting: CareMeeting) -> None:
    """A meeting with minutes, decisions, attendance or guests took place on its day: it does
    not move to another day (its decisions are plan actions dated from it)."""
    items = AgendaItem.objects.filter(meeting=meeting)
    if (
        items.exclude(minutes="").exists()
        or Decision.objects.filter(item__in=items).exists()
        or Attendance.objects.filter(meeting=meeting).exists()
        or MeetingGuest.objects.filter(meeting=meeting).exists()
    ):
        raise MeetingError(
            "Dit overleg kan niet naar een andere dag: er is al een verslag, een besluit, de "
            "aanwezigheid of een gast vastgelegd. Het overleg heeft dus plaatsgevonden. Leg het "
            "vast als gehouden en plan zo nodig een nieuw overleg. De tijd en de plek kunt u "
            "wel aanpassen."
        )


def _refuse_losing_consent(meeting: CareMeeting, day: dt.date) -> None:
    """Refuse a new day on which an item's pupil may not be discussed, while it may be on the
    old day: the move would leave the item without its basis (`place_on_agenda`'s rule).

    Says how many items and their numbers, never whose: the numbers are on the agenda page
    for those who may see the items.
    """
    from django.db.models import Exists, OuterRef
    from django.utils.formats import date_format

    consented_then = Consent.objects.to_discuss(day).filter(pupil_id=OuterRef("pupil_id"))
    losing = list(
        AgendaItem.objects.filter(meeting=meeting, pupil__isnull=False)
        .discussable()
        .exclude(Exists(consented_then))
        .order_by("position", "pk")
        .values_list("position", flat=True)
    )
    if not losing:
        return
    numbers = [str(n) for n in losing]
    which = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} en {numbers[-1]}"
    count = "1 punt op de agenda" if len(losing) == 1 else f"{len(losing)} punten op de agenda"
    raise FieldRefused(
        "scheduled_on",
        f"Het overleg kan niet naar {date_format(day, 'l j F Y')}. Voor {count} (punt {which}) "
        "is er op die dag geen geldige toestemming om de leerling te bespreken. Kies een "
        "andere dag, of haal "
        f"{'dat punt' if len(losing) == 1 else 'die punten'} eerst van de agenda.",
    )


def _note_move_on_cases(meeting: CareMeeting, *, was: dt.date, to: dt.date, by: Any) -> None:
    """A line on each case on the agenda: its timeline said the old date ("Geagendeerd voor
    ...")."""
    name = meeting.care_team.meeting_name.lower()
    cases = Case.objects.filter(agenda_items__meeting=meeting).distinct().order_by("pk")
    for case in cases:
        add_case_event(
            case,
            kind=EventKind.NOTE,
            text=f"Het {name} van {numeric(was)} is verzet naar {numeric(to)}.",
            by=by,
            url=meeting_url(meeting),
        )


# What a move refused for unsaved minutes did not do.
NOT_DONE: dict[str, str] = {
    workflow.Move.HOLD: "Het overleg is nog niet als gehouden vastgelegd.",
    workflow.Move.CLOSE: "Het verslag is nog niet vastgesteld.",
    workflow.Move.CANCEL: "Het overleg is nog niet afgezegd.",
    workflow.Move.REOPEN: "Het verslag is nog niet weer geopend.",
}


class UnsavedMinutes(MeetingError):
    """The screen that asked for a move showed minutes that are not saved: moving on (and
    loading the page again) would lose them, and closing would fix the minutes without them."""

    def __init__(self, move: str, items: list[tuple[int, int]]) -> None:
        """`items`: (id, position) of each item with unsaved minutes, by position."""
        positions = [str(position) for _, position in items]
        which = (
            positions[0]
            if len(positions) == 1
            else f"{', '.join(positions[:-1])} en {positions[-1]}"
        )
        super().__init__(
            f"{NOT_DONE.get(move, 'Dat is nog niet gedaan.')} Bij punt {which} staat tekst in "
            "het verslag die nog niet is opgeslagen. Sla die tekst eerst op, of haal hem weg. "
            "Probeer het daarna opnieuw."
        )
        self.item_ids = [pk for pk, _ in items]


def _same_text(shown: str, saved: str) -> bool:
    """Minutes as a field showed them and as saved: the same apart from line ends and the
    spaces around them that saving takes off."""
    return shown.replace("\r\n", "\n").strip() == saved.replace("\r\n", "\n").strip()


# Where a meeting went while a screen still showed it in another state.
MOVED_MEANWHILE: dict[str, str] = {
    MeetingState.PLANNED: "Dit overleg staat intussen weer op gepland. Kijk hieronder hoe het "
    "er nu voor staat.",
    MeetingState.HELD: "Dit overleg is intussen al als gehouden vastgelegd. Kijk hieronder hoe "
    "het er nu voor staat.",
    MeetingState.CLOSED: "Het verslag van dit overleg is intussen al vastgesteld. Kijk "
    "hieronder hoe het er nu voor staat.",
    MeetingState.CANCELLED: "Dit overleg is intussen al afgezegd.",
}


@transaction.atomic
def move_meeting(
    meeting: CareMeeting,
    *,
    move: str,
    by: Any,
    expected: str,
    shown_minutes: Mapping[int, str] | None = None,
) -> CareMeeting:
    """Hold, close, cancel or reopen a meeting, only from the state the user saw.

    Held only on or after its day; cancelled only without decisions or minutes.

    `shown_minutes` (item id → text) is what the user's screen showed in the items' minutes
    fields: while any of it is not what is saved, nothing moves (`UnsavedMinutes`).
    """
    to = workflow.target(expected, move)
    if to is None:
        raise MeetingError("Dat kan niet in deze stap van het overleg.")
    if shown_minutes:
        saved = AgendaItem.objects.filter(meeting=meeting, pk__in=list(shown_minutes))
        unsaved = [
            (item.pk, item.position)
            for item in saved.only("pk", "position", "minutes").order_by("position", "pk")
            if not _same_text(shown_minutes[item.pk], item.minutes)
        ]
        if unsaved:
            raise UnsavedMinutes(move, unsaved)
    held_early = to == MeetingState.HELD and meeting.scheduled_on > timezone.localdate()
    if held_early and expected == MeetingState.PLANNED:
        raise MeetingError(
            f"Dit overleg is pas op {numeric(meeting.scheduled_on)}. U kunt het op of na die "
            "dag als gehouden vastleggen."
        )
    # The state first: a step from a stale screen (say "Overleg afzeggen" in a tab opened
    # before the meeting was recorded as held) is told where the meeting is now, not refused
    # for a reason that assumes it is still planned.
    now = (
        CareMeeting.objects.select_for_update()
        .filter(pk=meeting.pk)
        .values_list("state", flat=True)
        .first()
    )
    if now != expected:
        raise StaleState(MOVED_MEANWHILE.get(now or "", STALE_MESSAGE))
    if to == MeetingState.CANCELLED:
        _refuse_cancelling_what_took_place(meeting)
    fields: dict[str, Any] = {"state": to, "ics_sequence": F("ics_sequence") + 1}
    if to == MeetingState.CLOSED:
        fields["closed_at"] = timezone.now()
    elif to == MeetingState.HELD:
        fields["closed_at"] = None
    if not CareMeeting.objects.filter(pk=meeting.pk, state=expected).update(**fields):
        raise StaleState()
    meeting.refresh_from_db()
    if to == MeetingState.CANCELLED:
        _tell_team(
            meeting,
            f"Het zorgoverleg op {meeting.care_team.school.name} van "
            f"{_when(meeting.scheduled_on, meeting.start_time)} gaat niet door: het is afgezegd.",
            on=meeting.scheduled_on,
            by=by,
        )
    return meeting


def _refuse_cancelling_what_took_place(meeting: CareMeeting) -> None:
    """A meeting with decisions or minutes took place: it is not cancelled.

    Its decisions are actions in the family plans; cancelling would leave actions from a meeting
    that (on paper) never happened, printed under "gaat niet door". The row is locked first, so a
    decision being saved at the same moment (`add_decision` locks it too) is either counted here
    or refused there.
    """
    CareMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
    items = AgendaItem.objects.filter(meeting=meeting)
    if Decision.objects.filter(item__in=items).exists():
        raise MeetingError(
            "Dit overleg kunt u niet meer afzeggen: er zijn al besluiten genomen, en die staan "
            "als acties in het plan van het gezin. Het overleg heeft dus plaatsgevonden. Leg het "
            "vast als gehouden."
        )
    if items.exclude(minutes="").exists():
        raise MeetingError(
            "Dit overleg kunt u niet meer afzeggen: er staat al een verslag bij een punt. Is het "
            "overleg gehouden? Leg het dan vast als gehouden. Ging het toch niet door? Haal dan "
            "eerst het verslag weg."
        )


def _lock_editable(meeting: CareMeeting, states: frozenset[str]) -> CareMeeting:
    """Lock the meeting row and check it is still open for this change."""
    locked = CareMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state not in states:
        if locked.state == MeetingState.CLOSED:
            raise StaleState("Het verslag van dit overleg is al vastgesteld. Open het eerst weer.")
        if locked.state == MeetingState.CANCELLED:
            raise StaleState("Dit overleg gaat niet door.")
        raise StaleState("Dit overleg is al gehouden; zet de leerling op een volgend overleg.")
    return locked


def _require_meeting_day(meeting: CareMeeting, not_done: str) -> None:
    """Refuse what only happens at the meeting (minutes, decisions, attendance, guests) before
    its day: a decision recorded weeks ahead became an action in the family plan for a meeting
    that might never take place. `not_done` says what was not saved."""
    if meeting.scheduled_on > timezone.localdate():
        raise MeetingError(
            f"{not_done} Dit overleg is pas op {numeric(meeting.scheduled_on)}. U kunt het "
            "verslag, de besluiten, de aanwezigheid en de gasten op of na die dag vastleggen."
        )


# --- Agenda ---------------------------------------------------------------------------------


def has_discussion_consent(pupil: Any, on: dt.date) -> bool:
    return Consent.objects.to_discuss(on).filter(pupil=pupil).exists()


class NoConsent(MeetingError):
    """The pupil has no consent to be discussed in the care team on the meeting day."""

    def __init__(self, message: str, *, pupil: Any) -> None:
        super().__init__(message)
        self.pupil = pupil


def _require_writable(item: AgendaItem, meeting: CareMeeting, what: str) -> None:
    """Refuse minutes, decisions and guests for an item about a pupil that may not be written
    into any more: what exists stays.

    - The pupil no longer goes to the meeting's school: the item is that school's file of then
      (a case follows its school, ADR 0701), which nobody adds to.
    - The pupil may not be discussed on the meeting day (no consent then).
    - The consent was withdrawn or ended after the meeting day: writing today is new data about
      the child without a basis, even for a meeting held before.
    """
    if item.pupil_id is None:
        return
    state = (
        AgendaItem.objects.filter(pk=item.pk)
        .with_consent_state()
        .select_related("pupil", "meeting__care_team__school")
        .first()
    )
    if state is None:
        raise MeetingError(f"Dit punt staat niet meer op de agenda. {what}")
    pupil = state.pupil
    assert pupil is not None
    if state.has_left_school:
        raise MeetingError(_left_school_message(state, what))
    if not state.is_discussable:
        raise NoConsent(
            f"Er is geen geldige toestemming (meer) om deze leerling op "
            f"{numeric(meeting.scheduled_on)} in het schoolzorgteam te bespreken. {what} "
            "Haal het punt van de agenda, of leg eerst opnieuw toestemming vast.",
            pupil=pupil,
        )
    if not state.is_writable:
        raise NoConsent(
            f"{what} De toestemming om {pupil.first_name} in het schoolzorgteam te bespreken "
            f"geldt vandaag ({numeric(timezone.localdate())}) niet meer: ze is ingetrokken of "
            "verlopen. Wat al bij dit punt staat, blijft staan. Er kan pas weer iets bij als "
            "er opnieuw toestemming is.",
            pupil=pupil,
        )


def _refuse_left_school(item_id: int | None, what: str) -> None:
    """Refuse a write to the item of a pupil who no longer goes to the meeting's school: the
    school keeps it as it was (`_require_writable`)."""
    if item_id is None:
        return
    item = (
        AgendaItem.objects.filter(pk=item_id)
        .with_consent_state()
        .select_related("pupil", "meeting__care_team__school")
        .first()
    )
    if item is not None and item.has_left_school:
        raise MeetingError(_left_school_message(item, what))


def _left_school_message(item: AgendaItem, what: str) -> str:
    """`what` was not done: the item's pupil left the meeting's school."""
    name = item.pupil.first_name if item.pupil is not None else "De leerling"
    return (
        f"{what} {name} staat niet meer ingeschreven op {item.meeting.care_team.school.name}. "
        "Wat bij dit punt staat, blijft bewaard als verslag van de school. Er kan niets meer bij."
    )


def _log_created(by: Any, pupil: Any, obj: Any, detail: str) -> None:
    """A write about a pupil in the read log, with the basis through which `by` sees them."""
    found = access_basis(by, pupil)
    record_access(
        None,
        user=by,
        action=AuditAction.CREATE,
        pupil_id=pupil.pk,
        basis=found[0] if found else None,
        obj=obj,
        detail=detail,
    )


@transaction.atomic
def place_on_agenda(
    meeting: CareMeeting,
    *,
    pupil: Any,
    question: str,
    by: Any,
    source: str = AgendaSource.MANUAL,
    case: Case | None = None,
) -> AgendaItem:
    """Put a pupil on the agenda; only with a consent to discuss in the care team on that day."""
    meeting = _lock_editable(meeting, workflow.AGENDA_OPEN_STATES)
    if pupil.current_school_id != meeting.care_team.school_id:
        raise MeetingError("Deze leerling zit niet op de school van dit schoolzorgteam.")
    if case is not None and case.pupil_id != pupil.pk:
        raise MeetingError("Deze casus hoort bij een andere leerling.")
    if is_blank(question):
        raise MeetingError("Schrijf op wat u het team wilt vragen.")
    if not has_discussion_consent(pupil, meeting.scheduled_on):
        raise NoConsent(
            f"{pupil.first_name} kan niet op de agenda: er is geen geldige toestemming om "
            f"{pupil.first_name} op {numeric(meeting.scheduled_on)} in het schoolzorgteam te "
            "bespreken. Leg eerst de toestemming vast.",
            pupil=pupil,
        )
    if AgendaItem.objects.filter(meeting=meeting, pupil=pupil).exists():
        raise MeetingError(f"{pupil.first_name} staat al op de agenda van dit overleg.")
    if outsiders := _outside_guests_of_whole(meeting):
        raise MeetingError(
            f"{pupil.first_name} kan niet op de agenda: bij dit overleg staat als gast voor het "
            f"hele overleg {', '.join(outsiders)}. Wie geen ouder of de leerling is, mag niet "
            "bij de bespreking van een kind zijn zonder toestemming voor dat kind. Haal de gast "
            "eerst weg en voeg die toe bij een algemeen punt, of bij dit punt met toestemming."
        )
    position = (
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    ) + 1
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                meeting=meeting,
                pupil=pupil,
                case=case,
                source=source,
                question=question.strip(),
                position=position,
                placed_by=by,
            )
    except IntegrityError as exc:
        raise MeetingError(f"{pupil.first_name} staat al op de agenda van dit overleg.") from exc
    _log_created(by, pupil, item, f"geagendeerd voor overleg {numeric(meeting.scheduled_on)}")
    if case is not None:
        add_case_event(
            case,
            kind=EventKind.NOTE,
            text=f"Geagendeerd voor het {meeting.care_team.meeting_name.lower()} van "
            f"{numeric(meeting.scheduled_on)}.",
            by=by,
            url=meeting_url(meeting),
        )
    return item


@transaction.atomic
def add_general_item(
    meeting: CareMeeting, *, question: str, by: Any, form_token: uuid.UUID | None = None
) -> AgendaItem:
    """An item without a pupil (e.g. 'afspraken over de inloopspreekuren').

    The agenda page's `form_token`: the same form sent again returns the item of the first send
    instead of a second item with the same text.
    """
    same = {"meeting_id": meeting.pk, "placed_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(AgendaItem, form_token, error=MeetingError, **same)
    if first is not None:
        return first
    meeting = _lock_editable(meeting, workflow.EDITABLE_STATES)
    if is_blank(question):
        raise MeetingError("Schrijf op wat u wilt bespreken.")
    position = (
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    ) + 1
    item, _new = formtokens.create_once(
        AgendaItem,
        form_token,
        error=MeetingError,
        same=same,
        meeting=meeting,
        question=question.strip(),
        position=position,
        placed_by=by,
    )
    return item


@transaction.atomic
def remove_from_agenda(item: AgendaItem, *, by: Any) -> None:
    """Take an item off the agenda before the meeting; not once minutes or decisions exist.

    An item whose pupil may no longer be discussed (consent withdrawn or ended by the meeting
    day) can also be taken off after the meeting and with its minutes, which lost their basis;
    not once decisions made it into the plan and the case.
    """
    if AgendaItem.objects.filter(pk=item.pk).discussable().exists():
        _lock_editable(item.meeting, workflow.AGENDA_OPEN_STATES)
        if item.minutes.strip() or item.decisions.exists():
            raise MeetingError("Dit punt heeft al een verslag of besluiten en blijft op de agenda.")
    else:
        _lock_editable(item.meeting, workflow.EDITABLE_STATES)
        if item.decisions.exists():
            raise MeetingError(
                "Bij dit punt zijn al besluiten genomen; die staan in het plan. Het punt blijft "
                "op de agenda, zonder naam en zonder verslag."
            )
    item.delete()


# --- Attendance and guests ------------------------------------------------------------------

# Guests who receive the minutes of the pupil's item, and only of that item.
FOR_THEIR_CHILD = frozenset({GuestRole.PARENT, GuestRole.PUPIL})
FOR_THEIR_CHILD_MESSAGE = (
    "Kies het punt over het kind. Ouders en de leerling krijgen alleen het verslag van dat punt, "
    "niet van het hele overleg."
)
# Anyone else (a teacher, someone from outside the care team) has no organisation that a
# consent could name: they hear no child discussed without the family's agreement to them.
NOT_AT_CHILDREN_MESSAGE = (
    "Deze gast kan niet bij het hele overleg zijn: er worden kinderen besproken. Iemand die "
    "geen ouder of de leerling is, mag alleen bij een algemeen punt zijn, of bij het punt over "
    "één kind als de ouders (of de leerling) daarmee instemden. Kies dat punt."
)


def _outside_guests_of_whole(meeting: CareMeeting) -> list[str]:
    """The names of the guests recorded for the whole meeting who are not a child's parent or
    the pupil: they may not be there once a child is on the agenda."""
    return list(
        MeetingGuest.objects.filter(meeting=meeting, item__isnull=True)
        .exclude(role__in=FOR_THEIR_CHILD)
        .values_list("name", flat=True)
    )


def _who_must_agree(pupil: Any, on: dt.date) -> str:
    """Who must agree to a guest at the pupil's item on the meeting day, by the pupil's age
    then (`consent.rules`), in words; refused when no parent with authority is recorded while
    one must agree."""
    parties = required_parties(pupil, on)
    names = []
    if parties.guardians_required:
        if not parties.guardian_ids:
            raise FieldRefused(
                "agreed",
                f"Er is geen ouder met gezag van {pupil.first_name} vastgelegd, dus niemand "
                f"kan voor {pupil.first_name} instemmen met deze gast. Leg eerst de ouders met "
                "gezag vast, of kies een algemeen punt.",
            )
        names = sorted(
            Guardian.objects.filter(pk__in=parties.guardian_ids).values_list("full_name", flat=True)
        )
    if parties.pupil:
        names.append(f"{pupil.first_name} zelf ({parties.age} jaar)")
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} en {names[-1]}"


@transaction.atomic
def record_attendance(meeting: CareMeeting, *, statuses: dict[int, str], by: Any) -> None:
    """Set present/absent/excused per team member (member id → status), from the meeting day."""
    meeting = _lock_editable(meeting, workflow.EDITABLE_STATES)
    _require_meeting_day(meeting, "De aanwezigheid is niet opgeslagen.")
    valid = set(
        CareTeamMember.objects.filter(team_id=meeting.care_team_id, pk__in=statuses).values_list(
            "pk", flat=True
        )
    )
    for member_id, status in statuses.items():
        if member_id not in valid:
            continue
        Attendance.objects.update_or_create(
            meeting=meeting, member_id=member_id, defaults={"status": status}
        )


@transaction.atomic
def add_guest(
    meeting: CareMeeting,
    *,
    name: str,
    role: str,
    by: Any,
    item: AgendaItem | None = None,
    form_token: uuid.UUID | None = None,
    agreed_on: dt.date | None = None,
) -> MeetingGuest:
    """Someone without an account who took part. Parents and the pupil come for the pupil's
    item: they receive the minutes of that item only (ADR 0201), so they need one.

    Anyone else (a teacher, someone from outside the care team: no organisation a consent to
    discuss could name) is refused for the whole meeting once a child is on its agenda, and is
    taken at a child's item only with the day the family agreed to this guest (`agreed_on`, on
    or before the meeting day); who had to agree follows the child's age on the meeting day and
    is recorded in words with who recorded it. At a general item no agreement is needed.

    The working screen's `form_token`: the same form sent again returns the guest of the first
    send instead of listing the guest twice.
    """
    same = {"meeting_id": meeting.pk}
    first = formtokens.sent_before(MeetingGuest, form_token, error=MeetingError, **same)
    if first is not None:
        return first
    meeting = _lock_editable(meeting, workflow.EDITABLE_STATES)
    _require_meeting_day(meeting, "De gast is niet toegevoegd.")
    if is_blank(name):
        raise MeetingError("Vul de naam van de gast in.")
    if item is not None and item.meeting_id != meeting.pk:
        raise MeetingError("Dat agendapunt hoort bij een ander overleg.")
    if role in FOR_THEIR_CHILD and (item is None or item.pupil_id is None):
        raise FieldRefused("item", FOR_THEIR_CHILD_MESSAGE)
    if item is not None and item.pupil_id is not None:
        try:
            _require_writable(item, meeting, "De gast is niet toegevoegd.")
        except MeetingError as exc:
            raise FieldRefused("item", exc.message) from None
    agreement: dict[str, Any] = {}
    if role not in FOR_THEIR_CHILD:
        if (
            item is None
            and AgendaItem.objects.filter(meeting=meeting, pupil__isnull=False).exists()
        ):
            raise FieldRefused("item", NOT_AT_CHILDREN_MESSAGE)
        if item is not None and item.pupil is not None:
            agreement = _guest_agreement(meeting, item.pupil, agreed_on=agreed_on, by=by)
    guest, new = formtokens.create_once(
        MeetingGuest,
        form_token,
        error=MeetingError,
        same=same,
        meeting=meeting,
        item=item,
        name=name.strip(),
        role=role,
        **agreement,
    )
    if new and agreement and item is not None and item.pupil is not None:
        _log_created(
            by,
            item.pupil,
            guest,
            f"toestemming voor gast bij overleg {numeric(meeting.scheduled_on)}",
        )
    return guest


def _guest_agreement(
    meeting: CareMeeting, pupil: Any, *, agreed_on: dt.date | None, by: Any
) -> dict[str, Any]:
    """The recorded ground for a guest who is not a parent or the pupil at the pupil's item."""
    who = _who_must_agree(pupil, meeting.scheduled_on)
    if agreed_on is None:
        raise FieldRefused(
            "agreed",
            f"Deze gast is geen ouder of de leerling. Daarom moet {who} ermee instemmen dat "
            f"deze gast bij het punt over {pupil.first_name} is. Vink aan dat dit zo is en vul "
            "in op welke dag. Of kies een algemeen punt.",
        )
    if agreed_on > meeting.scheduled_on or agreed_on > timezone.localdate():
        latest = min(meeting.scheduled_on, timezone.localdate())
        raise FieldRefused(
            "agreed_on",
            f"De toestemming moet er zijn vóór de bespreking. Kies {numeric(latest)} of eerder.",
        )
    return {"agreed_on": agreed_on, "agreed_by": who, "agreement_recorded_by": by}


@transaction.atomic
def remove_guest(guest: MeetingGuest, *, by: Any) -> None:
    """Take a guest off the list while the minutes are a draft (added twice, by mistake or with
    a typo: add them again as they should be).

    Not once the minutes of their child's item were sent to them for correction: that a parent
    received a child's minutes stays on record (ADR 0201). Not once the minutes are fixed.
    """
    _lock_editable(guest.meeting, workflow.EDITABLE_STATES)
    _refuse_left_school(guest.item_id, f"{guest.name} blijft bij de gasten.")
    # One conditional DELETE: the minutes sent at the same moment keep the guest.
    unsent = MeetingGuest.objects.filter(pk=guest.pk, sent_for_correction_on__isnull=True)
    deleted, _ = unsent.delete()
    if not deleted and MeetingGuest.objects.filter(pk=guest.pk).exists():
        raise MeetingError(
            f"{guest.name} blijft bij de gasten: het verslag is om na te kijken naar deze "
            "gast gestuurd, en dat blijft vastgelegd."
        )


# --- Minutes and decisions ------------------------------------------------------------------


@transaction.atomic
def save_minutes(item: AgendaItem, *, text: str, expected_version: int, by: Any) -> AgendaItem:
    """Save the minutes of one item, only over the version the user started from; from the
    meeting day on."""
    meeting = _lock_editable(item.meeting, workflow.EDITABLE_STATES)
    _require_meeting_day(meeting, "Het verslag is niet opgeslagen.")
    _require_writable(item, meeting, "Het verslag is niet opgeslagen.")
    updated = AgendaItem.objects.filter(pk=item.pk, minutes_version=expected_version).update(
        minutes=text.strip(),
        minutes_version=F("minutes_version") + 1,
        minutes_updated_at=timezone.now(),
        minutes_updated_by=by,
    )
    if not updated:
        raise MinutesConflict()
    item.refresh_from_db()
    return item


@transaction.atomic
def add_decision(
    item: AgendaItem,
    *,
    text: str,
    domain: str,
    owner: Any,
    due_on: dt.date,
    by: Any,
    form_token: uuid.UUID,
) -> tuple[Decision, bool]:
    """Record a decision, from the meeting day on; it becomes an action in the family plan and
    a line on the case. `owner` is a User or, for an item about a child, a name from the family
    or network (as in the plan's action form).

    Returns the decision and whether it is new: the same form sent twice (double click, resend
    after a network error) returns the first decision instead of making a second action.
    """
    existing = Decision.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.item_id != item.pk:
            raise MeetingError("Dit formulier hoort bij een ander agendapunt. Ververs de pagina.")
        return existing, False
    meeting = _lock_editable(item.meeting, workflow.EDITABLE_STATES)
    _require_meeting_day(meeting, "Het besluit is niet opgeslagen.")
    _require_writable(item, meeting, "Het besluit is niet opgeslagen.")
    if is_blank(text):
        raise MeetingError("Beschrijf wat er is besloten.")
    if due_on < meeting.scheduled_on:
        raise FieldRefused(
            "due_on",
            "Deze datum ligt voor de dag van het overleg. "
            f"Kies {numeric(meeting.scheduled_on)} of later.",
        )
    pupil = item.pupil
    is_person = owner is not None and not isinstance(owner, str)
    owner_name = owner.strip() if isinstance(owner, str) else ""
    if not is_person and not owner_name:
        raise FieldRefused("owner", "Kies wie het doet.")
    if not is_person and pupil is None:
        # A general item has no family: its decisions are for the team's own people.
        raise FieldRefused("owner", "Kies iemand uit de lijst.")
    # The plan's rule for an action's due day (a decision becomes one), at this form's field.
    closed = closed_due_day(
        pupil.current_school if pupil is not None else meeting.care_team.school,
        domain=domain,
        by_person=is_person,
        due_on=due_on,
    )
    if closed:
        raise FieldRefused("due_on", closed)
    # A consent that names one organisation: the others' people could not act on the file.
    if pupil is not None and is_person and not may_be_named(owner, pupil):
        raise FieldRefused(
            "owner",
            f"{owner.full_name} mag het dossier van {pupil.first_name} niet openen, "
            "bijvoorbeeld omdat de toestemming niet voor de eigen organisatie geldt. "
            "Kies iemand anders.",
        )
    decision = Decision.objects.create(
        item=item,
        text=text.strip(),
        domain=domain,
        owner=owner if is_person else None,
        owner_name=owner_name,
        due_on=due_on,
        created_by=by,
        form_token=form_token,
    )
    source = f"{meeting.care_team.meeting_name} {numeric(meeting.scheduled_on)}"
    if item.pupil_id is not None:
        part = start_plan(item.pupil, by=by)
        decision.plan_action = add_action(
            part,
            description=decision.text,
            domain=domain,
            owner=decision.owner if is_person else owner_name,
            due_on=due_on,
            by=by,
            source=source,
        )
        decision.save(update_fields=["plan_action"])
    if item.case_id is not None:
        add_case_event(
            item.case,  # type: ignore[arg-type]
            kind=EventKind.MEETING_DECISION,
            text=f"Besluit in {source}: {decision.text} – {decision.owner_label}, "
            f"klaar op {numeric(due_on)}.",
            by=by,
            url=meeting_url(meeting),
        )
    return decision, True


# --- Minutes for correction by parents ------------------------------------------------------


def _coordinators(meeting: CareMeeting) -> list[Any]:
    return [
        m.user
        for m in CareTeamMember.objects.in_force(meeting.scheduled_on)
        .filter(team_id=meeting.care_team_id, role=TeamRole.SUPPORT_COORDINATOR)
        .select_related("user")
    ]


@transaction.atomic
def send_for_correction(guest: MeetingGuest, *, by: Any, on: dt.date | None = None) -> MeetingGuest:
    """Record that a parent received the minutes of their child's item to check.

    Parents have no account: the coordinator gives or sends them the printed minutes of their
    child's item (`views.print_item_pdf`), never the whole meeting's. The coordinators get a reminder to collect the reaction (no child data in the message).
    """
    if guest.role not in FOR_THEIR_CHILD:
        raise MeetingError("Alleen ouders en de leerling krijgen het verslag om na te kijken.")
    if guest.item_id is None:
        raise MeetingError(
            "Deze gast staat bij het hele overleg. Ouders en de leerling krijgen alleen het "
            "verslag van het punt over hun kind. Voeg hen toe bij dat punt en druk dat verslag af."
        )
    _refuse_left_school(guest.item_id, "Het verslag is niet als verzonden vastgelegd.")
    day = on or timezone.localdate()
    # The minutes as they are now go along: the parents react to this text, which may change
    # afterwards (the item then says so).
    minutes, version = AgendaItem.objects.values_list("minutes", "minutes_version").get(
        pk=guest.item_id
    )
    updated = MeetingGuest.objects.filter(pk=guest.pk, sent_for_correction_on__isnull=True).update(
        sent_for_correction_on=day,
        sent_for_correction_by=by,
        sent_minutes=minutes,
        sent_minutes_version=version,
    )
    if not updated:
        raise StaleState("Het verslag was al gestuurd om na te kijken.")
    guest.refresh_from_db()
    meeting = guest.meeting
    # The item, the meeting's day and the school tell two of these apart, without the child.
    item = AgendaItem.objects.values_list("position", flat=True).get(pk=guest.item_id)
    who = "de leerling" if guest.role == GuestRole.PUPIL else "de ouders"
    notify(
        _coordinators(meeting),
        text=f"Het verslag van punt {item} van het overleg van {numeric(meeting.scheduled_on)} "
        f"op {meeting.care_team.school.name} is om na te kijken naar {who} gestuurd. "
        "Leg de reactie vast in Schoolzorg.",
        url=meeting_url(guest.meeting),
        email=False,
    )
    return guest


class CorrectionConflict(StaleState):
    """Someone else recorded the parents' reaction after this person's form showed it."""

    def __init__(self) -> None:
        super().__init__(
            "Iemand anders heeft de reactie van de ouders intussen vastgelegd of aangepast. "
            "Hieronder ziet u wat er nu staat, met daaronder uw eigen tekst. Neem over wat nodig "
            "is en sla opnieuw op."
        )


@transaction.atomic
def record_correction(
    guest: MeetingGuest,
    *,
    note: str,
    received_on: dt.date,
    by: Any,
    expected: str | None = None,
) -> MeetingGuest:
    """Record what the parents asked to correct; shown and printed with the item's minutes.

    One reaction per guest, changed as the parents' answer grows: `expected` is the reaction
    the user's form showed, and a reaction recorded meanwhile by someone else is not replaced
    (`CorrectionConflict`). Not received before the minutes were sent.
    """
    if guest.sent_for_correction_on is None:
        raise MeetingError("Stuur het verslag eerst om na te kijken.")
    _refuse_left_school(guest.item_id, "De reactie is niet vastgelegd.")
    if is_blank(note):
        raise MeetingError("Schrijf de reactie van de ouders op, ook als die 'akkoord' is.")
    if received_on < guest.sent_for_correction_on:
        raise FieldRefused(
            "received_on",
            "Deze datum ligt voor de dag waarop het verslag is verzonden. Kies "
            f"{numeric(guest.sent_for_correction_on)} of later.",
        )
    # Locked, so that two people saving at once are compared one after the other.
    now = MeetingGuest.objects.select_for_update().get(pk=guest.pk)
    if expected is not None and not _same_text(expected, now.correction_note):
        if _same_text(note, now.correction_note) and now.correction_received_on == received_on:
            return now  # the user's own form sent again (back button, double click)
        raise CorrectionConflict()
    guest.correction_note = note.strip()
    guest.correction_received_on = received_on
    guest.save(update_fields=["correction_note", "correction_received_on"])
    if guest.item_id is not None:
        AgendaItem.objects.filter(pk=guest.item_id).update(minutes_version=F("minutes_version") + 1)
    return guest
