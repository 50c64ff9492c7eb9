"""Small helpers for the Django admin pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin


def yes_no(field: str, label: str) -> Callable[[Any], str]:
    """A list column that says "ja" or "nee" for a boolean field. Django's own column shows an
    icon whose text for screen readers is "True" or "False", in English."""

    @admin.display(description=label, ordering=field)
    def column(obj: Any) -> str:
        return "ja" if getattr(obj, field) else "nee"

    column.__name__ = f"{field}_ja_nee"
    return column
