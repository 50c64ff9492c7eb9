"""Retention periods per organisation, requests for early destruction, and the destruction
register.

The register names no child: it says which organisation's file of which kind went, when, how
many records, by whom (or "bewaartermijn verstreken") and on what basis. A request names the
pupil only while it is open or refused; carrying it out unlinks it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from schoolzorg.lib.dates import numeric
from schoolzorg.retention.periods import Kind, rule_for


class FileKind(models.TextChoices):
    SCHOOL = Kind.SCHOOL, "Schooldossier"
    YOUTH_CARE = Kind.YOUTH_CARE, "Jeugdhulpdossier"
    PUPIL = Kind.PUPIL, "Gedeelde stukken en basisgegevens van de leerling"


class RetentionPeriod(models.Model):
    """An organisation's own retention period; without one the default of its kind holds."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name="organisatie",
        on_delete=models.CASCADE,
        related_name="retention_period",
    )
    years = models.PositiveSmallIntegerField(
        "bewaartermijn in jaren",
        help_text=(
            "Schooldossier: 1 tot en met 10 jaar nadat de leerling van school ging (gewoonlijk 2). "
            "Jeugdhulpdossier: 20 tot en met 30 jaar nadat de hulp eindigde (Jeugdwet: 20)."
        ),
    )
    note = models.CharField(
        "waarom deze termijn",
        max_length=300,
        blank=True,
        help_text="Bijvoorbeeld: besluit bestuur.",
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "bewaartermijn"
        verbose_name_plural = "bewaartermijnen"
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=30), name="retention_years_sane"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.years} jaar"

    def unique_error_message(self, model_class: Any, unique_check: Any) -> ValidationError:
        if tuple(unique_check) == ("organisation",):
            return ValidationError(
                "Deze organisatie heeft al een eigen bewaartermijn: pas die aan.", code="unique"
            )
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        if self.organisation_id is None or self.years is None:
            return
        rule = rule_for(self.organisation.kind)
        if rule is None:
            raise ValidationError(
                {"organisation": "Deze organisatie houdt in Schoolzorg geen eigen dossier bij."}
            )
        if self.years < rule.min_years:
            raise ValidationError({"years": rule.too_short})
        if self.years > rule.max_years:
            raise ValidationError({"years": rule.too_long})


class Requester(models.TextChoices):
    GUARDIAN = "guardian", "Ouder of verzorger met gezag"
    PUPIL = "pupil", "De leerling zelf (12 jaar of ouder)"


class RequestState(models.TextChoices):
    OPEN = "open", "Nog niet besloten"
    CARRIED_OUT = "carried_out", "Uitgevoerd: dossier vernietigd"
    REFUSED = "refused", "Geweigerd"
    # Closed without a decision: the file went meanwhile (its period ended, or another request).
    LAPSED = "lapsed", "Vervallen: het dossier is al vernietigd"


class DestructionRequest(models.Model):
    """A request by a parent or the pupil to destroy one organisation's file before its time."""

    # Unlinked (NULL) once carried out, so nothing left names the child.
    pupil = models.ForeignKey(
        "pupils.Pupil",
        verbose_name="leerling",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="dossier van",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("soort dossier", max_length=16, choices=FileKind.choices)
    requester = models.CharField("wie vraagt het", max_length=16, choices=Requester.choices)
    received_on = models.DateField("verzoek ontvangen op")
    note = models.TextField(
        "toelichting",
        blank=True,
        help_text="Hoe kwam het verzoek binnen en wat vraagt men. Schrijf geen namen op.",
    )
    state = models.CharField(
        max_length=16, choices=RequestState.choices, default=RequestState.OPEN, db_index=True
    )
    refusal_reason = models.TextField("reden van weigeren", blank=True)
    decided_on = models.DateField("besloten op", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    # One token per rendered form: a second click finds the first request.
    form_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "verzoek tot vernietiging"
        verbose_name_plural = "verzoeken tot vernietiging"
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=RequestState.REFUSED) | ~Q(refusal_reason=""),
                name="refused_request_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Verzoek {self.pk} ({self.get_state_display()})"

    @property
    def basis(self) -> str:
        return basis_label(self.kind, self.requester)


def basis_label(kind: str, requester: str) -> str:
    """The legal basis of a request in words."""
    who = "de leerling" if requester == Requester.PUPIL else "een ouder met gezag"
    if kind == FileKind.YOUTH_CARE:
        return f"Verzoek van {who} (Jeugdwet, artikel 7.3.9)"
    return f"Verzoek van {who} (AVG, artikel 17)"


class Reason(models.TextChoices):
    EXPIRED = "expired", "Bewaartermijn verstreken"
    REQUEST = "request", "Op verzoek"
    NOTHING_LEFT = "nothing_left", "Geen dossier meer over"


class DestructionRecord(models.Model):
    """One line of the destruction register. Names no child."""

    at = models.DateTimeField("vernietigd op", db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisatie",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_label = models.CharField("organisatie", max_length=200)
    kind = models.CharField("soort dossier", max_length=16, choices=FileKind.choices)
    reason = models.CharField("reden", max_length=16, choices=Reason.choices)
    records = models.PositiveIntegerField("aantal stukken vernietigd")
    kept_shared = models.PositiveIntegerField(
        "aantal stukken bewaard (ook in een ander dossier)", default=0
    )
    files_removed = models.PositiveIntegerField("aantal bestanden gewist", default=0)
    # {"casussen": 2, "documenten": 1, ...}: kinds of records, never their contents.
    counts = models.JSONField("per soort", default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField("grondslag", max_length=300)
    request = models.ForeignKey(
        DestructionRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "regel vernietigingsregister"
        verbose_name_plural = "vernietigingsregister"
        indexes = [models.Index(fields=["organisation", "at"])]

    def __str__(self) -> str:
        return f"{numeric(self.at)} {self.organisation_label}: {self.records}"

    @property
    def by_label(self) -> str:
        return str(self.by) if self.by_id else "Bewaartermijn verstreken (automatisch)"
