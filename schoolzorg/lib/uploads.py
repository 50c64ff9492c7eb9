"""Sweep uploaded files that no record refers to.

An upload is written to storage before its row is saved, inside the request's transaction
(`cases.services.add_document`); when that transaction rolls back, the file stays behind with no
row pointing at it. Such files can hold a child's data, so they must not linger. The sweep looks,
folder by folder, at every folder that a `FileField` of the project uploads into, and deletes
files that no row of any model names and that are older than `ORPHAN_AGE` (a file of a request
still in flight is never touched). Idempotent: safe to run twice at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.tasks import task
from django.utils import timezone

log = logging.getLogger(__name__)
ORPHAN_AGE = dt.timedelta(hours=24)


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("schoolzorg.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and field.storage is default_storage
    ]


def _roots() -> set[str]:
    """The top folders the project's FileFields upload into ("cases", "consent", ...)."""
    return {
        field.upload_to.split("/", 1)[0]
        for _, field in _file_fields()
        if isinstance(field.upload_to, str) and field.upload_to
    }


def _referenced(folder: str) -> set[str]:
    """Names of stored files under `folder/` that some row refers to."""
    found: set[str] = set()
    for model, field in _file_fields():
        found.update(
            model._default_manager.filter(**{f"{field.name}__startswith": f"{folder}/"})
            .values_list(field.name, flat=True)
            .iterator(chunk_size=2000)
        )
    return found


def _walk(folder: str) -> list[tuple[str, list[str]]]:
    """(folder, file names) for `folder` and every folder below it."""
    if not default_storage.exists(folder):
        return []
    subfolders, files = default_storage.listdir(folder)
    found = [(folder, files)]
    for sub in subfolders:
        found += _walk(f"{folder}/{sub}")
    return found


def sweep_orphan_uploads(now: dt.datetime | None = None) -> list[str]:
    """Delete unreferenced uploads older than ORPHAN_AGE; returns the names deleted."""
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    deleted: list[str] = []
    for root in sorted(_roots()):
        for folder, files in _walk(root):
            if not files:
                continue
            referenced = _referenced(folder)
            for name in files:
                path = f"{folder}/{name}"
                if path in referenced or default_storage.get_modified_time(path) > cutoff:
                    continue
                default_storage.delete(path)
                deleted.append(path)
    if deleted:
        log.warning("%d uploads without a record deleted", len(deleted))
    return deleted


@task()
def sweep_orphan_uploads_task() -> int:
    return len(sweep_orphan_uploads())
