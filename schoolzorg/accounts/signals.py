"""Receivers of the accounts app, connected when the app is ready (`AccountsConfig.ready`)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from schoolzorg.accounts.middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def mark_session_start(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """The 12-hour limit of a session counts from the sign-in (`SessionLimitsMiddleware`)."""
    request.session[SESSION_STARTED_KEY] = time.time()
