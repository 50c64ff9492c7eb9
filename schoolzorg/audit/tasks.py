"""Background work of the read log: sealing (and, on PostgreSQL, monthly partitions later)."""

from __future__ import annotations

from django.tasks import task

from schoolzorg.audit.sealing import seal_all


@task()
def seal_access_log() -> int:
    """Seal every settled, unsealed read-log entry into the hash chain."""
    return seal_all()
