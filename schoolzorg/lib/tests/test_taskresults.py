"""The daily sweep prunes the background queue's finished task results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from schoolzorg.lib import periodic
from schoolzorg.lib.taskresults import (
    KEEP_FAILED,
    KEEP_SUCCESSFUL,
    prune_task_results,
    prune_task_results_task,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _result(status: str, finished_ago: dt.timedelta | None, now: dt.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        task_path="schoolzorg.audit.tasks.seal_access_log",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        finished_at=None if finished_ago is None else now - finished_ago,
    )


def test_finished_results_past_their_time_are_deleted_and_waiting_ones_kept() -> None:
    now = timezone.now()
    keep = {
        _result("SUCCESSFUL", KEEP_SUCCESSFUL - DAY, now).pk,
        _result("FAILED", KEEP_FAILED - DAY, now).pk,  # failed ones are kept longer
        _result("FAILED", KEEP_SUCCESSFUL + DAY, now).pk,
        _result("READY", None, now).pk,
        _result("RUNNING", None, now).pk,
    }
    _result("SUCCESSFUL", KEEP_SUCCESSFUL + DAY, now)
    _result("FAILED", KEEP_FAILED + DAY, now)
    assert prune_task_results(now) == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == keep
    assert prune_task_results(now) == 0  # safe to run again


def test_the_scheduler_prunes_them_daily() -> None:
    sweep = {s.name: s for s in periodic.sweeps()}["task-results"]
    assert sweep.task is prune_task_results_task
    assert sweep.every_seconds == 24 * 60 * 60
    now = timezone.now()
    _result("SUCCESSFUL", KEEP_SUCCESSFUL + DAY, now)
    assert prune_task_results_task.call() == 1
