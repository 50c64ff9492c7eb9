"""The care team (schoolzorgteam) of a school in a school year: who is in it, for how many hours,
and when the neighbourhood team worker can be found at school.

Membership rows are never rewritten: leaving closes a row (`left_on`), changing hours closes the
row and opens a new one, so the team's history reads from the rows themselves. `CareTeamChange`
keeps who made each change, for the team page's history list.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schoolzorg.accounts.models import Membership


class TeamRole(models.TextChoices):
    SUPPORT_COORDINATOR = "support_coordinator", "Intern begeleider / zorgcoördinator"
    PARTNERSHIP_CONTACT = "partnership_contact", "Schoolcontactpersoon samenwerkingsverband"
    SCHOOL_SOCIAL_WORKER = "school_social_worker", "Schoolmaatschappelijk werker"
    NEIGHBOURHOOD_TEAM_WORKER = "neighbourhood_team_worker", "Wijkteammedewerker"
    YOUTH_HEALTH_NURSE = "youth_health_nurse", "Jeugdverpleegkundige"


# Roles every care team needs (seed 000 and 002); the nurse joins the care meeting.
REQUIRED_ROLES: tuple[str, ...] = tuple(TeamRole.values)

DEFAULT_NEIGHBOURHOOD_TEAM_HOURS = Decimal("4")


class Weekday(models.IntegerChoices):
    MONDAY = 0, "maandag"
    TUESDAY = 1, "dinsdag"
    WEDNESDAY = 2, "woensdag"
    THURSDAY = 3, "donderdag"
    FRIDAY = 4, "vrijdag"


def school_year_of(day: dt.date) -> int:
    """The school year a day falls in, named by its first calendar year (1 August onwards)."""
    return day.year if day.month >= 8 else day.year - 1


class PresenceNorm(models.Model):
    """A municipality's agreed minimum presence of the neighbourhood team worker at a school."""

    municipality = models.OneToOneField(
        "organisations.Municipality",
        verbose_name="gemeente",
        on_delete=models.CASCADE,
        related_name="care_team_norm",
    )
    neighbourhood_team_hours = models.DecimalField(
        "minimaal aantal uur wijkteammedewerker per week",
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_NEIGHBOURHOOD_TEAM_HOURS,
    )

    class Meta:
        verbose_name = "aanwezigheidsnorm"
        verbose_name_plural = "aanwezigheidsnormen"

    def __str__(self) -> str:
        return f"{self.municipality}: {self.neighbourhood_team_hours} uur"


class CareTeamQuerySet(models.QuerySet["CareTeam"]):
    def visible_to(self, user: object) -> CareTeamQuerySet:
        """Teams of schools the user works at or serves, and teams the user is a member of
        (`CareTeamMemberQuerySet.in_force`: only while their role there is in force)."""
        from schoolzorg.pupils.access import active_memberships

        if not getattr(user, "is_authenticated", False):
            return self.none()
        schools = {m.served_school_id for m in active_memberships(user)}
        schools.discard(None)
        user_pk: int = getattr(user, "pk", 0)
        seats = CareTeamMember.objects.in_force().filter(user_id=user_pk)
        own = seats.values("team_id")
        return self.filter(Q(school_id__in=schools) | Q(pk__in=own))

    def for_year(self, year: int) -> CareTeamQuerySet:
        return self.filter(school_year=year)


class CareTeam(models.Model):
    school = models.ForeignKey(
        "organisations.School", on_delete=models.PROTECT, related_name="care_teams"
    )
    school_year = models.PositiveSmallIntegerField(
        "schooljaar", help_text="Het eerste jaar: 2025 betekent 2025-2026."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareTeamQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "-school_year"]
        verbose_name = "schoolzorgteam"
        verbose_name_plural = "schoolzorgteams"
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="one_team_per_year")
        ]

    def __str__(self) -> str:
        return f"Schoolzorgteam {self.school} {self.school_year_label}"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"

    @property
    def meeting_name(self) -> str:
        """Primary schools call the care meeting OZO, secondary schools SOT (seed 002)."""
        if self.school.sector == "secondary":
            return "Schoolondersteuningsteam"
        return "Onderwijszorgoverleg"


class CareTeamMemberQuerySet(models.QuerySet["CareTeamMember"]):
    def current(self, on: dt.date | None = None) -> CareTeamMemberQuerySet:
        """Members whose own period in the team covers the day: the team's composition as
        recorded, whether or not their role behind it still holds (see `in_force`)."""
        day = on or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))

    def in_force(self, on: dt.date | None = None) -> CareTeamMemberQuerySet:
        """Members who count on a day: in the team then (`current`) and holding a membership
        in force then that fits the team, at its school or serving it (`Membership.school`).

        The one rule for what a seat in a care team grants (seeing the team and its meetings,
        taking minutes, owning decisions): a role ended in the admin ends it at once, without
        anyone having to take the person out of the team as well."""
        day = on or timezone.localdate()
        fits = Membership.objects.active(day).filter(
            Q(organisation_id=OuterRef("team__school_id"))
            | Q(school_id=OuterRef("team__school_id")),
            user_id=OuterRef("user_id"),
        )
        return self.current(day).filter(Exists(fits))


class CareTeamMember(models.Model):
    team = models.ForeignKey(CareTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_team_memberships"
    )
    role = models.CharField("rol in het team", max_length=40, choices=TeamRole.choices)
    hours_per_week = models.DecimalField(
        "afgesproken uren per week", max_digits=4, decimal_places=1, default=Decimal("0")
    )
    joined_on = models.DateField("lid sinds", default=timezone.localdate)
    left_on = models.DateField("lid tot en met", null=True, blank=True)

    objects = CareTeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "joined_on"]
        verbose_name = "teamlid"
        verbose_name_plural = "teamleden"
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="care_team_member_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=40),
                name="care_team_member_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class PresenceSlot(models.Model):
    """A fixed time a team member is at school; walk-in hours are open to parents and staff."""

    member = models.ForeignKey(CareTeamMember, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField("dag", choices=Weekday.choices)
    starts_at = models.TimeField("van")
    ends_at = models.TimeField("tot")
    place = models.CharField("plek", max_length=120, blank=True)
    is_walk_in = models.BooleanField("inloopspreekuur", default=False)
    # The form it came from: the same form sent twice finds the first slot (services).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = "vaste aanwezigheid"
        verbose_name_plural = "vaste aanwezigheden"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="presence_slot_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class ChangeKind(models.TextChoices):
    JOINED = "joined", "Toegevoegd"
    LEFT = "left", "Vertrokken"
    HOURS = "hours", "Uren gewijzigd"
    PRESENCE = "presence", "Aanwezigheid gewijzigd"


class CareTeamChange(models.Model):
    team = models.ForeignKey(CareTeam, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    text = models.CharField(max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
