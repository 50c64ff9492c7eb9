"""A cache that lives for one request: the same access rule is not rebuilt five times per page.

Outside a request (services called from commands and tests) nothing is cached, so a change is
seen at once. Inside a request, a rule computed once is reused until the response is sent; the
next request starts empty, so an ended membership or withdrawn consent counts from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_cache: ContextVar[dict[Hashable, Any] | None] = ContextVar(
    "schoolzorg_request_cache", default=None
)


def cached[T](key: Hashable, compute: Callable[[], T]) -> T:
    store = _cache.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def clear() -> None:
    """Forget what this request computed (after a write that changes access, e.g. a new grant)."""
    store = _cache.get()
    if store is not None:
        store.clear()


@contextmanager
def scope() -> Iterator[None]:
    """One request's cache: the middleware opens one per request (a test may open one too)."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


class RequestCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with scope():
            return self.get_response(request)
