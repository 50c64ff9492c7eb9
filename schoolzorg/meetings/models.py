"""The care meeting (Onderwijszorgoverleg / Schoolondersteuningsteam): schedule, agenda,
attendance, minutes and decisions.

An agenda item about a pupil exists only with a consent to discuss that pupil in the care team
on the meeting day (checked by `services.place_on_agenda`); an item whose consent is withdrawn
or ends by that day stays without the child's name, minutes or decisions
(`AgendaItemQuerySet.with_consent_state`). Minutes, decisions and guests are added only while
the consent is also in force on the day they are written and the pupil still goes to the
meeting's school (`AgendaItem.is_writable`); the items of a pupil who left are the school's file,
read only for its support coordinator (`AgendaItemQuerySet.of_visible_pupils`). A decision
becomes an action in the family's integral plan and a line on the case timeline.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone

from schoolzorg.careteams.models import CareTeam, CareTeamMember, Weekday
from schoolzorg.lib.dates import numeric
from schoolzorg.meetings.workflow import MeetingState
from schoolzorg.plans.models import Domain


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Elke maand"
    SIX_A_YEAR = "six_a_year", "Zes keer per schooljaar (om de maand)"


def default_start_time() -> dt.time:
    """13:30, when a care meeting usually starts.

    A function, not a fixed time: Django's system check takes a fixed time within ten seconds of
    the clock for a mistake and prints an English warning with every command.
    """
    return dt.time(13, 30)


# How long a meeting of the rhythm lasts, in minutes: the constraint below and the form's field.
DURATION_MINUTES_MIN = 15
DURATION_MINUTES_MAX = 480


class MeetingSchedule(models.Model):
    """The rhythm of a care team's meetings: 'the second Tuesday of the month, 13:30'."""

    care_team = models.OneToOneField(CareTeam, on_delete=models.CASCADE, related_name="schedule")
    frequency = models.CharField(
        "hoe vaak", max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    weekday = models.PositiveSmallIntegerField("dag", choices=Weekday.choices, default=1)
    week_of_month = models.PositiveSmallIntegerField(
        "welke week van de maand",
        choices=[(1, "eerste"), (2, "tweede"), (3, "derde"), (4, "vierde")],
        default=2,
    )
    start_time = models.TimeField("begint om", default=default_start_time)
    duration_minutes = models.PositiveSmallIntegerField("duur in minuten", default=90)
    location = models.CharField("plek", max_length=120, blank=True)

    class Meta:
        verbose_name = "overlegritme"
        verbose_name_plural = "overlegritmes"
        constraints = [
            models.CheckConstraint(
                condition=Q(week_of_month__gte=1) & Q(week_of_month__lte=4),
                name="schedule_week_of_month_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=DURATION_MINUTES_MIN)
                & Q(duration_minutes__lte=DURATION_MINUTES_MAX),
                name="schedule_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()}, {self.get_week_of_month_display()} {self.get_weekday_display()}"


class CareMeetingQuerySet(models.QuerySet["CareMeeting"]):
    def visible_to(self, user: Any) -> CareMeetingQuerySet:
        """Meetings of care teams the user is in (while their role there is in force), and of
        schools where the user holds a case role.

        A teacher or director sees the care team page but not the meetings: the agenda shows which
        children are discussed.
        """
        from schoolzorg.accounts.roles import CASE_ROLES
        from schoolzorg.pupils.access import active_memberships

        if not getattr(user, "is_authenticated", False):
            return self.none()
        schools = {m.served_school_id for m in active_memberships(user) if m.role in CASE_ROLES}
        schools.discard(None)
        in_team = CareTeamMember.objects.in_force().filter(user=user).values("team_id")
        return self.filter(Q(care_team__school_id__in=schools) | Q(care_team_id__in=in_team))

    def upcoming(self, on: dt.date | None = None) -> CareMeetingQuerySet:
        day = on or timezone.localdate()
        return self.filter(scheduled_on__gte=day, state=MeetingState.PLANNED)


class CareMeeting(models.Model):
    care_team = models.ForeignKey(CareTeam, on_delete=models.PROTECT, related_name="meetings")
    scheduled_on = models.DateField("datum")
    start_time = models.TimeField("begint om")
    end_time = models.TimeField("eindigt om")
    location = models.CharField("plek", max_length=120, blank=True)
    state = models.CharField(
        max_length=16, choices=MeetingState.choices, default=MeetingState.PLANNED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Invitations keep one UID so that calendars update an invitation instead of adding one.
    ics_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    # The planning form's token (`lib.formtokens`): the same form sent twice plans one meeting.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CareMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_on", "start_time"]
        verbose_name = "zorgoverleg"
        verbose_name_plural = "zorgoverleggen"
        indexes = [models.Index(fields=["care_team", "scheduled_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["care_team", "scheduled_on"], name="one_meeting_per_team_per_day"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="meeting_time_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_team.meeting_name} {numeric(self.scheduled_on)}"

    @property
    def title(self) -> str:
        return f"{self.care_team.meeting_name} {self.care_team.school.name}"

    def starts(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.scheduled_on, self.start_time))

    def ends(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.scheduled_on, self.end_time))


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Aanwezig"
    ABSENT = "absent", "Afwezig"
    EXCUSED = "excused", "Afgemeld"


class Attendance(models.Model):
    meeting = models.ForeignKey(CareMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "careteams.CareTeamMember", on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]


class GuestRole(models.TextChoices):
    PARENT = "parent", "Ouder/verzorger"
    PUPIL = "pupil", "Leerling"
    TEACHER = "teacher", "Leerkracht"
    OTHER = "other", "Anders"


class AgendaSource(models.TextChoices):
    HELP_REQUEST = "help_request", "Nieuwe hulpvraag"
    REVIEW = "review", "Bespreken voortgang"
    MANUAL = "manual", "Zelf toegevoegd"


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def visible_to(self, user: Any) -> AgendaItemQuerySet:
        """Items of visible meetings whose pupil the user sees in full (items without a pupil too)."""
        return self.filter(meeting__in=CareMeeting.objects.visible_to(user)).of_visible_pupils(user)

    def of_visible_pupils(self, user: Any) -> AgendaItemQuerySet:
        """Items whose pupil the user sees in full, and items without a pupil; for a meeting
        whose visibility was already checked.

        The items of a school's meeting are that school's file, as its cases are (ADR 0701,
        "A case follows its school"): an item whose pupil no longer goes to the meeting's school
        is seen only by the school's support coordinator, the custodian of its file
        (`cases.policies.custodian_school_ids`), read only. Nobody reaches it through the pupil
        any more (say a worker who owns an action in the child's plan): the pupil's relations
        now belong with the new school.
        """
        from schoolzorg.cases.policies import custodian_school_ids
        from schoolzorg.pupils.models import Pupil

        # Full files only: a teacher who sees a child of their own group must not learn from
        # the agenda that the child is discussed in the care team.
        full = Pupil.objects.visible_to(user, full_only=True)
        at_school = Q(pupil__current_school_id=F("meeting__care_team__school_id"))
        shown = Q(pupil__isnull=True) | (at_school & Q(pupil__in=full))
        schools = custodian_school_ids(user)
        if schools:
            shown |= (
                Q(pupil__isnull=False) & ~at_school & Q(meeting__care_team__school_id__in=schools)
            )
        return self.filter(shown)

    def with_consent_state(self) -> AgendaItemQuerySet:
        """Annotate `has_consent`: a consent to discuss the pupil is in force on the meeting day.

        The rule `place_on_agenda` checks, kept for as long as the item is on the agenda: a
        consent withdrawn or expired by the meeting day, or no longer enough for the pupil's
        age on that day, leaves the item without a basis. Read it as
        `AgendaItem.is_discussable` (items without a pupil always are).

        Also `is_open_to_team` (one of those consents names no organisation) and
        `consent_recipients` (the organisations they name): a consent for one organisation
        lets the item be discussed only with those who may see the pupil (`only_with`).
        """
        from django.db.models import StringAgg, Subquery, Value

        from schoolzorg.consent.models import Consent
        from schoolzorg.organisations.models import Organisation

        consented = Consent.objects.to_discuss(OuterRef("meeting__scheduled_on")).filter(
            pupil_id=OuterRef("pupil_id")
        )
        # One row of the names of the organisations these consents name, each once.
        named_by = Consent.objects.to_discuss(OuterRef(OuterRef("meeting__scheduled_on"))).filter(
            pupil_id=OuterRef(OuterRef("pupil_id"))
        )
        named = (
            Organisation.objects.filter(pk__in=named_by.values("recipient_id"))
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(names=StringAgg("name", Value(", ")))
            .values("names")
        )
        # What may still be written into the item today (`AgendaItem.is_writable`): its pupil
        # still goes to the meeting's school, and a consent to discuss is in force today, not
        # only on the meeting day (minutes written after a withdrawal are new data without a
        # basis).
        consented_today = Consent.objects.to_discuss(timezone.localdate()).filter(
            pupil_id=OuterRef("pupil_id")
        )
        left = ExpressionWrapper(
            Q(pupil__isnull=False)
            & ~Q(pupil__current_school_id=F("meeting__care_team__school_id")),
            output_field=models.BooleanField(),
        )
        return self.annotate(
            has_consent=Exists(consented),
            is_open_to_team=Exists(consented.filter(recipient__isnull=True)),
            consent_recipients=Subquery(named[:1]),
            has_consent_today=Exists(consented_today),
            left_school=left,
        )

    def discussable(self) -> AgendaItemQuerySet:
        """Items without a pupil, and items whose pupil may still be discussed on the day."""
        return self.with_consent_state().filter(Q(pupil__isnull=True) | Q(has_consent=True))


class AgendaItem(models.Model):
    meeting = models.ForeignKey(CareMeeting, on_delete=models.CASCADE, related_name="items")
    pupil = models.ForeignKey(
        "pupils.Pupil",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    source = models.CharField(
        max_length=16, choices=AgendaSource.choices, default=AgendaSource.MANUAL
    )
    question = models.TextField("vraag aan het team")
    position = models.PositiveSmallIntegerField(default=0)
    minutes = models.TextField("verslag", blank=True)
    # Optimistic lock for the minutes: the form carries the number it saw.
    minutes_version = models.PositiveIntegerField(default=0)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    minutes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    # One token per rendered form for an item without a pupil: the same form sent again finds
    # this item instead of adding it twice (a pupil is on an agenda once anyway).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "pupil"],
                condition=Q(pupil__isnull=False),
                name="pupil_once_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"Agendapunt {self.position}"

    @property
    def is_discussable(self) -> bool:
        """No pupil, or a consent to discuss the pupil in force on the meeting day.

        Needs `with_consent_state()`; an item read without it counts as not discussable, so a
        page that forgot it hides the child rather than shows it.
        """
        return self.pupil_id is None or bool(getattr(self, "has_consent", False))

    @property
    def has_left_school(self) -> bool:
        """The pupil no longer goes to the meeting's school: the item is the school's file of
        then, read only for its custodian (`AgendaItemQuerySet.of_visible_pupils`).

        Needs `with_consent_state()`; read without it, the item counts as left, so a page that
        forgot it offers no form."""
        return self.pupil_id is not None and bool(getattr(self, "left_school", True))

    @property
    def is_writable(self) -> bool:
        """Minutes, decisions and guests may still be added: no pupil, or a pupil discussable on
        the meeting day, still at the meeting's school and with a consent to discuss in force
        today. Needs `with_consent_state()` (without it: not writable)."""
        if self.pupil_id is None:
            return True
        return (
            self.is_discussable
            and not self.has_left_school
            and bool(getattr(self, "has_consent_today", False))
        )

    @property
    def only_with(self) -> str:
        """The organisations the consent names, when it names no organisation for all of the
        team ("" otherwise); needs `with_consent_state()`. Only they, and whoever sees the
        pupil by their own role at the school, take part in this item."""
        if self.pupil_id is None or getattr(self, "is_open_to_team", True):
            return ""
        return str(getattr(self, "consent_recipients", "") or "")


class MeetingGuest(models.Model):
    """Someone without an account who took part: a parent, the pupil, a teacher.

    Parents receive the minutes of their child's item for correction. They have no account, so
    the coordinator hands or sends the printed minutes; Schoolzorg records when they went out and
    what the parents asked to correct.

    Anyone else (a teacher, someone from outside the care team) has no organisation a consent
    could name, so they take part only where nothing or one child is discussed: at a general
    item, at the whole of a meeting without children on its agenda, or at one child's item with
    the agreement of whoever must agree by the child's age on the meeting day, recorded here
    (`agreed_on`, `agreed_by`, `agreement_recorded_by`; `services.add_guest`).
    """

    meeting = models.ForeignKey(CareMeeting, on_delete=models.CASCADE, related_name="guests")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField("naam", max_length=200)
    role = models.CharField("rol", max_length=16, choices=GuestRole.choices)
    sent_for_correction_on = models.DateField("verslag verzonden ter correctie op", null=True)
    sent_for_correction_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the parents got: the item's minutes as they were when sent, and their version
    # number. The minutes can still change afterwards (the meeting's minutes are a draft until
    # fixed); the parents' reaction refers to this text, not to what the item says now.
    sent_minutes_version = models.PositiveIntegerField(
        "verslagversie verzonden ter correctie", null=True, blank=True
    )
    sent_minutes = models.TextField("verslag zoals verzonden ter correctie", blank=True)
    correction_note = models.TextField("correctie of reactie", blank=True)
    correction_received_on = models.DateField("reactie ontvangen op", null=True, blank=True)
    # The ground for a guest who is not the child's parent or the pupil at a child's item: the
    # day the family agreed to this guest, who agreed (by the age rules on the meeting day, in
    # words) and who recorded it. Empty for parents, the pupil and guests at general items.
    agreed_on = models.DateField("toestemming voor deze gast gegeven op", null=True, blank=True)
    agreed_by = models.CharField("toestemming gegeven door", max_length=600, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One token per rendered guest form: the same form sent again finds this guest.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = "gast"
        verbose_name_plural = "gasten"

    @property
    def minutes_changed_since_sent(self) -> bool:
        """The item's minutes are no longer the text sent to this guest for correction."""
        # Sent before the text was kept (`sent_minutes_version` empty): unknown, so no warning.
        if self.sent_minutes_version is None or self.item is None:
            return False
        return self.sent_minutes.strip() != self.item.minutes.strip()


class Decision(models.Model):
    """An agreement in the meeting: who does what by when. Becomes a plan action."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("wat gaan we doen")
    domain = models.CharField("aan zet", max_length=32, choices=Domain.choices)
    # A professional, or someone from the family or network by name (as a plan action).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="wie doet het",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    owner_name = models.CharField(
        "wie doet het (gezin of netwerk)",
        max_length=200,
        blank=True,
        help_text="Als iemand uit het gezin of netwerk het doet: de naam.",
    )
    due_on = models.DateField("klaar op")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    plan_action = models.OneToOneField(
        "plans.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decision",
    )
    # One token per rendered form: a second click or a resent form finds the first decision.
    form_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""), name="decision_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name
