"""Help requests (cases), their timeline and documents, anonymous consultations, and the
school social worker's registration of contacts (the digital werk- en toeleidingsdocument SMW).

A case belongs to one pupil at one school. Everyone reads cases through
`Case.objects.visible_to(user)`, which follows the pupil access rules for the cases of the
pupil's current school: full access to the pupil (a case role at the school, the care team with
consent, a referral, being named on the case or plan) shows the case; a teacher sees only the
cases they raised themselves. A case of a school the pupil left opens only to that school's
support coordinator, read only (docs/permissions.md, "A case follows its school").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schoolzorg.cases.workflow import OPEN_STATUSES, CaseStatus
from schoolzorg.lib.dates import numeric


class Category(models.TextChoices):
    LEARNING = "learning", "Leren en ontwikkeling"
    BEHAVIOUR = "behaviour", "Gedrag"
    SOCIAL_EMOTIONAL = "social_emotional", "Sociaal-emotioneel (bijvoorbeeld angst, somber)"
    ABSENCE = "absence", "Verzuim"
    HOME_SITUATION = "home_situation", "Thuissituatie (bijvoorbeeld scheiding, geldzorgen)"
    HEALTH = "health", "Gezondheid"
    SAFETY = "safety", "Zorgen over veiligheid"
    OTHER = "other", "Anders"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Gewoon (binnen een maand)"
    SOON = "soon", "Snel (binnen een week)"
    URGENT = "urgent", "Direct (vandaag of morgen)"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Opgelost: het gaat weer goed"
    SUPPORT_IN_SCHOOL = "support_in_school", "Ondersteuning loopt binnen de school"
    REFERRED_ON = "referred_on", "Hulp loopt via het wijkteam of specialistische zorg"
    MOVED = "moved", "Leerling is verhuisd of van school gegaan"
    NO_CONSENT = "no_consent", "Ouders of leerling willen geen hulp"
    OTHER = "other", "Anders"


class EventKind(models.TextChoices):
    NOTE = "note", "Notitie"
    CONTACT = "contact", "Contact"
    MEETING_DECISION = "meeting_decision", "Besluit in overleg"
    PLAN_CHANGE = "plan_change", "Wijziging in het plan"
    DOCUMENT = "document", "Document"
    STATUS = "status", "Status"
    REFERRAL = "referral", "Toeleiding"


# What the person who raised a case sees of its timeline without the pupil's full file: how it
# goes on (the status lines), and what they wrote themselves.
RAISER_EVENT_KINDS = frozenset({EventKind.STATUS})


def at_current_school_q() -> Q:
    """A case of the school its pupil goes to now. A case belongs to its school (ADR 0701): when
    the pupil changes school, the new school's people see the pupil, not the old school's file.

    An EXISTS on the pupil's primary key, not a join: with a join PostgreSQL hashed the cases
    and scanned every pupil of the country for their school (the case list went from 10 to
    130 ms of database time per request at national scale)."""
    from schoolzorg.pupils.models import Pupil

    return Q(
        Exists(
            Pupil.objects.filter(pk=OuterRef("pupil_id"), current_school_id=OuterRef("school_id"))
        )
    )


def custodian_q(user: Any) -> Q | None:
    """The cases of the schools where the user is support coordinator, also of pupils who left:
    the school keeps its own file while its retention period runs (read only, logged with the
    basis "school_file"; `policies.custodian_basis`)."""
    from schoolzorg.cases.policies import custodian_school_ids

    schools = custodian_school_ids(user)
    return Q(school_id__in=schools) if schools else None


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """Cases of the pupil's current school whose pupil the user sees in full, plus the cases
        a teacher raised themselves; and the school's own cases for its support coordinator,
        also of pupils who left (`custodian_q`). A case follows its school: a case of a previous
        school does not open to the new school's people."""
        from schoolzorg.pupils.models import Pupil

        if not getattr(user, "is_authenticated", False):
            return self.none()
        through_pupil = Q(raised_by=user, pupil__in=Pupil.objects.visible_to(user)) | Q(
            pupil__in=Pupil.objects.visible_to(user, full_only=True)
        )
        return self._with_custodian(through_pupil & at_current_school_q(), user)

    def whole_visible_to(self, user: Any) -> CaseQuerySet:
        """Cases whose whole file (timeline, contacts, documents) the user sees: those of the
        pupil's current school whose pupil the user sees in full, and the school's own cases for
        its support coordinator (`custodian_q`). A teacher who raised a case and sees only the
        pupil's basic data follows its status and their own notes (`RAISER_EVENT_KINDS`)."""
        from schoolzorg.pupils.models import Pupil

        if not getattr(user, "is_authenticated", False):
            return self.none()
        through_pupil = Q(pupil__in=Pupil.objects.visible_to(user, full_only=True))
        return self._with_custodian(through_pupil & at_current_school_q(), user)

    def _with_custodian(self, q: Q, user: Any) -> CaseQuerySet:
        custodian = custodian_q(user)
        return self.filter(q if custodian is None else q | custodian)

    def at_current_school(self) -> CaseQuerySet:
        """Cases of the school the pupil goes to now (not of a school the pupil left)."""
        return self.filter(at_current_school_q())

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.CLOSED)

    def for_school(self, school: Any) -> CaseQuerySet:
        return self.filter(school=school)

    def for_pupil(self, pupil: Any) -> CaseQuerySet:
        return self.filter(pupil=pupil)

    def coordinated_by(self, user: Any) -> CaseQuerySet:
        return self.filter(coordinator=user)

    def caseload_of(self, user: Any) -> CaseQuerySet:
        """Open cases a school social worker carries."""
        return self.open().filter(social_worker=user)


