"""Path converters for the project's URLs, and the same rule for ids in form fields."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")


class IdConverter:
    """A database id in a URL: 1 to 18 digits, so it always fits a 64-bit integer column.

    Django's `int` takes any number of digits. SQLite cannot bind an integer beyond 64 bits and
    raises OverflowError for a lookup through a relation (Django guards only a plain integer
    field, not e.g. a school's key, which points to its organisation), so a typed or crawled
    `/scholen/99999999999999999999/` answered 500 instead of "Niet gevonden".
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


def parse_id(raw: str) -> int | None:
    """The id in `raw` (a field name's suffix, a query parameter), or None if it is no id.

    The same rule as `IdConverter`: 1 to 18 ASCII digits. `str.isdigit()` is not enough: it
    accepts "²" and Arabic-Indic digits (int() then raises ValueError) and any number of digits
    (SQLite raises OverflowError binding one beyond 64 bits).
    """
    return int(raw) if _ID.fullmatch(raw) else None
