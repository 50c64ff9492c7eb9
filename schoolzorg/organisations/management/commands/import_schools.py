"""`schoolzorg import-schools`: Lees DUO-schoolvestigingen (02. Alle schoolvestigingen basisonderwijs) in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.importers.base import run_import
from schoolzorg.organisations.importers.schools import import_schools


class Command(BaseCommand):
    help = "Lees DUO-schoolvestigingen (02. Alle schoolvestigingen basisonderwijs) in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="BESTAND", help="CSV-bestand")
        parser.add_argument(
            "--sluit-ontbrekende",
            action="store_true",
            help="Sluit ook veel vestigingen tegelijk (meer dan een tiende) die niet in het "
            "bestand staan; zonder deze optie wordt zo'n bestand als afgebroken geweigerd.",
        )

        parser.add_argument(
            "--gemeente-zonder-scholen",
            action="store_true",
            help="Lees het bestand ook in als een gemeente met rollen, teams of normen daarna "
            "geen open school meer heeft (een herindeling: de scholen krijgen een ander "
            "GEMEENTENUMMER). Zet daarna direct in /beheer/ alles over naar de nieuwe gemeente.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self.stdout,
            import_schools,
            options["file"],
            close_many=options["sluit_ontbrekende"],
            empty_municipalities=options["gemeente_zonder_scholen"],
        )
