"""`manage.py import_holiday_regions FILE`: set each municipality's holiday region by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.management.commands._report import read, refusal
from schoolzorg.calendars.services import import_municipality_regions
from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = (
        "Zet de vakantieregio van gemeenten uit nl-vakantieregio-indeling.csv. Gemeenten in twee "
        "regio's blijven leeg: daar beslist de DUO-vakantieregio van de school."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="BESTAND", help="CSV met de vakantieregio per gemeente")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            result = import_municipality_regions(read(path), file_name=Path(path).name)
        except ImportRefused as exc:
            raise CommandError(f"{refusal(path, exc)}\nEr is niets ingelezen.") from exc
        self.stdout.write(
            f"{result.matched} gemeenten gevonden, {result.batch.updated} aangepast; "
            f"{len(result.split)} in meer regio's: {', '.join(result.split) or '-'}."
        )
        if result.unmatched:
            self.stdout.write(
                f"Niet gevonden ({len(result.unmatched)}): {', '.join(result.unmatched)}"
            )
        if result.from_province:
            self.stdout.write(
                f"Zonder regio bij de gemeente, die van de provincie genomen: "
                f"{result.from_province}."
            )
        if result.no_region:
            self.stdout.write(
                f"Zonder regio in het bestand, niet veranderd ({len(result.no_region)}): "
                f"{', '.join(result.no_region)}"
            )
        if result.not_in_file:
            listed = ", ".join(result.not_in_file[:20])
            more = f" en nog {len(result.not_in_file) - 20}" if len(result.not_in_file) > 20 else ""
            self.stdout.write(
                f"Niet in het bestand, regio niet veranderd ({len(result.not_in_file)}): "
                f"{listed}{more}"
            )
