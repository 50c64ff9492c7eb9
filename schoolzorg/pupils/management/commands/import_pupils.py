"""`schoolzorg import-pupils --school CODE BESTAND`: Lees de leerlingen van één school in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.importers.base import run_import
from schoolzorg.pupils.importers import import_pupils


class Command(BaseCommand):
    help = "Lees de leerlingen van één school in (export van ParnasSys, Esis of Magister)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            metavar="BESTAND",
            help="CSV-bestand met een regel per leerling (kolommen: zie README, 'Commands')",
        )
        parser.add_argument(
            "--school",
            required=True,
            metavar="CODE",
            help="De school van het bestand: de vestigingscode (zoals 99WA00, de voorbeeldschool "
            "van data/samples/schoolvestigingen-waterstede.csv), of de BRIN als die maar één "
            "open vestiging heeft.",
        )
        parser.add_argument(
            "--schrijf-ontbrekende-uit",
            action="store_true",
            help="Schrijf ook veel leerlingen tegelijk uit (meer dan een tiende) die niet in "
            "het bestand staan, zoals na de zomer; zonder deze optie wordt zo'n bestand als "
            "afgebroken of van een andere school geweigerd.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self.stdout,
            import_pupils,
            options["file"],
            school=options["school"],
            end_many=options["schrijf_ontbrekende_uit"],
        )
