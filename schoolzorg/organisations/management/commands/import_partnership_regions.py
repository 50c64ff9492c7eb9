"""`schoolzorg import-partnership-regions`: Lees de SWV-regio-indeling per PC4 in (samenwerkingsverbanden)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.importers.base import run_import
from schoolzorg.organisations.importers.partnerships import import_partnership_regions


class Command(BaseCommand):
    help = "Lees de SWV-regio-indeling per PC4 in (samenwerkingsverbanden)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="BESTAND", help="CSV-bestand")
        parser.add_argument(
            "--verwijder-ontbrekende",
            action="store_true",
            help="Verwijder ook veel koppelingen tegelijk (meer dan een tiende) die niet in het "
            "bestand staan; zonder deze optie wordt zo'n bestand als afgebroken geweigerd.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self.stdout,
            import_partnership_regions,
            options["file"],
            remove_many=options["verwijder_ontbrekende"],
        )
