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


def without_hidden_characters(value: str) -> str:
    """The text with its hidden characters taken out (a hidden line break becomes a space).

    For files read in bulk, where a row cannot be typed again: the model would refuse it.
    """
    return "".join(
        (" " if ch.isspace() else "") if unicodedata.category(ch) in HIDDEN_CATEGORIES else ch
        for ch in value
    ).strip()


# Letters and symbols that draw nothing: a text of only these looks empty on the screen.
_BLANK_LOOKING = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def is_blank(value: str) -> bool:
    """Tell whether a text shows nothing: only spaces, zero-width or other hidden characters.

    Every required free-text field (a note, a decision, a reason) asks this instead of
    `not value.strip()`, which lets a zero-width space (U+200B) through as if it were text.
    """
    return not any(
        not ch.isspace()
        and ch not in _BLANK_LOOKING
        and unicodedata.category(ch) not in HIDDEN_CATEGORIES
        for ch in value
    )
