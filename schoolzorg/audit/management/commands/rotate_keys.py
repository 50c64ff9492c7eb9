"""`schoolzorg rotate-keys`: re-encrypt every EncryptedTextField with the newest key.

Procedure (docs/decisions/0501-field-key-rotation.md): put the new key first in
SCHOOLZORG_FIELD_KEYS (keep the old one after it), restart, run this command, verify, then drop
the old key and restart again.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import CommandParser
from django.db import transaction

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.lib.crypto import EncryptedTextField

CHUNK = 500


def encrypted_fields() -> list[tuple[Any, list[str]]]:
    """Every concrete model with its encrypted fields, found through the app registry."""
    found = []
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and f.model is model
        ]
        if names:
            found.append((model, names))
    return found


def rotate_model(model: Any, names: list[str]) -> int:
    """Read each row (any key decrypts) and write it back (the newest key encrypts)."""
    rows = 0
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        with transaction.atomic():
            chunk = pks[start : start + CHUNK]
            for pk, *values in (
                model._base_manager.filter(pk__in=chunk)
                .select_for_update()
                .values_list("pk", *names)
            ):
                # A queryset UPDATE: no save() signals, so the change history stays free of
                # child-safety text.
                model._base_manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
                rows += 1
    return rows


class Command(BaseCommand):
    help = "Versleutel alle versleutelde velden opnieuw met de nieuwste sleutel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, names in encrypted_fields():
            label = f"{model._meta.label} ({', '.join(names)})"
            if options["dry_run"]:
                count = model._base_manager.count()
            else:
                count = rotate_model(model, names)
            total += count
            self.stdout.write(f"{label}: {count} rijen")
        verb = "zouden worden" if options["dry_run"] else "zijn"
        self.stdout.write(f"Klaar: {total} rijen {verb} opnieuw versleuteld.")
