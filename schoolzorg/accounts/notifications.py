"""Notify people in the app and by e-mail, after the surrounding transaction commits.

Texts must not contain pupil names or other child data: e-mail leaves our systems. Say what
happened and link to the page; the page does the access check. The text is the link on
"Meldingen", so it names what tells it apart from the next one without naming the child: the
school, the case's or referral's number, the meeting's day. The in-app notification keeps
the path; the e-mail gets the full address (`SCHOOLZORG_BASE_URL`).

A notification is read when its owner follows its link (`mark_read`) or marks them all read
(`mark_all_read`); opening the "Meldingen" page itself changes nothing, so what is new stays
marked until the user has dealt with it. Each write forgets the owner's cached menu, whose
badge counts the unread ones.

Notifications are pointers, not records: the file they point at keeps what happened. A daily
sweep (`prune_notifications`) deletes read ones after `KEEP_READ` and unread ones after
`KEEP_UNREAD`, so an inbox does not hold years of links nobody follows.

E-mail goes through the background queue (`django.tasks`; in production the database queue that
`manage.py db_worker` runs): after commit one task per recipient is enqueued
(`send_notification_email`), so a slow or absent mail server never holds up a web request or a
sweep. The task sends with the mailer's timeout (`SCHOOLZORG_EMAIL_TIMEOUT`); when sending
fails it logs a warning naming only the recipient's id and the kind of error, and enqueues
itself again after `RETRY_DELAYS` (django-tasks has no retries of its own). After the last
attempt the task ends as failed (`MailNotSent`), which the task-result table keeps
(`lib/taskresults.py`) and the worker's log shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from schoolzorg.accounts.models import Notification, User
from schoolzorg.lib import navigation, targets

log = logging.getLogger(__name__)

KEEP_READ = dt.timedelta(days=90)
KEEP_UNREAD = dt.timedelta(days=365)
# How long to wait before sending an e-mail again after each failed attempt: five attempts over
# about two hours, so a relay that is down for a while still delivers once it is back.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAIL_ATTEMPTS = len(RETRY_DELAYS) + 1


class MailNotSent(Exception):
    """The last attempt to send a notification e-mail failed; the task ends as failed."""


def absolute_url(path: str) -> str:
    """The page's full address for an e-mail (`settings.BASE_URL` + path); a mail client has no
    site to resolve a path against."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.BASE_URL + "/" + path.lstrip("/")


def notify(
    users: Iterable[User], *, text: str, url: str = "", subject: str = "", email: bool = True
) -> list[Notification]:
    """Create in-app notifications now; send the e-mails once the transaction has committed."""
    recipients = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    created = Notification.objects.bulk_create(
        Notification(user=u, text=text[:300], url=url) for u in recipients
    )
    user_pks = [u.pk for u in recipients]
    if recipients:
        transaction.on_commit(lambda: navigation.forget(user_pks))
    if email and recipients:
        subject = subject or "Schoolzorg: " + short_subject(text)
        body = (
            f"{text}\n\nOpen Schoolzorg om het te bekijken: {absolute_url(url)}\n\n"
            "Dit bericht is automatisch verstuurd."
        )

        def enqueue() -> None:
            for pk in user_pks:
                send_notification_email.enqueue(pk, subject, body)

        # robust: the write is committed already; a queue that cannot be reached is logged
        # (by Django) rather than turning the user's saved work into an error page.
        transaction.on_commit(enqueue, robust=True)
    return created


def short_subject(text: str, limit: int = 60) -> str:
    """The text as a subject: whole when short, else cut after a whole word, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.:;")
    return cut + "…"


def may_open(user: Any, path: str) -> bool:
    """False when the path is no page of this site, or the app that owns the page says the
    user may not open it (any more): access ends when a case closes or an action is done."""
    return path in targets.openable(user, [path])


def local_path(url: str) -> str | None:
    """The notification's link if it is a path on this site, else None.

    Links are written by our own services, but the redirect that follows one must never become
    an open redirect: only a path starting with one slash passes.
    """
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return None
    return url


def mark_read(user: User, pk: int) -> Notification | None:
    """Mark one of the user's own notifications read; None when the user has no such one."""
    notification = Notification.objects.of(user).filter(pk=pk).first()
    if notification is None:
        return None
    if notification.read_at is None:
        # Conditional: a second tab that already marked it keeps the first time it was read.
        now = timezone.now()
        if Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        navigation.forget([user.pk])
    return notification


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; return how many."""
    count = Notification.objects.of(user).unread().update(read_at=timezone.now())
    if count:
        navigation.forget([user.pk])
    return count


def prune_notifications(now: dt.datetime | None = None) -> int:
    """Delete read notifications older than KEEP_READ and unread ones older than KEEP_UNREAD;
    return how many. Safe to run twice at once: each run derives the rows from the database."""
    now = now or timezone.now()
    old = Notification.objects.filter(read_at__isnull=False, created_at__lt=now - KEEP_READ)
    old = old | Notification.objects.filter(read_at__isnull=True, created_at__lt=now - KEEP_UNREAD)
    unread_owners = set(old.filter(read_at__isnull=True).values_list("user_id", flat=True))
    deleted, _ = old.delete()
    if unread_owners:  # their badge counted what is gone
        navigation.forget(sorted(unread_owners))
    return deleted


@task()
def send_notification_email(user_id: int, subject: str, body: str, attempt: int = 1) -> str:
    """Send one notification e-mail to the user's current address; on failure log a warning
    (the recipient's id and the kind of error only) and try again later, `MAIL_ATTEMPTS` times
    in all. Returns "verstuurd", "overgeslagen" (the account was ended or has no address) or
    "later opnieuw"; raises `MailNotSent` after the last attempt."""
    user = User.objects.filter(pk=user_id, is_active=True).only("email").first()
    if user is None or not user.email:
        return "overgeslagen"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception as exc:  # SMTP, socket and timeout errors alike: the relay is not there
        error = type(exc).__name__
        if attempt >= MAIL_ATTEMPTS:
            log.warning(
                "E-mail to user %s not sent (%s); attempt %s of %s, giving up",
                user_id,
                error,
                attempt,
                MAIL_ATTEMPTS,
            )
            # Not chained: the error's text may hold the address, the task result keeps this.
            raise MailNotSent(
                f"e-mail aan gebruiker {user_id} niet verstuurd na {attempt} pogingen ({error})"
            ) from None
        delay = RETRY_DELAYS[attempt - 1]
        log.warning(
            "E-mail to user %s not sent (%s); attempt %s of %s, trying again in %s",
            user_id,
            error,
            attempt,
            MAIL_ATTEMPTS,
            delay,
        )
        again = send_notification_email
        if again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + delay)
        again.enqueue(user_id, subject, body, attempt + 1)
        return "later opnieuw"
    return "verstuurd"


@task()
def prune_notifications_task() -> int:
    return prune_notifications()
