"""People: a user logs in with e-mail; what they may do follows from their memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from schoolzorg.accounts.roles import ROLE_ORGANISATION_KINDS, SCHOOL_SCOPED_ROLES, Role
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import no_hidden_characters


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Een e-mailadres is verplicht.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """The account of an e-mail address in any case: `IB2@school.example` signs in as
        `ib2@school.example`."""
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


EMAIL_TAKEN = "Er is al een account met dit e-mailadres."


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mailadres", unique=True, validators=[no_hidden_characters])
    full_name = models.CharField("naam", max_length=200, validators=[no_hidden_characters])
    is_active = models.BooleanField("actief", default=True)
    is_staff = models.BooleanField("toegang tot beheer", default=False)
    date_joined = models.DateTimeField("aangemaakt op", default=timezone.now)
    # Part of what a session is signed with (`_get_session_auth_hash`): raising it ends every
    # session of the account on its next request, as a new password does (`end_sessions`).
    session_stamp = models.PositiveIntegerField("sessies beëindigd", default=0, editable=False)
    # Set when an administrator sets the password (the admin's forms), cleared when the owner
    # chooses their own (`services.change_password`). While set, every page but "Mijn account"
    # leads there (`RequireSecondFactorMiddleware`): the administrator knows this password.
    password_from_admin = models.BooleanField(
        "wachtwoord ingesteld door beheer", default=False, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        constraints = [
            # Sign-in ignores case, so two addresses that differ only in case would be one login.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_in_any_case",
                violation_error_message=EMAIL_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def unique_error_message(
        self, model_class: type[models.Model], unique_check: Sequence[str]
    ) -> ValidationError:
        """The address taken, in a sentence: Django's says "Er bestaat al een Gebruiker met
        eenzelfde E-mailadres", capitals and all."""
        if tuple(unique_check) == ("email",):
            return ValidationError(EMAIL_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    @classmethod
    def normalize_username(cls, username: str) -> str:
        """E-mail addresses are kept in lower case, whoever types them (the admin's forms too)."""
        return str(super().normalize_username(username)).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password that every session carries, with the session stamp.

        Django signs a session out on its next request when the hash it was signed in with is
        no longer the account's. Without a stamp the hash is Django's own, so sessions made
        before the stamp existed stay signed in."""
        signed = (
            self.password if not self.session_stamp else f"{self.password}#{self.session_stamp}"
        )
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            signed,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class DayBefore(models.Func):
    """The day before a date, in SQL both engines allow in a CHECK constraint (no Python
    function: Django's own date arithmetic on SQLite is one, and compares as a timestamp)."""

    output_field = models.DateField()
    template = "(%(expressions)s - 1)"  # PostgreSQL: a date minus a whole number of days

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '-1 day')")


# Two rows for one role in one period: ending the role on one row would leave the other in force.
DUPLICATE_MEMBERSHIP = (
    "Deze persoon heeft deze rol al bij deze organisatie, in (een deel van) dezelfde periode. "
    "Pas die rol aan in plaats van een nieuwe toe te voegen."
)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: dt.date | None = None) -> MembershipQuerySet:
        """Memberships in force on a day (today by default); an ended one counts at once."""
        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def ended(self, on: dt.date | None = None) -> MembershipQuerySet:
        """Memberships that were in force and ended before a day (today by default); not one
        ended before it began, which never was."""
        day = on or timezone.localdate()
        return self.filter(valid_until__lt=day, valid_until__gte=models.F("valid_from"))

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)

    def same_as(self, membership: Membership) -> MembershipQuerySet:
        """Other stored memberships that hold the same role as this one for some of the same
        days: same person, organisation, school and group, and periods that share a day. A
        period that ends before it starts (a role that never came into force) shares none."""
        if membership.is_empty_period() or membership.valid_from is None:
            return self.none()
        shared = (
            self.filter(
                user_id=membership.user_id,
                organisation_id=membership.organisation_id,
                role=membership.role,
                group=membership.group,
            )
            .filter(
                Q(school_id=membership.school_id)
                if membership.school_id
                else Q(school_id__isnull=True)
            )
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=membership.valid_from))
        )
        shared = shared.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from"))
        )
        if membership.valid_until is not None:
            shared = shared.filter(valid_from__lte=membership.valid_until)
        return shared.exclude(pk=membership.pk) if membership.pk else shared


