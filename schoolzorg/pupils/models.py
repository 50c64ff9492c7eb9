"""Pupils, their families and guardians, where they go to school and where they live.

Only what the help question needs: no BSN, no nationality, no religion. Moving house or school
closes the current period and opens a new one, so the history stays; the pupil row carries the
current school and home area as well so that access checks and lists need no date filtering.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.lookups import IContains
from django.utils import timezone

from schoolzorg.lib.dates import numeric
from schoolzorg.lib.postcodes import display_postcode
from schoolzorg.lib.textsearch import Unaccent, fold
from schoolzorg.lib.validators import without_hidden_characters


class Family(models.Model):
    """A household: siblings and their guardians share one integral plan."""

    name = models.CharField("gezinsnaam", max_length=200)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "gezin"
        verbose_name_plural = "gezinnen"

    def __str__(self) -> str:
        return f"Gezin {self.name}"


class Guardian(models.Model):
    """A parent or carer. Whether they hold parental authority is recorded per pupil."""

    family = models.ForeignKey(
        Family, verbose_name="gezin", on_delete=models.CASCADE, related_name="guardians"
    )
    full_name = models.CharField("naam", max_length=200)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefoon", max_length=40, blank=True)
    preferred_language = models.CharField("voorkeurstaal", max_length=40, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = "ouder/verzorger"
        verbose_name_plural = "ouders/verzorgers"

    def __str__(self) -> str:
        return self.full_name


class PupilQuerySet(models.QuerySet["Pupil"]):
    def enrolled_at(self, school_id: int) -> PupilQuerySet:
        return self.filter(current_school_id=school_id)

    def search(self, text: str) -> PupilQuerySet:
        """Match each word of the query against first or last name, blind to case and accents.

        Hidden characters pasted along with a name (a zero-width space, a soft hyphen from Word
        or an e-mail) are taken out first, as the importers do: no stored name has them. A query
        without any word left matches no one, so a search never lists everyone.
        """
        words = fold(without_hidden_characters(text)).split()[:5]
        if not words:
            return self.none()
        qs = self
        for word in words:
            qs = qs.filter(
                IContains(Unaccent("first_name"), word) | IContains(Unaccent("last_name"), word)
            )
        return qs

    def visible_to(self, user: object, *, full_only: bool = False) -> PupilQuerySet:
        """Pupils the user may see; `full_only`: only those whose full file they may see."""
        from schoolzorg.pupils.access import visible_pupils

        return visible_pupils(self, user, full_only=full_only)


class Pupil(models.Model):
    first_name = models.CharField("voornaam", max_length=100)
    last_name = models.CharField("achternaam", max_length=150)
    date_of_birth = models.DateField("geboortedatum")
    family = models.ForeignKey(
        Family, verbose_name="gezin", on_delete=models.PROTECT, related_name="pupils"
    )
    guardians = models.ManyToManyField(Guardian, through="GuardianLink", related_name="pupils")
    # Current situation, kept in step with the Enrolment and Residence history by the services.
    current_school = models.ForeignKey(
        "organisations.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_pupils",
        verbose_name="huidige school",
    )
    current_group = models.CharField("groep/klas", max_length=20, blank=True)
    home_postcode = models.CharField("postcode woonadres", max_length=6, blank=True)
    home_neighbourhood = models.ForeignKey(
        "organisations.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="buurt van het woonadres",
    )
    home_district = models.ForeignKey(
        "organisations.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_pupils",
        verbose_name="wijk van het woonadres",
    )
    home_municipality = models.ForeignKey(
        "organisations.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_pupils",
        verbose_name="gemeente van het woonadres",
    )
    # How precisely the home postcode resolved: "pc6" (to a buurt), "pc4" (a PC4 entry) or "".
    home_precision = models.CharField("nauwkeurigheid van het woonadres", max_length=3, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "leerling"
        verbose_name_plural = "leerlingen"
        indexes = [
            models.Index(fields=["current_school", "last_name"]),
            models.Index(fields=["current_school", "current_group"]),
            # Break-the-glass finds one pupil by name and date of birth, anywhere in the country.
            models.Index(fields=["date_of_birth"], name="pupil_born_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def age_on(self, day: dt.date | None = None) -> int:
        """Age in whole years on a day; a child born on 29 February turns a year older on 1 March."""
        day = day or timezone.localdate()
        born = self.date_of_birth
        had_birthday = (day.month, day.day) >= (born.month, born.day)
        return day.year - born.year - (0 if had_birthday else 1)


def named_with_relation(full_name: str, relation: str) -> str:
    """A parent's name with who they are to the pupil: "Stefan Soekhai (moeder)".

    Two parents of one pupil may share a name; the relation tells them apart.
    """
    return f"{full_name} ({relation})" if relation else full_name


class GuardianLink(models.Model):
    pupil = models.ForeignKey(
        Pupil, verbose_name="leerling", on_delete=models.CASCADE, related_name="guardian_links"
    )
    guardian = models.ForeignKey(
        Guardian,
        verbose_name="ouder/verzorger",
        on_delete=models.CASCADE,
        related_name="pupil_links",
    )
    relation = models.CharField("relatie", max_length=40, default="ouder")
    has_authority = models.BooleanField("heeft gezag", default=True)

    class Meta:
        verbose_name = "ouder bij leerling"
        verbose_name_plural = "ouders bij leerlingen"
        constraints = [
            models.UniqueConstraint(fields=["pupil", "guardian"], name="unique_guardian_per_pupil")
        ]


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def on(self, day: dt.date | OuterRef) -> EnrolmentQuerySet:
        """Enrolments in force on the day: started on or before it, not ended before it.

        `ended_on` is the last day at the school (`enrol_pupil` ends the old enrolment the day
        before the new one starts). The day may be an `OuterRef` to a date of the outer query
        (e.g. the day a consent was given).
        """
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Enrolment(models.Model):
    pupil = models.ForeignKey(
        Pupil, verbose_name="leerling", on_delete=models.CASCADE, related_name="enrolments"
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="school",
    )
    group = models.CharField("groep/klas", max_length=20, blank=True)
    # The school's own number for the pupil in its pupil administration (ParnasSys, Esis,
    # Magister): the key of `import-pupils`, per school. Never the BSN.
    pupil_number = models.CharField("leerlingnummer", max_length=20, blank=True)
    started_on = models.DateField("ingeschreven op")
    ended_on = models.DateField("uitgeschreven op", null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "inschrijving"
        verbose_name_plural = "inschrijvingen"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enrolment_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(ended_on__isnull=True), name="one_open_enrolment"
            ),
            models.UniqueConstraint(
                fields=["school", "pupil_number"],
                condition=Q(ended_on__isnull=True) & ~Q(pupil_number=""),
                name="one_open_enrolment_per_pupil_number",
            ),
        ]


class Residence(models.Model):
    """Where a pupil lives, for a period; the home postcode decides the neighbourhood team."""

    pupil = models.ForeignKey(
        Pupil, verbose_name="leerling", on_delete=models.CASCADE, related_name="residences"
    )
    postcode = models.CharField("postcode", max_length=6)
    house_number = models.CharField("huisnummer", max_length=20, blank=True)
    moved_in_on = models.DateField("woont hier sinds")
    moved_out_on = models.DateField("verhuisd op", null=True, blank=True)

    class Meta:
        ordering = ["-moved_in_on"]
        verbose_name = "woonadres"
        verbose_name_plural = "woonadressen"
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(moved_out_on__isnull=True),
                name="one_current_residence",
            ),
        ]

    def described(self) -> str:
        """Each part named: "postcode 3501 AB, huisnummer 91, van 30-9-2021 tot nu".

        Not `__str__`: the change history keeps that text of every row it records.
        """
        parts = [f"postcode {display_postcode(self.postcode) or self.postcode}"]
        if self.house_number:
            parts.append(f"huisnummer {self.house_number}")
        until = numeric(self.moved_out_on) if self.moved_out_on else "nu"
        parts.append(f"van {numeric(self.moved_in_on)} tot {until}")
        return ", ".join(parts)
