"""Background work of the read log: sealing, the weekly report's counts, and on PostgreSQL its
monthly partitions."""

from __future__ import annotations

from django.tasks import task

from schoolzorg.audit.anomalies import store_last_week
from schoolzorg.audit.partitions import ensure_partitions
from schoolzorg.audit.sealing import seal_all


@task()
def seal_access_log() -> int:
    """Seal every settled, unsealed read-log entry into the hash chain."""
    return seal_all()


@task()
def ensure_access_log_partitions() -> list[str]:
    """Create the read log's monthly partitions up to three months ahead (PostgreSQL only)."""
    return ensure_partitions()


@task()
def count_last_weeks_reads() -> int:
    """Keep last week's read counts per privacy officer's organisation, for the weekly report."""
    return store_last_week()