class Membership(models.Model):
    """A person's role in an organisation for a period."""

    user = models.ForeignKey(
        User, verbose_name="gebruiker", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="organisatie",
    )
    role = models.CharField("rol", max_length=40, choices=Role.choices)
    school = models.ForeignKey(
        "organisations.School",
        verbose_name="werkt op school",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="serving_memberships",
        help_text="Voor rollen buiten de school die op een bepaalde school werken.",
    )
    group = models.CharField(
        "groep/klas", max_length=20, blank=True, help_text="Voor leerkrachten: de eigen groep."
    )
    valid_from = models.DateField("geldig vanaf", default=timezone.localdate)
    valid_until = models.DateField(
        "geldig tot en met",
        null=True,
        blank=True,
        help_text="Leeg: geldig tot iemand de rol beëindigt. Op deze dag geldt de rol nog. "
        "Vul gisteren in om de rol meteen te beëindigen.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        indexes = [models.Index(fields=["user", "role"]), models.Index(fields=["school", "role"])]
        constraints = [
            # The day before the start is allowed: a role that never came into force, so a
            # role that began today can be ended at once (its end set to yesterday).
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=DayBefore(models.F("valid_from"))),
                name="membership_period_ordered",
                violation_error_message=(
                    "De einddatum ligt te ver vóór de begindatum. Vul gisteren in om de rol "
                    "meteen te beëindigen."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def is_empty_period(self) -> bool:
        """Ended before it began: a role that was never in force."""
        return bool(self.valid_from and self.valid_until and self.valid_until < self.valid_from)

    def is_same_as(self, other: Membership) -> bool:
        """The same role as `other` for some of the same days (see `MembershipQuerySet.same_as`);
        for two memberships that are not both stored yet, such as two rows of one form."""
        if self.is_empty_period() or other.is_empty_period():
            return False
        if not (self.valid_from and other.valid_from):
            return False
        same = (self.user_id, self.organisation_id, self.role, self.school_id, self.group) == (
            other.user_id,
            other.organisation_id,
            other.role,
            other.school_id,
            other.group,
        )
        return (
            same
            and (self.valid_until is None or other.valid_from <= self.valid_until)
            and (other.valid_until is None or self.valid_from <= other.valid_until)
        )

    def adds_overlap(self) -> bool:
        """Whether saving this membership as it is now makes it the same role for some of the
        same days as a stored one it was not already (`MembershipQuerySet.same_as`). Two rows
        for one role are refused: ending the role on one would leave the other in force. Rows
        that were duplicates before may stay, and may be shortened or ended."""
        now = set(Membership.objects.same_as(self).values_list("pk", flat=True))
        if not now or self.pk is None:
            return bool(now)
        stored = Membership.objects.filter(pk=self.pk).first()
        if stored is None:
            return True
        return bool(now - set(Membership.objects.same_as(stored).values_list("pk", flat=True)))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        kinds = ROLE_ORGANISATION_KINDS.get(self.role, ())
        # Without a role (refused at its field) there is nothing to compare the kind with.
        if self.role and self.organisation_id and self.organisation.kind not in kinds:
            errors["organisation"] = "Deze rol hoort niet bij dit soort organisatie."
        elif self.school_id and self.role not in SCHOOL_SCOPED_ROLES:
            errors["school"] = (
                "Laat dit leeg bij deze rol. Een school vult u alleen in bij een "
                "rol van een organisatie buiten de school die op die school werkt, zoals "
                "schoolmaatschappelijk werk of het wijkteam."
            )
        if self.valid_from and self.valid_until:
            # The day before the start is the earliest end: a role that never was in force.
            day_before = self.valid_from - dt.timedelta(days=1)
            if self.valid_until < day_before:
                errors["valid_until"] = (
                    f"Deze datum ligt vóór {numeric(day_before)}, de dag vóór de begindatum. "
                    f"Vul {numeric(day_before)} of later in. Met {numeric(day_before)} geldt "
                    "de rol nooit."
                )
        key_known = self.user_id and self.organisation_id and self.role
        if not errors and key_known and self.adds_overlap():
            errors[NON_FIELD_ERRORS] = DUPLICATE_MEMBERSHIP
        if errors:
            raise ValidationError(errors)

    @property
    def served_school_id(self) -> int | None:
        """The school this membership works at: its own organisation or the school it serves."""
        if self.organisation.kind == "school":
            return self.organisation_id
        return self.school_id


class NotificationQuerySet(models.QuerySet["Notification"]):
    def of(self, user: Any) -> NotificationQuerySet:
        """The user's own notifications; nobody reads anyone else's."""
        return self.filter(user_id=getattr(user, "pk", None) or 0)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's in-app inbox. Carries no pupil details: only a link and a short text."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField("bericht", max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The menu's unread count: COUNT(*) WHERE user_id = ? AND read_at IS NULL.
            models.Index(fields=["user", "read_at"]),
            # The "Meldingen" page: one user's newest first, a page at a time.
            models.Index(fields=["user", "-created_at", "-id"], name="accounts_notif_user_newest"),
        ]
        verbose_name = "melding"
        verbose_name_plural = "meldingen"

    def __str__(self) -> str:
        return self.text
