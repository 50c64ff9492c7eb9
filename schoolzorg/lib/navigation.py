"""The main menu, assembled from items that each app contributes in its AppConfig.ready().

An item decides for itself whether the user sees it, and may carry a count (open work).
Counts are cheap aggregate queries; the menu never lists pupils.

The menu is on every page, so a user's items are kept for `NAVIGATION_CACHE_SECONDS` (60 s) in
the cache: a badge may lag a minute behind, the pages the items lead to check access themselves.
A write that changes a user's own count (a notification read or received) calls `forget`, so
that user's next page in this process counts again.
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
    # What the count counts, read out after the number ("3 open", "2 ongelezen").
    count_label: str = "open"


NavProvider = Callable[[HttpRequest], NavItem | None]
_PROVIDERS: list[tuple[str, NavProvider]] = []


def register(key: str, provider: NavProvider) -> None:
    """Add a menu item provider once (ready() can run more than once in tests)."""
    if all(existing != key for existing, _ in _PROVIDERS):
        _PROVIDERS.append((key, provider))


def _key(user_pk: object) -> str:
    return f"nav:{user_pk}"


def forget(user_pks: Iterable[object]) -> None:
    """Drop these users' cached menus: their counts changed."""
    cache.delete_many([_key(pk) for pk in user_pks])


def _collect(request: HttpRequest) -> list[NavItem]:
    return [item for _, provider in _PROVIDERS if (item := provider(request)) is not None]


def items_for(request: HttpRequest) -> list[NavItem]:
    seconds = getattr(settings, "NAVIGATION_CACHE_SECONDS", 60)
    user_pk = getattr(request.user, "pk", None)
    found: list[NavItem] | None = None
    if seconds and user_pk is not None:
        found = cache.get(_key(user_pk))
        if found is None:
            found = _collect(request)
            cache.set(_key(user_pk), found, seconds)
    else:
        found = _collect(request)
    path = request.path
    marked = [
        replace(i, is_current=(i.url == path) or (i.url != "/" and path.startswith(i.url)))
        for i in found
    ]
    return sorted(marked, key=lambda i: (i.order, i.label))
