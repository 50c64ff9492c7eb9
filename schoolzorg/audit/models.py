"""The read log (NEN 7513): who saw which child, when, in which role, on what basis.

Append-only. The application never updates or deletes an entry (on PostgreSQL a trigger refuses
it). Entries are sealed in batches into a hash chain by a periodic task, so writing an entry never
waits on a global lock; `schoolzorg verify-access-log` recomputes the chain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Bekeken"
    SEARCH = "search", "Gezocht"
    PRINT = "print", "Afgedrukt"
    EXPORT = "export", "Geëxporteerd"
    CREATE = "create", "Aangemaakt"
    UPDATE = "update", "Gewijzigd"
    DOWNLOAD = "download", "Gedownload"


class ImmutableEntryError(Exception):
    """The read log is append-only."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: object) -> int:
        raise ImmutableEntryError("Logboekregels kunnen niet worden gewijzigd.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEntryError("Logboekregels kunnen niet worden verwijderd.")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    user_id = models.BigIntegerField(null=True)
    user_label = models.CharField(max_length=200)
    role = models.CharField(max_length=40, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    pupil_id = models.BigIntegerField(null=True)  # indexed by audit_read_pupil_latest
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    basis = models.CharField(max_length=40, blank=True)
    basis_ref = models.CharField(max_length=60, blank=True)
    client_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user_id", "at"]),
            # "Who looked at this child": a pupil's latest entries without sorting all of them.
            models.Index(fields=["pupil_id", "at", "id"], name="audit_read_pupil_latest"),
            # The weekly report: a week's entries made in the name of the organisations in scope.
            models.Index(fields=["organisation_id", "at"], name="audit_read_organisation"),
        ]
        default_permissions = ("view",)

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableEntryError("Een logboekregel kan niet worden gewijzigd.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableEntryError("Een logboekregel kan niet worden verwijderd.")

    def canonical(self) -> str:
        """The entry as one stable line of text, for the hash chain."""
        return canonical_entry({f: getattr(self, f) for f in CANONICAL_FIELDS})


CANONICAL_FIELDS = (
    "id",
    "at",
    "user_id",
    "user_label",
    "role",
    "organisation_id",
    "organisation_label",
    "pupil_id",
    "action",
    "object_type",
    "object_id",
    "basis",
    "basis_ref",
    "client_address",
    "request_id",
    "detail",
)


def canonical_entry(values: dict[str, object]) -> str:
    """Serialise field values the same way whether they come from a model or a raw row."""
    import datetime as dt
    import json

    out: list[object] = []
    for name in CANONICAL_FIELDS:
        value = values.get(name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif value is not None and not isinstance(value, (int, str)):
            value = str(value)
        out.append(value)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


class LogSeal(models.Model):
    """One sealed batch of read-log entries: a link in the hash chain.

    hash = SHA-256(previous seal hash + canonical line of each entry in id order). Kept in its own
    table so the log table itself never needs an UPDATE.
    """

    first_id = models.BigIntegerField(unique=True)
    last_id = models.BigIntegerField(unique=True)
    count = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_id"]
        verbose_name = "logboekzegel"
        verbose_name_plural = "logboekzegels"


# A grant's pupil label once the child's file is destroyed (set by `retention`, which sits above
# this app); the review then says so instead of showing a number that points at nothing.
PUPIL_DESTROYED_LABEL = "leerling (dossier vernietigd)"


class BreakGlassGrant(models.Model):
    """Reasoned emergency access to one pupil for 60 minutes, reviewed by the privacy officer.

    Lives in `audit` (below `pupils`), so it keeps the pupil as a plain id, like the read log.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    pupil_id = models.BigIntegerField(db_index=True)
    pupil_label = models.CharField(max_length=200)
    role = models.CharField(max_length=40, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField("reden")
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField("beoordeling", blank=True)
    review_verdict = models.CharField(
        max_length=16,
        blank=True,
        choices=[("justified", "Terecht"), ("unjustified", "Niet terecht")],
    )
    # The form it came from: the same form sent twice finds the first grant (services).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "pupil_id", "expires_at"])]
        verbose_name = "noodtoegang"
        verbose_name_plural = "noodtoegangen"

    def is_active_at(self, moment: object) -> bool:
        return self.granted_at <= moment < self.expires_at  # type: ignore[operator]

    @property
    def pupil_destroyed(self) -> bool:
        return self.pupil_label == PUPIL_DESTROYED_LABEL


class WeeklyReview(models.Model):
    """A privacy officer's sign-off of one week's anomaly report of one scope owner.

    Once per owner (the organisation the officer holds the role at) and week (Monday). The owner
    is a plain id, like the read log. Sign-offs from before the report was split have none: they
    covered the whole log and count as that week's sign-off for every owner.
    """

    week_start = models.DateField()
    organisation_id = models.BigIntegerField(null=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField()
    note = models.TextField("opmerking", blank=True)
    findings = models.JSONField(default=dict)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "week_start"],
                name="unique_weekly_review_per_organisation",
            ),
            # The sign-offs of the whole log from before: still once per week.
            models.UniqueConstraint(
                fields=["week_start"],
                condition=models.Q(organisation_id__isnull=True),
                name="unique_weekly_review_without_organisation",
            ),
        ]
        verbose_name = "weekcontrole logboek"
        verbose_name_plural = "weekcontroles logboek"


class WeekCounts(models.Model):
    """A week's reads per user in one owner's scope, counted once when the week was over.

    The weekly report reads these rows instead of counting a closed week again: at national
    volume a large municipality's week took seconds to count. Every entry is written at the
    moment of the read, so a week that is over does not change (history imported into an old
    week afterwards is the exception: delete that week's counts to count it again).
    """

    organisation_id = models.BigIntegerField()
    week_start = models.DateField()
    # [{"user_id", "user_label", "n", "weekend", "outside"}], as `anomalies.count_reads` gives.
    rows = models.JSONField(default=list)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "week_start"], name="unique_week_counts"
            )
        ]
        verbose_name = "weektelling logboek"
        verbose_name_plural = "weektellingen logboek"
