"""Instruments as data, and the assessments professionals fill in with them.

An `InstrumentDefinition` is one version of an instrument (severity assessment, child-safety
checklist, reporting code), loaded from a YAML file and validated against `schema.py`. The
shipped versions are written from the public descriptions; an organisation that holds a licence
loads its own version (`load_instrument FILE --organisation ID`). An `Assessment` is pinned to the
version it was started with, so a new version never changes what a professional filled in.

Answers, judgement and rationale are encrypted at rest: they are among the most sensitive things
the system holds. The professional records the judgement; nothing here computes one.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from schoolzorg.lib.crypto import EncryptedTextField


class InstrumentCode(models.TextChoices):
    SEVERITY = "severity", "Ernsttaxatie"
    CHILD_SAFETY = "child_safety", "Veiligheidsinschatting (LIRIK)"
    REPORTING_CODE = "reporting_code", "Meldcode"


# Instruments about a child's safety: shown only to those who may see child-safety material,
# never in lists, search results or exports by default.
SENSITIVE_CODES = frozenset({InstrumentCode.CHILD_SAFETY, InstrumentCode.REPORTING_CODE})


class InstrumentDefinitionQuerySet(models.QuerySet["InstrumentDefinition"]):
    def for_code(self, code: str) -> InstrumentDefinitionQuerySet:
        return self.filter(code=code)

    def shipped(self) -> InstrumentDefinitionQuerySet:
        return self.filter(organisation__isnull=True)

    def current(
        self, code: str, organisation_ids: list[int] | set[int] | tuple[int, ...] = ()
    ) -> InstrumentDefinition | None:
        """The version to start with: an organisation's own newest version, else the shipped one."""
        qs = self.filter(code=code)
        own = (
            qs.filter(organisation_id__in=list(organisation_ids))
            .order_by("-loaded_at", "-pk")
            .first()
            if organisation_ids
            else None
        )
        return own or qs.filter(organisation__isnull=True).order_by("-loaded_at", "-pk").first()


class InstrumentDefinition(models.Model):
    """One version of an instrument, as data. Never edited after loading: load a new version."""

    code = models.CharField("instrument", max_length=32, choices=InstrumentCode.choices)
    version = models.CharField("versie", max_length=40)
    title = models.CharField("titel", max_length=200)
    source_label = models.CharField(
        "bron",
        max_length=300,
        help_text="Bijvoorbeeld: Gebaseerd op de openbare beschrijving — geen gelicentieerde versie.",
    )
    definition = models.JSONField("definitie")
    is_licensed = models.BooleanField("gelicentieerde versie", default=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisatie met licentie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instrument_definitions",
    )
    content_hash = models.CharField(max_length=64, editable=False)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField("geladen op", auto_now_add=True)

    objects = InstrumentDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-loaded_at"]
        verbose_name = "instrumentversie"
        verbose_name_plural = "instrumentversies"
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(organisation__isnull=True),
                name="unique_shipped_instrument_version",
            ),
            models.UniqueConstraint(
                fields=["code", "organisation", "version"],
                condition=Q(organisation__isnull=False),
                name="unique_licensed_instrument_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"

    @property
    def is_sensitive(self) -> bool:
        return self.code in SENSITIVE_CODES

    @property
    def sections(self) -> list[dict[str, Any]]:
        return list(self.definition.get("sections", []))

    @property
    def judgements(self) -> list[dict[str, Any]]:
        return list(self.definition.get("judgements", []))

    @property
    def requires_review(self) -> bool:
        return bool(self.definition.get("review", {}).get("required", False))

    def items(self) -> list[dict[str, Any]]:
        """Every row of every section, in order, each with its section's title added."""
        return [
            {**item, "section_title": section["title"], "section_key": section["key"]}
            for section in self.sections
            for item in section.get("items", [])
        ]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Concept"
    COMPLETED = "completed", "Afgerond"
    REVIEWED = "reviewed", "Afgerond en besproken met collega"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: Any, *, include_sensitive: bool = False) -> AssessmentQuerySet:
        """Assessments of pupils whose full file the user sees.

        Child-safety and reporting-code assessments are left out unless asked for with
        `include_sensitive=True`, and then only where the user holds a child-safety role at the
        pupil's school. Access granted by other registered rules (a team that accepted a
        referral) is per pupil: check `policies.can_view(user, assessment)` for those.
        """
        from schoolzorg.assessments.policies import child_safety_pupils_q, full_pupils_q

        full = full_pupils_q(user)
        if full is None:
            return self.none()
        qs = self.filter(full)
        if not include_sensitive:
            return qs.filter(is_child_safety=False)
        safety = child_safety_pupils_q(user)
        if safety is None:
            return qs.filter(is_child_safety=False)
        return qs.filter(Q(is_child_safety=False) | safety)

    def sensitive(self) -> AssessmentQuerySet:
        return self.filter(is_child_safety=True)

    def not_sensitive(self) -> AssessmentQuerySet:
        return self.filter(is_child_safety=False)

    def finished(self) -> AssessmentQuerySet:
        """Completed and, where the instrument asks for it (child safety), reviewed."""
        return self.filter(
            Q(status=AssessmentStatus.REVIEWED)
            | (
                Q(status=AssessmentStatus.COMPLETED)
                & ~Q(definition__definition__review__required=True)
            )
        )

    def drafts(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.DRAFT)


