"""The school calendar: public holidays, school holidays per region, and a school's own days off.

School holidays come from a published file (OpenHolidays API, from Rijksoverheid) and are used
for counting working days only once they are approved: a clean row is approved by the import, a
row that looks wrong waits for the functional administrator (`status = pending`). Dates are
inclusive at both ends, as published.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from schoolzorg.lib.dates import numeric
from schoolzorg.organisations.models import HolidayRegion

# Days a school is usually open although the calendar names them: see docs/decisions on the
# school calendar. The import sets `is_school_day_off=False` for these names.
OPTIONAL_PUBLIC_HOLIDAYS = ("Goede vrijdag", "Bevrijdingsdag")


def school_year_of(day: dt.date) -> str:
    """The school year a holiday starting on `day` belongs to: "2024/2025".

    A school year runs from 1 August to 31 July; the summer holiday that starts in July closes
    the school year it starts in, as Rijksoverheid lists it.
    """
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}/{first + 1}"


class PublicHoliday(models.Model):
    """A national public holiday (feestdag)."""

    date = models.DateField("datum", unique=True)
    name = models.CharField("naam", max_length=100)
    is_school_day_off = models.BooleanField(
        "schoolvrije dag",
        default=True,
        help_text="Scholen zijn dicht. Per gemeente aan te passen met een regel.",
    )
    source_id = models.CharField("bron-id", max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "feestdag"
        verbose_name_plural = "feestdagen"

    def __str__(self) -> str:
        return f"{self.name} {numeric(self.date)}"


class PublicHolidayRule(models.Model):
    """Whether a named public holiday is a school day off: for everyone or for one municipality.

    A municipality's rule beats the global rule; the global rule beats the flag on the holiday.
    A single school that closes on such a day adds a `SchoolClosure` instead.
    """

    name = models.CharField("feestdag", max_length=100, help_text="Bijvoorbeeld: Goede vrijdag")
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_holiday_rules",
        help_text="Leeg: geldt voor alle gemeenten.",
    )
    is_school_day_off = models.BooleanField("schoolvrije dag")

    class Meta:
        verbose_name = "regel voor een feestdag"
        verbose_name_plural = "regels voor feestdagen"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"], name="unique_public_holiday_rule"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(municipality__isnull=True),
                name="unique_global_public_holiday_rule",
            ),
        ]

    def __str__(self) -> str:
        where = str(self.municipality) if self.municipality_id else "alle gemeenten"
        return f"{self.name} ({where}): {'vrij' if self.is_school_day_off else 'schooldag'}"


class ImportBatch(models.Model):
    """One run of a holiday import, with what it found."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "Schoolvakanties"
        PUBLIC = "public", "Feestdagen"
        REGIONS = "regions", "Vakantieregio's van gemeenten"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    file_name = models.CharField("bestand", max_length=300)
    started_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class ImportFinding(models.Model):
    """Something an import noticed that a person should know about."""

    class Severity(models.TextChoices):
        INFO = "info", "Ter informatie"
        WARNING = "warning", "Controleren"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    line = models.PositiveIntegerField("regel", null=True, blank=True)
    message = models.CharField("bevinding", max_length=500)

    class Meta:
        ordering = ["batch", "line", "pk"]
        verbose_name = "bevinding"
        verbose_name_plural = "bevindingen"

    def __str__(self) -> str:
        return self.message


class HolidayStatus(models.TextChoices):
    PENDING = "pending", "Wacht op controle"
    APPROVED = "approved", "Goedgekeurd"
    REJECTED = "rejected", "Afgewezen"


class SchoolHolidayQuerySet(models.QuerySet["SchoolHoliday"]):
    def approved(self) -> SchoolHolidayQuerySet:
        return self.filter(status=HolidayStatus.APPROVED)

    def pending(self) -> SchoolHolidayQuerySet:
        """Waiting for the administrator: pending holidays, and approved holidays whose dates the
        file changed (the approved dates count until the change is reviewed)."""
        return self.filter(Q(status=HolidayStatus.PENDING) | Q(proposed_start_on__isnull=False))

    def for_region(self, region: str) -> SchoolHolidayQuerySet:
        return self.filter(region=region)


