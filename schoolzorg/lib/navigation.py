"""The main menu, assembled from items that each app contributes in its AppConfig.ready().

An item decides for itself whether the user sees it, and may carry a count (open work).
Counts are cheap aggregate queries; the menu never lists pupils.

The menu is on every page, so a user's items are kept for `NAVIGATION_CACHE_SECONDS` (60 s) in
the cache: a badge may lag a minute behind, the pages the items lead to check access themselves.
A write that changes a user's counts (a notification received) calls `forget`, so that user's
next page in this process counts again. The cache is per process: a user's own action (reading
notifications) calls `refresh`, which bumps a number in the user's session, shared by all
workers, so that every worker counts again on that user's next page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50
    count: int = 0
    is_current: bool = False
    # What the count counts, read out after the number ("3 open", "1 nieuw", "2 ongelezen").
    # Pass it with every count: a badge read as "open" while it counts only new items tells a
    # screen-reader user a wrong figure.
    count_label: str = "open"


NavProvider = Callable[[HttpRequest], NavItem | None]
_PROVIDERS: list[tuple[str, NavProvider]] = []


def register(key: str, provider: NavProvider) -> None:
    """Add a menu item provider once (ready() can run more than once in tests)."""
    if all(existing != key for existing, _ in _PROVIDERS):
        _PROVIDERS.append((key, provider))


def _key(user_pk: object) -> str:
    return f"nav:{user_pk}"


# The number of the user's own changes to their counts, kept in the session (see `refresh`).
SESSION_VERSION = "sz_nav_version"


def forget(user_pks: Iterable[object]) -> None:
    """Drop these users' cached menus in this process: their counts changed."""
    cache.delete_many([_key(pk) for pk in user_pks])


def refresh(request: HttpRequest) -> None:
    """The user changed their own counts: the next page counts again, whichever worker serves it."""
    request.session[SESSION_VERSION] = request.session.get(SESSION_VERSION, 0) + 1


def _collect(request: HttpRequest) -> list[NavItem]:
    return [item for _, provider in _PROVIDERS if (item := provider(request)) is not None]


def items_for(request: HttpRequest) -> list[NavItem]:
    seconds = getattr(settings, "NAVIGATION_CACHE_SECONDS", 60)
    user_pk = getattr(request.user, "pk", None)
    found: list[NavItem] | None = None
    if seconds and user_pk is not None:
        session = getattr(request, "session", None)
        version = session.get(SESSION_VERSION, 0) if session is not None else 0
        cached = cache.get(_key(user_pk))
        if cached is not None and cached[0] == version:
            found = cached[1]
        else:
            found = _collect(request)
            cache.set(_key(user_pk), (version, found), seconds)
    else:
        found = _collect(request)
    path = request.path
    marked = [
        replace(i, is_current=(i.url == path) or (i.url != "/" and path.startswith(i.url)))
        for i in found
    ]
    return sorted(marked, key=lambda i: (i.order, i.label))