class Assessment(models.Model):
    """A filled-in instrument for one pupil, pinned to the version it was started with."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="assessments")
    definition = models.ForeignKey(
        InstrumentDefinition,
        verbose_name="instrumentversie",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    # Copied from the definition so access filters need no join and cannot drift.
    is_child_safety = models.BooleanField("over veiligheid van het kind", default=False)
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # JSON text, encrypted: {item_key: {"value": ..., "note": ...}}; see forms.clean_answers.
    answers_json = EncryptedTextField("antwoorden", blank=True, default="")
    # The professional's judgement in words (for several judgements: one line each), encrypted.
    judgement = EncryptedTextField("oordeel", blank=True, default="")
    rationale = EncryptedTextField("onderbouwing", blank=True, default="")
    # JSON text, encrypted: [{"key", "label", "choice", "choice_label", "rationale"}].
    judgements_json = EncryptedTextField("oordelen", blank=True, default="")
    legal_basis = models.ForeignKey(
        "consent.LegalBasis",
        verbose_name="grondslag (meldrecht)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="besproken met",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "ingevuld instrument"
        verbose_name_plural = "ingevulde instrumenten"
        indexes = [models.Index(fields=["pupil", "is_child_safety", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("completed_by")),
                name="assessment_reviewer_is_not_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition.title} – {self.get_status_display()}"

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def answers(self) -> dict[str, Any]:
        return json.loads(self.answers_json) if self.answers_json else {}

    @answers.setter
    def answers(self, value: dict[str, Any]) -> None:
        self.answers_json = json.dumps(value, ensure_ascii=False, sort_keys=True)

    @property
    def judgements(self) -> list[dict[str, Any]]:
        return json.loads(self.judgements_json) if self.judgements_json else []

    @judgements.setter
    def judgements(self, value: list[dict[str, Any]]) -> None:
        self.judgements_json = json.dumps(value, ensure_ascii=False)

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_finished(self) -> bool:
        """Completed, and reviewed where the instrument requires it."""
        if self.status == AssessmentStatus.REVIEWED:
            return True
        return self.status == AssessmentStatus.COMPLETED and not self.definition.requires_review

    @property
    def awaits_review(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED and self.definition.requires_review

    def chosen_rows(self) -> list[dict[str, Any]]:
        """Each row with the answer given, in the definition's order (for display side by side)."""
        from schoolzorg.assessments.definitions import describe_answers

        return describe_answers(self.definition.definition, self.answers)

    def grouped_rows(self) -> list[dict[str, Any]]:
        """The rows per section: [{"key", "title", "rows": [...]}], for tables per section."""
        groups: list[dict[str, Any]] = []
        for row in self.chosen_rows():
            if not groups or groups[-1]["key"] != row["section_key"]:
                groups.append({"key": row["section_key"], "title": row["section"], "rows": []})
            groups[-1]["rows"].append(row)
        return groups
