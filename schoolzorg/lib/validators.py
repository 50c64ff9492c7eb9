"""Validators shared by models of several apps."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Control, format (zero-width, right-to-left override), private-use and line/paragraph
# separators: invisible in a list, they make two names look alike or turn a text around.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def no_hidden_characters(value: str) -> None:
    """Refuse text with characters one cannot see (a name or address that only looks the same)."""
    if any(unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in value):
        raise ValidationError(
            "Hierin staat een onzichtbaar teken (bijvoorbeeld na kopiëren uit een ander "
            "programma). Typ de tekst opnieuw.",
            code="hidden_characters",
        )
