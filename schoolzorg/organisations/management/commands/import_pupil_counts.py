"""`schoolzorg import-pupil-counts`: Lees leerlingaantallen per vestiging (DUO-bestand 06) in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.importers.base import run_import
from schoolzorg.organisations.importers.pupil_counts import import_pupil_counts


class Command(BaseCommand):
    help = "Lees leerlingaantallen per vestiging (DUO-bestand 06) in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="BESTAND", help="CSV-bestand")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(self.stdout, import_pupil_counts, options["file"])
