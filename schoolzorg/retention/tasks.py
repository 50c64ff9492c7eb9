"""Background work of retention: the daily destruction of files past their period."""

from __future__ import annotations

from django.tasks import task

from schoolzorg.retention.services import destroy_expired


@task()
def destroy_expired_files() -> int:
    """Destroy every file past its retention period; return the register lines written."""
    return destroy_expired()
