"""Dutch postcodes: `3061 ab`, `3061AB` and `3061` all normalise to one form."""

from __future__ import annotations

import re

_PC6 = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
_PC4 = re.compile(r"^([1-9][0-9]{3})$")


def normalise_postcode(value: str) -> str:
    """Return `3061AB` or `3061`, or '' when the value is not a Dutch postcode."""
    text = (value or "").strip()
    if m := _PC6.match(text):
        return f"{m.group(1)}{m.group(2).upper()}"
    if m := _PC4.match(text):
        return m.group(1)
    return ""


def display_postcode(value: str) -> str:
    """`3061AB` → `3061 AB`."""
    pc = normalise_postcode(value)
    return f"{pc[:4]} {pc[4:]}" if len(pc) == 6 else pc
