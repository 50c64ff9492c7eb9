"""The read log (NEN 7513): who saw which child, when, in which role, on what basis.

Append-only. The application never updates or deletes an entry (on PostgreSQL a trigger refuses
it). Entries are sealed in batches into a hash chain by a periodic task, so writing an entry never
waits on a global lock; `schoolzorg verify-access-log` recomputes the chain.
"""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Bekeken"
    SEARCH = "search", "Gezocht"
    PRINT = "print", "Afgedrukt"
    EXPORT = "export", "Geëxporteerd"
    CREATE = "create", "Aangemaakt"
    UPDATE = "update", "Gewijzigd"
    DOWNLOAD = "download", "Gedownload"


class AccessLogEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    user_id = models.BigIntegerField(null=True)
    user_label = models.CharField(max_length=200)
    role = models.CharField(max_length=40, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    pupil_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    basis = models.CharField(max_length=40, blank=True)
    basis_ref = models.CharField(max_length=60, blank=True)
    client_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user_id", "at"])]
        default_permissions = ("view",)
