"""Whether a user may (still) open a page of another app, asked without opening it.

A link kept somewhere (a notification, a line on a case's timeline) may point at a page the
user cannot open, or no longer: access ended with a closed case or a finished action. The app
that owns a detail page registers, per URL name, which of a set of ids the user may open
(`register("meetings:detail", fn(user, pks) -> set of openable pks)`); `openable(user, paths)`
answers for many links with one query per kind of page, so a page's query count stays fixed.
A page without a registered check counts as openable: it still does its own access check.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

OpenableIds = Callable[[Any, set[int]], Collection[int]]
_CHECKS: dict[str, OpenableIds] = {}


def register(url_name: str, openable_ids: OpenableIds) -> None:
    """`openable_ids(user, pks)` answers which of `pks` (the URL's `pk`) the user may open."""
    _CHECKS.setdefault(url_name, openable_ids)


def openable(user: Any, paths: Iterable[str]) -> set[str]:
    """The paths among `paths` that are pages of this site the user may open."""
    wanted: dict[str, dict[int, list[str]]] = {}
    found: set[str] = set()
    for path in set(paths):
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            continue
        pk = match.kwargs.get("pk")
        if match.view_name not in _CHECKS or not isinstance(pk, int):
            found.add(path)
            continue
        wanted.setdefault(match.view_name, {}).setdefault(pk, []).append(path)
    for view_name, by_pk in wanted.items():
        for pk in _CHECKS[view_name](user, set(by_pk)):
            found.update(by_pk.get(pk, ()))
    return found
