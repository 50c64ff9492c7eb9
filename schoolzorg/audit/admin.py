"""The Django admin shows no change history.

django-auditlog registers an admin for its log entries. They hold the field changes of pupils,
guardians, addresses and consents in plain text, and the admin would show them to any superuser
without an access check or a read-log entry. The history is read only through the pages that
check access and log the read (`audit.history`, the pupil page, the privacy officer's pages).
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import admin

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
