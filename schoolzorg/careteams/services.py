"""Every write to a care team: add or end a member, change hours, set presence times.

Rows are closed and opened, never rewritten, and each change leaves a `CareTeamChange` row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone

from schoolzorg.careteams.models import (
    CareTeam,
    CareTeamChange,
    CareTeamMember,
    ChangeKind,
    PresenceSlot,
    Weekday,
    school_year_of,
)
from schoolzorg.lib import formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.organisations.models import School


def team_for(school: School, *, on: dt.date | None = None) -> CareTeam:
    """The school's care team for the school year of a day; created empty when missing."""
    year = school_year_of(on or timezone.localdate())
    team, _ = CareTeam.objects.get_or_create(school=school, school_year=year)
    return team


@transaction.atomic
def add_member(
    team: CareTeam,
    *,
    user: Any,
    role: str,
    hours_per_week: Decimal,
    joined_on: dt.date,
    by: Any,
) -> CareTeamMember:
    """Add a person in a role; the same person twice in the same role at once is refused."""
    if CareTeamMember.objects.current(joined_on).filter(team=team, user=user, role=role).exists():
        raise ValidationError(f"{user} is al lid van dit team in deze rol.")
    member = CareTeamMember.objects.create(
        team=team, user=user, role=role, hours_per_week=hours_per_week, joined_on=joined_on
    )
    CareTeamChange.objects.create(
        team=team,
        kind=ChangeKind.JOINED,
        text=f"{user} toegevoegd als {member.get_role_display().lower()}, "
        f"{hours_per_week} uur per week, vanaf {numeric(joined_on)}.",
        by=by,
    )
    return member


@transaction.atomic
def end_member(member: CareTeamMember, *, left_on: dt.date, by: Any) -> CareTeamMember:
    """Close a membership on a day (the last day the person is in the team)."""
    if left_on < member.joined_on:
        raise ValidationError("De einddatum ligt voor de datum waarop het lid begon.")
    updated = CareTeamMember.objects.filter(pk=member.pk, left_on__isnull=True).update(
        left_on=left_on
    )
    if not updated:
        raise ValidationError("Dit lid was al uit het team gehaald. Ververs de pagina.")
    member.left_on = left_on
    CareTeamChange.objects.create(
        team=member.team,
        kind=ChangeKind.LEFT,
        text=f"{member.user} ({member.get_role_display().lower()}) uit het team per "
        f"{numeric(left_on)}.",
        by=by,
    )
    return member


class StaleHours(ValidationError):
    """A colleague changed the member's hours after the form was drawn; `current` is the row as
    it is now, which a deliberate second send changes."""

    def __init__(self, current: CareTeamMember) -> None:
        super().__init__(
            f"Een collega heeft de uren intussen aangepast: {current.user} heeft nu "
            f"{floatformat(current.hours_per_week, -1)} uur per week, vanaf "
            f"{numeric(current.joined_on)}. Uw wijziging is niet opgeslagen. Wilt u toch uw "
            "eigen uren? Klik dan nog een keer op 'Uren opslaan'."
        )
        self.current = current


class AlreadyDone(ValidationError):
    """The same form sent again (a double click, the back button): its hours are saved."""

    def __init__(self, current: CareTeamMember) -> None:
        super().__init__("Dit was al gedaan.")
        self.current = current


def latest_row(member: CareTeamMember) -> CareTeamMember:
    """The row of the same person in the same role and team that is the newest: a change of
    hours ends a row and opens a new one, so a screen drawn before it shows an ended row."""
    return (
        CareTeamMember.objects.select_for_update()
        .filter(team_id=member.team_id, user_id=member.user_id, role=member.role)
        .filter(joined_on__gte=member.joined_on)
        .select_related("team__school", "user")
        .order_by("-joined_on", "-pk")
        .first()
    ) or member


