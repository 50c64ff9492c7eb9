"""Notify people in the app and by e-mail, after the surrounding transaction commits.

Texts must not contain pupil names or other child data: e-mail leaves our systems. Say what
happened and link to the page; the page does the access check. The in-app notification keeps
the path; the e-mail gets the full address (`SCHOOLZORG_BASE_URL`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from schoolzorg.accounts.models import Notification, User


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
    if email and recipients:
        body = (
            f"{text}\n\nOpen Schoolzorg om het te bekijken: {absolute_url(url)}\n\n"
            "Dit bericht is automatisch verstuurd."
        )
        addresses = [u.email for u in recipients]

        def send() -> None:
            for address in addresses:
                send_mail(
                    subject or "Schoolzorg: " + text[:60],
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )

        transaction.on_commit(send)
    return created
