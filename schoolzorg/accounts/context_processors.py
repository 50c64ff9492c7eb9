from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from schoolzorg.accounts.middleware import seconds_left
from schoolzorg.accounts.services import is_verified
from schoolzorg.lib.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not is_verified(user):
        return {"nav_items": None}
    return {"nav_items": items_for(request)}


def session_timer(request: HttpRequest) -> dict[str, Any]:
    """What the warning before the idle limit needs (`static/js/session.js`): the seconds left
    now, until the 12-hour limit, and the least a request buys (an htmx save is one too: it
    writes the session only when its last write is over SESSION_TOUCH_SECONDS old)."""
    user = getattr(request, "user", None)
    if user is None or not is_verified(user):
        return {"session_timer": None}
    idle, hard = seconds_left(request)
    return {
        "session_timer": {
            "left": idle,
            "hard": hard,
            "renewed": settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS,
            "warn": settings.SESSION_WARNING_SECONDS,
        }
    }
