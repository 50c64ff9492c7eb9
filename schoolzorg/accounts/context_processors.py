from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from schoolzorg.accounts.services import is_verified
from schoolzorg.lib.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not is_verified(user):
        return {"nav_items": None}
    return {"nav_items": items_for(request)}
