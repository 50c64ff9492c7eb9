"""Panels on "Mijn werk", contributed by each app in its AppConfig.ready().

A provider returns None when the panel does not apply to the user, so the page stays role-aware
without the home view knowing any domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


PanelProvider = Callable[[HttpRequest], Panel | None]
_PROVIDERS: list[tuple[str, PanelProvider]] = []


def register(key: str, provider: PanelProvider) -> None:
    if all(existing != key for existing, _ in _PROVIDERS):
        _PROVIDERS.append((key, provider))


def panels_for(request: HttpRequest) -> list[Panel]:
    found = [p for _, provider in _PROVIDERS if (p := provider(request)) is not None]
    return sorted(found, key=lambda p: p.order)
