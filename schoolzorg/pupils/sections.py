"""Sections of the pupil page, contributed by each app (consent, cases, plans, referrals, log).

The pupil view has already checked access and written the read-log entry; a section provider
receives the basis and whether the user sees the full file, and returns None to stay hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from schoolzorg.lib.homepanels import Panel

SectionProvider = Callable[[HttpRequest, Any, Any, bool], Panel | None]
_PROVIDERS: list[tuple[str, SectionProvider]] = []


def register(key: str, provider: SectionProvider) -> None:
    if all(existing != key for existing, _ in _PROVIDERS):
        _PROVIDERS.append((key, provider))


def sections_for(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> list[Panel]:
    found = [
        p for _, provider in _PROVIDERS if (p := provider(request, pupil, basis, full)) is not None
    ]
    return sorted(found, key=lambda p: p.order)
