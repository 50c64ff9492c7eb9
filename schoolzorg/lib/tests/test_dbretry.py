"""The scheduler and the background worker ride out a lost database connection (tester finding
T16): a warning without data, the connection closed, a wait, and the work goes on."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.utils import InterfaceError, OperationalError

from schoolzorg.lib import dbretry
from schoolzorg.lib.management.commands import worker as worker_command
from schoolzorg.lib.periodic import Sweep

ROOT = Path(__file__).resolve().parents[3]


class _Stop(Exception):
    pass


class _FlakyTask:
    """A task whose enqueue fails as a lost connection does, `failures` times, then works."""

    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.enqueued = 0

    def enqueue(self) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.enqueued += 1


def test_backoff_grows_to_a_minute_and_starts_again_after_a_success() -> None:
    backoff = dbretry.Backoff()
    delays = [backoff.next_delay() for _ in range(8)]
    assert delays == [1, 2, 5, 10, 30, 60, 60, 60]
    backoff.reset()
    assert backoff.next_delay() == 1


def test_the_scheduler_waits_out_a_lost_connection_and_enqueues_after_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    task = _FlakyTask([OperationalError("server closed the connection"), InterfaceError("x")])
    monkeypatch.setattr(
        "schoolzorg.lib.management.commands.scheduler.sweeps",
        lambda: [Sweep("seal-access-log", task, 60)],
    )
    slept: list[float] = []
    closed: list[bool] = []
    monkeypatch.setattr(dbretry, "close_connections", lambda: closed.append(True))

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if seconds == 0.5:  # the scheduler's own tick: the round went through
            raise _Stop

    monkeypatch.setattr(time, "sleep", sleep)
    with caplog.at_level(logging.WARNING, logger="schoolzorg.lib.dbretry"), pytest.raises(_Stop):
        call_command("scheduler", "--tick", "0.5")
    assert task.enqueued == 1
    assert slept == [1, 2, 0.5]
    assert closed == [True, True]
    assert [r.getMessage() for r in caplog.records] == [
        "scheduler: geen verbinding met de database (OperationalError, poging 1); "
        "opnieuw over 1 s.",
        "scheduler: geen verbinding met de database (InterfaceError, poging 2); opnieuw over 2 s.",
    ]


def test_the_scheduler_once_still_fails_on_a_lost_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task = _FlakyTask([OperationalError("gone")])
    monkeypatch.setattr(
        "schoolzorg.lib.management.commands.scheduler.sweeps",
        lambda: [Sweep("seal-access-log", task, 60)],
    )
    with pytest.raises(OperationalError):
        call_command("scheduler", "--once")


def test_other_database_errors_are_not_waited_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.utils import IntegrityError

    task = _FlakyTask([IntegrityError("a bug, not a lost connection")])
    monkeypatch.setattr(
        "schoolzorg.lib.management.commands.scheduler.sweeps",
        lambda: [Sweep("seal-access-log", task, 60)],
    )
    with pytest.raises(IntegrityError):
        call_command("scheduler")


def test_the_worker_starts_its_loop_again_after_a_lost_connection(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs: list[int] = []

    def library_run(self: Any) -> None:
        runs.append(1)
        if len(runs) < 3:
            raise OperationalError("connection failed: Connection refused")
        # the third start works and finishes (as --batch does when the queue is empty)

    monkeypatch.setattr(worker_command.db_worker.Worker, "run", library_run)
    monkeypatch.setattr(dbretry, "close_connections", lambda: None)
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    with caplog.at_level(logging.WARNING, logger="schoolzorg.lib.dbretry"):
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(runs) == 3
    assert slept == [1, 2]
    assert "worker: geen verbinding met de database (OperationalError, poging 2)" in caplog.text
    assert "Connection refused" not in caplog.text  # the kind of error only


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize(
    "command",
    [["schoolzorg", "scheduler", "--tick", "0.2"], ["schoolzorg", "worker", "--no-reload"]],
    ids=["scheduler", "worker"],
)
def test_a_real_refused_connection_does_not_end_the_process(command: list[str]) -> None:
    # PostgreSQL on a port where nothing listens: every connection is refused, as during a restart.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOLZORG_")}
    env.update(
        SCHOOLZORG_DEBUG="1",
        SCHOOLZORG_DATA_DIR=str(ROOT / "var" / "dbretry"),
        DATABASE_URL=f"postgres://schoolzorg@127.0.0.1:{_closed_port()}/schoolzorg",
        PYTHONUNBUFFERED="1",
    )
    binary = str(Path(sys.executable).parent / command[0])
    process = subprocess.Popen(  # noqa: S603 - our own program and arguments
        [binary, *command[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        warnings: list[str] = []
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        while len(warnings) < 2 and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            if "geen verbinding met de database" in line:
                warnings.append(line.strip())
        assert [w.split(" (")[0] for w in warnings] == [
            f"{command[1]}: geen verbinding met de database"
        ] * 2, warnings
        assert process.poll() is None  # still running, waiting for the database
    finally:
        process.terminate()
        process.wait(timeout=30)
