"""`schoolzorg import-areas [FILE]`: CBS buurten and wijken, with municipalities by GM code."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.importers.areas import (
    DEFAULT_DISTRICT_NAMES,
    DEFAULT_FILE,
    import_areas,
)
from schoolzorg.organisations.importers.base import run_import


class Command(BaseCommand):
    help = "Lees CBS-buurten en -wijken in (standaard de meegeleverde indeling 2024)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="BESTAND", nargs="?", default=str(DEFAULT_FILE), help="CSV-bestand"
        )
        parser.add_argument(
            "--wijknamen",
            default=str(DEFAULT_DISTRICT_NAMES),
            help="CSV met statcode;statnaam voor wijknamen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(self.stdout, import_areas, options["file"], district_names=options["wijknamen"])
