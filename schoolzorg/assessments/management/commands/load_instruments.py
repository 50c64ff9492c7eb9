"""`schoolzorg load-instruments`: load the shipped definitions in data/instruments/ (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from schoolzorg.assessments.definitions import DefinitionError
from schoolzorg.assessments.services import load_shipped_definitions
from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = "Laad de meegeleverde instrumenten uit data/instruments/."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_shipped_definitions()
        except DefinitionError as exc:
            lines = "\n".join(f"  - {p}" for p in exc.problems)
            raise CommandError(f"Niet geladen. Gevonden problemen:\n{lines}") from exc
        for definition, created in loaded:
            self.stdout.write(f"{'Geladen' if created else 'Stond er al'}: {definition}")
