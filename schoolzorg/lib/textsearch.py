"""Name search that ignores accents: "Daniel" finds Daniël, "Zoe" finds Zoë, "celik" finds Çelik.

PostgreSQL compares with its `unaccent` extension (created by a migration of the pupils app);
SQLite gets a function of the same name, written here in Python, on every new connection.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Func


def fold(text: str) -> str:
    """Lower case without accents: the form both sides of a name search are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Unaccent(Func):
    """`UNACCENT(expression)`: the text without accents (and, on SQLite, in lower case)."""

    function = "UNACCENT"
    output_field = CharField()


def _sqlite_unaccent(value: str | None) -> str | None:
    return None if value is None else fold(value)


def add_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On `connection_created`: give SQLite the UNACCENT function PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, _sqlite_unaccent, deterministic=True)
