"""Pruning the background queue's finished task results (django-tasks-db's table).

Every sweep the scheduler enqueues leaves a row (about 2,200 a day), and so does every e-mail.
A daily sweep deletes successful results after `KEEP_SUCCESSFUL` and failed ones after
`KEEP_FAILED`, longer so that an operator can still see why an e-mail was not sent. Results that
wait or run are never touched. django-tasks-db's own `manage.py prune_db_task_results` does the
same by hand.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

KEEP_SUCCESSFUL = dt.timedelta(days=7)
KEEP_FAILED = dt.timedelta(days=30)


def prune_task_results(now: dt.datetime | None = None) -> int:
    """Delete finished task results past their keeping time; return how many."""
    now = now or timezone.now()
    old = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    )
    deleted, _ = old.delete()
    return deleted


@task()
def prune_task_results_task() -> int:
    return prune_task_results()