class SchoolHoliday(models.Model):
    """A school holiday in one region, from `start_on` to `end_on`, both days included.

    `source_start_on`/`source_end_on` keep what the file said, so a correction by the
    administrator survives a re-import of the same file. When a later file changes the dates of
    an approved holiday, the new dates wait in `proposed_start_on`/`proposed_end_on` and the
    approved ones keep counting until the administrator confirms, corrects or rejects the change.
    """

    region = models.CharField(
        "vakantieregio",
        max_length=8,
        choices=HolidayRegion.choices,
        blank=True,
        help_text="Leeg als het bestand een onbekende regio noemde.",
    )
    source_region = models.CharField("regio in het bestand", max_length=8, blank=True)
    name = models.CharField("naam", max_length=100)
    start_on = models.DateField("eerste vrije dag")
    end_on = models.DateField("laatste vrije dag")
    school_year = models.CharField("schooljaar", max_length=9, db_index=True)
    status = models.CharField(
        max_length=10, choices=HolidayStatus.choices, default=HolidayStatus.PENDING
    )
    flag_reason = models.CharField("waarom controleren", max_length=500, blank=True)
    source_id = models.CharField("bron-id", max_length=64, blank=True)
    source_start_on = models.DateField(null=True, blank=True)
    source_end_on = models.DateField(null=True, blank=True)
    source_line = models.PositiveIntegerField(null=True, blank=True)
    proposed_start_on = models.DateField("nieuwe eerste vrije dag", null=True, blank=True)
    proposed_end_on = models.DateField("nieuwe laatste vrije dag", null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="holidays"
    )
    review_note = models.CharField("toelichting", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = SchoolHolidayQuerySet.as_manager()

    class Meta:
        ordering = ["start_on", "region"]
        verbose_name = "schoolvakantie"
        verbose_name_plural = "schoolvakanties"
        constraints = [
            models.UniqueConstraint(
                fields=["source_id", "source_region"],
                condition=~Q(source_id=""),
                name="unique_school_holiday_source",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(end_on__gte=models.F("start_on")) & ~Q(region="")),
                name="approved_school_holiday_is_usable",
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "start_on"])]

    def __str__(self) -> str:
        return f"{self.name} {self.get_region_display() or self.source_region} {self.school_year}"

    @property
    def length_in_days(self) -> int:
        return (self.end_on - self.start_on).days + 1

    @property
    def has_proposal(self) -> bool:
        """Approved, with changed dates from the file waiting for review."""
        return self.proposed_start_on is not None and self.proposed_end_on is not None

    @property
    def awaits_review(self) -> bool:
        return self.status == HolidayStatus.PENDING or self.has_proposal

    @property
    def review_start_on(self) -> dt.date:
        """The first day the reviewer is asked about: the proposed one, or the holiday's own."""
        return self.proposed_start_on or self.start_on

    @property
    def review_end_on(self) -> dt.date:
        return self.proposed_end_on or self.end_on

    @property
    def review_key(self) -> str:
        """What the review page shows, as one string: a decision is refused when it changed."""
        return "|".join(
            str(v or "-")
            for v in (
                self.status,
                self.region,
                self.start_on,
                self.end_on,
                self.proposed_start_on,
                self.proposed_end_on,
            )
        )


class HolidayReview(models.Model):
    """One decision of the administrator on a school holiday: the log of who decided what."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Bevestigd"
        CORRECT = "correct", "Gecorrigeerd"
        REJECT = "reject", "Afgewezen"

    holiday = models.ForeignKey(SchoolHoliday, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.CharField("toelichting", max_length=500, blank=True)
    previous = models.CharField("was", max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "controlebesluit"
        verbose_name_plural = "controlebesluiten"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} door {self.by} op {numeric(self.at)}"


class SchoolClosure(models.Model):
    """A day a school is closed on its own account: a study day or an extra free day."""

    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name="school",
    )
    date = models.DateField("datum")
    reason = models.CharField("reden", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="aangemaakt door",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "studiedag of vrije dag"
        verbose_name_plural = "studiedagen en vrije dagen"
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="unique_school_closure_day")
        ]

    def __str__(self) -> str:
        return f"{self.reason} {numeric(self.date)}"


class CalendarVersion(models.Model):
    """A counter raised on every calendar change, so each process knows its cache is stale."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "kalenderversie"
