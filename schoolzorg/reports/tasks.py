"""The periodic refresh of the roll-up tables (registered as "refresh-figures", every 10 min)."""

from __future__ import annotations

from django.tasks import task

from schoolzorg.reports.services import refresh_figures


@task()
def refresh_figures_task() -> int:
    result = refresh_figures()
    return result.school_rows
