"""E-mail goes through the database queue and the worker, as in production: never sent in the
web request, with a timeout, a warning without the address, and attempts again later."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolzorg.accounts.models import User
from schoolzorg.accounts.notifications import MAIL_ATTEMPTS, notify, send_notification_email

pytestmark = pytest.mark.django_db

ADDRESS = "ib-mail@school.example"


@pytest.fixture(autouse=True)
def _database_queue(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes a connection that is inside a transaction (the test's), as Django's test
    # client keeps it open around a request by the same means.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def _smtp(settings: Any, port: int, timeout: int = 1) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def _mail_tasks() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path__endswith=".send_notification_email").order_by(
            "enqueued_at"
        )
    )


@pytest.fixture
def hung_relay() -> Iterator[int]:
    """A port that accepts the connection and then never says a word (an overloaded relay)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (the relay is down): the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _user() -> User:
    return User.objects.create_user(email=ADDRESS, password="x" * 12, full_name="Ib")


def test_the_mail_waits_in_the_queue_until_the_worker_sends_it() -> None:
    user = _user()
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([user], text="Er is een nieuwe zorgmelding.", url="/zorg/1/")
        assert _mail_tasks() == []  # nothing before commit
    assert mail.outbox == []  # not sent in the request
    (queued,) = _mail_tasks()
    assert queued.status == "READY"
    assert queued.args_kwargs["args"][0] == user.pk
    assert ADDRESS not in str(queued.args_kwargs)  # the address is read when sending
    _run_worker()
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    queued.refresh_from_db()
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", "verstuurd")


def test_nothing_is_queued_when_the_write_is_rolled_back() -> None:
    user = _user()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        notify([user], text="Er is een nieuwe zorgmelding.", url="/zorg/1/")
    assert callbacks  # they would only run on commit
    assert _mail_tasks() == []


def test_an_ended_account_gets_no_mail() -> None:
    user = _user()
    send_notification_email.enqueue(user.pk, "Onderwerp", "Tekst")
    User.objects.filter(pk=user.pk).update(is_active=False)
    _run_worker()
    assert mail.outbox == []
    assert _mail_tasks()[0].return_value == "overgeslagen"


def test_a_hung_relay_times_out_and_the_mail_is_tried_again_later(
    settings: Any, hung_relay: int, caplog: pytest.LogCaptureFixture
) -> None:
    _smtp(settings, hung_relay, timeout=1)
    user = _user()
    send_notification_email.enqueue(user.pk, "Onderwerp", "Tekst")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="schoolzorg.accounts.notifications"):
        _run_worker()
    assert time.monotonic() - started < 10  # the timeout, not a worker held for good
    first, again = _mail_tasks()
    assert (first.status, first.return_value) == ("SUCCESSFUL", "later opnieuw")
    assert again.status == "READY"
    assert again.args_kwargs["args"] == [user.pk, "Onderwerp", "Tekst", 2]
    assert again.run_after > timezone.now() + dt.timedelta(seconds=30)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"user {user.pk}" in warning and "SMTPServerDisconnected" in warning  # timed out
    assert ADDRESS not in caplog.text


def test_a_relay_that_stays_down_fails_the_task_after_the_last_attempt(
    settings: Any, closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    _smtp(settings, closed_port)
    user = _user()
    send_notification_email.enqueue(user.pk, "Onderwerp", "Tekst")
    start = timezone.now()
    with caplog.at_level(logging.WARNING):
        for attempt in range(MAIL_ATTEMPTS):
            with time_machine.travel(start + dt.timedelta(hours=3 * attempt), tick=True):
                _run_worker()
    tasks = _mail_tasks()
    assert [t.args_kwargs["args"][-1] for t in tasks[1:]] == list(range(2, MAIL_ATTEMPTS + 1))
    assert [t.status for t in tasks] == ["SUCCESSFUL"] * (MAIL_ATTEMPTS - 1) + ["FAILED"]
    last = tasks[-1]
    assert last.exception_class_path.endswith("notifications.MailNotSent")
    assert f"gebruiker {user.pk} niet verstuurd na {MAIL_ATTEMPTS} pogingen" in last.traceback
    assert ADDRESS not in last.traceback
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name == "schoolzorg.accounts.notifications" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == MAIL_ATTEMPTS
    assert all("ConnectionRefusedError" in w for w in warnings)
    assert ADDRESS not in caplog.text
    assert mail.outbox == []


def test_production_mails_through_smtp_with_a_timeout() -> None:
    from cryptography.fernet import Fernet

    from schoolzorg.accounts.tests.test_deploy import _production

    probe = (
        "import django; django.setup()\n"
        "from django.core import mail\n"
        "m = mail.mailers['default']\n"
        "print(type(m).__module__, m.timeout, m.username, m.password, m.use_tls, m.use_ssl)"
    )
    env = {
        "SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode(),
        "SCHOOLZORG_EMAIL_HOST": "relay.example",
    }
    result = _production(["-c", probe], env)
    assert result.returncode == 0, result.stderr
    smtp = "django.core.mail.backends.smtp"
    assert result.stdout.split() == [smtp, "10", "None", "None", "False", "False"]
    result = _production(["-c", probe], {**env, "SCHOOLZORG_EMAIL_TIMEOUT": "3"})
    assert result.stdout.split() == [smtp, "3", "None", "None", "False", "False"]
    # Tester T8: a relay that wants a login and STARTTLS (or SSL) could not be reached.
    login = {"SCHOOLZORG_EMAIL_USER": "zorg", "SCHOOLZORG_EMAIL_PASSWORD": "geheim-123"}
    result = _production(["-c", probe], {**env, **login, "SCHOOLZORG_EMAIL_SECURITY": "starttls"})
    assert result.stdout.split() == [smtp, "10", "zorg", "geheim-123", "True", "False"]
    result = _production(["-c", probe], {**env, "SCHOOLZORG_EMAIL_SECURITY": "SSL"})
    assert result.stdout.split()[-2:] == ["False", "True"]
    result = _production(["-c", probe], {**env, "SCHOOLZORG_EMAIL_SECURITY": "tls"})
    assert result.returncode != 0 and "kies starttls, ssl of laat het leeg" in result.stderr