class Case(models.Model):
    """A help request about one pupil: from the first concern to its closing outcome."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="cases")
    school = models.ForeignKey(
        "organisations.School", on_delete=models.PROTECT, related_name="cases"
    )
    category = models.CharField("onderwerp", max_length=32, choices=Category.choices)
    description = models.TextField("wat is er aan de hand")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gemeld door",
        on_delete=models.PROTECT,
        related_name="raised_cases",
    )
    raised_by_label = models.CharField(
        "wie maakt zich zorgen",
        max_length=200,
        blank=True,
        help_text="Bijvoorbeeld: de leerkracht van groep 6, de moeder, de leerling zelf.",
    )
    urgency = models.CharField(
        "hoe snel", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        max_length=32, choices=CaseStatus.choices, default=CaseStatus.NEW, db_index=True
    )
    outcome = models.CharField("uitkomst", max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("toelichting uitkomst", blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="regisseur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="schoolmaatschappelijk werker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_work_cases",
    )
    opened_at = models.DateTimeField("geopend op", default=timezone.now)
    closed_at = models.DateTimeField("gesloten op", null=True, blank=True)
    from_consultation = models.OneToOneField(
        "cases.AnonymousConsultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    # One token per rendered concern form: a second click or a resent form finds the first case.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["coordinator", "status"]),
            models.Index(fields=["social_worker", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | ~Q(outcome=""),
                name="closed_case_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Casus {self.pk}: {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseDocument(models.Model):
    """An uploaded file on a case. Stored outside the web root; served only by an access check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=300)
    original_name = models.CharField("bestandsnaam", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("grootte in bytes")
    description = models.CharField("omschrijving", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The upload form's token: the same form sent again finds this document (lib/formtokens).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "document"
        verbose_name_plural = "documenten"

    def __str__(self) -> str:
        return self.original_name


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def visible_to(self, user: Any) -> CaseEventQuerySet:
        return self.filter(case__in=Case.objects.visible_to(user))


class CaseEvent(models.Model):
    """One line on the case timeline: notes, contacts, meeting decisions, plan changes, files."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    text = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.CharField("link", max_length=300, blank=True)
    document = models.ForeignKey(
        CaseDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # One token per rendered note form: a resent form finds the first note instead of a second.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "gebeurtenis"
        verbose_name_plural = "tijdlijn"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class AnonymousConsultationQuerySet(models.QuerySet["AnonymousConsultation"]):
    def visible_to(self, user: Any) -> AnonymousConsultationQuerySet:
        """Consultations at schools where the user holds a case role."""
        from schoolzorg.cases.policies import case_role_school_ids

        return self.filter(school_id__in=case_role_school_ids(user))

    def for_school(self, school: Any) -> AnonymousConsultationQuerySet:
        return self.filter(school=school)


class AnonymousConsultation(models.Model):
    """A situation discussed in the care team without naming the pupil (no consent yet)."""

    school = models.ForeignKey(
        "organisations.School", on_delete=models.PROTECT, related_name="anonymous_consultations"
    )
    category = models.CharField("onderwerp", max_length=32, choices=Category.choices)
    summary = models.TextField(
        "waar gaat het over",
        help_text="Zonder naam, geboortedatum of andere gegevens waaraan u het kind herkent.",
    )
    held_on = models.DateField("datum")
    participants = models.CharField(
        "wie waren erbij", max_length=300, help_text="Bijvoorbeeld: IB-er, SMW, wijkteam."
    )
    advice = models.TextField("advies", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The form it came from: the same form sent twice finds the first consultation (services).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AnonymousConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "anoniem consult"
        verbose_name_plural = "anonieme consulten"
        indexes = [models.Index(fields=["school", "held_on"])]

    def __str__(self) -> str:
        return f"Anoniem consult {numeric(self.held_on)}"


class ContactForm(models.TextChoices):
    TALK_PUPIL = "talk_pupil", "Gesprek met leerling"
    TALK_PARENT = "talk_parent", "Gesprek met ouder(s)"
    TALK_TEACHER = "talk_teacher", "Gesprek met leerkracht"
    HOME_VISIT = "home_visit", "Huisbezoek"
    CONSULTATION = "consultation", "Consultatie of overleg"
    PHONE = "phone", "Telefonisch"


class SocialWorkContactQuerySet(models.QuerySet["SocialWorkContact"]):
    def visible_to(self, user: Any) -> SocialWorkContactQuerySet:
        """Contacts on cases the user sees, and the worker's own contacts."""
        return self.filter(Q(case__in=Case.objects.visible_to(user)) | Q(worker=user))

    def in_month(self, year: int, month: int) -> SocialWorkContactQuerySet:
        return self.filter(contact_on__year=year, contact_on__month=month)

    def between(self, start: dt.date, end: dt.date) -> SocialWorkContactQuerySet:
        return self.filter(contact_on__gte=start, contact_on__lte=end)


class SocialWorkContact(models.Model):
    """One contact by a school social worker: the line on the old paper registration form."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    school = models.ForeignKey(
        "organisations.School", on_delete=models.PROTECT, related_name="social_work_contacts"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="social_work_contacts"
    )
    provider = models.ForeignKey(
        "organisations.SocialWorkProvider", on_delete=models.PROTECT, related_name="contacts"
    )
    contact_on = models.DateField("datum")
    form = models.CharField("soort contact", max_length=32, choices=ContactForm.choices)
    with_whom = models.CharField(
        "met wie", max_length=200, help_text="Bijvoorbeeld: moeder en leerling."
    )
    minutes = models.PositiveIntegerField("duur in minuten")
    note = models.TextField("korte notitie", blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    # One token per rendered contact form: a resent form finds the first contact, so its
    # minutes are not counted twice.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = SocialWorkContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_on", "-id"]
        verbose_name = "contact SMW"
        verbose_name_plural = "contacten SMW"
        indexes = [
            models.Index(fields=["school", "contact_on"]),
            models.Index(fields=["provider", "contact_on"]),
            models.Index(fields=["worker", "contact_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=600), name="contact_minutes_sane"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {numeric(self.contact_on)}"
