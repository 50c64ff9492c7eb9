"""Path converters for the project's URLs."""

from __future__ import annotations


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