@transaction.atomic
def change_hours(
    member: CareTeamMember,
    *,
    hours_per_week: Decimal,
    on: dt.date,
    by: Any,
    expected: Decimal | None = None,
) -> CareTeamMember:
    """New agreed hours from a day: the old row ends the day before, a new row starts.

    `expected` is the hours the form showed (None: not compared). When a colleague changed
    them meanwhile (a new row, or other hours on this one) `StaleHours` says what they are now;
    when they are already what the form asks (the same form sent twice) `AlreadyDone`.
    """
    current = latest_row(member)
    if current.left_on is not None:
        raise ValidationError("Dit lid is niet meer in het team.")
    if current.pk != member.pk or (expected is not None and current.hours_per_week != expected):
        corrected = current.pk == member.pk and on <= current.joined_on
        if current.hours_per_week == hours_per_week and (current.joined_on == on or corrected):
            raise AlreadyDone(current)
        raise StaleHours(current)
    member = current
    old_hours = member.hours_per_week
    if on <= member.joined_on:
        # Same day or earlier: the agreement is corrected rather than replaced.
        CareTeamMember.objects.filter(pk=member.pk).update(hours_per_week=hours_per_week)
        member.hours_per_week = hours_per_week
        new = member
    else:
        updated = CareTeamMember.objects.filter(pk=member.pk, left_on__isnull=True).update(
            left_on=on - dt.timedelta(days=1)
        )
        if not updated:
            raise ValidationError("Dit lid was al gewijzigd. Ververs de pagina.")
        new = CareTeamMember.objects.create(
            team=member.team,
            user=member.user,
            role=member.role,
            hours_per_week=hours_per_week,
            joined_on=on,
        )
        PresenceSlot.objects.filter(member=member).update(member=new)
    CareTeamChange.objects.create(
        team=member.team,
        kind=ChangeKind.HOURS,
        text=f"Uren van {member.user} van {old_hours} naar {hours_per_week} per week, "
        f"vanaf {numeric(on)}.",
        by=by,
    )
    return new


@transaction.atomic
def add_presence_slot(
    member: CareTeamMember,
    *,
    weekday: int,
    starts_at: dt.time,
    ends_at: dt.time,
    place: str,
    is_walk_in: bool,
    by: Any,
    form_token: uuid.UUID | None = None,
) -> PresenceSlot:
    """A fixed time of a member at school. The form's `form_token`: the same form sent again
    returns the slot of the first send. A time that overlaps one of the member's own on the
    same day is refused: parents and staff would find the same person twice on the list."""
    same = {"member_id": member.pk}
    first = formtokens.sent_before(PresenceSlot, form_token, error=ValidationError, **same)
    if first is not None:
        return first
    if ends_at <= starts_at:
        raise ValidationError("De eindtijd moet na de begintijd liggen.")
    # One writer per member at a time, so two tabs cannot both add the same time.
    CareTeamMember.objects.select_for_update().filter(pk=member.pk).first()
    taken = PresenceSlot.objects.filter(
        member=member, weekday=weekday, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).first()
    if taken is not None:
        raise ValidationError(
            f"{member.user} is op {Weekday(weekday).label} al op school van "
            f"{taken.starts_at:%H:%M} tot {taken.ends_at:%H:%M}"
            f"{' (' + taken.place + ')' if taken.place else ''}. Die tijd overlapt met deze. "
            "Kies een andere tijd, of verwijder eerst de tijd die er al staat."
        )
    slot, new = formtokens.create_once(
        PresenceSlot,
        form_token,
        error=ValidationError,
        same=same,
        member=member,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        is_walk_in=is_walk_in,
    )
    if not new:
        return slot
    label = "Inloopspreekuur" if is_walk_in else "Vaste aanwezigheid"
    CareTeamChange.objects.create(
        team=member.team,
        kind=ChangeKind.PRESENCE,
        text=f"{label} van {member.user}: {Weekday(weekday).label} "
        f"{starts_at:%H:%M}-{ends_at:%H:%M}{', ' + place if place else ''}.",
        by=by,
    )
    return slot


@transaction.atomic
def remove_presence_slot(slot: PresenceSlot, *, by: Any) -> None:
    member = slot.member
    text = f"Vaste tijd van {member.user} vervallen: {slot}."
    slot.delete()
    CareTeamChange.objects.create(team=member.team, kind=ChangeKind.PRESENCE, text=text, by=by)
