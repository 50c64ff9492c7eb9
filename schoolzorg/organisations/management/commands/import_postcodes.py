"""`schoolzorg import-postcodes`: Lees een postcodetabel in (CBS postcode-buurt, DUO leerlingen per postcode of SWV-PC4)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.importers.base import run_import
from schoolzorg.organisations.importers.postcodes import import_postcodes


class Command(BaseCommand):
    help = "Lees een postcodetabel in (CBS postcode-buurt, DUO leerlingen per postcode of SWV-PC4)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="BESTAND", help="CSV-bestand")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(self.stdout, import_postcodes, options["file"])
