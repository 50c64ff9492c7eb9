"""Notify people in the app and by e-mail, after the surrounding transaction commits.

Texts must not contain pupil names or other child data: e-mail leaves our systems. Say what
happened and link to the page; the page does the access check.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from schoolzorg.accounts.models import Notification, User


def notify(
    users: Iterable[User], *, text: str, url: str = "", subject: str = "", email: bool = True
) -> list[Notification]:
    """Create in-app notifications now; send the e-mails once the transaction has committed."""
    recipients = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    created = Notification.objects.bulk_create(
        Notification(user=u, text=text[:300], url=url) for u in recipients
    )
    if email and recipients:
        body = f"{text}\n\nOpen Schoolzorg om het te bekijken: {url}\n\nDit bericht is automatisch verstuurd."
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
